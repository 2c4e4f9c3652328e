//! Finds the line and column of a JSON pointer in a YAML or JSON source.
//!
//! The index is only built when an error needs a location, so the happy path never pays for it.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use std::collections::{HashMap, HashSet};

use crate::error::{Location, escape_token};

/// Returns where the node at `pointer` starts in `source`, or the deepest ancestor that exists.
pub fn locate(source: &str, pointer: &str) -> Option<Location> {
    locate_all(source, &[pointer]).pop().flatten()
}

/// [`locate`] for many pointers with one pass over the source: JSON sources are scanned
/// directly (fast enough for a 13 MB spec), other sources go through the YAML parser.
pub fn locate_all(source: &str, pointers: &[&str]) -> Vec<Option<Location>> {
    if pointers.is_empty() {
        return Vec::new();
    }
    // Every prefix of every pointer, at `/` boundaries: the nodes worth recording.
    let mut wanted = HashSet::new();
    for p in pointers {
        for (i, c) in p.char_indices().skip(1) {
            if c == '/' {
                wanted.insert(p[..i].to_owned());
            }
        }
        wanted.insert((*p).to_owned());
    }
    let starts = if source.trim_start().starts_with(['{', '[']) {
        json_starts(source, &wanted)
    } else {
        yaml_starts(source, wanted)
    };
    pointers
        .iter()
        .map(|p| {
            // The pointer itself, or the deepest ancestor that exists.
            let mut candidate = *p;
            loop {
                if let Some(loc) = starts.get(candidate) {
                    return Some(*loc);
                }
                candidate = &candidate[..candidate.rfind('/')?];
                if candidate.is_empty() {
                    return None;
                }
            }
        })
        .collect()
}

/// Where a YAML source nests deeper than yaml-rust2 reads, with the pointer of the node there.
/// yaml-rust2 stops at its limit at once, where libyaml (serde_yaml's parser) takes time
/// quadratic in the depth of flow collections (`[[[[…`) before anything checks the depth.
pub fn too_deep(source: &str) -> Option<(Location, String)> {
    let mut walker = Walker::default();
    let error = Parser::new_from_str(source)
        .load(&mut walker, false)
        .err()?;
    let mark = error.marker();
    let location = Location {
        line: mark.line(),
        column: mark.col() + 1,
    };
    (error.info() == "recursion limit exceeded").then(|| (location, walker.current_pointer()))
}

fn yaml_starts(source: &str, wanted: HashSet<String>) -> HashMap<String, Location> {
    let mut walker = Walker {
        wanted,
        ..Walker::default()
    };
    let mut parser = Parser::new_from_str(source);
    // A source that does not parse still gives what was found before the failure.
    let _ = parser.load(&mut walker, false);
    walker.found
}

/// Scans JSON text for where each wanted pointer starts: the key of an object member, the
/// first character of an array item.
fn json_starts(source: &str, wanted: &HashSet<String>) -> HashMap<String, Location> {
    let mut scan = JsonScan {
        source,
        wanted,
        found: HashMap::new(),
        path: String::new(),
        stack: Vec::new(),
    };
    let mut i = 0;
    while i < source.len() {
        i = scan.step(i);
    }
    locations(source, scan.found)
}

/// An open JSON container.
enum JsonFrame {
    Object,
    /// An array, with the index of its current item.
    Array(usize),
}

/// The state of [`json_starts`]: the pointer of the value at hand and the containers open.
struct JsonScan<'a> {
    source: &'a str,
    wanted: &'a HashSet<String>,
    /// Byte offsets of the wanted pointers found so far.
    found: HashMap<String, usize>,
    path: String,
    /// Per open container: its kind and the path length to restore when a member ends.
    stack: Vec<(JsonFrame, usize)>,
}

impl JsonScan<'_> {
    /// Reads the token at byte `i`; returns where the next one starts.
    fn step(&mut self, i: usize) -> usize {
        match self.source.as_bytes()[i] {
            b' ' | b'\n' | b'\r' | b'\t' | b':' => i + 1,
            b',' => {
                // The previous member is complete.
                if let Some((frame, len)) = self.stack.last_mut() {
                    self.path.truncate(*len);
                    if let JsonFrame::Array(n) = frame {
                        *n += 1;
                    }
                }
                i + 1
            }
            b'}' | b']' => {
                self.stack.pop();
                if let Some((_, len)) = self.stack.last() {
                    self.path.truncate(*len);
                }
                i + 1
            }
            b'"' if matches!(self.stack.last(), Some((JsonFrame::Object, len)) if *len == self.path.len()) => {
                self.key(i)
            }
            _ => self.value(i),
        }
    }

    /// A member's key at `i`: the member's pointer starts here.
    fn key(&mut self, i: usize) -> usize {
        let end = skip_string(self.source.as_bytes(), i);
        let raw = &self.source[i + 1..end.saturating_sub(1).max(i + 1)];
        let key: String =
            serde_json::from_str(&self.source[i..end]).unwrap_or_else(|_| raw.to_owned());
        self.path.push('/');
        self.path.push_str(&escape_token(&key));
        self.record(i);
        end
    }

    /// A value at `i`; in an array it is an item whose pointer starts here.
    fn value(&mut self, i: usize) -> usize {
        if let Some((JsonFrame::Array(n), len)) = self.stack.last()
            && *len == self.path.len()
        {
            let item = format!("/{n}");
            self.path.push_str(&item);
            self.record(i);
        }
        let bytes = self.source.as_bytes();
        match bytes[i] {
            b'{' => self.stack.push((JsonFrame::Object, self.path.len())),
            b'[' => self.stack.push((JsonFrame::Array(0), self.path.len())),
            b'"' => return skip_string(bytes, i),
            _ => {
                let plain = bytes[i..].iter().take_while(|b| {
                    !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                });
                return i + plain.count();
            }
        }
        i + 1
    }

    fn record(&mut self, at: usize) {
        if self.wanted.contains(&self.path) && !self.found.contains_key(&self.path) {
            self.found.insert(self.path.clone(), at);
        }
    }
}

/// The index after the closing quote of the string whose opening quote is at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Byte offsets into `source` as 1-based lines and columns (in characters).
fn locations(source: &str, found: HashMap<String, usize>) -> HashMap<String, Location> {
    let bytes = source.as_bytes();
    let mut offsets: Vec<(usize, String)> = found.into_iter().map(|(k, v)| (v, k)).collect();
    offsets.sort();
    let mut out = HashMap::new();
    let (mut line, mut line_start, mut pos) = (1, 0, 0);
    for (offset, pointer) in offsets {
        for (j, b) in bytes[pos..offset].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = pos + j + 1;
            }
        }
        pos = offset;
        let column = source[line_start..offset].chars().count() + 1;
        out.insert(pointer, Location { line, column });
    }
    out
}

#[derive(Default)]
struct Walker {
    /// Pointers to record.
    wanted: HashSet<String>,
    /// Where each recorded pointer starts; the first sighting (a member's key) wins.
    found: HashMap<String, Location>,
    /// One frame per open collection: for a mapping, whether the next scalar is a key and the
    /// key just read; for a sequence, the next index.
    stack: Vec<Frame>,
}

enum Frame {
    Mapping { expect_key: bool, key: String },
    Sequence { next: usize },
}

impl Walker {
    fn current_pointer(&self) -> String {
        let mut out = String::new();
        for frame in &self.stack {
            match frame {
                Frame::Mapping {
                    key,
                    expect_key: false,
                } => {
                    out.push('/');
                    out.push_str(&escape_token(key));
                }
                Frame::Sequence { next } if *next > 0 => {
                    out.push('/');
                    out.push_str(&(next - 1).to_string());
                }
                _ => break,
            }
        }
        out
    }

    /// Called when a node starts at `mark`; records it when its pointer is wanted.
    fn value_at(&mut self, mark: Marker) {
        let here = self.current_pointer();
        if !here.is_empty() && self.wanted.contains(&here) && !self.found.contains_key(&here) {
            self.found.insert(
                here,
                Location {
                    line: mark.line(),
                    column: mark.col() + 1,
                },
            );
        }
    }

    /// Advances the parent collection before a node starts; returns true when the node is a value.
    /// A mapping goes back to expecting a key only once its value is complete ([`Self::done`]).
    fn enter_node(&mut self, key: Option<&str>) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Mapping { expect_key, key: k }) if *expect_key => {
                *expect_key = false;
                *k = key.unwrap_or_default().to_owned();
                false
            }
            Some(Frame::Mapping { .. }) => true,
            Some(Frame::Sequence { next }) => {
                *next += 1;
                true
            }
            None => true,
        }
    }
}

impl Walker {
    /// A value is complete: its parent mapping now expects a key.
    fn done(&mut self) {
        if let Some(Frame::Mapping { expect_key, .. }) = self.stack.last_mut() {
            *expect_key = true;
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                // A key is recorded too: the line of a key is where an editor shows its value's
                // error, and a value met later at the same depth does not replace it.
                let is_value = self.enter_node(Some(&value));
                self.value_at(mark);
                if is_value {
                    self.done();
                }
            }
            Event::Alias(_) if self.enter_node(None) => {
                self.value_at(mark);
                self.done();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.enter_node(None) {
                    self.value_at(mark);
                }
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Mapping {
                        expect_key: true,
                        key: String::new(),
                    }
                } else {
                    Frame::Sequence { next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      responses: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        tags:\n          - x\n          - y\n";

    #[test]
    fn finds_nested_keys_and_items() {
        let at = |p| locate(SRC, p).map(|l| (l.line, l.column));
        // A property is located at its key, an array item at the item.
        assert_eq!(at("/openapi"), Some((1, 1)));
        assert_eq!(at("/paths/~1a~1{b}/get"), Some((4, 5)));
        assert_eq!(at("/components/schemas/Pet/type"), Some((9, 7)));
        assert_eq!(
            at("/components/schemas/Pet/properties/tags/1"),
            Some((13, 13))
        );
        // A pointer below an existing node falls back to the deepest node that exists.
        assert_eq!(at("/components/schemas/Pet/missing/deeper"), Some((8, 5)));
        assert_eq!(at("/nothing"), None);
    }

    #[test]
    fn the_json_scanner_agrees_with_the_yaml_parser() {
        let src = "{\n  \"a\": {\"b~c/d\": [1, {\"e\": \"x,]}\\\"\"}, [2, 3]],\n  \"f\": null},\n  \"g\": true\n}\n";
        let pointers = [
            "/a",
            "/a/b~0c~1d",
            "/a/b~0c~1d/1/e",
            "/a/b~0c~1d/2/1",
            "/a/f",
            "/g",
            "/a/missing/x",
            "/zz",
        ];
        let wanted: HashSet<String> = pointers
            .iter()
            .flat_map(|p| {
                let cuts = p
                    .char_indices()
                    .filter(|(_, c)| *c == '/')
                    .map(|(i, _)| p[..i].to_owned());
                cuts.chain([p.to_string()]).collect::<Vec<_>>()
            })
            .filter(|p| !p.is_empty())
            .collect();
        let fast = json_starts(src, &wanted);
        let slow = yaml_starts(src, wanted.clone());
        assert_eq!(fast, slow);
        assert_eq!(
            fast["/a/b~0c~1d/2/1"],
            Location {
                line: 2,
                column: 43
            }
        );
        let all = locate_all(src, &pointers);
        assert_eq!(
            all[6],
            Some(fast["/a"]),
            "a missing child falls back to its parent"
        );
        assert_eq!(all[7], None);
    }

    #[test]
    fn works_on_json() {
        let src = "{\n  \"a\": {\n    \"b\": [1, {\"c\": true}]\n  }\n}\n";
        let loc = locate(src, "/a/b/1/c").unwrap();
        assert_eq!((loc.line, loc.column), (3, 15));
    }
}
