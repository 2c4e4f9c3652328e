//! Spec text to rustdoc: the one place that decides how a description, summary or title
//! becomes documentation, and how a doc comment is written.
//!
//! Spec text is untrusted: rustdoc compiles and runs every code block it takes for Rust
//! (`cargo test --doc`), renders raw HTML, and warns about brackets it cannot resolve as links
//! and about bare URLs. [`prose`] reads the text with pulldown-cmark, the CommonMark parser
//! rustdoc uses, with rustdoc's options, and edits the source where the parser says a
//! construct stands, so that what it keeps reads as the author wrote it:
//!
//! - every fenced code block is marked `text` (its info string, `rust`, `no_run` or none, is
//!   replaced), every indented code block becomes a fenced `text` block in its container;
//! - raw HTML, blocks and inline tags, is escaped (`\<script>`): shown as text, never markup;
//! - brackets in text are escaped (`\[0\]`), links whose destination rustdoc would resolve as
//!   a Rust path are left as text, bare URLs become autolinks (`<https://…>`);
//! - line ends are `\n`, and characters a Rust comment may not hold (a lone carriage return,
//!   the bidirectional controls rustc denies, other controls) are replaced.
//!
//! An edit can change what the text around it is (escaping an HTML block's first tag turns the
//! block into a paragraph), so the text is parsed again until nothing is left to edit; text that
//! does not settle becomes one `text` block. [`comment`] writes doc comments: it runs the part of
//! the same rendering that keeps code from running and markup from rendering over the whole
//! text, the generator's own words included, and splits it into `#[doc]` lines.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Spec text (a description, a summary) as rustdoc markdown that builds without warnings and
/// never runs: see the module's docs.
pub fn prose(text: &str) -> String {
    render(text, Trust::Spec)
}

/// [`prose`] of an optional text.
pub fn prose_of(text: &Option<String>) -> Option<String> {
    text.as_deref().map(prose)
}

/// Spec text as a part of a sentence: [`prose`] of the text on one line.
pub fn inline(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    prose(&words.join(" "))
}

/// A list item of docs: [`labelled`] `label` and `text` ([`prose`]), its blocks after the first
/// line indented into the item.
pub fn list_item(label: &str, text: &str) -> String {
    let item = labelled(label, text);
    let mut lines = item.lines();
    let mut out = format!("- {}", lines.next().unwrap_or_default());
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out
}

/// `label: text` when `text` ([`prose`]) is one paragraph, else `label:` with the text's
/// blocks after it.
pub fn labelled(label: &str, text: &str) -> String {
    let text = text.trim();
    let one_paragraph = match leading_paragraph(text) {
        Some(p) => text[p.end..].trim().is_empty(),
        None => text.is_empty(),
    };
    if one_paragraph {
        format!("{label}: {text}")
    } else {
        format!("{label}:\n\n{text}")
    }
}

/// Where the paragraph that `text` starts with is, if it starts with one.
fn leading_paragraph(text: &str) -> Option<Range<usize>> {
    let (first, range) = Parser::new_ext(text, options()).into_offset_iter().next()?;
    matches!(first, Event::Start(Tag::Paragraph)).then_some(range)
}

/// `text` (a name, a path, a media type from the spec) as an inline code span, whatever
/// backticks or line ends it holds.
pub fn code(text: &str) -> String {
    let text = normalise(text).replace('\n', " ");
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// The lines of a doc comment of `text` (markdown the generator composed, spec text in it
/// already [`prose`]), each with the leading space that makes prettyplease print `/// line`;
/// code blocks cannot run and HTML cannot render, whatever the composition made.
pub fn comment(text: &str) -> Vec<String> {
    let text = wrap::wrap(&render(text, Trust::Ours));
    let text = text.trim_end().trim_start_matches('\n');
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.lines()
        .map(|l| match l.trim_end() {
            "" => String::new(),
            l => format!(" {l}"),
        })
        .collect()
}

/// What a rendering may leave as the text has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// Spec text: everything is checked.
    Spec,
    /// The generator's composition: its links are meant, its brackets are links; only code
    /// blocks and HTML are checked.
    Ours,
}

/// How many times a text is parsed again before it is given up as one `text` block.
const PASSES: usize = 16;

fn render(text: &str, trust: Trust) -> String {
    let mut text = normalise(text);
    for _ in 0..PASSES {
        let edits = edits(&text, trust);
        if edits.is_empty() {
            return text;
        }
        text = apply(&text, edits);
    }
    as_text_block(&text)
}

/// The options rustdoc parses docs with, so that this module sees the structure rustdoc sees.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A range of the source and what replaces it.
type Edit = (Range<usize>, String);

fn edits(text: &str, trust: Trust) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut code: Option<Code> = None;
    let mut links = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                code = Some(Code::new(&kind, range.start));
                if let CodeBlockKind::Fenced(info) = kind
                    && info.trim() != "text"
                {
                    edits.extend(fence_info(text, range.start));
                }
            }
            Event::Text(t) if code.is_some() => {
                if let Some(code) = &mut code {
                    code.content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = code.take() {
                    edits.extend(block.finish(text, range.end));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => edits.extend(escape_html(text, range)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if trust == Trust::Spec && resolves_as_path(link_type, &dest_url) {
                    edits.push((range.start..range.start + 1, "\\[".to_owned()));
                }
                links += 1;
            }
            Event::Start(Tag::Image { .. }) => links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => links = links.saturating_sub(1),
            Event::Text(_) if trust == Trust::Spec && links == 0 => match runs.last_mut() {
                Some(run) if run.end == range.start => run.end = range.end,
                _ => runs.push(range),
            },
            _ => {}
        }
    }
    edits.extend(runs.into_iter().filter_map(|run| escape_text(text, run)));
    edits
}

/// A code block being read: where it starts, whether it is indented, and its content.
struct Code {
    start: usize,
    indented: bool,
    content: String,
}

impl Code {
    fn new(kind: &CodeBlockKind, start: usize) -> Code {
        let indented = matches!(kind, CodeBlockKind::Indented);
        let content = String::new();
        Code {
            start,
            indented,
            content,
        }
    }

    /// The edit the block ending at `end` needs beside its info string: an indented block
    /// becomes a fenced one, a fenced one left open is closed, so that it cannot take in what
    /// is composed after it.
    fn finish(self, text: &str, end: usize) -> Option<Edit> {
        if self.indented {
            self.fenced(text, end)
        } else {
            self.closed(text, end)
        }
    }

    /// An indented block ending at `end` as a fenced `text` block in the same container: the
    /// opening fence where the block's first line starts (after a list marker or `>` there),
    /// each line after the container's continuation.
    fn fenced(self, text: &str, end: usize) -> Option<Edit> {
        let line_start = text[..self.start].rfind('\n').map_or(0, |i| i + 1);
        let opening = text[line_start..self.start].strip_suffix("    ")?;
        let continuation = continuation(opening);
        let fence = "`".repeat(longest_run(&self.content, '`').max(2) + 1);
        let mut out = format!("{opening}{fence}text\n");
        for line in self.content.lines() {
            out.push_str(&format!("{continuation}{line}\n"));
        }
        out.push_str(&continuation);
        out.push_str(&fence);
        if text[..end].ends_with('\n') {
            out.push('\n');
        }
        Some((line_start..end, out))
    }

    /// A closing fence for a fenced block ending at `end` that the text leaves open, in the
    /// block's container; `None` when the block is closed.
    fn closed(self, text: &str, end: usize) -> Option<Edit> {
        let line_start = text[..self.start].rfind('\n').map_or(0, |i| i + 1);
        let from = &text[self.start..];
        let indent = self.start + from.len() - from.trim_start_matches(' ').len();
        let fence = &text[indent..];
        let marker = fence.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let run = fence.len() - fence.trim_start_matches(marker).len();
        let block = &text[self.start..end];
        let last = block
            .trim_end_matches('\n')
            .rsplit('\n')
            .next()
            .unwrap_or_default();
        let last = last.trim_start_matches([' ', '>']).trim_end();
        let closes = last.len() >= run && last.chars().all(|c| c == marker);
        if block.trim_end_matches('\n').contains('\n') && closes {
            return None;
        }
        // After the block's last line, before the blank lines that end its container.
        let at = self.start + block.trim_end_matches('\n').len();
        let continuation = continuation(&text[line_start..indent]);
        let fence = marker.to_string().repeat(run);
        Some((at..at, format!("\n{continuation}{fence}")))
    }
}

/// The prefix that continues the container a line's `prefix` opens: `>` kept, list markers and
/// the rest as spaces.
fn continuation(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

/// The info string of the fence that opens at `start` (after up to three spaces), to be
/// replaced by `text`.
fn fence_info(text: &str, start: usize) -> Option<Edit> {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..line_end];
    let fence = line.trim_start_matches(' ');
    let marker = fence.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = fence.len() - fence.trim_start_matches(marker).len();
    let info_start = start + (line.len() - fence.len()) + run;
    Some((info_start..line_end, "text".to_owned()))
}

/// Raw HTML at `range` with each `<` escaped, so that it shows as text.
fn escape_html(text: &str, range: Range<usize>) -> Option<Edit> {
    let source = &text[range.clone()];
    let mut out = String::with_capacity(source.len() + 4);
    for (i, c) in source.char_indices() {
        if c == '<' && !escaped(text, range.start + i) {
            out.push('\\');
        }
        out.push(c);
    }
    (out != source).then_some((range, out))
}

/// Whether rustdoc would read a link to `dest` as an intra-doc link to a Rust path, which it
/// warns about when nothing of that name is in scope (`[the list](Pets)`). rustdoc leaves
/// destinations with a `/`, and those with characters no path has, to the browser.
fn resolves_as_path(link_type: LinkType, dest: &str) -> bool {
    if matches!(link_type, LinkType::Autolink | LinkType::Email) || dest.contains('/') {
        return false;
    }
    let path = dest.replace('`', "");
    let path = path.split('#').next().unwrap_or_default();
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || ":_<>, !*&;@()".contains(c))
}

/// A run of text outside code and links with its brackets escaped and its bare URLs made
/// autolinks.
fn escape_text(text: &str, run: Range<usize>) -> Option<Edit> {
    let source = &text[run.clone()];
    let mut out = String::with_capacity(source.len() + 8);
    let mut i = 0;
    while i < source.len() {
        if let Some(len) = bare_url(source, i) {
            out.push('<');
            out.push_str(&source[i..i + len]);
            out.push('>');
            i += len;
            continue;
        }
        let c = source[i..].chars().next().unwrap_or_default();
        if matches!(c, '[' | ']') && !escaped(text, run.start + i) {
            out.push('\\');
        }
        out.push(c);
        i += c.len_utf8();
    }
    (out != source).then_some((run, out))
}

/// The length of the `http(s)://` URL that starts at `at` in `text`, if one does: up to a
/// space or a character an autolink cannot hold, without the punctuation that ends a sentence
/// or a closing parenthesis it does not open.
fn bare_url(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        rest.get(..s.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(s))
    })?;
    let starts_word = text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let len = rest
        .find(|c: char| c.is_whitespace() || c.is_control() || "<>\"`\\".contains(c))
        .unwrap_or(rest.len());
    let mut url = &rest[..len];
    loop {
        let trimmed =
            url.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '*', '_', '~', ']']);
        let unopened =
            trimmed.ends_with(')') && trimmed.matches(')').count() > trimmed.matches('(').count();
        let trimmed = if unopened {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    (starts_word && url.len() > scheme.len()).then_some(url.len())
}

/// Whether the character at byte `at` of `text` follows an odd number of backslashes.
fn escaped(text: &str, at: usize) -> bool {
    let before = &text[..at];
    (before.len() - before.trim_end_matches('\\').len()) % 2 == 1
}

/// `edits` applied to `text`, in order; one that overlaps an earlier one waits for the next
/// pass.
fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (range, with) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The whole of `text` as one fenced `text` block, for text that does not settle.
fn as_text_block(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

/// The length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// `text` with `\n` line ends, tabs in the indentation of its lines expanded (so that an
/// indented block's indentation is spaces), and the characters a Rust comment may not hold, or
/// that would show what they do rather than what they are, replaced: a carriage return alone
/// ends a line, the bidirectional controls rustc denies in comments and other controls become
/// U+FFFD.
fn normalise(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        for c in line[..indent].chars() {
            match c {
                '\t' => out.extend(std::iter::repeat_n(' ', 4 - out_column(&out) % 4)),
                c => out.push(c),
            }
        }
        for c in line[indent..].chars() {
            match c {
                '\t' => out.push(c),
                c if c.is_control() || is_bidi_control(c) => out.push('\u{FFFD}'),
                c => out.push(c),
            }
        }
    }
    out
}

/// The column the end of `text` is at on its last line.
fn out_column(text: &str) -> usize {
    text.len() - text.rfind('\n').map_or(0, |i| i + 1)
}

/// The characters that change the direction of text, which rustc denies in comments
/// (`text_direction_codepoint_in_comment`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub(crate) mod wrap;

#[cfg(test)]
mod tests;
