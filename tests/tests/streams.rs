//! Answers that stream, through the client generated from `tests/fixtures/streams.yaml`:
//! server-sent events (a stream offered beside JSON, and alone), JSON Lines and JSON text
//! sequences, against wiremock and against a server on loopback that writes its answer bit by
//! bit, so that an item is seen before the rest of the body is sent.

use std::time::Duration;

use serde_json::json;
use tests::fixtures::streams_client::{Client, Error, EventStream, StreamError, models};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .no_retries()
        .build()
        .unwrap()
}

fn sse(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
}

/// Every item of a stream, read to its end.
async fn all<T>(mut stream: EventStream<T>) -> Vec<Result<T, StreamError>> {
    let mut out = Vec::new();
    while let Some(event) = stream.next().await {
        out.push(event.map(|e| e.data));
    }
    out
}

#[tokio::test]
async fn the_streaming_method_asks_for_events_and_the_plain_one_for_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(header("accept", "text/event-stream"))
        .and(body_json(json!({"prompt": "hi", "stream": true})))
        .respond_with(sse(concat!(
            ": keep-alive\n\n",
            "id: 1\ndata: {\"id\":\"c\",\"delta\":\"Hel\"}\n\n",
            "id: 2\ndata: {\"id\":\"c\",\n",
            "data: \"delta\":\"lo\"}\n\n",
            "data: [DONE]\n\n",
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(body_json(json!({"prompt": "hi"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c", "text": "Hello"})))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let request = models::CompletionRequest::new("hi");

    let mut stream = client
        .create_completion_stream(request.clone())
        .await
        .unwrap()
        .into_body();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(
        (first.data.id.as_str(), first.data.delta.as_str()),
        ("c", "Hel")
    );
    assert_eq!(first.id.as_deref(), Some("1"));
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!(
        (second.data.delta.as_str(), second.id.as_deref()),
        ("lo", Some("2"))
    );
    assert!(stream.next().await.is_none(), "[DONE] ends the stream");

    let whole = client.create_completion(request).await.unwrap().into_body();
    assert_eq!((whole.id.as_str(), whole.text.as_str()), ("c", "Hello"));
}

/// A server that answers the streaming method with JSON did not stream: that is an error that
/// keeps the answer, not an empty stream.
#[tokio::test]
async fn json_where_events_were_asked_for_is_an_unexpected_answer() {
    let server = MockServer::start().await;
    Mock::given(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c", "text": "Hi"})))
        .mount(&server)
        .await;
    let request = models::CompletionRequest::new("hi");
    match client(&server.uri())
        .create_completion_stream(request)
        .await
    {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, br#"{"id":"c","text":"Hi"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_item_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    Mock::given(path("/quotes"))
        .and(header("accept", "text/event-stream"))
        .respond_with(sse(concat!(
            "event: quote\ndata: {\"symbol\":\"ACME\",\"price\":1.5}\n\n",
            "event: quote\nid: q2\ndata: {\"symbol\":\"ACME\"}\n\n",
            "retry: 3000\nevent: close\ndata: {\"symbol\":\"ACME\",\"price\":2}\n\n",
        )))
        .mount(&server)
        .await;
    let mut quotes = client(&server.uri())
        .stream_quotes()
        .await
        .unwrap()
        .into_body();
    let first = quotes.next().await.unwrap().unwrap();
    assert_eq!(first.name.as_deref(), Some("quote"));
    assert_eq!(first.data.price, 1.5);
    match quotes.next().await.unwrap() {
        Err(StreamError::Decode {
            index,
            event,
            id,
            data,
            ..
        }) => {
            assert_eq!(
                (index, event.as_deref(), id.as_deref()),
                (1, Some("quote"), Some("q2"))
            );
            assert_eq!(data, r#"{"symbol":"ACME"}"#);
        }
        other => panic!("{other:?}"),
    }
    let last = quotes.next().await.unwrap().unwrap();
    assert_eq!(last.name.as_deref(), Some("close"));
    assert_eq!(last.retry, Some(Duration::from_secs(3)));
    assert_eq!(quotes.last_event_id(), Some("q2"));
    assert!(quotes.next().await.is_none());
}

/// Text data, ended by the sentinel Speakeasy's extension names (`END`); progress ended by the
/// terminator Fern's names (`[FINISHED]`), where `[DONE]` is only data.
#[tokio::test]
async fn events_end_on_the_sentinel_the_spec_names() {
    let server = MockServer::start().await;
    Mock::given(path("/ticks"))
        .respond_with(sse(
            "data: tick 1\n\ndata: tick\ndata: 2\n\ndata: END\n\ndata: late\n\n",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/jobs/7/progress"))
        .and(header("accept", "text/event-stream"))
        .respond_with(sse(concat!(
            "data: {\"percent\":50}\n\n",
            "data: [DONE]\n\n",
            "data: {\"percent\":100}\n\n",
            "data: [FINISHED]\n\n",
            "data: {\"percent\":0}\n\n",
        )))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let ticks = client.stream_ticks().await.unwrap().into_body();
    let data: Vec<String> = all(ticks).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(data, ["tick 1", "tick\n2"]);
    let progress = client.watch_job_stream("7").await.unwrap().into_body();
    let got = all(progress).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].as_ref().unwrap().percent, 50);
    assert!(matches!(&got[1], Err(StreamError::Decode { data, .. }) if data == "[DONE]"));
    assert_eq!(got[2].as_ref().unwrap().percent, 100);
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_are_items() {
    let server = MockServer::start().await;
    Mock::given(path("/logs"))
        .and(header("accept", "application/x-ndjson"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            &b"{\"level\":\"info\",\"message\":\"up\"}\n\n{\"level\":\"warn\",\"message\":\"slow\"}\n"[..],
            "application/x-ndjson",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/records"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            &b"\x1e{\"id\":1}\n\x1e{\"id\":2}\n"[..],
            "application/json-seq",
        ))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut logs = client.follow_logs().await.unwrap().into_body();
    let mut levels = Vec::new();
    while let Some(line) = logs.next().await {
        levels.push(line.unwrap().level);
    }
    assert_eq!(
        levels,
        [models::LogLineLevel::Info, models::LogLineLevel::Warn]
    );
    let mut records = client.export_records().await.unwrap().into_body();
    let mut ids = Vec::new();
    while let Some(record) = records.next().await {
        ids.push(record.unwrap().id);
    }
    assert_eq!(ids, [1, 2]);
}

/// A server on loopback for one request: it writes the head of an answer of `content_type`,
/// then whatever `body` writes to it, and closes the connection.
async fn one_answer<F, Fut>(content_type: &'static str, body: F) -> String
where
    F: FnOnce(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            socket.read_exact(&mut byte).await.unwrap();
            head.push(byte[0]);
        }
        let answer =
            format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n");
        socket.write_all(answer.as_bytes()).await.unwrap();
        body(socket).await;
    });
    url
}

/// The first event is handed over while the server still holds the rest: the server sends the
/// second only once the client has the first, so a client that read the body whole would wait
/// for ever (and fail on the timeout).
#[tokio::test]
async fn an_event_is_handed_over_before_the_server_sends_the_next() {
    let (seen, mut wait) = tokio::sync::mpsc::channel::<()>(1);
    let url = one_answer("text/event-stream", move |mut socket| async move {
        let quote = "data: {\"symbol\":\"A\",\"price\":1}\n\n";
        socket.write_all(quote.as_bytes()).await.unwrap();
        socket.flush().await.unwrap();
        wait.recv().await;
        socket
            .write_all(b"data: {\"symbol\":\"B\",\"price\":2}\n\n")
            .await
            .unwrap();
    })
    .await;
    let mut quotes = client(&url).stream_quotes().await.unwrap().into_body();
    let ten = Duration::from_secs(10);
    let first = tokio::time::timeout(ten, quotes.next())
        .await
        .expect("the first event before the rest");
    assert_eq!(first.unwrap().unwrap().data.symbol, "A");
    seen.send(()).await.unwrap();
    let second = tokio::time::timeout(ten, quotes.next()).await.unwrap();
    assert_eq!(second.unwrap().unwrap().data.symbol, "B");
    let end = tokio::time::timeout(ten, quotes.next()).await.unwrap();
    assert!(end.is_none());
}

/// 200,000 events (some 14 MB) read one by one: what the process holds grows by far less
/// than the body, since only the event being read is buffered.
#[tokio::test]
async fn a_long_stream_is_read_in_bounded_memory() {
    const EVENTS: usize = 200_000;
    let url = one_answer("text/event-stream", |mut socket| async move {
        let mut batch = String::new();
        for i in 0..EVENTS {
            batch.push_str(&format!(
                "id: {i}\ndata: {{\"symbol\":\"S{i}\",\"price\":{i}}}\n\n"
            ));
            if batch.len() > 64 * 1024 {
                socket.write_all(batch.as_bytes()).await.unwrap();
                batch.clear();
            }
        }
        socket.write_all(batch.as_bytes()).await.unwrap();
    })
    .await;
    let mut quotes = client(&url).stream_quotes().await.unwrap().into_body();
    let before = tests::resident();
    let (mut count, mut sent) = (0usize, 0usize);
    while let Some(quote) = quotes.next().await {
        let quote = quote.unwrap();
        assert_eq!(quote.data.price, count as f64);
        sent += format!("{:?}", quote.id).len() + 40;
        count += 1;
    }
    let grown = tests::resident().saturating_sub(before);
    assert_eq!(count, EVENTS);
    assert!(sent > 10_000_000, "the body is large: {sent}");
    assert!(
        grown < 4_000_000,
        "the resident set grew by {grown} bytes over a body of some {sent}"
    );
}
