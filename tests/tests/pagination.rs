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

/// The surface's `pagination` lines, without the walks (each names them as
/// `[walks "<op>_pages: <Op>Pages, <op>_items: <Op>Items"]`).
fn pagination_lines(surface: &str) -> Vec<&str> {
    surface
        .lines()
        .filter(|l| l.starts_with("pagination "))
        .map(|l| l.split(" [walks ").next().unwrap())
        .collect()
}

#[test]
fn each_style_is_detected_from_what_the_answer_carries() {
    let (_, surface) = generated("pagination.yaml");
    assert!(
        surface.contains(
            r#"items body" [walks "list_repos_pages: ListReposPages, list_repos_items: ListReposItems"]"#
        ),
        "{surface}"
    );
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

/// A page count in a `page` object is found as in `meta`, a page number's `default` is the
/// first page, and a list of a union says why the last item's id cannot continue it.
#[test]
fn page_holders_first_pages_and_unions_without_an_id_are_read() {
    let (api, surface) = generated("paging_numbers.yaml");
    let lines = pagination_lines(&surface);
    assert_eq!(
        lines,
        [
            r#"pagination list_reports: String = "page; page <- page + 1 up to body.page.total_pages; items body.reports""#
        ]
    );
    assert_eq!(
        api.unpaged,
        [(
            "listFeed".to_owned(),
            "its items are a union (`ListFeedResponse200DataItem`), whose variants are not known to share the `id` that `starting_after` would take from the last item".to_owned()
        )]
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

/// The generated walks against a server on loopback (wiremock): each style walked to its end,
/// one request per page, and the edge cases of a walk.
mod walks {
    use std::time::Duration;

    use futures_util::StreamExt;
    use serde_json::json;
    use tests::fixtures::pagination_client::{
        Client, Error, ItemsAt, ListAnimalsItems, ListAnimalsParams, ListBooksParams,
        ListCustomersParams, ListEventsParams, ListOrdersParams, ListReposParams, PageAt,
        RetryPolicy,
    };
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn client(server: &MockServer) -> Client {
        let retry = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            retry_non_idempotent: false,
        };
        Client::builder()
            .base_url(server.uri())
            .retry(retry)
            .build()
            .unwrap()
    }

    fn ok(body: serde_json::Value) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(body)
    }

    async fn page(
        server: &MockServer,
        at: &str,
        key: &str,
        value: Option<&str>,
        body: ResponseTemplate,
    ) {
        let mock = Mock::given(method("GET")).and(path(at));
        let mock = match value {
            Some(v) => mock.and(query_param(key, v)),
            None => mock.and(query_param_is_missing(key)),
        };
        mock.respond_with(body).expect(1).mount(server).await;
    }

    /// A page of books: one titled `title`, then the token of the next page.
    async fn book_page(server: &MockServer, at: Option<&str>, title: &str, next: &str) {
        let body = json!({"books": [{"title": title}], "nextPageToken": next});
        page(server, "/books", "pageToken", at, ok(body)).await;
    }

    #[tokio::test]
    async fn a_link_header_is_followed_to_the_last_page() {
        let server = MockServer::start().await;
        let uri = server.uri();
        for (at, next) in [(None, Some("2")), (Some("2"), Some("3")), (Some("3"), None)] {
            let n: i64 = at.unwrap_or("1").parse().unwrap();
            let mut answer = ok(json!([{"id": n * 10}, {"id": n * 10 + 1}]));
            if let Some(next) = next {
                let link = format!(
                    "<{uri}/repos?per_page=2&page=1>; rel=\"first\", <{uri}/repos?per_page=2&page={next}>; rel=\"next\""
                );
                answer = answer.insert_header("link", link.as_str());
            }
            page(&server, "/repos", "page", at, answer).await;
        }
        let params = ListReposParams::default().per_page(2);
        let ids: Vec<i64> = client(&server)
            .list_repos_items(&params)
            .map(|r| r.unwrap().id)
            .collect()
            .await;
        assert_eq!(ids, [10, 11, 20, 21, 30, 31]);
    }

    #[tokio::test]
    async fn the_last_items_id_goes_on_while_has_more() {
        let server = MockServer::start().await;
        let pages = [
            (
                None,
                json!({"data": [{"id": "c1"}, {"id": "c2"}], "has_more": true, "url": "/customers"}),
            ),
            (
                Some("c2"),
                json!({"data": [{"id": "c3"}], "has_more": true, "url": "/customers"}),
            ),
            (
                Some("c3"),
                json!({"data": [{"id": "c4"}], "has_more": false, "url": "/customers"}),
            ),
        ];
        for (after, body) in pages {
            page(&server, "/customers", "starting_after", after, ok(body)).await;
        }
        let ids: Vec<String> = client(&server)
            .list_customers_items(&ListCustomersParams::default().limit(2))
            .map(|c| c.unwrap().id)
            .collect()
            .await;
        assert_eq!(ids, ["c1", "c2", "c3", "c4"]);
    }

    /// A saved cursor resumes a walk where it stopped.
    #[tokio::test]
    async fn a_token_walk_ends_without_a_next_token_and_resumes_from_a_saved_one() {
        let server = MockServer::start().await;
        book_page(&server, None, "a", "t2").await;
        book_page(&server, Some("t2"), "b", "").await;
        let client = client(&server);
        let titles: Vec<String> = client
            .list_books_items(&ListBooksParams::default())
            .map(|b| b.unwrap().title.unwrap())
            .collect()
            .await;
        assert_eq!(titles, ["a", "b"]);
        let saved = MockServer::start().await;
        let last = json!({"books": [{"title": "b"}], "nextPageToken": ""});
        page(&saved, "/books", "pageToken", Some("t2"), ok(last)).await;
        let params = ListBooksParams::default().page_token("t2");
        let mut pages = self::client(&saved).list_books_pages(&params);
        let resumed = pages.next().await.unwrap().unwrap();
        assert_eq!(resumed.status(), 200);
        assert_eq!(resumed.body().books.as_ref().unwrap().len(), 1);
        assert!(
            pages.next().await.is_none(),
            "an empty next token ends the walk"
        );
    }

    #[tokio::test]
    async fn a_next_url_is_followed_and_one_on_another_host_is_refused() {
        let server = MockServer::start().await;
        let uri = server.uri();
        page(&server, "/animals", "page", None, ok(json!({"count": 3, "next": format!("{uri}/animals?page=2"), "results": [{"title": "cat"}]}))).await;
        page(&server, "/animals", "page", Some("2"), ok(json!({"count": 3, "next": "https://elsewhere.example/animals?page=3", "results": [{"title": "dog"}]}))).await;
        let items: Vec<_> = client(&server)
            .list_animals_items(&ListAnimalsParams::default())
            .collect()
            .await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().title.as_deref(), Some("cat"));
        assert_eq!(items[1].as_ref().unwrap().title.as_deref(), Some("dog"));
        match &items[2] {
            Err(Error::Walk { reason }) => {
                assert!(
                    reason.contains("not under the client's base URL"),
                    "{reason}"
                );
            }
            other => panic!("not refused: {other:?}"),
        }
    }

    /// Two pages of animals by next URL: cat and cow, then dog; each page asked for `times`.
    async fn animal_pages(server: &MockServer, times: u64) {
        let next = format!("{}/animals?page=2", server.uri());
        let first =
            json!({"count": 3, "next": next, "results": [{"title": "cat"}, {"title": "cow"}]});
        let second = json!({"count": 3, "next": null, "results": [{"title": "dog"}]});
        for (at, body) in [(None, first), (Some("2"), second)] {
            let mock = Mock::given(method("GET")).and(path("/animals"));
            let mock = match at {
                Some(v) => mock.and(query_param("page", v)),
                None => mock.and(query_param_is_missing("page")),
            };
            mock.respond_with(ok(body))
                .expect(times)
                .mount(server)
                .await;
        }
    }

    /// The titles a walk hands over, up to `n` of them.
    async fn titles(walk: &mut ListAnimalsItems, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        while out.len() < n {
            let Some(animal) = walk.next().await else {
                break;
            };
            out.push(animal.unwrap().title.unwrap());
        }
        out
    }

    /// A walk stopped inside a page and one stopped between pages each go on, in a new walk,
    /// with exactly the items not yet taken: the saved point is the page (its next URL) and
    /// how many of its items were taken.
    #[tokio::test]
    async fn a_walk_resumes_item_for_item_from_a_saved_point() {
        let server = MockServer::start().await;
        animal_pages(&server, 2).await;
        let client = client(&server);
        let params = ListAnimalsParams::default();
        let mut walk = client.list_animals_items(&params);
        assert_eq!(titles(&mut walk, 1).await, ["cat"]);
        let inside = walk.resume_point().expect("the walk goes on");
        assert_eq!(
            inside,
            ItemsAt {
                page: PageAt::First,
                taken: 1
            }
        );
        assert_eq!(titles(&mut walk, 1).await, ["cow"]);
        let between = walk.resume_point().expect("the walk goes on");
        let next = format!("{}/animals?page=2", server.uri());
        assert_eq!(
            between,
            ItemsAt {
                page: PageAt::Url(next),
                taken: 0
            }
        );
        drop(walk);
        let mut resumed = client.list_animals_items(&params).starting_at(inside);
        assert_eq!(titles(&mut resumed, 9).await, ["cow", "dog"]);
        assert_eq!(resumed.resume_point(), None, "the list has ended");
        let mut resumed = client.list_animals_items(&params).starting_at(between);
        assert_eq!(titles(&mut resumed, 9).await, ["dog"]);
    }

    /// A tampered cursor cannot send the client's credentials elsewhere: a URL to resume from
    /// on another port, another host or outside the base URL's path ends the walk before a
    /// request is sent.
    #[tokio::test]
    async fn a_resumed_url_off_the_base_url_is_refused_before_anything_is_sent() {
        let server = MockServer::start().await;
        let other = MockServer::start().await;
        let api = Client::builder()
            .base_url(format!("{}/v1", server.uri()))
            .build()
            .unwrap();
        let foreign = [
            format!("{}/v1/animals?page=2", other.uri()),
            "https://elsewhere.example/v1/animals?page=2".to_owned(),
            format!("{}/v2/animals?page=2", server.uri()),
            format!("{}/v1x/animals?page=2", server.uri()),
        ];
        for url in foreign {
            let at = ItemsAt {
                page: PageAt::Url(url.clone()),
                taken: 0,
            };
            let items: Vec<_> = api
                .list_animals_items(&ListAnimalsParams::default())
                .starting_at(at)
                .collect()
                .await;
            match items.as_slice() {
                [Err(Error::Walk { reason })] => {
                    assert!(
                        reason.contains("not under the client's base URL"),
                        "{reason}"
                    );
                }
                other => panic!("{url} not refused: {other:?}"),
            }
        }
        assert!(other.received_requests().await.unwrap().is_empty());
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    /// A list numbered from 0 (the parameter's `default`) starts there: the first request
    /// leaves the page out, the next asks for page 1, and the walk ends at the page count.
    #[tokio::test]
    async fn a_list_numbered_from_zero_is_walked_from_its_default() {
        use tests::fixtures::paging_numbers_client::{Client, ListReportsParams};
        let server = MockServer::start().await;
        for (at, report) in [(None, "a"), (Some("1"), "b"), (Some("2"), "c")] {
            let body = json!({"reports": [report], "page": {"number": 0, "total_pages": 3}});
            page(&server, "/reports", "page", at, ok(body)).await;
        }
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let reports: Vec<String> = client
            .list_reports_items(&ListReportsParams::default())
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(reports, ["a", "b", "c"]);
    }

    #[tokio::test]
    async fn an_offset_moves_on_by_the_items_up_to_the_total() {
        let server = MockServer::start().await;
        let pages = [
            (None, json!(["a", "b"])),
            (Some("2"), json!(["c", "d"])),
            (Some("4"), json!(["e"])),
        ];
        for (offset, items) in pages {
            let body = json!({"items": items, "meta": {"total": 5}});
            page(&server, "/events", "offset", offset, ok(body)).await;
        }
        let events: Vec<String> = client(&server)
            .list_events_items(&ListEventsParams::default().limit(2))
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(events, ["a", "b", "c", "d", "e"]);
    }

    /// An empty first page ends the walk at once; a 429 on a later page is retried like any
    /// call.
    #[tokio::test]
    async fn page_numbers_count_up_to_the_page_count_through_a_retried_429() {
        let server = MockServer::start().await;
        page(
            &server,
            "/orders",
            "page",
            None,
            ok(json!({"orders": ["o1"], "total_pages": 3})),
        )
        .await;
        Mock::given(method("GET"))
            .and(path("/orders"))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(429))
            .up_to_n_times(1)
            .with_priority(1)
            .expect(1)
            .mount(&server)
            .await;
        page(
            &server,
            "/orders",
            "page",
            Some("2"),
            ok(json!({"orders": ["o2"], "total_pages": 3})),
        )
        .await;
        page(
            &server,
            "/orders",
            "page",
            Some("3"),
            ok(json!({"orders": ["o3"], "total_pages": 3})),
        )
        .await;
        let orders: Vec<String> = client(&server)
            .list_orders_items(&ListOrdersParams::default())
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(orders, ["o1", "o2", "o3"]);

        let empty = MockServer::start().await;
        page(
            &empty,
            "/orders",
            "page",
            None,
            ok(json!({"orders": [], "total_pages": 0})),
        )
        .await;
        let none: Vec<_> = client(&empty)
            .list_orders_items(&ListOrdersParams::default())
            .collect()
            .await;
        assert!(none.is_empty(), "{none:?}");
    }

    /// A server that gives the same cursor again is an error, not an endless walk; an error
    /// on a page comes after the items of the pages before it, and ends the walk.
    #[tokio::test]
    async fn a_repeated_cursor_and_a_failed_page_end_the_walk_with_an_error() {
        let server = MockServer::start().await;
        book_page(&server, None, "a", "t2").await;
        book_page(&server, Some("t2"), "b", "t2").await;
        let items: Vec<_> = client(&server)
            .list_books_items(&ListBooksParams::default())
            .collect()
            .await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(
            matches!(&items[2], Err(Error::Walk { reason }) if reason.contains("a second time")),
            "{items:?}"
        );

        let failing = MockServer::start().await;
        let pages = [
            (
                None,
                json!({"data": [{"id": "c1"}], "has_more": true, "url": "/c"}),
            ),
            (
                Some("c1"),
                json!({"data": [{"id": "c2"}], "has_more": true, "url": "/c"}),
            ),
        ];
        for (after, body) in pages {
            page(&failing, "/customers", "starting_after", after, ok(body)).await;
        }
        page(
            &failing,
            "/customers",
            "starting_after",
            Some("c2"),
            ResponseTemplate::new(500).set_body_string("down"),
        )
        .await;
        let items: Vec<_> = client(&failing)
            .list_customers_items(&ListCustomersParams::default())
            .collect()
            .await;
        let ids: Vec<&str> = items
            .iter()
            .filter_map(|i| i.as_ref().ok())
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["c1", "c2"]);
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[2].as_ref().unwrap_err().status().map(|s| s.as_u16()),
            Some(500)
        );
    }
}
