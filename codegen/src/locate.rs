//! Finds the line and column of a JSON pointer in a YAML or JSON source.
//!
//! The index is only built when an error needs a location, so the happy path never pays for it.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{Location, escape_token};

/// Returns where the node at `pointer` starts in `source`, or the deepest ancestor that exists.
pub fn locate(source: &str, pointer: &str) -> Option<Location> {
    let mut walker = Walker {
        target: pointer.to_owned(),
        ..Walker::default()
    };
    let mut parser = Parser::new_from_str(source);
    // A source that does not parse still gives the best match found before the failure.
    let _ = parser.load(&mut walker, false);
    walker.best.map(|(_, m)| Location {
        line: m.line(),
        column: m.col() + 1,
    })
}

#[derive(Default)]
struct Walker {
    target: String,
    /// One frame per open collection: for a mapping, whether the next scalar is a key and the
    /// key just read; for a sequence, the next index.
    stack: Vec<Frame>,
    /// The longest prefix of the target reached so far, with where it starts.
    best: Option<(usize, Marker)>,
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

    /// Called when a value starts at `mark`; records it when it is on the target's path.
    fn value_at(&mut self, mark: Marker) {
        let here = self.current_pointer();
        if here.is_empty() {
            return;
        }
        let on_path = self.target == here
            || (self.target.starts_with(&here) && self.target[here.len()..].starts_with('/'));
        if on_path && self.best.as_ref().is_none_or(|(len, _)| here.len() > *len) {
            self.best = Some((here.len(), mark));
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
    fn works_on_json() {
        let src = "{\n  \"a\": {\n    \"b\": [1, {\"c\": true}]\n  }\n}\n";
        let loc = locate(src, "/a/b/1/c").unwrap();
        assert_eq!((loc.line, loc.column), (3, 15));
    }
}
