//! The configured client: base URL, credentials, default headers, timeouts, retries; the
//! request a generated method assembles; and the send loop.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, Url};

use crate::auth::{Auth, BoxError, Credential, choose};
use crate::body::{Download, Multipart, Upload};
use crate::error::{BuildError, Error, RawResponse, Response};
use crate::middleware::{Attempt, CallOptions, Layered, Middleware, Next, Operation, Transport};
use crate::params::{Style, cookie_pairs, header_value, query_parts};
use crate::retry::RetryPolicy;
use crate::trace::AttemptSpan;

/// Settings of a [`Client`]. Generated crates preset the base URL and name the auth setters
/// after their security schemes.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    variables: BTreeMap<String, String>,
    auth: BTreeMap<String, Auth>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    send_read_only: bool,
    layers: Layers,
    /// Where requests go at the end of the layers instead of `http`.
    layered: Option<Transport>,
}

/// The middleware of a client, in the order they run.
#[derive(Clone, Default)]
struct Layers(Vec<Arc<dyn Middleware>>);

impl fmt::Debug for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} middleware", self.0.len())
    }
}

impl ClientBuilder {
    /// A builder for the server at `base_url`, which may hold `{variables}`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            variables: BTreeMap::new(),
            auth: BTreeMap::new(),
            headers: Vec::new(),
            http: None,
            user_agent: concat!("client-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            send_read_only: false,
            layers: Layers::default(),
            layered: None,
        }
    }

    /// Adds a middleware, run on every attempt of every request after those added before it
    /// (the first added sees the request first and the answer last).
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.layers.0.push(Arc::new(middleware));
        self
    }

    /// Sends through a `reqwest-middleware` client (with the feature `reqwest-middleware`),
    /// whose layers find the [`Operation`] and the [`crate::Attempt`] in the request's
    /// extensions. It takes the place of [`ClientBuilder::http_client`]; the middleware added
    /// with [`ClientBuilder::middleware`] run before its layers.
    pub fn middleware_client(mut self, client: impl Layered) -> Self {
        self.layered = Some(client.transport());
        self
    }

    /// Replaces the base URL, e.g. with a test server's.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sets a `{variable}` of the base URL.
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.insert(name.into(), value.into());
        self
    }

    /// The credential of the security scheme `scheme`. An operation gets the credentials its
    /// security requirements name; in a spec that declares none anywhere, every request gets
    /// every credential.
    pub fn auth(mut self, scheme: impl Into<String>, auth: Auth) -> Self {
        self.auth.insert(scheme.into(), auth);
        self
    }

    /// Adds a header sent with every request (for APIs whose specs declare no auth). A default
    /// `Accept` is sent where an operation documents no answer body; elsewhere the media types
    /// the operation documents are.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this `reqwest::Client` (its pool, proxy, TLS settings) instead of building one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Replaces the `User-Agent` header sent with every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The limit for a whole request, per attempt; `None` for no limit. Default 30 s.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit for connecting when the builder makes its own `reqwest::Client`. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Replaces the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns retrying off.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Whether requests send what the server owns (`readOnly` properties) when a value holds
    /// it, a value received and sent back, say. By default they leave it out.
    pub fn send_read_only(mut self, send: bool) -> Self {
        self.send_read_only = send;
        self
    }

    /// The client, or why the settings do not make one (a base URL that does not parse, a
    /// header that cannot be sent).
    pub fn build(self) -> Result<Client, BuildError> {
        let mut base = self.base_url.clone();
        for (name, value) in &self.variables {
            base = base.replace(&format!("{{{name}}}"), value);
        }
        let base = base.trim_end_matches('/').to_owned();
        let parsed = Url::parse(&base).map_err(|e| BuildError::BaseUrl {
            url: base.clone(),
            reason: e.to_string(),
        })?;
        if base.contains('{') || !matches!(parsed.scheme(), "http" | "https") {
            return Err(BuildError::BaseUrl {
                url: base,
                reason: "needs an http(s) URL with every {variable} set".to_owned(),
            });
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let header_error = |reason: String| BuildError::Header {
                name: name.clone(),
                reason,
            };
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|e| header_error(e.to_string()))?;
            let mut value =
                HeaderValue::from_str(value).map_err(|e| header_error(e.to_string()))?;
            value.set_sensitive(true);
            headers.append(name, value);
        }
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|e| BuildError::Header {
                name: "user-agent".into(),
                reason: e.to_string(),
            })?;
        headers.insert(USER_AGENT, user_agent);
        let transport = match (self.layered, self.http) {
            (Some(layered), _) => layered,
            (None, Some(http)) => Transport::Reqwest(http),
            (None, None) => Transport::Reqwest(
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(BuildError::Http)?,
            ),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                transport,
                headers,
                call_headers: Vec::new(),
                auth: self.auth,
                timeout: self.timeout,
                retry: self.retry,
                send_read_only: self.send_read_only,
                layers: self.layers,
            }),
            follow: None,
        })
    }
}

/// A configured client; cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The path and query, under the base URL, of the next page a server named: the
    /// requests of a client made by [`Client::following`] go there.
    follow: Option<String>,
}

#[derive(Clone)]
struct Inner {
    base: String,
    transport: Transport,
    /// Default and user-agent headers; values are marked sensitive.
    headers: HeaderMap,
    /// The headers of [`CallOptions`], checked when a request is built.
    call_headers: Vec<(String, String)>,
    /// Credentials by security scheme.
    auth: BTreeMap<String, Auth>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    send_read_only: bool,
    layers: Layers,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("headers", &self.inner.headers)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("layers", &self.inner.layers)
            .finish_non_exhaustive()
    }
}

/// A request body, with the content type it is sent as.
#[derive(Debug, Clone)]
struct Body {
    content_type: Option<String>,
    payload: Payload,
}

#[derive(Debug, Clone)]
enum Payload {
    Bytes(Bytes),
    Upload(Upload),
    Multipart(Multipart),
}

impl Body {
    /// Whether the body is a stream, which can be sent once.
    fn is_stream(&self) -> bool {
        match &self.payload {
            Payload::Bytes(_) => false,
            Payload::Upload(u) => u.is_stream(),
            Payload::Multipart(m) => m.has_stream(),
        }
    }
}

/// A request being assembled by a generated method: parameters in their styles, a body of its
/// media type, and the operation's security requirements.
#[derive(Debug, Clone)]
pub struct RequestParts {
    method: Method,
    /// The path and query are a URL a server named ([`Client::following`]): the query the
    /// parameters make is not added to it.
    followed: bool,
    path: String,
    /// `name=value` parts, already percent-encoded.
    query: Vec<String>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Option<Body>,
    security: Option<&'static [&'static [&'static str]]>,
    operation: Option<Operation>,
}

impl RequestParts {
    /// The operation the request calls: its `operationId` (or `METHOD /path`) and its path
    /// template, which middleware and spans are given.
    pub fn operation(&mut self, id: &'static str, template: &'static str) {
        self.operation = Some(Operation { id, template });
    }

    /// Adds a query parameter in the default style (form, exploded); `None` adds nothing.
    pub fn query<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        self.query_with(name, value, Style::QUERY)
    }

    /// Adds a query parameter in `style`.
    pub fn query_with<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> Result<(), Error<E>> {
        self.query.extend(query_parts(name, value, style)?);
        Ok(())
    }

    /// Adds a header parameter in the default style (simple); an invalid value is an error.
    pub fn header<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        self.header_with(name, value, Style::HEADER)
    }

    /// Adds a header parameter in `style`.
    pub fn header_with<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> Result<(), Error<E>> {
        if let Some(v) = header_value(name, value, style)? {
            self.headers.push((name.to_owned(), v));
        }
        Ok(())
    }

    /// Adds a cookie parameter in `style` (form by default).
    pub fn cookie<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> Result<(), Error<E>> {
        self.cookies.extend(cookie_pairs(name, value, style)?);
        Ok(())
    }

    /// Sets a JSON body, sent as `application/json`.
    pub fn json<T: serde::Serialize + ?Sized, E>(&mut self, body: &T) -> Result<(), Error<E>> {
        self.json_as(body, "application/json")
    }

    /// Sets a JSON body sent as `content_type` (`application/merge-patch+json`, say).
    pub fn json_as<T: serde::Serialize + ?Sized, E>(
        &mut self,
        body: &T,
        content_type: &str,
    ) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(Error::Encode)?;
        self.set_body(content_type, Payload::Bytes(bytes.into()));
        Ok(())
    }

    /// Sets a text body sent as `content_type`.
    pub fn text(&mut self, body: &str, content_type: &str) {
        self.set_body(content_type, Payload::Bytes(Bytes::from(body.to_owned())));
    }

    /// Sets a binary body. It is sent as `content_type`, the spec's media type, unless that
    /// allows any (`*/*`, `image/*`): then as the upload's own, else `application/octet-stream`.
    pub fn upload(&mut self, body: Upload, content_type: &str) {
        let content_type = if content_type.contains('*') {
            body.content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned())
        } else {
            content_type.to_owned()
        };
        self.set_body(&content_type, Payload::Upload(body));
    }

    /// Sets an `application/x-www-form-urlencoded` body: each property of `body` as a form
    /// field, in the style `styles` gives it (form, exploded, when it gives none).
    pub fn form<T: serde::Serialize + ?Sized, E>(
        &mut self,
        body: &T,
        styles: &[(&str, Style)],
    ) -> Result<(), Error<E>> {
        let value = serde_json::to_value(body).map_err(Error::Encode)?;
        let Some(object) = value.as_object() else {
            return Err(Error::InvalidParameter {
                name: "body".into(),
                reason: format!("a form body is an object's fields, not {value}"),
            });
        };
        let mut fields = Vec::new();
        for (name, v) in object {
            let style = styles
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Style::QUERY, |(_, s)| *s);
            fields.extend(query_parts(name, v, style)?);
        }
        let body = Bytes::from(fields.join("&"));
        self.set_body("application/x-www-form-urlencoded", Payload::Bytes(body));
        Ok(())
    }

    /// Sets a `multipart/form-data` body.
    /// Sets a multipart body of `media_type` (`multipart/form-data`, `multipart/mixed`); the
    /// boundary is added to it.
    pub fn multipart(&mut self, form: Multipart, media_type: &str) {
        self.set_body(media_type, Payload::Multipart(form));
    }

    /// The operation's security requirements: alternatives, each a list of scheme names that
    /// go together. `&[]` needs no credential.
    pub fn security(&mut self, requirements: &'static [&'static [&'static str]]) {
        self.security = Some(requirements);
    }

    /// Asks for an answer in the media types `listed` (`Accept`): those the operation's answers
    /// are documented in, or the stream a streaming method asks for. It takes the place of a
    /// default `Accept` header.
    pub fn accept(&mut self, listed: &str) {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("accept"));
        self.headers.push(("accept".to_owned(), listed.to_owned()));
    }

    /// Sets the boolean `property` of the body to `true`, as a request for a stream says so:
    /// `"stream": true` in a JSON object, a `stream=true` field of a form, a `stream` part of
    /// a multipart form; any other body is left as it is.
    pub fn stream_flag(&mut self, property: &str) {
        let Some(Body {
            content_type,
            payload,
        }) = &mut self.body
        else {
            return;
        };
        let form = content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        match payload {
            Payload::Multipart(parts) => parts.set_text(property, "true"),
            Payload::Bytes(bytes) if form => set_form_flag(bytes, property),
            Payload::Bytes(bytes) => set_json_flag(bytes, property),
            Payload::Upload(_) => {}
        }
    }

    /// [`RequestParts::stream_flag`], by its name in client crates generated before forms
    /// and multipart forms could ask for a stream.
    #[doc(hidden)]
    pub fn json_flag(&mut self, property: &str) {
        self.stream_flag(property);
    }

    fn set_body(&mut self, content_type: &str, payload: Payload) {
        self.body = Some(Body {
            content_type: Some(content_type.to_owned()),
            payload,
        });
    }
}

#[cfg(feature = "mock")]
impl RequestParts {
    /// What differs between `request` and these parts as the client sends them, in words:
    /// the method, the path, a query parameter, header or cookie of these parts missing or
    /// different (the request may have more), the body (JSON compared as values; a multipart
    /// form or a streamed upload by its media type only).
    pub(crate) fn differences(&self, request: &wiremock::Request) -> Vec<String> {
        let mut out = Vec::new();
        if request.method.as_str() != self.method.as_str() {
            out.push(format!(
                "the method is {}, not {}",
                request.method, self.method
            ));
        }
        if request.url.path() != self.path {
            out.push(format!(
                "the path is {}, not {}",
                request.url.path(),
                self.path
            ));
        }
        let query: Vec<&str> = request.url.query().unwrap_or_default().split('&').collect();
        for part in self.query.iter().filter(|p| !query.contains(&p.as_str())) {
            out.push(format!("the query has no {part}"));
        }
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        for (name, value) in &self.headers {
            match header(name) {
                _ if name.eq_ignore_ascii_case("accept") => {}
                Some(sent) if sent == value => {}
                Some(sent) => out.push(format!("the header {name} is {sent:?}, not {value:?}")),
                None => out.push(format!("the header {name} is missing")),
            }
        }
        let cookies: Vec<&str> = header("cookie").unwrap_or_default().split("; ").collect();
        for (name, value) in &self.cookies {
            if !cookies.contains(&format!("{name}={value}").as_str()) {
                out.push(format!("the cookie {name}={value} is missing"));
            }
        }
        if let Some(body) = &self.body {
            out.extend(body.differences(header("content-type"), &request.body));
        }
        out
    }
}

#[cfg(feature = "mock")]
impl Body {
    fn differences(&self, content_type: Option<&str>, sent: &[u8]) -> Vec<String> {
        let media = |t: Option<&str>| {
            t.and_then(|t| t.split(';').next())
                .map(str::trim)
                .map(str::to_owned)
        };
        let expected_type = media(self.content_type.as_deref());
        if media(content_type) != expected_type {
            return vec![format!(
                "the body's media type is {:?}, not {:?}",
                media(content_type),
                expected_type
            )];
        }
        let bytes = match &self.payload {
            Payload::Bytes(bytes) => bytes,
            Payload::Upload(upload) => match &upload.data {
                crate::body::Data::Bytes(bytes) => bytes,
                crate::body::Data::Stream(_) => return Vec::new(),
            },
            Payload::Multipart(_) => return Vec::new(),
        };
        let json = expected_type.as_deref().is_some_and(crate::error::is_json);
        let same = match json {
            true => {
                serde_json::from_slice::<serde_json::Value>(sent).ok()
                    == serde_json::from_slice(bytes).ok()
            }
            false => sent == &bytes[..],
        };
        match same {
            true => Vec::new(),
            false => vec![format!(
                "the body is {}, not {}",
                String::from_utf8_lossy(sent),
                String::from_utf8_lossy(bytes)
            )],
        }
    }
}

/// A request for server-sent events, kept to be sent again with `Last-Event-ID` when the
/// stream's connection breaks ([`Client::reconnect`] makes one).
#[derive(Debug, Clone)]
pub struct Reconnect {
    client: Client,
    parts: RequestParts,
}

impl Reconnect {
    /// The retry policy that bounds the reconnections.
    pub(crate) fn policy(&self) -> &RetryPolicy {
        &self.client.inner.retry
    }

    /// The request sent again after `wait`, with `Last-Event-ID: last_id`: the body of a
    /// successful answer, not read yet.
    pub(crate) async fn send(
        self,
        last_id: Option<String>,
        wait: Duration,
    ) -> Result<Download, Error<()>> {
        tokio::time::sleep(wait).await;
        let mut parts = self.parts;
        if let Some(id) = last_id {
            parts
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("last-event-id"));
            parts.headers.push(("last-event-id".to_owned(), id));
        }
        let success = |status: u16, _: Option<&str>| (200..300).contains(&status);
        match self.client.send_streaming(parts, success).await? {
            Answer::Download(download) => Ok(download.into_body()),
            Answer::Read(raw) => raw.unexpected(),
        }
    }
}

/// The method named `name` (`QUERY`, `LINK`), for an operation of a method `reqwest::Method`
/// has no constant for; the generator has checked that the name is a token.
pub fn method<E>(name: &str) -> Result<Method, Error<E>> {
    Method::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidParameter {
        name: "method".into(),
        reason: e.to_string(),
    })
}

/// Sets `property` of the JSON object `bytes` to `true`; other JSON is left as it is.
fn set_json_flag(bytes: &mut Bytes, property: &str) {
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(bytes) else {
        return;
    };
    object.insert(property.to_owned(), serde_json::Value::Bool(true));
    if let Ok(json) = serde_json::to_vec(&object) {
        *bytes = json.into();
    }
}

/// Sets the field `property` of the form `bytes` to `true`, in place of what it held.
fn set_form_flag(bytes: &mut Bytes, property: &str) {
    let Ok(mut fields) = query_parts::<_, ()>(property, &true, Style::QUERY) else {
        return;
    };
    let flag = fields.pop().unwrap_or_default();
    let name = flag.split('=').next().unwrap_or_default();
    let text = String::from_utf8_lossy(bytes);
    let mut kept: Vec<&str> = text
        .split('&')
        .filter(|f| !f.is_empty() && f.split('=').next() != Some(name))
        .collect();
    kept.push(&flag);
    *bytes = Bytes::from(kept.join("&"));
}

/// Why an attempt got no answer.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Transport(reqwest::Error),
    #[error("{0}")]
    Middleware(BoxError),
    #[error("no answer within {0:?}")]
    TimedOut(Duration),
}

impl Failure {
    /// Whether the attempt may be retried: the connection failed before any answer (refused,
    /// reset or closed early).
    fn retried(&self) -> bool {
        matches!(self, Failure::Transport(e) if e.is_connect() || (e.is_request() && !e.is_timeout()))
    }

    /// The span's `error.type`.
    fn kind(&self) -> &'static str {
        match self {
            Failure::Transport(e) if e.is_timeout() => "timeout",
            Failure::Transport(e) if e.is_connect() => "connect",
            Failure::Transport(_) => "transport",
            Failure::Middleware(_) => "middleware",
            Failure::TimedOut(_) => "timeout",
        }
    }
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Transport(e) => Error::Transport(e.without_url()),
            Failure::Middleware(e) => Error::Middleware(e),
            Failure::TimedOut(limit) => Error::TimedOut(limit),
        }
    }
}

/// What [`Client::send_streaming`] received: a binary success not yet read, or an answer read
/// whole.
#[derive(Debug)]
pub enum Answer {
    /// A binary success, its body not read yet.
    Download(Response<Download>),
    /// Any other answer, read whole.
    Read(RawResponse),
}

impl Client {
    /// The base URL requests go to, with server variables filled in.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// This client with `options` in place of its own timeout and retry policy, and their
    /// headers added: for one call, `client.with(options).list_pets().await`. Cheap: the
    /// connection pool and the credentials are shared.
    pub fn with(&self, options: CallOptions) -> Client {
        let mut inner = (*self.inner).clone();
        if let Some(timeout) = options.timeout {
            inner.timeout = timeout;
        }
        if let Some(retry) = options.retry {
            inner.retry = retry;
        }
        inner.call_headers.extend(options.headers);
        Client {
            inner: Arc::new(inner),
            follow: self.follow.clone(),
        }
    }

    /// Whether requests send `readOnly` properties ([`ClientBuilder::send_read_only`]).
    pub fn sends_read_only(&self) -> bool {
        self.inner.send_read_only
    }

    /// This client, its requests sent to `next` (the URL of a list's next page, absolute or
    /// relative to the base URL) with the query `next` has in place of the one the caller's
    /// parameters make. A URL that is not under the base URL is refused: a server cannot send
    /// the client's credentials elsewhere.
    pub fn following<E>(&self, next: &str) -> Result<Client, Error<E>> {
        let refused = |why: String| Error::Walk { reason: why };
        let base = Url::parse(&format!("{}/", self.inner.base))
            .map_err(|e| refused(format!("the base URL does not parse: {e}")))?;
        let url = base
            .join(next)
            .map_err(|e| refused(format!("the next page's URL {next:?} does not parse: {e}")))?;
        let root = base.path().trim_end_matches('/');
        let under = url.origin() == base.origin()
            && url.path().starts_with(root)
            && url.path()[root.len()..].starts_with('/');
        if !under {
            return Err(refused(format!(
                "the next page's URL {url} is not under the client's base URL {}",
                self.inner.base
            )));
        }
        let mut rest = url.path()[root.len()..].to_owned();
        if let Some(query) = url.query() {
            rest.push('?');
            rest.push_str(query);
        }
        Ok(Client {
            inner: Arc::clone(&self.inner),
            follow: Some(rest),
        })
    }

    /// What a stream of server-sent events needs to reconnect after its connection breaks:
    /// `None` when the retry policy does not allow `parts`' method again (POST, unless
    /// `retry_non_idempotent` is set), allows no retry, or the body can be sent only once.
    pub fn reconnect(&self, parts: &RequestParts) -> Option<Reconnect> {
        let policy = &self.inner.retry;
        let once = parts.body.as_ref().is_some_and(Body::is_stream);
        (policy.allows(&parts.method) && policy.max_retries > 0 && !once).then(|| Reconnect {
            client: self.clone(),
            parts: parts.clone(),
        })
    }

    /// Starts a request to `path` (already encoded) under the base URL.
    pub fn request(&self, method: Method, path: String) -> RequestParts {
        RequestParts {
            method,
            followed: self.follow.is_some(),
            path: self.follow.clone().unwrap_or(path),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security: None,
            operation: None,
        }
    }

    /// The credentials `parts` asks for, ready to send (token sources asked).
    async fn credentials<E>(&self, parts: &RequestParts) -> Result<Vec<Credential>, Error<E>> {
        let chosen = choose(&self.inner.auth, parts.security)
            .map_err(|needed| Error::MissingCredentials { needed })?;
        let mut out = Vec::with_capacity(chosen.len());
        for auth in chosen {
            out.push(auth.credential().await.map_err(Error::Credentials)?);
        }
        Ok(out)
    }

    fn build<E>(
        &self,
        parts: &RequestParts,
        credentials: &[Credential],
        streaming: bool,
    ) -> Result<reqwest::Request, Error<E>> {
        let mut url = Url::parse(&format!("{}{}", self.inner.base, parts.path)).map_err(|e| {
            Error::InvalidParameter {
                name: "path".into(),
                reason: e.to_string(),
            }
        })?;
        let mut query = if parts.followed {
            Vec::new()
        } else {
            parts.query.clone()
        };
        let mut cookies = parts.cookies.clone();
        let mut headers = self.inner.headers.clone();
        for (name, _) in &self.inner.call_headers {
            headers.remove(header_name_of::<E>(name)?);
        }
        for (name, value) in &self.inner.call_headers {
            let mut value = header_value_of(name, value)?;
            value.set_sensitive(true);
            headers.append(header_name_of(name)?, value);
        }
        for credential in credentials {
            match credential {
                Credential::Header { name, value } => {
                    let mut value = header_value_of(name, value)?;
                    value.set_sensitive(true);
                    headers.insert(header_name_of(name)?, value);
                }
                Credential::Query { name, value } => {
                    query.extend(query_parts(name, value, Style::QUERY)?);
                }
                Credential::Cookie { name, value } => {
                    cookies.push((name.clone(), crate::params::cookie_text(value)));
                }
            }
        }
        if !query.is_empty() {
            // A query the path has (a followed URL's, `/responses?beta=true`) stays in front.
            let joined = match url.query().filter(|q| !q.is_empty()) {
                Some(there) => format!("{there}&{}", query.join("&")),
                None => query.join("&"),
            };
            url.set_query(Some(&joined));
        }
        let mut request = reqwest::Request::new(parts.method.clone(), url);
        // A streamed body or answer may take longer than any request should: it is limited
        // while the answer's head is awaited (see `execute`), not while bytes flow.
        if !streaming {
            *request.timeout_mut() = self.inner.timeout;
        }
        if parts
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
        {
            headers.remove(ACCEPT);
        }
        for (name, value) in &parts.headers {
            headers.append(header_name_of(name)?, header_value_of(name, value)?);
        }
        if !cookies.is_empty() {
            // A `Cookie` default header keeps its cookies, in front of the request's.
            let mut line: Vec<String> = headers
                .get_all(COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect();
            line.extend(cookies.iter().map(|(k, v)| format!("{k}={v}")));
            let mut value = header_value_of("cookie", &line.join("; "))?;
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        *request.headers_mut() = headers;
        if let Some(body) = &parts.body {
            self.attach_body(&mut request, body)?;
        }
        Ok(request)
    }

    fn attach_body<E>(&self, request: &mut reqwest::Request, body: &Body) -> Result<(), Error<E>> {
        let used = || Error::InvalidParameter {
            name: "body".into(),
            reason: "a streamed body was already sent".into(),
        };
        let content = match &body.payload {
            Payload::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            Payload::Upload(upload) => match &upload.data {
                crate::body::Data::Bytes(b) => reqwest::Body::from(b.clone()),
                crate::body::Data::Stream(s) => s.take().ok_or_else(used)?,
            },
            Payload::Multipart(form) => {
                let form =
                    form.to_form()
                        .ok_or_else(used)?
                        .map_err(|e| Error::InvalidParameter {
                            name: "body".into(),
                            reason: e.to_string(),
                        })?;
                let media_type = body
                    .content_type
                    .as_deref()
                    .unwrap_or("multipart/form-data");
                let content_type = format!("{media_type}; boundary={}", form.boundary());
                request.headers_mut().insert(
                    CONTENT_TYPE,
                    header_value_of("content-type", &content_type)?,
                );
                *request.body_mut() = Some(reqwest::Body::wrap_stream(form.into_stream()));
                return Ok(());
            }
        };
        if let Some(content_type) = &body.content_type {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, header_value_of("content-type", content_type)?);
        }
        *request.body_mut() = Some(content);
        Ok(())
    }

    /// Sends the request, retrying as the policy allows, and returns the answer unread.
    async fn execute<E>(
        &self,
        parts: &RequestParts,
        streamed_answer: bool,
    ) -> Result<reqwest::Response, Error<E>> {
        crate::trace::call(parts.operation, self.attempts(parts, streamed_answer)).await
    }

    async fn attempts<E>(
        &self,
        parts: &RequestParts,
        streamed_answer: bool,
    ) -> Result<reqwest::Response, Error<E>> {
        let credentials = self.credentials(parts).await?;
        let secret_query: Vec<&str> = credentials
            .iter()
            .filter_map(Credential::query_name)
            .collect();
        let policy = &self.inner.retry;
        let streamed_body = parts.body.as_ref().is_some_and(Body::is_stream);
        // A streamed body can be sent once.
        let may_retry = policy.allows(&parts.method) && !streamed_body;
        let streaming = streamed_body || streamed_answer;
        // The head of a download must come in time; its body may take as long as it takes.
        let head_limit = self
            .inner
            .timeout
            .filter(|_| streamed_answer && !streamed_body);
        let mut retry = 0;
        loop {
            let mut request = self.build(parts, &credentials, streaming)?;
            let attempts_left = may_retry && retry < policy.max_retries;
            let attempt = Attempt {
                operation: parts.operation,
                resend_count: retry,
            };
            let span = AttemptSpan::start(&request, &attempt, &secret_query);
            span.propagate(request.headers_mut());
            let answer = span.run(self.attempt(request, &attempt, head_limit)).await;
            let (reason, headers) = match answer {
                Ok(response) => {
                    span.answered(response.status().as_u16());
                    if !(attempts_left && RetryPolicy::retries_status(response.status())) {
                        return Ok(response);
                    }
                    (format!("status {}", response.status()), Some(response))
                }
                Err(failure) => {
                    span.failed(failure.kind());
                    if !(attempts_left && failure.retried()) {
                        return Err(failure.into());
                    }
                    (failure.to_string(), None)
                }
            };
            let delay = policy.delay(retry, headers.as_ref().map(reqwest::Response::headers));
            retry += 1;
            crate::trace::retrying(&reason, delay, retry);
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: the request through the middleware and over the network, its answer's
    /// head awaited for `head_limit` at most.
    async fn attempt(
        &self,
        request: reqwest::Request,
        attempt: &Attempt,
        head_limit: Option<Duration>,
    ) -> Result<reqwest::Response, Failure> {
        let sent = async {
            match (&self.inner.transport, self.inner.layers.0.is_empty()) {
                // Nothing between the client and the network: no box, no dynamic call.
                (Transport::Reqwest(http), true) => {
                    http.execute(request).await.map_err(Failure::Transport)
                }
                (transport, _) => Next::new(&self.inner.layers.0, attempt, transport)
                    .run(request)
                    .await
                    .map_err(|e| match e.downcast::<reqwest::Error>() {
                        Ok(e) => Failure::Transport(*e),
                        Err(e) => Failure::Middleware(e),
                    }),
            }
        };
        match head_limit {
            Some(limit) => tokio::time::timeout(limit, sent)
                .await
                .map_err(|_| Failure::TimedOut(limit))?,
            None => sent.await,
        }
    }

    /// Sends the request, retrying as the policy allows, and reads the whole answer.
    pub async fn send<E>(&self, parts: RequestParts) -> Result<RawResponse, Error<E>> {
        RawResponse::read(self.execute(&parts, false).await?).await
    }

    /// Sends the request; an answer that `streamed` picks by its status and its media type
    /// (the `Content-Type` without parameters, in lower case), a binary success, is returned
    /// unread, as a [`Download`]; any other is read whole.
    pub async fn send_streaming<E>(
        &self,
        parts: RequestParts,
        streamed: impl Fn(u16, Option<&str>) -> bool,
    ) -> Result<Answer, Error<E>> {
        let response = self.execute(&parts, true).await?;
        let media = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase());
        if streamed(response.status().as_u16(), media.as_deref()) {
            let (status, headers) = (response.status(), response.headers().clone());
            let body = Download::new(response);
            return Ok(Answer::Download(Response::new(status, headers, body)));
        }
        Ok(Answer::Read(RawResponse::read(response).await?))
    }
}

fn header_name_of<E>(name: &str) -> Result<HeaderName, Error<E>> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidParameter {
        name: name.to_owned(),
        reason: e.to_string(),
    })
}

fn header_value_of<E>(name: &str, value: &str) -> Result<HeaderValue, Error<E>> {
    HeaderValue::from_str(value).map_err(|e| Error::InvalidParameter {
        name: name.to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let client = ClientBuilder::new("https://{sub}.example.com/v1/")
            .server_variable("sub", "acme")
            .auth("bearer", Auth::Bearer("tok-123".into()))
            .auth(
                "session",
                Auth::Header {
                    name: "x-session-token".into(),
                    value: "key-456".into(),
                },
            )
            .auth(
                "key",
                Auth::Query {
                    name: "api_key".into(),
                    value: "q-789".into(),
                },
            )
            .default_header("x-custom", "hdr-000")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://acme.example.com/v1");
        let shown = format!("{client:?}");
        for secret in ["tok-123", "key-456", "q-789", "hdr-000"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn unset_server_variables_are_a_build_error() {
        let err = ClientBuilder::new("https://{sub}.example.com")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("{variable}"), "{err}");
        assert!(
            ClientBuilder::new("https://h")
                .default_header("bad name", "v")
                .build()
                .is_err()
        );
    }

    fn body_bytes(parts: &RequestParts) -> &[u8] {
        match parts.body.as_ref().map(|b| &b.payload) {
            Some(Payload::Bytes(bytes)) => bytes,
            other => panic!("not bytes: {other:?}"),
        }
    }

    #[test]
    fn the_stream_flag_is_set_in_json_forms_and_multipart_forms() {
        let client = ClientBuilder::new("https://h").build().unwrap();
        let body = serde_json::json!({"model": "m 1", "stream": false});
        let mut json = client.request(Method::POST, "/".into());
        json.json::<_, ()>(&body).unwrap();
        json.stream_flag("stream");
        let sent: serde_json::Value = serde_json::from_slice(body_bytes(&json)).unwrap();
        assert_eq!(sent, serde_json::json!({"model": "m 1", "stream": true}));

        let mut form = client.request(Method::POST, "/".into());
        form.form::<_, ()>(&body, &[]).unwrap();
        form.stream_flag("stream");
        assert_eq!(body_bytes(&form), b"model=m%201&stream=true");

        let mut parts = Multipart::new();
        parts.field::<_, ()>("stream", &false).unwrap();
        parts.field::<_, ()>("model", "m 1").unwrap();
        let mut multipart = client.request(Method::POST, "/".into());
        multipart.multipart(parts, "multipart/form-data");
        multipart.stream_flag("stream");
        let mut expected = Multipart::new();
        expected.field::<_, ()>("model", "m 1").unwrap();
        expected.field::<_, ()>("stream", "true").unwrap();
        match &multipart.body.as_ref().unwrap().payload {
            Payload::Multipart(sent) => assert_eq!(sent, &expected),
            other => panic!("not multipart: {other:?}"),
        }
    }

    #[test]
    fn the_operations_accept_takes_the_place_of_a_default_one() {
        let client = ClientBuilder::new("https://h")
            .default_header("accept", "text/html")
            .build()
            .unwrap();
        let plain = client.request(Method::GET, "/".into());
        let built = client.build::<()>(&plain, &[], false).unwrap();
        assert_eq!(built.headers().get_all(ACCEPT).iter().count(), 1);
        assert_eq!(built.headers()[ACCEPT], "text/html");
        let mut documented = client.request(Method::GET, "/".into());
        documented.accept("application/json, application/problem+json");
        let built = client.build::<()>(&documented, &[], false).unwrap();
        let sent: Vec<_> = built.headers().get_all(ACCEPT).iter().collect();
        assert_eq!(sent, ["application/json, application/problem+json"]);
    }
}
