//! Decoding a union costs in proportion to the body: a body through three nested unions of
//! six objects each (told apart by the property each requires, none with a discriminator)
//! against a plain struct of the same shape, both decoded from the same text, with the ratio.
//! Run with `cargo xtask bench` (or `cargo bench -p tests --bench unions`).

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
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
    group.finish();
    c.final_summary();
    println!(
        "nested unions / plain structs: {:.1}x (median of {BATCHES} alternating batches)",
        ratio()
    );
}

const BATCHES: usize = 31;

/// The time of a union decode over a plain one, each the median of batches run alternately,
/// so that what else the machine does weighs on both alike.
fn ratio() -> f64 {
    let mut unions = Vec::with_capacity(BATCHES);
    let mut plain = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        unions.push(batch(|| {
            drop(serde_json::from_str::<Outer>(black_box(BODY)).unwrap())
        }));
        plain.push(batch(|| {
            drop(serde_json::from_str::<PlainOuter>(black_box(BODY)).unwrap())
        }));
    }
    median(unions) / median(plain)
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
