//! Long lines of docs wrapped at [`WIDTH`], only where a line end is a space to the reader: a
//! paragraph with a long line is filled again, a long line of a list item is broken. Code
//! blocks, tables, headings, HTML and quotes keep their lines, a hard line break stays, and a
//! word that would start a block at the head of a line (`- `, `# `, `> `, `1.`) is never put
//! there.

use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// The longest a line of docs' text may be: with `/// ` and the indentation of an item in an
/// impl of a trait in a module (eight columns), it ends at column 100.
pub const WIDTH: usize = 88;

/// A line of the text: where it is, and its text without the line end.
struct Line<'a> {
    range: Range<usize>,
    body: &'a str,
}

/// `text` with its long lines wrapped (see the module's docs).
pub fn wrap(text: &str) -> String {
    if !text.lines().any(long) {
        return text.to_owned();
    }
    let blocks = Blocks::of(text);
    let mut start = 0;
    let lines: Vec<Line> = text
        .split_inclusive('\n')
        .map(|l| {
            let range = start..start + l.len();
            start = range.end;
            Line {
                range,
                body: l.trim_end_matches('\n'),
            }
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let end = if i + 1 < lines.len() {
            "\n"
        } else {
            &text[lines[i].range.start + lines[i].body.len()..]
        };
        if let Some((n, first)) = blocks.paragraph_at(text, &lines, i) {
            out.push_str(&refill(&lines[i..i + n], first));
            let last = &lines[i + n - 1];
            out.push_str(&text[last.range.start + last.body.len()..last.range.end]);
            i += n;
            continue;
        }
        let line = &lines[i];
        if blocks.in_item(&line.range) && long(line.body) {
            out.push_str(&wrap_line(line.body));
        } else {
            out.push_str(line.body);
        }
        out.push_str(end);
        i += 1;
    }
    out
}

fn long(line: &str) -> bool {
    line.chars().count() > WIDTH
}

/// Where the paragraphs and list items of a text are, and the blocks whose lines are kept as
/// they are (code, tables, headings, HTML, quotes).
struct Blocks {
    paragraphs: Vec<Range<usize>>,
    items: Vec<Range<usize>>,
    kept: Vec<Range<usize>>,
}

fn overlaps(ranges: &[Range<usize>], r: &Range<usize>) -> bool {
    ranges.iter().any(|p| p.start < r.end && r.start < p.end)
}

impl Blocks {
    fn of(text: &str) -> Blocks {
        let mut blocks = Blocks {
            paragraphs: Vec::new(),
            items: Vec::new(),
            kept: Vec::new(),
        };
        for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Paragraph) => blocks.paragraphs.push(range),
                Event::Start(Tag::Item) => blocks.items.push(range),
                Event::Start(
                    Tag::CodeBlock(_)
                    | Tag::Table(_)
                    | Tag::Heading { .. }
                    | Tag::HtmlBlock
                    | Tag::BlockQuote(_),
                ) => blocks.kept.push(range),
                _ => {}
            }
        }
        blocks
    }

    /// A long line of a tight list item (whose text is in no paragraph), outside kept blocks.
    fn in_item(&self, r: &Range<usize>) -> bool {
        overlaps(&self.items, r) && !overlaps(&self.kept, r) && !overlaps(&self.paragraphs, r)
    }

    /// The paragraph that starts on line `i` when it has a long line and can be filled again:
    /// how many lines it has, and where its text starts on the first. A paragraph with a hard
    /// line break, or in a quote, keeps its lines.
    fn paragraph_at(&self, text: &str, lines: &[Line], i: usize) -> Option<(usize, usize)> {
        let line = &lines[i];
        let p = self
            .paragraphs
            .iter()
            .find(|p| line.range.start <= p.start && p.start < line.range.end)?;
        if overlaps(&self.kept, p) {
            return None;
        }
        let n = lines[i..]
            .iter()
            .take_while(|l| l.range.start < p.end)
            .count();
        let own = &lines[i..i + n];
        let hard = own[..n - 1]
            .iter()
            .any(|l| l.body.ends_with("  ") || l.body.ends_with('\\'));
        let first = p.start - line.range.start;
        let plain = text[line.range.start..p.start].trim_start().len() <= 4
            && own[1..]
                .iter()
                .all(|l| !l.body.trim_start().starts_with('>'));
        (own.iter().any(|l| long(l.body)) && !hard && plain).then_some((n, first))
    }
}

/// A paragraph's lines filled again: its words, from where its text starts on the first line,
/// broken into lines of at most [`WIDTH`], each after the first indented as its second line
/// is (or past the first line's list marker).
fn refill(lines: &[Line], first: usize) -> String {
    let head = &lines[0].body[..first];
    let indent = match lines.get(1) {
        Some(l) => " ".repeat(l.body.len() - l.body.trim_start().len()),
        None => " ".repeat(head.chars().count()),
    };
    let joined: Vec<&str> = std::iter::once(lines[0].body[first..].trim())
        .chain(lines[1..].iter().map(|l| l.body.trim()))
        .collect();
    let joined = joined.join(" ");
    fill(head, &indent, &joined.split(' ').collect::<Vec<_>>())
}

/// `words` in lines after `head` on the first and `indent` on the others.
fn fill(head: &str, indent: &str, words: &[&str]) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut current = head.to_owned();
    let mut i = 0;
    while i < words.len() {
        let end = line_end(words, i, current.chars().count());
        current.push_str(&words[i..end].join(" "));
        i = end;
        lines.push(std::mem::replace(&mut current, indent.to_owned()));
    }
    let last = lines.len().saturating_sub(1);
    for l in &mut lines[..last] {
        l.truncate(l.trim_end().len());
    }
    lines.join("\n")
}

/// One line broken into lines of at most [`WIDTH`] characters where its words allow, each
/// after the first indented as the line's text is (past a list item's marker). A line breaks
/// only before a word that may start one; where none fits, it runs on to the first that may.
fn wrap_line(line: &str) -> String {
    let text = line.trim_start_matches(' ');
    let head = &line[..line.len() - text.len()];
    fill(
        head,
        &continuation(line),
        &text.split(' ').collect::<Vec<_>>(),
    )
}

/// Where the line that starts with `words[start]`, after `taken` columns, ends: after the
/// most words that fit before a word that may start a line, or else after the fewest.
fn line_end(words: &[&str], start: usize, taken: usize) -> usize {
    let mut width = taken;
    let mut best = None;
    for (i, word) in words.iter().enumerate().skip(start) {
        width += word.chars().count() + usize::from(i > start);
        let breaks = words.get(i + 1).is_none_or(|next| !starts_block(next));
        if width > WIDTH && best.is_some() {
            break;
        }
        if breaks {
            best = Some(i + 1);
            if width > WIDTH {
                break;
            }
        }
    }
    best.unwrap_or(words.len())
}

/// The indentation of a wrapped line's continuation: its own, and a list marker's width.
fn continuation(line: &str) -> String {
    let text = line.trim_start_matches(' ');
    let own = line.len() - text.len();
    let marker = ["- ", "* ", "+ "]
        .iter()
        .find(|m| text.starts_with(**m))
        .map(|m| m.len())
        .or_else(|| {
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &text[digits..];
            (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
        })
        .unwrap_or(0);
    " ".repeat(own + marker)
}

/// Whether `word` at the head of a line would start a block (a list, a heading, a quote, a
/// table, a fence, a thematic break) instead of going on with the paragraph.
fn starts_block(word: &str) -> bool {
    let first = word.chars().next();
    if matches!(first, Some('-' | '+' | '*' | '#' | '>' | '|' | '=' | '<')) {
        return true;
    }
    if word.starts_with("```") || word.starts_with("~~~") {
        return true;
    }
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&word[digits..], "." | ")")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraph_lines_break_at_spaces_and_nothing_else_does() {
        let words = "word ".repeat(40);
        let text = format!("{words}\n\n```text\n{words}\n```\n\n| a |\n|---|\n| {words} |\n");
        let out = wrap(&text);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].len() <= WIDTH && lines[1].len() <= WIDTH, "{out}");
        assert!(out.contains(&format!("```text\n{words}\n```")), "{out}");
        assert!(out.contains(&format!("| {words} |")), "{out}");
        assert_eq!(
            out.split_whitespace().count(),
            text.split_whitespace().count()
        );
    }

    #[test]
    fn a_paragraph_with_a_long_line_is_filled_again_and_a_hard_break_stays() {
        let long = format!("{} does not", "word ".repeat(17).trim_end());
        let text = format!("{long}\ndocument it, the rest.\n\nnext paragraph\n");
        let out = wrap(&text);
        assert!(out.lines().all(|l| l.len() <= WIDTH), "{out}");
        assert!(
            out.lines().nth(1).unwrap().len() > 10,
            "no orphan word: {out}"
        );
        assert!(out.ends_with("\n\nnext paragraph\n"), "{out}");
        let hard = format!("{long} and more and more  \nafter the break\n");
        assert!(
            wrap(&hard).contains("  \nafter the break"),
            "{}",
            wrap(&hard)
        );
    }

    #[test]
    fn a_word_that_would_start_a_block_is_not_put_at_a_lines_head() {
        let text = format!("{} - 1. # > last", "x".repeat(WIDTH - 3));
        for line in wrap(&text).lines().skip(1) {
            let head = line.trim_start().split(' ').next().unwrap();
            assert!(!starts_block(head), "{line:?}");
        }
    }

    #[test]
    fn a_list_items_continuation_is_indented_past_its_marker() {
        let text = format!("- {}", "item ".repeat(30));
        let out = wrap(&text);
        let second = out.lines().nth(1).unwrap();
        assert!(second.starts_with("  item"), "{out}");
        let url = format!("See <https://example.com/{}>", "a".repeat(120));
        assert_eq!(wrap(&url), url, "a URL is never split");
        let code = format!("{} where it is `null`.", "a ".repeat(WIDTH / 2 - 4));
        assert!(
            wrap(&code).lines().all(|l| l.len() <= WIDTH),
            "{}",
            wrap(&code)
        );
    }
}
