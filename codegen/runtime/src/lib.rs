//! The runtime shared by every generated client crate: configuration, auth, retries, parameter
//! encoding, and the typed response and error types that generated methods return.
//!
//! Generated crates call [`Client::request`], then [`Client::send`], then match the
//! [`RawResponse`]'s status to decode the documented body with [`RawResponse::json`].

// Errors carry the whole answer (status, headers, decoded body) by design, so that a caller can
// match on them without another lookup; their size only matters next to an HTTP round trip.
#![allow(clippy::result_large_err)]
#![deny(missing_docs)]

mod auth;
mod body;
mod client;
mod error;
mod middleware;
#[cfg(feature = "mock")]
pub mod mock;
mod pages;
mod params;
#[cfg(feature = "axum")]
mod receive;
mod retry;
mod stream;
mod trace;
#[cfg(feature = "webhooks")]
mod verify;
#[cfg(feature = "webhooks")]
pub mod webhook;

pub use auth::{Auth, BoxError, Secret, TokenFuture, TokenSource};
pub use body::{Download, Multipart, OptionalBody, Upload};
pub use bytes::Bytes;
pub use client::{Answer, Client, ClientBuilder, Reconnect, RequestParts, method};
pub use error::{
    BuildError, DecodeError, Error, JsonOrBinary, JsonOrText, RawResponse, Response, is_json,
};
pub use middleware::{
    Attempt, BoxFuture, CallOptions, Layered, Middleware, Next, Operation, Transport,
};
pub use pages::{Items, ItemsAt, PageAt, Pages, link_next};
pub use params::{
    Style, StyleKind, cookie_pairs, encode_path, header_value, path_value, query_parts,
};
pub use retry::RetryPolicy;
pub use stream::{
    Event, EventStream, JsonError, JsonLines, JsonSeq, NamedEvents, StreamError, json_data,
    text_data,
};

/// Re-exported for answers a middleware makes itself (`http::Response` into `reqwest::Response`).
pub use http;
/// Re-exported so generated crates and their users name the same versions.
pub use reqwest;
/// Re-exported for `ClientBuilder::middleware_client`.
#[cfg(feature = "reqwest-middleware")]
pub use reqwest_middleware;
