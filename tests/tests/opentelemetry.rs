//! With the feature `opentelemetry`, each attempt sends the W3C trace context of its span
//! (`traceparent`) when that span belongs to an OpenTelemetry trace: the trace of the caller's
//! span, a span of its own per attempt. Without an OpenTelemetry layer, nothing is sent.

use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use serde_json::json;
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `00-<trace id>-<span id>-<flags>`, split.
fn parts(traceparent: &str) -> (String, String, String) {
    let fields: Vec<&str> = traceparent.split('-').collect();
    assert_eq!(fields.len(), 4, "{traceparent}");
    assert_eq!(fields[0], "00", "{traceparent}");
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    assert!(
        hex(fields[1], 32) && hex(fields[2], 16) && hex(fields[3], 2),
        "{traceparent}"
    );
    (
        fields[1].to_owned(),
        fields[2].to_owned(),
        fields[3].to_owned(),
    )
}

#[tokio::test]
async fn every_attempt_sends_the_trace_context_of_its_own_span() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let dog = json!({"kind": "dog", "id": 7, "name": "Rex", "size": 2});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(dog))
        .mount(&server)
        .await;
    let client = shelter_client::Client::builder()
        .base_url(server.uri())
        .retry(shelter_client::RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap();

    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder().build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("tests"));
    let subscriber = tracing_subscriber::registry().with(layer);
    let guard = tracing::subscriber::set_default(subscriber);
    let job = tracing::info_span!("job");
    client.get_animal(7).instrument(job).await.unwrap();
    drop(guard);

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let sent: Vec<_> = received
        .iter()
        .map(|r| parts(r.headers["traceparent"].to_str().unwrap()))
        .collect();
    assert_eq!(sent[0].0, sent[1].0, "one trace, the caller's");
    assert_ne!(sent[0].1, sent[1].1, "a span of its own per attempt");
    assert_eq!(sent[0].2, "01", "sampled");

    // Outside any OpenTelemetry layer there is no trace to continue.
    client.get_animal(7).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert!(!received[2].headers.contains_key("traceparent"));
}
