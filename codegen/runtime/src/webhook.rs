//! What the API sends to its users' servers (webhooks, callbacks): a received request, the
//! checks of its signature ([`Verifier`]) and the decoding of its event, which generated
//! `webhooks` modules drive. Framework-neutral: a request is its headers, its raw body and,
//! for schemes that sign it, its full URL.

use std::fmt;

use bytes::Bytes;
use http::HeaderMap;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

#[cfg(feature = "axum")]
pub use crate::receive::{Delivery, Received, Rejection};
pub use crate::verify::{
    Algorithm, DEFAULT_TOLERANCE, Encoding, HmacScheme, SetupError, SignatureFormat, Verifier,
};

/// What an enum of events implements to be told apart and decoded whole: generated `webhooks`
/// modules implement it for their `Event` where something on the wire tells the events apart
/// (the `axum` feature's `Received` extracts it).
pub trait Receive: Sized {
    /// Verifies `request` with `verifier`, then decodes its event.
    fn receive(verifier: &Verifier, request: &Request) -> Result<Verified<Self>, WebhookError>;
}

/// A request as received: what verifying and decoding read.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    headers: &'a HeaderMap,
    body: &'a [u8],
    url: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// The request of `headers` and the raw `body`, as it came: a body read back from a parsed
    /// value no longer matches its signature.
    pub fn new(headers: &'a HeaderMap, body: &'a [u8]) -> Request<'a> {
        Request {
            headers,
            body,
            url: None,
        }
    }

    /// This request with its full URL, for the schemes that sign it.
    pub fn with_url(self, url: &'a str) -> Request<'a> {
        Request {
            url: Some(url),
            ..self
        }
    }

    /// The headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The full URL, when given.
    pub fn url(&self) -> Option<&'a str> {
        self.url
    }

    /// The text of header `name`, when present; a value that is not text is an error.
    pub fn header(&self, name: &str) -> Result<Option<&'a str>, WebhookError> {
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        value
            .to_str()
            .map(Some)
            .map_err(|_| WebhookError::invalid_header(name, "it is not visible ASCII text"))
    }

    /// The text of header `name`; a missing one is an error.
    pub fn required_header(&self, name: &str) -> Result<&'a str, WebhookError> {
        self.header(name)?
            .ok_or_else(|| WebhookError::MissingHeader(name.to_owned()))
    }

    /// The value of the body's top-level property `name` when the body is a JSON object and
    /// the value a string, read without decoding the rest: what tells events apart.
    pub fn field(&self, name: &str) -> Option<String> {
        let mut de = serde_json::Deserializer::from_slice(self.body);
        Field { name }.deserialize(&mut de).ok().flatten()
    }

    /// The body decoded as JSON into the payload of `event`; an error names the event and the
    /// path to what does not fit.
    pub fn json<T: DeserializeOwned>(&self, event: &'static str) -> Result<T, WebhookError> {
        let failed = |path: String, source| WebhookError::Decode {
            event,
            path,
            source,
        };
        let mut de = serde_json::Deserializer::from_slice(self.body);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| failed(e.path().to_string(), e.into_inner()))?;
        de.end().map_err(|e| failed(".".to_owned(), e))?;
        Ok(value)
    }

    /// The body as text, for a payload the spec gives as text.
    pub fn text(&self, event: &'static str) -> Result<String, WebhookError> {
        String::from_utf8(self.body.to_vec()).map_err(|_| WebhookError::NotText { event })
    }

    /// The body as bytes, for a payload of bytes (or one this crate keeps as sent).
    pub fn bytes(&self) -> Bytes {
        Bytes::copy_from_slice(self.body)
    }

    /// An event that no documented one matches, kept whole, with the value that told it apart.
    pub fn unknown(&self, tag: Option<String>) -> UnknownEvent {
        UnknownEvent {
            tag,
            body: self.bytes(),
        }
    }
}

/// What a server answers a request the API sent: a status and a body with its media type.
/// Generated `<Event>Answer` enums convert into it; with the `axum` feature it is a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The `Content-Type`, when there is a body.
    pub content_type: Option<&'static str>,
    /// The body, empty for none.
    pub body: Bytes,
}

impl Answer {
    /// An answer without a body.
    pub fn empty(status: u16) -> Answer {
        Answer {
            status,
            content_type: None,
            body: Bytes::new(),
        }
    }

    /// An answer of `body` as JSON; a value serde cannot encode is a 500 that says why.
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, body: &T) -> Answer {
        match serde_json::to_vec(body) {
            Ok(json) => Answer {
                status,
                content_type: Some("application/json"),
                body: json.into(),
            },
            Err(e) => Answer::text(500, format!("the answer cannot be encoded: {e}")),
        }
    }

    /// An answer of text.
    pub fn text(status: u16, body: impl Into<String>) -> Answer {
        Answer {
            status,
            content_type: Some("text/plain; charset=utf-8"),
            body: Bytes::from(body.into()),
        }
    }

    /// An answer of bytes.
    pub fn bytes(status: u16, body: impl Into<Bytes>) -> Answer {
        Answer {
            status,
            content_type: Some("application/octet-stream"),
            body: body.into(),
        }
    }

    /// As an `http` response, for any server; a status outside 100-999 is a 500.
    pub fn into_http(self) -> http::Response<Bytes> {
        let status = http::StatusCode::from_u16(self.status)
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = http::Response::new(self.body);
        *response.status_mut() = status;
        if let Some(media) = self.content_type {
            let value = http::HeaderValue::from_static(media);
            response
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, value);
        }
        response
    }
}

/// Where the API sends a callback, as the spec's key says: literal text and OpenAPI runtime
/// expressions, which take their values from the call that subscribed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlExpression(pub &'static [UrlPart]);

/// A part of a [`UrlExpression`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPart {
    /// Literal text.
    Text(&'static str),
    /// `$url`: the URL of the call.
    Url,
    /// `$method`: its method.
    Method,
    /// `$statusCode`: the status of its answer.
    StatusCode,
    /// `$request.path.<name>`.
    RequestPath(&'static str),
    /// `$request.query.<name>`.
    RequestQuery(&'static str),
    /// `$request.header.<name>`.
    RequestHeader(&'static str),
    /// `$request.body#<pointer>` (the whole body for an empty pointer).
    RequestBody(&'static str),
    /// `$response.header.<name>`.
    ResponseHeader(&'static str),
    /// `$response.body#<pointer>`.
    ResponseBody(&'static str),
}

impl UrlExpression {
    /// The URL, each expression's value given by `value`; `None` when one has none.
    pub fn expand(&self, value: impl Fn(&UrlPart) -> Option<String>) -> Option<String> {
        let mut url = String::new();
        for part in self.0 {
            match part {
                UrlPart::Text(text) => url.push_str(text),
                other => url.push_str(&value(other)?),
            }
        }
        Some(url)
    }

    /// The URL when its expressions read the request's body only (`{$request.body#/callbackUrl}`),
    /// from the body sent (as JSON).
    pub fn from_request_body(&self, body: &serde_json::Value) -> Option<String> {
        self.expand(|part| match part {
            UrlPart::RequestBody(pointer) => match body.pointer(pointer)? {
                serde_json::Value::String(text) => Some(text.clone()),
                other => Some(other.to_string()),
            },
            _ => None,
        })
    }
}

/// An event the spec does not list: the value that names it and its body, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEvent {
    /// The value of the property or header that tells the API's events apart, when present.
    pub tag: Option<String>,
    /// The raw body.
    pub body: Bytes,
}

/// An event whose signature was checked, with what identifies its delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified<T> {
    /// The decoded event.
    pub event: T,
    /// The delivery's id (`webhook-id`, or the header the scheme names), the same on every
    /// retry of the delivery: a timestamp window does not stop a replay inside it; remembering
    /// the ids already handled does.
    pub id: Option<String>,
    /// When the sender signed it, in seconds since the Unix epoch, when the scheme says.
    pub timestamp: Option<i64>,
}

impl Verified<()> {
    /// What this verification says about the delivery, with `event`.
    pub fn with<T>(self, event: T) -> Verified<T> {
        Verified {
            event,
            id: self.id,
            timestamp: self.timestamp,
        }
    }
}

impl<T> Verified<T> {
    /// The same delivery with its event changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Verified<U> {
        Verified {
            event: f(self.event),
            id: self.id,
            timestamp: self.timestamp,
        }
    }
}

/// Why a received request gives no event.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme reads is missing.
    #[error("the header `{0}` is missing")]
    MissingHeader(String),
    /// A header the scheme reads does not hold what it should.
    #[error("the header `{name}` is not valid: {reason}")]
    InvalidHeader {
        /// The header's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No signature of the request matches the body with any of the secrets.
    #[error("no signature matches the request")]
    InvalidSignature,
    /// The request was signed longer ago than the tolerance allows (a replay, or a delivery
    /// held up).
    #[error("the request was signed at {timestamp}, more than {tolerance} s before {now}")]
    TooOld {
        /// When it was signed, in seconds since the Unix epoch.
        timestamp: i64,
        /// When it was checked.
        now: i64,
        /// The tolerance in seconds.
        tolerance: u64,
    },
    /// The request says it was signed further in the future than the tolerance allows.
    #[error("the request was signed at {timestamp}, more than {tolerance} s after {now}")]
    TooNew {
        /// When it says it was signed, in seconds since the Unix epoch.
        timestamp: i64,
        /// When it was checked.
        now: i64,
        /// The tolerance in seconds.
        tolerance: u64,
    },
    /// The scheme signs the request's URL, which was not given ([`Request::with_url`]).
    #[error("the scheme signs the URL, which the request does not give")]
    MissingUrl,
    /// The body does not fit the payload of the event.
    #[error("the `{event}` event does not decode at `{path}`: {source}")]
    Decode {
        /// The webhook or callback.
        event: &'static str,
        /// Where in the body, as a path of properties and indexes (`.` for the whole).
        path: String,
        /// What serde says.
        source: serde_json::Error,
    },
    /// The body of an event whose payload is text is not UTF-8.
    #[error("the body of the `{event}` event is not UTF-8 text")]
    NotText {
        /// The webhook or callback.
        event: &'static str,
    },
}

impl WebhookError {
    pub(crate) fn invalid_header(name: &str, reason: impl Into<String>) -> WebhookError {
        WebhookError::InvalidHeader {
            name: name.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Reads one top-level string property of a JSON object, skipping everything else.
struct Field<'n> {
    name: &'n str,
}

impl<'de> DeserializeSeed<'de> for Field<'_> {
    type Value = Option<String>;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Field<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.name && found.is_none() {
                found = map
                    .next_value::<serde_json::Value>()?
                    .as_str()
                    .map(str::to_owned);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(body: &[u8]) -> (HeaderMap, Vec<u8>) {
        (HeaderMap::new(), body.to_vec())
    }

    #[test]
    fn a_url_expression_expands_from_the_subscribing_body() {
        let url = UrlExpression(&[
            UrlPart::RequestBody("/hooks/0/url"),
            UrlPart::Text("?event="),
            UrlPart::RequestBody("/event"),
        ]);
        let body = serde_json::json!({"hooks": [{"url": "https://me.example/in"}], "event": 7});
        let expanded = url.from_request_body(&body);
        assert_eq!(expanded.as_deref(), Some("https://me.example/in?event=7"));
        assert_eq!(
            url.from_request_body(&serde_json::json!({"event": 7})),
            None
        );
        let query = UrlExpression(&[UrlPart::Text("https://x/"), UrlPart::RequestQuery("to")]);
        assert_eq!(
            query.expand(|_| Some("y".into())).as_deref(),
            Some("https://x/y")
        );
    }

    #[test]
    fn a_field_is_read_at_the_top_level_only() {
        let (headers, body) = parts(br#"{"data":{"type":"inner"},"type":"pet.new","n":[1,2]}"#);
        let request = Request::new(&headers, &body);
        assert_eq!(request.field("type").as_deref(), Some("pet.new"));
        assert_eq!(request.field("n"), None);
        assert_eq!(request.field("missing"), None);
        let (headers, body) = parts(b"[1]");
        assert_eq!(Request::new(&headers, &body).field("type"), None);
    }

    #[test]
    fn a_decode_error_names_the_event_and_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Pet {
            name: String,
            tags: Vec<u32>,
        }
        let (headers, body) = parts(br#"{"name":"Rex","tags":[1,"two"]}"#);
        let error = Request::new(&headers, &body)
            .json::<Pet>("newPet")
            .unwrap_err();
        let WebhookError::Decode { event, path, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!((*event, path.as_str()), ("newPet", "tags[1]"));
        let (headers, body) = parts(br#"{"name":"Rex","tags":[]} x"#);
        let error = Request::new(&headers, &body)
            .json::<Pet>("newPet")
            .unwrap_err();
        assert!(error.to_string().contains("trailing characters"), "{error}");
    }
}
