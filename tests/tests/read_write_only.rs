//! `readOnly` and `writeOnly` (tests/fixtures/read_write_only.yaml): a request never asks for
//! what the server owns and leaves it out on the way, an answer never requires what only
//! clients send; at the top, in array items and in an `allOf`-composed nested object. The
//! spec's own examples decode as the direction they travel in, and what a client sends is read
//! back by a server on loopback.

use serde_json::{Value, json};
use tests::fixtures::read_write_only as models;
use tests::fixtures::read_write_only_client as client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Decodes `value` as `T` and encodes it back, which gives the same JSON.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    decoded
}

#[test]
fn requests_need_nothing_the_server_owns() {
    // The spec's request examples, without `id`, `created_at` or the tags' `id`.
    let pet: models::PetInput = round_trip(json!({
        "name": "Rex", "secret": "s3cret", "tags": [{ "label": "good" }]
    }));
    assert_eq!((pet.id, pet.created_at), (None, None));
    round_trip::<models::OwnerInput>(json!({
        "name": "Ann", "pets": [{ "name": "Rex", "secret": "s3cret" }], "home": { "street": "Main" }
    }));
    // The constructors ask for what requests require, the write-only secret among it.
    let built = models::PetInput::new("Rex", "s3cret");
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({ "name": "Rex", "secret": "s3cret" })
    );
    let login = models::Login::new("ann", "pw");
    assert_eq!(login.last_seen, None);
}

#[test]
fn answers_need_nothing_only_clients_send() {
    let pet: models::Pet = round_trip(json!({
        "id": 7, "name": "Rex", "created_at": "2026-12-06T10:00:00Z", "tags": [{ "id": 1, "label": "good" }]
    }));
    assert_eq!((pet.id, pet.secret), (7, None));
    round_trip::<models::Owner>(json!({
        "id": 3, "name": "Ann",
        "pets": [{ "id": 7, "name": "Rex", "created_at": "2026-12-06T10:00:00Z" }],
        "home": { "street": "Main", "checked_at": "2026-12-06T10:00:00Z" }
    }));
    round_trip::<models::Session>(json!({ "token": "t", "user": "ann" }));
    // What the server owns is required in answers: an answer without it is refused.
    let missing = serde_json::from_value::<models::Pet>(json!({ "name": "Rex" }));
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("missing field `id`")
    );
}

/// An owner as received and sent back: every read-only value set, at every depth.
fn owner_sent_back() -> models::OwnerInput {
    serde_json::from_value(json!({
        "id": 3, "name": "Ann",
        "pets": [{ "id": 7, "name": "Rex", "secret": "s3cret", "created_at": "2026-12-06T10:00:00Z",
                   "tags": [{ "id": 1, "label": "good" }] }],
        "home": { "street": "Main", "checked_at": "2026-12-06T10:00:00Z" }
    }))
    .unwrap()
}

/// A server on loopback that answers `answer` to any request, and a client of it.
async fn serve(status: u16, answer: &Value, send_read_only: bool) -> (MockServer, client::Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(answer))
        .mount(&server)
        .await;
    let client = client::Client::builder()
        .base_url(server.uri())
        .send_read_only(send_read_only)
        .build()
        .unwrap();
    (server, client)
}

/// The JSON body of the one request `server` received.
async fn sent(server: &MockServer) -> Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).unwrap()
}

async fn sent_body(send_read_only: bool) -> Value {
    let stored = json!({ "id": 3, "name": "Ann", "pets": [] });
    let (server, client) = serve(201, &stored, send_read_only).await;
    let answer = client.add_owner(owner_sent_back()).await.unwrap();
    assert_eq!(answer.into_body().id, 3);
    sent(&server).await
}

#[tokio::test]
async fn requests_leave_out_what_the_server_owns_unless_asked_to_send_it() {
    assert_eq!(
        sent_body(false).await,
        json!({
            "name": "Ann",
            "pets": [{ "name": "Rex", "secret": "s3cret", "tags": [{ "label": "good" }] }],
            "home": { "street": "Main" }
        })
    );
    assert_eq!(
        sent_body(true).await,
        serde_json::to_value(owner_sent_back()).unwrap()
    );
}

#[test]
fn unions_and_maps_take_their_members_as_each_direction_does() {
    let sent: models::AnimalInput = round_trip(json!({
        "kind": "dog", "name": "Rex", "friends": { "ann": { "name": "Rex", "secret": "s3cret" } }
    }));
    assert!(matches!(sent, models::AnimalInput::Dog(_)), "{sent:?}");
    let cat: models::AnimalInput = round_trip(json!({ "kind": "cat", "name": "Tom" }));
    assert!(matches!(cat, models::AnimalInput::Cat(_)), "{cat:?}");
    let received: models::Animal = round_trip(json!({ "kind": "cat", "id": 4, "name": "Tom" }));
    assert!(matches!(received, models::Animal::Cat(c) if c.id == 4));
}

#[tokio::test]
async fn a_union_sent_back_leaves_out_its_members_read_only_values() {
    let answer = json!({ "kind": "cat", "id": 4, "name": "Tom" });
    let (server, client) = serve(200, &answer, false).await;
    let back: models::AnimalInput = serde_json::from_value(answer).unwrap();
    client.put_animal(back).await.unwrap();
    assert_eq!(sent(&server).await, json!({ "kind": "cat", "name": "Tom" }));
}

#[test]
fn a_value_encoded_outside_a_request_keeps_what_the_server_owns() {
    let owner = serde_json::to_value(owner_sent_back()).unwrap();
    assert_eq!(owner["id"], 3);
    assert_eq!(owner["pets"][0]["tags"][0]["id"], 1);
    assert_eq!(owner["home"]["checked_at"], "2026-12-06T10:00:00Z");
}
