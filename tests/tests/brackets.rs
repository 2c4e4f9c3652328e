//! The bracket convention (`a[b][0][c]=x`, `a[]=x`) of `deepObject` values and of what exploded
//! `form` values hold deeper than one level, as a real parser of it reads it: random nested
//! values are encoded by the runtime and parsed back by Express's `qs`.

use serde_json::{Map, Value, json};
use tests::qs::{as_sent, parse};

const KEYS: &[&str] = &[
    "a",
    "name",
    "metadata",
    "with space",
    "a&b=c",
    "ünï",
    "0x",
    "_",
];
const TEXTS: &[&str] = &[
    "",
    "x",
    "a b",
    "a&b=c+d",
    "100%",
    "日本",
    "line\u{7f}",
    "[]",
];

fn value(rng: &mut fastrand::Rng, depth: usize) -> Value {
    let container = depth < 4 && rng.u8(0..3) == 0;
    match rng.u8(0..if container { 8 } else { 5 }) {
        0 => json!(TEXTS[rng.usize(0..TEXTS.len())]),
        1 => json!(rng.i64(-1000..1000)),
        2 => json!(rng.bool()),
        3 => json!(rng.f64() * 10.0),
        4 => Value::Null,
        5 | 6 => object(rng, depth + 1),
        _ => {
            let n = rng.usize(0..4);
            // A list of plain values, or one of objects.
            if rng.bool() {
                Value::Array((0..n).map(|_| value(rng, 4)).collect())
            } else {
                Value::Array((0..n).map(|_| object(rng, depth + 1)).collect())
            }
        }
    }
}

fn object(rng: &mut fastrand::Rng, depth: usize) -> Value {
    let mut props = Map::new();
    for _ in 0..rng.usize(1..4) {
        props.insert(KEYS[rng.usize(0..KEYS.len())].to_owned(), value(rng, depth));
    }
    Value::Object(props)
}

fn encoded(name: &str, value: &Value, style: client_runtime::Style) -> String {
    client_runtime::query_parts::<_, ()>(name, value, style)
        .unwrap()
        .join("&")
}

#[test]
fn deep_objects_and_nested_form_values_parse_back_with_qs() {
    let mut rng = fastrand::Rng::with_seed(15);
    let deep = client_runtime::Style::new(client_runtime::StyleKind::DeepObject, true);
    let (mut texts, mut expected) = (Vec::new(), Vec::new());
    while texts.len() < 300 {
        let v = object(&mut rng, 0);
        let Some(sent) = as_sent(&v) else { continue };
        texts.push(encoded("filter", &v, deep));
        expected.push(json!({ "filter": sent }));
        // Exploded `form`: the object's properties are the fields, nested below in brackets.
        texts.push(encoded("filter", &v, client_runtime::Style::QUERY));
        expected.push(as_sent(&v).unwrap());
    }
    let parsed = parse(tests::server::root(), &texts);
    for ((text, want), got) in texts.iter().zip(&expected).zip(&parsed) {
        assert_eq!(got, want, "{text}");
    }
}
