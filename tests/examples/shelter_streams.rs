//! Reads answers that stream with the shelter's client (the FastAPI application in
//! `tools/fastapi/`): server-sent events as they come, an answer asked for whole or as events,
//! and JSON Lines.
//!
//! `SHELTER_URL=http://127.0.0.1:8000 cargo run -p tests --example shelter_streams`.

use shelter_client::models::{Animal, Question};
use shelter_client::{Client, StreamError, WatchArrivalsParams};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(std::env::var("SHELTER_URL").unwrap_or(shelter_client::DEFAULT_BASE_URL.into()))
        .build()?;

    // Server-sent events, each handed over as it arrives: the data decoded into the model, the
    // event's name and id beside it. An event that does not decode is an error item; this
    // program stops there, another could go on with the next.
    let params = WatchArrivalsParams::default().count(5).pause_ms(200);
    let mut arrivals = client.watch_arrivals_with(&params).await?.into_body();
    while let Some(event) = arrivals.next().await {
        let event = match event {
            Ok(event) => event,
            Err(StreamError::Decode { index, data, .. }) => {
                eprintln!("event {index} is not an animal: {data}");
                break;
            }
            Err(e) => return Err(e.into()),
        };
        let name = match &event.data {
            Animal::Cat(cat) => cat.name.as_str(),
            Animal::Dog(dog) => dog.name.as_str(),
            _ => "an animal of a new kind",
        };
        println!(
            "{} #{}: {name}",
            event.name.as_deref().unwrap_or("message"),
            event.id.as_deref().unwrap_or("-")
        );
    }

    // One operation, two methods: the answer whole, or its pieces as events (the streaming
    // method sends `Accept: text/event-stream` and `"stream": true`).
    let question = Question::new("Why do cats sleep so much?");
    println!("{}", client.ask_assistant(question.clone()).await?.text);
    let mut pieces = client.ask_assistant_stream(question).await?.into_body();
    while let Some(piece) = pieces.next().await {
        print!("{} ", piece?.data.delta);
    }
    println!();

    // JSON Lines: one animal per line.
    let mut animals = client.export_animals().await?.into_body();
    let mut count = 0;
    while let Some(animal) = animals.next().await {
        animal?;
        count += 1;
    }
    println!("{count} animals exported");
    Ok(())
}
