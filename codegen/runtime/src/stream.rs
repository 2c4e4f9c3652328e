//! Answers that stream: server-sent events ([`EventStream`]), JSON Lines ([`JsonLines`]) and
//! JSON text sequences ([`JsonSeq`]), each a [`futures_core::Stream`] of typed items decoded as
//! the bytes arrive. Only the item being read is buffered, so memory stays bounded however long
//! the stream runs; dropping the stream closes the connection.

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::body::Download;
use crate::client::Reconnect;

/// The chunks of a body as they arrive.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// How an event's data becomes the item, given the event's name.
type Decode<T> = fn(Option<&str>, &str) -> Result<T, serde_json::Error>;

/// The error of data that does not decode.
pub use serde_json::Error as JsonError;

/// Event data whose type the event's name decides: the union of the events a spec documents
/// apart by name (`event:`), which a generated client implements.
pub trait NamedEvents: Sized {
    /// The item an event named `name` (`None` for the default, `message`) with `data` is.
    fn decode(name: Option<&str>, data: &str) -> Result<Self, JsonError>;
}

/// An event's data read as JSON.
pub fn json_data<T: DeserializeOwned>(data: &str) -> Result<T, JsonError> {
    serde_json::from_str(data)
}

/// An event's data read as text: a `String`, or a type a string deserializes into (a string
/// enum, say).
pub fn text_data<T: DeserializeOwned>(data: &str) -> Result<T, JsonError> {
    T::deserialize(serde::de::value::StrDeserializer::<JsonError>::new(data))
}

/// Why an item of a stream is not there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed or broke off; the stream ends after this item.
    #[error("the stream broke off: {0}")]
    Transport(#[source] reqwest::Error),
    /// One item is not of the documented shape; the stream goes on with the next.
    #[error(
        "item {index} of the stream does not decode: {source}; data: {}",
        shown(data)
    )]
    Decode {
        /// The item's place in the stream, from 0.
        index: u64,
        /// For a server-sent event, its name (`event:`), when it has one.
        event: Option<String>,
        /// For a server-sent event, its id (`id:`), when it has one.
        id: Option<String>,
        /// The item's text, as received.
        data: String,
        /// Why it does not decode.
        #[source]
        source: serde_json::Error,
    },
    /// The connection broke and sending the request again failed (the server refused to go
    /// on, say); the stream ends after this item.
    #[error("the stream broke off and could not be resumed: {0}")]
    Reconnect(#[source] Box<crate::Error<()>>),
}

fn shown(data: &str) -> &str {
    const LIMIT: usize = 500;
    match data.char_indices().nth(LIMIT) {
        Some((end, _)) => &data[..end],
        None => data,
    }
}

/// Bytes received and not read yet, and where more come from.
struct Feed {
    /// `None` once the body ended, failed, or was let go.
    chunks: Option<Chunks>,
    buf: Vec<u8>,
    /// Where the unread bytes start in `buf`.
    start: usize,
    /// The last line ended with CR, so that an LF first in what follows ends no other line.
    after_cr: bool,
}

/// What one attempt to receive more bytes gave.
enum Fill {
    More,
    Ended,
    Failed(reqwest::Error),
}

impl Feed {
    fn new(chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static) -> Feed {
        Feed {
            chunks: Some(Box::pin(chunks)),
            buf: Vec::new(),
            start: 0,
            after_cr: false,
        }
    }

    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<Fill> {
        let Some(chunks) = self.chunks.as_mut() else {
            return Poll::Ready(Fill::Ended);
        };
        let fill = match ready!(chunks.as_mut().poll_next(cx)) {
            Some(Ok(bytes)) => {
                self.buf.drain(..self.start);
                self.start = 0;
                self.buf.extend_from_slice(&bytes);
                return Poll::Ready(Fill::More);
            }
            Some(Err(e)) => Fill::Failed(e.without_url()),
            None => Fill::Ended,
        };
        self.chunks = None;
        Poll::Ready(fill)
    }

    fn rest(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// The next line ended by CR, LF or CRLF (as server-sent events end them), as a range of
    /// `buf`; `None` until a line end has arrived.
    fn next_line(&mut self) -> Option<(usize, usize)> {
        if self.after_cr {
            match self.rest().first() {
                None => return None,
                Some(b'\n') => self.start += 1,
                Some(_) => {}
            }
            self.after_cr = false;
        }
        let end = memchr::memchr2(b'\n', b'\r', self.rest())?;
        let line = (self.start, self.start + end);
        self.after_cr = self.buf[line.1] == b'\r';
        self.start = line.1 + 1;
        Some(line)
    }

    /// The next line ended by LF (a CR before it is the JSON's whitespace), as a range of
    /// `buf`; at the end of the body, what is left.
    fn next_lf_line(&mut self) -> Option<(usize, usize)> {
        match memchr::memchr(b'\n', self.rest()) {
            Some(end) => {
                let line = (self.start, self.start + end);
                self.start = line.1 + 1;
                Some(line)
            }
            None if self.chunks.is_none() && !self.rest().is_empty() => {
                let line = (self.start, self.buf.len());
                self.start = self.buf.len();
                Some(line)
            }
            None => None,
        }
    }

    /// Lets the connection go: nothing more is read.
    fn close(&mut self) {
        self.chunks = None;
        self.buf = Vec::new();
        self.start = 0;
    }
}

/// One server-sent event: its data decoded, and what the server said of it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's data (its `data:` lines joined by LF), decoded.
    pub data: T,
    /// The event's name (`event:`); `None` for the default, `message`.
    pub name: Option<String>,
    /// The last event id the server set (`id:`), which a reconnection sends back as
    /// `Last-Event-ID`; `None` when none was set or it was cleared.
    pub id: Option<String>,
    /// The reconnection time the server asked for last (`retry:`).
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// An event of the default name with `data`, as a test double sends it.
    pub fn new(data: T) -> Event<T> {
        Event {
            data,
            name: None,
            id: None,
            retry: None,
        }
    }
}

/// The fields of the event being read, as the WHATWG HTML standard's "interpreting an event
/// stream" keeps them.
#[derive(Default)]
struct EventFields {
    data: String,
    name: String,
    last_id: String,
    retry: Option<Duration>,
    /// A first line was read (and its byte order mark, if any, dropped).
    started: bool,
}

impl EventFields {
    /// Reads one line; an empty one dispatches the event read so far, if it has data.
    fn line(&mut self, line: &[u8]) -> Option<Event<String>> {
        let line = if std::mem::replace(&mut self.started, true) {
            line
        } else {
            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
        };
        if line.is_empty() {
            return self.dispatch();
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(0) => return None,
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        let text = || String::from_utf8_lossy(value);
        match field {
            b"data" => {
                self.data.push_str(&text());
                self.data.push('\n');
            }
            b"event" => self.name = text().into_owned(),
            b"id" if !value.contains(&0) => self.last_id = text().into_owned(),
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                if let Ok(ms) = text().parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
        None
    }

    /// Forgets the event being read, as a reconnection does; the last id and the retry stay.
    fn interrupted(&mut self) {
        self.data.clear();
        self.name.clear();
        self.started = false;
    }

    fn dispatch(&mut self) -> Option<Event<String>> {
        let name = std::mem::take(&mut self.name);
        if self.data.is_empty() {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        Some(Event {
            data,
            name: (!name.is_empty()).then_some(name),
            id: (!self.last_id.is_empty()).then(|| self.last_id.clone()),
            retry: self.retry,
        })
    }
}

/// Server-sent events (`text/event-stream`), each event's data decoded into `T`.
///
/// Events are read as the WHATWG HTML standard says: `data:` lines joined, `event:`, `id:` and
/// `retry:` kept beside the data, comments (keep-alives) skipped, lines ended by CR, LF or CRLF,
/// a byte order mark dropped, an event the body ends in the middle of discarded. An event whose
/// data is the sentinel (`[DONE]` unless the spec names another) ends the stream.
///
/// Given a [`Reconnect`], a stream whose connection breaks sends its request again with
/// `Last-Event-ID` after the server's `retry` (else the retry policy's backoff), as many times
/// in a row as the policy retries, and goes on with what the server sends then.
pub struct EventStream<T> {
    feed: Feed,
    fields: EventFields,
    decode: Decode<T>,
    sentinel: Option<String>,
    index: u64,
    ended: bool,
    reconnect: Option<Reconnect>,
    /// Reconnections since the last event.
    reconnections: u32,
    resuming: Option<Resuming>,
}

/// A reconnection under way: the answer to the request sent again.
type Resuming =
    Pin<Box<dyn std::future::Future<Output = Result<Download, crate::Error<()>>> + Send>>;

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("events", &self.index)
            .field("last_event_id", &self.last_event_id())
            .field("ended", &self.ended)
            .finish()
    }
}

/// The sentinel that ends a stream of events unless a spec names another.
const DONE: &str = "[DONE]";

impl<T: DeserializeOwned> EventStream<T> {
    /// The events of a streamed answer, their data as JSON.
    pub fn new(download: Download) -> EventStream<T> {
        Self::from_chunks(download.stream())
    }

    /// The events in `chunks` of a body (a test double's, say), their data as JSON.
    pub fn from_chunks(
        chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    ) -> EventStream<T> {
        EventStream::with_decode(chunks, |_, data| json_data(data))
    }

    /// The events of a streamed answer, their data text read into `T` (a string enum, say).
    pub fn parsed(download: Download) -> EventStream<T> {
        EventStream::with_decode(download.stream(), |_, data| text_data(data))
    }
}

impl EventStream<String> {
    /// The events of a streamed answer, their data as text.
    pub fn text(download: Download) -> EventStream<String> {
        Self::text_from_chunks(download.stream())
    }

    /// The events in `chunks` of a body, their data as text.
    pub fn text_from_chunks(
        chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    ) -> EventStream<String> {
        EventStream::with_decode(chunks, |_, data| Ok(data.to_owned()))
    }
}

impl<T: NamedEvents> EventStream<T> {
    /// The events of a streamed answer, each decoded as its name says.
    pub fn named(download: Download) -> EventStream<T> {
        Self::named_from_chunks(download.stream())
    }

    /// The events in `chunks` of a body, each decoded as its name says.
    pub fn named_from_chunks(
        chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    ) -> EventStream<T> {
        EventStream::with_decode(chunks, T::decode)
    }
}

impl<T> EventStream<T> {
    fn with_decode(
        chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
        decode: Decode<T>,
    ) -> EventStream<T> {
        EventStream {
            feed: Feed::new(chunks),
            fields: EventFields::default(),
            decode,
            sentinel: Some(DONE.to_owned()),
            index: 0,
            ended: false,
            reconnect: None,
            reconnections: 0,
            resuming: None,
        }
    }

    /// Reconnects as `reconnect` says when the connection breaks; `None` never does.
    #[must_use]
    pub fn reconnect(mut self, reconnect: Option<Reconnect>) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// The next event, as `futures::StreamExt::next` would give it; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Event<T>, StreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The data that ends the stream, in place of `[DONE]`; `None` for none.
    #[must_use]
    pub fn sentinel(mut self, data: Option<&str>) -> Self {
        self.sentinel = data.map(str::to_owned);
        self
    }

    /// The last event id the server set, to send back as `Last-Event-ID` when reconnecting.
    pub fn last_event_id(&self) -> Option<&str> {
        Some(self.fields.last_id.as_str()).filter(|id| !id.is_empty())
    }

    /// The reconnection time the server asked for last (`retry:`).
    pub fn retry(&self) -> Option<Duration> {
        self.fields.retry
    }

    fn decoded(&mut self, event: Event<String>) -> Result<Event<T>, StreamError> {
        let index = self.index;
        self.index += 1;
        match (self.decode)(event.name.as_deref(), &event.data) {
            Ok(data) => Ok(Event {
                data,
                name: event.name,
                id: event.id,
                retry: event.retry,
            }),
            Err(source) => Err(StreamError::Decode {
                index,
                event: event.name,
                id: event.id,
                data: event.data,
                source,
            }),
        }
    }

    /// Starts a reconnection when one is allowed; else the transport error is the last item.
    fn broke(&mut self, error: reqwest::Error) -> Option<StreamError> {
        let reconnect = match &self.reconnect {
            Some(r) if self.reconnections < r.policy().max_retries => r.clone(),
            _ => {
                self.ended = true;
                return Some(StreamError::Transport(error));
            }
        };
        let policy = reconnect.policy();
        let wait = self
            .fields
            .retry
            .unwrap_or_else(|| policy.delay(self.reconnections, None))
            .min(policy.max_delay);
        self.reconnections += 1;
        self.fields.interrupted();
        let last_id = self.last_event_id().map(str::to_owned);
        self.resuming = Some(Box::pin(reconnect.send(last_id, wait)));
        None
    }

    /// Polls a reconnection under way: the new body's feed, or the error that ends the stream.
    fn poll_resumed(&mut self, cx: &mut Context<'_>) -> Poll<Option<StreamError>> {
        let Some(resuming) = self.resuming.as_mut() else {
            return Poll::Ready(None);
        };
        let answer = ready!(resuming.as_mut().poll(cx));
        self.resuming = None;
        Poll::Ready(match answer {
            Ok(download) => {
                self.feed = Feed::new(download.stream());
                None
            }
            Err(e) => {
                self.ended = true;
                Some(StreamError::Reconnect(Box::new(e)))
            }
        })
    }

    /// The next event the buffered lines complete.
    fn buffered(&mut self) -> Option<Event<String>> {
        while let Some((start, end)) = self.feed.next_line() {
            if let Some(event) = self.fields.line(&self.feed.buf[start..end]) {
                return Some(event);
            }
        }
        None
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        while !this.ended {
            if let Some(error) = ready!(this.poll_resumed(cx)) {
                return Poll::Ready(Some(Err(error)));
            }
            if let Some(event) = this.buffered() {
                if this.sentinel.as_deref() == Some(event.data.as_str()) {
                    this.ended = true;
                    this.feed.close();
                    break;
                }
                this.reconnections = 0;
                return Poll::Ready(Some(this.decoded(event)));
            }
            match ready!(this.feed.poll_fill(cx)) {
                Fill::More => {}
                // An event the body ends in the middle of is not dispatched.
                Fill::Ended => this.ended = true,
                Fill::Failed(e) => {
                    if let Some(error) = this.broke(e) {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
        }
        Poll::Ready(None)
    }
}

/// How JSON texts follow one another in a body.
#[derive(Clone, Copy)]
enum Framing {
    /// One per line (JSON Lines, NDJSON); blank lines are skipped.
    Lines,
    /// Each after an RS (0x1E) and usually ended by LF (RFC 7464).
    Seq,
}

const RS: u8 = 0x1E;

/// JSON texts read one by one, as a framing delimits them.
struct Records<T> {
    feed: Feed,
    framing: Framing,
    decode: fn(&str) -> Result<T, JsonError>,
    index: u64,
    ended: bool,
}

impl<T: DeserializeOwned> Records<T> {
    fn new(
        chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
        framing: Framing,
    ) -> Records<T> {
        Records {
            feed: Feed::new(chunks),
            framing,
            decode: json_data,
            index: 0,
            ended: false,
        }
    }
}

impl<T> Records<T> {
    /// The next whole text buffered, as a range of the feed's buffer.
    fn next_record(&mut self) -> Option<(usize, usize)> {
        match self.framing {
            Framing::Lines => loop {
                let (start, end) = self.feed.next_lf_line()?;
                if !self.feed.buf[start..end].trim_ascii().is_empty() {
                    return Some((start, end));
                }
            },
            Framing::Seq => self.next_seq_record(),
        }
    }

    /// A record runs from an RS to the next RS or the end of the body; one ended by LF is
    /// taken as soon as it parses, so that an item is not held until the next arrives.
    fn next_seq_record(&mut self) -> Option<(usize, usize)> {
        loop {
            let rest = self.feed.rest();
            let body = rest.strip_prefix(&[RS]).unwrap_or(rest);
            let skipped = rest.len() - body.len();
            let end = match memchr::memchr(RS, body) {
                Some(end) => end,
                None if self.feed.chunks.is_none() => body.len(),
                None if body.ends_with(b"\n") && complete(body) => body.len(),
                None => return None,
            };
            let start = self.feed.start + skipped;
            self.feed.start = start + end;
            if !self.feed.buf[start..start + end].trim_ascii().is_empty() {
                return Some((start, start + end));
            }
            if self.feed.rest().is_empty() {
                return None;
            }
        }
    }

    fn decoded(&mut self, (start, end): (usize, usize)) -> Result<T, StreamError> {
        let index = self.index;
        self.index += 1;
        let text = String::from_utf8_lossy(self.feed.buf[start..end].trim_ascii());
        (self.decode)(&text).map_err(|source| StreamError::Decode {
            index,
            event: None,
            id: None,
            data: text.into_owned(),
            source,
        })
    }

    fn poll_record(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, StreamError>>> {
        while !self.ended {
            if let Some(range) = self.next_record() {
                return Poll::Ready(Some(self.decoded(range)));
            }
            match ready!(self.feed.poll_fill(cx)) {
                Fill::More => {}
                // What is left without an end is read above, once the feed knows it ended.
                Fill::Ended if self.feed.rest().trim_ascii().is_empty() => self.ended = true,
                Fill::Ended => {}
                Fill::Failed(e) => {
                    self.ended = true;
                    return Poll::Ready(Some(Err(StreamError::Transport(e))));
                }
            }
        }
        Poll::Ready(None)
    }
}

/// Whether `text` holds one whole JSON value (and whitespace).
fn complete(text: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
}

/// JSON Lines or NDJSON (`application/jsonl`, `application/x-ndjson`): one JSON text per line,
/// each decoded into `T`.
pub struct JsonLines<T>(Records<T>);

/// A JSON text sequence (`application/json-seq`, RFC 7464): JSON texts each after an RS,
/// each decoded into `T`.
pub struct JsonSeq<T>(Records<T>);

macro_rules! json_stream {
    ($name:ident, $framing:expr, $what:literal) => {
        impl<T: DeserializeOwned> $name<T> {
            #[doc = concat!("The ", $what, " of a streamed answer.")]
            pub fn new(download: Download) -> $name<T> {
                Self::from_chunks(download.stream())
            }

            #[doc = concat!("The ", $what, " in `chunks` of a body (a test double's, say).")]
            pub fn from_chunks(
                chunks: impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
            ) -> $name<T> {
                $name(Records::new(chunks, $framing))
            }
        }

        impl<T> $name<T> {
            /// The next item, as `futures::StreamExt::next` would give it; `None` at the end.
            pub async fn next(&mut self) -> Option<Result<T, StreamError>> {
                std::future::poll_fn(|cx| self.0.poll_record(cx)).await
            }
        }

        impl<T> std::fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("items", &self.0.index)
                    .field("ended", &self.0.ended)
                    .finish()
            }
        }

        impl<T> Stream for $name<T> {
            type Item = Result<T, StreamError>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                self.get_mut().0.poll_record(cx)
            }
        }
    };
}

json_stream!(JsonLines, Framing::Lines, "JSON Lines");
json_stream!(JsonSeq, Framing::Seq, "JSON texts");

#[cfg(test)]
mod tests {
    use super::*;

    /// A body in `chunks`, read to its end without an executor: the chunks are ready at once.
    fn chunked(chunks: Vec<&'static [u8]>) -> impl Stream<Item = Result<Bytes, reqwest::Error>> {
        Ready(chunks.into_iter().map(|c| Ok(Bytes::from_static(c))))
    }

    struct Ready<I>(I);

    impl<I: Iterator + Unpin> Stream for Ready<I> {
        type Item = I::Item;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
            Poll::Ready(self.0.next())
        }
    }

    fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut out = Vec::new();
        while let Poll::Ready(Some(item)) = Pin::new(&mut stream).poll_next(&mut cx) {
            out.push(item);
        }
        out
    }

    /// The body cut at every byte, and whole.
    fn splits(body: &'static [u8]) -> Vec<Vec<&'static [u8]>> {
        let mut all: Vec<Vec<&[u8]>> = vec![vec![body]];
        all.push(body.chunks(1).collect());
        for at in 1..body.len() {
            all.push(vec![&body[..at], &body[at..]]);
        }
        all
    }

    fn events(body: &'static [u8]) -> Vec<Event<String>> {
        let mut seen = None;
        for chunks in splits(body) {
            let got: Vec<Event<String>> = collect(EventStream::text_from_chunks(chunked(chunks)))
                .into_iter()
                .map(Result::unwrap)
                .collect();
            if let Some(first) = &seen {
                assert_eq!(&got, first, "the same events whatever the chunks");
            }
            seen = Some(got);
        }
        seen.unwrap()
    }

    fn data(events: &[Event<String>]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    /// The examples of the WHATWG HTML standard, §9.2.5 "Interpreting an event stream".
    #[test]
    fn the_standards_examples_read_as_it_says() {
        let stock = events(b"data: YHOO\ndata: +2\ndata: 10\n\n");
        assert_eq!(data(&stock), ["YHOO\n+2\n10"]);
        let four = events(
            b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
        );
        assert_eq!(data(&four), ["first event", "second event"]);
        assert_eq!(four[0].id.as_deref(), Some("1"));
        assert_eq!(four[1].id, None, "an empty id clears the last one");
        let empty = events(b"data\n\ndata\ndata\n\ndata:\n");
        assert_eq!(data(&empty), ["", "\n"]);
        let same = events(b"data:test\n\ndata: test\n\n");
        assert_eq!(data(&same), ["test", "test"]);
    }

    #[test]
    fn names_ids_and_retry_stay_beside_the_data() {
        let got = events(
            b"\xEF\xBB\xBFretry: 1500\r\nevent: delta\r\nid: 7\r\ndata: {\"a\":1}\r\n\r\n:keep-alive\r\rdata: x\r\r",
        );
        assert_eq!(data(&got), ["{\"a\":1}", "x"]);
        assert_eq!(got[0].name.as_deref(), Some("delta"));
        assert_eq!(got[1].name, None, "a name is for one event");
        assert_eq!(got[1].id.as_deref(), Some("7"), "an id lasts");
        assert_eq!(got[1].retry, Some(Duration::from_millis(1500)));
        let ignored = events(b"retry: soon\nid: a\0b\nunknown: 1\ndata: y\n\n");
        assert_eq!((ignored[0].retry, ignored[0].id.clone()), (None, None));
    }

    #[test]
    fn done_ends_the_stream_and_a_bad_event_is_an_item_that_says_which() {
        let body: &[u8] =
            b"data: {\"n\":1}\n\nevent: oops\nid: 2\ndata: {\"n\":\n\ndata: {\"n\":3}\n\ndata: [DONE]\n\ndata: {\"n\":4}\n\n";
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct N {
            n: u8,
        }
        let got = collect(EventStream::<N>::from_chunks(chunked(vec![body])));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().data, N { n: 1 });
        match &got[1] {
            Err(StreamError::Decode {
                index, event, id, ..
            }) => assert_eq!(
                (*index, event.as_deref(), id.as_deref()),
                (1, Some("oops"), Some("2"))
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(got[2].as_ref().unwrap().data, N { n: 3 });
        let own = EventStream::<N>::from_chunks(chunked(vec![body])).sentinel(None);
        assert_eq!(
            collect(own).len(),
            5,
            "without a sentinel every event is read"
        );
    }

    #[test]
    fn json_lines_skip_blank_lines_and_read_the_last_without_an_end() {
        let body: &'static [u8] = b"{\"a\":1}\r\n\n  \n[2,3]\n\"x\"";
        for chunks in splits(body) {
            let got: Vec<serde_json::Value> = collect(JsonLines::from_chunks(chunked(chunks)))
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(
                got,
                [
                    serde_json::json!({"a": 1}),
                    serde_json::json!([2, 3]),
                    "x".into()
                ]
            );
        }
        let bad = collect(JsonLines::<u8>::from_chunks(chunked(vec![b"1\nnope\n3\n"])));
        assert!(matches!(bad[1], Err(StreamError::Decode { index: 1, .. })));
        assert_eq!(bad[2].as_ref().unwrap(), &3);
    }

    #[test]
    fn json_seq_reads_each_text_after_its_rs() {
        let body: &'static [u8] = b"\x1e{\"a\":\n 1}\n\x1e\x1e2\n\x1e\"tail\"";
        for chunks in splits(body) {
            let got: Vec<serde_json::Value> = collect(JsonSeq::from_chunks(chunked(chunks)))
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(got, [serde_json::json!({"a": 1}), 2.into(), "tail".into()]);
        }
    }

    /// A text ended by LF is handed over before the next RS arrives.
    #[test]
    fn a_json_seq_item_does_not_wait_for_the_next() {
        let mut seq = JsonSeq::<u8>::from_chunks(chunked(vec![b"\x1e1\n"]));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let first = Pin::new(&mut seq).poll_next(&mut cx);
        assert!(matches!(first, Poll::Ready(Some(Ok(1)))), "{first:?}");
    }
}
