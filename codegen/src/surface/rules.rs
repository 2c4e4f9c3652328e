//! The rules: what each kind of item coming, going or changing means for the wire and for
//! Rust code, given how the crates are built.

use std::collections::BTreeSet;

use super::compare::{Change, Diff, Rust, Section, Way, Wire, widens};
use super::words::{answer_text, code, detail, op_of, param_text, path, subject, value_text};
use super::{Attr, Entry, Flag, Kind, Mark, Surface};

/// The two surfaces a change is read against.
pub(super) struct Context<'a> {
    pub old: &'a Surface,
    pub new: &'a Surface,
}

const TYPE_KINDS: &[Kind] = &[
    Kind::Struct,
    Kind::Enum,
    Kind::Union,
    Kind::Alias,
    Kind::Newtype,
];

impl Context<'_> {
    /// Which way the type `name` travels, in either surface; a struct that is no type of the
    /// models crate (a multipart body's parts) is sent.
    fn way(&self, name: &str) -> Way {
        let mut way = Way::default();
        let mut found = false;
        for s in [self.old, self.new] {
            for kind in TYPE_KINDS {
                if let Some(e) = s.get(*kind, name) {
                    found = true;
                    way.sent |= e.has(Mark::Sent);
                    way.received |= e.has(Mark::Received);
                }
            }
        }
        if found { way } else { Way::SENT }
    }

    pub(super) fn change(&self, d: &Diff) -> Vec<Change> {
        match (&d.old, &d.new) {
            (None, Some(new)) => vec![self.added(d.kind, &d.key, new)],
            (Some(old), None) => vec![self.removed(d.kind, &d.key, old)],
            (Some(old), Some(new)) => self.changed(d.kind, &d.key, old, new),
            (None, None) => Vec::new(),
        }
    }

    fn added(&self, kind: Kind, key: &str, new: &Entry) -> Change {
        let (rust, wire, words) = match kind {
            Kind::Argument
            | Kind::Parameter
            | Kind::Body
            | Kind::Media
            | Kind::Returns
            | Kind::Success
            | Kind::Error => added_to_operation(kind, key, new),
            Kind::Field | Kind::Value | Kind::Variant => self.added_member(kind, key, new),
            _ => added_item(kind, key, new),
        };
        let section = match kind {
            Kind::Runtime => Section::Changed,
            _ => Section::Added,
        };
        Change {
            words,
            wire,
            rust,
            section,
        }
    }

    /// A new field, enum value or union variant.
    fn added_member(&self, kind: Kind, key: &str, new: &Entry) -> (Rust, Wire, String) {
        if kind != Kind::Field {
            let parent = key.split("::").next().unwrap_or_default();
            let what = if kind == Kind::Value {
                "value"
            } else {
                "variant"
            };
            let words = format!("new {what} {}{}", code(key), detail(new));
            // A union's `Unknown` is Rust's: it holds what no variant does, not a new value.
            if new.has(Mark::Unknown) {
                return (Rust::Additive, Wire::None, words);
            }
            return (Rust::Additive, self.way(parent).verdict(false, true), words);
        }
        let parent = key.split('.').next().unwrap_or_default();
        let way = self.way(parent);
        let required = new.has(Mark::Required);
        // A required field of a sent struct is an argument of its constructor, unless the
        // schema fixes its value, which the constructor fills in.
        let fixed = new.attr(Attr::Fixed).is_some();
        let rust = if required && way.sent && !new.has(Mark::Extra) && !fixed {
            Rust::Breaking
        } else {
            Rust::Additive
        };
        let which = Mark::required(required).word();
        let mut words = format!("new {which} field {}", code(&path(key)));
        if rust == Rust::Breaking {
            words.push_str(&format!(", an argument of `{parent}::new`"));
        }
        (rust, way.verdict(required, false), words)
    }

    fn removed(&self, kind: Kind, key: &str, old: &Entry) -> Change {
        let (rust, wire) = match kind {
            Kind::Runtime => (Rust::Compatible, Wire::None),
            Kind::Feature
            | Kind::Const
            | Kind::Variable
            | Kind::Credential
            | Kind::Returns
            | Kind::Signing => (Rust::Breaking, Wire::None),
            Kind::Server => (Rust::Compatible, Wire::Breaking),
            Kind::Operation | Kind::Body | Kind::Media => (Rust::Breaking, Wire::Breaking),
            // Its functions and variant go; the API no longer sends what the code receives.
            Kind::Webhook => (Rust::Breaking, Wire::Compatible),
            Kind::Argument | Kind::Parameter => (Rust::Breaking, Wire::Compatible),
            Kind::Success => (
                if old.attr(Attr::Variant).is_some() {
                    Rust::Breaking
                } else {
                    Rust::Compatible
                },
                Wire::Breaking,
            ),
            Kind::Error => (Rust::Breaking, Wire::Compatible),
            Kind::Security => (Rust::Compatible, Wire::Compatible),
            // The walk methods go with it.
            Kind::Pagination => (Rust::Breaking, Wire::None),
            Kind::Struct | Kind::Enum | Kind::Union | Kind::Alias | Kind::Newtype => {
                (Rust::Breaking, Wire::None)
            }
            Kind::Field => {
                let way = self.way(key.split('.').next().unwrap_or_default());
                (Rust::Breaking, way.verdict(false, old.has(Mark::Required)))
            }
            Kind::Value | Kind::Variant => {
                let way = self.way(key.split("::").next().unwrap_or_default());
                (Rust::Breaking, way.verdict(true, false))
            }
        };
        let words = match kind {
            Kind::Argument => format!(
                "{}: removed required parameter {}",
                op_of(key),
                param_text(key, old)
            ),
            Kind::Parameter => format!(
                "{}: removed optional parameter {}",
                op_of(key),
                param_text(key, old)
            ),
            Kind::Media => format!(
                "{}: the body may no longer be sent as {}",
                op_of(key),
                value_text(old)
            ),
            Kind::Success => format!("{}: removed answer {}", op_of(key), answer_text(key, old)),
            Kind::Error => format!("{}: removed error {}", op_of(key), answer_text(key, old)),
            Kind::Body => format!("`{key}`: removed request body"),
            Kind::Variable => format!("removed server variable `ClientBuilder::{key}`"),
            Kind::Credential => format!("removed credential `ClientBuilder::{key}`"),
            Kind::Field => format!("removed field {}", code(&path(key))),
            Kind::Pagination => format!("`{key}` no longer pages ({})", pages_text(old)),
            _ => format!("removed {} `{key}`", kind.word()),
        };
        Change {
            words,
            wire,
            rust,
            section: Section::Removed,
        }
    }

    fn changed(&self, kind: Kind, key: &str, old: &Entry, new: &Entry) -> Vec<Change> {
        let mut said: Vec<(Rust, Wire, String)> = Vec::new();
        match kind {
            Kind::Runtime => said.push(runtime_change(key, old.value.as_deref(), new)),
            Kind::Field => {
                let way = self.way(key.split('.').next().unwrap_or_default());
                let (rust, wire, what) = field_change(old, new, way);
                said.push((rust, wire, format!("field {} {what}", code(&path(key)))));
            }
            Kind::Pagination => said.push(pagination_change(key, old, new)),
            Kind::Security => {
                let wire = security_change(
                    old.value.as_deref().unwrap_or_default(),
                    new.value.as_deref().unwrap_or_default(),
                );
                let words = format!(
                    "`{key}` needs credentials {} (was {})",
                    value_text(new),
                    value_text(old)
                );
                said.push((Rust::Compatible, wire, words));
            }
            _ => {
                if old.ty != new.ty {
                    said.push(self.retyped(kind, key, old, new));
                }
                if old.value != new.value {
                    said.push(revalued(kind, key, old, new));
                }
                said.extend(flags_changed(kind, key, old, new));
            }
        }
        said.into_iter()
            .map(|(rust, wire, words)| Change {
                words,
                wire,
                rust,
                section: Section::Changed,
            })
            .collect()
    }

    /// An item whose type changed: a value travels differently, a signature changes.
    fn retyped(&self, kind: Kind, key: &str, old: &Entry, new: &Entry) -> (Rust, Wire, String) {
        let (from, to) = (
            old.ty.as_deref().unwrap_or("()"),
            new.ty.as_deref().unwrap_or("()"),
        );
        let (rust, wire) = match kind {
            Kind::Argument | Kind::Parameter | Kind::Media => {
                (Rust::Breaking, Way::SENT.retyped(from, to))
            }
            // Without a success enum, the method's return type says it (`returns`).
            Kind::Success if new.attr(Attr::Variant).is_none() => {
                (Rust::Compatible, Way::RECEIVED.retyped(from, to))
            }
            Kind::Success | Kind::Error | Kind::Webhook => {
                (Rust::Breaking, Way::RECEIVED.retyped(from, to))
            }
            Kind::Variant => {
                let way = self.way(key.split("::").next().unwrap_or_default());
                (Rust::Breaking, way.retyped(from, to))
            }
            Kind::Alias | Kind::Newtype => (Rust::Breaking, self.way(key).retyped(from, to)),
            // A bearer scheme has a token source setter the others lack.
            Kind::Credential if (from == "bearer") == (to == "bearer") => {
                (Rust::Compatible, Wire::Breaking)
            }
            Kind::Credential => (Rust::Breaking, Wire::Breaking),
            _ => (Rust::Breaking, Wire::None),
        };
        let words = format!(
            "{} changes type from `{from}` to `{to}`",
            subject(kind, key)
        );
        (rust, wire, words)
    }
}

/// An item whose value changed: a default, a request line, a wire literal.
fn revalued(kind: Kind, key: &str, old: &Entry, new: &Entry) -> (Rust, Wire, String) {
    let wire = match kind {
        Kind::Feature | Kind::Const | Kind::Variable => Wire::None,
        _ => Wire::Breaking,
    };
    let words = format!(
        "{} is now {} (was {})",
        subject(kind, key),
        value_text(new),
        value_text(old)
    );
    (Rust::Compatible, wire, words)
}

/// What the flags that went and came say. A flag that swaps for another of its group is said
/// once, by the one that came.
fn flags_changed(kind: Kind, key: &str, old: &Entry, new: &Entry) -> Vec<(Rust, Wire, String)> {
    let (gone, came) = flag_changes(old, new);
    let group = |flag: &Flag| matches!(flag, Flag::Is(mark) if mark.swaps());
    let swapped = |flag: &Flag| group(flag) && came.iter().any(group);
    let gone = gone
        .iter()
        .filter(|f| !swapped(f))
        .map(|f| flag_change(kind, key, f, false));
    let came = came.iter().map(|f| flag_change(kind, key, f, true));
    gone.chain(came).collect()
}

/// A new part of an operation: an argument, a parameter, a body or a media type of it, an answer.
fn added_to_operation(kind: Kind, key: &str, new: &Entry) -> (Rust, Wire, String) {
    match kind {
        Kind::Argument => (
            Rust::Breaking,
            Wire::Breaking,
            format!(
                "{}: new required parameter {}",
                op_of(key),
                param_text(key, new)
            ),
        ),
        Kind::Parameter => (
            Rust::Additive,
            Wire::Compatible,
            format!(
                "{}: new optional parameter {}",
                op_of(key),
                param_text(key, new)
            ),
        ),
        Kind::Body => {
            let required = new.has(Mark::Required);
            let wire = if required {
                Wire::Breaking
            } else {
                Wire::Compatible
            };
            let which = Mark::required(required).word();
            (
                Rust::Breaking,
                wire,
                format!("`{key}`: new {which} request body"),
            )
        }
        Kind::Media => (
            Rust::Additive,
            Wire::Compatible,
            format!(
                "{}: the body may be sent as {}",
                op_of(key),
                value_text(new)
            ),
        ),
        Kind::Returns => (
            Rust::Breaking,
            Wire::None,
            format!("`{key}` returns a value"),
        ),
        Kind::Success => (
            if new.attr(Attr::Variant).is_some() {
                Rust::Additive
            } else {
                Rust::Compatible
            },
            Wire::Compatible,
            format!("{}: new answer {}", op_of(key), answer_text(key, new)),
        ),
        Kind::Error => (
            Rust::Additive,
            Wire::Compatible,
            format!("{}: new error {}", op_of(key), answer_text(key, new)),
        ),
        _ => unreachable!("{kind:?} is not a part of an operation"),
    }
}

/// A new item of a crate: a type, a feature, a constant, a server, a credential, an operation.
fn added_item(kind: Kind, key: &str, new: &Entry) -> (Rust, Wire, String) {
    match kind {
        // Surfaces written before the runtime had a line of its own were of its first version.
        Kind::Runtime => runtime_change(key, Some(FIRST_RUNTIME), new),
        Kind::Feature => (
            Rust::Additive,
            Wire::None,
            format!("new cargo feature `{key}`"),
        ),
        Kind::Const => (Rust::Additive, Wire::None, format!("new constant `{key}`")),
        Kind::Server => (
            Rust::Compatible,
            Wire::Compatible,
            format!("new server `{key}`"),
        ),
        Kind::Variable => (
            Rust::Additive,
            Wire::None,
            format!("new server variable: `ClientBuilder::{key}`"),
        ),
        Kind::Credential => (
            Rust::Additive,
            Wire::None,
            format!("new credential: `ClientBuilder::{key}`"),
        ),
        Kind::Operation => (
            Rust::Additive,
            Wire::Compatible,
            format!("new operation `{key}` ({})", value_text(new)),
        ),
        Kind::Signing => (
            Rust::Additive,
            Wire::None,
            format!("`webhooks::{key}` is preset: {}", value_text(new)),
        ),
        // The enum of events is `#[non_exhaustive]`: a new variant breaks no `match`.
        Kind::Webhook => (
            Rust::Additive,
            Wire::Compatible,
            format!("new event `{key}` ({})", value_text(new)),
        ),
        Kind::Security => (
            Rust::Compatible,
            Wire::Compatible,
            format!("`{key}`: security"),
        ),
        Kind::Pagination => (
            Rust::Additive,
            Wire::None,
            format!(
                "`{key}` pages, and gains the methods that walk it ({})",
                pages_text(new)
            ),
        ),
        Kind::Struct | Kind::Enum | Kind::Union | Kind::Alias | Kind::Newtype => (
            Rust::Additive,
            Wire::None,
            format!("new {} `{key}`", kind.word()),
        ),
        _ => unreachable!("{kind:?} is a member or a part of an operation"),
    }
}

/// A paged list that walks otherwise. The walk's item type and its methods and their types
/// are in the signatures; how it walks is not. Surfaces written before the walks' types had
/// names gain them as an addition.
fn pagination_change(key: &str, old: &Entry, new: &Entry) -> (Rust, Wire, String) {
    let (old_walks, new_walks) = (old.attr(Attr::Walks), new.attr(Attr::Walks));
    let rust = match (old_walks, new_walks) {
        _ if old.ty != new.ty => Rust::Breaking,
        (None, Some(_)) => Rust::Additive,
        (a, b) if a != b => Rust::Breaking,
        _ => Rust::Compatible,
    };
    let words = if old.value == new.value && old.ty == new.ty {
        let walks = new_walks.unwrap_or_default().trim_matches('"').split(", ");
        let walks: Vec<String> = walks
            .map(|w| match w.split_once(": ") {
                Some((method, ty)) => format!("`{method}()` returns `{ty}`"),
                None => format!("`{w}`"),
            })
            .collect();
        format!("`{key}`'s walks: {}", walks.join(", "))
    } else {
        format!(
            "`{key}` pages {} (was {})",
            pages_text(new),
            pages_text(old)
        )
    };
    (rust, Wire::None, words)
}

/// How an operation pages, with the type of its items: `cursor; ... of Customer`.
fn pages_text(e: &Entry) -> String {
    format!("{} of `{}`", value_text(e), e.ty.as_deref().unwrap_or("?"))
}

/// The runtime's version in surfaces written before it had a line of its own.
const FIRST_RUNTIME: &str = "0.1.0";

/// The client moving from runtime version `old` to `new`'s: as breaking as cargo reads the
/// versions (before 1.0, a new minor version breaks).
fn runtime_change(key: &str, old: Option<&str>, new: &Entry) -> (Rust, Wire, String) {
    let (old, now) = (
        old.unwrap_or(FIRST_RUNTIME),
        new.value.as_deref().unwrap_or_default(),
    );
    let rust = match breaks(old, now) {
        true => Rust::Breaking,
        false => Rust::Compatible,
    };
    let words = format!("built on `{key}` {now} (was {old}): see its changelog");
    (rust, Wire::None, words)
}

/// Whether moving from version `old` to `new` breaks, as cargo reads versions: neither accepts
/// the other as a caret requirement (before 1.0, a new minor version). A version that is not
/// semver breaks.
fn breaks(old: &str, new: &str) -> bool {
    let (Ok(a), Ok(b)) = (semver::Version::parse(old), semver::Version::parse(new)) else {
        return true;
    };
    let accepts = |v: &semver::Version, w: &semver::Version| {
        semver::VersionReq::parse(&format!("^{v}")).is_ok_and(|req| req.matches(w))
    };
    !accepts(&a, &b) && !accepts(&b, &a)
}

/// The flags only `old` has and those only `new` has, each in the order of their text.
fn flag_changes(old: &Entry, new: &Entry) -> (Vec<Flag>, Vec<Flag>) {
    let only = |a: &Entry, b: &Entry| {
        let mut only: Vec<Flag> = a
            .flags
            .iter()
            .filter(|f| !b.flags.contains(f))
            .cloned()
            .collect();
        only.sort_by_cached_key(Flag::to_string);
        only.dedup();
        only
    };
    (only(old, new), only(new, old))
}

/// What one flag coming (`came`) or going means.
fn flag_change(kind: Kind, key: &str, flag: &Flag, came: bool) -> (Rust, Wire, String) {
    let subject = subject(kind, key);
    let gained_or_lost = |gained: Rust| if came { gained } else { Rust::Breaking };
    // The words for the flag's coming, else for its going.
    let pick = |coming: &'static str, going: &'static str| if came { coming } else { going };
    match flag {
        Flag::Is(Mark::Sent) if kind == Kind::Struct => (
            gained_or_lost(Rust::Additive),
            Wire::None,
            format!(
                "{subject} {}",
                pick(
                    "is now sent in requests: it gains `new` and setters",
                    "is no longer sent: its `new` and setters are gone"
                )
            ),
        ),
        Flag::Is(Mark::Default) => (
            gained_or_lost(Rust::Additive),
            Wire::None,
            format!(
                "{subject} {} `Default`",
                pick("implements", "no longer implements")
            ),
        ),
        Flag::Is(mark @ (Mark::Sent | Mark::Received)) => {
            let place = match mark {
                Mark::Sent => "sent in requests",
                _ => "received in answers",
            };
            let words = format!("{subject} is {} {place}", pick("now", "no longer"));
            (Rust::Compatible, Wire::None, words)
        }
        // Leaving a feature takes the item from builds that enable only that feature.
        Flag::Has(Attr::Features | Attr::Feature, _) => (
            gained_or_lost(Rust::Compatible),
            Wire::None,
            format!(
                "{subject} {} {flag}",
                pick("is compiled with", "is no longer compiled with")
            ),
        ),
        // An event told apart no more takes `Event::receive` away (it needs every event's tag).
        Flag::Has(Attr::Tag, _) if kind == Kind::Webhook => (
            gained_or_lost(Rust::Additive),
            Wire::Compatible,
            format!(
                "{subject} {} {flag}",
                pick("is now told apart by", "is no longer told apart by")
            ),
        ),
        Flag::Has(Attr::Variant, _) => (
            Rust::Breaking,
            Wire::None,
            format!("{subject} {} {flag}", pick("is now", "was")),
        ),
        Flag::Is(Mark::Into) => (
            gained_or_lost(Rust::Additive),
            Wire::None,
            format!(
                "{subject}: its type {} into the body",
                pick("now converts", "no longer converts")
            ),
        ),
        Flag::Is(mark @ (Mark::Required | Mark::Optional)) if kind == Kind::Body => {
            let wire = match came && *mark == Mark::Required {
                true => Wire::Breaking,
                false => Wire::Compatible,
            };
            (Rust::Breaking, wire, format!("{subject} becomes {flag}"))
        }
        // A parameter's position is its place among the method's arguments.
        Flag::Position(n) => (
            Rust::Breaking,
            Wire::None,
            format!("{subject} {} argument {n}", pick("is now", "was")),
        ),
        Flag::Is(mark) if mark.is_carriage() => {
            let rust = match kind {
                Kind::Enum | Kind::Media => Rust::Breaking,
                _ => Rust::Compatible,
            };
            let said = mark
                .phrase()
                .map_or_else(|| flag.to_string(), str::to_owned);
            let words = format!("{subject} {} {said}", pick("is now", "is no longer"));
            (rust, Wire::Breaking, words)
        }
        Flag::Is(Mark::Closed) => (
            Rust::Compatible,
            Wire::None,
            format!(
                "{subject} {} unknown properties",
                pick("refuses", "accepts")
            ),
        ),
        _ => (
            Rust::Compatible,
            Wire::Breaking,
            format!("{subject} {} {flag}", pick("is now", "is no longer")),
        ),
    }
}

/// The type of a field's value without the `Option`s its presence adds.
fn base_type(e: &Entry) -> String {
    let mut ty = e.ty.clone().unwrap_or_default();
    let strip = |t: &str| {
        t.strip_prefix("Option<")
            .and_then(|t| t.strip_suffix('>'))
            .map(str::to_owned)
    };
    if !e.has(Mark::Required) && !e.has(Mark::Extra) {
        ty = strip(&ty).unwrap_or(ty);
    }
    if e.has(Mark::Nullable) && ty.starts_with("Option<") {
        ty = strip(&ty).unwrap_or(ty);
    }
    ty
}

/// A field's change: its Rust verdict, wire verdict and the words after its name.
fn field_change(old: &Entry, new: &Entry, way: Way) -> (Rust, Wire, String) {
    let fixed = |e: &Entry| e.attr(Attr::Fixed).map(str::to_owned);
    // The constructor of a sent struct takes a required field the schema does not fix, and an
    // optional one it asks for.
    let asked = |e: &Entry| e.has(Mark::Asked);
    let constructor = fixed(old) != fixed(new) || asked(old) != asked(new);
    let rust = if old.ty != new.ty || (way.sent && constructor) {
        Rust::Breaking
    } else {
        Rust::Compatible
    };
    let (mut narrows_sends, mut widens_receives) = (false, false);
    let mut what = Vec::new();
    let (a, b) = (base_type(old), base_type(new));
    if a != b {
        narrows_sends |= !widens(&a, &b);
        widens_receives |= !widens(&b, &a);
        what.push(format!("changes type from `{a}` to `{b}`"));
    }
    match (old.has(Mark::Required), new.has(Mark::Required)) {
        (false, true) => {
            narrows_sends = true;
            what.push("becomes required".to_owned());
        }
        (true, false) => {
            widens_receives = true;
            what.push("becomes optional".to_owned());
        }
        _ => {}
    }
    match (old.has(Mark::Nullable), new.has(Mark::Nullable)) {
        (false, true) => {
            widens_receives = true;
            what.push("becomes nullable".to_owned());
        }
        (true, false) => {
            narrows_sends = true;
            what.push("is no longer nullable".to_owned());
        }
        _ => {}
    }
    what.extend(access_change(old, new));
    let wire_name = |e: &Entry| e.attr(Attr::Wire).map(str::to_owned);
    if wire_name(old) != wire_name(new) {
        (narrows_sends, widens_receives) = (true, true);
        what.push("has a new name on the wire".to_owned());
    }
    match (fixed(old), fixed(new)) {
        (None, Some(v)) => what.push(format!("is now fixed to {v}, which `new` fills in")),
        (Some(_), None) => what.push("is no longer fixed to one value".to_owned()),
        (Some(a), Some(b)) if a != b => what.push(format!("is now fixed to {b} (was {a})")),
        _ => {}
    }
    let content_type = |e: &Entry| e.attr(Attr::ContentType).map(str::to_owned);
    if content_type(old) != content_type(new) {
        narrows_sends = true;
        what.push("is sent with another content type".to_owned());
    }
    if what.is_empty() {
        what.push(format!(
            "changes from `{}` to `{}`",
            old.ty.as_deref().unwrap_or_default(),
            new.ty.as_deref().unwrap_or_default()
        ));
    }
    (
        rust,
        way.verdict(narrows_sends, widens_receives),
        what.join(", "),
    )
}

/// What a field's `readOnly` or `writeOnly` becoming or ceasing says. Its verdicts are those of
/// what it does to the field: a read-only field is optional in a type only sent (requests leave
/// it out), a write-only one in a type received.
fn access_change(old: &Entry, new: &Entry) -> Option<String> {
    let access = |e: &Entry| {
        [Mark::ReadOnly, Mark::WriteOnly]
            .into_iter()
            .find(|m| e.has(*m))
    };
    let asked = |e: &Entry| e.has(Mark::Asked);
    let said = match (access(old), access(new)) {
        (_, Some(Mark::ReadOnly)) if access(old) != Some(Mark::ReadOnly) => {
            Some("is now read-only: the server owns it, requests leave it out")
        }
        (_, Some(Mark::WriteOnly)) if access(old) != Some(Mark::WriteOnly) => {
            Some("is now write-only: answers may leave it out")
        }
        (Some(Mark::ReadOnly), None) => Some("is no longer read-only"),
        (Some(_), None) => Some("is no longer write-only"),
        _ => None,
    };
    let asks = match (asked(old), asked(new)) {
        (false, true) => Some("`new` asks for it"),
        (true, false) => Some("`new` no longer asks for it"),
        _ => None,
    };
    let parts: Vec<&str> = said.into_iter().chain(asks).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Security requirements as alternatives, each the schemes that go together.
fn alternatives(text: &str) -> Vec<BTreeSet<String>> {
    let text = serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned());
    text.split(" | ")
        .map(|alt| match alt {
            "none" | "any configured" => BTreeSet::new(),
            _ => alt.split(" & ").map(str::to_owned).collect(),
        })
        .collect()
}

/// A security change breaks clients when a way they could authenticate no longer works: an old
/// alternative that no new alternative is part of.
fn security_change(old: &str, new: &str) -> Wire {
    let (old, new) = (alternatives(old), alternatives(new));
    let kept = old
        .iter()
        .all(|had| new.iter().any(|needs| needs.is_subset(had)));
    if kept {
        Wire::Compatible
    } else {
        Wire::Breaking
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_breaks_when_an_alternative_is_lost() {
        assert_eq!(security_change("\"none\"", "\"key\""), Wire::Breaking);
        assert_eq!(security_change("\"key\"", "\"none\""), Wire::Compatible);
        assert_eq!(security_change("\"a | b\"", "\"a\""), Wire::Breaking);
        assert_eq!(security_change("\"a\"", "\"a | b\""), Wire::Compatible);
        assert_eq!(security_change("\"a & b\"", "\"a\""), Wire::Compatible);
    }

    /// A preset verifier that comes is an addition, one that goes breaks code, and another
    /// scheme refuses what the old one took.
    #[test]
    fn the_signing_scheme_is_judged_as_what_verifies() {
        let surface = |value: Option<&str>| {
            let mut s = Surface::default();
            if let Some(v) = value {
                let entry = Entry {
                    ty: None,
                    value: Some(format!("{v:?}")),
                    flags: Vec::new(),
                };
                s.add(Kind::Signing, "verifier", entry);
            }
            s
        };
        let judged = |old, new| {
            let changes = super::super::compare(&surface(old), &surface(new));
            let [change] = &changes[..] else {
                panic!("{changes:?}");
            };
            (change.rust, change.wire, change.words.clone())
        };
        let (rust, _, words) = judged(None, Some("standard-webhooks"));
        assert_eq!(rust, Rust::Additive, "{words}");
        assert_eq!(judged(Some("standard-webhooks"), None).0, Rust::Breaking);
        let (rust, wire, words) = judged(Some("standard-webhooks"), Some("hmac X-Signature"));
        assert_eq!((rust, wire), (Rust::Compatible, Wire::Breaking), "{words}");
        assert!(words.contains("hmac X-Signature"), "{words}");
    }

    #[test]
    fn a_runtime_version_breaks_as_cargo_reads_it() {
        assert!(breaks("0.2.2", "0.3.0"));
        assert!(!breaks("0.3.0", "0.3.4"));
        assert!(!breaks("0.3.4", "0.3.0"));
        assert!(breaks("0.0.3", "0.0.4"));
        assert!(!breaks("1.2.0", "1.9.1"));
        assert!(breaks("1.9.1", "2.0.0"));
        assert!(breaks("one", "0.1.0"));
    }
}
