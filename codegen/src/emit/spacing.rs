//! Blank lines where a person would put them: prettyplease prints items one after another, so
//! generated files get a blank line between items, between fields or variants that carry docs,
//! and after the crate's inner docs and attributes. Lines inside string literals and block
//! comments are never touched, so the text means what it meant.

/// `text` (a formatted Rust file) with a blank line before each item that follows another at
/// the same depth.
pub fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let literal = starts_in_literal(&lines);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        let spaced =
            i > 0 && !literal[i] && !literal[i - 1] && wants_blank(opener(&lines, i - 1), line);
        if spaced {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// The line that opened the one at `i` when that closes an attribute over several lines
/// (`)]`), else the line itself: what follows an inner attribute is spaced as after one line.
fn opener<'a>(lines: &[&'a str], i: usize) -> &'a str {
    let line = lines[i];
    if line.trim() != ")]" {
        return line;
    }
    let open = lines[..i]
        .iter()
        .rev()
        .find(|l| indent(l) == indent(line) && !l.trim().is_empty());
    match open {
        Some(open) if open.trim_start().starts_with("#![") => open,
        _ => line,
    }
}

/// Whether a blank line goes between `previous` and `line`, two code lines.
fn wants_blank(previous: &str, line: &str) -> bool {
    let (before, now) = (previous.trim_end(), line.trim_end());
    if before.is_empty() || now.is_empty() || indent(before) != indent(now) {
        return false;
    }
    let (before, now) = (before.trim_start(), now.trim_start());
    let inner = |l: &str| l.starts_with("//!") || l.starts_with("#![");
    if inner(before) {
        return !inner(now);
    }
    if before.starts_with("//") || before.starts_with("#[") {
        return false;
    }
    if is_use(before) {
        return !is_use(now) && starts_item(now);
    }
    let closed = before.starts_with('}') && !before.ends_with('{');
    let ended = before.ends_with(';') || before.ends_with(',') || closed;
    let described = now.starts_with("///");
    let attributed = now.starts_with("#[") && (before.ends_with(';') || closed);
    let block = before.ends_with(';') && starts_block_item(now);
    ended && (described || attributed || block || (closed && starts_item(now)))
}

/// Whether `line` begins an item with a body (not a one-line `const`, `type` or `use`, which
/// stay together).
fn starts_block_item(line: &str) -> bool {
    let line = line.strip_prefix("pub ").unwrap_or(line);
    [
        "impl",
        "fn ",
        "struct ",
        "enum ",
        "mod ",
        "trait ",
        "macro_rules!",
    ]
    .iter()
    .any(|k| line.starts_with(k))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_use(line: &str) -> bool {
    line.starts_with("use ") || line.starts_with("pub use ") || line.starts_with("pub(crate) use ")
}

/// Whether `line` begins an item (not a statement or an expression).
fn starts_item(line: &str) -> bool {
    let line = line
        .strip_prefix("pub(crate) ")
        .or_else(|| line.strip_prefix("pub(super) "))
        .or_else(|| line.strip_prefix("pub "))
        .unwrap_or(line);
    const KEYWORDS: [&str; 14] = [
        "fn ",
        "async fn ",
        "const ",
        "static ",
        "struct ",
        "enum ",
        "union ",
        "type ",
        "trait ",
        "impl",
        "unsafe impl",
        "mod ",
        "use ",
        "macro_rules!",
    ];
    line.starts_with("///")
        || line.starts_with("#[")
        || KEYWORDS.iter().any(|k| line.starts_with(k))
}

/// For each line, whether it begins inside a string literal or a block comment.
fn starts_in_literal(lines: &[&str]) -> Vec<bool> {
    let mut state = State::Code;
    lines
        .iter()
        .map(|line| {
            let inside = state != State::Code;
            state = scan(line.as_bytes(), state);
            inside
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    /// In a string with escapes.
    Text,
    /// In a raw string closed by a quote and this many `#`.
    Raw(usize),
    /// In block comments this deep.
    Comment(usize),
}

/// The state after `line`, which begins in `state`.
fn scan(line: &[u8], mut state: State) -> State {
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        (state, i) = match state {
            State::Text => match rest[0] {
                b'\\' => (state, i + 2),
                b'"' => (State::Code, i + 1),
                _ => (state, i + 1),
            },
            State::Raw(hashes) => match raw_end(rest, hashes) {
                Some(n) => (State::Code, i + n),
                None => (state, i + 1),
            },
            State::Comment(depth) if rest.starts_with(b"*/") => (
                if depth == 1 {
                    State::Code
                } else {
                    State::Comment(depth - 1)
                },
                i + 2,
            ),
            State::Comment(depth) if rest.starts_with(b"/*") => (State::Comment(depth + 1), i + 2),
            State::Comment(_) => (state, i + 1),
            State::Code => code(line, i),
        };
    }
    state
}

/// The state after the token at `i` of a code line, and where the next one starts.
fn code(line: &[u8], i: usize) -> (State, usize) {
    let rest = &line[i..];
    let word_before = i > 0 && (line[i - 1].is_ascii_alphanumeric() || line[i - 1] == b'_');
    match rest[0] {
        b'/' if rest.starts_with(b"//") => (State::Code, line.len()),
        b'/' if rest.starts_with(b"/*") => (State::Comment(1), i + 2),
        b'"' => (State::Text, i + 1),
        b'r' | b'b' if !word_before => match raw_start(rest) {
            Some((hashes, n)) => (State::Raw(hashes), i + n),
            None => (State::Code, i + 1),
        },
        b'\'' => (State::Code, i + char_literal(rest)),
        _ => (State::Code, i + 1),
    }
}

/// `(hashes, length)` of the opening of a raw string (`r"`, `r#"`, `br##"`) at the start of
/// `rest`.
fn raw_start(rest: &[u8]) -> Option<(usize, usize)> {
    let after_b = usize::from(rest.first() == Some(&b'b'));
    if rest.get(after_b) != Some(&b'r') {
        return None;
    }
    let hashes = rest[after_b + 1..]
        .iter()
        .take_while(|&&b| b == b'#')
        .count();
    let quote = after_b + 1 + hashes;
    (rest.get(quote) == Some(&b'"')).then_some((hashes, quote + 1))
}

/// The length of a raw string's closing (a quote and `hashes` `#`) at the start of `rest`.
fn raw_end(rest: &[u8], hashes: usize) -> Option<usize> {
    let closes = rest.first() == Some(&b'"')
        && rest.len() > hashes
        && rest[1..=hashes].iter().all(|&b| b == b'#');
    closes.then_some(1 + hashes)
}

/// The length of a char literal at the start of `rest` (`'a'`, `'\n'`, `'"'`), or 1 for the
/// quote of a lifetime.
fn char_literal(rest: &[u8]) -> usize {
    if rest.get(1) == Some(&b'\\') {
        let close = rest[2..].iter().skip(1).position(|&b| b == b'\'');
        return close.map_or(1, |n| n + 4);
    }
    let width = rest.get(1).map_or(1, |&b| utf8_width(b));
    if rest.get(1 + width) == Some(&b'\'') {
        width + 2
    } else {
        1
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn items_fields_with_docs_and_the_crate_head_are_spaced() {
        let text = "//! Docs.\n#![allow(\n    x\n)]\nuse a;\nuse b;\n/// A,\n/// a.\npub struct A {\n    /// One.\n    pub one: u8,\n    /// Two.\n    pub two: u8,\n    #[serde(default)]\n    pub three: u8,\n}\nimpl A {\n    fn f() {\n        if x {\n        }\n        let y = 1;\n    }\n    fn g() {}\n}\npub const X: u8 = 1;\npub const Y: u8 = 2;\n/// Z.\npub const Z: u8 = 3;\nstruct B(u8);\nimpl B {}\n";
        let want = "//! Docs.\n#![allow(\n    x\n)]\n\nuse a;\nuse b;\n\n/// A,\n/// a.\npub struct A {\n    /// One.\n    pub one: u8,\n\n    /// Two.\n    pub two: u8,\n    #[serde(default)]\n    pub three: u8,\n}\n\nimpl A {\n    fn f() {\n        if x {\n        }\n        let y = 1;\n    }\n\n    fn g() {}\n}\n\npub const X: u8 = 1;\npub const Y: u8 = 2;\n\n/// Z.\npub const Z: u8 = 3;\n\nstruct B(u8);\n\nimpl B {}\n";
        assert_eq!(space_items(text), want);
    }

    #[test]
    fn string_literals_and_comments_are_left_as_they_are() {
        for (text, literal) in [
            (
                "const A: &str = r#\"{\n}\n/// no doc\n\"#;\n",
                "r#\"{\n}\n/// no doc\n\"#",
            ),
            (
                "const A: &str = \"a \\\" {\n}\n#[x]\n\";\n",
                "\"a \\\" {\n}\n#[x]\n\"",
            ),
            (
                "/* {\n}\nfn g() {} */\nfn f() {}\n",
                "/* {\n}\nfn g() {} */",
            ),
            (
                "fn f<'a>() {\n    let c = '\"';\n}\nconst B: &[u8] = br\"\n}\nfn\";\n",
                "br\"\n}\nfn\"",
            ),
        ] {
            let spaced = space_items(text);
            assert!(spaced.contains(literal), "{spaced}");
            assert_eq!(spaced.replace("\n\n", "\n"), text);
        }
    }
}
