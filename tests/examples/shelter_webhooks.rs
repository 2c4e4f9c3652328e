//! Receives the shelter's events (the FastAPI application in `tools/fastapi/`): a server on
//! loopback verifies each delivery with the endpoint's secret before its handler runs, then
//! the shelter is asked to send them.
//!
//! `SHELTER_URL=http://127.0.0.1:8000 cargo run -p tests --example shelter_webhooks`.

use shelter_client::Client;
use shelter_client::models::Subscription;
use shelter_client::webhooks::{Answer, Event, Received, Verifier};

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

async fn on_event(Received(delivery): Received<Event>) -> Answer {
    // The same id on every retry of a delivery: a receiver that must act once remembers it.
    let id = delivery.id.unwrap_or_default();
    match delivery.event {
        Event::AdoptionCompleted(e) => println!("{id}: adoption {} completed", e.adoption.id),
        Event::AnimalArrived(e) => println!("{id}: {:?} arrived", e.animal),
        other => println!("{id}: {other:?}"),
    }
    Answer::empty(204)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The Standard Webhooks scheme with the endpoint's secret: a request it does not verify is
    // answered 401 before the handler runs.
    let verifier = Verifier::standard_webhooks([SECRET])?;
    let app = axum::Router::new()
        .route("/events", axum::routing::post(on_event))
        .with_state(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/events", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder()
        .base_url(std::env::var("SHELTER_URL").unwrap_or(shelter_client::DEFAULT_BASE_URL.into()))
        .build()?;
    let subscription = Subscription::new(url, SECRET);
    let answered = client.subscribe(subscription).await?.into_body();
    println!("the shelter's deliveries were answered {answered:?}");
    Ok(())
}
