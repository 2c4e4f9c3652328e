//! Credentials: one per security scheme of the spec, applied to the operations that ask for it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A token or key. Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret holding `value`.
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

/// An error of the caller's own code, such as a token source's.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, BoxError>> + Send + 'a>>;

/// Where bearer tokens come from when they change (OAuth 2, OpenID Connect): asked before each
/// request that needs one, so that it can refresh an expired token. Any
/// `Fn() -> impl Future<Output = Result<Secret, BoxError>>` is one.
pub trait TokenSource: Send + Sync {
    /// The token to send with the next request.
    fn token(&self) -> TokenFuture<'_>;
}

impl<F, Fut> TokenSource for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Secret, BoxError>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self())
    }
}

/// One way of proving who calls, for one security scheme.
#[derive(Clone)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer(Secret),
    /// Bearer tokens asked of the caller's [`TokenSource`] for each request.
    Tokens(Arc<dyn TokenSource>),
    /// HTTP basic: `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key in a header.
    Header {
        /// The header's name.
        name: String,
        /// The key.
        value: Secret,
    },
    /// An API key in the query string.
    Query {
        /// The query parameter's name.
        name: String,
        /// The key.
        value: Secret,
    },
    /// An API key in a cookie.
    Cookie {
        /// The cookie's name.
        name: String,
        /// The key.
        value: Secret,
    },
}

impl Auth {
    /// Bearer tokens from `source`, asked for before each request that needs one.
    pub fn tokens(source: impl TokenSource + 'static) -> Auth {
        Auth::Tokens(Arc::new(source))
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
            Auth::Tokens(_) => f.write_str("Tokens(..)"),
            Auth::Basic { username, .. } => write!(f, "Basic({username}:***)"),
            Auth::Header { name, .. } => write!(f, "Header({name}: ***)"),
            Auth::Query { name, .. } => write!(f, "Query({name}=***)"),
            Auth::Cookie { name, .. } => write!(f, "Cookie({name}=***)"),
        }
    }
}

/// A credential ready to be put on a request (a token source asked).
#[derive(Clone)]
pub(crate) enum Credential {
    Header { name: String, value: String },
    Query { name: String, value: String },
    Cookie { name: String, value: String },
}

impl Credential {
    /// The query parameter's name, for a credential sent in the query.
    pub(crate) fn query_name(&self) -> Option<&str> {
        match self {
            Credential::Query { name, .. } => Some(name),
            _ => None,
        }
    }
}

impl Auth {
    /// The credential for one request.
    pub(crate) async fn credential(&self) -> Result<Credential, BoxError> {
        Ok(match self {
            Auth::Bearer(token) => bearer(token),
            Auth::Tokens(source) => bearer(&source.token().await?),
            Auth::Basic { username, password } => {
                use base64::Engine as _;
                let pair = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Credential::Header {
                    name: "authorization".to_owned(),
                    value: format!("Basic {encoded}"),
                }
            }
            Auth::Header { name, value } => Credential::Header {
                name: name.clone(),
                value: value.expose().to_owned(),
            },
            Auth::Query { name, value } => Credential::Query {
                name: name.clone(),
                value: value.expose().to_owned(),
            },
            Auth::Cookie { name, value } => Credential::Cookie {
                name: name.clone(),
                value: value.expose().to_owned(),
            },
        })
    }
}

fn bearer(token: &Secret) -> Credential {
    Credential::Header {
        name: "authorization".to_owned(),
        value: format!("Bearer {}", token.expose()),
    }
}

/// The credentials an operation's security requirements pick among those configured, by scheme
/// name: the first alternative whose schemes are all configured; an empty alternative (no
/// credential needed) only when no other is. `None` requirements (a spec that declares no
/// security anywhere) pick every one.
pub(crate) fn choose<'a>(
    configured: &'a std::collections::BTreeMap<String, Auth>,
    requirements: Option<&[&[&str]]>,
) -> Result<Vec<&'a Auth>, String> {
    let Some(alternatives) = requirements else {
        return Ok(configured.values().collect());
    };
    // `security: []`: the operation needs no credential.
    if alternatives.is_empty() {
        return Ok(Vec::new());
    }
    let usable = |a: &&&[&str]| a.iter().all(|s| configured.contains_key(*s));
    let chosen = alternatives
        .iter()
        .filter(|a| !a.is_empty())
        .find(usable)
        .or_else(|| alternatives.iter().find(|a| a.is_empty()));
    if let Some(alternative) = chosen {
        return Ok(alternative.iter().map(|s| &configured[*s]).collect());
    }
    let needed: Vec<String> = alternatives
        .iter()
        .map(|a| {
            a.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    Err(needed.join(", or "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn configured(names: &[&str]) -> BTreeMap<String, Auth> {
        names
            .iter()
            .map(|n| ((*n).to_owned(), Auth::Bearer(format!("t-{n}").into())))
            .collect()
    }

    fn chosen(names: &[&str], requirements: Option<&[&[&str]]>) -> Result<usize, String> {
        choose(&configured(names), requirements).map(|c| c.len())
    }

    #[test]
    fn the_first_configured_alternative_wins() {
        let alternatives: &[&[&str]] = &[&["oauth"], &["key", "secret"], &[]];
        assert_eq!(chosen(&["oauth", "key"], Some(alternatives)), Ok(1));
        assert_eq!(chosen(&["key", "secret"], Some(alternatives)), Ok(2));
        // Only part of an alternative is configured: the empty one sends nothing.
        assert_eq!(chosen(&["key"], Some(alternatives)), Ok(0));
        // An empty alternative listed first still lets a configured one be sent.
        assert_eq!(chosen(&["oauth"], Some(&[&[], &["oauth"]])), Ok(1));
        assert_eq!(chosen(&[], Some(&[&[], &["oauth"]])), Ok(0));
        // `security: []`: no credential, whatever is configured.
        assert_eq!(chosen(&["oauth"], Some(&[])), Ok(0));
        assert_eq!(chosen(&["oauth"], Some(&[&[]])), Ok(0));
        let needed = chosen(&[], Some(&[&["oauth"], &["key", "secret"]])).unwrap_err();
        assert_eq!(needed, "`oauth`, or `key` and `secret`");
        // No requirement declared anywhere: everything configured is sent.
        assert_eq!(chosen(&["a", "b"], None), Ok(2));
    }

    #[tokio::test]
    async fn basic_and_token_sources() {
        let basic = Auth::Basic {
            username: "ann".into(),
            password: "pw".into(),
        };
        let Credential::Header { value, .. } = basic.credential().await.unwrap() else {
            panic!("a header");
        };
        assert_eq!(value, "Basic YW5uOnB3");
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        let tokens = Auth::tokens(move || {
            let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok(Secret::new(format!("tok-{n}"))) }
        });
        for want in ["Bearer tok-0", "Bearer tok-1"] {
            let Credential::Header { value, .. } = tokens.credential().await.unwrap() else {
                panic!("a header");
            };
            assert_eq!(value, want);
        }
        assert!(!format!("{basic:?}").contains("pw"));
    }
}
