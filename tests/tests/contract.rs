//! Contract tests against an independent mock server driven by the specs themselves: Prism
//! (`@stoplight/prism-cli`, pinned in `tools/package-lock.json`, installed by `cargo xtask test`).
//! For every operation the generated client sends the spec's request example; Prism validates
//! the request (it lists violations in an `sl-violations` header) and answers with the spec's
//! response example, which must decode. A missing Prism fails these tests: it is never a skip.

use std::time::Duration;

use tests::server::{LocalServer, root, tool};

use serde::de::DeserializeOwned;

/// A Prism mock server of `spec` on 127.0.0.1, stopped when dropped.
fn prism(spec: &str) -> LocalServer {
    let bin = tool(
        "PRISM",
        "tools/node_modules/.bin/prism",
        "run `cargo xtask test`, which installs Prism (npm ci --prefix tools)",
    );
    let args = ["mock", "-h", "127.0.0.1", "-p", "{port}"].map(String::from);
    let mut args = args.to_vec();
    args.push(root().join(spec).display().to_string());
    LocalServer::start(&bin, &args, "prism", Duration::from_secs(90))
}

/// The spec's example named `name` (see `codegen::ir::Example`), decoded as `T`.
fn example<T: DeserializeOwned>(spec: &str, name: &str) -> T {
    let api = codegen::Config::new()
        .load(&root().join(spec), spec)
        .unwrap();
    let e = api
        .examples
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no example {name}"));
    serde_json::from_value(e.value.clone()).unwrap()
}

fn assert_no_violations(headers: &client_runtime::reqwest::header::HeaderMap) {
    if let Some(v) = headers.get("sl-violations") {
        panic!("Prism found violations: {}", v.to_str().unwrap_or("?"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ambassador_requests_fit_the_spec_and_answers_decode() {
    use ambassador_client::models as m;
    const SPEC: &str = "specs/ambassador/openapi.yaml";
    let prism = prism(SPEC);
    let client = ambassador_client::Client::builder()
        .base_url(&prism.url)
        .bearer_token("t")
        .build()
        .unwrap();

    let body: m::UpdateChatAmbassadorRequest = example(SPEC, "update_chat_ambassador_request_page");
    let answer = client.update_chat_ambassador(42, &body).await.unwrap();
    assert_no_violations(answer.headers());
    assert_eq!(answer.id_ambassador, Some(42));

    let body: m::UpdateMeRequest = example(SPEC, "update_me_request_page");
    for env in [m::Environment::Manager, m::Environment::Widget] {
        let answer = client.update_me(&env, &body).await.unwrap();
        assert_no_violations(answer.headers());
    }

    let body: m::CreateAmbassadorRequest = example(SPEC, "create_manager_ambassador_request_page");
    let answer = client.create_manager_ambassador(&body).await.unwrap();
    assert_no_violations(answer.headers());
    assert_eq!(answer.status(), 201);
    assert_eq!(answer.sponsored.as_ref().map(Vec::len), Some(1));

    // The client refuses to send without the credential the operation needs...
    let anonymous = ambassador_client::Client::builder()
        .base_url(&prism.url)
        .build()
        .unwrap();
    let body = m::UpdateChatAmbassadorRequest::default();
    let err = anonymous
        .update_chat_ambassador(1, &body)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ambassador_client::Error::MissingCredentials { .. }),
        "{err:?}"
    );
    // ...and the check is live: a request whose credential is not a bearer token is refused,
    // with the violation named.
    let anonymous = ambassador_client::Client::builder()
        .base_url(&prism.url)
        .auth(
            "bearerAuth",
            ambassador_client::Auth::Header {
                name: "x-not-a-token".into(),
                value: "t".into(),
            },
        )
        .build()
        .unwrap();
    let body = m::UpdateChatAmbassadorRequest::default();
    match anonymous
        .update_chat_ambassador(1, &body)
        .await
        .unwrap_err()
    {
        ambassador_client::Error::Status {
            headers,
            error: ambassador_client::UpdateChatAmbassadorError::Unauthorized(_),
            ..
        } => {
            assert!(
                headers["sl-violations"]
                    .to_str()
                    .unwrap()
                    .contains("security")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn imichat_requests_fit_the_spec_and_answers_decode() {
    use imichat_client::models as m;
    const SPEC: &str = "specs/imichat.yaml";
    let prism = prism(SPEC);
    let client = imichat_client::Client::builder()
        .base_url(&prism.url)
        .access_token("t")
        .build()
        .unwrap();
    let body: m::UpdateUserRequest = example(SPEC, "update_user_request_constructed");
    let answer = client.update_user(1024, 3, &body).await.unwrap();
    assert_no_violations(answer.headers());
    assert_eq!(answer.status_code, m::StatusCode::UserUpdated);
    assert_eq!(answer.response.role_type, Some(m::RoleType::CustomerCare));
}

#[tokio::test(flavor = "multi_thread")]
async fn erp_requests_fit_the_spec_and_answers_decode() {
    use iw_erp_client::models as m;
    const SPEC: &str = "specs/iw-erp.yaml";
    let prism = prism(SPEC);
    let client = iw_erp_client::Client::builder()
        .base_url(&prism.url)
        .session_token("t")
        .build()
        .unwrap();
    let body: m::ChatroomParticipantUpdate =
        example(SPEC, "update_chatroom_participant_request_page");
    let params = iw_erp_client::UpdateChatroomParticipantParams::default()
        .iw_build_id("build-1")
        .iw_package_id("package-1");
    let answer = client
        .update_chatroom_participant_with("42", &body, &params)
        .await
        .unwrap();
    assert_no_violations(answer.headers());
    assert_eq!(answer.chatroom.as_ref().and_then(|c| c.id), Some(42));
}
