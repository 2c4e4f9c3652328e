//! The runtime's cost on one call: `shelter-client`'s `get_animal` against the same request
//! written by hand with reqwest and serde (the same `reqwest::Client` settings, the same
//! model, so that only what the generated client and its runtime add is measured), against a
//! server on loopback that answers every request with the same animal over kept-alive
//! connections. Calls per second of each and the ratio, the median of batches run alternately
//! so that what else the machine does weighs on both alike.
//!
//! `cargo bench -p downstream --bench calls` measures the client without the `tracing` feature;
//! with `--features tracing` the client has it, and a subscriber that records every span is
//! installed, as a service exporting its spans would. `cargo xtask bench` runs both.

use std::time::{Duration, Instant};

use shelter_client::models::Animal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CALLS: usize = 2_000;
const BATCHES: usize = 21;
const BODY: &str = r#"{"kind":"dog","id":7,"name":"Rex","size":2,"nickname":null,"good_with":{"cats":false,"children":true}}"#;

/// Answers every request read on a connection with the animal, until the client closes it.
async fn serve(listener: tokio::net::TcpListener) {
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let answer = answer.clone();
        tokio::spawn(async move {
            let mut buffer = vec![0u8; 8192];
            let mut held = Vec::new();
            loop {
                let Ok(n) = stream.read(&mut buffer).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                held.extend_from_slice(&buffer[..n]);
                // Requests without a body: each ends with an empty line.
                while let Some(end) = held.windows(4).position(|w| w == b"\r\n\r\n") {
                    held.drain(..end + 4);
                    if stream.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

async fn generated(client: &shelter_client::Client) -> Animal {
    client
        .get_animal(7)
        .await
        .expect("the server answers")
        .into_body()
}

async fn by_hand(http: &reqwest::Client, url: &str) -> Animal {
    http.get(format!("{url}/animals/7"))
        .header("accept", "application/json")
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the server answers")
        .json()
        .await
        .expect("an animal")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[cfg(feature = "tracing")]
fn subscribe() -> &'static str {
    use tracing_subscriber::layer::SubscriberExt;
    /// Reads every field of every span, as an exporter would.
    struct Reads;
    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Reads {
        fn on_new_span(
            &self,
            attrs: &tracing::span::Attributes<'_>,
            _: &tracing::span::Id,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            struct Count(usize);
            impl tracing::field::Visit for Count {
                fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {
                    self.0 += 1;
                }
            }
            attrs.record(&mut Count(0));
        }
    }
    let subscriber = tracing_subscriber::registry().with(Reads);
    tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
    "with the `tracing` feature and a subscriber reading every span"
}

#[cfg(not(feature = "tracing"))]
fn subscribe() -> &'static str {
    "without the `tracing` feature"
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let said = subscribe();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(serve(listener));
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("a client");
        let client = shelter_client::Client::builder()
            .base_url(&url)
            .http_client(http.clone())
            .build()
            .expect("a client");
        // Warm both: connections made, code paged in.
        for _ in 0..200 {
            generated(&client).await;
            by_hand(&http, &url).await;
        }
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..BATCHES {
            let start = Instant::now();
            for _ in 0..CALLS {
                std::hint::black_box(generated(&client).await);
            }
            ours.push(CALLS as f64 / start.elapsed().as_secs_f64());
            let start = Instant::now();
            for _ in 0..CALLS {
                std::hint::black_box(by_hand(&http, &url).await);
            }
            theirs.push(CALLS as f64 / start.elapsed().as_secs_f64());
        }
        let (ours, theirs) = (median(ours), median(theirs));
        println!("one call, {said}:");
        println!("  generated client: {ours:>9.0} calls/s");
        println!("  reqwest + serde:  {theirs:>9.0} calls/s");
        println!(
            "  time per call, generated / by hand: {:.3}x",
            theirs / ours
        );
    });
}
