//! The generated clients against a real HTTP server on loopback (wiremock): what each seed
//! operation sends, how each documented answer comes back, retries, timeouts, hostile values.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use ambassador_client::models as amb;

fn ambassador(server: &MockServer) -> ambassador_client::Client {
    ambassador_client::Client::builder()
        .base_url(server.uri())
        .bearer_token("tok-secret-1")
        .no_retries()
        .build()
        .unwrap()
}

fn summary() -> serde_json::Value {
    json!({"id_ambassador": 42, "email": "a@example.com", "online": true,
           "last_action_date": "2025-05-04T09:42:00Z", "status": 1})
}

#[tokio::test]
async fn chat_patch_sends_method_path_auth_and_null_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/chat/ambassadors/42"))
        .and(header("authorization", "Bearer tok-secret-1"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"email_tmp": null})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(summary())
                .insert_header("x-request-id", "r-1"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let body = amb::UpdateChatAmbassadorRequest::new().email_tmp(None);
    let answer = ambassador(&server)
        .update_chat_ambassador(42, &body)
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-request-id"], "r-1");
    assert_eq!(answer.id_ambassador, Some(42));
    // The body's own `status` field is not shadowed by the answer's HTTP status.
    assert_eq!(answer.status, Some(1));
    assert_eq!(
        answer.last_action_date.unwrap().to_rfc3339(),
        "2025-05-04T09:42:00+00:00"
    );
}

#[tokio::test]
async fn absent_fields_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/widget/me"))
        .and(body_json(json!({"firstname": "Ada", "username": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id_ambassador": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let body = amb::UpdateMeRequest::new().firstname("Ada").username(None);
    let answer = ambassador(&server)
        .update_me(&amb::Environment::Widget, &body)
        .await
        .unwrap();
    assert_eq!(answer.id_ambassador, Some(1));
}

#[tokio::test]
async fn create_posts_and_decodes_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/manager/ambassadors"))
        .and(body_json(json!({"firstname": "Ada", "lastname": "L", "email": "ada@example.com",
                              "roles": [{"status_role": "employee"}]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id_ambassador": 7, "sponsor": summary(), "point_of_sale": {"labels": [{"lang": "fr_FR"}]}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let body = amb::CreateAmbassadorRequest::new("Ada", "L", "ada@example.com")
        .roles([amb::Role::new().status_role("employee")]);
    let answer = ambassador(&server)
        .create_manager_ambassador(&body)
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let labels = answer.into_body().point_of_sale.unwrap().labels.unwrap();
    assert_eq!(labels[0].lang, Some(amb::I18nLang::FrFr));
}

#[tokio::test]
async fn every_documented_error_status_is_its_own_variant() {
    use ambassador_client::{Error, UpdateChatAmbassadorError as E};
    let server = MockServer::start().await;
    let client = ambassador(&server);
    let body = amb::UpdateChatAmbassadorRequest::default();
    let answers = [
        (401, json!({"message": "Unauthorized."})),
        (403, json!(null)),
        (404, json!(null)),
        (
            422,
            json!({"message": "bad", "errors": {"email_tmp": ["not an email"]}}),
        ),
    ];
    for (id, (status, json)) in answers.into_iter().enumerate() {
        let template = if json.is_null() {
            ResponseTemplate::new(status)
        } else {
            ResponseTemplate::new(status).set_body_json(json)
        };
        Mock::given(path(format!("/chat/ambassadors/{id}")))
            .respond_with(template)
            .mount(&server)
            .await;
    }
    let call = |id: i64| {
        let client = client.clone();
        let body = body.clone();
        async move { client.update_chat_ambassador(id, &body).await.unwrap_err() }
    };
    match call(0).await {
        Error::Status {
            status,
            error: E::Unauthorized(m),
            ..
        } => {
            assert_eq!(
                (status.as_u16(), m.message.as_deref()),
                (401, Some("Unauthorized."))
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        call(1).await,
        Error::Status {
            error: E::Forbidden,
            ..
        }
    ));
    assert!(matches!(
        call(2).await,
        Error::Status {
            error: E::NotFound,
            ..
        }
    ));
    match call(3).await {
        Error::Status {
            error: E::UnprocessableEntity(v),
            ..
        } => {
            assert_eq!(v.errors.unwrap()["email_tmp"], ["not an email"])
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn undocumented_status_and_bad_bodies_keep_what_the_server_said() {
    use ambassador_client::Error;
    let server = MockServer::start().await;
    let client = ambassador(&server);
    let body = amb::UpdateChatAmbassadorRequest::default();
    Mock::given(path("/chat/ambassadors/1"))
        .respond_with(
            ResponseTemplate::new(418)
                .set_body_string("teapot")
                .insert_header("x-why", "tea"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/chat/ambassadors/2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    Mock::given(path("/chat/ambassadors/3"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id_ambassador": "not a number"})),
        )
        .mount(&server)
        .await;
    match client.update_chat_ambassador(1, &body).await.unwrap_err() {
        Error::UnexpectedStatus {
            status,
            headers,
            body,
        } => {
            assert_eq!((status.as_u16(), body.as_slice()), (418, &b"teapot"[..]));
            assert_eq!(headers["x-why"], "tea");
        }
        other => panic!("{other:?}"),
    }
    let err = client.update_chat_ambassador(2, &body).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { body, .. } if body == b"<html>oops</html>"),
        "{err:?}"
    );
    let err = client.update_chat_ambassador(3, &body).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { body, .. } if String::from_utf8_lossy(body).contains("not a number")),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn chat_put_sends_headers_and_exposes_vendor_status_codes() {
    use imichat_client::models::{StatusCode, UpdateUserRequest, UserStatus};
    use imichat_client::{Error, UpdateUserError};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/users/7"))
        .and(header("access-token", "acc-secret"))
        .and(header("teamid", "3"))
        .and(body_json(json!({"status": "inactive"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status_code": 4309, "description": "User updated successfully",
            "response": {"id": 7, "status": "inactive", "role_type": "Supervisor"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/users/8"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status_code": 3101, "description": "Requested user was not found", "response": null
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/users/9"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status_code": 3999, "description": "Something new"
        })))
        .mount(&server)
        .await;
    let client = imichat_client::Client::builder()
        .base_url(server.uri())
        .access_token("acc-secret")
        .no_retries()
        .build()
        .unwrap();
    let body = UpdateUserRequest::new().status(UserStatus::Inactive);
    let ok = client.update_user(7, 3, &body).await.unwrap();
    assert_eq!(ok.status_code, StatusCode::UserUpdated);
    assert_eq!(
        ok.response.role_type.as_ref().unwrap().as_str(),
        "Supervisor"
    );
    match client.update_user(8, 3, &body).await.unwrap_err() {
        Error::Status {
            error: UpdateUserError::NotFound(e),
            ..
        } => {
            assert_eq!(e.status_code, StatusCode::UserNotFound);
            // Any JSON value holds `null` itself: present and `null` is `Some(Value::Null)`.
            assert_eq!(e.response, Some(serde_json::Value::Null));
        }
        other => panic!("{other:?}"),
    }
    match client.update_user(9, 3, &body).await.unwrap_err() {
        Error::Status {
            error: UpdateUserError::BadRequest(e),
            ..
        } => {
            assert_eq!(e.status_code, StatusCode::Unknown(3999))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn server_variables_make_the_base_url() {
    let chat = imichat_client::Client::builder()
        .subdomain("acme")
        .build()
        .unwrap();
    assert_eq!(chat.base_url(), "https://acme.imi.chat/v3.1");
    let erp = iw_erp_client::Client::builder()
        .host("erp.example.de")
        .build()
        .unwrap();
    assert_eq!(erp.base_url(), "https://erp.example.de");
    let amb = ambassador_client::Client::builder().build().unwrap();
    assert_eq!(amb.base_url(), ambassador_client::DEFAULT_BASE_URL);
    // The defaults fill the template: the constant is the URL a client without settings uses.
    let chat = imichat_client::Client::builder().build().unwrap();
    assert_eq!(chat.base_url(), imichat_client::DEFAULT_BASE_URL);
    assert_eq!(
        imichat_client::BASE_URL_TEMPLATE,
        "https://{subdomain}.imi.chat/v3.1"
    );
}

#[tokio::test]
async fn the_user_agent_names_the_crate_at_its_version() {
    let server = MockServer::start().await;
    let manifest = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated/shelter-client/Cargo.toml"
    );
    let manifest = std::fs::read_to_string(manifest).unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    let agent = format!("shelter-client/{version}");
    Mock::given(method("GET"))
        .and(header("user-agent", agent.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = shelter_client::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let animals = client.list_animals().await.unwrap();
    assert!(animals.is_empty());
}

fn erp(server: &MockServer) -> iw_erp_client::ClientBuilder {
    iw_erp_client::Client::builder()
        .base_url(server.uri())
        .session_token("sess-secret")
}

#[tokio::test]
async fn erp_put_sends_query_key_and_keeps_hostile_values_in_their_segment() {
    use iw_erp_client::UpdateChatroomParticipantParams as Params;
    use iw_erp_client::models::{ChatroomParticipant, ChatroomParticipantUpdate};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(
            "/api/chat/chatroom_participant/..%2Fadmin%3Fx%3D1%23y",
        ))
        .and(header("x-session-token", "sess-secret"))
        .and(query_param("iw-build-id", "b 1&2"))
        .and(query_param("iw-package-id", "p"))
        .and(body_json(json!({"data": {"id": 5, "room_admin": false}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5})))
        .expect(1)
        .mount(&server)
        .await;
    let client = erp(&server).build().unwrap();
    let body = ChatroomParticipantUpdate::new(ChatroomParticipant::new().id(5).room_admin(false));
    let params = Params::default().iw_build_id("b 1&2").iw_package_id("p");
    let answer = client
        .update_chatroom_participant_with("../admin?x=1#y", &body, &params)
        .await
        .unwrap();
    assert_eq!(answer.id, Some(5));
    // A dot segment would leave the operation's path whatever its encoding: refused.
    let err = client
        .update_chatroom_participant("..", &body)
        .await
        .unwrap_err();
    assert!(
        matches!(err, iw_erp_client::Error::InvalidParameter { .. }),
        "{err:?}"
    );
}

/// Answers requests with `verb` in turn: each of `first` once, then `last` from then on.
async fn answer_in_turn(
    server: &MockServer,
    verb: &str,
    first: Vec<ResponseTemplate>,
    last: ResponseTemplate,
) {
    for answer in first {
        Mock::given(method(verb))
            .respond_with(answer)
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
    Mock::given(method(verb))
        .respond_with(last)
        .mount(server)
        .await;
}

fn unavailable(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(503).insert_header("retry-after", retry_after)
}

#[tokio::test]
async fn idempotent_requests_retry_on_503_and_429_honouring_retry_after() {
    let server = MockServer::start().await;
    let too_many = ResponseTemplate::new(429).insert_header("retry-after", "1");
    let ok = ResponseTemplate::new(200).set_body_json(json!({"id": 1}));
    answer_in_turn(&server, "PUT", vec![unavailable("0"), too_many], ok).await;
    let client = erp(&server).build().unwrap();
    let body = iw_erp_client::models::ChatroomParticipantUpdate::new(
        iw_erp_client::models::ChatroomParticipant::new(),
    );
    let start = Instant::now();
    let answer = client
        .update_chatroom_participant("1", &body)
        .await
        .unwrap();
    assert_eq!(answer.id, Some(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured"
    );
}

#[tokio::test]
async fn non_idempotent_requests_are_not_retried_unless_opted_in() {
    let server = MockServer::start().await;
    let created = ResponseTemplate::new(201).set_body_json(json!({}));
    answer_in_turn(&server, "POST", vec![unavailable("0")], created).await;
    let body: amb::CreateAmbassadorRequest =
        serde_json::from_value(json!({"firstname": "a", "lastname": "b", "email": "c@d.e"}))
            .unwrap();
    let once = ambassador_client::Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .unwrap();
    let err = once.create_manager_ambassador(&body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    server.reset().await;
    let created = ResponseTemplate::new(201).set_body_json(json!({}));
    answer_in_turn(&server, "POST", vec![unavailable("0")], created).await;
    let opted_in = ambassador_client::Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry(ambassador_client::RetryPolicy {
            retry_non_idempotent: true,
            ..Default::default()
        })
        .build()
        .unwrap();
    assert_eq!(
        opted_in
            .create_manager_ambassador(&body)
            .await
            .unwrap()
            .status(),
        201
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn retries_off_means_one_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = erp(&server).no_retries().build().unwrap();
    let body = iw_erp_client::models::ChatroomParticipantUpdate::new(
        iw_erp_client::models::ChatroomParticipant::new(),
    );
    let err = client
        .update_chatroom_participant("1", &body)
        .await
        .unwrap_err();
    assert!(matches!(err, iw_erp_client::Error::UnexpectedStatus { .. }));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A server whose first `drop_first` connections are closed without an answer.
async fn flaky_server(
    drop_first: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            if n <= drop_first {
                drop(stream);
                continue;
            }
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = stream.read(&mut buf).await;
                let body = r#"{"id": 9}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    (url, count)
}

#[tokio::test]
async fn connection_errors_are_retried_for_idempotent_requests() {
    let (url, count) = flaky_server(2).await;
    let client = iw_erp_client::Client::builder()
        .base_url(url)
        .session_token("t")
        .retry(iw_erp_client::RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..Default::default()
        })
        .build()
        .unwrap();
    let body = iw_erp_client::models::ChatroomParticipantUpdate::new(
        iw_erp_client::models::ChatroomParticipant::new(),
    );
    let answer = client
        .update_chatroom_participant("1", &body)
        .await
        .unwrap();
    assert_eq!(answer.id, Some(9));
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn timeouts_fire_and_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = erp(&server)
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    let body = iw_erp_client::models::ChatroomParticipantUpdate::new(
        iw_erp_client::models::ChatroomParticipant::new(),
    );
    let err = client
        .update_chatroom_participant("1", &body)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = client_runtime::ClientBuilder::new(url)
        .auth(
            "key",
            client_runtime::Auth::Query {
                name: "api_key".into(),
                value: "q-secret".into(),
            },
        )
        .auth("bearer", client_runtime::Auth::Bearer("b-secret".into()))
        .no_retries()
        .build()
        .unwrap();
    let err = client
        .send::<()>(client.request(client_runtime::reqwest::Method::GET, "/x".into()))
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?} {client:?}");
    assert!(matches!(err, client_runtime::Error::Transport(_)));
    assert!(
        !shown.contains("q-secret") && !shown.contains("b-secret"),
        "{shown}"
    );
    let amb = ambassador_client::Client::builder()
        .bearer_token("tok-secret-1")
        .build()
        .unwrap();
    assert!(!format!("{amb:?}").contains("tok-secret-1"));
}

#[tokio::test]
async fn every_chat_error_status_is_its_variant_with_the_vendor_code() {
    use imichat_client::models::{StatusCode, UpdateUserRequest};
    use imichat_client::{Error, UpdateUserError as E};
    let server = MockServer::start().await;
    let cases = [
        (400, 3115),
        (401, 2004),
        (404, 2010),
        (405, 2099),
        (500, 3104),
    ];
    for (status, code) in cases {
        Mock::given(path(format!("/users/{status}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "status_code": code, "description": "d", "response": null
            })))
            .mount(&server)
            .await;
    }
    let client = imichat_client::Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .no_retries()
        .build()
        .unwrap();
    for (status, code) in cases {
        let err = client
            .update_user(i64::from(status), 1, &UpdateUserRequest::default())
            .await
            .unwrap_err();
        let Error::Status { error, .. } = err else {
            panic!("{status}: {err:?}")
        };
        let envelope = match (status, error) {
            (400, E::BadRequest(e))
            | (401, E::Unauthorized(e))
            | (404, E::NotFound(e))
            | (405, E::MethodNotAllowed(e))
            | (500, E::InternalServerError(e)) => e,
            (_, other) => panic!("{status} became {other:?}"),
        };
        assert_eq!(envelope.status_code, StatusCode::from(i64::from(code)));
        assert!(
            !matches!(envelope.status_code, StatusCode::Unknown(_)),
            "{code} is documented"
        );
    }
}

#[tokio::test]
async fn me_forbidden_and_not_found_have_no_body() {
    use ambassador_client::{Error, UpdateMeError};
    let server = MockServer::start().await;
    Mock::given(path("/manager/me"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    Mock::given(path("/widget/me"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = ambassador(&server);
    let body = amb::UpdateMeRequest::default();
    let err = client
        .update_me(&amb::Environment::Manager, &body)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                error: UpdateMeError::Forbidden,
                ..
            }
        ),
        "{err:?}"
    );
    let err = client
        .update_me(&amb::Environment::Widget, &body)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                error: UpdateMeError::NotFound,
                ..
            }
        ),
        "{err:?}"
    );
}
