//! References to URLs. Generation reads files only: a URL's content is read from a copy in the
//! spec's folder, under [`CACHE`] (`fetched-refs/https/schemas.example.com/book.yaml`), which
//! the author reviews and commits like any file of the spec. The copy is made only when the
//! caller allows it ([`Fetch`], `Config::fetch`), once; relative references inside a copy name
//! copies beside it, fetched the same way.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder, beside the entry, that holds the copies of fetched URLs.
pub const CACHE: &str = "fetched-refs";

/// A download function: the text at a URL (`http` or `https`), or why not.
pub type Download = dyn Fn(&str) -> Result<String, String> + Send + Sync;

/// Downloads the text at a URL; the caller decides how.
#[derive(Clone)]
pub struct Fetch(pub Arc<Download>);

impl fmt::Debug for Fetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fetch(..)")
    }
}

/// Where the copy of `url` stands, relative to the entry's folder:
/// `https://h.example:8443/a/b.yaml` → `fetched-refs/https/h.example+8443/a/b.yaml`. `None`
/// for a URL this does not read (another scheme, a query, a path that climbs above its host).
pub fn copy_of(url: &str) -> Option<PathBuf> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") || rest.contains(['?', '\\']) {
        return None;
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host
        .rsplit('@')
        .next()?
        .to_ascii_lowercase()
        .replace(':', "+");
    let valid = |s: &str| !s.is_empty() && s != "." && s != "..";
    if !valid(&host)
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.+".contains(c))
    {
        return None;
    }
    let mut out = PathBuf::from(CACHE).join(scheme).join(host);
    for segment in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if !valid(segment) {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

/// The URL a path under [`CACHE`] stands for (the inverse of [`copy_of`]), for a relative
/// reference inside a copy.
pub fn url_of(relative: &Path) -> Option<String> {
    let mut parts = relative.strip_prefix(CACHE).ok()?.components();
    let scheme = parts.next()?.as_os_str().to_str()?;
    let host = parts.next()?.as_os_str().to_str()?.replace('+', ":");
    let path: Vec<&str> = parts
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(format!("{scheme}://{host}/{}", path.join("/")))
}
