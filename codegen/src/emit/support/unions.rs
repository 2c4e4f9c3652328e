//! Decoding of unions (`oneOf`, `anyOf`): the variant is chosen by what the value holds
//! (its JSON kind, its tags, the properties it has), read from its JSON text in one pass
//! that skips what it does not need, and the chosen variant is decoded once from that
//! text. Only variants that the value fits equally well are each decoded, and the one that
//! keeps most of the value wins. A value whose kind or tag no variant takes is kept whole
//! as the union's `Unknown`, so that a variant the API adds later is data, not an error.
//! The cost is in proportion to the body: no tree of the value is built, whatever the
//! unions nested in it.
//!
//! This file is compiled into the generator's tests and copied into each models crate's
//! `serde_support` module.

use std::borrow::Cow;

use serde::de::Deserializer;
use serde_json::Value;

/// The JSON kinds of value a variant takes, as bits.
pub type Kinds = u8;
pub const NULL: Kinds = 1;
pub const BOOLEAN: Kinds = 2;
pub const INTEGER: Kinds = 4;
/// A number with a fraction or an exponent (a `number` variant takes integers too).
pub const FRACTION: Kinds = 8;
pub const STRING: Kinds = 16;
pub const ARRAY: Kinds = 32;
pub const OBJECT: Kinds = 64;
pub const ANY: Kinds = 127;

/// What a variant does with the properties of an object it does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    Kept,
    Refused,
}

/// The values a variant lists (an enum's): a value among them fits better than one that the
/// enum would keep as unknown.
#[derive(Debug, Clone, Copy)]
pub enum Values {
    Any,
    Strings(&'static [&'static str]),
    Integers(&'static [i64]),
}

/// What a variant's values look like, known without decoding one.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub kinds: Kinds,
    /// The properties an object must have.
    pub required: &'static [&'static str],
    /// Every property the variant declares, sorted.
    pub properties: &'static [&'static str],
    pub extra: Extra,
    /// Properties whose value picks the variant, with the values that do: the union's
    /// discriminator, or a property whose value the variant's schema fixes.
    pub tags: &'static [(&'static str, &'static [&'static str])],
    pub values: Values,
}

impl Shape {
    /// A variant that takes values of `kinds` and says nothing more about them.
    pub const fn of(kinds: Kinds) -> Shape {
        Shape {
            kinds,
            required: &[],
            properties: &[],
            extra: Extra::Kept,
            tags: &[],
            values: Values::Any,
        }
    }

    /// A variant of enum values.
    pub const fn listing(kinds: Kinds, values: Values) -> Shape {
        Shape {
            values,
            ..Shape::of(kinds)
        }
    }

    /// A variant that is an object with properties.
    pub const fn object(
        required: &'static [&'static str],
        properties: &'static [&'static str],
        extra: Extra,
        tags: &'static [(&'static str, &'static [&'static str])],
    ) -> Shape {
        Shape {
            kinds: OBJECT,
            required,
            properties,
            extra,
            tags,
            values: Values::Any,
        }
    }
}

/// One variant of a union: its name, its shape, and how it is decoded from JSON text.
pub struct Variant<T> {
    pub name: &'static str,
    pub shape: Shape,
    pub decode: fn(&str) -> Result<T, serde_json::Error>,
}

/// What the value holds, as far as choosing a variant needs: its kind, and for an object
/// its properties with the text of those that are strings; for a string or an integer,
/// itself.
struct Summary<'a> {
    kind: Kinds,
    text: Option<Cow<'a, str>>,
    integer: Option<i64>,
    properties: Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>,
}

impl<'a> Summary<'a> {
    /// Reads `json` (valid JSON text) down to the top-level properties, skipping the rest
    /// of the value byte by byte: one quick pass, nothing built but the list of properties.
    fn read(json: &'a str) -> Result<Summary<'a>, serde_json::Error> {
        let mut scan = Scan { json, at: 0 };
        scan.blank();
        let kind = match scan.peek() {
            b'{' => return scan.object(),
            b'"' => {
                let text = scan.string()?;
                return Ok(Summary {
                    text: Some(text),
                    ..plain(STRING)
                });
            }
            b'[' => ARRAY,
            b'n' => NULL,
            b't' | b'f' => BOOLEAN,
            _ => return Ok(scan.number()),
        };
        Ok(plain(kind))
    }

    fn property(&self, name: &str) -> Option<&Option<Cow<'a, str>>> {
        self.properties
            .iter()
            .find(|(k, _)| same(k, name))
            .map(|(_, v)| v)
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            NULL => "null",
            BOOLEAN => "a boolean",
            INTEGER => "an integer",
            FRACTION => "a number",
            STRING => "a string",
            ARRAY => "an array",
            _ => "an object",
        }
    }
}

fn plain<'a>(kind: Kinds) -> Summary<'a> {
    Summary {
        kind,
        text: None,
        integer: None,
        properties: Vec::new(),
    }
}

/// A reader of valid JSON text (what serde_json hands over as a raw value) at a byte
/// offset.
struct Scan<'a> {
    json: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> u8 {
        self.json.as_bytes().get(self.at).copied().unwrap_or(b'}')
    }

    fn blank(&mut self) {
        while matches!(self.peek(), b' ' | b'\n' | b'\r' | b'\t') {
            self.at += 1;
        }
    }

    /// The properties of the object at the offset, with the text of those that are strings.
    fn object(&mut self) -> Result<Summary<'a>, serde_json::Error> {
        let mut properties = Vec::new();
        self.at += 1;
        loop {
            self.blank();
            match self.peek() {
                b'}' => break,
                b',' => self.at += 1,
                _ => {
                    let key = self.string()?;
                    self.blank();
                    self.at += 1;
                    self.blank();
                    let text = if self.peek() == b'"' {
                        Some(self.string()?)
                    } else {
                        self.skip();
                        None
                    };
                    properties.push((key, text));
                }
            }
        }
        Ok(Summary {
            properties,
            ..plain(OBJECT)
        })
    }

    /// The string at the offset: borrowed when it has no escape, else decoded by
    /// serde_json.
    fn string(&mut self) -> Result<Cow<'a, str>, serde_json::Error> {
        let start = self.at;
        let (end, escaped) = string_end(self.json.as_bytes(), start);
        self.at = end;
        let token = &self.json[start..end];
        if escaped {
            serde_json::from_str::<String>(token).map(Cow::Owned)
        } else {
            Ok(Cow::Borrowed(&token[1..token.len().saturating_sub(1)]))
        }
    }

    /// Skips the value at the offset: a container to its matching end, a plain value to the
    /// next delimiter.
    fn skip(&mut self) {
        let bytes = self.json.as_bytes();
        let mut depth = 0usize;
        let mut at = self.at;
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'"' => {
                    at = string_end(bytes, at).0;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth <= 1 => {
                    at += depth;
                    break;
                }
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => break,
                _ => {}
            }
            at += 1;
        }
        self.at = at;
    }

    /// The number at the offset: an integer where it is one, as serde_json reads it.
    fn number(&mut self) -> Summary<'a> {
        let start = self.at;
        while matches!(self.peek(), b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
            self.at += 1;
        }
        let token = &self.json[start..self.at];
        let fraction = token.contains(['.', 'e', 'E']);
        match (fraction, token.parse::<i64>(), token.parse::<u64>()) {
            (false, Ok(i), _) => Summary {
                integer: Some(i),
                ..plain(INTEGER)
            },
            (false, _, Ok(_)) => plain(INTEGER),
            _ => plain(FRACTION),
        }
    }
}

/// The offset just past the string that starts at `start` (its opening quote), and whether
/// it holds an escape.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut at = start + 1;
    let mut escaped = false;
    while let Some(found) = quote_or_backslash(bytes, at) {
        if bytes[found] == b'"' {
            return (found + 1, escaped);
        }
        escaped = true;
        at = found + 2;
    }
    (bytes.len(), escaped)
}

/// The offset of the first quote or backslash at or after `from`, eight bytes at a time.
fn quote_or_backslash(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut at = from.min(bytes.len());
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = zero_byte(word ^ (ONES * u64::from(b'"')))
            | zero_byte(word ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            // The lowest flagged byte is a match: a false flag only follows a true one.
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = &bytes[at..];
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|n| at + n)
}

/// Why a variant does not take a value.
enum Misfit {
    /// The value is of a kind the variant does not take.
    Kind(Kinds),
    /// A tag names another variant (what it holds is in the summary).
    Tag(&'static str),
    Missing(&'static str),
    Refused(String),
    Decode(String),
}

impl Misfit {
    /// Whether the value may be of a variant the union does not know yet.
    fn is_unknown_variant(&self) -> bool {
        matches!(self, Misfit::Kind(_) | Misfit::Tag(..))
    }

    fn text(&self, summary: &Summary) -> String {
        match self {
            Misfit::Kind(kinds) => {
                format!("takes {}, not {}", kind_names(*kinds), summary.kind_name())
            }
            Misfit::Tag(property) => match summary.property(property) {
                Some(Some(found)) => format!("`{property}` is {found:?}"),
                _ => format!("`{property}` is not a string"),
            },
            Misfit::Missing(property) => format!("missing property `{property}`"),
            Misfit::Refused(property) => format!("unknown property `{property}`"),
            Misfit::Decode(e) => e.clone(),
        }
    }
}

/// How well a value fits a variant before it is decoded; less is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// Tags that are not matched (out of the union's most).
    unmatched_tags: usize,
    /// Properties of the value that the variant does not declare (it may keep them as extra
    /// properties, but another variant that declares them fits better).
    undeclared: usize,
    /// 0 for a value the variant lists, 1 for a variant that lists none, 2 for an unlisted
    /// one.
    listed: u8,
}

fn kind_names(kinds: Kinds) -> String {
    let names = [
        (NULL, "null"),
        (BOOLEAN, "a boolean"),
        (INTEGER, "an integer"),
        (FRACTION, "a number"),
        (STRING, "a string"),
        (ARRAY, "an array"),
        (OBJECT, "an object"),
    ];
    let taken: Vec<&str> = names
        .iter()
        .filter(|(k, _)| kinds & k != 0)
        .map(|(_, n)| *n)
        .collect();
    taken.join(" or ")
}

/// Whether two names are the same, told apart by their length and last byte before the rest
/// is compared (most properties a variant is asked for are not there).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

impl Shape {
    /// Whether the variant declares property `name`.
    fn declares(&self, name: &str) -> bool {
        match self.properties.len() {
            0..=8 => self.properties.iter().any(|p| same(p, name)),
            _ => self.properties.binary_search(&name).is_ok(),
        }
    }

    /// Whether the variant may take the value `summary` describes, and how well;
    /// `most_tags` is the most tags any variant of the union has.
    fn fit(&self, summary: &Summary, most_tags: usize) -> Result<Fit, Misfit> {
        let kind = summary.kind;
        let takes = self.kinds & kind != 0 || (kind == INTEGER && self.kinds & FRACTION != 0);
        if !takes {
            return Err(Misfit::Kind(self.kinds));
        }
        let listed = match self.values {
            Values::Strings(list) => listing(summary.text.as_deref().map(|t| list.contains(&t))),
            Values::Integers(list) => listing(summary.integer.map(|i| list.contains(&i))),
            Values::Any => 1,
        };
        if kind != OBJECT {
            return Ok(Fit {
                unmatched_tags: most_tags,
                undeclared: 0,
                listed,
            });
        }
        let mut matched = 0;
        for (property, values) in self.tags {
            match summary.property(property) {
                Some(Some(text)) if values.contains(&text.as_ref()) => matched += 1,
                Some(_) => return Err(Misfit::Tag(property)),
                None => {}
            }
        }
        if let Some(missing) = self.required.iter().find(|p| summary.property(p).is_none()) {
            return Err(Misfit::Missing(missing));
        }
        let mut undeclared = summary
            .properties
            .iter()
            .filter(|(k, _)| !self.declares(k))
            .peekable();
        if let (Extra::Refused, Some((k, _))) = (self.extra, undeclared.peek()) {
            return Err(Misfit::Refused(k.to_string()));
        }
        Ok(Fit {
            unmatched_tags: most_tags.saturating_sub(matched),
            undeclared: undeclared.count(),
            listed,
        })
    }
}

/// How a listed value ranks: 0 when the variant lists it, 2 when not, 1 when it cannot say.
fn listing(found: Option<bool>) -> u8 {
    match found {
        Some(true) => 0,
        Some(false) => 2,
        None => 1,
    }
}

/// Decodes a union from `deserializer` (JSON text, or a JSON value) as the variant it fits
/// best; `unknown` keeps a value whose kind or tag no variant takes.
pub fn deserialize<'de, D: Deserializer<'de>, T: serde::Serialize>(
    deserializer: D,
    variants: &[Variant<T>],
    union: &str,
    unknown: fn(Value) -> T,
) -> Result<T, D::Error> {
    use serde::de::Error as _;
    let json = deserializer.deserialize_newtype_struct(RAW_VALUE, Text)?;
    decode(&json, variants, union, unknown).map_err(D::Error::custom)
}

/// The name under which serde_json's deserializers hand over the text of a value as it is
/// (what `RawValue` asks for): borrowed from JSON text in memory, else a copy.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The JSON text of a value, as serde_json hands it over for [`RAW_VALUE`]; from any other
/// deserializer, the value read and written out again.
struct Text;

impl<'de> serde::de::Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        map.next_key::<serde::de::IgnoredAny>()?;
        map.next_value_seed(Text)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, value: D) -> Result<Self::Value, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(value)?;
        Ok(Cow::Owned(value.to_string()))
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, text: D) -> Result<Self::Value, D::Error> {
        text.deserialize_str(self)
    }
}

/// Decodes the JSON text `json` as the variant of `union` it fits best; `unknown` keeps a
/// value whose kind or tag no variant takes. A value that fits no variant is an error that
/// says, per variant, why.
pub fn decode<T: serde::Serialize>(
    json: &str,
    variants: &[Variant<T>],
    union: &str,
    unknown: fn(Value) -> T,
) -> Result<T, String> {
    let summary = Summary::read(json).map_err(|e| e.to_string())?;
    let most_tags = variants
        .iter()
        .map(|v| v.shape.tags.len())
        .max()
        .unwrap_or(0);
    // Most values fit one variant best: it is decoded without sorting the others.
    if let Some(found) = only_best(json, &summary, variants, most_tags) {
        return Ok(found);
    }
    let mut fits: Vec<(Fit, usize)> = variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((v.shape.fit(&summary, most_tags).ok()?, i)))
        .collect();
    fits.sort();
    let container = summary.kind & (OBJECT | ARRAY) != 0;
    let mut failures = Vec::new();
    for group in fits.chunk_by(|a, b| a.0 == b.0) {
        if let Some(found) = best_of(json, container, variants, group, &mut failures) {
            return Ok(found);
        }
    }
    // Nothing fits: why, variant by variant, or a kind of value the union does not know yet.
    let misfits: Vec<Option<Misfit>> = variants
        .iter()
        .enumerate()
        .map(|(i, v)| match v.shape.fit(&summary, most_tags) {
            Err(misfit) => Some(misfit),
            Ok(_) => failures
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, e)| Misfit::Decode(e.to_string())),
        })
        .collect();
    if fits.is_empty() && misfits.iter().flatten().all(Misfit::is_unknown_variant) {
        return serde_json::from_str(json)
            .map(unknown)
            .map_err(|e| e.to_string());
    }
    Err(no_fit(&summary, variants, union, &misfits))
}

/// The variant that fits the value better than any other, decoded, when there is one and it
/// decodes.
fn only_best<T>(
    json: &str,
    summary: &Summary,
    variants: &[Variant<T>],
    most_tags: usize,
) -> Option<T> {
    let mut best: Option<(Fit, usize)> = None;
    let mut tied = false;
    for (i, v) in variants.iter().enumerate() {
        let Ok(fit) = v.shape.fit(summary, most_tags) else {
            continue;
        };
        match &best {
            Some((b, _)) if fit == *b => tied = true,
            Some((b, _)) if fit > *b => {}
            _ => {
                best = Some((fit, i));
                tied = false;
            }
        }
    }
    let (_, i) = best.filter(|_| !tied)?;
    (variants[i].decode)(json).ok()
}

/// Of variants the value fits equally well before decoding, the first that keeps all of it,
/// else the one that loses least. One variant, or a value that is not a container, is
/// decoded once: the first that decodes wins. Decoding errors go to `failures`, by variant.
fn best_of<T: serde::Serialize>(
    json: &str,
    container: bool,
    variants: &[Variant<T>],
    group: &[(Fit, usize)],
    failures: &mut Vec<(usize, serde_json::Error)>,
) -> Option<T> {
    let compare = group.len() > 1 && container;
    let value: Option<Value> = compare.then(|| serde_json::from_str(json).ok()).flatten();
    let mut best: Option<(usize, T)> = None;
    for &(_, i) in group {
        match (variants[i].decode)(json) {
            Ok(found) => {
                let Some(value) = &value else {
                    return Some(found);
                };
                let lost =
                    serde_json::to_value(&found).map_or(usize::MAX, |kept| lost(value, &kept));
                if lost == 0 {
                    return Some(found);
                }
                if best.as_ref().is_none_or(|(least, _)| lost < *least) {
                    best = Some((lost, found));
                }
            }
            Err(e) => failures.push((i, e)),
        }
    }
    best.map(|(_, found)| found)
}

fn no_fit<T>(
    summary: &Summary,
    variants: &[Variant<T>],
    union: &str,
    misfits: &[Option<Misfit>],
) -> String {
    let reasons: Vec<String> = variants
        .iter()
        .zip(misfits)
        .filter_map(|(v, m)| {
            m.as_ref()
                .map(|m| format!("`{}` {}", v.name, m.text(summary)))
        })
        .collect();
    format!(
        "the value fits no variant of `{union}`: {}",
        reasons.join("; ")
    )
}

/// How many parts of `input` (object members, items, values) `kept` does not hold.
fn lost(input: &Value, kept: &Value) -> usize {
    match (input, kept) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .map(|(k, v)| b.get(k).map_or(1 + size(v), |w| lost(v, w)))
            .sum(),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).map(|(v, w)| lost(v, w)).sum()
        }
        (Value::Number(x), Value::Number(y)) => usize::from(x != y && x.as_f64() != y.as_f64()),
        // A text kept as text (a date-time written back as `+00:00` for `Z`) is kept.
        (Value::String(_), Value::String(_)) => 0,
        _ if input == kept => 0,
        _ => 1 + size(input),
    }
}

/// How many parts a value has.
fn size(value: &Value) -> usize {
    match value {
        Value::Object(m) => m.values().map(|v| 1 + size(v)).sum(),
        Value::Array(a) => a.iter().map(|v| 1 + size(v)).sum(),
        _ => 0,
    }
}
