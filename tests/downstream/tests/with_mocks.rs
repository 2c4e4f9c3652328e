//! The downstream crate's functions against the generated clients' typed mocks: a success, a
//! documented error, a retry, a paged list, a stream, the spec's examples as answers, what was
//! received read back, and the message of a request no mock matches.

use downstream::{animal_name, ask, rename, rename_user, volunteer_names};
use serde_json::json;
use shelter_client::mock::MockServer;
use shelter_client::{Error, GetAnimalError};

fn model<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

fn dog(name: &str) -> shelter_client::models::Animal {
    model(json!({"kind": "dog", "id": 7, "name": name, "size": 2}))
}

#[tokio::test]
async fn a_success_and_a_documented_error() {
    let server = MockServer::start().await;
    server
        .get_animal()
        .matching(7)
        .times(1)
        .ok(dog("Rex"))
        .await;
    let missing = model(json!({"detail": "no animal 8"}));
    server
        .get_animal()
        .matching(8)
        .error(GetAnimalError::NotFound(missing))
        .await;
    let client = server.client();
    assert_eq!(
        animal_name(&client, 7).await.unwrap().as_deref(),
        Some("Rex")
    );
    assert_eq!(animal_name(&client, 8).await.unwrap(), None);
    server.verify().await;
}

#[tokio::test]
async fn a_briefly_unavailable_server_is_retried() {
    let server = MockServer::start().await;
    server
        .get_animal()
        .matching(7)
        .unavailable_first(2)
        .ok(dog("Rex"))
        .await;
    let client = server
        .client_builder()
        .retry(shelter_client::RetryPolicy {
            base_delay: std::time::Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap();
    assert_eq!(
        animal_name(&client, 7).await.unwrap().as_deref(),
        Some("Rex")
    );
    assert_eq!(server.get_animal().received().await.len(), 3);
    let once = server.client_builder().no_retries().build().unwrap();
    server
        .get_animal()
        .matching(9)
        .unavailable_first(1)
        .ok(dog("Max"))
        .await;
    let err = animal_name(&once, 9).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn what_was_sent_is_read_back_in_the_bodys_type() {
    let server = MockServer::start().await;
    let patch = shelter_client::models::AnimalPatch::new().name("Max".to_owned());
    server
        .update_animal()
        .matching(7, patch.clone())
        .times(1)
        .ok(dog("Max"))
        .await;
    rename(&server.client(), 7, "Max").await.unwrap();
    let mock = server.update_animal();
    assert_eq!(mock.received_bodies().await, [patch]);
    let received = server.received().await;
    assert_eq!(received[0].operation, Some("update_animal"));
    let path = received[0].path_parameters("/animals/{animal_id}");
    assert_eq!(path, [("animal_id".to_owned(), "7".to_owned())]);
    assert_eq!(mock.received_arguments().await, [7]);
}

#[tokio::test]
async fn the_parameters_received_are_read_back_in_the_methods_types() {
    let server = MockServer::start().await;
    let params = shelter_client::ListAnimalsParams::default()
        .species(shelter_client::models::Species::Dog)
        .tags(vec!["calm".to_owned(), "a, b & c".to_owned()])
        .limit(20);
    server
        .list_animals()
        .matching_with(&params)
        .times(1)
        .ok(vec![dog("Rex")])
        .await;
    server.list_animals().ok(Vec::new()).await;
    let client = server.client();
    client.list_animals_with(&params).await.unwrap();
    client.list_animals().await.unwrap();
    let read = server.list_animals().received_arguments().await;
    let none = shelter_client::ListAnimalsParams::default();
    assert_eq!(read, [params, none]);
}

#[tokio::test]
async fn a_request_no_mock_matches_names_the_closest_and_what_differed() {
    let server = MockServer::start().await;
    let patch = shelter_client::models::AnimalPatch::new().name("Max".to_owned());
    server
        .update_animal()
        .matching(7, patch)
        .ok(dog("Max"))
        .await;
    server.get_animal().matching(7).ok(dog("Rex")).await;
    let err = rename(&server.client(), 7, "Maxi").await.unwrap_err();
    let Error::UnexpectedStatus { status, body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 501);
    let said = String::from_utf8_lossy(body);
    assert!(
        said.contains("the closest is `update_animal` (PATCH /animals/{animal_id})"),
        "{said}"
    );
    assert!(
        said.contains(r#"the body is {"name":"Maxi"}, not {"name":"Max"}"#),
        "{said}"
    );
    let err = animal_name(&server.client(), 8).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("the path is /animals/8, not /animals/7"),
        "{err}"
    );
}

#[tokio::test]
async fn a_paged_list_is_answered_page_by_page() {
    let server = MockServer::start().await;
    let page = |names: &[&str], more: bool| -> shelter_client::models::VolunteerList {
        let data: Vec<_> = names
            .iter()
            .map(|n| json!({"id": format!("v-{n}"), "name": n}))
            .collect();
        model(json!({"data": data, "has_more": more}))
    };
    let pages = vec![page(&["Ann", "Bo"], true), page(&["Cy"], false)];
    server
        .list_volunteers_after()
        .times(2)
        .ok_in_turn(pages)
        .await;
    assert_eq!(
        volunteer_names(&server.client()).await.unwrap(),
        ["Ann", "Bo", "Cy"]
    );
    let received = server.list_volunteers_after().received().await;
    let queries: Vec<_> = received.iter().map(|r| r.query()).collect();
    assert_eq!(queries[0], []);
    assert_eq!(
        queries[1],
        [("starting_after".to_owned(), "v-Bo".to_owned())]
    );
}

#[tokio::test]
async fn a_stream_is_answered_event_by_event() {
    let server = MockServer::start().await;
    let question: shelter_client::models::Question = model(json!({"text": "Who is good?"}));
    let pieces = ["Every ", "dog."]
        .iter()
        .enumerate()
        .map(|(i, d)| model(json!({"delta": d, "index": i})));
    server
        .ask_assistant()
        .matching_stream(question)
        .times(1)
        .ok_stream(pieces.collect())
        .await;
    assert_eq!(
        ask(&server.client(), "Who is good?").await.unwrap(),
        "Every dog."
    );
}

#[tokio::test]
async fn the_specs_examples_are_ready_answers() {
    let server = imichat_client::mock::MockServer::start().await;
    server.update_user().example_200_constructed().await;
    let client = server.client_builder().access_token("t").build().unwrap();
    let said = rename_user(&client, (1024, 5), "Jane").await.unwrap();
    assert_eq!(said, "User updated successfully");
    let body = &server.update_user().received_bodies().await[0];
    assert_eq!(body.first_name.as_deref(), Some("Jane"));

    let server = imichat_client::mock::MockServer::start().await;
    server.update_user().example_404_constructed().await;
    let client = server.client_builder().access_token("t").build().unwrap();
    let said = rename_user(&client, (1024, 5), "Jane").await.unwrap();
    assert!(!said.is_empty());
}
