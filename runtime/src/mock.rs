//! Typed mocks (feature `mock`): a server on loopback that the `mock` module of a generated
//! client drives in the operations' own types. A request a mock expects is built by the same
//! code the client's method runs ([`RequestParts`]), so a mock matches what the client sends and
//! nothing else; an answer is encoded from the operation's documented types.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::{Mock, Request, ResponseTemplate};

use crate::client::{Client, ClientBuilder, RequestParts};
use crate::error::Error;
use crate::middleware::Operation;

pub use wiremock;

/// A server on loopback answering as its mocks say; a request no mock matches is answered
/// 501 Not Implemented (a status APIs seldom document, so that it is not read as one of the
/// operation's answers) with a text naming the closest mock and what differed.
#[derive(Debug)]
pub struct MockServer {
    server: wiremock::MockServer,
    /// Every mock mounted, for the message of a request none matches.
    mounted: Arc<Mutex<Vec<Expected>>>,
    /// A client pointed at the server, which builds the requests mocks expect.
    client: Client,
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> MockServer {
        let server = wiremock::MockServer::builder().start().await;
        let mounted = Arc::new(Mutex::new(Vec::new()));
        Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched(Arc::clone(&mounted)))
            .with_priority(u8::MAX)
            .named("no mock matched")
            .mount(&server)
            .await;
        let client = ClientBuilder::new(server.uri())
            .build()
            .expect("a mock server's URL is a base URL");
        MockServer {
            server,
            mounted,
            client,
        }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder of the runtime pointed at the server, without retry delays.
    pub fn builder(&self) -> ClientBuilder {
        ClientBuilder::new(self.uri())
    }

    /// The mock of the operation `operation`, sent with `method`; it matches every request of
    /// that method whose path fits the operation's template until [`Mocking::expecting`]
    /// narrows it.
    pub fn mocking(&self, method: &'static str, operation: Operation) -> Mocking<'_> {
        Mocking {
            server: self,
            expected: Expected {
                method,
                operation,
                parts: None,
            },
            times: None,
            headers: Vec::new(),
            delay: None,
            unavailable: 0,
        }
    }

    /// Every request the server received, in order.
    pub async fn received(&self) -> Vec<Received> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        let mounted = self.mounted.lock().map(|m| m.clone()).unwrap_or_default();
        requests
            .into_iter()
            .map(|request| {
                let operation = mounted
                    .iter()
                    .find(|e| e.fits_operation(&request))
                    .map(|e| e.operation.id);
                Received { operation, request }
            })
            .collect()
    }

    /// Panics, naming them, when a mock's expected number of calls ([`Mocking::times`]) was not
    /// met. The server checks this when dropped as well.
    pub async fn verify(&self) {
        self.server.verify().await;
    }
}

/// A request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The operation of the first mock whose method and path template it fits.
    pub operation: Option<&'static str>,
    /// The request as received.
    pub request: Request,
}

impl Received {
    /// The body decoded from JSON as `T` (the operation's body type).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.request.body)
    }

    /// The query's parameters, decoded, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        self.request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The path's segments where the operation's template has `{parameters}`, by name,
    /// percent-decoded.
    pub fn path_parameters(&self, template: &str) -> Vec<(String, String)> {
        let path = self.request.url.path().split('/');
        template
            .split('/')
            .zip(path)
            .filter_map(|(t, p)| {
                let name = t.strip_prefix('{')?.strip_suffix('}')?;
                let value = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
                Some((name.to_owned(), value.into_owned()))
            })
            .collect()
    }
}

/// Where a parameter is: in the path (whose template the operation has), the query or a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the path, at the `{name}` of this template.
    Path(&'static str),
    /// In the query.
    Query,
    /// In a header.
    Header,
}

/// A parameter as a request carries it: its name, where it is, and the character its values
/// are joined with in one occurrence (`,` for `simple` and unexploded `form`, ` ` and `|` for
/// the delimited styles); `None` where each occurrence is one value (exploded `form`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    /// Its name on the wire.
    pub name: &'static str,
    /// Where it is.
    pub location: Location,
    /// What joins its values in one occurrence.
    pub separator: Option<char>,
}

impl Received {
    /// Parameter `p` decoded as `T` (a scalar, a string or integer enum, a date, or a list of
    /// them), `None` where the request does not carry it. The values are percent-decoded and
    /// split as the parameter's style joins them.
    pub fn parameter<T: serde::de::DeserializeOwned>(
        &self,
        p: Parameter,
    ) -> Result<Option<T>, String> {
        let occurrences: Vec<String> = match p.location {
            Location::Path(template) => self
                .path_parameters(template)
                .into_iter()
                .filter(|(name, _)| name == p.name)
                .map(|(_, value)| value)
                .collect(),
            Location::Query => self
                .query()
                .into_iter()
                .filter(|(name, _)| name == p.name)
                .map(|(_, value)| value)
                .collect(),
            Location::Header => self
                .request
                .headers
                .get_all(p.name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect(),
        };
        if occurrences.is_empty() {
            return Ok(None);
        }
        let values = match p.separator {
            Some(c) => occurrences
                .iter()
                .flat_map(|o| o.split(c).map(str::to_owned))
                .collect(),
            None => occurrences,
        };
        T::deserialize(Values(values))
            .map(Some)
            .map_err(|e| format!("parameter `{}`: {e}", p.name))
    }
}

/// Forwards each scalar of [`Values`] to its one value.
macro_rules! scalars_through_one {
    ($($method:ident)*) => {
        $(
            fn $method<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.one()?.$method(visitor)
            }
        )*
    };
}

/// `deserialize_<number>` methods that parse the text as that number.
macro_rules! parsed {
    ($($method:ident $visit:ident $ty:ty)*) => {
        $(
            fn $method<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                match self.0.parse::<$ty>() {
                    Ok(value) => visitor.$visit(value),
                    Err(e) => Err(serde::de::Error::custom(format!("{:?} is no {}: {e}", self.0, stringify!($ty)))),
                }
            }
        )*
    };
}

/// The values of a parameter: one for a scalar, any number for a list.
struct Values(Vec<String>);

impl<'de> serde::Deserializer<'de> for Values {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.one()?.deserialize_any(visitor)
    }

    fn deserialize_seq<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(serde::de::value::SeqDeserializer::new(
            self.0.into_iter().map(Text),
        ))
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.one()?.deserialize_enum(name, variants, visitor)
    }

    scalars_through_one! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_identifier
    }

    serde::forward_to_deserialize_any! {
        i128 u128 bytes byte_buf unit unit_struct tuple tuple_struct map struct ignored_any
    }
}

impl Values {
    fn one(self) -> Result<Text, serde::de::value::Error> {
        match <[String; 1]>::try_from(self.0) {
            Ok([one]) => Ok(Text(one)),
            Err(many) => Err(serde::de::Error::custom(format!(
                "{} values where one was expected",
                many.len()
            ))),
        }
    }
}

/// One value of a parameter as text, parsed as the type asks (a number, a boolean), else
/// handed over as a string (a string, a string enum's value, a date).
struct Text(String);

impl<'de> serde::de::IntoDeserializer<'de, serde::de::value::Error> for Text {
    type Deserializer = Text;

    fn into_deserializer(self) -> Text {
        self
    }
}

impl<'de> serde::Deserializer<'de> for Text {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_string(self.0)
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        use serde::de::IntoDeserializer;
        let text: serde::de::value::StringDeserializer<Self::Error> = self.0.into_deserializer();
        text.deserialize_enum(name, variants, visitor)
    }

    parsed! {
        deserialize_bool visit_bool bool
        deserialize_i8 visit_i8 i8
        deserialize_i16 visit_i16 i16
        deserialize_i32 visit_i32 i32
        deserialize_i64 visit_i64 i64
        deserialize_u8 visit_u8 u8
        deserialize_u16 visit_u16 u16
        deserialize_u32 visit_u32 u32
        deserialize_u64 visit_u64 u64
        deserialize_f32 visit_f32 f32
        deserialize_f64 visit_f64 f64
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}

fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("a value of a generated type encodes as JSON")
}

/// One server-sent event of an answer: its name (`event:`) and its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    name: Option<String>,
    data: String,
}

impl Event {
    /// An event named `name` whose data is `data` as JSON.
    pub fn json<T: serde::Serialize + ?Sized>(name: &str, data: &T) -> Event {
        Event::raw(Some(name), &json_text(data))
    }

    /// An event named `name` whose data is `data` as text: a `String`, or a value that encodes
    /// as a JSON string (a string enum's).
    pub fn text<T: serde::Serialize + ?Sized>(name: &str, data: &T) -> Event {
        let data = match serde_json::to_value(data) {
            Ok(serde_json::Value::String(text)) => text,
            _ => json_text(data),
        };
        Event::raw(Some(name), &data)
    }

    /// An event as it is sent: `None` for one without a name (`message`).
    pub fn raw(name: Option<&str>, data: &str) -> Event {
        Event {
            name: name.map(str::to_owned),
            data: data.to_owned(),
        }
    }

    fn unnamed(data: String) -> Event {
        Event { name: None, data }
    }
}

/// What a mock answers: a status, headers and a body of a documented media type. Generated
/// mocks make it from the operation's types.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    status: u16,
    media_type: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    /// `body` as JSON, of `media_type` (`application/json`, `application/problem+json`).
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, media_type: &str, body: &T) -> Answer {
        Answer::bytes(status, media_type, json_text(body))
    }

    /// Text of `media_type`.
    pub fn text(status: u16, media_type: &str, body: impl Into<String>) -> Answer {
        Answer::bytes(status, media_type, body.into().into_bytes())
    }

    /// Bytes of `media_type`.
    pub fn bytes(status: u16, media_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            media_type: Some(media_type.to_owned()),
            body: body.into(),
        }
    }

    /// No body.
    pub fn empty(status: u16) -> Answer {
        Answer {
            status,
            media_type: None,
            body: Vec::new(),
        }
    }

    /// Server-sent events, one per item, its `data` the item as JSON.
    pub fn json_events<T: serde::Serialize>(status: u16, items: &[T]) -> Answer {
        let events = items.iter().map(|item| Event::unnamed(json_text(item)));
        Answer::named_events(status, events.collect())
    }

    /// Server-sent events, one per item, its `data` the text.
    pub fn text_events<T: AsRef<str>>(status: u16, items: &[T]) -> Answer {
        let events = items.iter().map(|t| Event::unnamed(t.as_ref().to_owned()));
        Answer::named_events(status, events.collect())
    }

    /// Server-sent events with their names (`event:`).
    pub fn named_events(status: u16, events: Vec<Event>) -> Answer {
        let mut text = String::new();
        for event in events {
            if let Some(name) = &event.name {
                text.push_str("event: ");
                text.push_str(name);
                text.push('\n');
            }
            for line in event.data.split('\n') {
                text.push_str("data: ");
                text.push_str(line);
                text.push('\n');
            }
            text.push('\n');
        }
        Answer::text(status, "text/event-stream", text)
    }

    /// JSON Lines of `media_type` (`application/jsonl`, `application/x-ndjson`), or with
    /// `separator` `\x1e` a JSON text sequence.
    pub fn lines<T: serde::Serialize>(
        status: u16,
        media_type: &str,
        items: &[T],
        separator: &str,
    ) -> Answer {
        let mut text = String::new();
        for item in items {
            text.push_str(separator);
            text.push_str(&json_text(item));
            text.push('\n');
        }
        Answer::text(status, media_type, text)
    }

    fn template(&self, headers: &[(String, String)], delay: Option<Duration>) -> ResponseTemplate {
        let mut template = ResponseTemplate::new(self.status);
        if let Some(media_type) = &self.media_type {
            template = template.set_body_raw(self.body.clone(), media_type);
        }
        for (name, value) in headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        match delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// One operation's mock being set up: which requests it matches, how often, and then what it
/// answers.
#[derive(Debug)]
pub struct Mocking<'a> {
    server: &'a MockServer,
    expected: Expected,
    times: Option<u64>,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
    /// How many matching requests are answered 503 before the answer.
    unavailable: u64,
}

impl<'a> Mocking<'a> {
    /// A client of the runtime pointed at the server, to build the request expected.
    pub fn client(&self) -> Client {
        self.server.client.clone()
    }

    /// Matches only requests as `parts` are sent: the same method and path, every query
    /// parameter and header parameter of `parts` (others may come too), and the same body
    /// (JSON compared as values). An `Err` (a value that cannot be sent) panics here, as the
    /// method would have failed.
    pub fn expecting<E: std::fmt::Debug>(mut self, parts: Result<RequestParts, Error<E>>) -> Self {
        let parts = parts.unwrap_or_else(|e| {
            panic!(
                "the mock of `{}` expects a request that cannot be sent: {e:?}",
                self.expected.operation.id
            )
        });
        self.expected.parts = Some(parts);
        self
    }

    /// The number of calls the mock must receive; the server panics when dropped (or at
    /// [`MockServer::verify`]) if it received another.
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// A header sent with the answer (one the operation documents, say).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The answer comes after `delay` (to test a timeout).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers the first `n` matching requests 503 Service Unavailable with `Retry-After: 0`,
    /// as a server that is briefly down (which the client's retry policy retries), then as
    /// the mock says.
    pub fn unavailable_first(mut self, n: u64) -> Self {
        self.unavailable = n;
        self
    }

    /// Answers every matching request with `answer`.
    pub async fn answer(self, answer: Answer) {
        self.mount_unavailable().await;
        let template = answer.template(&self.headers, self.delay);
        let mut mock = Mock::given(self.expected.clone())
            .respond_with(template)
            .named(self.expected.operation.id);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        self.mount(mock).await;
    }

    /// Answers the matching requests with `answers` in turn, each once (the pages of a list,
    /// a retry's failures before its success); a request after the last is unmatched. With
    /// [`Mocking::times`], every answer must be taken, and `times` must be their number.
    pub async fn answers_in_turn(self, answers: Vec<Answer>) {
        if let Some(times) = self.times {
            assert_eq!(
                times,
                answers.len() as u64,
                "the mock of `{}` answers {} times in turn, not {times}",
                self.expected.operation.id,
                answers.len()
            );
        }
        self.mount_unavailable().await;
        for answer in answers {
            let template = answer.template(&self.headers, self.delay);
            let mut mock = Mock::given(self.expected.clone())
                .respond_with(template)
                .up_to_n_times(1)
                .named(self.expected.operation.id);
            if self.times.is_some() {
                mock = mock.expect(1);
            }
            self.mount(mock).await;
        }
    }

    async fn mount(&self, mock: Mock) {
        if let Ok(mut mounted) = self.server.mounted.lock() {
            mounted.push(self.expected.clone());
        }
        mock.mount(&self.server.server).await;
    }

    /// The 503 answers of [`Mocking::unavailable_first`], mounted before the mock's own.
    async fn mount_unavailable(&self) {
        if self.unavailable == 0 {
            return;
        }
        let busy = ResponseTemplate::new(503).insert_header("retry-after", "0");
        Mock::given(self.expected.clone())
            .respond_with(busy)
            .up_to_n_times(self.unavailable)
            .named(format!("{} unavailable", self.expected.operation.id))
            .mount(&self.server.server)
            .await;
    }

    /// The requests received that this mock's operation fits (method and path template).
    pub async fn received(&self) -> Vec<Received> {
        let requests = self
            .server
            .server
            .received_requests()
            .await
            .unwrap_or_default();
        requests
            .into_iter()
            .filter(|r| self.expected.fits_operation(r))
            .map(|request| Received {
                operation: Some(self.expected.operation.id),
                request,
            })
            .collect()
    }
}

/// What a mock matches.
#[derive(Debug, Clone)]
struct Expected {
    method: &'static str,
    operation: Operation,
    parts: Option<RequestParts>,
}

impl Expected {
    /// Whether `request` is of the operation: its method, and a path that fits the template.
    fn fits_operation(&self, request: &Request) -> bool {
        request.method.as_str() == self.method
            && fits_template(self.operation.template, request.url.path())
    }

    /// What differs between `request` and what is expected, in words; empty when it matches.
    fn differences(&self, request: &Request) -> Vec<String> {
        let mut out = Vec::new();
        if request.method.as_str() != self.method {
            out.push(format!(
                "the method is {}, not {}",
                request.method, self.method
            ));
        }
        let Some(parts) = &self.parts else {
            if !fits_template(self.operation.template, request.url.path()) {
                out.push(format!(
                    "the path {} does not fit {}",
                    request.url.path(),
                    self.operation.template
                ));
            }
            return out;
        };
        out.extend(parts.differences(request));
        out
    }
}

impl wiremock::Match for Expected {
    fn matches(&self, request: &Request) -> bool {
        self.differences(request).is_empty()
    }
}

/// Whether `path` fits `template`: the same segments, a `{parameter}` segment fitting any.
fn fits_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            let whole = t.starts_with('{') && t.ends_with('}') && !t[1..].contains('{');
            whole || t.contains('{') || t == p
        })
}

/// The answer to a request no mock matches: 501 with the closest mock and what differed.
struct Unmatched(Arc<Mutex<Vec<Expected>>>);

impl wiremock::Respond for Unmatched {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mounted = self.0.lock().map(|m| m.clone()).unwrap_or_default();
        let closest = mounted
            .iter()
            .map(|e| {
                let fits = e.fits_operation(request);
                (!fits, e.differences(request).len(), e)
            })
            .min_by_key(|(far, n, _)| (*far, *n))
            .map(|(_, _, e)| e);
        let what = format!("{} {}", request.method, request.url.path());
        let text = match closest {
            None => format!("no mock matches {what}: none is mounted"),
            Some(e) => {
                let mut differences = e.differences(request);
                if differences.is_empty() {
                    differences.push("its answers were all given".to_owned());
                }
                format!(
                    "no mock matches {what}; the closest is `{}` ({} {}): {}",
                    e.operation.id,
                    e.method,
                    e.operation.template,
                    differences.join("; ")
                )
            }
        };
        ResponseTemplate::new(501).set_body_raw(text, "text/plain")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_fits_a_template_segment_for_segment() {
        assert!(super::fits_template("/pets/{petId}", "/pets/7"));
        assert!(super::fits_template(
            "/pets/{petId}/photos",
            "/pets/7/photos"
        ));
        assert!(!super::fits_template("/pets/{petId}", "/pets/7/photos"));
        assert!(!super::fits_template("/pets/{petId}", "/users/7"));
        assert!(super::fits_template("/files/{name}.{ext}", "/files/a.txt"));
    }
}
