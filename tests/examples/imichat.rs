//! Sets an IMIchat user inactive and prints the vendor's status code.
//!
//! `IMICHAT_SUBDOMAIN=acme IMICHAT_TOKEN=... cargo run -p tests --example imichat`.

use imichat_client::models::{StatusCode, UpdateUserRequest, UserStatus};
use imichat_client::{Client, Error, UpdateUserError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .subdomain(std::env::var("IMICHAT_SUBDOMAIN")?)
        .access_token(std::env::var("IMICHAT_TOKEN")?)
        .build()?;
    let body = UpdateUserRequest::new().status(UserStatus::Inactive);
    let (user_id, team_id) = (1024, 3);
    match client.update_user(user_id, team_id, &body).await {
        Ok(answer) => println!("{:?}: {}", answer.status_code, answer.description),
        Err(Error::Status {
            error: UpdateUserError::NotFound(e),
            ..
        }) if e.status_code == StatusCode::TeamNotFound => {
            println!("no team {team_id}")
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
