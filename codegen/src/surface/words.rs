//! How changes are said: items named the way the crates name them.

use super::{Attr, Entry, Kind};

/// `text` as code.
pub(super) fn code(text: &str) -> String {
    format!("`{text}`")
}

/// `Pet.name` → `Pet::name`.
pub(super) fn path(key: &str) -> String {
    key.replacen('.', "::", 1)
}

/// How an item is named in words.
pub(super) fn subject(kind: Kind, key: &str) -> String {
    match kind {
        Kind::Argument | Kind::Parameter => {
            let (op, name) = key.split_once('.').unwrap_or((key, key));
            format!("`{op}`: parameter `{name}`")
        }
        Kind::Media => {
            let (op, name) = key.split_once('.').unwrap_or((key, key));
            format!("`{op}`: body variant `{name}`")
        }
        Kind::Success | Kind::Error => {
            let (op, status) = key.split_once('.').unwrap_or((key, key));
            format!("`{op}`: answer {status}")
        }
        Kind::Operation | Kind::Body | Kind::Returns | Kind::Security => format!("`{key}`"),
        Kind::Variable | Kind::Credential => format!("`ClientBuilder::{key}`"),
        Kind::Field => code(&path(key)),
        _ => format!("{} `{key}`", kind.word()),
    }
}

pub(super) fn op_of(key: &str) -> String {
    code(key.split('.').next().unwrap_or(key))
}

pub(super) fn value_text(e: &Entry) -> String {
    match &e.value {
        Some(v) => match serde_json::from_str::<String>(v) {
            Ok(s) => code(&s),
            Err(_) => code(v),
        },
        None => "nothing".to_owned(),
    }
}

pub(super) fn param_text(key: &str, e: &Entry) -> String {
    let name = key.rsplit('.').next().unwrap_or(key);
    let place = e
        .place()
        .map(|f| format!(" ({})", f.to_string().replace('"', "`")))
        .unwrap_or_default();
    format!("`{name}`{place}")
}

pub(super) fn answer_text(key: &str, e: &Entry) -> String {
    let status = key.rsplit('.').next().unwrap_or(key);
    let variant = e
        .attr(Attr::Variant)
        .map(|v| format!(" `{v}`"))
        .unwrap_or_default();
    format!("{status}{variant} (`{}`)", e.ty.as_deref().unwrap_or("()"))
}

/// A value's literal or a variant's type, after its name.
pub(super) fn detail(e: &Entry) -> String {
    match (&e.value, &e.ty) {
        (Some(v), _) => format!(" ({})", code(v)),
        (None, Some(t)) => format!(" (`{t}`)"),
        (None, None) => String::new(),
    }
}
