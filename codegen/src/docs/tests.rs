use super::*;

/// Every code block of `doc` is a fenced `text` block and it holds no HTML: what rustdoc
/// would run or render.
fn runs_nothing(doc: &str) -> Result<(), String> {
    for event in Parser::new_ext(doc, options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "text" => {}
            Event::Start(Tag::CodeBlock(kind)) => return Err(format!("a {kind:?} block")),
            Event::Html(h) | Event::InlineHtml(h) => return Err(format!("HTML {h:?}")),
            _ => {}
        }
    }
    Ok(())
}

/// `prose` of each input is the expected text, runs nothing, and is its own `prose`.
fn check(cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        let out = prose(input);
        assert_eq!(&out, expected, "prose of {input:?}");
        runs_nothing(&out).unwrap_or_else(|e| panic!("{input:?} gave {out:?} with {e}"));
        assert_eq!(prose(&out), out, "prose of its own output {out:?}");
    }
}

#[test]
fn fenced_blocks_of_every_kind_are_text() {
    check(&[
        (
            "Run:\n\n```rust\nstd::fs::write(\"x\", \"y\").unwrap();\n```\n",
            "Run:\n\n```text\nstd::fs::write(\"x\", \"y\").unwrap();\n```\n",
        ),
        ("```\nplain()\n```", "```text\nplain()\n```"),
        ("~~~\ntilde()\n~~~", "~~~text\ntilde()\n~~~"),
        ("~~~ rust\ntilde()\n~~~", "~~~text\ntilde()\n~~~"),
        (
            "````\n```\nfour()\n```\n````",
            "````text\n```\nfour()\n```\n````",
        ),
        ("```rust,no_run\nx()\n```", "```text\nx()\n```"),
        ("```should_panic\nx()\n```", "```text\nx()\n```"),
        ("```ignore\nx()\n```", "```text\nx()\n```"),
        ("```{.rust}\nx()\n```", "```text\nx()\n```"),
        ("  ```rust\n  x()\n  ```", "  ```text\n  x()\n  ```"),
        ("```text\nalready()\n```", "```text\nalready()\n```"),
    ]);
}

#[test]
fn fences_inside_lists_and_quotes_and_unclosed_are_text() {
    check(&[
        (
            "- item\n\n  ```rust\n  x()\n  ```\n",
            "- item\n\n  ```text\n  x()\n  ```\n",
        ),
        ("1. ```\n   x()\n   ```", "1. ```text\n   x()\n   ```"),
        ("> ```rust\n> x()\n> ```", "> ```text\n> x()\n> ```"),
        (
            "> - ```rust\n>   x()\n>   ```",
            "> - ```text\n>   x()\n>   ```",
        ),
        (
            "Text\n```rust\nnever_closed()\n",
            "Text\n```text\nnever_closed()\n```\n",
        ),
        ("```rust\nno_newline()", "```text\nno_newline()\n```"),
        ("```", "```text\n```"),
        (
            "- ````rust\n  open()\n\nafter",
            "- ````text\n  open()\n  ````\n\nafter",
        ),
        (
            "> ```rust\n> open()\n\nafter",
            "> ```text\n> open()\n> ```\n\nafter",
        ),
    ]);
}

#[test]
fn indented_blocks_become_fenced_text_in_their_container() {
    check(&[
        (
            "Code:\n\n    x();\n    y();\n",
            "Code:\n\n```text\nx();\ny();\n```\n",
        ),
        ("    x();\n\n    y();", "```text\nx();\n\ny();\n```"),
        ("    a ``` b", "````text\na ``` b\n````"),
        (
            "- item\n\n      x();\n      y();\n",
            "- item\n\n  ```text\n  x();\n  y();\n  ```\n",
        ),
        ("-     x();\n      y();", "- ```text\n  x();\n  y();\n  ```"),
        (
            "> quoted\n>\n>     x();\n",
            "> quoted\n>\n> ```text\n> x();\n> ```\n",
        ),
        ("\tx();\n", "```text\nx();\n```\n"),
        (
            "    if a {\n        b();\n    }",
            "```text\nif a {\n    b();\n}\n```",
        ),
    ]);
}

#[test]
fn raw_html_is_text() {
    check(&[
        (
            "Hi <script>alert(1)</script> there",
            "Hi \\<script>alert(1)\\</script> there",
        ),
        (
            "<iframe src=\"https://evil.example\"></iframe>",
            "\\<iframe src=\"<https://evil.example>\">\\</iframe>",
        ),
        (
            "<div onclick=\"x()\">\nunclosed\n",
            "\\<div onclick=\"x()\">\nunclosed\n",
        ),
        ("a <b>bold</b> word", "a \\<b>bold\\</b> word"),
        ("<!-- hidden -->\nshown", "\\<!-- hidden -->\nshown"),
        (
            "a <img src=x onerror=alert(1)> b",
            "a \\<img src=x onerror=alert(1)> b",
        ),
        // The block's first tag escaped, the fence inside it is a fence, and then text.
        (
            "<div>\n```rust\nx()\n```\n</div>",
            "\\<div>\n```text\nx()\n```\n\\</div>",
        ),
        ("a < b and a<b", "a < b and a<b"),
        (
            "<https://example.com> stays a link",
            "<https://example.com> stays a link",
        ),
    ]);
}

#[test]
fn brackets_are_text_and_links_stay_links() {
    check(&[
        (
            "[x] and [`y`] and [1, 2] and [0]",
            "\\[x\\] and \\[`y`\\] and \\[1, 2\\] and \\[0\\]",
        ),
        ("already \\[x\\] escaped", "already \\[x\\] escaped"),
        (
            "[docs](https://example.com/docs)",
            "[docs](https://example.com/docs)",
        ),
        ("[the list](Pets) here", "\\[the list\\](Pets) here"),
        ("[up](#top)", "[up](#top)"),
        (
            "[ref][r]\n\n[r]: https://example.com",
            "[ref][r]\n\n[r]: https://example.com",
        ),
        ("- [ ] task", "- [ ] task"),
        ("`[in code]`", "`[in code]`"),
        ("a[i] = b[j]", "a\\[i\\] = b\\[j\\]"),
        (
            "[a](https://x.example/a) [b]",
            "[a](https://x.example/a) \\[b\\]",
        ),
    ]);
}

#[test]
fn bare_urls_are_links() {
    check(&[
        ("See https://example.com/a.", "See <https://example.com/a>."),
        (
            "(see https://example.com/a)",
            "(see <https://example.com/a>)",
        ),
        (
            "at http://example.com/a_(b), then",
            "at <http://example.com/a_(b)>, then",
        ),
        ("HTTPS://EXAMPLE.COM", "<HTTPS://EXAMPLE.COM>"),
        (
            "[https://example.com](https://example.com)",
            "[https://example.com](https://example.com)",
        ),
        ("just https:// alone", "just https:// alone"),
        ("`https://example.com`", "`https://example.com`"),
        ("xhttps://example.com", "xhttps://example.com"),
    ]);
}

#[test]
fn line_ends_and_controls_are_what_a_comment_can_hold() {
    check(&[
        ("a\r\nb\rc", "a\nb\nc"),
        ("left \u{202E}right\u{2066}", "left \u{FFFD}right\u{FFFD}"),
        ("bell \u{7}", "bell \u{FFFD}"),
        ("tab\tinside", "tab\tinside"),
    ]);
}

#[test]
fn text_that_does_not_settle_is_one_text_block() {
    assert_eq!(as_text_block("a ``` b"), "````text\na ``` b\n````");
    runs_nothing(&as_text_block("```rust\nx\n```")).unwrap();
}

#[test]
fn inline_is_prose_on_one_line() {
    assert_eq!(
        inline("My\n  <b>API</b> [v2]"),
        "My \\<b>API\\</b> \\[v2\\]"
    );
    assert_eq!(inline("```rust\nx()\n```"), "```rust x() ```");
}

#[test]
fn code_spans_hold_any_text() {
    assert_eq!(code("id"), "`id`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x"), "`` `x ``");
    assert_eq!(code("a\nb"), "`a b`");
    assert_eq!(code(""), "`\"\"`");
    assert_eq!(code("x\u{202E}"), "`x\u{FFFD}`");
}

#[test]
fn comments_keep_our_links_and_neutralise_the_rest() {
    assert_eq!(
        comment("A [`Pet`].\n\nMore."),
        [" A [`Pet`].", "", " More."]
    );
    assert_eq!(
        comment("`name`: ```rust\nx()\n```"),
        [" `name`: ```rust", " x()", " ```text", " ```"]
    );
    assert_eq!(
        comment("\n\nTop\n\n```\nx()\n```\n  \n"),
        [" Top", "", " ```text", " x()", " ```"]
    );
    assert_eq!(comment("<script>x</script>"), [" \\<script>x\\</script>"]);
    assert!(comment("  \n ").is_empty());
}
