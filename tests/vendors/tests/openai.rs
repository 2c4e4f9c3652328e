//! OpenAI's client, generated tolerant from OpenAI's description (its servers leave out fields
//! the description requires), against a server on loopback answering with what OpenAI
//! publishes: audio comes back byte for byte, a tool call and the kinds of a Responses answer
//! decode into their variants, and a kind of item the client does not know survives.

use openai_tolerant_client::models::{
    ChatCompletionMessageToolCallsItem, ChatCompletionRequestMessage,
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateResponse,
    CreateSpeechRequest, CreateSpeechRequestModel, CreateTranscriptionRequestModel,
    CreateTranscriptionResponseStreamEvent, ModelIdsShared, OutputItem, ResponseStreamEvent,
    VoiceIdsOrCustomVoice, VoiceIdsShared,
};
use openai_tolerant_client::prelude::*;
use openai_tolerant_client::{Client, CreateTranscriptionMultipart, Error, Upload};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, headers, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The description, with the bodies OpenAI publishes in `x-oaiMeta`.
fn description() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/openai/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The JSON bodies OpenAI publishes for `operation`.
fn published(doc: &Value, operation: &str) -> Vec<Value> {
    let ops = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values());
    let op = ops
        .filter(|op| op["operationId"] == operation)
        .next()
        .unwrap_or_else(|| panic!("no operation {operation}"));
    op["x-oaiMeta"]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| serde_json::from_str(e["response"].as_str()?).ok())
        .collect()
}

/// The body OpenAI publishes for `operation`'s streaming example, as written.
fn published_stream(doc: &Value, operation: &str) -> String {
    let ops = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values());
    let op = ops
        .filter(|op| op["operationId"] == operation)
        .next()
        .unwrap_or_else(|| panic!("no operation {operation}"));
    let examples = op["x-oaiMeta"]["examples"].as_array().unwrap();
    let streaming = examples.iter().find(|e| e["title"] == "Streaming");
    streaming.unwrap()["response"].as_str().unwrap().to_owned()
}

/// A published stream of events as a server sends it: the page shows the last event without
/// the blank line that ends it, and an event the stream ends before is not dispatched (WHATWG
/// HTML, "the incomplete event is not dispatched").
fn as_sent(published: String) -> String {
    let trimmed = published.trim_end_matches('\n');
    format!("{trimmed}\n\n")
}

/// The JSON data of each event of a stream of server-sent events, in order.
fn event_data(sse: &str) -> Vec<Value> {
    sse.lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .filter_map(|data| serde_json::from_str(data).ok())
        .collect()
}

/// `value` as the data it stands for: a number whatever its spelling (`1` where the schema
/// says `number` encodes back as `1.0`), and a member that is `null` where the description
/// does not allow `null` (a tolerant client reads it as absent) left out.
fn as_data(value: &Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(as_data).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), as_data(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn sse(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "text/event-stream")
}

/// The JSON body of the first request the server received.
async fn first_body(server: &MockServer) -> Value {
    serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap()
}

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key_token("sk-test")
        .build()
        .unwrap()
}

fn user(text: &str) -> ChatCompletionRequestMessage {
    ChatCompletionRequestUserMessage::new(text.to_owned()).into()
}

#[tokio::test]
async fn speech_comes_back_byte_for_byte() {
    let server = MockServer::start().await;
    let audio: Vec<u8> = (0..1000u32).map(|i| (i * 31 % 251) as u8).collect();
    Mock::given(method("POST"))
        .and(path("/audio/speech"))
        .and(header("authorization", "Bearer sk-test"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg"))
        .mount(&server)
        .await;
    let voice = VoiceIdsOrCustomVoice::from(VoiceIdsShared::String("alloy".to_owned()));
    let request = CreateSpeechRequest::new(
        CreateSpeechRequestModel::String("gpt-4o-mini-tts".to_owned()),
        "Hello",
        voice,
    );
    let answer = client(&server).await.create_speech(&request).await.unwrap();
    assert_eq!(answer.headers()["content-type"], "audio/mpeg");
    let bytes = answer.into_body().bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), audio.as_slice());
    let sent = first_body(&server).await;
    assert_eq!(
        sent,
        json!({"model": "gpt-4o-mini-tts", "input": "Hello", "voice": "alloy"})
    );
}

#[tokio::test]
async fn a_chat_completion_with_a_tool_call_decodes_into_the_function_variant() {
    let doc = description();
    let body = published(&doc, "createChatCompletion")
        .into_iter()
        .find(|b| b.pointer("/choices/0/message/tool_calls").is_some())
        .expect("OpenAI publishes a completion with a tool call");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let request = CreateChatCompletionRequest::new(
        vec![user("What's the weather like in Boston today?")],
        ModelIdsShared::String("gpt-4o".to_owned()),
    );
    let answer = client(&server)
        .await
        .create_chat_completion(&request)
        .await
        .unwrap();
    // Generated tolerant, what the description requires is an `Option`.
    let choices = answer.choices.as_ref().unwrap();
    let message = choices[0].message.as_ref().unwrap();
    let calls = message.tool_calls.as_ref().expect("tool calls");
    let name = body.pointer("/choices/0/message/tool_calls/0/function/name");
    match &calls[0] {
        ChatCompletionMessageToolCallsItem::ChatCompletionMessageToolCall(call) => {
            let function = call.function.as_ref().unwrap();
            assert_eq!(function.name.as_deref(), name.and_then(Value::as_str));
        }
        other => panic!("not the function variant: {other:?}"),
    }
    // The body the client decoded encodes back to what the server sent.
    assert_eq!(serde_json::to_value(answer.body()).unwrap(), body);
}

#[tokio::test]
async fn a_responses_answer_decodes_each_kind_of_output_and_keeps_an_unknown_one() {
    let doc = description();
    let bodies = published(&doc, "createResponse");
    // One answer holding every kind of output item OpenAI publishes, and a kind it may add.
    let mut body = bodies[0].clone();
    let mut kinds_seen = std::collections::BTreeSet::new();
    let mut output: Vec<Value> = bodies
        .iter()
        .flat_map(|b| b["output"].as_array().cloned().unwrap_or_default())
        .filter(|item| kinds_seen.insert(item["type"].to_string()))
        .collect();
    let kinds: Vec<String> = output
        .iter()
        .map(|o| o["type"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");
    let future = json!({"type": "hologram_call", "id": "hg_1", "frames": [{"t": 0}]});
    output.push(future.clone());
    body["output"] = Value::Array(output);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/responses"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let answer = client(&server)
        .await
        .create_response(&CreateResponse::new())
        .await;
    let answer = match answer {
        Ok(answer) => answer.into_body(),
        Err(Error::Decode { source, .. }) => panic!("{source}"),
        Err(e) => panic!("{e}"),
    };
    let decoded: Vec<&str> = answer
        .output
        .as_ref()
        .unwrap()
        .iter()
        .map(|item| match item {
            OutputItem::OutputMessage(_) => "message",
            OutputItem::FileSearchToolCall(_) => "file_search_call",
            OutputItem::FunctionToolCall(_) => "function_call",
            OutputItem::WebSearchToolCall(_) => "web_search_call",
            OutputItem::ReasoningItem(_) => "reasoning",
            OutputItem::Unknown(v) if *v == future => "unknown",
            _ => "another variant",
        })
        .collect();
    let mut want: Vec<&str> = kinds.iter().map(String::as_str).collect();
    want.push("unknown");
    assert_eq!(decoded, want);
    let encoded = serde_json::to_value(&answer).unwrap();
    assert_eq!(encoded["output"], body["output"]);
}

/// OpenAI shows its chat chunks without their framing: each, sent as OpenAI sends it (`data:`,
/// then `data: [DONE]`), decodes into a chunk that encodes back to what was sent.
#[tokio::test]
async fn a_streamed_chat_completion_is_a_stream_of_its_chunks() {
    let shown = published_stream(&description(), "createChatCompletion");
    let chunks: Vec<Value> = shown
        .split("\n\n")
        .filter_map(|block| serde_json::from_str(block.trim()).ok())
        .collect();
    assert!(chunks.len() >= 3, "{shown}");
    let mut wire: String = chunks.iter().map(|c| format!("data: {c}\n\n")).collect();
    wire.push_str("data: [DONE]\n\n");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(headers(
            "accept",
            vec!["text/event-stream", "application/json"],
        ))
        .respond_with(sse(wire))
        .mount(&server)
        .await;
    let request = CreateChatCompletionRequest::new(
        vec![user("Hello!")],
        ModelIdsShared::String("gpt-4o-mini".to_owned()),
    );
    let mut stream = client(&server)
        .await
        .create_chat_completion_stream(&request)
        .await
        .unwrap()
        .into_body();
    let mut received = Vec::new();
    while let Some(chunk) = stream.next().await {
        received.push(chunk.unwrap().data);
    }
    let encoded: Vec<Value> = received
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect();
    assert_eq!(encoded, chunks);
    let text: String = received
        .iter()
        .flat_map(|c| c.choices.iter().flatten())
        .filter_map(|choice| choice.delta.as_ref()?.content.clone().flatten())
        .collect();
    assert_eq!(text, "Hello");
    let sent = first_body(&server).await;
    assert_eq!(sent["stream"], true);
}

/// The Responses stream OpenAI publishes, named events and all: each event decodes into the
/// variant its name says, and encodes back to the data that was sent.
#[tokio::test]
async fn a_streamed_response_is_a_stream_of_its_named_events() {
    let wire = as_sent(published_stream(&description(), "createResponse"));
    let data = event_data(&wire);
    assert!(data.len() >= 8, "{wire}");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/responses"))
        .respond_with(sse(wire))
        .mount(&server)
        .await;
    let mut stream = client(&server)
        .await
        .create_response_stream(&CreateResponse::new())
        .await
        .unwrap()
        .into_body();
    let mut events = Vec::new();
    while let Some(event) = stream.next().await {
        events.push(event.unwrap());
    }
    let names: Vec<Option<&str>> = events.iter().map(|e| e.name.as_deref()).collect();
    let types: Vec<Option<&str>> = data.iter().map(|d| d["type"].as_str()).collect();
    assert_eq!(names, types);
    for (event, sent) in events.iter().zip(&data) {
        assert!(
            !matches!(event.data, ResponseStreamEvent::Unknown(_)),
            "{sent}"
        );
        assert_eq!(
            as_data(&serde_json::to_value(&event.data).unwrap()),
            as_data(sent)
        );
    }
    assert!(matches!(
        events[0].data,
        ResponseStreamEvent::ResponseCreatedEvent(_)
    ));
    let sent = first_body(&server).await;
    assert_eq!(sent["stream"], true);
}

/// A transcription is uploaded as a multipart form: its streaming method asks for events with
/// the form's `stream` part, and OpenAI's published events decode.
#[tokio::test]
async fn a_streamed_transcription_asks_with_its_form_and_decodes_each_delta() {
    let wire = as_sent(published_stream(&description(), "createTranscription"));
    let data = event_data(&wire);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/audio/transcriptions"))
        .and(body_string_contains("name=\"stream\"\r\n\r\ntrue\r\n"))
        .respond_with(sse(wire))
        .mount(&server)
        .await;
    let recording = Upload::bytes(&b"RIFF....WAVE"[..]).file_name("speech.wav");
    let model = CreateTranscriptionRequestModel::String("gpt-4o-transcribe".to_owned());
    let form = CreateTranscriptionMultipart::new(recording, model);
    let mut stream = client(&server)
        .await
        .create_transcription_stream(form)
        .await
        .unwrap()
        .into_body();
    let mut decoded = Vec::new();
    while let Some(event) = stream.next().await {
        decoded.push(event.unwrap().data);
    }
    assert_eq!(decoded.len(), data.len());
    let deltas = decoded
        .iter()
        .filter(|e| {
            matches!(
                e,
                CreateTranscriptionResponseStreamEvent::TranscriptTextDeltaEvent(_)
            )
        })
        .count();
    assert_eq!(
        deltas,
        data.len() - 1,
        "every event but the last is a delta"
    );
    for (event, sent) in decoded.iter().zip(&data) {
        assert_eq!(
            as_data(&serde_json::to_value(event).unwrap()),
            as_data(sent)
        );
    }
}
