//! The methods that walk a paged list (`Operation::pagination`): `<op>_pages`, a stream of
//! whole pages that calls the operation's own method once per page, and `<op>_items`, the
//! items of those pages one by one. What continues a page is read from its decoded body (or
//! its `Link` header) by a closure written here for the operation's style.

use proc_macro2::TokenStream;
use quote::quote;

use super::operation::{Method, OpContext};
use crate::docs::code;
use crate::emit::{doc_attrs, ident};
use crate::ir::{Field, PageNext, PageStyle, Pagination, TypeKind, TypeRef};
use crate::plan::shape::{Presence, presence};

impl OpContext<'_> {
    /// `<op>_pages` and `<op>_items`, where the operation pages, with the types of the streams
    /// they return (`<Op>Pages`, `<Op>Items`); `body` is its answer's type.
    pub(super) fn walks(&self, body: &TokenStream) -> (Vec<Method>, TokenStream) {
        let (Some(p), None) = (&self.op.pagination, self.twin_of) else {
            return (Vec::new(), TokenStream::new());
        };
        let cursor = self.cursor_type(p);
        let error = ident(&self.op.items.error);
        let item = self.ty(&p.item);
        let (pages_ty, items_ty) = (
            ident(&self.op.items.pages_type),
            ident(&self.op.items.items_type),
        );
        let (args, passed) = self.walk_arguments();
        let pages = ident(&self.op.items.pages);
        let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let items_of = self.owned_items(p, body);
        let methods = vec![
            Method {
                doc: doc_attrs(Some(&self.pages_doc(p))),
                allow: allow.clone(),
                name: pages.clone(),
                args: args.clone(),
                returns: quote!(#pages_ty),
                body: self.pages_body(p, &cursor, body),
                asynchronous: false,
            },
            Method {
                doc: doc_attrs(Some(&self.items_doc())),
                allow,
                name: ident(&self.op.items.each),
                args,
                returns: quote!(#items_ty),
                body: quote!(self.#pages(#( #passed ),*).items(#items_of)),
                asynchronous: false,
            },
        ];
        let (pages_doc, items_doc) = self.stream_type_docs(p);
        let (pages_doc, items_doc) = (doc_attrs(Some(&pages_doc)), doc_attrs(Some(&items_doc)));
        let gate = self.gate;
        let types = quote! {
            #pages_doc
            #gate
            pub type #pages_ty = Pages<#body, #error, #cursor>;

            #items_doc
            #gate
            pub type #items_ty = Items<#body, #error, #cursor, #item>;
        };
        (methods, types)
    }

    /// The docs of `<Op>Pages` and `<Op>Items`: what each yields, by which method.
    fn stream_type_docs(&self, p: &Pagination) -> (String, String) {
        let names = &self.op.items;
        let error = &names.error;
        let item = crate::surface::type_text(&p.item);
        let pages = format!(
            "The pages `{}` walks: a `Stream` of `Result<Response<_>, Error<{error}>>`, each\n\
             the whole answer. [`Pages::starting_at`] resumes a walk from a saved\n\
             [`Pages::resume_point`].",
            names.pages
        );
        let items = format!(
            "The items `{}` walks: a `Stream` of `Result<{item}, Error<{error}>>`.\n\
             [`Items::starting_at`] resumes a walk from a saved [`Items::resume_point`].",
            names.each
        );
        (pages, items)
    }

    /// The type of the value a next page is asked for by: the paging parameter's, else a URL.
    fn cursor_type(&self, p: &Pagination) -> TokenStream {
        match self.paging_param(p) {
            Some(param) => self.ty(&param.ty),
            None => quote!(String),
        }
    }

    fn paging_param(&self, p: &Pagination) -> Option<&crate::ir::Param> {
        let wire = p.param.as_deref()?;
        self.optional.iter().copied().find(|o| o.wire == wire)
    }

    /// The walk methods' arguments (the operation's, as its method with the optional
    /// parameters takes them) and how the items method passes them on.
    fn walk_arguments(&self) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut args = Vec::new();
        let mut passed = Vec::new();
        for p in &self.required {
            let (rust, ty) = (ident(&p.rust), self.arg_type(&p.ty));
            args.push(quote!(#rust: #ty));
            passed.push(quote!(#rust));
        }
        if !self.optional.is_empty() {
            let (rust, params) = (
                ident(&self.op.items.params_arg),
                ident(&self.op.items.params),
            );
            args.push(quote!(#rust: &#params));
            passed.push(quote!(#rust));
        }
        (args, passed)
    }

    /// `Pages::new(start, fetch, follow)`: each page asked for with the operation's method,
    /// from copies of the arguments that the stream owns.
    fn pages_body(&self, p: &Pagination, cursor: &TokenStream, body: &TokenStream) -> TokenStream {
        let op = self.op;
        let mut owned = Vec::new();
        let mut call = Vec::new();
        for param in &self.required {
            let rust = ident(&param.rust);
            let scalar = is_scalar(self.api.unalias(&param.ty));
            let copy = match self.api.unalias(&param.ty) {
                _ if scalar => quote!(#rust),
                TypeRef::String => quote!(#rust.to_owned()),
                TypeRef::Vec(_) => quote!(#rust.to_vec()),
                _ => quote!(#rust.clone()),
            };
            owned.push(quote!(let #rust = #copy;));
            call.push(if scalar {
                quote!(#rust)
            } else {
                quote!(&#rust)
            });
        }
        let has_params = !self.optional.is_empty();
        let params_arg = ident(&op.items.params_arg);
        let method = if has_params {
            call.push(quote!(&#params_arg));
            owned.push(quote!(let #params_arg = #params_arg.clone();));
            ident(&op.items.with)
        } else {
            ident(&op.rust)
        };
        let sets = self.paging_param(p).is_some();
        let mutable = sets.then(|| quote!(mut));
        let names: Vec<TokenStream> = self
            .required
            .iter()
            .filter(|p| !is_scalar(self.api.unalias(&p.ty)))
            .map(|p| ident(&p.rust))
            .map(|r| quote!(let #r = #r.clone();))
            .chain(has_params.then(|| quote!(let #mutable #params_arg = #params_arg.clone();)))
            .collect();
        let set = match self.paging_param(p) {
            Some(param) => {
                let field = ident(&param.rust);
                quote!(|value| #params_arg.#field = Some(value))
            }
            None => quote!(|_| ()),
        };
        let start = match self.paging_param(p) {
            Some(param) if matches!(p.style, PageStyle::Page | PageStyle::Offset) => {
                let field = ident(&param.rust);
                quote!(let start = #params_arg.#field;)
            }
            _ => TokenStream::new(),
        };
        let follow = self.follow(p, cursor, body);
        quote! {
            let client = self.clone();
            #( #owned )*
            #start
            Pages::new(
                PageAt::First,
                move |at: PageAt<#cursor>| {
                    let client = client.clone();
                    #( #names )*
                    async move {
                        let runtime = at.client(&client.runtime, #set)?;
                        Self { runtime }.#method(#( #call ),*).await
                    }
                },
                #follow,
            )
        }
    }

    /// The closure that says which page follows one, by the operation's style.
    fn follow(&self, p: &Pagination, cursor: &TokenStream, body: &TokenStream) -> TokenStream {
        let body_ty = self.api_body_type();
        let field = |path: &[String]| self.borrowed(quote!(page.body()), &body_ty, path);
        let stop_unless_more = match (p.more.as_ref().map(|path| field(path)), p.style) {
            (Some(Access::Sure(more, false)), _) => quote!(if !#more { return None; }),
            (Some(Access::Sure(more, true)), _) => quote!(if !*#more { return None; }),
            (Some(Access::Maybe(more)), PageStyle::LastItem) => {
                quote!(if #more != Some(&true) { return None; })
            }
            (Some(Access::Maybe(more)), _) => quote!(if #more == Some(&false) { return None; }),
            (None, _) => TokenStream::new(),
        };
        let counted = matches!(p.next, PageNext::PageCount(_) | PageNext::Total(_));
        let logic = match &p.next {
            PageNext::Field(path) => {
                let next = field(path).or_stop();
                let to = if p.style == PageStyle::NextUrl {
                    quote!(PageAt::Url(next.clone()))
                } else {
                    quote!(PageAt::Value(next.clone()))
                };
                let empty = (self.leaf_type(&body_ty, path) == Some(TypeRef::String)).then(|| {
                    quote!(if next.is_empty() {
                        return None;
                    })
                });
                quote! {
                    #stop_unless_more
                    let next = #next;
                    #empty
                    Some(#to)
                }
            }
            PageNext::LastItem(id) => {
                let last = match field(&p.items) {
                    Access::Sure(items, _) => quote!(#items.last()?),
                    Access::Maybe(items) => quote!(#items?.last()?),
                };
                let id = self.borrowed(quote!(last), &p.item, std::slice::from_ref(id));
                let id = id.cloned_or_stop();
                quote! {
                    #stop_unless_more
                    let last = #last;
                    Some(PageAt::Value(#id))
                }
            }
            PageNext::LinkHeader => {
                quote!(client_runtime::link_next(page.headers()).map(PageAt::Url))
            }
            PageNext::PageCount(limit) | PageNext::Total(limit) => {
                self.counted(p, limit.as_deref(), cursor, &stop_unless_more)
            }
        };
        let at = if counted { quote!(at) } else { quote!(_at) };
        quote! {
            move |page: &Response<#body>, #at: &PageAt<#cursor>| -> Option<PageAt<#cursor>> {
                #logic
            }
        }
    }

    /// What follows a page of a list walked by page number or offset: the next number, or
    /// the end where the page is empty or the `limit` (a page count, a total) is reached.
    fn counted(
        &self,
        p: &Pagination,
        limit: Option<&[String]>,
        cursor: &TokenStream,
        stop_unless_more: &TokenStream,
    ) -> TokenStream {
        let body_ty = self.api_body_type();
        let field = |path: &[String]| self.borrowed(quote!(page.body()), &body_ty, path);
        let by_page = matches!(p.next, PageNext::PageCount(_));
        let first = self.first_page(p, by_page);
        let stop_at = limit.map(|path| self.stop_at(p, path, cursor, (by_page, first)));
        let items = field(&p.items).option();
        let next = if by_page {
            quote!(let next = current + 1;)
        } else {
            quote!(let next = current + count as #cursor;)
        };
        let first = proc_macro2::Literal::i64_unsuffixed(first);
        let (before, after) = if by_page {
            (stop_at, None)
        } else {
            (None, stop_at)
        };
        quote! {
            let count = #items.map_or(0, |items| items.len());
            if count == 0 {
                return None;
            }
            #stop_unless_more
            let current = match at {
                PageAt::Value(current) => *current,
                _ => start.unwrap_or(#first),
            };
            #before
            #next
            #after
            Some(PageAt::Value(next))
        }
    }

    /// The first page's number (or offset): the one the server gives when the parameter is
    /// left out, its `default` where the spec gives one (lists numbered from 0), else 1 (0).
    fn first_page(&self, p: &Pagination, by_page: bool) -> i64 {
        let given = self
            .paging_param(p)
            .and_then(|q| q.default.as_ref()?.as_i64());
        given.unwrap_or(i64::from(by_page))
    }

    /// The end of a counted walk at the `limit` the body gives: the page count reached by
    /// the current page (counted from `first`), or the total by the next offset.
    fn stop_at(
        &self,
        p: &Pagination,
        limit: &[String],
        cursor: &TokenStream,
        (by_page, first): (bool, i64),
    ) -> TokenStream {
        let body_ty = self.api_body_type();
        let param_ty = self
            .paging_param(p)
            .map(|q| self.api.unalias(&q.ty).clone());
        let same = param_ty.is_some() && self.leaf_type(&body_ty, limit) == param_ty;
        let reached = |value: TokenStream| {
            let bound = if same {
                value
            } else {
                quote!((#value as #cursor))
            };
            // The current page is the `current - first + 1`th.
            let shift = proc_macro2::Literal::i64_unsuffixed((1 - first).abs());
            let mark = match (by_page, 1 - first) {
                (false, _) => quote!(next),
                (true, 0) => quote!(current),
                (true, d) if d > 0 => quote!((current + #shift)),
                (true, _) => quote!((current - #shift)),
            };
            quote!(#mark >= #bound)
        };
        match self.borrowed(quote!(page.body()), &body_ty, limit) {
            Access::Sure(e, false) => {
                let reached = reached(e);
                quote!(if #reached { return None; })
            }
            Access::Sure(e, true) => {
                let reached = reached(quote!(*#e));
                quote!(if #reached { return None; })
            }
            Access::Maybe(e) => {
                let reached = reached(quote!(*limit));
                quote!(if #e.is_some_and(|limit| #reached) { return None; })
            }
        }
    }

    /// The answer's body type in the IR.
    fn api_body_type(&self) -> TypeRef {
        let success = self.op.responses.iter().find(|r| r.is_success());
        match success.and_then(|r| r.content.as_ref()) {
            Some(content) => content
                .type_refs()
                .first()
                .map(|t| (*t).clone())
                .unwrap_or(TypeRef::Json),
            None => TypeRef::Json,
        }
    }

    /// The field of `ty`'s struct that has wire name `name`.
    fn field_of(&self, ty: &TypeRef, name: &str) -> Option<&Field> {
        let bare = match self.api.unalias(ty) {
            TypeRef::Option(inner) => self.api.unalias(inner),
            t => t,
        };
        let TypeRef::Named(n) = bare else {
            return None;
        };
        match &self.api.types.get(n)?.kind {
            TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire == name),
            _ => None,
        }
    }

    /// The IR type at `path` from `ty`.
    fn leaf_type(&self, ty: &TypeRef, path: &[String]) -> Option<TypeRef> {
        let mut ty = ty.clone();
        for name in path {
            ty = self.field_of(&ty, name)?.ty.clone();
        }
        Some(self.api.unalias(&ty).clone())
    }

    /// The value at `path` from `root` (a `&` of `ty`), through fields that may be absent or
    /// `null`: a `&_` while every field on the way is required, else an `Option<&_>`.
    fn borrowed(&self, root: TokenStream, ty: &TypeRef, path: &[String]) -> Access {
        let mut at = Access::Sure(root, true);
        let mut ty = ty.clone();
        for name in path {
            let Some(f) = self.field_of(&ty, name) else {
                return Access::Maybe(quote!(None::<&()>));
            };
            let rust = ident(&f.rust);
            let deref = if f.boxed {
                quote!(as_deref)
            } else {
                quote!(as_ref)
            };
            at = match (presence(f), at) {
                (Presence::Required, Access::Sure(e, _)) => Access::Sure(quote!(#e.#rust), false),
                (Presence::Required, Access::Maybe(e)) => {
                    Access::Maybe(quote!(#e.map(|v| &v.#rust)))
                }
                (Presence::OptionalNullable, Access::Sure(e, _)) => {
                    Access::Maybe(quote!(#e.#rust.as_ref().and_then(|v| v.#deref())))
                }
                (Presence::OptionalNullable, Access::Maybe(e)) => Access::Maybe(
                    quote!(#e.and_then(|v| v.#rust.as_ref()).and_then(|v| v.#deref())),
                ),
                (_, Access::Sure(e, _)) => Access::Maybe(quote!(#e.#rust.#deref())),
                (_, Access::Maybe(e)) => Access::Maybe(quote!(#e.and_then(|v| v.#rust.#deref()))),
            };
            ty = f.ty.clone();
        }
        at
    }

    /// The function that takes the items out of a page's body, owned.
    fn owned_items(&self, p: &Pagination, body: &TokenStream) -> TokenStream {
        let mut at = Access::Sure(quote!(body), false);
        let mut ty = self.api_body_type();
        for name in &p.items {
            let Some(f) = self.field_of(&ty, name) else {
                break;
            };
            let rust = ident(&f.rust);
            let unbox = f.boxed.then(|| quote!(.map(|v| *v)));
            at = match (presence(f), at) {
                (Presence::Required, Access::Sure(e, _)) if f.boxed => {
                    Access::Sure(quote!(*#e.#rust), false)
                }
                (Presence::Required, Access::Sure(e, _)) => Access::Sure(quote!(#e.#rust), false),
                (Presence::Required, Access::Maybe(e)) => {
                    Access::Maybe(quote!(#e.map(|v| v.#rust) #unbox))
                }
                (Presence::OptionalNullable, Access::Sure(e, _)) => {
                    Access::Maybe(quote!(#e.#rust.flatten() #unbox))
                }
                (Presence::OptionalNullable, Access::Maybe(e)) => {
                    Access::Maybe(quote!(#e.and_then(|v| v.#rust.flatten()) #unbox))
                }
                (_, Access::Sure(e, _)) => Access::Maybe(quote!(#e.#rust #unbox)),
                (_, Access::Maybe(e)) => Access::Maybe(quote!(#e.and_then(|v| v.#rust) #unbox)),
            };
            ty = f.ty.clone();
        }
        let items = match at {
            Access::Sure(e, _) => e,
            Access::Maybe(e) => quote!(#e.unwrap_or_default()),
        };
        quote!(|body: #body| #items)
    }

    fn pages_doc(&self, p: &Pagination) -> String {
        let op = self.op;
        let owner = if self.in_trait { "Self" } else { "Client" };
        let path = |p: &[String]| code(&p.join("."));
        let how = match (&p.next, p.param.as_deref().map(code)) {
            (PageNext::Field(p), Some(param)) => {
                format!("{param} set to the {} of the page before", path(p))
            }
            (PageNext::Field(p), None) => format!("the URL in {}", path(p)),
            (PageNext::LastItem(id), Some(param)) => {
                format!("{param} set to the {} of the page's last item", code(id))
            }
            (PageNext::LinkHeader, _) => "the `rel=\"next\"` URL of the `Link` header".to_owned(),
            (PageNext::PageCount(_), Some(param)) => format!("{param} counted up by one"),
            (PageNext::Total(_), Some(param)) => {
                format!("{param} moved on by the items received")
            }
            _ => "what the page gives".to_owned(),
        };
        let more = p
            .more
            .as_ref()
            .map(|m| format!(" while {} is true", path(m)))
            .unwrap_or_default();
        let end = match &p.next {
            PageNext::PageCount(Some(c)) => format!(", up to {}", path(c)),
            PageNext::Total(Some(t)) => format!(", up to {}", path(t)),
            PageNext::PageCount(None) | PageNext::Total(None) => {
                ", until a page is empty".to_owned()
            }
            _ => String::new(),
        };
        format!(
            "Every page of [`{owner}::{}`] ({}), one request per page as the stream is\npulled: the first as the arguments say, then each with {how}{more}{end}\n({} pagination, {}).\n\nA page is the whole answer, with its status and headers; an error ends the walk.\nA server that names a page twice is an error, not an endless walk.",
            op.rust,
            code(&format!("{} {}", op.method, op.path)),
            p.style.word(),
            if p.by == "detected" {
                "detected from the spec".to_owned()
            } else {
                format!("as {} says", code(&p.by))
            }
        )
    }

    fn items_doc(&self) -> String {
        let owner = if self.in_trait { "Self" } else { "Client" };
        format!(
            "Every item of every page of [`{owner}::{}`], in order, each page asked for when the\nitems before it are taken ([`{owner}::{}`] walks the pages). An error is the last item.",
            self.op.rust, self.op.items.pages
        )
    }
}

/// Whether arguments of the type are `Copy` scalars, passed by value.
fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool
    )
}

/// A value reached through fields: surely there (a place, or with `true` a reference), or
/// maybe (an `Option<&_>`).
enum Access {
    Sure(TokenStream, bool),
    Maybe(TokenStream),
}

impl Access {
    /// As an `Option<&_>`.
    fn option(self) -> TokenStream {
        match self {
            Access::Sure(e, true) => quote!(Some(#e)),
            Access::Sure(e, false) => quote!(Some(&#e)),
            Access::Maybe(e) => e,
        }
    }

    /// As a `&_`, returning `None` from the closure where it is not there.
    fn or_stop(self) -> TokenStream {
        match self {
            Access::Sure(e, true) => e,
            Access::Sure(e, false) => quote!(&#e),
            Access::Maybe(e) => quote!(#e?),
        }
    }

    /// A copy of the value, returning `None` from the closure where it is not there.
    fn cloned_or_stop(self) -> TokenStream {
        match self {
            Access::Sure(e, _) => quote!(#e.clone()),
            Access::Maybe(e) => quote!(#e?.clone()),
        }
    }
}
