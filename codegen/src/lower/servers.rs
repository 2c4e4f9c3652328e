//! The spec's servers and the security schemes a client can be configured with.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use crate::docs::prose_of;
use crate::ir::{Security, SecurityKind, Server, ServerVariable};

pub(crate) fn servers(doc: &OpenAPI) -> Vec<Server> {
    doc.servers
        .iter()
        .map(|s| Server {
            url: s.url.clone(),
            description: prose_of(&s.description),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    rust: String::new(),
                    default: v.default.clone(),
                    description: prose_of(&v.description),
                })
                .collect(),
        })
        .collect()
}

/// The security schemes a client has setters for, sorted by key: bearer-like schemes (HTTP
/// bearer, OAuth 2, OpenID Connect), HTTP basic, and API keys in a header, the query or a
/// cookie. Others (HTTP digest, say) are set with the builder's `auth`.
pub(crate) fn security_schemes(doc: &OpenAPI) -> Vec<Security> {
    let Some(components) = &doc.components else {
        return Vec::new();
    };
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by(|a, b| a.0.cmp(b.0));
    schemes
        .into_iter()
        .filter_map(|(key, scheme)| {
            let ReferenceOr::Item(scheme) = scheme else {
                return None;
            };
            let (kind, description) = kind(scheme)?;
            Some(Security {
                scheme: key.clone(),
                rust: String::new(),
                tokens_rust: String::new(),
                kind,
                description: prose_of(description),
            })
        })
        .collect()
}

fn kind(scheme: &SecurityScheme) -> Option<(SecurityKind, &Option<String>)> {
    Some(match scheme {
        SecurityScheme::HTTP {
            scheme,
            description,
            ..
        } if scheme.eq_ignore_ascii_case("bearer") => (SecurityKind::Bearer, description),
        SecurityScheme::HTTP {
            scheme,
            description,
            ..
        } if scheme.eq_ignore_ascii_case("basic") => (SecurityKind::Basic, description),
        SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIDConnect { description, .. } => (SecurityKind::Bearer, description),
        SecurityScheme::APIKey {
            location: APIKeyLocation::Header,
            name,
            description,
            ..
        } => (SecurityKind::ApiKeyHeader(name.clone()), description),
        SecurityScheme::APIKey {
            location: APIKeyLocation::Query,
            name,
            description,
            ..
        } => (SecurityKind::ApiKeyQuery(name.clone()), description),
        SecurityScheme::APIKey {
            location: APIKeyLocation::Cookie,
            name,
            description,
            ..
        } => (SecurityKind::ApiKeyCookie(name.clone()), description),
        _ => return None,
    })
}
