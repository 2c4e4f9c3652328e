//! Which operations page, and how, from the spec alone (issue #18): the extensions that say
//! so (`x-codegen-pagination`, ours; `x-ms-pageable`, `x-speakeasy-pagination`,
//! `x-fern-pagination`, `x-dropshot-pagination`), else what the request and the answer carry.
//!
//! Detection is conservative: a list pages only when its answer carries what continues it (a
//! next cursor or URL, a `has_more` flag with an id to go on from, a documented `Link` header,
//! a page count or a total), never for a parameter's name alone. An operation that takes a
//! parameter lists page by but is not found to page is recorded with why (`Api::unpaged`).

use serde_json::Value;

use super::Lowerer;
use crate::error::{Error, ErrorKind};
use crate::ir::{
    Api, Content, Method, Operation, PageNext, PageStyle, Pagination, PagingGiven, PagingHint,
    ParamLocation, Struct, TypeKind, TypeRef,
};

/// Our extension: `false` turns detection off for the operation, an object corrects it.
pub const OURS: &str = "x-codegen-pagination";

/// Query parameters that lists page by, as many APIs spell them.
const PAGE_PARAMS: &[&str] = &[
    "page",
    "per_page",
    "perpage",
    "pagesize",
    "page_size",
    "limit",
    "offset",
    "skip",
    "cursor",
    "pagetoken",
    "page_token",
    "after",
    "before",
    "starting_after",
    "ending_before",
    "marker",
    "continuation_token",
    "next_token",
    "start",
];

/// Arrays of an answer that hold its items, when it has several.
const ITEM_ARRAYS: &[&str] = &[
    "data", "items", "results", "value", "records", "entries", "elements", "objects",
];

/// Properties that give the next page's URL.
const NEXT_URLS: &[&str] = &[
    "next",
    "next_url",
    "nexturl",
    "nextlink",
    "next_link",
    "@odata.nextlink",
    "odata.nextlink",
    "next_page_url",
    "nextpageurl",
];

/// Objects of an answer that hold what continues it (`meta.next_cursor`).
const HOLDERS: &[&str] = &[
    "meta",
    "page",
    "pagination",
    "paging",
    "page_info",
    "pageinfo",
    "response_metadata",
    "links",
    "_links",
    "cursor",
];

/// Booleans that say more pages follow.
const MORE_FLAGS: &[&str] = &[
    "has_more",
    "hasmore",
    "has_next",
    "hasnext",
    "has_next_page",
];

/// Page counts.
const PAGE_COUNTS: &[&str] = &[
    "total_pages",
    "totalpages",
    "page_count",
    "pagecount",
    "num_pages",
    "numpages",
    "pages",
    "last_page",
    "lastpage",
];

/// Totals of items.
const TOTALS: &[&str] = &[
    "total",
    "total_count",
    "totalcount",
    "total_results",
    "totalresults",
    "total_items",
    "totalitems",
    "count",
];

/// Parameters that take an opaque value the previous page gave (their stems).
const CURSOR_PARAMS: &[&str] = &[
    "after",
    "cursor",
    "startingafter",
    "pagetoken",
    "marker",
    "token",
    "continuationtoken",
    "nexttoken",
    "startcursor",
];

/// Parameters the last item's id goes in.
const AFTER_PARAMS: &[&str] = &["starting_after", "after", "after_id", "since_id"];

/// A name as the lists above write it: lower case.
fn norm(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// A name without `_`, `-` and case, to pair a next property with its parameter.
fn stem(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What reads one pagination extension into a hint, or says what is wrong with it.
type Reader = fn(&Value) -> Result<PagingHint, String>;

/// The pagination extensions, ours first: the first an operation has decides.
const READERS: [(&str, Reader); 5] = [
    (OURS, ours),
    ("x-ms-pageable", ms_pageable),
    ("x-speakeasy-pagination", speakeasy),
    ("x-fern-pagination", fern),
    ("x-dropshot-pagination", |_| Ok(dropshot())),
];

impl Lowerer<'_> {
    /// What the operation's pagination extensions say; a malformed one is a warning and says
    /// nothing.
    pub(crate) fn paging_hint(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &str,
    ) -> Option<PagingHint> {
        let (name, value, read) = READERS
            .iter()
            .find_map(|(name, read)| Some((*name, op.extensions.get(*name)?, read)))?;
        match read(value) {
            Ok(PagingHint::Given(mut given)) => {
                given.by = name.to_owned();
                Some(PagingHint::Given(given))
            }
            Ok(off) => Some(off),
            Err(why) => {
                let at = format!("{ptr}/{}", crate::error::escape_token(name));
                let message = format!("`{name}` {why} (so its pagination is detected instead)");
                self.warnings
                    .push(Error::new(ErrorKind::Unsupported(message), at));
                None
            }
        }
    }
}

/// A dotted path of properties (`meta.next`), or a JSONPath into the body (`$.meta.next`,
/// `$response.meta.next`).
fn path_of(text: &str) -> Vec<String> {
    let text = ["$response.body.", "$response.", "$."]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    text.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// `x-codegen-pagination`: `false`, or `{style, param, next, items, more, total}`.
fn ours(value: &Value) -> Result<PagingHint, String> {
    match value {
        Value::Bool(false) => return Ok(PagingHint::Off),
        Value::Object(_) => {}
        _ => return Err("is neither `false` nor an object".to_owned()),
    }
    let style = match text(value, "style") {
        Some(word) => Some(PageStyle::of_word(&word).ok_or_else(|| {
            format!("names style `{word}`, which is none of cursor, last-item, next-url, link-header, page, offset")
        })?),
        None => None,
    };
    let path = |key: &str| text(value, key).map(|t| path_of(&t));
    Ok(PagingHint::Given(PagingGiven {
        style,
        param: text(value, "param"),
        next: path("next"),
        items: path("items"),
        more: path("more"),
        total: path("total"),
        by: String::new(),
    }))
}

/// Azure's `x-ms-pageable`: `{nextLinkName, itemName}`; a `null` next link is one page.
fn ms_pageable(value: &Value) -> Result<PagingHint, String> {
    let Some(next) = value.get("nextLinkName") else {
        return Err("has no `nextLinkName`".to_owned());
    };
    let Some(next) = next.as_str() else {
        return Ok(PagingHint::Off);
    };
    let items = text(value, "itemName").unwrap_or_else(|| "value".to_owned());
    Ok(PagingHint::Given(PagingGiven {
        style: Some(PageStyle::NextUrl),
        next: Some(vec![next.to_owned()]),
        items: Some(vec![items]),
        ..PagingGiven::default()
    }))
}

/// Speakeasy's `x-speakeasy-pagination`: `{type, inputs: [{name, type}], outputs}`.
fn speakeasy(value: &Value) -> Result<PagingHint, String> {
    let kind = text(value, "type").ok_or("has no `type`")?;
    let inputs = value.get("inputs").and_then(Value::as_array);
    let input = |role: &str| {
        inputs
            .into_iter()
            .flatten()
            .find(|i| i.get("type").and_then(Value::as_str) == Some(role))
            .and_then(|i| text(i, "name"))
    };
    let outputs = value.get("outputs").cloned().unwrap_or(Value::Null);
    let output = |key: &str| text(&outputs, key).map(|t| path_of(&t));
    let mut given = PagingGiven {
        items: output("results"),
        ..PagingGiven::default()
    };
    match kind.as_str() {
        "cursor" => {
            given.param = Some(input("cursor").ok_or("of type cursor has no cursor input")?);
            let next = text(&outputs, "nextCursor").ok_or("has no `outputs.nextCursor`")?;
            // `$.data[-1].id`: the last item's id.
            match next.split_once("[-1].") {
                Some((_, id)) => {
                    given.style = Some(PageStyle::LastItem);
                    given.next = Some(vec![id.to_owned()]);
                }
                None => {
                    given.style = Some(PageStyle::Cursor);
                    given.next = Some(path_of(&next));
                }
            }
        }
        "offsetLimit" => match (input("page"), input("offset")) {
            (Some(page), _) => {
                given.style = Some(PageStyle::Page);
                given.param = Some(page);
                given.total = output("numPages");
            }
            (None, Some(offset)) => {
                given.style = Some(PageStyle::Offset);
                given.param = Some(offset);
            }
            (None, None) => return Err("of type offsetLimit has no page or offset input".into()),
        },
        "url" => {
            given.style = Some(PageStyle::NextUrl);
            given.next = Some(output("nextUrl").ok_or("has no `outputs.nextUrl`")?);
        }
        other => return Err(format!("has type `{other}`, which is not read")),
    }
    Ok(PagingHint::Given(given))
}

/// Fern's `x-fern-pagination`: `{cursor, next_cursor, results}` or `{offset, results, step}`.
fn fern(value: &Value) -> Result<PagingHint, String> {
    let request = |key: &str| {
        text(value, key).map(|t| {
            let t = t.strip_prefix("$request.").unwrap_or(&t).to_owned();
            t.rsplit('.').next().unwrap_or(&t).to_owned()
        })
    };
    let response = |key: &str| text(value, key).map(|t| path_of(&t));
    let mut given = PagingGiven {
        items: response("results"),
        more: response("has_next_page"),
        ..PagingGiven::default()
    };
    if let Some(cursor) = request("cursor") {
        given.style = Some(PageStyle::Cursor);
        given.param = Some(cursor);
        given.next = Some(response("next_cursor").ok_or("has a cursor and no `next_cursor`")?);
    } else if let Some(offset) = request("offset") {
        // Without a `step`, Fern's offset counts pages.
        let style = match value.get("step") {
            Some(_) => PageStyle::Offset,
            None => PageStyle::Page,
        };
        given.style = Some(style);
        given.param = Some(offset);
    } else {
        return Err("has neither `cursor` nor `offset`".to_owned());
    }
    Ok(PagingHint::Given(given))
}

/// Dropshot's `x-dropshot-pagination`: a `page_token` parameter, `next_page` and `items`.
fn dropshot() -> PagingHint {
    PagingHint::Given(PagingGiven {
        style: Some(PageStyle::Cursor),
        param: Some("page_token".to_owned()),
        next: Some(vec!["next_page".to_owned()]),
        items: Some(vec!["items".to_owned()]),
        ..PagingGiven::default()
    })
}

/// How many operations page, by style.
pub fn styles(api: &Api) -> std::collections::BTreeMap<&'static str, usize> {
    let mut styles = std::collections::BTreeMap::new();
    for p in api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref())
    {
        *styles.entry(p.style.word()).or_default() += 1;
    }
    styles
}

/// What `generate` says of an API's lists: how many operations page, by style, and those
/// that take a paging parameter and do not, with why; `None` when there is nothing to say.
pub fn summary(api: &Api) -> Option<String> {
    let styles = styles(api);
    if styles.is_empty() && api.unpaged.is_empty() {
        return None;
    }
    let paged: usize = styles.values().sum();
    let by: Vec<String> = styles.iter().map(|(s, n)| format!("{s} {n}")).collect();
    let mut out = format!(
        "pagination: {paged} of {} operations page",
        api.operations.len()
    );
    if !by.is_empty() {
        out.push_str(&format!(" ({})", by.join(", ")));
    }
    for (id, why) in &api.unpaged {
        out.push_str(&format!("\n  `{id}` does not page: {why}"));
    }
    Some(out)
}

/// Decides the pagination of every operation, recording why each that takes a paging
/// parameter does not page.
pub fn detect(api: &mut Api) {
    let mut unpaged = Vec::new();
    let found: Vec<Result<Option<Pagination>, String>> = api
        .operations
        .iter()
        .map(|op| pagination(api, op))
        .collect();
    for (op, found) in api.operations.iter_mut().zip(found) {
        match found {
            Ok(p) => op.pagination = p,
            Err(why) => unpaged.push((op.id.clone(), why)),
        }
    }
    api.unpaged = unpaged;
}

/// The operation's pagination; `Err` says why one that takes a paging parameter does not page.
fn pagination(api: &Api, op: &Operation) -> Result<Option<Pagination>, String> {
    let pages_by = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .find(|p| PAGE_PARAMS.contains(&norm(&p.wire).as_str()))
        .map(|p| p.wire.clone());
    let given = match &op.paging_hint {
        Some(PagingHint::Off) => return Ok(None),
        Some(PagingHint::Given(given)) => Some(given),
        None => None,
    };
    if given.is_none() && (op.method != Method::Get || pages_by.is_none()) {
        return Ok(None);
    }
    let answer = Answer::of(api, op).ok_or("its answer is not JSON")?;
    let (items, item) = match given.and_then(|g| g.items.clone()) {
        Some(path) => {
            let item = answer.array_at(&path).ok_or_else(|| {
                format!(
                    "`{}` names `{}`, which is not an array of the answer",
                    given.map_or("", |g| &g.by),
                    path.join(".")
                )
            })?;
            (path, item)
        }
        None => answer.items()?,
    };
    if op.body.is_some() {
        return Err("it takes a request body, which a walk would send again".to_owned());
    }
    if op.has_success_enum() {
        return Err(
            "its successful answers differ, so no one body says what continues it".to_owned(),
        );
    }
    let found = match given {
        Some(given) => answer.as_given(given, &items, &item)?,
        None => answer.detected(&items, &item).ok_or_else(|| {
            answer.union_without_id(&item).unwrap_or_else(|| {
                format!(
                    "it takes `{}`, but its answer carries nothing that continues the list",
                    pages_by.unwrap_or_default()
                )
            })
        })?,
    };
    let required = found
        .param
        .as_ref()
        .and_then(|name| op.params.iter().find(|p| p.wire == *name))
        .filter(|p| p.required);
    if let Some(p) = required {
        return Err(format!(
            "its `{}` is required, so the first page has none to leave out",
            p.wire
        ));
    }
    Ok(Some(found))
}

/// What an operation's request and successful answer hold.
struct Answer<'a> {
    api: &'a Api,
    op: &'a Operation,
    /// The body's type.
    body: &'a TypeRef,
    /// The documented headers of the successful answers, in lower case.
    headers: Vec<String>,
}

impl<'a> Answer<'a> {
    fn of(api: &'a Api, op: &'a Operation) -> Option<Answer<'a>> {
        let success = op.responses.iter().find(|r| r.is_success())?;
        let body = match success.content.as_ref()? {
            Content::Json(t) | Content::JsonOrText(t) | Content::JsonOrBinary(t) => t,
            _ => return None,
        };
        let headers = success.headers.iter().map(|h| norm(h)).collect();
        Some(Answer {
            api,
            op,
            body,
            headers,
        })
    }

    /// `ty` without aliases and the `Option` nullability adds.
    fn bare(&self, ty: &'a TypeRef) -> &'a TypeRef {
        match self.api.unalias(ty) {
            TypeRef::Option(inner) => self.api.unalias(inner),
            ty => ty,
        }
    }

    fn struct_of(&self, ty: &'a TypeRef) -> Option<&'a Struct> {
        let TypeRef::Named(name) = self.bare(ty) else {
            return None;
        };
        match &self.api.types.get(name)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The type at a path of properties from the body.
    fn at(&self, path: &[String]) -> Option<&'a TypeRef> {
        let mut ty = self.body;
        for name in path {
            let s = self.struct_of(ty)?;
            ty = &s.fields.iter().find(|f| f.wire == *name)?.ty;
        }
        Some(ty)
    }

    fn array_at(&self, path: &[String]) -> Option<TypeRef> {
        match self.bare(self.at(path)?) {
            TypeRef::Vec(item) => Some((**item).clone()),
            _ => None,
        }
    }

    /// The items' array: the body, its only array, or the one named as items among several.
    fn items(&self) -> Result<(Vec<String>, TypeRef), String> {
        if let TypeRef::Vec(item) = self.bare(self.body) {
            return Ok((Vec::new(), (**item).clone()));
        }
        let s = self
            .struct_of(self.body)
            .ok_or("its answer is neither a list nor an object")?;
        let arrays: Vec<&str> = s
            .fields
            .iter()
            .filter(|f| matches!(self.bare(&f.ty), TypeRef::Vec(_)))
            .map(|f| f.wire.as_str())
            .collect();
        let pick = match arrays.as_slice() {
            [] => return Err("its answer holds no list".to_owned()),
            [one] => *one,
            several => {
                let named: Vec<&&str> = several
                    .iter()
                    .filter(|a| ITEM_ARRAYS.contains(&norm(a).as_str()))
                    .collect();
                match named.as_slice() {
                    [one] => **one,
                    _ => {
                        return Err(format!(
                            "its answer holds several lists ({}), none of them named as the items",
                            several.join(", ")
                        ));
                    }
                }
            }
        };
        let path = vec![pick.to_owned()];
        let item = self.array_at(&path).expect("an array property");
        Ok((path, item))
    }

    /// The query parameter of the operation named `name` (its wire name, any case).
    fn param(&self, names: &[&str]) -> Option<&'a crate::ir::Param> {
        self.op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
            .find(|p| names.contains(&norm(&p.wire).as_str()))
    }

    /// The first property, at the top of the body or in one of its [`HOLDERS`], that `fits`.
    fn property(&self, fits: impl Fn(&str, &TypeRef, Option<&str>) -> bool) -> Option<Vec<String>> {
        let top = self.struct_of(self.body)?;
        let direct = top
            .fields
            .iter()
            .find(|f| fits(&f.wire, self.bare(&f.ty), f.doc.as_deref()));
        if let Some(f) = direct {
            return Some(vec![f.wire.clone()]);
        }
        for holder in top
            .fields
            .iter()
            .filter(|f| HOLDERS.contains(&norm(&f.wire).as_str()))
        {
            let Some(inner) = self.struct_of(&holder.ty) else {
                continue;
            };
            if let Some(f) = inner
                .fields
                .iter()
                .find(|f| fits(&f.wire, self.bare(&f.ty), f.doc.as_deref()))
            {
                return Some(vec![holder.wire.clone(), f.wire.clone()]);
            }
        }
        None
    }

    fn is_integer(ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::I32 | TypeRef::I64)
    }

    /// How the list continues, found from what the request and the answer hold.
    fn detected(&self, items: &[String], item: &TypeRef) -> Option<Pagination> {
        let found = |style, param: Option<&crate::ir::Param>, next, more| Pagination {
            style,
            param: param.map(|p| p.wire.clone()),
            next,
            items: items.to_vec(),
            item: item.clone(),
            more,
            by: "detected".to_owned(),
        };
        let more =
            self.property(|n, t, _| MORE_FLAGS.contains(&norm(n).as_str()) && *t == TypeRef::Bool);
        if let Some((param, next)) = self.cursor() {
            return Some(found(
                PageStyle::Cursor,
                Some(param),
                PageNext::Field(next),
                more,
            ));
        }
        if let Some(next) = self.next_url() {
            return Some(found(PageStyle::NextUrl, None, PageNext::Field(next), None));
        }
        if let (Some(more), Some(param)) = (&more, self.param(AFTER_PARAMS)) {
            let wanted = self.bare(&param.ty);
            let last_id = self.property(|n, t, _| stem(n) == "lastid" && t == wanted);
            if let Some(last) = last_id {
                let next = PageNext::Field(last);
                return Some(found(
                    PageStyle::Cursor,
                    Some(param),
                    next,
                    Some(more.clone()),
                ));
            }
            if self.has_id(item, wanted) {
                let next = PageNext::LastItem("id".to_owned());
                return Some(found(
                    PageStyle::LastItem,
                    Some(param),
                    next,
                    Some(more.clone()),
                ));
            }
        }
        if self.headers.iter().any(|h| h == "link") {
            return Some(found(
                PageStyle::LinkHeader,
                None,
                PageNext::LinkHeader,
                None,
            ));
        }
        let page = self
            .param(&["page", "page_number", "pagenumber"])
            .filter(|p| Self::is_integer(self.bare(&p.ty)));
        if let Some(page) = page {
            let count = self
                .property(|n, t, _| PAGE_COUNTS.contains(&norm(n).as_str()) && Self::is_integer(t));
            if count.is_some() || more.is_some() {
                return Some(found(
                    PageStyle::Page,
                    Some(page),
                    PageNext::PageCount(count),
                    more,
                ));
            }
        }
        let offset = self
            .param(&["offset", "skip", "start"])
            .filter(|p| Self::is_integer(self.bare(&p.ty)));
        if let Some(offset) = offset {
            let total =
                self.property(|n, t, _| TOTALS.contains(&norm(n).as_str()) && Self::is_integer(t));
            if total.is_some() || more.is_some() {
                return Some(found(
                    PageStyle::Offset,
                    Some(offset),
                    PageNext::Total(total),
                    more,
                ));
            }
        }
        None
    }

    /// Why a list that says more pages follow and takes the last item's id does not page, when
    /// its items are a union: a walk cannot read an `id` its variants are not known to share.
    fn union_without_id(&self, item: &'a TypeRef) -> Option<String> {
        let more =
            self.property(|n, t, _| MORE_FLAGS.contains(&norm(n).as_str()) && *t == TypeRef::Bool);
        let param = self.param(AFTER_PARAMS)?;
        let TypeRef::Named(name) = self.bare(item) else {
            return None;
        };
        let union = matches!(self.api.types.get(name)?.kind, TypeKind::Union(_));
        (union && more.is_some()).then(|| {
            format!(
                "its items are a union (`{name}`), whose variants are not known to share the `id` \
                 that `{}` would take from the last item",
                param.wire
            )
        })
    }

    /// Whether the items have an `id` of type `ty`.
    fn has_id(&self, item: &'a TypeRef, ty: &TypeRef) -> bool {
        let id = self
            .struct_of(item)
            .and_then(|s| s.fields.iter().find(|f| f.wire == "id"));
        id.is_some_and(|f| self.bare(&f.ty) == ty)
    }

    /// A property of the answer that names the next value of a parameter: `next_<param>`
    /// (`next_page_token` for `page_token`, `nextCursor` for `cursor`), of its type.
    fn cursor(&self) -> Option<(&'a crate::ir::Param, Vec<String>)> {
        let params = self
            .op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query);
        for param in params {
            let (want, ty) = (stem(&param.wire), self.bare(&param.ty));
            if !PAGE_PARAMS.contains(&norm(&param.wire).as_str())
                && !want.contains("cursor")
                && !want.contains("token")
            {
                continue;
            }
            let next = self.property(|n, t, doc| {
                let n = stem(n);
                let paired = n
                    .strip_prefix("next")
                    .is_some_and(|rest| rest == want || (!rest.is_empty() && want.ends_with(rest)));
                // A bare `next` beside a cursor parameter is its next value, unless its
                // description says it is a URL.
                let bare = n == "next" && CURSOR_PARAMS.contains(&want.as_str()) && !says_url(doc);
                (paired || bare) && t == ty && (bare || !NEXT_URLS.contains(&n.as_str()))
            });
            if let Some(next) = next {
                return Some((param, next));
            }
        }
        None
    }

    /// A string property that gives the next page's URL (`next`, `nextLink`, `links.next`).
    fn next_url(&self) -> Option<Vec<String>> {
        self.property(|n, t, _| NEXT_URLS.contains(&norm(n).as_str()) && *t == TypeRef::String)
    }
}

/// Whether a property's description says it holds a URL.
fn says_url(doc: Option<&str>) -> bool {
    let doc = doc.unwrap_or_default().to_ascii_lowercase();
    ["url", "uri", "link", "http"]
        .iter()
        .any(|w| doc.contains(w))
}

impl Answer<'_> {
    /// The pagination an extension gives, what it leaves out detected; `Err` when it names
    /// what the operation does not have.
    fn as_given(
        &self,
        given: &PagingGiven,
        items: &[String],
        item: &TypeRef,
    ) -> Result<Pagination, String> {
        let by = &given.by;
        let detected = self.detected(items, item);
        let Some(style) = given.style.or(detected.as_ref().map(|d| d.style)) else {
            return Err(format!("`{by}` gives no style and none is detected"));
        };
        let param = match &given.param {
            Some(name) => {
                let found = self
                    .op
                    .params
                    .iter()
                    .find(|p| p.wire == *name && p.location == ParamLocation::Query);
                Some(found.ok_or_else(|| format!("`{by}` names parameter `{name}`, which is not a query parameter of the operation"))?.wire.clone())
            }
            None => detected.as_ref().and_then(|d| d.param.clone()),
        };
        let field =
            |path: &Option<Vec<String>>, what: &str| -> Result<Option<Vec<String>>, String> {
                match path {
                    Some(p) if self.at(p).is_none() => Err(format!(
                        "`{by}` names `{}` as the {what}, which the answer does not have",
                        p.join(".")
                    )),
                    other => Ok(other.clone()),
                }
            };
        let more = field(&given.more, "flag of more pages")?
            .or(detected.as_ref().and_then(|d| d.more.clone()));
        let next = match style {
            PageStyle::LinkHeader => PageNext::LinkHeader,
            PageStyle::LastItem => PageNext::LastItem(
                given
                    .next
                    .as_ref()
                    .and_then(|n| n.last().cloned())
                    .unwrap_or_else(|| "id".to_owned()),
            ),
            PageStyle::Page => PageNext::PageCount(field(&given.total, "page count")?),
            PageStyle::Offset => PageNext::Total(field(&given.total, "total")?),
            PageStyle::Cursor | PageStyle::NextUrl => match field(&given.next, "next value")? {
                Some(next) => PageNext::Field(next),
                None => match detected.as_ref().map(|d| &d.next) {
                    Some(next @ PageNext::Field(_)) => next.clone(),
                    _ => {
                        return Err(format!(
                            "`{by}` says {} and names no next value",
                            style.word()
                        ));
                    }
                },
            },
        };
        let needs_param = !matches!(style, PageStyle::NextUrl | PageStyle::LinkHeader);
        if needs_param && param.is_none() {
            return Err(format!(
                "`{by}` says {} and names no parameter",
                style.word()
            ));
        }
        Ok(Pagination {
            style,
            param: param.filter(|_| needs_param),
            next,
            items: items.to_vec(),
            item: item.clone(),
            more,
            by: by.clone(),
        })
    }
}
