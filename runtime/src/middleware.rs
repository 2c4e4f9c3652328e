//! Code the user supplies that runs on every attempt of a request (so a signer signs each
//! retry anew), and the options one call may override.
//!
//! The shape is `reqwest-middleware`'s: a [`Middleware`] gets the request and a [`Next`] that
//! sends it through the layers after it; it may change the request, read or replace the answer,
//! or answer itself without calling `next`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::BoxError;
use crate::retry::RetryPolicy;

/// A boxed future that can be sent between threads, as [`Middleware::handle`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The operation a request calls, as the spec names it. Generated methods set it; it is also
/// in the request's [`http::Extensions`] that a `reqwest-middleware` layer gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The spec's `operationId`, or `METHOD /path` where it has none.
    pub id: &'static str,
    /// The path as the spec writes it, with its `{parameters}` (`/pets/{petId}`).
    pub template: &'static str,
}

/// One attempt of a call: which operation, and how many times it was sent before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// The operation, `None` for a request a generated method did not start.
    pub operation: Option<Operation>,
    /// How many times this call was sent before this attempt (0 for the first).
    pub resend_count: u32,
}

/// Code that sees each attempt's request before it is sent, and its answer after.
///
/// A request's body is in memory when it was encoded from a value (JSON, a form, text, bytes):
/// `request.body().and_then(|b| b.as_bytes())` gives its bytes, to sign or hash. An upload from
/// a stream and a multipart form are streams: `as_bytes()` is `None`, and a signer signs without
/// the body (AWS SigV4's `UNSIGNED-PAYLOAD`) or asks for an in-memory upload. A middleware that
/// takes the body out must put one back.
///
/// ```ignore
/// struct Stamp;
/// impl Middleware for Stamp {
///     fn handle<'a>(&'a self, mut request: reqwest::Request, attempt: &'a Attempt, next: Next<'a>)
///         -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
///         request.headers_mut().insert("x-attempt", attempt.resend_count.into());
///         Box::pin(next.run(request))
///     }
/// }
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Handles one attempt: usually changes `request`, then `next.run(request).await`.
    /// An `Err` ends the call with [`crate::Error::Middleware`], unless it is the
    /// `reqwest::Error` that `next` returned, which is a transport failure (and may be retried).
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        attempt: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>>;
}

/// A function of the request, the attempt and the layers after it is a middleware.
impl<F> Middleware for F
where
    F: Send
        + Sync
        + 'static
        + for<'a> Fn(
            reqwest::Request,
            &'a Attempt,
            Next<'a>,
        ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>>,
{
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        attempt: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        self(request, attempt, next)
    }
}

/// The layers after a [`Middleware`], and the sending at their end.
pub struct Next<'a> {
    rest: &'a [Arc<dyn Middleware>],
    attempt: &'a Attempt,
    transport: &'a Transport,
}

impl<'a> Next<'a> {
    pub(crate) fn new(
        layers: &'a [Arc<dyn Middleware>],
        attempt: &'a Attempt,
        transport: &'a Transport,
    ) -> Self {
        Next {
            rest: layers,
            attempt,
            transport,
        }
    }

    /// Sends `request` through the remaining layers, then over the network.
    pub fn run(
        self,
        request: reqwest::Request,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        match self.rest.split_first() {
            Some((layer, rest)) => layer.handle(request, self.attempt, Next { rest, ..self }),
            None => self.transport.send(request, self.attempt),
        }
    }
}

/// A client of a middleware stack of another crate that requests can be sent through
/// ([`crate::ClientBuilder::middleware_client`]): `reqwest_middleware::ClientWithMiddleware`,
/// with the feature `reqwest-middleware`.
pub trait Layered: Send + Sync + 'static {
    /// How requests are sent through it.
    #[doc(hidden)]
    fn transport(self) -> Transport;
}

#[cfg(feature = "reqwest-middleware")]
impl Layered for reqwest_middleware::ClientWithMiddleware {
    fn transport(self) -> Transport {
        Transport::Layered(self)
    }
}

/// What sends a request at the end of the layers.
#[doc(hidden)]
#[derive(Clone)]
pub enum Transport {
    Reqwest(reqwest::Client),
    #[cfg(feature = "reqwest-middleware")]
    Layered(reqwest_middleware::ClientWithMiddleware),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Reqwest(_) => f.write_str("reqwest"),
            #[cfg(feature = "reqwest-middleware")]
            Transport::Layered(_) => f.write_str("reqwest-middleware"),
        }
    }
}

impl Transport {
    pub(crate) fn send<'a>(
        &'a self,
        request: reqwest::Request,
        attempt: &'a Attempt,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        match self {
            Transport::Reqwest(http) => {
                let _ = attempt;
                Box::pin(async move { Ok(http.execute(request).await?) })
            }
            #[cfg(feature = "reqwest-middleware")]
            Transport::Layered(http) => Box::pin(async move {
                let mut extensions = http::Extensions::new();
                extensions.insert(*attempt);
                if let Some(operation) = attempt.operation {
                    extensions.insert(operation);
                }
                http.execute_with_extensions(request, &mut extensions)
                    .await
                    .map_err(|e| match e {
                        reqwest_middleware::Error::Reqwest(e) => BoxError::from(e),
                        reqwest_middleware::Error::Middleware(e) => e.into(),
                    })
            }),
        }
    }
}

/// What one call may set differently from its client: the timeout, the retry policy, extra
/// headers. Give it to the client's `with` method: `client.with(options).list_pets().await`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
}

impl CallOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The limit of each attempt of this call; `None` for no limit.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy of this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// No retries for this call.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// A header sent with this call, after the client's default headers; an invalid name or
    /// value fails the call with [`crate::Error::InvalidParameter`] before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}
