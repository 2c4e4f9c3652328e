//! What a call returns: the decoded answer with its status and headers, or a typed error.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful answer: the decoded body with the status and headers it came with.
///
/// It dereferences to the body, so that the body's fields and methods are reached directly
/// (`answer.username`); the status and headers are methods, which never shadow a field of the
/// body.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// An answer, as a test double of a client returns it.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status the server answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The status, the headers and the body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The same answer with its body mapped, e.g. into an operation's success enum.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// A body documented both as JSON and as text: which one the server sent, by its
/// `Content-Type`.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonOrText<T> {
    /// The server sent JSON, decoded.
    Json(T),
    /// The server sent text.
    Text(String),
}

/// A body documented both as JSON and in a binary media type (a file, a diff, audio): which
/// one the server sent, by its `Content-Type`. Bytes are never decoded as text.
#[derive(Debug)]
pub enum JsonOrBinary<T> {
    /// The server sent JSON, decoded.
    Json(T),
    /// The server sent the binary type, its body not read yet.
    Binary(crate::Download),
}

/// Why a body could not be decoded. New reasons may come in a minor release: a `match` on it
/// needs a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON, or not of the documented shape.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The body is not valid text in the charset the server names (UTF-8 when it names
    /// none), or the charset is one this client does not know.
    #[error("the body is not valid {charset} text")]
    Charset {
        /// The charset the server named, or `utf-8`.
        charset: String,
    },
}

/// Whether a media type carries JSON: `application/json` or any `+json`.
pub fn is_json(media_type: &str) -> bool {
    let base = media_type
        .split(';')
        .next()
        .unwrap_or(media_type)
        .trim()
        .to_ascii_lowercase();
    base == "application/json" || base.ends_with("+json")
}

/// The value of the `charset` parameter of a `Content-Type`.
fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// An answer as received, before its body is decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The headers of the answer.
    pub headers: HeaderMap,
    /// The body, as received.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Reads the whole answer.
    pub(crate) async fn read<E>(response: reqwest::Response) -> Result<RawResponse, Error<E>> {
        let status = response.status();
        let mut response = response;
        let headers = std::mem::take(response.headers_mut());
        let body = response
            .bytes()
            .await
            .map_err(|e| Error::Transport(e.without_url()))?;
        Ok(RawResponse {
            status,
            headers,
            body: Vec::from(body),
        })
    }

    /// The `Content-Type` the server sent, without parameters, in lower case.
    pub fn content_type(&self) -> Option<String> {
        let value = self.content_type_header()?;
        Some(value.split(';').next()?.trim().to_ascii_lowercase())
    }

    fn content_type_header(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)?
            .to_str()
            .ok()
    }

    /// The body as JSON when the server says it is JSON (`application/json`, any `+json`), as
    /// text otherwise.
    pub fn json_or_text<T: serde::de::DeserializeOwned, E>(
        &self,
    ) -> Result<JsonOrText<T>, Error<E>> {
        if self.content_type().is_some_and(|c| is_json(&c)) {
            self.json().map(JsonOrText::Json)
        } else {
            self.text().map(JsonOrText::Text)
        }
    }

    /// A success whose body is JSON or text, as the server's `Content-Type` says.
    pub fn ok_json_or_text<T: serde::de::DeserializeOwned, E>(
        self,
    ) -> Result<Response<JsonOrText<T>>, Error<E>> {
        let body = self.json_or_text()?;
        Ok(self.with(body))
    }

    /// A success whose body is text.
    pub fn ok_text<E>(self) -> Result<Response<String>, Error<E>> {
        let body = self.text()?;
        Ok(self.with(body))
    }

    /// The body as text, in the charset the server names (UTF-8 when it names none). A body
    /// that is not valid in it is an [`Error::Decode`] that keeps the bytes: text is never
    /// decoded with replacement characters.
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        let label = self.content_type_header().and_then(charset);
        let encoding = match label {
            None => Some(encoding_rs::UTF_8),
            Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()),
        };
        let decoded = encoding.and_then(|e| {
            e.decode_without_bom_handling_and_without_replacement(&self.body)
                .map(std::borrow::Cow::into_owned)
        });
        decoded.ok_or_else(|| {
            self.decode_error(DecodeError::Charset {
                charset: label.unwrap_or("UTF-8").to_owned(),
            })
        })
    }

    fn decode_error<E>(&self, source: DecodeError) -> Error<E> {
        Error::Decode {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
            source,
        }
    }

    /// Decodes the body as JSON into `T`; a body that is not JSON or does not fit `T` is an
    /// [`Error::Decode`] that keeps the body.
    pub fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(DecodeError::Json(e)))
    }

    /// A success with the decoded body.
    pub fn ok<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let body = self.json()?;
        Ok(self.with(body))
    }

    /// A success whose body is not read.
    pub fn ok_empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(self.with(()))
    }

    fn with<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    /// A documented error status: `make` builds the operation's error variant from this answer.
    pub fn err<T, E>(self, make: impl FnOnce(&Self) -> Result<E, Error<E>>) -> Result<T, Error<E>> {
        let error = make(&self)?;
        Err(Error::Status {
            status: self.status,
            headers: self.headers,
            error,
        })
    }

    /// A JSON answer where a stream was asked for: [`Error::NotStreamed`].
    pub fn not_streamed<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::NotStreamed {
            status: self.status,
            headers: self.headers,
            body: self.body,
        })
    }

    /// A status the spec does not document for this operation.
    pub fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: self.body,
        })
    }
}

/// A body shown in a message: as text where it is text, cut short.
fn shown(body: &[u8]) -> String {
    const LIMIT: usize = 2_000;
    let text = String::from_utf8_lossy(&body[..body.len().min(LIMIT)]);
    if body.len() > LIMIT {
        format!("{text}… ({} bytes)", body.len())
    } else {
        text.into_owned()
    }
}

/// Why a call failed. `E` is the operation's enum of documented error answers. New reasons may
/// come in a minor release: a `match` on it needs a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a status the spec documents as an error; `error` holds the
    /// decoded body in the variant of that status.
    #[error("the server answered {status}: {error:?}")]
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The headers of the answer.
        headers: HeaderMap,
        /// The decoded body, in the variant of its status.
        error: E,
    },
    /// The server answered with a status the spec does not document for this operation; the
    /// body is kept as received.
    #[error(
        "the server answered with undocumented status {status}: {}",
        shown(body)
    )]
    UnexpectedStatus {
        /// The HTTP status.
        status: StatusCode,
        /// The headers of the answer.
        headers: HeaderMap,
        /// The body, as received.
        body: Vec<u8>,
    },
    /// The server answered a successful status with JSON where an event stream was asked for
    /// (servers and proxies that do not stream do this). The body is kept as received: the
    /// operation's method that reads the answer whole decodes it.
    #[error(
        "the server answered JSON where an event stream was asked ({status}): {}",
        shown(body)
    )]
    NotStreamed {
        /// The HTTP status.
        status: StatusCode,
        /// The headers of the answer.
        headers: HeaderMap,
        /// The body, as received.
        body: Vec<u8>,
    },
    /// The body is not of the documented shape (not JSON, not valid text); it is kept as
    /// received.
    #[error("cannot decode the {status} answer: {source}; body: {}", shown(body))]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The headers of the answer.
        headers: HeaderMap,
        /// The body, as received.
        body: Vec<u8>,
        /// Why it does not decode.
        #[source]
        source: DecodeError,
    },
    /// The request could not be sent or the answer not received (connection, timeout, TLS).
    /// The URL is removed from the error so that a key sent in the query cannot leak.
    #[error("request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// A parameter cannot be sent as given (an invalid header value, a path segment `..`).
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name in the spec.
        name: String,
        /// What is wrong with its value.
        reason: String,
    },
    /// The request body could not be encoded.
    #[error("cannot encode the request body: {0}")]
    Encode(#[source] serde_json::Error),
    /// The operation needs credentials the client was not given; nothing was sent.
    #[error("the operation needs credentials for {needed}; set them on the client builder")]
    MissingCredentials {
        /// The security schemes that would do, as alternatives (`` `a` and `b`, or `c` ``).
        needed: String,
    },
    /// No answer came within the client's timeout (the head of a download, whose body is not
    /// limited).
    #[error("no answer within {0:?}")]
    TimedOut(std::time::Duration),
    /// A token source failed; nothing was sent.
    #[error("cannot get a credential: {0}")]
    Credentials(#[source] crate::auth::BoxError),
    /// A middleware ended the call without an answer ([`crate::Middleware`]).
    #[error("a middleware failed: {0}")]
    Middleware(#[source] crate::auth::BoxError),
    /// A walk through a list's pages stopped where going on would be wrong: the server named a
    /// page it had named before, or a next page's URL outside the client's base URL.
    #[error("the walk through the pages stopped: {reason}")]
    Walk {
        /// Why.
        reason: String,
    },
}

impl<E> Error<E> {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::NotStreamed { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            Error::InvalidParameter { .. }
            | Error::Encode(_)
            | Error::MissingCredentials { .. }
            | Error::TimedOut(_)
            | Error::Credentials(_)
            | Error::Middleware(_)
            | Error::Walk { .. } => None,
        }
    }

    /// The answer's headers, when there was an answer.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Status { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::NotStreamed { headers, .. }
            | Error::Decode { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::TimedOut(_)) || matches!(self, Error::Transport(e) if e.is_timeout())
    }
}

/// A client that cannot be built from its settings.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The base URL, server variables filled in, is not a URL.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL.
        url: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A default header or the user agent cannot be sent.
    #[error("invalid header `{name}`: {reason}")]
    Header {
        /// The header's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// reqwest refused the settings (TLS, for one).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
