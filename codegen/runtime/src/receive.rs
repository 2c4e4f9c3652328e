//! axum extractors of what the API sends: [`Received`] verifies a request with the app state's
//! [`Verifier`] and decodes its event; [`Delivery`] holds a request as it came, for the
//! functions of the one webhook an endpoint receives.

use axum_core::extract::{FromRef, FromRequest, Request as AxumRequest};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::verify::Verifier;
use crate::webhook::{Answer, Receive, Request, Verified, WebhookError};

/// A request as it came: headers, raw body and full URL. Its [`Delivery::request`] goes to a
/// webhook's own function.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The headers.
    pub headers: HeaderMap,
    /// The raw body (within axum's body limit, `DefaultBodyLimit`).
    pub body: Bytes,
    /// The URL: the request's own when absolute, else `https://` with the `Host` header and
    /// the path and query. Behind a proxy that changes them, set it to the URL the sender
    /// signed.
    pub url: String,
}

impl Delivery {
    /// The request to verify and decode.
    pub fn request(&self) -> Request<'_> {
        Request::new(&self.headers, &self.body).with_url(&self.url)
    }
}

impl<S: Send + Sync> FromRequest<S> for Delivery {
    type Rejection = Rejection;

    async fn from_request(request: AxumRequest, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let (headers, url) = (parts.headers.clone(), url(&parts.uri, &parts.headers));
        let request = AxumRequest::from_parts(parts, body);
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| Rejection::Body(e.into_response()))?;
        Ok(Delivery { headers, body, url })
    }
}

fn url(uri: &http::Uri, headers: &HeaderMap) -> String {
    if uri.scheme().is_some() {
        return uri.to_string();
    }
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    format!("https://{host}{path}")
}

/// An event verified with the [`Verifier`] of the app's state and decoded: a handler's
/// argument. A request that does not verify is answered 401, one that does not decode 400,
/// before the handler runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Received<T>(pub Verified<T>);

impl<S, T> FromRequest<S> for Received<T>
where
    S: Send + Sync,
    T: Receive,
    Verifier: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: AxumRequest, state: &S) -> Result<Self, Self::Rejection> {
        let delivery = Delivery::from_request(request, state).await?;
        let verifier = Verifier::from_ref(state);
        T::receive(&verifier, &delivery.request())
            .map(Received)
            .map_err(Rejection::Webhook)
    }
}

/// Why an extractor gave no event: the body could not be read, or the request did not verify
/// or decode.
#[derive(Debug)]
pub enum Rejection {
    /// axum's own answer to a body it could not read (too large, cut off).
    Body(Response),
    /// The check or the decoding that failed.
    Webhook(WebhookError),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let error = match self {
            Rejection::Body(response) => return response,
            Rejection::Webhook(error) => error,
        };
        let status = match error {
            WebhookError::InvalidSignature
            | WebhookError::TooOld { .. }
            | WebhookError::TooNew { .. } => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        };
        (status, error.to_string()).into_response()
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let (parts, body) = self.into_http().into_parts();
        Response::from_parts(parts, axum_core::body::Body::from(body))
    }
}
