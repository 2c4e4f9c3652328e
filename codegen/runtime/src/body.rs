//! Request and response bodies that are not JSON: uploads (bytes, files, streams), multipart
//! forms, and downloads read as a stream.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

/// A body that can be sent once: a stream the caller opened.
#[derive(Clone)]
pub(crate) struct OneShot(Arc<Mutex<Option<reqwest::Body>>>);

impl OneShot {
    fn new(body: reqwest::Body) -> Self {
        OneShot(Arc::new(Mutex::new(Some(body))))
    }

    /// The stream, the first time; `None` once it was sent.
    pub(crate) fn take(&self) -> Option<reqwest::Body> {
        self.0.lock().ok().and_then(|mut b| b.take())
    }
}

#[derive(Clone)]
pub(crate) enum Data {
    Bytes(Bytes),
    Stream(OneShot),
}

/// A file or bytes to upload: from memory, from a file, or from a stream the caller opened, with
/// an optional file name and content type (multipart parts send both).
///
/// ```no_run
/// # async fn f() -> std::io::Result<()> {
/// use client_runtime::Upload;
/// let from_memory = Upload::bytes(b"hello".to_vec()).file_name("hello.txt");
/// let from_disk = Upload::file("report.pdf").await?.content_type("application/pdf");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Upload {
    pub(crate) data: Data,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl Upload {
    /// Bytes held in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Upload {
        Upload {
            data: Data::Bytes(data.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A stream of chunks, read while it is sent and never held whole. A request with a
    /// streamed body is sent once: it is not retried.
    pub fn stream<S>(stream: S) -> Upload
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Upload {
            data: Data::Stream(OneShot::new(reqwest::Body::wrap_stream(stream))),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, streamed from disk, named after its file name.
    pub async fn file(path: impl AsRef<Path>) -> std::io::Result<Upload> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        Ok(Upload {
            data: Data::Stream(OneShot::new(reqwest::Body::from(file))),
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            content_type: None,
        })
    }

    /// The file name a multipart part gives.
    pub fn file_name(mut self, name: impl Into<String>) -> Upload {
        self.file_name = Some(name.into());
        self
    }

    /// The content type of the data. The spec's media type wins where it names one; this one
    /// is sent where the spec allows any (`*/*`, `image/*`) and in multipart parts.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Upload {
        self.content_type = Some(content_type.into());
        self
    }

    pub(crate) fn is_stream(&self) -> bool {
        matches!(self.data, Data::Stream(_))
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = match &self.data {
            Data::Bytes(b) => format!("{} bytes", b.len()),
            Data::Stream(_) => "a stream".to_owned(),
        };
        f.debug_struct("Upload")
            .field("data", &data)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl PartialEq for Upload {
    /// Uploads of bytes are equal when their bytes, names and types are; a stream only equals
    /// itself.
    fn eq(&self, other: &Upload) -> bool {
        let same = match (&self.data, &other.data) {
            (Data::Bytes(a), Data::Bytes(b)) => a == b,
            (Data::Stream(a), Data::Stream(b)) => Arc::ptr_eq(&a.0, &b.0),
            _ => false,
        };
        same && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl From<Vec<u8>> for Upload {
    fn from(data: Vec<u8>) -> Upload {
        Upload::bytes(data)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(data: &'static [u8]) -> Upload {
        Upload::bytes(data)
    }
}

impl From<Bytes> for Upload {
    fn from(data: Bytes) -> Upload {
        Upload::bytes(data)
    }
}

/// One part of a multipart form.
#[derive(Debug, Clone, PartialEq)]
enum Content {
    Text(String),
    /// A value sent with its own content type (an object as JSON, or what `encoding` says).
    Typed {
        bytes: Bytes,
        content_type: String,
    },
    File(Upload),
}

/// A `multipart/form-data` body: one part per field, in order; a list field is one part per
/// item, and a field that is `None` is left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multipart {
    parts: Vec<(String, Content)>,
}

impl Multipart {
    /// A form without parts.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A field: a scalar as a text part, each item of a list as a part of its own, an object
    /// as a JSON part; `null` adds nothing.
    pub fn field<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), crate::Error<E>> {
        let value = serde_json::to_value(value).map_err(crate::Error::Encode)?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let content = match item {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => Content::Text(s),
                v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                    Content::Typed {
                        bytes: Bytes::from(v.to_string()),
                        content_type: "application/json".to_owned(),
                    }
                }
                scalar => Content::Text(scalar.to_string()),
            };
            self.parts.push((name.to_owned(), content));
        }
        Ok(())
    }

    /// A field sent with the content type the spec's `encoding` gives it: JSON text for a
    /// JSON media type, the value's text otherwise.
    pub fn field_as<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
        content_type: &str,
    ) -> Result<(), crate::Error<E>> {
        let content_type = first_type(content_type);
        let json = content_type.contains("json");
        let value = serde_json::to_value(value).map_err(crate::Error::Encode)?;
        // A list is a part per item, unless the parts are JSON, where the list is one value.
        let items = match value {
            serde_json::Value::Array(items) if !json => items,
            other => vec![other],
        };
        for item in items {
            let bytes = match item {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) if !json => s,
                other => other.to_string(),
            };
            self.parts.push((
                name.to_owned(),
                Content::Typed {
                    bytes: Bytes::from(bytes),
                    content_type: content_type.to_owned(),
                },
            ));
        }
        Ok(())
    }

    /// Sets the text part `name` to `value`, in place of the parts of that name.
    pub(crate) fn set_text(&mut self, name: &str, value: &str) {
        self.parts.retain(|(n, _)| n != name);
        self.parts
            .push((name.to_owned(), Content::Text(value.to_owned())));
    }

    /// A file part.
    pub fn file(&mut self, name: &str, upload: Upload) {
        self.parts.push((name.to_owned(), Content::File(upload)));
    }

    /// A file part whose content type is `content_type` (the spec's `encoding`) unless the
    /// upload gives its own.
    pub fn file_as(&mut self, name: &str, mut upload: Upload, content_type: &str) {
        if upload.content_type.is_none() && !content_type.contains('*') {
            upload.content_type = Some(first_type(content_type).to_owned());
        }
        self.file(name, upload);
    }

    /// One file part per upload, all under `name`.
    pub fn files(&mut self, name: &str, uploads: impl IntoIterator<Item = Upload>) {
        uploads.into_iter().for_each(|u| self.file(name, u));
    }

    /// One file part per upload, typed as [`Multipart::file_as`] types one.
    pub fn files_as(
        &mut self,
        name: &str,
        uploads: impl IntoIterator<Item = Upload>,
        content_type: &str,
    ) {
        uploads
            .into_iter()
            .for_each(|u| self.file_as(name, u, content_type));
    }

    pub(crate) fn has_stream(&self) -> bool {
        self.parts
            .iter()
            .any(|(_, c)| matches!(c, Content::File(u) if u.is_stream()))
    }

    /// The form for one attempt; `None` when a streamed part was already sent.
    pub(crate) fn to_form(&self) -> Option<Result<reqwest::multipart::Form, reqwest::Error>> {
        let mut form = reqwest::multipart::Form::new();
        for (name, content) in &self.parts {
            let part = match content {
                Content::Text(t) => reqwest::multipart::Part::text(t.clone()),
                Content::Typed {
                    bytes,
                    content_type,
                } => match reqwest::multipart::Part::stream(bytes.clone()).mime_str(content_type) {
                    Ok(part) => part,
                    Err(e) => return Some(Err(e)),
                },
                Content::File(upload) => match file_part(upload)? {
                    Ok(part) => part,
                    Err(e) => return Some(Err(e)),
                },
            };
            form = form.part(name.clone(), part);
        }
        Some(Ok(form))
    }
}

/// The first type of an `encoding` content type, which may list several
/// (`image/png, image/jpeg`).
fn first_type(content_type: &str) -> &str {
    content_type
        .split(',')
        .next()
        .unwrap_or(content_type)
        .trim()
}

fn file_part(upload: &Upload) -> Option<Result<reqwest::multipart::Part, reqwest::Error>> {
    let mut part = match &upload.data {
        Data::Bytes(b) => reqwest::multipart::Part::stream(b.clone()),
        Data::Stream(s) => reqwest::multipart::Part::stream(s.take()?),
    };
    part = part.file_name(
        upload
            .file_name
            .clone()
            .unwrap_or_else(|| "file".to_owned()),
    );
    let content_type = upload
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    Some(part.mime_str(content_type))
}

/// A binary answer, not yet read: take it whole with [`Download::bytes`], or chunk by chunk
/// with [`Download::chunk`] or [`Download::stream`] without holding it in memory, or write it
/// to a file with [`Download::save`]. Errors and `Debug` never show the URL, which may hold a
/// key.
pub struct Download {
    response: reqwest::Response,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.response.status())
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish()
    }
}

impl Download {
    pub(crate) fn new(response: reqwest::Response) -> Download {
        Download { response }
    }

    /// The `Content-Type` the server sent.
    pub fn content_type(&self) -> Option<&str> {
        self.response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The length the server announced, if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        self.response.bytes().await.map_err(|e| e.without_url())
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, reqwest::Error> {
        self.response.chunk().await.map_err(|e| e.without_url())
    }

    /// The body as a stream of chunks.
    pub fn stream(self) -> impl futures_core::Stream<Item = Result<Bytes, reqwest::Error>> {
        WithoutUrl(Box::pin(self.response.bytes_stream()))
    }

    /// Writes the body to the file at `path` chunk by chunk; returns how many bytes it wrote.
    pub async fn save(mut self, path: impl AsRef<Path>) -> std::io::Result<u64> {
        use tokio::io::AsyncWriteExt;
        let mut file = tokio::fs::File::create(path).await?;
        let mut written = 0;
        while let Some(chunk) = self.chunk().await.map_err(std::io::Error::other)? {
            file.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        file.flush().await?;
        Ok(written)
    }
}

/// A stream of chunks whose errors do not show the URL.
struct WithoutUrl<S>(std::pin::Pin<Box<S>>);

impl<S: futures_core::Stream<Item = Result<Bytes, reqwest::Error>>> futures_core::Stream
    for WithoutUrl<S>
{
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(|e| e.without_url())))
    }
}

/// A request body that may be left out: what converts into the operation's body (a model, a
/// reference to it, a value of the body's enum), or `None`. Generated clients implement it for
/// each of those types.
pub trait OptionalBody<B> {
    /// The body to send, or `None` to send none.
    fn into_body(self) -> Option<B>;
}

impl<B> OptionalBody<B> for Option<B> {
    fn into_body(self) -> Option<B> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_text_lists_are_parts_objects_are_json() {
        let mut form = Multipart::new();
        form.field::<_, ()>("name", "Rex").unwrap();
        form.field::<_, ()>("age", &3).unwrap();
        form.field::<_, ()>("tags", &["a", "b"]).unwrap();
        form.field::<_, ()>("meta", &serde_json::json!({"k": 1}))
            .unwrap();
        form.field::<_, ()>("none", &None::<String>).unwrap();
        form.field_as::<_, ()>("plain", "x", "text/plain").unwrap();
        form.file("photo", Upload::bytes(&b"png"[..]).file_name("p.png"));
        let names: Vec<&str> = form.parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["name", "age", "tags", "tags", "meta", "plain", "photo"]
        );
        assert_eq!(form.parts[1].1, Content::Text("3".to_owned()));
        assert_eq!(
            form.parts[4].1,
            Content::Typed {
                bytes: Bytes::from(r#"{"k":1}"#),
                content_type: "application/json".to_owned()
            }
        );
        assert!(!form.has_stream());
        assert!(form.to_form().is_some());
    }

    #[test]
    fn a_stream_is_sent_once() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from("a"))];
        let upload = Upload::stream(StreamOf(chunks.into_iter()));
        let mut form = Multipart::new();
        form.file("f", upload.clone());
        assert!(form.has_stream() && upload.is_stream());
        assert!(form.to_form().is_some());
        assert!(form.to_form().is_none(), "the stream was taken");
        assert!(format!("{upload:?}").contains("a stream"));
    }

    /// A stream over an iterator, without a futures dependency.
    struct StreamOf<I>(I);

    impl<I: Iterator + Unpin> futures_core::Stream for StreamOf<I> {
        type Item = I::Item;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
}
