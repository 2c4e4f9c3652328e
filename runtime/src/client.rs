//! The configured client: base URL, auth, default headers, timeouts, retries; and the send loop.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, Url};

use crate::error::{BuildError, Error, RawResponse};
use crate::params::{header_values, query_pairs};
use crate::retry::RetryPolicy;

/// A token or key. Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for sending.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<S: Into<String>> From<S> for Secret {
    fn from(value: S) -> Self {
        Secret::new(value)
    }
}

/// One way of proving who calls, from the spec's security schemes.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// An API key in a header.
    Header { name: String, value: Secret },
    /// An API key in the query string.
    Query { name: String, value: Secret },
}

/// Settings of a [`Client`]. Generated crates preset the base URL and name the auth setters
/// after their security schemes.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    variables: BTreeMap<String, String>,
    auth: Vec<Auth>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// A builder for the server at `base_url`, which may hold `{variables}`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            variables: BTreeMap::new(),
            auth: Vec::new(),
            headers: Vec::new(),
            http: None,
            user_agent: concat!("client-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
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

    /// Adds an auth method; each is applied to every request.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth.push(auth);
        self
    }

    /// Adds a header sent with every request (for APIs whose specs declare no auth).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this `reqwest::Client` (its pool, proxy, TLS settings) instead of building one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

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

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns retrying off.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

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
        for auth in &self.auth {
            let (name, value) = match auth {
                Auth::Bearer(token) => (AUTHORIZATION, format!("Bearer {}", token.expose())),
                Auth::Header { name, value } => (
                    HeaderName::from_bytes(name.as_bytes()).map_err(|e| BuildError::Header {
                        name: name.clone(),
                        reason: e.to_string(),
                    })?,
                    value.expose().to_owned(),
                ),
                Auth::Query { .. } => continue,
            };
            let mut value = HeaderValue::from_str(&value).map_err(|_| BuildError::Header {
                name: name.to_string(),
                reason: "the credential is not a valid header value".to_owned(),
            })?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|e| BuildError::Header {
                name: "user-agent".into(),
                reason: e.to_string(),
            })?;
        headers.insert(USER_AGENT, user_agent);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(BuildError::Http)?,
        };
        let query_auth = self
            .auth
            .into_iter()
            .filter_map(|a| match a {
                Auth::Query { name, value } => Some((name, value)),
                _ => None,
            })
            .collect();
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                http,
                headers,
                query_auth,
                timeout: self.timeout,
                retry: self.retry,
            }),
        })
    }
}

/// A configured client; cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base: String,
    http: reqwest::Client,
    /// Default, auth and user-agent headers; values are marked sensitive.
    headers: HeaderMap,
    query_auth: Vec<(String, Secret)>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("headers", &self.inner.headers)
            .field("query_auth", &self.inner.query_auth)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// A request being assembled by a generated method.
#[derive(Debug, Clone)]
pub struct RequestParts {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl RequestParts {
    /// Adds a query parameter (form style, exploded); `None` adds nothing.
    pub fn query<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        self.query.extend(query_pairs(name, value)?);
        Ok(())
    }

    /// Adds a header parameter; an invalid header value is an error.
    pub fn header<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        if let Some(v) = header_values(name, value)? {
            self.headers.push((name.to_owned(), v));
        }
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized, E>(&mut self, body: &T) -> Result<(), Error<E>> {
        self.body = Some(serde_json::to_vec(body).map_err(Error::Encode)?);
        Ok(())
    }
}

impl Client {
    /// The base URL requests go to, with server variables filled in.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// Starts a request to `path` (already encoded) under the base URL.
    pub fn request(&self, method: Method, path: String) -> RequestParts {
        RequestParts {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    fn build<E>(&self, parts: &RequestParts) -> Result<reqwest::Request, Error<E>> {
        let mut url = Url::parse(&format!("{}{}", self.inner.base, parts.path)).map_err(|e| {
            Error::InvalidParameter {
                name: "path".into(),
                reason: e.to_string(),
            }
        })?;
        if !parts.query.is_empty() || !self.inner.query_auth.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &parts.query {
                pairs.append_pair(k, v);
            }
            for (k, v) in &self.inner.query_auth {
                pairs.append_pair(k, v.expose());
            }
        }
        let mut request = reqwest::Request::new(parts.method.clone(), url);
        *request.timeout_mut() = self.inner.timeout;
        let headers = request.headers_mut();
        headers.extend(self.inner.headers.clone());
        for (name, value) in &parts.headers {
            let invalid = |reason: String| Error::InvalidParameter {
                name: name.clone(),
                reason,
            };
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(e.to_string()))?;
            let value = HeaderValue::from_str(value).map_err(|e| invalid(e.to_string()))?;
            headers.append(name, value);
        }
        if let Some(body) = &parts.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *request.body_mut() = Some(body.clone().into());
        }
        Ok(request)
    }

    /// Sends the request, retrying as the policy allows, and reads the whole answer.
    pub async fn send<E>(&self, parts: RequestParts) -> Result<RawResponse, Error<E>> {
        let policy = &self.inner.retry;
        let may_retry = policy.allows(&parts.method);
        let mut retry = 0;
        loop {
            let request = self.build(&parts)?;
            let attempts_left = may_retry && retry < policy.max_retries;
            match self.inner.http.execute(request).await {
                // The connection failed before any answer: refused, reset or closed early.
                Err(e)
                    if attempts_left && (e.is_connect() || (e.is_request() && !e.is_timeout())) =>
                {
                    tokio::time::sleep(policy.delay(retry, None)).await;
                }
                Err(e) => return Err(Error::Transport(e.without_url())),
                Ok(response) if attempts_left && RetryPolicy::retries_status(response.status()) => {
                    tokio::time::sleep(policy.delay(retry, Some(response.headers()))).await;
                }
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = response
                        .bytes()
                        .await
                        .map_err(|e| Error::Transport(e.without_url()))?;
                    return Ok(RawResponse {
                        status,
                        headers,
                        body: body.to_vec(),
                    });
                }
            }
            retry += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let client = ClientBuilder::new("https://{sub}.example.com/v1/")
            .server_variable("sub", "acme")
            .auth(Auth::Bearer("tok-123".into()))
            .auth(Auth::Header {
                name: "x-session-token".into(),
                value: "key-456".into(),
            })
            .auth(Auth::Query {
                name: "api_key".into(),
                value: "q-789".into(),
            })
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
}
