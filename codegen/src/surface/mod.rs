//! The public surface of a generated crate: one line per item (type, field, enum value,
//! operation, parameter, answer, feature...), written beside the crate as `public-api.txt` so
//! that a spec change reads as a diff in review, and read back to tell what the change means.
//!
//! A line is `<kind> <key>[: <type>][ = <value>][ [<flag>, ...]]`: the kind, the item's path
//! (`Pet.name`, `Status::Active`, `update_user.locale`), its Rust type, a value (a JSON literal),
//! and flags (`required`, `sent`, `wire "petName"`). Lines are sorted by kind, then key.

mod compare;
mod flag;
mod of;
mod rules;
mod words;

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use compare::{Change, Level, Rust, Section, Wire, compare};
pub use flag::{Attr, Flag, Mark};
pub use of::{client_surface, models_surface, type_text};

/// The name of the file that holds a crate's surface.
pub const FILE: &str = "public-api.txt";

/// The `public-api.txt` of the crates users depend on (the client's when the API has
/// operations), and the models crate's type names by where they come from
/// ([`crate::pins::Pins::FILE`]), by path relative to the output folder.
pub fn files(api: &crate::ir::Api, plan: Option<&crate::plan::Plan>) -> crate::files::Files {
    let text = |krate: &str, surface: Surface| {
        let head = format!(
            "The public surface of `{krate}`, generated from {}.",
            api.source
        );
        (
            std::path::Path::new(krate).join(FILE),
            surface.render(&head, &api.commands.generate),
        )
    };
    let mut files =
        crate::files::Files::from([text(&api.crates.models, models_surface(api, plan))]);
    if api.has_client() {
        files.extend([text(&api.crates.client, client_surface(api, plan))]);
    }
    let pins = crate::lower::type_names_of(api);
    if !pins.is_empty() {
        let models = &api.crates.models;
        let head = format!(
            "The type names of `{models}`, generated from {}.",
            api.source
        );
        let path = std::path::Path::new(models).join(crate::pins::Pins::FILE);
        files.insert(path, pins.render(&head));
    }
    files
}

/// What an item is. The order is the order of the file's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The runtime crate the client is built on, at its version.
    Runtime,
    Feature,
    Const,
    Server,
    Variable,
    Credential,
    Operation,
    Argument,
    Parameter,
    Body,
    Media,
    Returns,
    Success,
    Error,
    Security,
    /// How an operation's list pages, as detection or an extension decided.
    Pagination,
    /// A request the API sends (a webhook, a callback): its functions, payload and event.
    Webhook,
    /// The signing scheme `webhooks::verifier` is preset with, as the configuration set it.
    Signing,
    Struct,
    Field,
    Enum,
    Value,
    Union,
    Variant,
    Alias,
    Newtype,
}

const KINDS: &[(Kind, &str)] = &[
    (Kind::Runtime, "runtime"),
    (Kind::Feature, "feature"),
    (Kind::Const, "const"),
    (Kind::Server, "server"),
    (Kind::Variable, "variable"),
    (Kind::Credential, "credential"),
    (Kind::Operation, "operation"),
    (Kind::Argument, "argument"),
    (Kind::Parameter, "parameter"),
    (Kind::Body, "body"),
    (Kind::Media, "media"),
    (Kind::Returns, "returns"),
    (Kind::Success, "success"),
    (Kind::Error, "error"),
    (Kind::Security, "security"),
    (Kind::Pagination, "pagination"),
    (Kind::Webhook, "webhook"),
    (Kind::Signing, "signing"),
    (Kind::Struct, "struct"),
    (Kind::Field, "field"),
    (Kind::Enum, "enum"),
    (Kind::Value, "value"),
    (Kind::Union, "union"),
    (Kind::Variant, "variant"),
    (Kind::Alias, "alias"),
    (Kind::Newtype, "newtype"),
];

impl Kind {
    pub fn word(self) -> &'static str {
        word_of(KINDS, self)
    }

    fn from_word(word: &str) -> Option<Kind> {
        of_word(KINDS, word)
    }
}

/// The word a table gives a value.
fn word_of<T: PartialEq + Copy>(table: &[(T, &'static str)], of: T) -> &'static str {
    table.iter().find(|(t, _)| *t == of).map_or("?", |(_, w)| w)
}

/// The value a table gives a word.
fn of_word<T: Copy>(table: &[(T, &'static str)], word: &str) -> Option<T> {
    table.iter().find(|(_, w)| *w == word).map(|(t, _)| *t)
}

/// One item of a surface.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub ty: Option<String>,
    pub value: Option<String>,
    pub flags: Vec<Flag>,
}

impl Entry {
    pub fn has(&self, mark: Mark) -> bool {
        self.flags.contains(&Flag::Is(mark))
    }

    /// The value of a flag such as `wire "petName"`, as written.
    pub fn attr(&self, attr: Attr) -> Option<&str> {
        self.flags.iter().find_map(|f| match f {
            Flag::Has(a, value) if *a == attr => Some(value.as_str()),
            _ => None,
        })
    }

    /// A parameter's place: `path "id"`.
    pub fn place(&self) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| matches!(f, Flag::Has(a, _) if a.is_place()))
    }
}

/// A crate's surface: its items by kind and key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    pub items: BTreeMap<(Kind, String), Entry>,
}

impl Surface {
    pub fn add(&mut self, kind: Kind, key: impl Into<String>, entry: Entry) {
        self.items.insert((kind, key.into()), entry);
    }

    pub fn get(&self, kind: Kind, key: &str) -> Option<&Entry> {
        self.items.get(&(kind, key.to_owned()))
    }

    /// The file's text, with `title` as its first comment line and `generate`, the command
    /// that writes it, in the second.
    pub fn render(&self, title: &str, generate: &str) -> String {
        let mut out = format!(
            "# {title}\n# Written by `{generate}`: one line per public item, so that a spec \
             change reads as a diff.\n"
        );
        let mut items: Vec<(&(Kind, String), &Entry)> = self.items.iter().collect();
        items.sort_by_key(|((kind, key), _)| group(*kind, key));
        let mut section = None;
        for ((kind, key), entry) in items {
            let (class, owner, _, _) = group(*kind, key);
            let this = (class, owner);
            if section != Some(this) {
                out.push('\n');
                section = Some(this);
            }
            out.push_str(&line(*kind, key, entry));
            out.push('\n');
        }
        out
    }

    /// Reads a surface back from its text.
    pub fn parse(text: &str) -> Result<Surface, String> {
        let mut surface = Surface::default();
        for (i, raw) in text.lines().enumerate() {
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let (kind, key, entry) =
                parse_line(raw).ok_or_else(|| format!("line {}: cannot read `{raw}`", i + 1))?;
            surface.add(kind, key, entry);
        }
        Ok(surface)
    }
}

/// Where an item goes in the file: the crate's settings first, then each operation with its
/// parameters and answers, then each type with its members.
fn group(kind: Kind, key: &str) -> (u8, &str, Kind, &str) {
    let owner = key.split(['.', ':']).next().unwrap_or(key);
    let class = match kind {
        Kind::Feature | Kind::Const | Kind::Server | Kind::Variable | Kind::Credential => 0,
        Kind::Operation
        | Kind::Argument
        | Kind::Parameter
        | Kind::Body
        | Kind::Media
        | Kind::Returns
        | Kind::Success
        | Kind::Error
        | Kind::Security => 1,
        _ => 2,
    };
    (class, if class == 0 { "" } else { owner }, kind, key)
}

fn line(kind: Kind, key: &str, entry: &Entry) -> String {
    let mut out = format!("{} {key}", kind.word());
    if let Some(ty) = &entry.ty {
        let _ = write!(out, ": {ty}");
    }
    if let Some(value) = &entry.value {
        let _ = write!(out, " = {value}");
    }
    if !entry.flags.is_empty() {
        let flags: Vec<String> = entry.flags.iter().map(Flag::to_string).collect();
        let _ = write!(out, " [{}]", flags.join(", "));
    }
    out
}

fn parse_line(line: &str) -> Option<(Kind, String, Entry)> {
    let (word, rest) = line.split_once(' ')?;
    let kind = Kind::from_word(word)?;
    let (rest, flags) = match rest.strip_suffix(']') {
        Some(head) => {
            let open = head.rfind(" [")?;
            (&head[..open], split_flags(&head[open + 2..]))
        }
        None => (rest, Vec::new()),
    };
    let (rest, value) = match rest.split_once(" = ") {
        Some((head, value)) => (head, Some(value.to_owned())),
        None => (rest, None),
    };
    let (key, ty) = match rest.split_once(": ") {
        Some((key, ty)) => (key, Some(ty.to_owned())),
        None => (rest, None),
    };
    Some((kind, key.to_owned(), Entry { ty, value, flags }))
}

/// Flags split at `, ` outside quotes.
fn split_flags(text: &str) -> Vec<Flag> {
    let mut flags = Vec::new();
    let (mut current, mut quoted, mut escaped) = (String::new(), false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ',' if !quoted && chars.peek() == Some(&' ') => {
                chars.next();
                flags.push(Flag::parse(&std::mem::take(&mut current)));
                continue;
            }
            '"' if !escaped => quoted = !quoted,
            _ => {}
        }
        escaped = c == '\\' && !escaped;
        current.push(c);
    }
    if !current.is_empty() {
        flags.push(Flag::parse(&current));
    }
    flags
}

/// A string as a JSON literal, for values and quoted flags.
pub fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
