//! A crate that depends on generated clients the way a user's crate does: functions that call
//! seed and shelter operations, with their own meaning of a documented error. Its tests
//! (`tests/with_mocks.rs`) run them against the clients' typed mocks, not against the vendors.
//!
//! A mock's answer is the operation's documented type: one of another type does not compile.
//!
//! ```
//! # async fn set_up(server: &shelter_client::mock::MockServer, dog: shelter_client::models::Animal) {
//! server.get_animal().matching(7).ok(dog).await;
//! # }
//! ```
//!
//! ```compile_fail,E0308
//! # async fn set_up(server: &shelter_client::mock::MockServer, stats: shelter_client::models::Stats) {
//! server.get_animal().matching(7).ok(stats).await; // `get_animal` answers an `Animal`
//! # }
//! ```
//!
//! ```compile_fail,E0599
//! # async fn set_up(server: &shelter_client::mock::MockServer) {
//! // `get_stats` documents no error answer: its mock has no `error` to write one with.
//! server.get_stats().error(todo!()).await;
//! # }
//! ```

use futures_util::TryStreamExt;
use shelter_client::models::Animal;
use shelter_client::{Error, GetAnimalError};

/// The name of animal `id`, `None` when the shelter has no such animal (its documented 404).
pub async fn animal_name(
    client: &shelter_client::Client,
    id: i64,
) -> Result<Option<String>, Error<GetAnimalError>> {
    match client.get_animal(id).await {
        Ok(answer) => Ok(Some(match answer.into_body() {
            Animal::Cat(cat) => cat.name,
            Animal::Dog(dog) => dog.name,
            _ => "(an animal of a kind this crate does not know)".to_owned(),
        })),
        Err(Error::Status {
            error: GetAnimalError::NotFound(_),
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Renames animal `id`.
pub async fn rename(
    client: &shelter_client::Client,
    id: i64,
    name: &str,
) -> Result<(), Error<shelter_client::UpdateAnimalError>> {
    let patch = shelter_client::models::AnimalPatch::new().name(name.to_owned());
    client.update_animal(id, patch).await.map(drop)
}

/// Every volunteer's name, walking the list's pages.
pub async fn volunteer_names(
    client: &shelter_client::Client,
) -> Result<Vec<String>, Error<shelter_client::ListVolunteersAfterError>> {
    let params = shelter_client::ListVolunteersAfterParams::default();
    let volunteers: Vec<_> = client
        .list_volunteers_after_items(&params)
        .try_collect()
        .await?;
    Ok(volunteers.into_iter().map(|v| v.name).collect())
}

/// The assistant's answer to `question`, put together from the pieces it streams.
pub async fn ask(
    client: &shelter_client::Client,
    question: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let question = serde_json::json!({ "text": question });
    let question: shelter_client::models::Question = serde_json::from_value(question)?;
    let mut events = client.ask_assistant_stream(question).await?.into_body();
    let mut text = String::new();
    while let Some(event) = events.next().await {
        text.push_str(&event?.data.delta);
    }
    Ok(text)
}

/// What IMIchat says about updating user `user_id` of team `team`: its description of the
/// outcome, an error's too.
pub async fn rename_user(
    client: &imichat_client::Client,
    (user_id, team): (i64, i64),
    first_name: &str,
) -> Result<String, Error<imichat_client::UpdateUserError>> {
    use imichat_client::UpdateUserError as E;
    let body = imichat_client::models::UpdateUserRequest::new().first_name(first_name.to_owned());
    match client.update_user(user_id, team, body).await {
        Ok(answer) => Ok(answer.into_body().description),
        Err(Error::Status {
            error: E::BadRequest(e) | E::NotFound(e),
            ..
        }) => Ok(e.description),
        Err(e) => Err(e),
    }
}
