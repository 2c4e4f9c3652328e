//! Answers that stream, through the client generated from `tests/fixtures/streams.yaml`:
//! server-sent events (a stream offered beside JSON, and alone), JSON Lines and JSON text
//! sequences, against wiremock and against a server on loopback that writes its answer bit by
//! bit, so that an item is seen before the rest of the body is sent.

use std::time::Duration;

use serde_json::json;
use tests::fixtures::streams_client::{
    Client, Error, EventStream, StreamError, TranscribeMultipart, Upload, models,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, body_string_contains, header, headers, method, path};
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
        .and(headers(
            "accept",
            vec!["text/event-stream", "application/json"],
        ))
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
        .and(header("accept", "application/json"))
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

/// A multipart form asks for events with its `stream` part, whatever the caller set it to; each
/// method accepts what its answers are documented in.
#[tokio::test]
async fn a_multipart_form_asks_for_events_with_its_stream_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/audio/transcriptions"))
        .and(body_string_contains("name=\"stream\"\r\n\r\ntrue\r\n"))
        .respond_with(sse(
            "data: {\"text\":\"Hel\"}\n\ndata: {\"text\":\"lo\"}\n\ndata: [DONE]\n\n",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/audio/transcriptions"))
        .and(body_string_contains("name=\"stream\"\r\n\r\nfalse\r\n"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"text": "Hello"})))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let form = || {
        let recording = Upload::bytes(&b"RIFF"[..]).file_name("a.wav");
        TranscribeMultipart::new(recording).stream(false)
    };

    let stream = client.transcribe_stream(form()).await.unwrap().into_body();
    let pieces: Vec<String> = all(stream)
        .await
        .into_iter()
        .map(|t| t.unwrap().text)
        .collect();
    assert_eq!(pieces, ["Hel", "lo"]);
    let whole = client.transcribe(form()).await.unwrap().into_body();
    assert_eq!(whole.text, "Hello");

    let accepted: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["accept"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        accepted,
        [
            "text/event-stream, application/problem+json",
            "application/json, application/problem+json"
        ]
    );
}

/// A server that answers the streaming method with JSON did not stream: that is an error that
/// says so and keeps the answer, which decodes as the plain method's model; not an empty stream
/// and not "an undocumented status 200".
#[tokio::test]
async fn json_where_events_were_asked_for_is_an_error_that_says_so() {
    let server = MockServer::start().await;
    Mock::given(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c", "text": "Hi"})))
        .mount(&server)
        .await;
    let request = models::CompletionRequest::new("hi");
    let error = client(&server.uri())
        .create_completion_stream(request)
        .await
        .expect_err("JSON is not a stream");
    assert!(
        error
            .to_string()
            .starts_with("the server answered JSON where an event stream was asked (200 OK)"),
        "{error}"
    );
    match error {
        Error::NotStreamed { status, body, .. } => {
            assert_eq!(status.as_u16(), 200);
            let whole: models::Completion = serde_json::from_slice(&body).unwrap();
            assert_eq!(whole.text, "Hi");
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
        read_head(&mut socket).await;
        let answer =
            format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n");
        socket.write_all(answer.as_bytes()).await.unwrap();
        body(socket).await;
    });
    url
}

/// The head of the request on `socket`, read to its blank line.
async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        socket.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap().to_ascii_lowercase()
}

/// A server on loopback that answers one request per body in `bodies`, each announced as
/// `length` bytes of events (more than it holds breaks the connection midway); it gives back
/// the heads of the requests.
async fn answers(
    bodies: Vec<(&'static str, usize)>,
) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = tokio::spawn(async move {
        let mut heads = Vec::new();
        for (body, length) in bodies {
            let (mut socket, _) = listener.accept().await.unwrap();
            heads.push(read_head(&mut socket).await);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {length}\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(body.as_bytes()).await.unwrap();
        }
        heads
    });
    (url, heads)
}

fn quote(symbol: &str) -> String {
    format!("data: {{\"symbol\":\"{symbol}\",\"price\":1}}\n\n")
}

/// The connection breaks after two events (the body is shorter than its length): the client
/// sends the request again with `Last-Event-ID: 2` after the server's `retry`, and goes on
/// from the third event.
#[tokio::test]
async fn a_broken_stream_of_events_resumes_from_the_last_id() {
    let first: &'static str =
        format!("retry: 10\nid: 1\n{}id: 2\n{}", quote("A"), quote("B")).leak();
    let second: &'static str = format!("id: 3\n{}data: [DONE]\n\n", quote("C")).leak();
    let (url, heads) = answers(vec![(first, first.len() + 50), (second, second.len())]).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let quotes = client.stream_quotes().await.unwrap().into_body();
    let symbols: Vec<String> = all(quotes)
        .await
        .into_iter()
        .map(|q| q.unwrap().symbol)
        .collect();
    assert_eq!(symbols, ["A", "B", "C"]);
    let heads = heads.await.unwrap();
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(
        heads[1].contains("\r\nlast-event-id: 2\r\n"),
        "{}",
        heads[1]
    );
    assert!(heads[1].starts_with("get /quotes"), "{}", heads[1]);
}

/// A POST that streams is not sent again unless the retry policy says so, nor a GET when the
/// client retries nothing: the broken connection is the last item.
#[tokio::test]
async fn a_broken_stream_is_not_resumed_where_the_retry_policy_forbids() {
    let chunk = "id: 1\ndata: {\"id\":\"c\",\"delta\":\"Hel\"}\n\n";
    let events: &'static str = format!("id: 1\n{}", quote("A")).leak();
    for no_retries in [false, true] {
        let body = if no_retries { events } else { chunk };
        let (url, _) = answers(vec![(body, body.len() + 50)]).await;
        let mut builder = Client::builder().base_url(&url);
        if no_retries {
            builder = builder.no_retries();
        }
        let client = builder.build().unwrap();
        let got = if no_retries {
            all(client.stream_quotes().await.unwrap().into_body())
                .await
                .len()
        } else {
            let request = models::CompletionRequest::new("hi");
            let chunks = client.create_completion_stream(request).await.unwrap();
            let got = all(chunks.into_body()).await;
            assert_eq!(got[0].as_ref().unwrap().delta, "Hel");
            assert!(
                matches!(got.last(), Some(Err(StreamError::Transport(_)))),
                "{got:?}"
            );
            got.len()
        };
        assert_eq!(got, 2, "one event, then the broken connection");
    }
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

/// OpenAPI 3.2's `itemSchema`: the event's `data` is JSON of its `contentSchema`, a JSON line
/// is the item; a shared media type and a response's `summary` are read in place.
mod v32 {
    use super::*;
    use tests::fixtures::v32_client::Client;

    #[tokio::test]
    async fn item_schemas_type_the_items() {
        let server = MockServer::start().await;
        Mock::given(path("/prices"))
            .respond_with(sse(
                "event: tick\nid: 9\ndata: {\"symbol\":\"ACME\",\"price\":12.5}\n\n",
            ))
            .mount(&server)
            .await;
        Mock::given(path("/prices/export"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                &b"{\"symbol\":\"A\",\"price\":1}\n{\"symbol\":\"B\",\"price\":2}\n"[..],
                "application/jsonl",
            ))
            .mount(&server)
            .await;
        Mock::given(path("/prices/latest"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"symbol": "ACME", "price": 3})),
            )
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let mut prices = client.stream_prices().await.unwrap().into_body();
        let tick = prices.next().await.unwrap().unwrap();
        assert_eq!((tick.data.symbol.as_str(), tick.data.price), ("ACME", 12.5));
        assert_eq!(
            (tick.name.as_deref(), tick.id.as_deref()),
            (Some("tick"), Some("9"))
        );
        assert!(prices.next().await.is_none());
        let mut lines = client.export_prices().await.unwrap().into_body();
        let mut symbols = Vec::new();
        while let Some(price) = lines.next().await {
            symbols.push(price.unwrap().symbol);
        }
        assert_eq!(symbols, ["A", "B"]);
        assert_eq!(client.latest_price().await.unwrap().price, 3.0);
    }

    /// Events told apart by name: each decoded as its own schema says, an event nobody
    /// documented kept as it came, or read as the `defaultMapping`'s where there is one.
    #[tokio::test]
    async fn named_events_are_the_variants_of_a_union() {
        use tests::fixtures::v32_client::{WatchMarketEvent, WatchSummaryEvent};
        let server = MockServer::start().await;
        Mock::given(path("/market"))
            .respond_with(sse(concat!(
                "event: trade\nid: 1\ndata: {\"symbol\":\"ACME\",\"price\":12.5}\n\n",
                "event: warning\ndata: volatile\n\n",
                "event: halt\ndata: closed\n\n",
                "event: halt\ndata: ajar\n\n",
                "event: trade\ndata: {\"symbol\":\n\n",
                "event: split\ndata: 2:1\n\n",
                "data: no name\n\n",
            )))
            .mount(&server)
            .await;
        Mock::given(path("/market/summary"))
            .respond_with(sse(concat!(
                "event: trade\ndata: {\"symbol\":\"B\",\"price\":2}\n\n",
                "event: split\ndata: 2:1\n\n",
                "data: {\"symbol\":\"B\"}\n\n",
            )))
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let mut market = client.watch_market().await.unwrap().into_body();
        let trade = market.next().await.unwrap().unwrap();
        match &trade.data {
            WatchMarketEvent::Trade(price) => assert_eq!(price.symbol, "ACME"),
            other => panic!("a trade, not {other:?}"),
        }
        assert_eq!(trade.id.as_deref(), Some("1"));
        let warning = market.next().await.unwrap().unwrap();
        assert_eq!(
            warning.data,
            WatchMarketEvent::Notice("volatile".to_owned())
        );
        assert_eq!(warning.name.as_deref(), Some("warning"));
        use tests::fixtures::v32_client::models::WatchMarketResponse200HaltEvent as Halt;
        let halt = market.next().await.unwrap().unwrap().data;
        assert_eq!(halt, WatchMarketEvent::Halt(Halt::Closed));
        let ajar = market.next().await.unwrap().unwrap().data;
        assert_eq!(
            ajar,
            WatchMarketEvent::Halt(Halt::Unknown("ajar".to_owned()))
        );
        match market.next().await.unwrap() {
            Err(StreamError::Decode {
                index, event, data, ..
            }) => assert_eq!(
                (index, event.as_deref(), data.as_str()),
                (4, Some("trade"), "{\"symbol\":")
            ),
            other => panic!("a decode error, not {other:?}"),
        }
        let split = market.next().await.unwrap().unwrap().data;
        assert_eq!(
            split,
            WatchMarketEvent::Other {
                name: Some("split".to_owned()),
                data: "2:1".to_owned()
            }
        );
        let unnamed = market.next().await.unwrap().unwrap().data;
        assert_eq!(
            unnamed,
            WatchMarketEvent::Other {
                name: None,
                data: "no name".to_owned()
            }
        );
        assert!(market.next().await.is_none());

        let mut summary = client.watch_summary().await.unwrap().into_body();
        let trade = summary.next().await.unwrap().unwrap().data;
        assert!(matches!(trade, WatchSummaryEvent::Trade(p) if p.symbol == "B"));
        let split = summary.next().await.unwrap().unwrap();
        assert_eq!(split.data, WatchSummaryEvent::NoticeEvent("2:1".to_owned()));
        assert_eq!(split.name.as_deref(), Some("split"));
        let unnamed = summary.next().await.unwrap().unwrap().data;
        assert_eq!(
            unnamed,
            WatchSummaryEvent::NoticeEvent("{\"symbol\":\"B\"}".to_owned())
        );
        assert!(summary.next().await.is_none());
    }
}

/// OpenAPI 3.2's methods beside the fixed fields and its `querystring` parameter, sent as the
/// document says.
mod v32_requests {
    use super::*;
    use tests::fixtures::v32::PriceFilter;
    use tests::fixtures::v32_client::Client;
    use wiremock::matchers::query_param;

    fn client(url: &str) -> Client {
        Client::builder()
            .base_url(url)
            .no_retries()
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn query_and_additional_operations_send_their_own_methods() {
        let server = MockServer::start().await;
        let prices = json!([{"symbol": "ACME", "price": 12.5}]);
        Mock::given(method("QUERY"))
            .and(path("/prices/search"))
            .and(body_json(json!({"symbol": "ACME", "above": 10.0})))
            .respond_with(ResponseTemplate::new(200).set_body_json(prices.clone()))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("PURGE"))
            .and(path("/prices/search"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let filter = PriceFilter::new("ACME").above(10.0);
        let found = client.search_prices(&filter).await.unwrap().into_body();
        assert_eq!(serde_json::to_value(found).unwrap(), prices);
        assert_eq!(client.purge_prices().await.unwrap().status(), 204);
    }

    /// A form `querystring` parameter is the whole query: its properties are its fields.
    #[tokio::test]
    async fn a_querystring_parameter_is_the_whole_query() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/prices/search"))
            .and(query_param("symbol", "AC ME"))
            .and(query_param("above", "10.5"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .expect(1)
            .mount(&server)
            .await;
        let filter = PriceFilter::new("AC ME").above(10.5);
        let found = client(&server.uri()).find_prices(&filter).await.unwrap();
        assert!(found.into_body().is_empty());
        let requests = server.received_requests().await.unwrap();
        let query = requests[0].url.query().unwrap_or_default().to_owned();
        assert!(!query.contains("filter"), "{query}");
    }
}
