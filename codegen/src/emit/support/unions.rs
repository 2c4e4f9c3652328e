//! Decoding of unions (`oneOf`, `anyOf`): the variant is chosen by what the value holds (its
//! JSON kind, its tags, the properties it has) before anything is decoded, and the chosen one
//! is decoded once. Only variants that the value fits equally well are each decoded, and the
//! one that keeps most of the value wins. A value whose kind or tag no variant takes is kept
//! whole as the union's `Unknown`, so that a variant the API adds later is data, not an error.
//!
//! This file is compiled into the generator's tests and copied into each models crate's
//! `serde_support` module.

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
    Dropped,
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

/// One variant of a union: its name, its shape, and how it is decoded.
pub struct Variant<T> {
    pub name: &'static str,
    pub shape: Shape,
    pub decode: fn(&Value) -> Result<T, serde_json::Error>,
}

/// Why a variant does not take a value.
enum Misfit {
    /// The value is of a kind the variant does not take.
    Kind(Kinds),
    /// A tag names another variant.
    Tag(&'static str, String),
    Missing(&'static str),
    Refused(String),
    Decode(String),
}

impl Misfit {
    /// Whether the value may be of a variant the union does not know yet.
    fn is_unknown_variant(&self) -> bool {
        matches!(self, Misfit::Kind(_) | Misfit::Tag(..))
    }

    fn text(&self, value: &Value) -> String {
        match self {
            Misfit::Kind(kinds) => {
                format!("takes {}, not {}", kind_names(*kinds), kind_name(value))
            }
            Misfit::Tag(property, found) => format!("`{property}` is {found}"),
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
    /// 0 for a value the variant lists, 1 for a variant that lists none, 2 for an unlisted one.
    listed: u8,
}

fn kind_of(value: &Value) -> Kinds {
    match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if n.is_i64() || n.is_u64() => INTEGER,
        Value::Number(_) => FRACTION,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    }
}

fn kind_name(value: &Value) -> &'static str {
    match kind_of(value) {
        NULL => "null",
        BOOLEAN => "a boolean",
        INTEGER => "an integer",
        FRACTION => "a number",
        STRING => "a string",
        ARRAY => "an array",
        _ => "an object",
    }
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

impl Shape {
    /// Whether the variant may take `value`, and how well; `most_tags` is the most tags any
    /// variant of the union has.
    fn fit(&self, value: &Value, most_tags: usize) -> Result<Fit, Misfit> {
        let kind = kind_of(value);
        let takes = self.kinds & kind != 0 || (kind == INTEGER && self.kinds & FRACTION != 0);
        if !takes {
            return Err(Misfit::Kind(self.kinds));
        }
        let listed = match (self.values, value) {
            (Values::Strings(list), Value::String(s)) => {
                2 - 2 * u8::from(list.contains(&s.as_str()))
            }
            (Values::Integers(list), Value::Number(n)) => {
                2 - 2 * u8::from(n.as_i64().is_some_and(|n| list.contains(&n)))
            }
            _ => 1,
        };
        let Value::Object(map) = value else {
            return Ok(Fit {
                unmatched_tags: most_tags,
                undeclared: 0,
                listed,
            });
        };
        let mut matched = 0;
        for (property, values) in self.tags {
            match map.get(*property) {
                Some(Value::String(s)) if values.contains(&s.as_str()) => matched += 1,
                Some(other) => return Err(Misfit::Tag(property, other.to_string())),
                None => {}
            }
        }
        if let Some(missing) = self.required.iter().find(|p| !map.contains_key(**p)) {
            return Err(Misfit::Missing(missing));
        }
        let mut undeclared = map
            .keys()
            .filter(|k| self.properties.binary_search(&k.as_str()).is_err())
            .peekable();
        if let (Extra::Refused, Some(k)) = (self.extra, undeclared.peek()) {
            return Err(Misfit::Refused((*k).clone()));
        }
        Ok(Fit {
            unmatched_tags: most_tags.saturating_sub(matched),
            undeclared: undeclared.count(),
            listed,
        })
    }
}

/// Decodes `value` as the variant of `union` it fits best; `unknown` keeps a value whose kind
/// or tag no variant takes. A value that fits no variant is an error that says, per variant,
/// why.
pub fn decode<T: serde::Serialize>(
    value: Value,
    variants: &[Variant<T>],
    union: &str,
    unknown: fn(Value) -> T,
) -> Result<T, String> {
    let most_tags = variants
        .iter()
        .map(|v| v.shape.tags.len())
        .max()
        .unwrap_or(0);
    let mut misfits: Vec<Option<Misfit>> = variants.iter().map(|_| None).collect();
    let mut fits: Vec<(Fit, usize)> = Vec::with_capacity(variants.len());
    for (i, variant) in variants.iter().enumerate() {
        match variant.shape.fit(&value, most_tags) {
            Ok(fit) => fits.push((fit, i)),
            Err(misfit) => misfits[i] = Some(misfit),
        }
    }
    if fits.is_empty() && misfits.iter().flatten().all(Misfit::is_unknown_variant) {
        return Ok(unknown(value));
    }
    fits.sort();
    for group in fits.chunk_by(|a, b| a.0 == b.0) {
        let indices: Vec<usize> = group.iter().map(|(_, i)| *i).collect();
        if let Some(found) = best_of(&value, variants, &indices, &mut misfits) {
            return Ok(found);
        }
    }
    Err(no_fit(&value, variants, union, &misfits))
}

/// Of variants the value fits equally well before decoding, the first that keeps all of it,
/// else the one that loses least. One variant, or a value that is not a container, is decoded
/// once: the first that decodes wins.
fn best_of<T: serde::Serialize>(
    value: &Value,
    variants: &[Variant<T>],
    indices: &[usize],
    misfits: &mut [Option<Misfit>],
) -> Option<T> {
    let compare = indices.len() > 1 && (value.is_object() || value.is_array());
    let mut best: Option<(usize, T)> = None;
    for &i in indices {
        match (variants[i].decode)(value) {
            Ok(found) if !compare => return Some(found),
            Ok(found) => {
                let lost =
                    serde_json::to_value(&found).map_or(usize::MAX, |kept| lost(value, &kept));
                if lost == 0 {
                    return Some(found);
                }
                if best.as_ref().is_none_or(|(least, _)| lost < *least) {
                    best = Some((lost, found));
                }
            }
            Err(e) => misfits[i] = Some(Misfit::Decode(e.to_string())),
        }
    }
    best.map(|(_, found)| found)
}

fn no_fit<T>(
    value: &Value,
    variants: &[Variant<T>],
    union: &str,
    misfits: &[Option<Misfit>],
) -> String {
    let reasons: Vec<String> = variants
        .iter()
        .zip(misfits)
        .filter_map(|(v, m)| {
            m.as_ref()
                .map(|m| format!("`{}` {}", v.name, m.text(value)))
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
