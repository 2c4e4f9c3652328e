//! Decoding a union costs in proportion to the body: a body through three nested unions of
//! six objects each (told apart by the property each requires, none with a discriminator)
//! against a plain struct of the same shape, both decoded from the same text, with the ratio.
//! Beside them the floor of any union decoder built on serde_json that picks a variant from
//! the text before decoding it: the same plain structs, with each union's text first taken
//! whole from the deserializer (serde_json reads it through once more for that) and then
//! decoded. Run with `cargo xtask bench` (or `cargo bench -p tests --bench unions`).

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use serde::Deserialize;
use tests::fixtures::nested_unions::{Outer, PlainOuter};

/// 94 bytes: the third, fifth and second variants of the three unions.
const BODY: &str = r#"{"a3":{"b5":{"c2":"a text value that is twenty-nine bytes long!!!","x":7},"m":true},"m":false}"#;

fn main() {
    assert_eq!(BODY.len(), 94);
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut group = c.benchmark_group("decode");
    group.bench_function("nested unions", |b| {
        b.iter(|| serde_json::from_str::<Outer>(black_box(BODY)).unwrap())
    });
    group.bench_function("plain structs", |b| {
        b.iter(|| serde_json::from_str::<PlainOuter>(black_box(BODY)).unwrap())
    });
    group.bench_function("plain structs taken whole first", |b| {
        b.iter(|| serde_json::from_str::<Floor>(black_box(BODY)).unwrap())
    });
    group.finish();
    c.final_summary();
    let [unions, plain, floor] = medians();
    println!(
        "nested unions / plain structs: {:.1}x; taken whole first / plain structs: {:.1}x; nested unions / taken whole first: {:.1}x (medians of {BATCHES} alternating batches)",
        unions / plain,
        floor / plain,
        unions / floor,
    );
}

/// A value whose JSON text is taken whole from the deserializer and then decoded, as a union
/// decoder must before it knows the variant.
struct TakenWhole<T>(#[allow(dead_code)] T);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for TakenWhole<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <&serde_json::value::RawValue>::deserialize(deserializer)?;
        serde_json::from_str(text.get())
            .map(TakenWhole)
            .map_err(serde::de::Error::custom)
    }
}

type Floor = TakenWhole<FloorOuter>;

/// `PlainOuter`, `PlainMiddle` and `PlainInner` with each level taken whole first.
#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorOuter {
    a3: TakenWhole<FloorMiddle>,
    #[serde(default)]
    m: Option<bool>,
    #[serde(flatten)]
    additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorMiddle {
    b5: TakenWhole<FloorInner>,
    #[serde(default)]
    m: Option<bool>,
    #[serde(flatten)]
    additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorInner {
    c2: String,
    #[serde(default)]
    x: Option<i64>,
    #[serde(flatten)]
    additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
}

const BATCHES: usize = 31;

/// The time of a union decode, a plain one and the floor, each the median of batches run
/// alternately, so that what else the machine does weighs on all alike.
fn medians() -> [f64; 3] {
    let mut times: [Vec<f64>; 3] = Default::default();
    for _ in 0..BATCHES {
        times[0].push(batch(|| {
            drop(serde_json::from_str::<Outer>(black_box(BODY)).unwrap())
        }));
        times[1].push(batch(|| {
            drop(serde_json::from_str::<PlainOuter>(black_box(BODY)).unwrap())
        }));
        times[2].push(batch(|| {
            drop(serde_json::from_str::<Floor>(black_box(BODY)).unwrap())
        }));
    }
    times.map(median)
}

/// Seconds for 2,000 runs of `decode`.
fn batch(decode: impl Fn()) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..2_000 {
        decode();
    }
    start.elapsed().as_secs_f64()
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
