//! String and integer enums: their values, and the labels their variants are named from.

use openapiv3::Schema;

use crate::ir::EnumVariant;

/// `x-enum-varnames` and `x-enum-descriptions` (OpenAPI Generator's extensions) name and
/// document enum values when present and of the right length.
fn enum_extension(s: &Schema, key: &str, len: usize) -> Option<Vec<String>> {
    let list = s.schema_data.extensions.get(key)?.as_array()?;
    let names: Vec<String> = list
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (names.len() == len && list.len() == len).then_some(names)
}

fn variants<V: Clone + PartialEq>(
    s: &Schema,
    values: Vec<V>,
    label: impl Fn(&V) -> String,
) -> Vec<EnumVariant<V>> {
    let mut unique: Vec<V> = Vec::with_capacity(values.len());
    for v in values {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    let names = enum_extension(s, "x-enum-varnames", unique.len());
    let docs = enum_extension(s, "x-enum-descriptions", unique.len());
    unique
        .into_iter()
        .enumerate()
        .map(|(i, value)| EnumVariant {
            rust: String::new(),
            label: names
                .as_ref()
                .map_or_else(|| label(&value), |n| n[i].clone()),
            value,
            doc: docs.as_ref().map(|d| crate::docs::prose(&d[i])),
        })
        .collect()
}

pub(super) fn string_variants(s: &Schema, values: Vec<String>) -> Vec<EnumVariant<String>> {
    variants(s, values, |v| value_label(v))
}

/// What a string value names a variant: itself, or `Empty` for the empty string (Stripe's
/// "unset" alternative).
pub(super) fn value_label(value: &str) -> String {
    if value.is_empty() {
        "Empty".to_owned()
    } else {
        value.to_owned()
    }
}

pub(super) fn int_variants(s: &Schema, values: Vec<i64>) -> Vec<EnumVariant<i64>> {
    variants(s, values, i64::to_string)
}
