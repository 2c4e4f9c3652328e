//! Mutes a chat room participant in the ERP.
//!
//! `ERP_HOST=erp.example.de ERP_SESSION_TOKEN=... cargo run -p tests --example iw_erp`.

use iw_erp_client::models::{ChatroomParticipant, ChatroomParticipantUpdate};
use iw_erp_client::{Client, UpdateChatroomParticipantParams};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .host(std::env::var("ERP_HOST")?)
        .session_token(std::env::var("ERP_SESSION_TOKEN")?)
        .build()?;
    let body = ChatroomParticipantUpdate::new(ChatroomParticipant::new().is_muted(true));
    // The optional parameters go in one expression too; `update_chatroom_participant` is the
    // same call without them.
    let params = UpdateChatroomParticipantParams::default().iw_build_id("build-1");
    let answer = client
        .update_chatroom_participant_with("participant-7", &body, &params)
        .await?;
    println!("participant {:?} muted: {:?}", answer.id, answer.is_muted);
    Ok(())
}
