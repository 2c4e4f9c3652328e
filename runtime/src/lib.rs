//! The runtime shared by every generated client crate: configuration, auth, retries, parameter
//! encoding, and the typed response and error types that generated methods return.
//!
//! Generated crates call [`Client::request`], then [`Client::send`], then match the
//! [`RawResponse`]'s status to decode the documented body with [`RawResponse::json`].

// Errors carry the whole answer (status, headers, decoded body) by design, so that a caller can
// match on them without another lookup; their size only matters next to an HTTP round trip.
#![allow(clippy::result_large_err)]

mod client;
mod error;
mod params;
mod retry;

pub use client::{Auth, Client, ClientBuilder, RequestParts, Secret};
pub use error::{BuildError, Error, RawResponse, Response};
pub use params::{encode_path, encode_path_segment, header_values, query_pairs};
pub use retry::RetryPolicy;

/// Re-exported so generated crates and their users name the same versions.
pub use reqwest;
