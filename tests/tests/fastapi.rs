//! A real OpenAPI 3.1 producer: the FastAPI application `tools/fastapi/shelter.py`, run by
//! uvicorn on 127.0.0.1 (FastAPI and uvicorn are pinned in `tools/requirements.lock` and
//! installed into `.cache/venv` by `cargo xtask test`). Its `/openapi.json` must be the committed
//! `specs/shelter.json`, and the client generated from that copy calls every route and decodes
//! every answer. A missing Python environment fails these tests: it is never a skip.

use std::time::Duration;

use tests::server::{LocalServer, root, tool};

use serde_json::Value;
use shelter_client::models as m;
use shelter_client::{Client, Error};

/// The shelter application under uvicorn on 127.0.0.1, stopped when dropped.
fn shelter() -> LocalServer {
    let python = tool(
        "SHELTER_PYTHON",
        ".cache/venv/bin/python",
        "run `cargo xtask test`, which installs FastAPI and uvicorn from tools/requirements.lock",
    );
    let mut args: Vec<String> = ["-m", "uvicorn", "shelter:app", "--host", "127.0.0.1"]
        .map(String::from)
        .to_vec();
    args.extend(["--port".into(), "{port}".into(), "--app-dir".into()]);
    args.push(root().join("tools/fastapi").display().to_string());
    LocalServer::start(&python, &args, "uvicorn", Duration::from_secs(60))
}

fn client(shelter: &LocalServer) -> Client {
    Client::builder()
        .base_url(&shelter.url)
        .no_retries()
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_application_writes_the_committed_spec() {
    let shelter = shelter();
    let served = client_runtime::reqwest::get(format!("{}/openapi.json", shelter.url))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let served: Value = serde_json::from_slice(&served).unwrap();
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("specs/shelter.json")).unwrap())
            .unwrap();
    assert!(
        served == committed,
        "tools/fastapi/shelter.py no longer writes specs/shelter.json; refresh the copy with\n  .cache/venv/bin/python tools/fastapi/shelter.py > specs/shelter.json\nthen run `cargo xtask generate`.\nserved: {served}"
    );
    assert_eq!(served["openapi"], "3.1.0");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_answers_what_the_generated_client_decodes() {
    let shelter = shelter();
    let client = client(&shelter);

    let cats = client
        .list_animals(&shelter_client::ListAnimalsParams {
            species: Some(m::Species::Cat),
            tags: Some(vec!["calm".to_owned(), "old".to_owned()]),
            limit: Some(5),
        })
        .await
        .unwrap();
    let names: Vec<&str> = cats
        .body
        .iter()
        .map(|a| match a {
            m::AdoptionAnimal::Cat(c) => c.name.as_str(),
            m::AdoptionAnimal::Dog(d) => panic!("a dog among cats: {d:?}"),
        })
        .collect();
    assert_eq!(names, ["Mia", "Tom"]);

    let m::AdoptionAnimal::Cat(mia) = client.get_animal(1).await.unwrap().body else {
        panic!("animal 1 is a cat");
    };
    assert_eq!(mia.microchip, Some(Some(m::CatMicrochip::Integer(985112))));
    let vaccination = &mia.vaccinations.unwrap()[0];
    assert_eq!(vaccination.on.to_string(), "2026-03-01");
    let m::AdoptionAnimal::Cat(tom) = client.get_animal(3).await.unwrap().body else {
        panic!("animal 3 is a cat");
    };
    assert_eq!(
        tom.microchip,
        Some(Some(m::CatMicrochip::String("FR-250-26".to_owned())))
    );
    assert_eq!(tom.nickname, Some(None));

    match client.get_animal(9).await.unwrap_err() {
        Error::Status {
            error: shelter_client::GetAnimalError::NotFound(problem),
            ..
        } => assert_eq!(problem.detail, "no animal 9"),
        other => panic!("{other:?}"),
    }

    let new_dog = m::AddAnimalBody::NewDog(m::NewDog {
        kind: Some(m::DogKind::Dog),
        name: "Bo".to_owned(),
        size: m::Size::V2,
    });
    let added = client.add_animal(&new_dog).await.unwrap();
    assert_eq!(added.status, 201);
    let m::AdoptionAnimal::Dog(bo) = added.body else {
        panic!("a dog was added");
    };
    assert_eq!((bo.id, bo.size), (100, m::Size::V2));

    // Tri-state: the name is left out (kept), the nickname is sent as `null` (removed).
    let patch = m::AnimalPatch {
        name: None,
        nickname: Some(None),
    };
    let m::AdoptionAnimal::Dog(rex) = client.update_animal(2, &patch).await.unwrap().body else {
        panic!("animal 2 is a dog");
    };
    assert_eq!((rex.name.as_str(), rex.nickname), ("Rex", Some(None)));
    assert!(!rex.good_with.unwrap()["cats"]);

    let adoption = client.get_adoption(5).await.unwrap().body;
    assert_eq!(adoption.status, m::AdoptionStatus::Done);
    assert_eq!(adoption.adopter.email, Some(None));
    assert_eq!(adoption.at.to_rfc3339(), "2026-10-01T14:00:00+00:00");
    assert!(matches!(adoption.animal, m::AdoptionAnimal::Dog(_)));

    let stats = client.get_stats().await.unwrap().body;
    assert_eq!(stats.counts["cat"], 2);
    assert_eq!(stats.counts["dog"], 1);
    assert!(matches!(
        stats.oldest,
        Some(Some(m::AdoptionAnimal::Cat(_)))
    ));
    assert_eq!(stats.notes, Some(None));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_the_application_refuses_is_its_typed_validation_error() {
    let shelter = shelter();
    let params = shelter_client::ListAnimalsParams {
        limit: Some(0),
        ..Default::default()
    };
    match client(&shelter).list_animals(&params).await.unwrap_err() {
        Error::Status {
            status,
            error: shelter_client::ListAnimalsError::UnprocessableEntity(invalid),
            ..
        } => {
            assert_eq!(status, 422);
            let detail = &invalid.detail.unwrap()[0];
            assert_eq!(
                detail.loc,
                [
                    m::ValidationErrorLocItem::String("query".to_owned()),
                    m::ValidationErrorLocItem::String("limit".to_owned())
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}
