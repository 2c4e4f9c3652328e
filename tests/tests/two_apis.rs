//! Two APIs in one program: `generate --spec A --spec B --out DIR` writes one workspace in
//! which both clients share one copy of the runtime, a third spec generated into the same
//! folder later joins the workspace, and a program outside it that depends on both clients
//! builds (two copies of `client-runtime` would collide in its lockfile) and calls each on
//! loopback.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;
use tests::server::root;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn xtask(args: &[&str]) -> Output {
    Command::new("cargo")
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn members(dir: &Path) -> String {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .unwrap()
        .to_owned()
}

const PROGRAM: &str = r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    let chat = imichat_client::Client::builder()
        .base_url(&url)
        .access_token("acc")
        .no_retries()
        .build()
        .unwrap();
    let body = imichat_client::models::UpdateUserRequest::new();
    let user = chat.update_user(7, 3, &body).await.unwrap();
    println!("imichat {}", user.description);
    let erp = iw_erp_client::Client::builder()
        .base_url(&url)
        .session_token("sess")
        .no_retries()
        .build()
        .unwrap();
    let body = iw_erp_client::models::ChatroomParticipantUpdate::new(
        iw_erp_client::models::ChatroomParticipant::new(),
    );
    let participant = erp.update_chatroom_participant("1", &body).await.unwrap();
    println!("erp {:?}", participant.id);
}
"#;

/// A program of its own, outside the generated workspace, depending on both clients.
fn program(dir: &Path, generated: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"two-apis\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nimichat-client = {{ path = {:?} }}\niw-erp-client = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n",
        generated.join("imichat-client"),
        generated.join("iw-erp-client"),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), PROGRAM).unwrap();
}

#[tokio::test]
async fn two_apis_share_one_runtime_and_one_program_calls_both() {
    let scratch = tempfile::tempdir().unwrap();
    let generated = scratch.path().join("generated");
    let out = generated.to_str().unwrap();
    let run = xtask(&[
        "generate",
        "--spec",
        "specs/imichat.yaml",
        "--spec",
        "specs/iw-erp.yaml",
        "--out",
        out,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        members(&generated),
        r#"members = ["client-runtime", "imichat-client", "imichat-models", "iw-erp-client", "iw-erp-models"]"#
    );
    // A spec generated into the folder later joins the workspace; the others stay.
    let run = xtask(&["generate", "--spec", "specs/shelter.json", "--out", out]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(members(&generated).contains(r#""iw-erp-models", "shelter-client""#));
    // One name for the crates of two specs is refused.
    let run = xtask(&[
        "generate",
        "--spec",
        "specs/imichat.yaml",
        "--spec",
        "specs/iw-erp.yaml",
        "--name",
        "x",
        "--out",
        out,
    ]);
    assert!(!run.status.success());

    let app = scratch.path().join("app");
    program(&app, &generated);
    let built = Command::new("cargo")
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(app.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/generated-check"))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/users/7"))
        .and(header("access-token", "acc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status_code": 4309, "description": "User updated successfully",
            "response": {"id": 7}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/chat/chatroom_participant/1"))
        .and(header("x-session-token", "sess"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5})))
        .expect(1)
        .mount(&server)
        .await;
    let binary = root().join("target/generated-check/debug/two-apis");
    let uri = server.uri();
    let ran = tokio::task::spawn_blocking(move || Command::new(binary).arg(uri).output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["imichat User updated successfully", "erp Some(5)"]
    );
}
