//! Decoding throughput of server-sent events: the runtime's `EventStream` against
//! `eventsource-stream` followed by `serde_json`, on the same body of chat-sized events (a
//! completion chunk of some 190 bytes each, in 1 KiB chunks as a network hands them over),
//! each decoded into the same struct. Events per second and MB per second for both, and the
//! ratio, each the median of batches run alternately so that what else the machine does weighs
//! on both alike. Run with `cargo xtask bench` (or `cargo bench -p tests --bench sse`).

use std::time::Instant;

use client_runtime::{Bytes, EventStream};
use eventsource_stream::Eventsource;
use futures_util::StreamExt;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Chunk {
    id: String,
    object: String,
    created: i64,
    model: String,
    choices: Vec<Choice>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Choice {
    index: i64,
    delta: Delta,
    finish_reason: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Delta {
    content: Option<String>,
}

const EVENTS: usize = 20_000;
const BATCHES: usize = 15;

fn body() -> Vec<Bytes> {
    let mut text = String::new();
    for i in 0..EVENTS {
        text.push_str(&format!(
            "data: {{\"id\":\"chatcmpl-8x{i:06}\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"word{i}\"}},\"finish_reason\":null}}]}}\n\n"
        ));
    }
    text.push_str("data: [DONE]\n\n");
    text.as_bytes()
        .chunks(1024)
        .map(Bytes::copy_from_slice)
        .collect()
}

fn chunks(
    body: Vec<Bytes>,
) -> impl futures_util::Stream<Item = Result<Bytes, client_runtime::reqwest::Error>> {
    futures_util::stream::iter(body.into_iter().map(Ok))
}

async fn ours(body: &[Bytes]) -> usize {
    let mut events = EventStream::<Chunk>::from_chunks(chunks(body.to_owned()));
    let mut count = 0;
    while let Some(event) = events.next().await {
        std::hint::black_box(event.unwrap());
        count += 1;
    }
    count
}

async fn baseline(body: &[Bytes]) -> usize {
    let mut events = chunks(body.to_owned()).eventsource();
    let mut count = 0;
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        if event.data == "[DONE]" {
            break;
        }
        std::hint::black_box(serde_json::from_str::<Chunk>(&event.data).unwrap());
        count += 1;
    }
    count
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let body = body();
    let bytes: usize = body.iter().map(Bytes::len).sum();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let time = |f: &dyn Fn() -> usize| {
        let start = Instant::now();
        assert_eq!(f(), EVENTS);
        start.elapsed().as_secs_f64()
    };
    let run_ours = || runtime.block_on(ours(&body));
    let run_baseline = || runtime.block_on(baseline(&body));
    // Warm up both.
    time(&run_ours);
    time(&run_baseline);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..BATCHES {
        a.push(time(&run_ours));
        b.push(time(&run_baseline));
    }
    let (a, b) = (median(a), median(b));
    let rate = |s: f64| (EVENTS as f64 / s, bytes as f64 / s / 1e6);
    let ((ae, am), (be, bm)) = (rate(a), rate(b));
    println!(
        "server-sent events, {EVENTS} chat-sized events ({bytes} bytes, 1 KiB chunks), median of {BATCHES} alternating runs:"
    );
    println!("  client-runtime EventStream: {ae:.0} events/s, {am:.1} MB/s");
    println!("  eventsource-stream + serde_json: {be:.0} events/s, {bm:.1} MB/s");
    println!(
        "  EventStream / eventsource-stream: {:.2}x the throughput",
        b / a
    );
}
