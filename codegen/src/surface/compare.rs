//! What a change between two surfaces means: each changed item in words, with two verdicts.
//!
//! The wire verdict follows oasdiff's rule: a change breaks existing HTTP clients when it
//! narrows what they may send or widens what they may receive. The Rust verdict says what the
//! change does to code that uses the generated crate, given how the crate is built: structs and
//! enums are `#[non_exhaustive]`, sent structs have `new(required…)` and setters, optional
//! parameters are a struct of their own, and a body is anything that converts into its enum.

use std::collections::BTreeSet;

use super::{Entry, Kind, Surface};

/// What a change does to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rust {
    /// The same API: only what it sends, accepts or documents changes.
    Compatible,
    /// New API; what compiled still compiles.
    Additive,
    /// Code that compiled may not compile.
    Breaking,
}

/// What a change to the spec does to HTTP clients built for the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// Not a change of what travels (a Rust name, a cargo feature).
    None,
    Compatible,
    Breaking,
}

/// How much a crate changed, which decides its version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Docs or examples only: the surface is the same.
    Documentation,
    Compatible,
    Additive,
    Breaking,
}

impl From<Rust> for Level {
    fn from(r: Rust) -> Level {
        match r {
            Rust::Compatible => Level::Compatible,
            Rust::Additive => Level::Additive,
            Rust::Breaking => Level::Breaking,
        }
    }
}

/// The Keep a Changelog section a change belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Added,
    Changed,
    Removed,
}

/// One change of a crate's surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub words: String,
    pub wire: Wire,
    pub rust: Rust,
    pub section: Section,
}

/// Which way a type travels, read off its entry's flags.
#[derive(Debug, Clone, Copy, Default)]
struct Way {
    sent: bool,
    received: bool,
}

impl Way {
    const SENT: Way = Way {
        sent: true,
        received: false,
    };
    const RECEIVED: Way = Way {
        sent: false,
        received: true,
    };

    /// The wire verdict of a change that narrows what is sent or widens what is received.
    fn verdict(self, narrows_sends: bool, widens_receives: bool) -> Wire {
        if (self.sent && narrows_sends) || (self.received && widens_receives) {
            Wire::Breaking
        } else {
            Wire::Compatible
        }
    }

    /// The wire verdict of a value's type changing from `old` to `new`.
    fn retyped(self, old: &str, new: &str) -> Wire {
        self.verdict(!widens(old, new), !widens(new, old))
    }
}

/// Whether every value of type `from` is a value of type `to`.
fn widens(from: &str, to: &str) -> bool {
    let unbox = |t: &str| {
        t.strip_prefix("Box<")
            .and_then(|t| t.strip_suffix('>'))
            .map(str::to_owned)
            .unwrap_or_else(|| t.to_owned())
    };
    let (from, to) = (unbox(from), unbox(to));
    if from == to || to == "Value" {
        return true;
    }
    let inner = |t: &str, wrapper: &str| {
        t.strip_prefix(wrapper)
            .and_then(|t| t.strip_suffix('>'))
            .map(str::to_owned)
    };
    for wrapper in ["Vec<", "Option<", "BTreeMap<String, "] {
        if let (Some(a), Some(b)) = (inner(&from, wrapper), inner(&to, wrapper)) {
            return widens(&a, &b);
        }
    }
    if let Some(b) = inner(&to, "Option<") {
        return widens(&from, &b);
    }
    matches!(
        (from.as_str(), to.as_str()),
        ("i32", "i64" | "f64") | ("i64", "f64") | ("DateTime<FixedOffset>" | "NaiveDate", "String")
    )
}

/// The changes from `old` to `new`, in the order of the surface.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let (renames, renamed) = renamed_operations(old, new);
    let mut changes = renames;
    changes.extend(compare_items(&renamed, new));
    changes
}

/// Operations whose method name changed while their request line stayed (a new
/// `operationId`): one change each, and `old` with their items under the new names, so that
/// the rest compares like with like.
fn renamed_operations(old: &Surface, new: &Surface) -> (Vec<Change>, Surface) {
    let line = |s: &Surface, op: &str| s.get(Kind::Operation, op).and_then(|e| e.value.clone());
    let ops = |s: &Surface| -> Vec<String> {
        s.items
            .keys()
            .filter(|(k, _)| *k == Kind::Operation)
            .map(|(_, key)| key.clone())
            .collect()
    };
    let gone: Vec<String> = ops(old)
        .into_iter()
        .filter(|o| new.get(Kind::Operation, o).is_none())
        .collect();
    let came: Vec<String> = ops(new)
        .into_iter()
        .filter(|o| old.get(Kind::Operation, o).is_none())
        .collect();
    let mut changes = Vec::new();
    let mut renamed = old.clone();
    for from in &gone {
        let Some(to) = came
            .iter()
            .find(|c| line(new, c).is_some() && line(new, c) == line(old, from))
        else {
            continue;
        };
        changes.push(Change {
            words: format!("operation `{from}` is now `{to}`"),
            wire: Wire::None,
            rust: Rust::Breaking,
            section: Section::Changed,
        });
        let prefix = format!("{from}.");
        renamed.items = std::mem::take(&mut renamed.items)
            .into_iter()
            .map(|((kind, key), e)| {
                let key = if key == *from {
                    to.clone()
                } else if let Some(rest) = key.strip_prefix(&prefix) {
                    format!("{to}.{rest}")
                } else {
                    key
                };
                ((kind, key), e)
            })
            .collect();
    }
    (changes, renamed)
}

fn compare_items(old: &Surface, new: &Surface) -> Vec<Change> {
    let keys: BTreeSet<&(Kind, String)> = old.items.keys().chain(new.items.keys()).collect();
    let whole = wholes(old, new);
    let diffs: Vec<Diff> = keys
        .into_iter()
        .filter(|(kind, key)| !part_of(&whole, *kind, key))
        .filter_map(|k| {
            let (a, b) = (old.items.get(k), new.items.get(k));
            (a != b).then(|| Diff {
                kind: k.0,
                key: k.1.clone(),
                old: a.cloned(),
                new: b.cloned(),
            })
        })
        .collect();
    let context = Context { old, new };
    let (moved, diffs) = moved_parameters(diffs);
    let mut changes: Vec<Change> = moved;
    changes.extend(diffs.iter().flat_map(|d| context.change(d)));
    changes
}

/// The operations and types that only one surface has: their parts come and go with them.
fn wholes(old: &Surface, new: &Surface) -> BTreeSet<String> {
    let owners = [Kind::Operation, Kind::Struct, Kind::Enum, Kind::Union];
    let mut out = BTreeSet::new();
    for (a, b) in [(old, new), (new, old)] {
        for (kind, key) in a.items.keys() {
            if owners.contains(kind) && b.get(*kind, key).is_none() {
                out.insert(key.clone());
            }
        }
    }
    out
}

/// Whether an item is a part of an operation or type in `whole` (said with it).
fn part_of(whole: &BTreeSet<String>, kind: Kind, key: &str) -> bool {
    let owner = match kind {
        Kind::Argument | Kind::Parameter | Kind::Media | Kind::Success | Kind::Error => {
            key.split('.').next()
        }
        Kind::Body | Kind::Returns | Kind::Security => Some(key),
        Kind::Field => key.split('.').next(),
        Kind::Value | Kind::Variant => key.split("::").next(),
        _ => None,
    };
    owner.is_some_and(|o| whole.contains(o))
}

/// One item that differs.
struct Diff {
    kind: Kind,
    key: String,
    old: Option<Entry>,
    new: Option<Entry>,
}

/// An operation's parameter that moved between the method's arguments (required) and its
/// parameters struct (optional): one change, not a removal and an addition.
fn moved_parameters(diffs: Vec<Diff>) -> (Vec<Change>, Vec<Diff>) {
    let mut moved = Vec::new();
    let mut rest: Vec<Diff> = Vec::new();
    let place = |d: &Diff| {
        let e = d.old.as_ref().or(d.new.as_ref())?;
        e.flags
            .iter()
            .find(|f| !f.starts_with('#') && !f.starts_with("style"))
            .cloned()
    };
    let mut pending: Vec<Diff> = diffs;
    while let Some(d) = pending.pop() {
        let is_param = matches!(d.kind, Kind::Argument | Kind::Parameter);
        let partner = is_param.then(|| {
            pending.iter().position(|o| {
                o.kind != d.kind
                    && matches!(o.kind, Kind::Argument | Kind::Parameter)
                    && o.key.split('.').next() == d.key.split('.').next()
                    && place(o) == place(&d)
                    && o.old.is_some() != d.old.is_some()
                    && (o.old.is_none() || d.old.is_none())
                    && (o.new.is_none() || d.new.is_none())
            })
        });
        match partner.flatten() {
            Some(i) => {
                let o = pending.remove(i);
                let required = if d.new.is_some() { &d } else { &o };
                moved.push(moved_change(required));
            }
            None => rest.push(d),
        }
    }
    rest.reverse();
    (moved, rest)
}

fn moved_change(now: &Diff) -> Change {
    let op = now.key.split('.').next().unwrap_or_default();
    let name = now.key.rsplit('.').next().unwrap_or_default();
    if now.kind == Kind::Argument {
        Change {
            words: format!(
                "`{op}`: parameter `{name}` becomes required (an argument of the method)"
            ),
            wire: Wire::Breaking,
            rust: Rust::Breaking,
            section: Section::Changed,
        }
    } else {
        Change {
            words: format!(
                "`{op}`: parameter `{name}` becomes optional (a field of the parameters struct)"
            ),
            wire: Wire::Compatible,
            rust: Rust::Breaking,
            section: Section::Changed,
        }
    }
}

struct Context<'a> {
    old: &'a Surface,
    new: &'a Surface,
}

const TYPE_KINDS: &[Kind] = &[
    Kind::Struct,
    Kind::Enum,
    Kind::Union,
    Kind::Alias,
    Kind::Newtype,
];

fn code(text: &str) -> String {
    format!("`{text}`")
}

/// `Pet.name` → `Pet::name`.
fn path(key: &str) -> String {
    key.replacen('.', "::", 1)
}

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
                    way.sent |= e.has("sent");
                    way.received |= e.has("received");
                }
            }
        }
        if found { way } else { Way::SENT }
    }

    fn change(&self, d: &Diff) -> Vec<Change> {
        match (&d.old, &d.new) {
            (None, Some(new)) => vec![self.added(d.kind, &d.key, new)],
            (Some(old), None) => vec![self.removed(d.kind, &d.key, old)],
            (Some(old), Some(new)) => self.changed(d.kind, &d.key, old, new),
            (None, None) => Vec::new(),
        }
    }

    fn added(&self, kind: Kind, key: &str, new: &Entry) -> Change {
        let (rust, wire, words) = match kind {
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
                let wire = if new.has("required") {
                    Wire::Breaking
                } else {
                    Wire::Compatible
                };
                let which = if new.has("required") {
                    "required"
                } else {
                    "optional"
                };
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
                if new.flag("variant").is_some() {
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
            Kind::Security => (
                Rust::Compatible,
                Wire::Compatible,
                format!("`{key}`: security"),
            ),
            Kind::Struct | Kind::Enum | Kind::Union | Kind::Alias | Kind::Newtype => (
                Rust::Additive,
                Wire::None,
                format!("new {} `{key}`", kind.word()),
            ),
            Kind::Field => {
                let parent = key.split('.').next().unwrap_or_default();
                let way = self.way(parent);
                let required = new.has("required");
                // A required field of a sent struct is an argument of its constructor.
                let sent_struct = way.sent;
                let rust = if required && sent_struct && !new.has("extra") {
                    Rust::Breaking
                } else {
                    Rust::Additive
                };
                let which = if required { "required" } else { "optional" };
                let mut words = format!("new {which} field {}", code(&path(key)));
                if rust == Rust::Breaking {
                    words.push_str(&format!(", an argument of `{parent}::new`"));
                }
                (rust, way.verdict(required, false), words)
            }
            Kind::Value | Kind::Variant => {
                let parent = key.split("::").next().unwrap_or_default();
                let what = if kind == Kind::Value {
                    "value"
                } else {
                    "variant"
                };
                (
                    Rust::Additive,
                    self.way(parent).verdict(false, true),
                    format!("new {what} {}{}", code(key), detail(new)),
                )
            }
        };
        Change {
            words,
            wire,
            rust,
            section: Section::Added,
        }
    }

    fn removed(&self, kind: Kind, key: &str, old: &Entry) -> Change {
        let (rust, wire) = match kind {
            Kind::Feature | Kind::Const | Kind::Variable | Kind::Credential | Kind::Returns => {
                (Rust::Breaking, Wire::None)
            }
            Kind::Server => (Rust::Compatible, Wire::Breaking),
            Kind::Operation | Kind::Body | Kind::Media => (Rust::Breaking, Wire::Breaking),
            Kind::Argument | Kind::Parameter => (Rust::Breaking, Wire::Compatible),
            Kind::Success => (
                if old.flag("variant").is_some() {
                    Rust::Breaking
                } else {
                    Rust::Compatible
                },
                Wire::Breaking,
            ),
            Kind::Error => (Rust::Breaking, Wire::Compatible),
            Kind::Security => (Rust::Compatible, Wire::Compatible),
            Kind::Struct | Kind::Enum | Kind::Union | Kind::Alias | Kind::Newtype => {
                (Rust::Breaking, Wire::None)
            }
            Kind::Field => {
                let way = self.way(key.split('.').next().unwrap_or_default());
                (Rust::Breaking, way.verdict(false, old.has("required")))
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
        let mut out = Vec::new();
        let mut push = |rust: Rust, wire: Wire, words: String| {
            out.push(Change {
                words,
                wire,
                rust,
                section: Section::Changed,
            })
        };
        match kind {
            Kind::Field => {
                let way = self.way(key.split('.').next().unwrap_or_default());
                let (rust, wire, what) = field_change(old, new, way);
                push(rust, wire, format!("field {} {what}", code(&path(key))));
                return out;
            }
            Kind::Security => {
                let wire = security_change(
                    old.value.as_deref().unwrap_or_default(),
                    new.value.as_deref().unwrap_or_default(),
                );
                push(
                    Rust::Compatible,
                    wire,
                    format!(
                        "`{key}` needs credentials {} (was {})",
                        value_text(new),
                        value_text(old)
                    ),
                );
                return out;
            }
            _ => {}
        }
        if old.ty != new.ty {
            let (from, to) = (
                old.ty.as_deref().unwrap_or("()"),
                new.ty.as_deref().unwrap_or("()"),
            );
            let (rust, wire) = match kind {
                Kind::Argument | Kind::Parameter | Kind::Media => {
                    (Rust::Breaking, Way::SENT.retyped(from, to))
                }
                Kind::Success => (
                    if new.flag("variant").is_some() {
                        Rust::Breaking
                    } else {
                        Rust::Compatible
                    },
                    Way::RECEIVED.retyped(from, to),
                ),
                Kind::Error => (Rust::Breaking, Way::RECEIVED.retyped(from, to)),
                Kind::Variant => {
                    let way = self.way(key.split("::").next().unwrap_or_default());
                    (Rust::Breaking, way.retyped(from, to))
                }
                Kind::Alias | Kind::Newtype => (Rust::Breaking, self.way(key).retyped(from, to)),
                Kind::Credential => (
                    if (from == "bearer") != (to == "bearer") {
                        Rust::Breaking
                    } else {
                        Rust::Compatible
                    },
                    Wire::Breaking,
                ),
                _ => (Rust::Breaking, Wire::None),
            };
            push(
                rust,
                wire,
                format!(
                    "{} changes type from `{from}` to `{to}`",
                    subject(kind, key)
                ),
            );
        }
        if old.value != new.value {
            let (rust, wire) = match kind {
                Kind::Feature | Kind::Const | Kind::Variable => (Rust::Compatible, Wire::None),
                _ => (Rust::Compatible, Wire::Breaking),
            };
            push(
                rust,
                wire,
                format!(
                    "{} is now {} (was {})",
                    subject(kind, key),
                    value_text(new),
                    value_text(old)
                ),
            );
        }
        let (gone, came) = flag_changes(old, new);
        // A flag that swaps for another of its group is said once, by the one that came.
        let swapped = |flag: &String| {
            let name = flag.split(' ').next().unwrap_or_default();
            SWAPS.contains(&name)
                && came
                    .iter()
                    .any(|c| SWAPS.contains(&c.split(' ').next().unwrap_or_default()))
        };
        for flag in gone.iter().filter(|f| !swapped(f)) {
            let (rust, wire, words) = flag_change(kind, key, flag, false);
            push(rust, wire, words);
        }
        for flag in &came {
            let (rust, wire, words) = flag_change(kind, key, flag, true);
            push(rust, wire, words);
        }
        out
    }
}

/// Flags of which an item has one: how a body is required, how an answer is read.
const SWAPS: &[&str] = &[
    "required",
    "optional",
    "json",
    "text",
    "binary",
    "form",
    "multipart",
    "empty",
];

/// The flags only `old` has and those only `new` has.
fn flag_changes(old: &Entry, new: &Entry) -> (Vec<String>, Vec<String>) {
    let a: BTreeSet<&String> = old.flags.iter().collect();
    let b: BTreeSet<&String> = new.flags.iter().collect();
    (
        a.difference(&b).map(|s| (*s).clone()).collect(),
        b.difference(&a).map(|s| (*s).clone()).collect(),
    )
}

/// What one flag coming (`came`) or going means.
fn flag_change(kind: Kind, key: &str, flag: &str, came: bool) -> (Rust, Wire, String) {
    let subject = subject(kind, key);
    let name = flag.split(' ').next().unwrap_or(flag);
    let gained_or_lost = |gained: Rust| if came { gained } else { Rust::Breaking };
    match name {
        "sent" if kind == Kind::Struct => (
            gained_or_lost(Rust::Additive),
            Wire::None,
            if came {
                format!("{subject} is now sent in requests: it gains `new` and setters")
            } else {
                format!("{subject} is no longer sent: its `new` and setters are gone")
            },
        ),
        "default" => (
            gained_or_lost(Rust::Additive),
            Wire::None,
            format!(
                "{subject} {} `Default`",
                if came {
                    "implements"
                } else {
                    "no longer implements"
                }
            ),
        ),
        "sent" | "received" => (
            Rust::Compatible,
            Wire::None,
            format!(
                "{subject} is {} {}",
                if came { "now" } else { "no longer" },
                if name == "sent" {
                    "sent in requests"
                } else {
                    "received in answers"
                }
            ),
        ),
        "features" | "feature" => (
            // Leaving a feature takes the item from builds that enable only that feature.
            if came {
                Rust::Compatible
            } else {
                Rust::Breaking
            },
            Wire::None,
            format!(
                "{subject} {} {flag}",
                if came {
                    "is compiled with"
                } else {
                    "is no longer compiled with"
                }
            ),
        ),
        "variant" => (
            Rust::Breaking,
            Wire::None,
            format!("{subject} {} {flag}", if came { "is now" } else { "was" }),
        ),
        "into" => (
            gained_or_lost(Rust::Additive),
            Wire::None,
            format!(
                "{subject}: its type {} into the body",
                if came {
                    "now converts"
                } else {
                    "no longer converts"
                }
            ),
        ),
        "required" | "optional" if kind == Kind::Body => (
            Rust::Breaking,
            if came && name == "required" {
                Wire::Breaking
            } else {
                Wire::Compatible
            },
            format!("{subject} becomes {name}"),
        ),
        // A parameter's position is its place among the method's arguments.
        _ if flag.starts_with('#') => (
            Rust::Breaking,
            Wire::None,
            format!(
                "{subject} {} argument {}",
                if came { "is now" } else { "was" },
                &flag[1..]
            ),
        ),
        "string" | "integer" | "json" | "text" | "binary" | "form" | "multipart" | "empty" => (
            if kind == Kind::Enum || kind == Kind::Media {
                Rust::Breaking
            } else {
                Rust::Compatible
            },
            Wire::Breaking,
            format!(
                "{subject} {} {flag}",
                if came { "is now" } else { "is no longer" }
            ),
        ),
        "closed" => (
            Rust::Compatible,
            Wire::None,
            format!(
                "{subject} {} unknown properties",
                if came { "refuses" } else { "accepts" }
            ),
        ),
        _ => (
            Rust::Compatible,
            Wire::Breaking,
            format!(
                "{subject} {} {flag}",
                if came { "is now" } else { "is no longer" }
            ),
        ),
    }
}

/// How an item is named in words.
fn subject(kind: Kind, key: &str) -> String {
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

fn op_of(key: &str) -> String {
    code(key.split('.').next().unwrap_or(key))
}

fn value_text(e: &Entry) -> String {
    match &e.value {
        Some(v) => match serde_json::from_str::<String>(v) {
            Ok(s) => code(&s),
            Err(_) => code(v),
        },
        None => "nothing".to_owned(),
    }
}

fn param_text(key: &str, e: &Entry) -> String {
    let name = key.rsplit('.').next().unwrap_or(key);
    let place = e
        .flags
        .iter()
        .find(|f| !f.starts_with('#') && !f.starts_with("style"))
        .map(|f| format!(" ({})", f.replace('"', "`")))
        .unwrap_or_default();
    format!("`{name}`{place}")
}

fn answer_text(key: &str, e: &Entry) -> String {
    let status = key.rsplit('.').next().unwrap_or(key);
    let variant = e
        .flag("variant")
        .map(|v| format!(" `{v}`"))
        .unwrap_or_default();
    format!("{status}{variant} (`{}`)", e.ty.as_deref().unwrap_or("()"))
}

/// A value's literal or a variant's type, after its name.
fn detail(e: &Entry) -> String {
    match (&e.value, &e.ty) {
        (Some(v), _) => format!(" ({})", code(v)),
        (None, Some(t)) => format!(" (`{t}`)"),
        (None, None) => String::new(),
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
    if !e.has("required") && !e.has("extra") {
        ty = strip(&ty).unwrap_or(ty);
    }
    if e.has("nullable") && ty.starts_with("Option<") {
        ty = strip(&ty).unwrap_or(ty);
    }
    ty
}

/// A field's change: its Rust verdict, wire verdict and the words after its name.
fn field_change(old: &Entry, new: &Entry, way: Way) -> (Rust, Wire, String) {
    let rust = if old.ty != new.ty {
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
    match (old.has("required"), new.has("required")) {
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
    match (old.has("nullable"), new.has("nullable")) {
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
    let wire_name = |e: &Entry| e.flag("wire").map(str::to_owned);
    if wire_name(old) != wire_name(new) {
        (narrows_sends, widens_receives) = (true, true);
        what.push("has a new name on the wire".to_owned());
    }
    let content_type = |e: &Entry| e.flag("content-type").map(str::to_owned);
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
    fn widening_follows_values() {
        assert!(widens("i32", "i64"));
        assert!(!widens("i64", "i32"));
        assert!(widens("Vec<i32>", "Vec<f64>"));
        assert!(widens("DateTime<FixedOffset>", "String"));
        assert!(widens("Pet", "Value"));
        assert!(!widens("String", "Pet"));
    }

    #[test]
    fn security_breaks_when_an_alternative_is_lost() {
        assert_eq!(security_change("\"none\"", "\"key\""), Wire::Breaking);
        assert_eq!(security_change("\"key\"", "\"none\""), Wire::Compatible);
        assert_eq!(security_change("\"a | b\"", "\"a\""), Wire::Breaking);
        assert_eq!(security_change("\"a\"", "\"a | b\""), Wire::Compatible);
        assert_eq!(security_change("\"a & b\"", "\"a\""), Wire::Compatible);
    }
}
