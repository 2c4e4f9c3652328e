//! A real OpenAPI 3.1 producer: the FastAPI application `tools/fastapi/shelter.py`, run by
//! uvicorn on 127.0.0.1 (FastAPI, uvicorn and python-multipart are pinned in
//! `tools/requirements.lock` and installed into `.cache/venv` by `cargo xtask test`). Its
//! `/openapi.json` must be the committed `specs/shelter.json`, and the client generated from that
//! copy calls every route: JSON, uploads, forms, downloads, text, merge patch, cookies, HTTP
//! basic and an API key, checking what the application received and answered. A missing
//! Python environment fails these tests: it is never a skip.

use std::time::Duration;

use tests::server::{LocalServer, root, tool};

use serde_json::Value;
use shelter_client::models as m;
use shelter_client::{Client, Error, Upload};

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
        .list_animals_with(
            &shelter_client::ListAnimalsParams::default()
                .species(m::Species::Cat)
                .tags(["calm".to_owned(), "old".to_owned()])
                .limit(5),
        )
        .await
        .unwrap();
    let names: Vec<&str> = cats
        .iter()
        .map(|a| match a {
            m::Animal::Cat(c) => c.name.as_str(),
            other => panic!("not a cat: {other:?}"),
        })
        .collect();
    assert_eq!(names, ["Mia", "Tom"]);

    let m::Animal::Cat(mia) = client.get_animal(1).await.unwrap().into_body() else {
        panic!("animal 1 is a cat");
    };
    assert_eq!(mia.microchip, Some(Some(m::CatMicrochip::Integer(985112))));
    let vaccination = &mia.vaccinations.unwrap()[0];
    assert_eq!(vaccination.on.to_string(), "2026-03-01");
    let m::Animal::Cat(tom) = client.get_animal(3).await.unwrap().into_body() else {
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

    let new_dog =
        m::AddAnimalRequest::NewDog(m::NewDog::new("Bo", m::Size::V2).kind(m::DogKind::Dog));
    let added = client.add_animal(&new_dog).await.unwrap();
    assert_eq!(added.status(), 201);
    let m::Animal::Dog(bo) = added.into_body() else {
        panic!("a dog was added");
    };
    assert_eq!((bo.id, bo.size), (100, m::Size::V2));

    // Tri-state: the name is left out (kept), the nickname is sent as `null` (removed).
    let patch = m::AnimalPatch::new().nickname(None);
    let m::Animal::Dog(rex) = client.update_animal(2, &patch).await.unwrap().into_body() else {
        panic!("animal 2 is a dog");
    };
    assert_eq!((rex.name.as_str(), rex.nickname), ("Rex", Some(None)));
    assert!(!rex.good_with.unwrap()["cats"]);

    let adoption = client.get_adoption(5).await.unwrap().into_body();
    assert_eq!(adoption.status, m::AdoptionStatus::Done);
    assert_eq!(adoption.adopter.email, Some(None));
    assert_eq!(adoption.at.to_rfc3339(), "2026-10-01T14:00:00+00:00");
    assert!(matches!(adoption.animal, m::Animal::Dog(_)));

    let stats = client.get_stats().await.unwrap().into_body();
    assert_eq!(stats.counts["cat"], 2);
    assert_eq!(stats.counts["dog"], 1);
    assert!(matches!(stats.oldest, Some(Some(m::Animal::Cat(_)))));
    assert_eq!(stats.notes, Some(None));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_the_application_refuses_is_its_typed_validation_error() {
    let shelter = shelter();
    let params = shelter_client::ListAnimalsParams::default().limit(0);
    match client(&shelter)
        .list_animals_with(&params)
        .await
        .unwrap_err()
    {
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

#[tokio::test(flavor = "multi_thread")]
async fn uploads_forms_downloads_text_and_merge_patch() {
    let shelter = shelter();
    let client = client(&shelter);

    let dir = std::env::temp_dir().join(format!("shelter-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("side.jpg"), vec![7u8; 300]).unwrap();
    let front = Upload::bytes(vec![1u8; 1000])
        .file_name("front.png")
        .content_type("image/png");
    let side = Upload::file(dir.join("side.jpg")).await.unwrap();
    let form = shelter_client::UploadPhotosMultipart::new(front, "Mia at the window")
        .extras(vec![
            side.content_type("image/jpeg"),
            Upload::bytes(&b"tiny"[..]).file_name("tiny.txt"),
        ])
        .tags(["calm".to_owned(), "indoor".to_owned()]);
    let received = client.upload_photos(1, form).await.unwrap().into_body();
    assert_eq!(received.caption, "Mia at the window");
    assert_eq!(received.files, ["front.png", "side.jpg", "tiny.txt"]);
    assert_eq!(
        received.content_types,
        ["image/png", "image/jpeg", "application/octet-stream"]
    );
    assert_eq!(received.sizes, [1000, 300, 4]);
    assert_eq!(received.tags, ["calm", "indoor"]);
    std::fs::remove_dir_all(&dir).unwrap();

    let application = m::BodyApply::new("Ann", [1, 3]);
    let answer = client.apply(&application).await.unwrap().into_body();
    assert_eq!((answer.name.as_str(), answer.animals), ("Ann", vec![1, 3]));
    assert_eq!(answer.email, None);

    let photo = client.get_photo(1).await.unwrap().into_body();
    assert_eq!(photo.content_type(), Some("image/png"));
    let bytes = photo.bytes().await.unwrap();
    let expected: Vec<u8> = (0..64).flat_map(|_| 0..=255u8).collect();
    assert_eq!(bytes.as_ref(), expected.as_slice());

    let story = client.get_story(2).await.unwrap().into_body();
    assert_eq!(story, "Animal 2 came to the shelter in spring.");

    let patch = m::NotesPatch::new().vet(None);
    let notes = client.patch_notes(1, &patch).await.unwrap().into_body();
    assert_eq!(notes["food"].as_deref(), Some("fish"));
    assert_eq!(notes["vet"], None);
}

#[tokio::test(flavor = "multi_thread")]
async fn cookies_basic_auth_and_api_keys_are_checked_by_the_server() {
    let shelter = shelter();
    let client = client(&shelter);
    let params = shelter_client::GetVisitsParams::default().visitor("ann");
    let visit = client.get_visits_with(&params).await.unwrap().into_body();
    assert_eq!((visit.visitor.as_deref(), visit.visits), (Some("ann"), 3));

    // Without credentials the client says so and sends nothing; the public routes still work.
    assert!(matches!(
        client.staff_me().await.unwrap_err(),
        Error::MissingCredentials { .. }
    ));
    assert_eq!(client.get_story(1).await.unwrap().status(), 200);

    let staff = Client::builder()
        .base_url(&shelter.url)
        .http_basic("keeper", "hunter2")
        .api_key_header("k-1")
        .build()
        .unwrap();
    assert_eq!(
        staff.staff_me().await.unwrap().into_body()["username"],
        "keeper"
    );
    assert_eq!(
        staff.staff_reports().await.unwrap().into_body(),
        ["intake", "adoptions"]
    );
    assert_eq!(staff.get_stats().await.unwrap().status(), 200);

    // The server checks what it is sent: wrong credentials are refused.
    let wrong = Client::builder()
        .base_url(&shelter.url)
        .http_basic("keeper", "guess")
        .api_key_header("k-0")
        .build()
        .unwrap();
    let refused = wrong.staff_me().await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(401));
    let refused = wrong.staff_reports().await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(403));
}

fn animal_name(animal: &m::Animal) -> &str {
    match animal {
        m::Animal::Cat(c) => &c.name,
        m::Animal::Dog(d) => &d.name,
        other => panic!("not a cat or a dog: {other:?}"),
    }
}

/// FastAPI's own server-sent events (written with `itemSchema`), an answer that is JSON or
/// events by the `stream` field of the question (written as OpenAI writes its streams), and
/// JSON Lines, each read as the application sends them.
#[tokio::test(flavor = "multi_thread")]
async fn streams_are_read_as_the_application_sends_them() {
    let shelter = shelter();
    let client = client(&shelter);

    let four = shelter_client::WatchArrivalsParams::default().count(4);
    let mut arrivals = client.watch_arrivals_with(&four).await.unwrap().into_body();
    let mut seen = Vec::new();
    while let Some(event) = arrivals.next().await {
        let event = event.unwrap();
        let (name, id) = (event.name.clone().unwrap_or_default(), event.id.clone());
        seen.push((
            name,
            id.unwrap_or_default(),
            animal_name(&event.data).to_owned(),
        ));
    }
    let expected = [
        ("arrival", "1", "Mia"),
        ("arrival", "2", "Rex"),
        ("adopted", "3", "Tom"),
        ("arrival", "4", "Mia"),
    ]
    .map(|(n, i, a)| (n.to_owned(), i.to_owned(), a.to_owned()));
    assert_eq!(
        seen, expected,
        "the keep-alive is skipped and [DONE] ends the stream"
    );

    // The application waits 300 ms between events: the first is here long before the last.
    let slow = shelter_client::WatchArrivalsParams::default()
        .count(5)
        .pause_ms(300);
    let start = std::time::Instant::now();
    let mut arrivals = client.watch_arrivals_with(&slow).await.unwrap().into_body();
    arrivals.next().await.unwrap().unwrap();
    let first = start.elapsed();
    while arrivals.next().await.is_some() {}
    let last = start.elapsed();
    assert!(last >= Duration::from_millis(1200), "{last:?}");
    assert!(
        first + Duration::from_millis(800) <= last,
        "{first:?} then {last:?}"
    );

    let question = m::Question::new("Why do cats sleep?");
    let whole = client.ask_assistant(question.clone()).await.unwrap();
    assert_eq!(whole.into_body().text, "Cats sleep a lot.");
    let mut pieces = client
        .ask_assistant_stream(question)
        .await
        .unwrap()
        .into_body();
    let mut words = Vec::new();
    while let Some(piece) = pieces.next().await {
        let piece = piece.unwrap().data;
        assert_eq!(piece.index, words.len() as i64);
        words.push(piece.delta);
    }
    assert_eq!(words, ["Cats", "sleep", "a", "lot."]);

    let mut exported = client.export_animals().await.unwrap().into_body();
    let mut names = Vec::new();
    while let Some(animal) = exported.next().await {
        names.push(animal_name(&animal.unwrap()).to_owned());
    }
    assert_eq!(names, ["Mia", "Rex", "Tom"]);
}

/// 100,000 events from the application, read one by one: what this process holds grows by far
/// less than what the application sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_long_event_stream_is_read_in_bounded_memory() {
    const EVENTS: i64 = 100_000;
    let shelter = shelter();
    let client = client(&shelter);
    let many = shelter_client::WatchArrivalsParams::default().count(EVENTS);
    let mut arrivals = client.watch_arrivals_with(&many).await.unwrap().into_body();
    let before = tests::resident();
    let (mut count, mut sent) = (0, 0);
    while let Some(event) = arrivals.next().await {
        let event = event.unwrap();
        // What the event took on the wire, about: its data, id and name.
        sent += serde_json::to_string(&event.data).unwrap().len() + 30;
        count += 1;
    }
    let grown = tests::resident().saturating_sub(before);
    assert_eq!(count, EVENTS);
    assert!(sent > 10_000_000, "the application sent some {sent} bytes");
    assert!(
        grown < 6_000_000,
        "the resident set grew by {grown} bytes over a stream of some {sent}"
    );
}

/// The application breaks the connection after two of five events; the client sends the
/// request again with `Last-Event-ID: 2`, and the application goes on from the third.
#[tokio::test(flavor = "multi_thread")]
async fn a_broken_event_stream_resumes_where_it_broke() {
    let shelter = shelter();
    let retrying = Client::builder().base_url(&shelter.url).build().unwrap();
    let dropping = shelter_client::WatchArrivalsParams::default()
        .count(5)
        .drop_after(2);
    let mut arrivals = retrying
        .watch_arrivals_with(&dropping)
        .await
        .unwrap()
        .into_body();
    let mut ids = Vec::new();
    while let Some(event) = arrivals.next().await {
        ids.push(event.unwrap().id.unwrap_or_default());
    }
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);

    // Without retries, the break is the last item.
    let mut arrivals = client(&shelter)
        .watch_arrivals_with(&dropping)
        .await
        .unwrap()
        .into_body();
    let (first, second) = (arrivals.next().await, arrivals.next().await);
    assert_eq!(first.unwrap().unwrap().id.as_deref(), Some("1"));
    assert_eq!(second.unwrap().unwrap().id.as_deref(), Some("2"));
    let broken = arrivals.next().await.unwrap();
    assert!(
        matches!(broken, Err(shelter_client::StreamError::Transport(_))),
        "{broken:?}"
    );
    assert!(arrivals.next().await.is_none());
}

/// Each way of paging the application offers, walked to its end through the generated client:
/// exactly the volunteers it holds, in order, and one request per page as the application
/// counts them.
#[tokio::test]
async fn every_paged_list_walks_to_its_end_one_request_per_page() {
    use futures_util::StreamExt;
    use shelter_client::*;

    let shelter = shelter();
    let client = client(&shelter);
    fn names<E: std::fmt::Debug>(items: Vec<Result<m::Volunteer, Error<E>>>) -> Vec<String> {
        items.into_iter().map(|v| v.unwrap().name).collect()
    }
    let walks = [
        names(
            client
                .list_volunteers_linked_items(&Default::default())
                .collect()
                .await,
        ),
        names(
            client
                .list_volunteers_after_items(&Default::default())
                .collect()
                .await,
        ),
        names(
            client
                .list_volunteers_tokens_items(&Default::default())
                .collect()
                .await,
        ),
        names(
            client
                .list_volunteers_next_items(&Default::default())
                .collect()
                .await,
        ),
        names(
            client
                .list_volunteers_offset_items(&Default::default())
                .collect()
                .await,
        ),
        names(
            client
                .list_volunteers_numbered_items(&Default::default())
                .collect()
                .await,
        ),
    ];
    let expected = ["Ada", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gus"];
    for walked in &walks {
        assert_eq!(walked, &expected);
    }
    let counted = client.volunteer_requests().await.unwrap().into_body();
    // Seven volunteers, three a page: three pages, three requests, in every way.
    for route in ["linked", "after", "tokens", "next", "offset", "numbered"] {
        assert_eq!(counted.get(route), Some(&3), "{route}: {counted:?}");
    }
    // A walk starts where the caller's parameters say: a saved page resumes it.
    let mut pages =
        client.list_volunteers_numbered_pages(&ListVolunteersNumberedParams::default().page(3));
    let last = pages.next().await.unwrap().unwrap();
    let names: Vec<&str> = last
        .body()
        .volunteers
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["Gus"]);
    assert!(pages.next().await.is_none());
}

/// A walk stopped inside its second page, in each way of paging the application offers, is
/// saved with `resume_point()` (a page number, an offset, a cursor, the last id, a next URL
/// or a `Link`, with the items of its page taken) and a new walk started at it hands over
/// exactly the volunteers not yet taken.
#[tokio::test]
async fn every_paged_list_resumes_from_a_saved_point() {
    use futures_util::StreamExt;
    use shelter_client::*;

    let shelter = shelter();
    let client = client(&shelter);
    /// The names a walk hands over; a helper over any walk, with no bounds of the runtime's.
    async fn names<E: std::fmt::Debug>(
        walk: impl futures_util::Stream<Item = Result<m::Volunteer, Error<E>>>,
    ) -> Vec<String> {
        walk.map(|v| v.unwrap().name).collect().await
    }
    macro_rules! stopped_and_resumed {
        ($walk:ident) => {{
            let mut walk = client.$walk(&Default::default());
            let mut taken = Vec::new();
            for _ in 0..4 {
                taken.push(walk.next().await.unwrap().unwrap().name);
            }
            let saved = walk.resume_point().expect("the list goes on");
            assert_eq!(saved.taken, 1, "{}: {saved:?}", stringify!($walk));
            drop(walk);
            let walk = client.$walk(&Default::default()).starting_at(saved);
            (stringify!($walk), taken, names(walk).await)
        }};
    }
    let walks = [
        stopped_and_resumed!(list_volunteers_linked_items),
        stopped_and_resumed!(list_volunteers_after_items),
        stopped_and_resumed!(list_volunteers_tokens_items),
        stopped_and_resumed!(list_volunteers_next_items),
        stopped_and_resumed!(list_volunteers_offset_items),
        stopped_and_resumed!(list_volunteers_numbered_items),
    ];
    for (walk, taken, rest) in walks {
        assert_eq!(taken, ["Ada", "Ben", "Cleo", "Dan"], "{walk}");
        assert_eq!(rest, ["Eve", "Finn", "Gus"], "{walk}");
    }
}

/// The application sends its two webhooks, signed with Standard Webhooks by its own code, to a
/// server on loopback whose extractor verifies and decodes them: both arrive typed (told
/// apart by `type`); under another secret neither reaches the handler.
#[tokio::test(flavor = "multi_thread")]
async fn the_application_sends_its_events_signed_and_they_arrive_verified() {
    use shelter_client::webhooks::{Answer, Event, Received, Verifier};
    type Seen = std::sync::Arc<std::sync::Mutex<Vec<String>>>;
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    #[derive(Clone)]
    struct App(Verifier, Seen);
    impl axum::extract::FromRef<App> for Verifier {
        fn from_ref(app: &App) -> Verifier {
            app.0.clone()
        }
    }
    async fn on_event(
        axum::extract::State(app): axum::extract::State<App>,
        Received(delivery): Received<Event>,
    ) -> Answer {
        let line = match delivery.event {
            Event::AdoptionCompleted(e) => {
                format!("adoption {} by {}", e.adoption.id, e.adoption.adopter.name)
            }
            Event::AnimalArrived(e) => format!("arrived {}", animal_name(&e.animal)),
            other => format!("{other:?}"),
        };
        let id = delivery.id.unwrap_or_default();
        app.1.lock().unwrap().push(format!("{id} {line}"));
        Answer::empty(204)
    }
    let shelter = shelter();
    let seen = Seen::default();
    let app = App(Verifier::standard_webhooks([SECRET]).unwrap(), seen.clone());
    let router = axum::Router::new()
        .route("/events", axum::routing::post(on_event))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = client(&shelter);

    let subscription = m::Subscription::new(url.clone(), SECRET);
    let answered = client.subscribe(subscription).await.unwrap().into_body();
    assert_eq!(answered, [204, 204]);
    assert_eq!(
        *seen.lock().unwrap(),
        ["msg_1 adoption 1 by Ann", "msg_2 arrived Mia"]
    );
    let other = m::Subscription::new(url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let answered = client.subscribe(other).await.unwrap().into_body();
    assert_eq!(answered, [401, 401]);
    assert_eq!(seen.lock().unwrap().len(), 2);
    server.abort();
}
