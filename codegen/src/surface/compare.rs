//! What a change between two surfaces means: each changed item in words, with two verdicts.
//!
//! The wire verdict follows oasdiff's rule: a change breaks existing HTTP clients when it
//! narrows what they may send or widens what they may receive. The Rust verdict says what the
//! change does to code that uses the generated crate, given how the crate is built: structs and
//! enums are `#[non_exhaustive]`, sent structs have `new(required…)` and setters, optional
//! parameters are a struct of their own, and a body is anything that converts into its enum.

use std::collections::BTreeSet;

use super::rules::Context;
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
    /// The surface is the same: docs, examples, or the code behind it.
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
pub(super) struct Way {
    pub sent: bool,
    pub received: bool,
}

impl Way {
    pub(super) const SENT: Way = Way {
        sent: true,
        received: false,
    };
    pub(super) const RECEIVED: Way = Way {
        sent: false,
        received: true,
    };

    /// The wire verdict of a change that narrows what is sent or widens what is received.
    pub(super) fn verdict(self, narrows_sends: bool, widens_receives: bool) -> Wire {
        if (self.sent && narrows_sends) || (self.received && widens_receives) {
            Wire::Breaking
        } else {
            Wire::Compatible
        }
    }

    /// The wire verdict of a value's type changing from `old` to `new`.
    pub(super) fn retyped(self, old: &str, new: &str) -> Wire {
        self.verdict(!widens(old, new), !widens(new, old))
    }
}

/// Whether every value of type `from` is a value of type `to`.
pub(super) fn widens(from: &str, to: &str) -> bool {
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
pub(super) struct Diff {
    pub kind: Kind,
    pub key: String,
    pub old: Option<Entry>,
    pub new: Option<Entry>,
}

/// An operation's parameter that moved between the method's arguments (required) and its
/// parameters struct (optional): one change, not a removal and an addition.
fn moved_parameters(diffs: Vec<Diff>) -> (Vec<Change>, Vec<Diff>) {
    let mut moved = Vec::new();
    let mut rest: Vec<Diff> = Vec::new();
    let place = |d: &Diff| {
        let e = d.old.as_ref().or(d.new.as_ref())?;
        e.place().cloned()
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
}
