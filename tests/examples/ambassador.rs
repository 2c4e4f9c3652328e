//! Clears the pending email of ambassador 42 with the ambassador platform's client.
//!
//! Run against your own host: `AMBASSADOR_URL=https://your.domain/api/v2 AMBASSADOR_TOKEN=...
//! cargo run -p tests --example ambassador`.

use ambassador_client::models::UpdateChatAmbassadorRequest;
use ambassador_client::{Client, Error, UpdateChatAmbassadorError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(
            std::env::var("AMBASSADOR_URL").unwrap_or(ambassador_client::DEFAULT_BASE_URL.into()),
        )
        .bearer_token(std::env::var("AMBASSADOR_TOKEN")?)
        .build()?;
    // `email_tmp(None)` sends `"email_tmp": null`, which clears it; a field never set is left out.
    let body = UpdateChatAmbassadorRequest::new().email_tmp(None);
    match client.update_chat_ambassador(42, &body).await {
        Ok(answer) => println!("updated {:?} ({})", answer.username, answer.status()),
        Err(Error::Status {
            error: UpdateChatAmbassadorError::UnprocessableEntity(v),
            ..
        }) => {
            println!("refused: {:?} {:?}", v.message, v.errors)
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
