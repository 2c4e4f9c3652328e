//! What Express's query-string parser, `qs` (pinned in `tools/package.json`), reads from query
//! strings and form bodies: the tests compare it with the value the client encoded.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Parses each of `texts` (a query string or an `application/x-www-form-urlencoded` body)
/// with `qs`, in one `node` process.
pub fn parse(root: &Path, texts: &[String]) -> Vec<Value> {
    let script = root.join("tools/qs-parse.js");
    assert!(
        root.join("tools/node_modules/qs/package.json").exists(),
        "missing tools/node_modules/qs: run `cargo xtask test` (npm ci --prefix tools)"
    );
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut input = String::new();
    for text in texts {
        assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
        input.push_str(text);
        input.push('\n');
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "qs-parse.js failed");
    let parsed: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(parsed.len(), texts.len());
    parsed
}

/// A JSON value as the bracket convention carries it: every plain value as text, `null` and
/// empty lists and objects left out.
pub fn as_sent(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(Value::String(s.clone())),
        Value::Bool(_) | Value::Number(_) => Some(Value::String(value.to_string())),
        Value::Array(items) => {
            let items: Vec<Value> = items.iter().filter_map(as_sent).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(props) => {
            let props: serde_json::Map<String, Value> = props
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), as_sent(v)?)))
                .collect();
            (!props.is_empty()).then_some(Value::Object(props))
        }
    }
}
