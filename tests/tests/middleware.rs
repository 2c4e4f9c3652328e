//! What a user adds to every call of a generated client: middleware that signs each attempt or
//! answers without the network, per-call options, and the spans of the `tracing` feature,
//! against a real server on loopback.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use shelter_client::{
    Attempt, BoxError, BoxFuture, CallOptions, Client, Error, Middleware, Next, Operation,
    RetryPolicy, http, reqwest,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &[u8] = b"shared secret";

fn dog() -> serde_json::Value {
    json!({"kind": "dog", "id": 7, "name": "Rex", "size": 2})
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(quick_retries())
        .build()
        .unwrap()
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        ..RetryPolicy::default()
    }
}

/// What an HMAC signer signs: the method, the path and query, the attempt's timestamp and the
/// body.
fn signed_text(method: &str, path_and_query: &str, stamp: &str, body: &[u8]) -> Vec<u8> {
    let mut text = format!("{method}\n{path_and_query}\n{stamp}\n").into_bytes();
    text.extend_from_slice(body);
    text
}

fn signature(text: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    mac.update(text);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs each attempt anew: a stamp of its own (the attempt number, as a clock would give a new
/// time), and the HMAC of the request with it.
struct Signer;

impl Middleware for Signer {
    fn handle<'a>(
        &'a self,
        mut request: reqwest::Request,
        attempt: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        let stamp = format!("attempt-{}", attempt.resend_count);
        let url = request.url();
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default();
        let text = signed_text(request.method().as_str(), &target, &stamp, body);
        let headers = request.headers_mut();
        headers.insert("x-stamp", stamp.parse().unwrap());
        headers.insert("x-signature", signature(&text).parse().unwrap());
        Box::pin(next.run(request))
    }
}

/// A server that checks the signature, as the vendor's would.
struct SignatureIsValid;

impl wiremock::Match for SignatureIsValid {
    fn matches(&self, request: &Request) -> bool {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(stamp), Some(sent)) = (header("x-stamp"), header("x-signature")) else {
            return false;
        };
        let target = match request.url.query() {
            Some(q) => format!("{}?{q}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let text = signed_text(request.method.as_str(), &target, stamp, &request.body);
        signature(&text) == sent
    }
}

#[tokio::test]
async fn a_signer_signs_every_attempt_and_the_server_verifies_each() {
    let server = MockServer::start().await;
    // The first signed attempt is answered 503, the retry (a new stamp, a new signature) 200;
    // an unsigned or badly signed request matches nothing (404).
    Mock::given(method("PATCH"))
        .and(SignatureIsValid)
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(SignatureIsValid)
        .respond_with(ResponseTemplate::new(200).set_body_json(dog()))
        .mount(&server)
        .await;
    let signing = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy {
            retry_non_idempotent: true,
            ..quick_retries()
        })
        .middleware(Signer)
        .build()
        .unwrap();
    let patch = shelter_client::models::AnimalPatch::new().name("Max".to_owned());
    let answer = signing.update_animal(7, patch).await.unwrap();
    assert_eq!(answer.status(), 200);
    let received = server.received_requests().await.unwrap();
    let stamps: Vec<_> = received
        .iter()
        .map(|r| r.headers["x-stamp"].clone())
        .collect();
    assert_eq!(stamps, ["attempt-0", "attempt-1"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&received[1].body).unwrap(),
        json!({"name": "Max"})
    );

    let unsigned = client(&server);
    let err = unsigned
        .update_animal(7, shelter_client::models::AnimalPatch::default())
        .await;
    assert_eq!(err.unwrap_err().status().map(|s| s.as_u16()), Some(404));
}

/// Records what each attempt says it is, and answers the stats itself, without the network.
struct Offline(Arc<Mutex<Vec<(Operation, u32, String)>>>);

impl Middleware for Offline {
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        attempt: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        let operation = attempt
            .operation
            .expect("a generated method names its operation");
        let seen = (
            operation,
            attempt.resend_count,
            request.url().path().to_owned(),
        );
        self.0.lock().unwrap().push(seen);
        if operation.id != "get_stats" {
            return Box::pin(next.run(request));
        }
        Box::pin(async {
            let body = json!({"counts": {"dog": 3}, "updated_at": "2026-12-07T10:00:00Z"});
            let answer = http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(body.to_string())?;
            Ok(reqwest::Response::from(answer))
        })
    }
}

#[tokio::test]
async fn a_middleware_knows_the_operation_and_may_answer_itself() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/animals/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(dog()))
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .middleware(Offline(Arc::clone(&seen)))
        .build()
        .unwrap();
    let stats = client.get_stats().await.unwrap();
    assert_eq!(stats.body().counts["dog"], 3);
    assert!(server.received_requests().await.unwrap().is_empty());
    client.get_animal(7).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    let template = |id: &'static str, template: &'static str| Operation { id, template };
    assert_eq!(
        seen,
        [
            (template("get_stats", "/stats"), 0, "/stats".to_owned()),
            (
                template("get_animal", "/animals/{animal_id}"),
                0,
                "/animals/7".to_owned()
            ),
        ]
    );
}

struct Refuses;

impl Middleware for Refuses {
    fn handle<'a>(
        &'a self,
        _: reqwest::Request,
        _: &'a Attempt,
        _: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        Box::pin(async { Err("no requests after midnight".into()) })
    }
}

#[tokio::test]
async fn a_middleware_error_ends_the_call_without_a_retry() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .middleware(Refuses)
        .build()
        .unwrap();
    let err = client.get_animal(7).await.unwrap_err();
    assert!(matches!(err, Error::Middleware(_)), "{err:?}");
    assert!(
        err.to_string().contains("no requests after midnight"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn one_call_overrides_the_timeout_the_retries_and_adds_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/animals/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(dog())
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/animals/2"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let client = client(&server);

    let quick = client.with(CallOptions::new().timeout(Some(Duration::from_millis(50))));
    let err = quick.get_animal(1).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    // The client itself keeps its 30 s.
    assert_eq!(client.get_animal(1).await.unwrap().status(), 200);

    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/animals/2"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let once = client.with(
        CallOptions::new()
            .no_retries()
            .header("x-request-id", "r-1"),
    );
    assert_eq!(
        once.get_animal(2)
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(503)
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers["x-request-id"], "r-1");
    client.get_animal(2).await.unwrap_err();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received.len(),
        1 + 4,
        "the client's own policy retries three times"
    );
    assert!(
        received[1..]
            .iter()
            .all(|r| !r.headers.contains_key("x-request-id"))
    );

    let bad = client.with(CallOptions::new().header("bad name", "v"));
    let err = bad.get_animal(2).await.unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err:?}");
}

/// The spans and events the subscriber of this test binary received: each span's name, id,
/// parent and fields as recorded. One subscriber for every test, set once (a subscriber per
/// thread would miss callsites another test's thread met first); a test finds its own by its
/// server's URL.
#[derive(Default, Clone)]
struct Captured(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

fn captured() -> Captured {
    use tracing_subscriber::layer::SubscriberExt;
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let subscriber = tracing_subscriber::registry().with(captured.clone());
            tracing::subscriber::set_global_default(subscriber).unwrap();
            captured
        })
        .clone()
}

impl Captured {
    /// The attempts sent to `url` (its own: wiremock lends a server to one test after another),
    /// their calls and the events in those.
    fn of(&self, url: &str) -> (Vec<Fields>, Vec<Fields>, Vec<Fields>) {
        let all = self.0.lock().unwrap().clone();
        let is = |f: &Fields, key: &str, value: &str| f.get(key).map(String::as_str) == Some(value);
        let attempts: Vec<Fields> = all
            .iter()
            .filter(|f| is(f, "span", "http.client"))
            .filter(|f| f.get("url.full").is_some_and(|u| u == url))
            .cloned()
            .collect();
        let parents: Vec<&String> = attempts.iter().filter_map(|f| f.get("parent")).collect();
        let calls = all
            .iter()
            .filter(|f| is(f, "span", "call") && parents.contains(&&f["id"]))
            .cloned()
            .collect();
        let events = all
            .iter()
            .filter(|f| {
                f.contains_key("event") && f.get("parent").is_some_and(|p| parents.contains(&p))
            })
            .cloned()
            .collect();
        (attempts, calls, events)
    }
}

type Fields = BTreeMap<String, String>;

struct Visit<'a>(&'a mut Fields);

impl tracing::field::Visit for Visit<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S> tracing_subscriber::Layer<S> for Captured
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = Fields::from([
            ("span".to_owned(), attrs.metadata().name().to_owned()),
            ("id".to_owned(), id.into_u64().to_string()),
        ]);
        let parent = attrs
            .parent()
            .cloned()
            .or_else(|| ctx.current_span().id().cloned());
        if let Some(parent) = parent {
            fields.insert("parent".to_owned(), parent.into_u64().to_string());
        }
        attrs.record(&mut Visit(&mut fields));
        self.0.lock().unwrap().push(fields);
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut all = self.0.lock().unwrap();
        let id = id.into_u64().to_string();
        let span = all
            .iter_mut()
            .rev()
            .find(|f| f.contains_key("span") && f["id"] == id);
        if let Some(fields) = span {
            values.record(&mut Visit(fields));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: tracing_subscriber::layer::Context<'_, S>) {
        let mut fields = Fields::from([("event".to_owned(), event.metadata().name().to_owned())]);
        if let Some(parent) = ctx.current_span().id() {
            fields.insert("parent".to_owned(), parent.into_u64().to_string());
        }
        event.record(&mut Visit(&mut fields));
        self.0.lock().unwrap().push(fields);
    }
}

#[tokio::test]
async fn every_attempt_is_a_client_span_after_opentelemetrys_conventions() {
    let captured = captured();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "none"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(quick_retries())
        .api_key_header("k-secret")
        .build()
        .unwrap();
    let err = client.get_animal(4242).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));

    let url = format!("{}/animals/4242", server.uri());
    let (spans, calls, events) = captured.of(&url);
    assert_eq!(spans.len(), 2, "one span per attempt: {spans:#?}");
    let port = server.address().port().to_string();
    for (n, span) in spans.iter().enumerate() {
        let field = |name: &str| span.get(name).map(String::as_str);
        assert_eq!(field("otel.name"), Some("GET /animals/{animal_id}"));
        assert_eq!(field("otel.kind"), Some("client"));
        assert_eq!(field("http.request.method"), Some("GET"));
        assert_eq!(field("url.template"), Some("/animals/{animal_id}"));
        assert_eq!(field("server.address"), Some("127.0.0.1"));
        assert_eq!(field("server.port"), Some(port.as_str()));
        assert_eq!(field("otel.status_code"), Some("ERROR"));
        let resent = (n > 0).then(|| n.to_string());
        assert_eq!(field("http.request.resend_count"), resent.as_deref());
    }
    assert_eq!(spans[0]["http.response.status_code"], "503");
    assert_eq!(spans[0]["error.type"], "503");
    assert_eq!(spans[1]["http.response.status_code"], "404");
    assert_eq!(calls.len(), 1, "the call is one span around its attempts");
    assert_eq!(calls[0]["otel.kind"], "internal");
    assert_eq!(calls[0]["operation.id"], "get_animal");
    assert_eq!(spans[0]["parent"], calls[0]["id"]);
    let retries: Vec<_> = events
        .iter()
        .filter(|f| f.contains_key("retry.reason"))
        .collect();
    assert_eq!(retries.len(), 1, "{events:#?}");
    assert_eq!(retries[0]["retry.reason"], "status 503 Service Unavailable");
    assert_eq!(retries[0]["retry.delay_ms"], "0");
    let shown = format!("{spans:?}{calls:?}{events:?}");
    assert!(!shown.contains("k-secret"), "{shown}");
}

#[tokio::test]
async fn a_credential_in_the_query_is_redacted_and_an_unknown_method_is_other() {
    let captured = captured();
    let server = MockServer::start().await;
    Mock::given(method("PURGE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_runtime::ClientBuilder::new(server.uri())
        .auth(
            "key",
            client_runtime::Auth::Query {
                name: "api_key".into(),
                value: "q-secret".into(),
            },
        )
        .build()
        .unwrap();
    let purge = client_runtime::method::<()>("PURGE").unwrap();
    let mut request = client.request(purge, "/cache".into());
    request.operation("purge_cache", "/cache");
    request.query::<_, ()>("scope", "all").unwrap();
    let answer = client.send::<()>(request).await.unwrap();
    assert_eq!(answer.status, 204);
    let url = format!("{}/cache?scope=all&api_key=REDACTED", server.uri());
    let (spans, _, _) = captured.of(&url);
    let [span] = &spans[..] else {
        panic!("one attempt: {spans:#?}")
    };
    assert_eq!(span["otel.name"], "_OTHER /cache");
    assert_eq!(span["http.request.method"], "_OTHER");
    assert_eq!(span["http.request.method_original"], "PURGE");
    assert!(!span.contains_key("otel.status_code"));
    assert!(!format!("{spans:?}").contains("q-secret"));
}

/// A `reqwest-middleware` layer that names each request after its operation, as it finds it
/// in the extensions.
struct NamesTheOperation;

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for NamesTheOperation {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let operation = extensions.get::<Operation>().copied();
        let attempt = extensions.get::<Attempt>().copied();
        let named = match (operation, attempt) {
            (Some(op), Some(attempt)) => {
                format!("{} {} #{}", op.id, op.template, attempt.resend_count)
            }
            _ => "unnamed".to_owned(),
        };
        request
            .headers_mut()
            .insert("x-operation", named.parse().unwrap());
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn reqwest_middleware_layers_find_the_operation_in_the_extensions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(dog()))
        .mount(&server)
        .await;
    let layered = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(NamesTheOperation)
        .build();
    // A function is a middleware too; this crate's run before the `reqwest-middleware` layers.
    fn stamp<'a>(
        mut request: reqwest::Request,
        _: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, BoxError>> {
        request
            .headers_mut()
            .insert("x-first", "yes".parse().unwrap());
        Box::pin(next.run(request))
    }
    let client = Client::builder()
        .base_url(server.uri())
        .middleware(stamp)
        .middleware_client(layered)
        .build()
        .unwrap();
    client.get_animal(3).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers["x-operation"],
        "get_animal /animals/{animal_id} #0"
    );
    assert_eq!(received[0].headers["x-first"], "yes");
}
