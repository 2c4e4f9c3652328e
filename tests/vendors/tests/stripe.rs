//! Stripe's client, generated from Stripe's description, against a server on loopback: its form
//! bodies and queries, which Stripe (like Rails, PHP and Express) reads in the bracket
//! convention, parse with Express's `qs` into the JSON the client was given, and Stripe's own
//! fixtures decode as the answers.

#[path = "../../src/qs.rs"]
mod qs;

use serde_json::{Value, json};
use stripe_client::models::PostCustomersForm;
use stripe_client::prelude::*;
use stripe_client::{Client, GetCustomersParams};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn root() -> &'static std::path::Path {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The object Stripe's fixtures hold for `resource`.
fn fixture(resource: &str) -> Value {
    let path = root().join("tests/vendors/specs/stripe/fixtures3.json");
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    fixtures["resources"][resource].clone()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("customer")))
        .mount(&server)
        .await;
    let list = json!({"object": "list", "url": "/v1/customers", "has_more": false, "data": [fixture("customer")]});
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("sk_test")
        .build()
        .unwrap()
}

/// A customer with metadata, lists of values (`expand[]`, `preferred_locales[]`), a list of
/// objects (`invoice_settings[custom_fields][0][name]`) and a nested object.
#[tokio::test]
async fn form_bodies_parse_with_qs_into_what_the_client_was_given() {
    let given = json!({
        "email": "ada@example.com",
        "metadata": {"order_id": "6735", "note": "a&b=c d"},
        "expand": ["tax", "invoice_settings.default_payment_method"],
        "preferred_locales": ["en", "fr"],
        "invoice_settings": {
            "custom_fields": [{"name": "PO", "value": "42"}, {"name": "Ref", "value": "x/y"}],
            "footer": "Thanks!"
        },
        "address": {"city": "Paris", "line1": "1 rue de Rivoli"},
        "balance": 1200
    });
    let form: PostCustomersForm = serde_json::from_value(given.clone()).unwrap();
    let server = server().await;
    let customer = client(&server)
        .post_customers(&form)
        .await
        .unwrap()
        .into_body();
    assert_eq!(
        serde_json::to_value(&customer).unwrap(),
        fixture("customer")
    );
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(body.contains("expand%5B%5D=tax"), "{body}");
    let parsed = qs::parse(root(), &[body]);
    assert_eq!(Some(&parsed[0]), qs::as_sent(&given).as_ref());
    // Built with the setters, the body is the same.
    let built = PostCustomersForm::new()
        .email("ada@example.com".to_owned())
        .expand(vec!["tax".to_owned()]);
    client(&server).post_customers(&built).await.unwrap();
    let request = &server.received_requests().await.unwrap()[1];
    let parsed = qs::parse(root(), &[String::from_utf8(request.body.clone()).unwrap()]);
    assert_eq!(
        parsed[0],
        json!({"email": "ada@example.com", "expand": ["tax"]})
    );
}

/// Stripe documents the parameters of its lists as a form: they go in the query, and the
/// method takes no body.
#[tokio::test]
async fn list_parameters_go_in_the_query() {
    let server = server().await;
    let params = GetCustomersParams::default()
        .expand(vec!["data.tax".to_owned(), "data.test_clock".to_owned()])
        .limit(3);
    let list = client(&server)
        .get_customers_with(&params)
        .await
        .unwrap()
        .into_body();
    assert_eq!(list.data.len(), 1);
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.body.is_empty());
    let query = request.url.query().unwrap().to_owned();
    let parsed = qs::parse(root(), &[query]);
    assert_eq!(
        parsed[0],
        json!({"expand": ["data.tax", "data.test_clock"], "limit": "3"})
    );
}
