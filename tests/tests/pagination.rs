//! Which lists page, and how, decided from the spec alone (`tests/fixtures/pagination.yaml`,
//! one operation per style and per extension): each decision is a `pagination` line of the
//! client's `public-api.txt`, and an operation that takes a paging parameter but does not
//! page says why.

use std::path::Path;

fn generated(fixture: &str) -> (codegen::ir::Api, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    let config = codegen::Config::new();
    let api = config
        .load(&path, &format!("tests/fixtures/{fixture}"))
        .unwrap();
    let files = config.emit(&api).unwrap();
    let surface = Path::new(&api.crates.client).join("public-api.txt");
    let surface = files[&surface].clone();
    (api, surface)
}

fn pagination_lines(surface: &str) -> Vec<&str> {
    surface
        .lines()
        .filter(|l| l.starts_with("pagination "))
        .collect()
}

#[test]
fn each_style_is_detected_from_what_the_answer_carries() {
    let (_, surface) = generated("pagination.yaml");
    let lines = pagination_lines(&surface);
    for expected in [
        r#"pagination list_repos: Repo = "link-header; url <- header Link rel=next; items body""#,
        r#"pagination list_customers: Customer = "last-item; starting_after <- last item.id; items body.data; while body.has_more""#,
        r#"pagination list_books: Book = "cursor; pageToken <- body.nextPageToken; items body.books""#,
        r#"pagination list_animals: Book = "next-url; url <- body.next; items body.results""#,
        r#"pagination list_events: String = "offset; offset <- offset + items up to body.meta.total; items body.items""#,
        r#"pagination list_orders: String = "page; page <- page + 1 up to body.total_pages; items body.orders""#,
        r#"pagination list_groups: String = "cursor; after <- body.next; items body.data; while body.has_more""#,
    ] {
        assert!(
            lines.contains(&expected),
            "{expected}\nnot in:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn extensions_decide_where_present() {
    let (_, surface) = generated("pagination.yaml");
    let lines = pagination_lines(&surface);
    for expected in [
        r#"pagination list_vaults: String = "next-url; url <- body.nextLink; items body.value; by x-ms-pageable""#,
        r#"pagination list_files: Customer = "last-item; after <- last item.id; items body.files; by x-speakeasy-pagination""#,
        r#"pagination list_projects: String = "cursor; starting_at <- body.meta.next; items body.projects; by x-fern-pagination""#,
        r#"pagination list_instances: String = "cursor; page_token <- body.next_page; items body.items; by x-dropshot-pagination""#,
        // Ours corrects what detection would miss: two arrays, and a next value it does not know.
        r#"pagination list_alerts: String = "cursor; from <- body.paging.continue_from; items body.alerts; by x-codegen-pagination""#,
    ] {
        assert!(
            lines.contains(&expected),
            "{expected}\nnot in:\n{}",
            lines.join("\n")
        );
    }
    // `x-codegen-pagination: false` turns off what detection finds.
    assert!(!surface.contains("pagination list_logs"), "{surface}");
}

/// A parameter's name alone does not make a list page, and the report says why.
#[test]
fn a_limit_alone_is_not_paging_and_says_so() {
    let (api, surface) = generated("pagination.yaml");
    assert!(!surface.contains("pagination list_tags"), "{surface}");
    assert_eq!(
        api.unpaged,
        [(
            "listTags".to_owned(),
            "it takes `limit`, but its answer carries nothing that continues the list".to_owned()
        )]
    );
    let summary = codegen::lower::pages::summary(&api).unwrap();
    assert!(
        summary.starts_with(
            "pagination: 12 of 14 operations page (cursor 5, last-item 2, link-header 1, next-url 2, offset 1, page 1)"
        ),
        "{summary}"
    );
}

/// An extension that names what the operation does not have is a warning at its pointer, and
/// detection decides instead.
#[test]
fn a_broken_extension_is_a_located_warning() {
    let spec = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a:
    get:
      operationId: listA
      x-codegen-pagination: { style: sideways }
      parameters:
        - { name: cursor, in: query, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: { type: array, items: { type: string } }
                  next_cursor: { type: string }
"#;
    let dir = std::env::temp_dir().join(format!("pagination-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.yaml");
    std::fs::write(&path, spec).unwrap();
    let api = codegen::Config::new().load(&path, "broken.yaml").unwrap();
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("broken.yaml:8:"), "{}", warnings[0]);
    assert!(
        warnings[0].contains("names style `sideways`"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].ends_with("at #/paths/~1a/get/x-codegen-pagination"),
        "{}",
        warnings[0]
    );
    let op = &api.operations[0];
    let paged = op.pagination.as_ref().expect("detected instead");
    assert_eq!(paged.param.as_deref(), Some("cursor"));
    assert_eq!(paged.by, "detected");
    std::fs::remove_dir_all(&dir).unwrap();
}
