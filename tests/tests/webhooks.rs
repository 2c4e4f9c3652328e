//! What the API sends, received: requests signed by an independent signer (the
//! `standardwebhooks` crate, `hmac`) are verified and decoded by the `webhooks` modules of the
//! fixtures' clients, through the framework-neutral call and through a real server on
//! loopback.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use tests::fixtures::callbacks_client::webhooks as callbacks;
use tests::fixtures::webhooks_client::webhooks::{
    self, Event, HmacScheme, Request, Verifier, WebhookError,
};

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const NEXT_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The headers of a Standard Webhooks delivery of `body`, signed with `secret` at `timestamp`.
fn signed(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> http::HeaderMap {
    let signature = standardwebhooks::Webhook::new(secret)
        .unwrap()
        .sign(id, timestamp, body)
        .unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", id.parse().unwrap());
    headers.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    headers
}

/// The verifier the crate's generation was configured with (Standard Webhooks, see
/// `tests/build.rs`).
fn verifier() -> Verifier {
    webhooks::verifier([SECRET]).unwrap()
}

fn receive(
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<webhooks::Verified<Event>, WebhookError> {
    Event::receive(&verifier(), &Request::new(headers, body))
}

/// An event told apart by a one-value property, one by a discriminator's mapping, one by a
/// header: each decodes into its own variant, with the delivery's id.
#[test]
fn each_kind_of_event_decodes_into_its_variant() {
    let body = json!({"type": "pet.created", "id": "evt_1", "pet": {"name": "Rex"}}).to_string();
    let event = receive(
        &signed(SECRET, "msg_1", now(), body.as_bytes()),
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(event.id.as_deref(), Some("msg_1"));
    let Event::PetCreated(created) = event.event else {
        panic!("{:?}", event.event);
    };
    assert_eq!(
        (created.id.as_str(), created.pet.name.as_str()),
        ("evt_1", "Rex")
    );

    let body = json!({"type": "invoice.paid", "id": "evt_2", "amount": 1200}).to_string();
    let event = receive(
        &signed(SECRET, "msg_2", now(), body.as_bytes()),
        body.as_bytes(),
    )
    .unwrap();
    assert!(
        matches!(&event.event, Event::InvoicePaid(paid) if paid.amount == 1200),
        "{event:?}"
    );

    let body = json!({"type": "pet.deleted", "id": "evt_3", "petId": 7}).to_string();
    let event = receive(
        &signed(SECRET, "msg_3", now(), body.as_bytes()),
        body.as_bytes(),
    )
    .unwrap();
    assert!(
        matches!(&event.event, Event::PetDeleted(gone) if gone.pet_id == 7),
        "{event:?}"
    );

    let body = json!({"zen": "Keep it logically awesome."}).to_string();
    let mut headers = signed(SECRET, "msg_4", now(), body.as_bytes());
    headers.insert("X-Event", "ping".parse().unwrap());
    let event = receive(&headers, body.as_bytes()).unwrap();
    assert!(
        matches!(&event.event, Event::Ping(p) if p.zen.starts_with("Keep")),
        "{event:?}"
    );
}

/// An event the spec does not list is kept whole, with the value that named it.
#[test]
fn an_unknown_event_is_kept() {
    let body = json!({"type": "pet.adopted", "id": "evt_5", "by": "Ann"}).to_string();
    let event = receive(
        &signed(SECRET, "msg_5", now(), body.as_bytes()),
        body.as_bytes(),
    )
    .unwrap();
    let Event::Unknown(unknown) = event.event else {
        panic!("{:?}", event.event);
    };
    assert_eq!(unknown.tag.as_deref(), Some("pet.adopted"));
    assert_eq!(unknown.body, body.as_bytes());
}

/// A wrong signature, an old timestamp, a body changed after signing and a missing header each
/// give their own error, and no event.
#[test]
fn what_does_not_verify_gives_no_event() {
    let body = json!({"type": "pet.created", "id": "evt_1", "pet": {"name": "Rex"}}).to_string();
    let bytes = body.as_bytes();
    let wrong = signed(NEXT_SECRET, "msg_1", now(), bytes);
    assert!(matches!(
        receive(&wrong, bytes),
        Err(WebhookError::InvalidSignature)
    ));
    let old = signed(SECRET, "msg_1", now() - 3600, bytes);
    assert!(matches!(
        receive(&old, bytes),
        Err(WebhookError::TooOld { .. })
    ));
    let changed = body.replace("Rex", "Max");
    let headers = signed(SECRET, "msg_1", now(), bytes);
    let error = receive(&headers, changed.as_bytes());
    assert!(matches!(error, Err(WebhookError::InvalidSignature)));
    let mut missing = headers.clone();
    missing.remove("webhook-signature");
    let error = receive(&missing, bytes);
    assert!(matches!(&error, Err(WebhookError::MissingHeader(h)) if h == "webhook-signature"));
    // Nothing unverified decodes but through the functions that say so.
    let event = Event::decode_unverified(&Request::new(&missing, bytes)).unwrap();
    assert!(matches!(event, Event::PetCreated(_)));
}

/// A body that does not fit its event is an error naming the event and where.
#[test]
fn a_bad_body_names_the_event_and_the_field() {
    let body = json!({"type": "pet.created", "id": "evt_1", "pet": {"name": 7}}).to_string();
    let error = receive(
        &signed(SECRET, "msg_1", now(), body.as_bytes()),
        body.as_bytes(),
    );
    let Err(WebhookError::Decode { event, path, .. }) = &error else {
        panic!("{error:?}");
    };
    assert_eq!((*event, path.as_str()), ("petCreated", "pet.name"));
    assert!(error.unwrap_err().to_string().contains("petCreated"));
}

/// During a rotation the endpoint takes deliveries signed with the old or the new secret.
#[test]
fn secrets_rotate() {
    let both = Verifier::standard_webhooks([NEXT_SECRET, SECRET]).unwrap();
    let body = json!({"type": "pet.deleted", "id": "evt_3", "petId": 7}).to_string();
    for secret in [SECRET, NEXT_SECRET] {
        let headers = signed(secret, "msg_3", now(), body.as_bytes());
        let request = Request::new(&headers, body.as_bytes());
        assert!(Event::receive(&both, &request).is_ok());
        let one = webhooks::pet_deleted(&both, &request).unwrap();
        assert_eq!(one.event.pet_id, 7);
    }
}

fn stripe_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

/// Nothing on the wire tells a 3.0 spec's callbacks and `x-webhooks` apart: each is decoded
/// with its own function, here under a Stripe-style HMAC scheme.
#[test]
fn events_nothing_tells_apart_decode_by_their_function() {
    // The generation's preset: `t=…,v1=…` in `Signature`, of `{timestamp}.{body}`.
    let verifier = callbacks::verifier(["whsec_plain"]).unwrap();
    let body = json!({"event": "moved", "at": "2026-12-07T10:00:00Z"}).to_string();
    let mut headers = http::HeaderMap::new();
    let value = stripe_signature("whsec_plain", now(), body.as_bytes());
    headers.insert("signature", value.parse().unwrap());
    let request = Request::new(&headers, body.as_bytes());
    let event = callbacks::on_event(&verifier, &request).unwrap();
    assert_eq!(event.event.event, "moved");
    assert_eq!(event.timestamp.map(|t| (now() - t).abs() < 60), Some(true));
    let pet = json!({"name": "Rex"}).to_string();
    let error = callbacks::new_pet(&verifier, &Request::new(&headers, pet.as_bytes()));
    assert!(matches!(
        error,
        Err(callbacks::WebhookError::InvalidSignature)
    ));
    let unverified = callbacks::new_pet_unverified(&Request::new(&headers, pet.as_bytes()));
    assert_eq!(unverified.unwrap().name, "Rex");
    let cancelled = json!({"reason": "moved"}).to_string();
    let value = stripe_signature("whsec_plain", now(), cancelled.as_bytes());
    headers.insert("signature", value.parse().unwrap());
    let event = callbacks::cancelled(&verifier, &Request::new(&headers, cancelled.as_bytes()));
    assert_eq!(event.unwrap().event.reason.as_deref(), Some("moved"));
}

/// What the server on loopback received: its handlers push each event here.
#[derive(Clone)]
struct App {
    verifier: Verifier,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl axum::extract::FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

async fn all_events(
    axum::extract::State(app): axum::extract::State<App>,
    webhooks::Received(event): webhooks::Received<Event>,
) -> webhooks::Answer {
    let line = match event.event {
        Event::PetCreated(e) if e.pet.name == "Refused" => {
            return webhooks::PetCreatedAnswer::ClientError {
                status: 409,
                body: "not this one".into(),
            }
            .into();
        }
        Event::PetCreated(e) => {
            app.seen.lock().unwrap().push(format!(
                "{} created {}",
                event.id.unwrap_or_default(),
                e.pet.name
            ));
            let received = tests::fixtures::webhooks::PetCreatedResponse200::new(true);
            return webhooks::PetCreatedAnswer::Ok(received).into();
        }
        Event::Ping(p) => format!("ping {}", p.zen),
        Event::Unknown(u) => format!("unknown {:?}", u.tag),
        other => format!("{other:?}"),
    };
    app.seen
        .lock()
        .unwrap()
        .push(format!("{} {line}", event.id.unwrap_or_default()));
    webhooks::Answer::empty(204)
}

/// The one webhook an endpoint receives, decoded by its own function from a raw delivery.
async fn one_callback(
    axum::extract::State(app): axum::extract::State<App>,
    delivery: webhooks::Delivery,
) -> callbacks::Answer {
    let verifier = Verifier::hmac(
        HmacScheme::new("X-Signature")
            .signed("{url}{body}")
            .unwrap(),
        ["k"],
    )
    .unwrap();
    match callbacks::on_event(&verifier, &delivery.request()) {
        Ok(event) => {
            app.seen
                .lock()
                .unwrap()
                .push(format!("callback {}", event.event.event));
            callbacks::OnEventAnswer::NoContent.into()
        }
        Err(e) => callbacks::Answer::text(401, e.to_string()),
    }
}

fn hex_hmac(key: &[u8], text: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(text);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A real server on loopback with axum: the `Received` extractor verifies and decodes each
/// signed request before the handler runs, answering 401 for one that does not verify and 400
/// for one that does not decode; `Delivery` hands a raw request, with the URL the sender
/// signed, to a webhook's own function.
#[tokio::test]
async fn a_server_on_loopback_receives_verified_events() {
    let app = App {
        verifier: verifier(),
        seen: Default::default(),
    };
    let router = axum::Router::new()
        .route("/events", axum::routing::post(all_events))
        .route("/callback", axum::routing::post(one_callback))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = client_runtime::reqwest::Client::new();
    let send = |path: &str, headers: http::HeaderMap, body: String| {
        client
            .post(format!("{base}{path}"))
            .headers(headers)
            .body(body)
            .send()
    };

    let created = json!({"type": "pet.created", "id": "evt_1", "pet": {"name": "Rex"}}).to_string();
    let answer = send(
        "/events",
        signed(SECRET, "msg_1", now(), created.as_bytes()),
        created.clone(),
    );
    // The documented answer, typed: `200` with its JSON body.
    let answer = answer.await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/json");
    assert_eq!(answer.text().await.unwrap(), r#"{"received":true}"#);
    let refused = json!({"type": "pet.created", "id": "evt_0", "pet": {"name": "Refused"}});
    let refused = refused.to_string();
    let headers = signed(SECRET, "msg_0", now(), refused.as_bytes());
    let answer = send("/events", headers, refused).await.unwrap();
    let answer = (answer.status().as_u16(), answer.text().await.unwrap());
    assert_eq!(answer, (409, "not this one".to_owned()));
    let ping = json!({"zen": "calm"}).to_string();
    let mut headers = signed(SECRET, "msg_2", now(), ping.as_bytes());
    headers.insert("x-event", "ping".parse().unwrap());
    assert_eq!(send("/events", headers, ping).await.unwrap().status(), 204);
    let adopted = json!({"type": "pet.adopted"}).to_string();
    let headers = signed(SECRET, "msg_3", now(), adopted.as_bytes());
    assert_eq!(
        send("/events", headers, adopted).await.unwrap().status(),
        204
    );

    let forged = signed(NEXT_SECRET, "msg_4", now(), created.as_bytes());
    assert_eq!(
        send("/events", forged, created.clone())
            .await
            .unwrap()
            .status(),
        401
    );
    let old = signed(SECRET, "msg_5", now() - 3600, created.as_bytes());
    assert_eq!(
        send("/events", old, created.clone())
            .await
            .unwrap()
            .status(),
        401
    );
    let headers = signed(SECRET, "msg_6", now(), created.as_bytes());
    let changed = created.replace("Rex", "Max");
    assert_eq!(
        send("/events", headers, changed).await.unwrap().status(),
        401
    );
    let mut missing = signed(SECRET, "msg_7", now(), created.as_bytes());
    missing.remove("webhook-id");
    let answer = send("/events", missing, created.clone()).await.unwrap();
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("webhook-id"));
    let bad = json!({"type": "pet.created", "id": "evt_8", "pet": {}}).to_string();
    let headers = signed(SECRET, "msg_8", now(), bad.as_bytes());
    let answer = send("/events", headers, bad).await.unwrap();
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("petCreated"));

    // The URL the sender signed is the one the request came to.
    let event = json!({"event": "moved", "at": "2026-12-07T10:00:00Z"}).to_string();
    let host = base.trim_start_matches("http://");
    let signed_url = format!("https://{host}/callback{}", event);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-signature",
        hex_hmac(b"k", signed_url.as_bytes()).parse().unwrap(),
    );
    assert_eq!(
        send("/callback", headers.clone(), event.clone())
            .await
            .unwrap()
            .status(),
        204
    );
    let elsewhere = format!("https://{host}/other{}", event);
    headers.insert(
        "x-signature",
        hex_hmac(b"k", elsewhere.as_bytes()).parse().unwrap(),
    );
    assert_eq!(
        send("/callback", headers, event).await.unwrap().status(),
        401
    );

    server.abort();
    assert_eq!(
        *app.seen.lock().unwrap(),
        [
            "msg_1 created Rex",
            "msg_2 ping calm",
            "msg_3 unknown Some(\"pet.adopted\")",
            "callback moved"
        ]
    );
}

/// A callback's URL is the expression of its key: one reads the subscribing request's body,
/// another is literal.
#[test]
fn a_callback_url_is_typed_from_its_expression() {
    use callbacks::UrlPart;
    assert_eq!(
        callbacks::on_event_url().0,
        [UrlPart::RequestBody("/callbackUrl")]
    );
    let subscribe = json!({"callbackUrl": "https://me.example/hooks?x=1"});
    let url = callbacks::on_event_url().from_request_body(&subscribe);
    assert_eq!(url.as_deref(), Some("https://me.example/hooks?x=1"));
    let literal = callbacks::cancelled_url().from_request_body(&json!({}));
    assert_eq!(literal.as_deref(), Some("https://example.com/cancelled"));
    let answer = callbacks::Answer::from(callbacks::OnEventAnswer::NoContent).into_http();
    assert_eq!((answer.status().as_u16(), answer.body().len()), (204, 0));
}
