//! Lists that page, walked lazily: [`Pages`] sends one request per page as the caller pulls
//! and stops where the list ends; [`Items`] hands over the items of those pages one by one.
//! How a page continues (a cursor, a URL, a page number) is the generated code's: it gives the
//! request for a [`PageAt`] and the [`PageAt`] that follows a page.

use std::collections::VecDeque;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::{Error, Response};

/// Which page to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAt<C> {
    /// The first: the caller's parameters as given.
    First,
    /// The page the parameter that pages names with this value (a cursor, a page number, an
    /// offset).
    Value(C),
    /// The page at a URL the server gave (a `next` link).
    Url(String),
}

impl<C> PageAt<C> {
    /// The client that asks for this page: `client` itself, `set` given the value of the
    /// parameter that pages, or `client` following the URL (refused unless it is under the base
    /// URL).
    pub fn client<E>(
        self,
        client: &crate::Client,
        set: impl FnOnce(C),
    ) -> Result<crate::Client, Error<E>> {
        match self {
            PageAt::First => Ok(client.clone()),
            PageAt::Value(value) => {
                set(value);
                Ok(client.clone())
            }
            PageAt::Url(url) => client.following(&url),
        }
    }
}

type PageFuture<T, E> = Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send>>;
type Fetch<T, E, C> = Box<dyn FnMut(PageAt<C>) -> PageFuture<T, E> + Send>;
type Follow<T, C> = Box<dyn FnMut(&Response<T>, &PageAt<C>) -> Option<PageAt<C>> + Send>;

/// The pages of a list, each the decoded answer with its status and headers, one request per
/// page as the caller pulls. It ends after the last page, or with the first error (a failed
/// request, or a server that names a page it gave before, which would repeat forever).
pub struct Pages<T, E, C = String> {
    fetch: Fetch<T, E, C>,
    follow: Follow<T, C>,
    /// The page to ask for next; `None` once the list has ended.
    next: Option<PageAt<C>>,
    asking: Option<(PageAt<C>, PageFuture<T, E>)>,
    /// The pages asked for, to refuse one a server names twice.
    seen: Vec<PageAt<C>>,
    /// Where the walk goes on from ([`Pages::resume_point`]).
    resume: Option<PageAt<C>>,
    /// The page the last answer was, for the items of it still to be handed over.
    answered: Option<PageAt<C>>,
}

impl<T, E, C> Pages<T, E, C>
where
    C: Clone + PartialEq + Debug + Send + Unpin + 'static,
{
    /// The pages from `start`: `fetch` sends the request for a page, `follow` says which
    /// page follows one (`None` where the list ends).
    pub fn new<F, Fut>(
        start: PageAt<C>,
        mut fetch: F,
        follow: impl FnMut(&Response<T>, &PageAt<C>) -> Option<PageAt<C>> + Send + 'static,
    ) -> Pages<T, E, C>
    where
        F: FnMut(PageAt<C>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Response<T>, Error<E>>> + Send + 'static,
    {
        Pages {
            fetch: Box::new(move |at| Box::pin(fetch(at))),
            follow: Box::new(follow),
            resume: Some(start.clone()),
            next: Some(start),
            asking: None,
            seen: Vec::new(),
            answered: None,
        }
    }

    /// This walk from `at` instead of its first page: a point an earlier walk saved
    /// ([`Pages::resume_point`]), or a cursor, page number or next URL kept elsewhere. A URL
    /// must be under the client's base URL (scheme, host, port and path), or the walk ends with
    /// [`Error::Walk`] before anything is sent: a tampered cursor cannot take the client's
    /// credentials to another host.
    pub fn starting_at(mut self, at: PageAt<C>) -> Self {
        self.resume = Some(at.clone());
        self.next = Some(at);
        self.asking = None;
        self.seen.clear();
        self
    }

    /// Where this walk goes on from: the page the next pull asks for (after an error, the page
    /// that failed), or `None` once the list has ended. Kept and given to
    /// [`Pages::starting_at`], it continues the walk in another process or a later run.
    pub fn resume_point(&self) -> Option<&PageAt<C>> {
        self.resume.as_ref()
    }

    /// The next page, or `None` after the last; for callers without `futures`.
    pub async fn next(&mut self) -> Option<Result<Response<T>, Error<E>>>
    where
        Self: Unpin,
    {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of every page, one by one: `items` takes them out of a page's body.
    pub fn items<I>(self, items: fn(T) -> Vec<I>) -> Items<T, E, C, I> {
        Items {
            pages: self,
            items,
            ready: VecDeque::new(),
            taken: 0,
            skip: 0,
        }
    }
}

impl<T, E, C> Stream for Pages<T, E, C>
where
    C: Clone + PartialEq + Debug + Send + Unpin + 'static,
{
    type Item = Result<Response<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.asking.is_none() {
            let Some(at) = this.next.take() else {
                return Poll::Ready(None);
            };
            if this.seen.contains(&at) {
                let reason = format!(
                    "the server names the page {at:?} a second time; walking on would repeat pages forever"
                );
                return Poll::Ready(Some(Err(Error::Walk { reason })));
            }
            this.seen.push(at.clone());
            let asked = (this.fetch)(at.clone());
            this.asking = Some((at, asked));
        }
        let (at, asked) = this.asking.as_mut().expect("a page is asked for");
        let Poll::Ready(answer) = asked.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        let at = at.clone();
        this.asking = None;
        if let Ok(page) = &answer {
            this.next = (this.follow)(page, &at);
            this.resume.clone_from(&this.next);
            this.answered = Some(at);
        }
        Poll::Ready(Some(answer))
    }
}

/// The items of a list's pages, one by one, each page asked for when the items before it are
/// taken. An error (of the request for a page) is an item, the last.
pub struct Items<T, E, C, I> {
    pages: Pages<T, E, C>,
    items: fn(T) -> Vec<I>,
    ready: VecDeque<I>,
    /// How many items of the page in `ready` were handed over.
    taken: usize,
    /// How many items of the first page to leave out (a walk resumed inside a page).
    skip: usize,
}

/// Where a walk of items goes on from: a page, and how many of its items were taken already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsAt<C> {
    /// The page to ask for.
    pub page: PageAt<C>,
    /// How many of its items to leave out, taken before.
    pub taken: usize,
}

impl<T, E, C, I> Items<T, E, C, I>
where
    C: Clone + PartialEq + Debug + Send + Unpin + 'static,
    I: Unpin,
{
    /// The next item, or `None` after the last; for callers without `futures`.
    pub async fn next(&mut self) -> Option<Result<I, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// This walk from `at`, saved by an earlier walk's [`Items::resume_point`]: its page is
    /// asked for again and the items taken from it before are left out. A page's URL is
    /// checked as [`Pages::starting_at`] says.
    pub fn starting_at(mut self, at: ItemsAt<C>) -> Self {
        self.pages = self.pages.starting_at(at.page);
        self.ready.clear();
        (self.taken, self.skip) = (0, at.taken);
        self
    }

    /// Where this walk goes on from, item for item: the page of the next item and how many of
    /// its items were taken, or `None` once the list has ended.
    pub fn resume_point(&self) -> Option<ItemsAt<C>> {
        match &self.pages.answered {
            Some(page) if !self.ready.is_empty() => Some(ItemsAt {
                page: page.clone(),
                taken: self.taken,
            }),
            _ => self.pages.resume_point().map(|page| ItemsAt {
                page: page.clone(),
                taken: self.skip,
            }),
        }
    }
}

impl<T, E, C, I> Stream for Items<T, E, C, I>
where
    C: Clone + PartialEq + Debug + Send + Unpin + 'static,
    I: Unpin,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.ready.pop_front() {
                this.taken += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    let skip = std::mem::take(&mut this.skip);
                    this.taken = skip;
                    this.ready
                        .extend((this.items)(page.into_body()).into_iter().skip(skip));
                }
            }
        }
    }
}

/// The `rel="next"` URL of a `Link` header (RFC 8288), as GitHub and others page.
pub fn link_next(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let links = headers.get_all(reqwest::header::LINK);
    for value in links.iter().filter_map(|v| v.to_str().ok()) {
        for link in value.split(',') {
            let mut parts = link.split(';');
            let target = parts.next()?.trim();
            let Some(url) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
                continue;
            };
            let next = parts.any(|p| {
                let p = p.trim();
                let Some(rel) = p.strip_prefix("rel=") else {
                    return false;
                };
                rel.trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            });
            if next {
                return Some(url.to_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    #[test]
    fn the_next_link_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static(
                "<https://api.github.com/r?page=1>; rel=\"prev\", <https://api.github.com/r?page=3>; rel=\"next\", <https://api.github.com/r?page=5>; rel=\"last\"",
            ),
        );
        assert_eq!(
            link_next(&headers).as_deref(),
            Some("https://api.github.com/r?page=3")
        );
        headers.insert(
            LINK,
            HeaderValue::from_static("<https://h/r?page=1>; rel=\"prev first\""),
        );
        assert_eq!(link_next(&headers), None);
        headers.insert(
            LINK,
            HeaderValue::from_static("<https://h/r?p=2>; title=\"x\"; rel=next"),
        );
        assert_eq!(link_next(&headers).as_deref(), Some("https://h/r?p=2"));
    }
}
