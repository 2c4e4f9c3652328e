//! Turns spec names into Rust identifiers: case conversion, sanitising, keywords, collisions.

use std::collections::BTreeSet;

use crate::ir::Status;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Keywords that cannot name a field, even as a raw identifier.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Strict and reserved keywords of Rust 2024 (usable as `r#kw`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// A comparison a name ends with (Twilio's `DateSent<`, `StartTime>=`), in words: before and
/// after for dates and times, else less and greater than.
fn comparison(name: &str) -> Option<(&str, &'static str)> {
    let ops: [(&str, &str, &str); 5] = [
        ("<=", "on or before", "lte"),
        (">=", "on or after", "gte"),
        ("!=", "not", "not"),
        ("<", "before", "lt"),
        (">", "after", "gt"),
    ];
    let (rest, dated, plain) = ops
        .iter()
        .find_map(|(op, dated, plain)| Some((name.strip_suffix(op)?, *dated, *plain)))?;
    let lower = rest.to_ascii_lowercase();
    let when = ["date", "time", "day", "since", "until"]
        .iter()
        .any(|w| lower.contains(w))
        || rest.ends_with("At")
        || lower.ends_with("_at");
    Some((rest, if when { dated } else { plain }))
}

/// Replaces what cannot be in an identifier with word breaks, spelling out leading signs so
/// that `+1` and `-1` stay distinct, and a comparison at the end.
fn words(raw: &str) -> String {
    let trimmed = raw.trim();
    if let Some((rest, word)) = comparison(trimmed).filter(|(rest, _)| !rest.is_empty()) {
        return format!("{} {word}", words(rest));
    }
    let mut out = String::with_capacity(raw.len());
    let rest = if let Some(r) = trimmed.strip_prefix('+') {
        out.push_str("plus ");
        r
    } else if let Some(r) = trimmed
        .strip_prefix('-')
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        out.push_str("minus ");
        r
    } else {
        trimmed
    };
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// A type or variant name: `UpperCamelCase`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Unnamed");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Type");
    }
    name
}

/// A field, parameter or method name: `snake_case`, keywords made usable.
/// Returns the identifier as written in source (`r#type` for a keyword).
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name.push_str("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// An API's name for its crates, from its spec's file stem: kebab case, ASCII letters and digits,
/// starting with a letter as cargo wants (`api.github.com` → `api-github-com`, `1password` →
/// `api-1password`).
pub fn crate_name(raw: &str) -> String {
    let name = words(raw).to_kebab_case();
    if name.is_empty() {
        "api".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    }
}

/// The variant name of an HTTP status in an operation's error enum: the reason phrase where the
/// status is a common one, `Status418` otherwise; ranges and `default` have names of their own.
pub fn status_name(status: Status) -> String {
    let name = match status {
        Status::Code(200) => "Ok",
        Status::Code(201) => "Created",
        Status::Code(202) => "Accepted",
        Status::Code(204) => "NoContent",
        Status::Code(400) => "BadRequest",
        Status::Code(401) => "Unauthorized",
        Status::Code(402) => "PaymentRequired",
        Status::Code(403) => "Forbidden",
        Status::Code(404) => "NotFound",
        Status::Code(405) => "MethodNotAllowed",
        Status::Code(406) => "NotAcceptable",
        Status::Code(408) => "RequestTimeout",
        Status::Code(409) => "Conflict",
        Status::Code(410) => "Gone",
        Status::Code(412) => "PreconditionFailed",
        Status::Code(413) => "PayloadTooLarge",
        Status::Code(415) => "UnsupportedMediaType",
        Status::Code(422) => "UnprocessableEntity",
        Status::Code(423) => "Locked",
        Status::Code(429) => "TooManyRequests",
        Status::Code(500) => "InternalServerError",
        Status::Code(501) => "NotImplemented",
        Status::Code(502) => "BadGateway",
        Status::Code(503) => "ServiceUnavailable",
        Status::Code(504) => "GatewayTimeout",
        Status::Range(2) => "Success",
        Status::Range(4) => "ClientError",
        Status::Range(5) => "ServerError",
        Status::Default => "Other",
        other => return format!("Status{other}"),
    };
    name.to_owned()
}

/// Whether `ident` must be written `r#ident`.
pub fn needs_raw(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// What the name of a type's input twin ends with: the type as requests send it, where what
/// the server owns (`readOnly`) may be left out (`lower/access.rs`).
pub const INPUT_SUFFIX: &str = "Input";

/// Returns `candidate`, or `candidate` with the first free numeric suffix, and records it.
pub fn unique(taken: &mut BTreeSet<String>, candidate: String, separator: &str) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    // `self_` takes `self_2`, not `self__2`.
    let separator = if candidate.ends_with(separator) {
        ""
    } else {
        separator
    };
    (2..)
        .map(|n| format!("{candidate}{separator}{n}"))
        .find(|c| taken.insert(c.clone()))
        .expect("an unbounded range always yields a free name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        for (raw, want) in [
            ("Pet", "Pet"),
            ("pet_store", "PetStore"),
            ("en_GB", "EnGb"),
            ("Customer Care", "CustomerCare"),
            ("application/json", "ApplicationJson"),
            ("200", "V200"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("in-progress", "InProgress"),
            ("Self", "SelfType"),
            ("", "Unnamed"),
            ("***", "Unnamed"),
            ("String", "String"),
        ] {
            assert_eq!(type_name(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn field_names() {
        for (raw, want) in [
            ("id_ambassador", "id_ambassador"),
            ("DateSent<", "date_sent_before"),
            ("DateSent>=", "date_sent_on_or_after"),
            ("StartTime>", "start_time_after"),
            ("Price<=", "price_lte"),
            ("Status!=", "status_not"),
            ("linkedIn_account", "linked_in_account"),
            ("iw-build-id", "iw_build_id"),
            ("phone_1", "phone_1"),
            ("type", "type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("1st", "_1st"),
            ("", "value"),
            ("@odata.id", "odata_id"),
        ] {
            assert_eq!(field_name(raw), want, "{raw:?}");
        }
        assert!(needs_raw("type"));
        assert!(!needs_raw("kind"));
    }

    #[test]
    fn crate_names() {
        for (raw, want) in [
            ("iw-erp", "iw-erp"),
            ("api.github.com", "api-github-com"),
            ("1password", "api-1password"),
            ("Ünïcode API", "n-code-api"),
            ("***", "api"),
            ("petStore_v2", "pet-store-v2"),
        ] {
            assert_eq!(crate_name(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn unique_suffixes() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique(&mut taken, "Foo".into(), ""), "Foo");
        assert_eq!(unique(&mut taken, "Foo".into(), ""), "Foo2");
        assert_eq!(unique(&mut taken, "Foo".into(), ""), "Foo3");
        assert_eq!(unique(&mut taken, "self_".into(), "_"), "self_");
        assert_eq!(unique(&mut taken, "self_".into(), "_"), "self_2");
        assert_eq!(unique(&mut taken, "a".into(), "_"), "a");
        assert_eq!(unique(&mut taken, "a".into(), "_"), "a_2");
    }
}
