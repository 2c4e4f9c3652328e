//! What the generated clients send and how they read answers, for every kind of body, every
//! parameter style and every security rule, against wiremock on loopback. Bytes, headers and
//! queries are asserted exactly; multipart bodies are parsed back.

use serde_json::json;
use tests::fixtures::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers `status` to everything, and the one request it then received.
async fn server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// One part of a multipart body as the server reads it.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

async fn parts(request: &Request) -> Vec<Part> {
    let boundary = multer::parse_boundary(header(request, "content-type")).unwrap();
    let body = client_runtime::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        out.push(Part {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(|m| m.to_string()),
            data: field.bytes().await.unwrap().to_vec(),
        });
    }
    out
}

fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, data: &[u8]) -> Part {
    Part {
        name: name.to_owned(),
        file_name: file_name.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        data: data.to_vec(),
    }
}

mod bodies {
    use super::*;
    use bodies_client::{Client, Upload, models};

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.uri())
            .no_retries()
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn multipart_files_fields_lists_and_json_parts() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/photos"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"author": "ann"})))
            .mount(&server)
            .await;
        let dir = std::env::temp_dir().join(format!("multipart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("second.jpg"), b"jpeg bytes").unwrap();
        let photo = Upload::bytes(&b"\x89PNG"[..])
            .file_name("cat.png")
            .content_type("image/png");
        let form = bodies_client::UploadPhotosMultipart::new(photo, "A cat")
            .extra(vec![Upload::file(dir.join("second.jpg")).await.unwrap()])
            .tags(["cute".to_owned(), "cat".to_owned()])
            .meta(models::Meta::new().author("ann").year(2026))
            .note("**bold**")
            .rating(5);
        let answer = client(&server).upload_photos(form).await.unwrap();
        assert_eq!(answer.status(), 201);
        assert_eq!(answer.author.as_deref(), Some("ann"));
        let request = only_request(&server).await;
        assert!(header(&request, "content-type").starts_with("multipart/form-data; boundary="));
        assert_eq!(
            parts(&request).await,
            [
                part("photo", Some("cat.png"), Some("image/png"), b"\x89PNG"),
                part(
                    "extra",
                    Some("second.jpg"),
                    Some("application/octet-stream"),
                    b"jpeg bytes"
                ),
                part("caption", None, None, b"A cat"),
                part("tags", None, None, b"cute"),
                part("tags", None, None, b"cat"),
                part(
                    "meta",
                    None,
                    Some("application/json"),
                    br#"{"author":"ann","year":2026}"#
                ),
                part("note", None, Some("text/markdown"), b"**bold**"),
                part("rating", None, None, b"5"),
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A union of parts is sent as the member the caller picks; a binary schema is one file.
    #[tokio::test]
    async fn a_union_of_parts_is_the_member_picked_and_a_binary_schema_one_file() {
        let server = server(204).await;
        let text = bodies_client::PostMessageMultipartTextMessage::new("hello").tts(true);
        client(&server).post_message(text).await.unwrap();
        let file = Upload::bytes(&b"PDF"[..]).file_name("a.pdf");
        let attachment = bodies_client::PostMessageMultipartAttachment::new(file).caption("see");
        client(&server).post_message(attachment).await.unwrap();
        let file = Upload::bytes(&b"raw"[..]).file_name("r.bin");
        let upload = bodies_client::UploadAttachmentMultipart::new(file);
        client(&server).upload_attachment(upload).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(
            parts(&requests[0]).await,
            [
                part("content", None, None, b"hello"),
                part("tts", None, None, b"true")
            ]
        );
        assert_eq!(
            parts(&requests[1]).await,
            [
                part(
                    "file",
                    Some("a.pdf"),
                    Some("application/octet-stream"),
                    b"PDF"
                ),
                part("caption", None, None, b"see")
            ]
        );
        assert_eq!(
            parts(&requests[2]).await,
            [part(
                "file",
                Some("r.bin"),
                Some("application/octet-stream"),
                b"raw"
            )]
        );
    }

    #[tokio::test]
    async fn optional_parts_are_left_out() {
        let server = server(201).await;
        let form = bodies_client::UploadPhotosMultipart::new(Upload::bytes(&b"x"[..]), "c");
        let _ = client(&server).upload_photos(form).await;
        let names: Vec<String> = parts(&only_request(&server).await)
            .await
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["photo", "caption"]);
    }

    #[tokio::test]
    async fn forms_follow_their_encoding_and_text_answers_are_strings() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(ResponseTemplate::new(200).set_body_string("tok-123"))
            .mount(&server)
            .await;
        let body = models::CreateTokenForm::new("client_credentials")
            .scope(["read".to_owned(), "write all".to_owned()])
            .filter(models::Meta::new().author("a&b").year(1));
        let answer = client(&server).create_token(&body).await.unwrap();
        assert_eq!(*answer.body(), "tok-123");
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "content-type"),
            "application/x-www-form-urlencoded"
        );
        assert_eq!(
            String::from_utf8(request.body).unwrap(),
            "grant_type=client_credentials&scope=read%20write%20all&filter%5Bauthor%5D=a%26b&filter%5Byear%5D=1"
        );
    }

    /// A form documented for GET is the operation's query, in the styles of its `encoding`;
    /// the method takes no body.
    #[tokio::test]
    async fn a_form_documented_for_get_is_the_query() {
        let server = server(200).await;
        let params = bodies_client::GetCustomersParams::default()
            .expand(["data.customer".to_owned(), "total".to_owned()])
            .limit(3)
            .created(models::GetCustomersCreated::new().gt(5));
        client(&server).get_customers_with(&params).await.unwrap();
        client(&server).get_customers().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(
            requests[0].url.query(),
            Some("expand%5B%5D=data.customer&expand%5B%5D=total&limit=3&created%5Bgt%5D=5")
        );
        assert!(
            requests
                .iter()
                .all(|r| r.body.is_empty() && r.method.as_str() == "GET")
        );
        assert_eq!(requests[1].url.query(), None);
    }

    /// A property whose value the schema fixes is filled in by `new`, not asked for.
    #[tokio::test]
    async fn values_the_schema_fixes_are_filled_in() {
        let server = server(204).await;
        let note = models::PostStructuredNoteRequest::new("hi");
        client(&server).post_structured_note(&note).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
            json!({"kind": "note", "text": "hi"})
        );
    }

    #[tokio::test]
    async fn binary_bodies_from_memory_and_from_a_stream() {
        let server = server(204).await;
        client(&server)
            .put_file("a b.bin", Upload::bytes(vec![0u8, 1, 2]))
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/files/a%20b.bin");
        assert_eq!(header(&request, "content-type"), "application/octet-stream");
        assert_eq!(request.body, [0, 1, 2]);

        let server = server_with_retries().await;
        let chunks = vec![
            Ok::<_, std::io::Error>(client_runtime::Bytes::from("str")),
            Ok(client_runtime::Bytes::from("eam")),
        ];
        let streamed = Upload::stream(futures_util::stream::iter(chunks));
        let flaky = Client::builder().base_url(server.uri()).build().unwrap();
        let err = flaky.put_file("s", streamed).await.unwrap_err();
        // A stream is sent once: the 503 is not retried.
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].body, b"stream");
    }

    async fn server_with_retries() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn text_and_merge_patch_bodies_carry_their_media_type() {
        let server = server(204).await;
        client(&server)
            .post_note(Some("hello".into()))
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(header(&request, "content-type"), "text/plain");
        assert_eq!(request.body, b"hello");

        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"year": 2})))
            .mount(&server)
            .await;
        // `None` sends `null`, which clears the author; `year` is left out.
        let patch = models::MetaPatch::new().author(None);
        let answer = client(&server).patch_meta(7, &patch).await.unwrap();
        assert_eq!(answer.year, Some(2));
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "content-type"),
            "application/merge-patch+json"
        );
        assert_eq!(request.body, br#"{"author":null}"#);
    }

    #[tokio::test]
    async fn several_media_types_default_to_json_and_the_caller_may_pick() {
        let meta = models::Meta::new().author("ann");
        let sent = |server: &MockServer| {
            let server = server.uri();
            async move { Client::builder().base_url(server).build().unwrap() }
        };
        let server = server(204).await;
        sent(&server).await.post_image(meta.clone()).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(header(&request, "content-type"), "application/json");
        assert_eq!(request.body, br#"{"author":"ann"}"#);

        let server = server_any(204).await;
        let png = bodies_client::PostImageBody::Png(Upload::bytes(&b"png"[..]));
        sent(&server).await.post_image(png).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(header(&request, "content-type"), "image/png");

        let server = server_any(204).await;
        let form = bodies_client::PostImageBody::Form(meta);
        sent(&server).await.post_image(form).await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "content-type"),
            "application/x-www-form-urlencoded"
        );
        assert_eq!(request.body, b"author=ann");
    }

    async fn server_any(status: u16) -> MockServer {
        server(status).await
    }

    #[tokio::test]
    async fn downloads_stream_and_errors_keep_their_text() {
        let server = MockServer::start().await;
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        Mock::given(path("/files/big"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(big.clone(), "application/octet-stream"),
            )
            .mount(&server)
            .await;
        Mock::given(path("/files/gone"))
            .respond_with(ResponseTemplate::new(404).set_body_string("no such file"))
            .mount(&server)
            .await;
        let client = client(&server);
        let mut download = client.get_file("big").await.unwrap().into_body();
        assert_eq!(download.content_type(), Some("application/octet-stream"));
        let mut received = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = download.chunk().await.unwrap() {
            received.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert_eq!(received, big);
        assert!(chunks >= 1);
        let file = std::env::temp_dir().join(format!("download-{}", std::process::id()));
        let written = client
            .get_file("big")
            .await
            .unwrap()
            .into_body()
            .save(&file)
            .await
            .unwrap();
        assert_eq!(
            (written, std::fs::read(&file).unwrap()),
            (big.len() as u64, big)
        );
        std::fs::remove_file(&file).unwrap();
        match client.get_file("gone").await.unwrap_err() {
            bodies_client::Error::Status {
                error: bodies_client::GetFileError::NotFound(text),
                ..
            } => assert_eq!(text, "no such file"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn problem_json_errors_decode() {
        let server = MockServer::start().await;
        Mock::given(path("/problem"))
            .respond_with(ResponseTemplate::new(400).set_body_raw(
                r#"{"title":"bad","status":400}"#,
                "application/problem+json",
            ))
            .mount(&server)
            .await;
        match client(&server).get_problem().await.unwrap_err() {
            bodies_client::Error::Status {
                error: bodies_client::GetProblemError::BadRequest(problem),
                ..
            } => assert_eq!(problem.title.as_deref(), Some("bad")),
            other => panic!("{other:?}"),
        }
    }
}

mod parameters {
    use super::*;
    use parameters_client::{Client, StylesParams, models::Point};

    #[tokio::test]
    async fn every_style_is_sent_as_the_specification_writes_it() {
        let server = server(204).await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let params = StylesParams::default()
            .csv(["a".to_owned(), "b".to_owned()])
            .spaced(["a".to_owned(), "b".to_owned()])
            .piped(["a".to_owned(), "b".to_owned()])
            .filter(Point::new().x(1).y(2))
            .raw("a/b?c")
            .r#where(Point::new().x(3))
            .x_point(Point::new().x(4).y(5))
            .prefs(["dark".to_owned(), "compact".to_owned()]);
        let point = Point::new().x(7).y(8);
        client
            .styles_with(
                &[1, 2],
                &point,
                &["p q".into(), "r".into()],
                &["blue".into(), "black".into()],
                "s 1",
                &params,
            )
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(
            request.url.path(),
            "/label/.1.2/matrix;coords=x,7,y,8/p%20q,r"
        );
        assert_eq!(
            request.url.query().unwrap(),
            "color=blue&color=black&csv=a,b&spaced=a%20b&piped=a%7Cb&filter%5Bx%5D=1&filter%5By%5D=2&raw=a/b?c&where=%7B%22x%22%3A3%7D"
        );
        assert_eq!(header(&request, "x-point"), "x=4,y=5");
        assert_eq!(
            header(&request, "cookie"),
            "session=s%201; prefs=dark,compact"
        );
    }
}

mod security {
    use super::*;
    use security_client::{Client, Error, Secret};

    fn builder(server: &MockServer) -> security_client::ClientBuilder {
        Client::builder().base_url(server.uri()).no_retries()
    }

    #[tokio::test]
    async fn each_operation_sends_what_its_requirements_name() {
        let server = server(204).await;
        let client = builder(&server)
            .bearer_token("tok")
            .api_key("key-1")
            .session("s+/=1")
            .basic("ann", "pw")
            .query_key("qk")
            .build()
            .unwrap();
        let sent = |request: &Request| {
            let mut seen: Vec<String> = Vec::new();
            for name in ["authorization", "x-api-key", "cookie"] {
                if let Some(v) = request.headers.get(name) {
                    seen.push(format!("{name}: {}", v.to_str().unwrap()));
                }
            }
            if let Some(q) = request.url.query() {
                seen.push(format!("?{q}"));
            }
            seen
        };
        client.inherited().await.unwrap();
        client.public().await.unwrap();
        client.either().await.unwrap();
        client.both().await.unwrap();
        client.basic().await.unwrap();
        client.optional_auth().await.unwrap();
        client.query_key().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let seen: Vec<Vec<String>> = requests.iter().map(sent).collect();
        assert_eq!(
            seen,
            vec![
                vec!["authorization: Bearer tok".to_owned()],
                vec![],
                vec!["authorization: Bearer tok".to_owned()],
                vec![
                    "x-api-key: key-1".to_owned(),
                    "cookie: sid=s+/=1".to_owned()
                ],
                vec!["authorization: Basic YW5uOnB3".to_owned()],
                // No OAuth token configured: the empty alternative sends nothing.
                vec![],
                vec!["?key=qk".to_owned()],
            ]
        );
    }

    #[tokio::test]
    async fn the_first_configured_alternative_is_used_and_missing_ones_are_an_error() {
        let server = server(204).await;
        let client = builder(&server).api_key("key-1").build().unwrap();
        client.either().await.unwrap();
        let request = only_request(&server).await;
        assert_eq!(header(&request, "x-api-key"), "key-1");
        assert!(request.headers.get("authorization").is_none());
        // `both` needs the key and the session cookie: nothing is sent without the cookie.
        match client.both().await.unwrap_err() {
            Error::MissingCredentials { needed } => {
                assert_eq!(needed, "`apiKey` and `session`")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn token_sources_are_asked_before_each_request() {
        let server = server(204).await;
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        let client = builder(&server)
            .oauth_token_source(move || {
                let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                async move { Ok(Secret::new(format!("fresh-{n}"))) }
            })
            .build()
            .unwrap();
        client.optional_auth().await.unwrap();
        client.optional_auth().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let tokens: Vec<&str> = requests
            .iter()
            .map(|r| header(r, "authorization"))
            .collect();
        assert_eq!(tokens, ["Bearer fresh-0", "Bearer fresh-1"]);
        assert!(!format!("{client:?}").contains("fresh"));
    }
}

mod answers {
    use super::*;
    use bodies_client::{Client, DecodeError, Error, JsonOrBinary, JsonOrText, models};

    #[tokio::test]
    async fn a_success_documented_as_json_and_text_follows_the_content_type() {
        let server = MockServer::start().await;
        Mock::given(path("/problem"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"author": "ann"})))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/problem"))
            .respond_with(ResponseTemplate::new(200).set_body_string("plain words"))
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let json = client.get_problem().await.unwrap().into_body();
        assert_eq!(json, JsonOrText::Json(models::Meta::new().author("ann")));
        let text = client.get_problem().await.unwrap().into_body();
        assert_eq!(text, JsonOrText::Text("plain words".to_owned()));
    }

    /// Audio documented as bytes and as an event stream comes back byte for byte.
    #[tokio::test]
    async fn binary_answers_stay_bytes() {
        let server = MockServer::start().await;
        let audio: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 256) as u8).collect();
        Mock::given(path("/speech"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg"))
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let download = client.create_speech().await.unwrap().into_body();
        assert_eq!(download.bytes().await.unwrap().as_ref(), audio.as_slice());
    }

    /// An answer documented as JSON and as a diff follows the `Content-Type` the server sent.
    #[tokio::test]
    async fn json_or_bytes_follow_the_content_type() {
        let server = MockServer::start().await;
        Mock::given(path("/commits/a"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"author": "ann"})))
            .mount(&server)
            .await;
        let diff = b"--- a\n+++ b\n\xff\xfe".to_vec();
        Mock::given(path("/commits/b"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(diff.clone(), "application/vnd.example.diff"),
            )
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        match client.get_commit("a").await.unwrap().into_body() {
            JsonOrBinary::Json(meta) => assert_eq!(meta, models::Meta::new().author("ann")),
            other => panic!("{other:?}"),
        }
        match client.get_commit("b").await.unwrap().into_body() {
            JsonOrBinary::Binary(download) => {
                assert_eq!(download.bytes().await.unwrap().as_ref(), diff.as_slice())
            }
            other => panic!("{other:?}"),
        }
    }

    /// Text is decoded in the charset the server names; a body that is not valid in it is a
    /// decode error that keeps the bytes, never a string of replacement characters.
    #[tokio::test]
    async fn text_follows_its_charset_and_bad_text_keeps_its_bytes() {
        let server = MockServer::start().await;
        Mock::given(path("/notes/latest"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(b"caf\xe9".to_vec(), "text/plain; charset=ISO-8859-1"),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/notes/latest"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(b"caf\xe9".to_vec(), "text/plain"),
            )
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        assert_eq!(client.get_latest_note().await.unwrap().into_body(), "café");
        match client.get_latest_note().await.unwrap_err() {
            Error::Decode { body, source, .. } => {
                assert_eq!(body, b"caf\xe9");
                assert!(matches!(source, DecodeError::Charset { .. }), "{source}");
            }
            other => panic!("{other:?}"),
        }
    }
}

/// A response given by a request-body component and a request body given by a response
/// component (tests/fixtures/refs_other_kind.yaml) are sent and read as their places expect.
#[tokio::test]
async fn references_to_another_kind_of_component_send_and_read_as_their_places_expect() {
    use refs_other_kind as models;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "name": "a" })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": 7 })))
        .mount(&server)
        .await;
    let client = refs_other_kind_client::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let added = client.add_thing(models::Thing::new("a")).await.unwrap();
    assert_eq!(added.into_body().name, "a");
    let stored = client.put_thing(models::Stored::new(7)).await.unwrap();
    assert_eq!(stored.into_body().id, 7);
    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<serde_json::Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies, [json!({ "name": "a" }), json!({ "id": 7 })]);
}
