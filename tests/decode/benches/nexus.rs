//! Decode throughput against progenitor: pages of nexus.json's instances, disks and routes
//! (uuids, timestamps, enums, unions told apart by a `state` or `type` property), decoded from
//! the same bytes into this generator's models and into progenitor's types, with criterion and
//! as the ratio of alternating batches. Before it measures, it checks that both decode every
//! body and that this generator's models keep all of it (they encode back to the same JSON).
//!
//! The ratio is a guard: `cargo xtask bench` fails when progenitor's time over ours falls below
//! [`FLOOR`], the ratio measured when the guard was set, less the noise of this machine.
//! Run with `cargo xtask bench`, which generates both crates first.

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Progenitor's decode time over ours, below which the bench fails: 1.13 to 1.15 in three runs
/// on 2026-12-07 (2 cores), less the noise between runs (0.88 to 0.96 before date-times were
/// read by RFC 3339's own parser).
const FLOOR: f64 = 1.05;

/// Items on each page.
const ITEMS: usize = 100;

const BATCHES: usize = 41;

/// One body, and how each side decodes it.
struct Body {
    name: &'static str,
    json: Vec<u8>,
    ours: fn(&[u8]),
    /// This generator's decode, encoded again.
    ours_again: fn(&[u8]) -> Result<Value, serde_json::Error>,
    progenitor: fn(&[u8]),
}

/// `text` decoded as `T` and encoded again, to compare with what was sent.
fn round_trip<T: DeserializeOwned + serde::Serialize>(
    text: &[u8],
) -> Result<Value, serde_json::Error> {
    serde_json::to_value(serde_json::from_slice::<T>(text)?)
}

fn decode<T: DeserializeOwned>(text: &[u8]) -> T {
    serde_json::from_slice(text).expect("the body decodes")
}

fn bodies() -> Vec<Body> {
    use nexus_models as ours;
    use progenitor_output::types as theirs;
    vec![
        Body {
            name: "instances",
            json: page(instance),
            ours: |t| drop(decode::<ours::InstanceResultsPage>(black_box(t))),
            ours_again: round_trip::<ours::InstanceResultsPage>,
            progenitor: |t| drop(decode::<theirs::InstanceResultsPage>(black_box(t))),
        },
        Body {
            name: "disks",
            json: page(disk),
            ours: |t| drop(decode::<ours::DiskResultsPage>(black_box(t))),
            ours_again: round_trip::<ours::DiskResultsPage>,
            progenitor: |t| drop(decode::<theirs::DiskResultsPage>(black_box(t))),
        },
        Body {
            name: "routes",
            json: page(route),
            ours: |t| drop(decode::<ours::RouterRouteResultsPage>(black_box(t))),
            ours_again: round_trip::<ours::RouterRouteResultsPage>,
            progenitor: |t| drop(decode::<theirs::RouterRouteResultsPage>(black_box(t))),
        },
    ]
}

fn page(item: fn(usize) -> Value) -> Vec<u8> {
    let items: Vec<Value> = (0..ITEMS).map(item).collect();
    serde_json::to_vec(&json!({ "items": items, "next_page": "eyJ2IjoidjEiLCJwYWdlX3N0YXJ0In0" }))
        .expect("JSON")
}

fn uuid(i: usize, kind: usize) -> String {
    format!("{kind:08x}-7d1c-4b3a-9f2e-{i:012x}")
}

fn time(i: usize) -> String {
    format!(
        "2026-12-{:02}T{:02}:{:02}:{:02}Z",
        1 + i % 28,
        i % 24,
        i % 60,
        (i * 7) % 60
    )
}

fn instance(i: usize) -> Value {
    let states = [
        "creating", "starting", "running", "stopping", "stopped", "failed",
    ];
    json!({
        "description": format!("web server {i} of the storefront"),
        "hostname": format!("web-{i}"),
        "id": uuid(i, 1),
        "memory": 4_294_967_296u64 * (1 + i as u64 % 8),
        "name": format!("web-{i}"),
        "ncpus": 1 + i % 16,
        "project_id": uuid(i % 7, 2),
        "run_state": states[i % states.len()],
        "time_created": time(i),
        "time_modified": time(i + 1),
        "time_run_state_updated": time(i + 2),
    })
}

fn disk(i: usize) -> Value {
    let state = match i % 4 {
        0 => json!({ "state": "detached" }),
        1 => json!({ "state": "attached", "instance": uuid(i, 1) }),
        2 => json!({ "state": "attaching", "instance": uuid(i, 1) }),
        _ => json!({ "state": "creating" }),
    };
    json!({
        "block_size": 4096,
        "description": format!("boot disk of web-{i}"),
        "device_path": format!("/mnt/disk-{i}"),
        "id": uuid(i, 3),
        "image_id": if i.is_multiple_of(2) { json!(uuid(i % 5, 4)) } else { Value::Null },
        "name": format!("disk-{i}"),
        "project_id": uuid(i % 7, 2),
        "size": 21_474_836_480u64,
        "snapshot_id": Value::Null,
        "state": state,
        "time_created": time(i),
        "time_modified": time(i + 3),
    })
}

fn route(i: usize) -> Value {
    let destination = match i % 3 {
        0 => json!({ "type": "ip", "value": format!("10.0.{}.{}", i / 250, i % 250) }),
        1 => json!({ "type": "vpc", "value": format!("vpc-{i}") }),
        _ => json!({ "type": "subnet", "value": format!("subnet-{i}") }),
    };
    let target = match i % 4 {
        0 => json!({ "type": "internet_gateway", "value": "outbound" }),
        1 => json!({ "type": "instance", "value": format!("web-{i}") }),
        2 => json!({ "type": "subnet", "value": format!("subnet-{i}") }),
        _ => json!({ "type": "ip", "value": format!("192.168.0.{}", i % 250) }),
    };
    let kinds = ["default", "vpc_subnet", "vpc_peering", "custom"];
    json!({
        "description": format!("route {i}"),
        "destination": destination,
        "id": uuid(i, 5),
        "kind": kinds[i % kinds.len()],
        "name": format!("route-{i}"),
        "target": target,
        "time_created": time(i),
        "time_modified": time(i + 4),
        "vpc_router_id": uuid(i % 3, 6),
    })
}

/// Both sides decode every body, and this generator's models encode it back as it was sent.
fn check(bodies: &[Body]) {
    for body in bodies {
        let sent: Value = serde_json::from_slice(&body.json).expect("JSON");
        let ours = (body.ours_again)(&body.json)
            .unwrap_or_else(|e| panic!("the {} page does not decode: {e}", body.name));
        assert_eq!(
            ours, sent,
            "the {} page does not come back whole",
            body.name
        );
        (body.progenitor)(&body.json);
    }
}

fn main() {
    let bodies = bodies();
    check(&bodies);
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut group = c.benchmark_group("decode nexus");
    for body in &bodies {
        group.throughput(criterion::Throughput::Bytes(body.json.len() as u64));
        group.bench_function(format!("{} (this project)", body.name), |b| {
            b.iter(|| (body.ours)(&body.json))
        });
        group.bench_function(format!("{} (progenitor)", body.name), |b| {
            b.iter(|| (body.progenitor)(&body.json))
        });
    }
    group.finish();
    c.final_summary();
    guard(&bodies);
}

/// Prints progenitor's time over ours per body and for all of them, and fails below [`FLOOR`].
fn guard(bodies: &[Body]) {
    let (mut ours_total, mut theirs_total) = (0.0, 0.0);
    for body in bodies {
        let mut times: [Vec<f64>; 2] = Default::default();
        for _ in 0..BATCHES {
            times[0].push(batch(|| (body.ours)(&body.json)));
            times[1].push(batch(|| (body.progenitor)(&body.json)));
        }
        let [ours, theirs] = times.map(median);
        println!(
            "{}: {} bytes, this project {:.1} MB/s, progenitor {:.1} MB/s, progenitor / this project {:.2}x",
            body.name,
            body.json.len(),
            mb_per_s(body, ours),
            mb_per_s(body, theirs),
            theirs / ours
        );
        ours_total += ours;
        theirs_total += theirs;
    }
    let ratio = theirs_total / ours_total;
    println!(
        "all pages: progenitor / this project {ratio:.2}x (medians of {BATCHES} alternating batches; guard: at least {FLOOR})"
    );
    if ratio < FLOOR {
        eprintln!("decoding fell below the guard: {ratio:.2}x, at least {FLOOR} was measured");
        std::process::exit(1);
    }
}

const RUNS: usize = 100;

/// Seconds for [`RUNS`] runs of `decode`.
fn batch(decode: impl Fn()) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..RUNS {
        decode();
    }
    start.elapsed().as_secs_f64()
}

fn mb_per_s(body: &Body, seconds: f64) -> f64 {
    (body.json.len() * RUNS) as f64 / seconds / 1e6
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
