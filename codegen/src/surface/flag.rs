//! The flags of a surface line: what an item is besides its type and value, as the lines write
//! them (`required`, `wire "petName"`, `#2`) and as the rules read them.

use std::fmt;

use super::{of_word, word_of};

/// One flag of a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// A word alone: `required`, `sent`, `json`.
    Is(Mark),
    /// A word and the value after it, as written (quotes included): `wire "petName"`.
    Has(Attr, String),
    /// A required parameter's place among the method's arguments: `#2`.
    Position(usize),
    /// A value that selects a union's variant, as a JSON string: `"cat"`.
    Selector(String),
    /// A flag this generator does not write (any more): kept so that its going reads as a change.
    Other(String),
}

/// A flag that is a word alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// A type sent in requests.
    Sent,
    /// A type received in answers.
    Received,
    /// A struct that implements `Default`.
    Default,
    /// A struct that refuses unknown properties.
    Closed,
    /// The field that keeps a struct's unknown properties.
    Extra,
    /// A union's variant that holds what no other variant does.
    Unknown,
    /// A client feature that enables the models' feature of the same name.
    Models,
    Required,
    Optional,
    Nullable,
    /// A field whose value the crate tolerates when it does not fit its schema.
    Tolerated,
    /// A field the server owns (`readOnly`): answers hold it, requests leave it out.
    ReadOnly,
    /// A field only clients send (`writeOnly`): answers may leave it out.
    WriteOnly,
    /// An optional field that `new` asks for: requests require it, answers may lack it.
    Asked,
    /// A body's media type whose type converts into the body.
    Into,
    /// An enum of strings.
    String,
    /// An enum of integers.
    Integer,
    Json,
    Text,
    Binary,
    Form,
    Multipart,
    /// An answer without a body.
    Empty,
    JsonOrText,
    JsonOrBinary,
    /// Server-sent events, each event's data an item.
    Sse,
    /// JSON Lines.
    JsonLines,
    /// JSON text sequences.
    JsonSeq,
}

/// A flag that is a word and a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attr {
    /// The features a type is compiled with, as one JSON string.
    Features,
    /// The feature an operation is compiled with.
    Feature,
    /// A union's discriminator property.
    Tag,
    /// A field's or part's name on the wire.
    Wire,
    /// The one value the schema allows a required field.
    Fixed,
    /// A multipart part's content type.
    ContentType,
    /// A credential's security scheme.
    Scheme,
    /// The variant of the success or error enum that holds an answer.
    Variant,
    /// A parameter in the path, by its wire name.
    Path,
    Query,
    Header,
    Cookie,
    /// A parameter's serialization when it is not its location's default.
    Style,
    /// A paged list's walks and their types: `<op>_pages: <Op>Pages, <op>_items: <Op>Items`.
    Walks,
}

const MARKS: &[(Mark, &str)] = &[
    (Mark::Sent, "sent"),
    (Mark::Received, "received"),
    (Mark::Default, "default"),
    (Mark::Closed, "closed"),
    (Mark::Extra, "extra"),
    (Mark::Unknown, "unknown"),
    (Mark::Models, "models"),
    (Mark::Required, "required"),
    (Mark::Optional, "optional"),
    (Mark::Nullable, "nullable"),
    (Mark::Tolerated, "tolerated"),
    (Mark::ReadOnly, "read-only"),
    (Mark::WriteOnly, "write-only"),
    (Mark::Asked, "asked by new"),
    (Mark::Into, "into"),
    (Mark::String, "string"),
    (Mark::Integer, "integer"),
    (Mark::Json, "json"),
    (Mark::Text, "text"),
    (Mark::Binary, "binary"),
    (Mark::Form, "form"),
    (Mark::Multipart, "multipart"),
    (Mark::Empty, "empty"),
    (Mark::JsonOrText, "json or text"),
    (Mark::JsonOrBinary, "json or binary"),
    (Mark::Sse, "sse"),
    (Mark::JsonLines, "jsonl"),
    (Mark::JsonSeq, "json-seq"),
];

const ATTRS: &[(Attr, &str)] = &[
    (Attr::Features, "features"),
    (Attr::Feature, "feature"),
    (Attr::Tag, "tag"),
    (Attr::Wire, "wire"),
    (Attr::Fixed, "fixed"),
    (Attr::ContentType, "content-type"),
    (Attr::Scheme, "scheme"),
    (Attr::Variant, "variant"),
    (Attr::Path, "path"),
    (Attr::Query, "query"),
    (Attr::Header, "header"),
    (Attr::Cookie, "cookie"),
    (Attr::Style, "style"),
    (Attr::Walks, "walks"),
];

impl Mark {
    pub fn word(self) -> &'static str {
        word_of(MARKS, self)
    }

    /// Whether an item has exactly one flag of this group, so that one replacing another is
    /// one change: how a body is required, how a body or answer is carried.
    pub fn swaps(self) -> bool {
        matches!(self, Mark::Required | Mark::Optional) || self.is_carriage()
    }

    /// Whether it says how values are carried: an enum's value type, a body's or answer's
    /// media kind.
    pub fn is_carriage(self) -> bool {
        matches!(
            self,
            Mark::String
                | Mark::Integer
                | Mark::Json
                | Mark::Text
                | Mark::Binary
                | Mark::Form
                | Mark::Multipart
                | Mark::Empty
                | Mark::JsonOrText
                | Mark::JsonOrBinary
                | Mark::Sse
                | Mark::JsonLines
                | Mark::JsonSeq
        )
    }

    /// How a changelog says it, where its flag's word is too short to read.
    pub fn phrase(self) -> Option<&'static str> {
        match self {
            Mark::Sse => Some("a stream of server-sent events"),
            Mark::JsonLines => Some("a stream of JSON Lines"),
            Mark::JsonSeq => Some("a stream of JSON text sequences"),
            _ => None,
        }
    }

    /// `required` or `optional`.
    pub fn required(required: bool) -> Mark {
        if required {
            Mark::Required
        } else {
            Mark::Optional
        }
    }
}

impl Attr {
    pub fn word(self) -> &'static str {
        word_of(ATTRS, self)
    }

    /// Whether it says where a parameter goes.
    pub fn is_place(self) -> bool {
        matches!(self, Attr::Path | Attr::Query | Attr::Header | Attr::Cookie)
    }
}

impl Flag {
    /// Reads a flag back from its text.
    pub fn parse(text: &str) -> Flag {
        if let Some(mark) = of_word(MARKS, text) {
            return Flag::Is(mark);
        }
        if let Some(n) = text.strip_prefix('#').and_then(|n| n.parse().ok()) {
            return Flag::Position(n);
        }
        if text.starts_with('"') {
            return Flag::Selector(text.to_owned());
        }
        let attr = text
            .split_once(' ')
            .and_then(|(word, value)| Some((of_word(ATTRS, word)?, value)));
        match attr {
            Some((attr, value)) => Flag::Has(attr, value.to_owned()),
            None => Flag::Other(text.to_owned()),
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Is(mark) => f.write_str(mark.word()),
            Flag::Has(attr, value) => write!(f, "{} {value}", attr.word()),
            Flag::Position(n) => write!(f, "#{n}"),
            Flag::Selector(text) | Flag::Other(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_reads_back_as_written() {
        let marks = MARKS.iter().map(|(m, _)| Flag::Is(*m));
        let attrs = ATTRS
            .iter()
            .map(|(a, _)| Flag::Has(*a, "\"a b\"".to_owned()));
        let rest = [
            Flag::Position(12),
            Flag::Selector("\"cat\"".to_owned()),
            Flag::Other("gone with an older version".to_owned()),
        ];
        for flag in marks.chain(attrs).chain(rest) {
            assert_eq!(Flag::parse(&flag.to_string()), flag, "{flag}");
        }
    }
}
