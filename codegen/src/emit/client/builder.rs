//! The client's builder: preset from the spec's first server, with a setter per server
//! variable and per security scheme.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::code;
use crate::emit::{doc_attrs, ident};
use crate::ir::{Api, Security, SecurityKind, Server, ServerVariable};

/// `text`, then the spec's description after a blank line, as docs.
fn with_description(text: &str, description: Option<&str>) -> TokenStream {
    let more = description.map(|d| format!("\n\n{d}")).unwrap_or_default();
    doc_attrs(Some(&format!("{text}{more}")))
}

fn variable_setter(v: &ServerVariable) -> TokenStream {
    let (name, default, setter) = (&v.name, &v.default, ident(&v.rust));
    let doc = with_description(
        &format!(
            "Sets the server variable {} (default {}).",
            code(&format!("{{{name}}}")),
            code(default)
        ),
        v.description.as_deref(),
    );
    quote! {
        #doc
        pub fn #setter(self, value: impl Into<String>) -> Self {
            ClientBuilder(self.0.server_variable(#name, value))
        }
    }
}

/// The setters of one security scheme: its credential, and a token source where tokens change.
fn security_setters(s: &Security) -> TokenStream {
    let (scheme, setter) = (&s.scheme, ident(&s.rust));
    let named = code(scheme);
    let doc = |what: String| with_description(&what, s.description.as_deref());
    let api_key = |auth: TokenStream, what: String| {
        let doc = doc(what);
        quote! {
            #doc
            pub fn #setter(self, value: impl Into<Secret>) -> Self {
                ClientBuilder(self.0.auth(#scheme, #auth))
            }
        }
    };
    match &s.kind {
        SecurityKind::Bearer => {
            let doc = doc(format!(
                "Sends `Authorization: Bearer <token>` where security scheme {named} is required."
            ));
            let source = ident(&s.tokens_rust);
            let source_doc = doc_attrs(Some(&format!(
                "Asks `source` for a bearer token before each request that needs security scheme\n{named}, so that it can refresh expired tokens."
            )));
            quote! {
                #doc
                pub fn #setter(self, value: impl Into<Secret>) -> Self {
                    ClientBuilder(self.0.auth(#scheme, Auth::Bearer(value.into())))
                }

                #source_doc
                pub fn #source(self, source: impl TokenSource + 'static) -> Self {
                    ClientBuilder(self.0.auth(#scheme, Auth::tokens(source)))
                }
            }
        }
        SecurityKind::Basic => {
            let doc = doc(format!(
                "Sends HTTP basic credentials where security scheme {named} is required."
            ));
            quote! {
                #doc
                pub fn #setter(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
                    let auth = Auth::Basic { username: username.into(), password: password.into() };
                    ClientBuilder(self.0.auth(#scheme, auth))
                }
            }
        }
        SecurityKind::ApiKeyHeader(h) => api_key(
            quote!(Auth::Header { name: #h.to_owned(), value: value.into() }),
            format!(
                "Sends the API key in the {} header where security scheme {named} is required.",
                code(h)
            ),
        ),
        SecurityKind::ApiKeyQuery(q) => api_key(
            quote!(Auth::Query { name: #q.to_owned(), value: value.into() }),
            format!(
                "Sends the API key as the {} query parameter where security scheme {named} is required.",
                code(q)
            ),
        ),
        SecurityKind::ApiKeyCookie(c) => api_key(
            quote!(Auth::Cookie { name: #c.to_owned(), value: value.into() }),
            format!(
                "Sends the API key in the {} cookie where security scheme {named} is required.",
                code(c)
            ),
        ),
    }
}

/// `DEFAULT_BASE_URL`, the first server's URL with its variables' defaults, and for a server
/// with variables `BASE_URL_TEMPLATE`, the URL as the spec writes it.
fn base_url_constants(server: Option<&Server>) -> TokenStream {
    let Some(server) = server else {
        return quote! {
            /// The spec names no server: set one with [`ClientBuilder::base_url`].
            pub const DEFAULT_BASE_URL: &str = "";
        };
    };
    let url = server.default_url();
    let doc = format!("The spec's first server: {}.", code(&url));
    let described = server.description.as_deref();
    if server.variables.is_empty() {
        let doc = with_description(&doc, described);
        return quote!(#doc pub const DEFAULT_BASE_URL: &str = #url;);
    }
    let template = &server.url;
    let doc = with_description(
        &format!("{doc} Its variables' defaults fill [`BASE_URL_TEMPLATE`]."),
        described,
    );
    let template_doc = doc_attrs(Some(&format!(
        "The spec's first server as a template: {}, whose variables the builder's setters fill.",
        code(template)
    )));
    quote! {
        #doc
        pub const DEFAULT_BASE_URL: &str = #url;

        #template_doc
        pub const BASE_URL_TEMPLATE: &str = #template;
    }
}

pub(super) fn emit_builder(api: &Api) -> TokenStream {
    let server = api.servers.first();
    let variables = server.iter().flat_map(|s| &s.variables);
    let presets = variables.clone().map(|v| {
        let (name, default) = (&v.name, &v.default);
        quote!(.server_variable(#name, #default))
    });
    let setters = variables
        .map(variable_setter)
        .chain(api.security.iter().map(security_setters));
    let user_agent = format!("{}/", api.crates.client);
    let constants = base_url_constants(server);
    let base = match server.is_some_and(|s| !s.variables.is_empty()) {
        true => quote!(BASE_URL_TEMPLATE),
        false => quote!(DEFAULT_BASE_URL),
    };
    let transport = transport_settings();
    let read_only = api.sends_read_only().then(|| {
        quote! {
            /// Whether requests send what the server owns (the spec's `readOnly` properties)
            /// when a value holds it, a value received and sent back, say. By default they
            /// leave it out.
            pub fn send_read_only(self, send: bool) -> Self {
                ClientBuilder(self.0.send_read_only(send))
            }
        }
    });
    quote! {
        #constants

        /// Settings of a [`Client`]: base URL, credentials, timeouts, retries.
        #[derive(Debug, Clone)]
        pub struct ClientBuilder(client_runtime::ClientBuilder);

        impl Default for ClientBuilder {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ClientBuilder {
            /// The spec's first server with its variables' defaults, no credentials, a 30 s
            /// timeout and the default [`RetryPolicy`].
            pub fn new() -> Self {
                ClientBuilder(
                    client_runtime::ClientBuilder::new(#base)
                        #( #presets )*
                        .user_agent(concat!(#user_agent, env!("CARGO_PKG_VERSION"))),
                )
            }

            /// Replaces the base URL (a test server, a proxy, another host).
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder(self.0.base_url(url))
            }

            #( #setters )*

            /// Sets the credential of a security scheme by its name in the spec, for schemes
            /// without a setter of their own.
            pub fn auth(self, scheme: &str, auth: Auth) -> Self {
                ClientBuilder(self.0.auth(scheme, auth))
            }

            /// Adds a header to every request, e.g. credentials of a kind the spec does not declare.
            pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                ClientBuilder(self.0.default_header(name, value))
            }

            #read_only

            #transport
        }
    }
}

/// The builder's settings of how requests travel, and `build`: the same for every API.
fn transport_settings() -> TokenStream {
    quote! {
    /// Sends through this `reqwest::Client` instead of one built here.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        ClientBuilder(self.0.http_client(client))
    }

    /// The `User-Agent` header of every request, instead of this crate's name and version.
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        ClientBuilder(self.0.user_agent(user_agent))
    }

    /// The limit for each attempt of a request; `None` for no limit.
    pub fn timeout(self, timeout: Option<std::time::Duration>) -> Self {
        ClientBuilder(self.0.timeout(timeout))
    }

    /// The connect limit of the `reqwest::Client` built here.
    pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
        ClientBuilder(self.0.connect_timeout(timeout))
    }

    /// Which requests are retried, how often and how long apart (by default
    /// [`RetryPolicy::default`]: three retries of idempotent methods on 429 and 503).
    pub fn retry(self, policy: RetryPolicy) -> Self {
        ClientBuilder(self.0.retry(policy))
    }

    /// Turns retries off.
    pub fn no_retries(self) -> Self {
        ClientBuilder(self.0.no_retries())
    }

    /// Adds code that sees every attempt's request before it is sent and its answer after
    /// ([`Middleware`]); those added first see the request first.
    pub fn middleware(self, middleware: impl Middleware) -> Self {
        ClientBuilder(self.0.middleware(middleware))
    }

    /// Sends through a `reqwest_middleware::ClientWithMiddleware` (feature
    /// `reqwest-middleware`), whose layers find the [`Operation`] and the [`Attempt`] in the
    /// request's extensions; it takes the place of [`ClientBuilder::http_client`].
    pub fn middleware_client(self, client: impl Layered) -> Self {
        ClientBuilder(self.0.middleware_client(client))
    }

    /// The client; fails when the base URL or a header cannot be used.
    ///
    /// # Errors
    ///
    /// [`BuildError`] names what could not be used.
    pub fn build(self) -> Result<Client, BuildError> {
        Ok(Client { runtime: self.0.build()? })
    }
    }
}
