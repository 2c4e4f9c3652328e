//! Spans of requests, after OpenTelemetry's conventions for HTTP clients, with the feature
//! `tracing`; without it every function here is empty and inlined away.
//!
//! Each attempt is a span of kind client named `{METHOD} {url.template}` (through `otel.name`,
//! which `tracing-opentelemetry` exports as the span's name); a call of an operation is an
//! internal span around its attempts, and a retry is an event in it. No header is recorded, and
//! the query values of credentials are `REDACTED` in `url.full`.

use std::future::Future;
use std::time::Duration;

use crate::middleware::{Attempt, Operation};

/// The span of one attempt, to record its answer in.
pub(crate) struct AttemptSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

/// Runs `call` (every attempt of a call of `operation`) inside the call's span.
#[cfg(feature = "tracing")]
pub(crate) async fn call<F: Future>(operation: Option<Operation>, call: F) -> F::Output {
    use tracing::Instrument;
    let Some(operation) = operation else {
        return call.await;
    };
    let span = tracing::info_span!(
        "call",
        "otel.name" = operation.id,
        "otel.kind" = "internal",
        "operation.id" = operation.id,
    );
    call.instrument(span).await
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) async fn call<F: Future>(_: Option<Operation>, call: F) -> F::Output {
    call.await
}

/// A retry: why, and the wait before it.
#[inline(always)]
pub(crate) fn retrying(reason: &str, delay: Duration, resend_count: u32) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        "retry.reason" = reason,
        "retry.delay_ms" = delay.as_millis() as u64,
        "http.request.resend_count" = resend_count,
        "retrying"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (reason, delay, resend_count);
}

impl AttemptSpan {
    /// The span of the attempt about to send `request`; `secret_query` are the query names
    /// that carry credentials.
    #[cfg(feature = "tracing")]
    pub(crate) fn start(
        request: &reqwest::Request,
        attempt: &Attempt,
        secret_query: &[&str],
    ) -> Self {
        use tracing::field::Empty;
        let original = request.method().as_str();
        let method = if KNOWN_METHODS.contains(&original) {
            original
        } else {
            "_OTHER"
        };
        let template = attempt.operation.map(|o| o.template);
        let name = match template {
            Some(template) => format!("{method} {template}"),
            None => method.to_owned(),
        };
        let url = request.url();
        let span = tracing::info_span!(
            "http.client",
            "otel.name" = name,
            "otel.kind" = "client",
            "otel.status_code" = Empty,
            "http.request.method" = method,
            "http.request.method_original" = Empty,
            "url.template" = template,
            "url.full" = redacted(url, secret_query),
            "server.address" = url.host_str(),
            "server.port" = url.port_or_known_default(),
            "http.response.status_code" = Empty,
            "error.type" = Empty,
            "http.request.resend_count" = Empty,
        );
        if method != original {
            span.record("http.request.method_original", original);
        }
        if attempt.resend_count > 0 {
            span.record("http.request.resend_count", attempt.resend_count);
        }
        AttemptSpan { span }
    }

    #[cfg(not(feature = "tracing"))]
    #[inline(always)]
    pub(crate) fn start(_: &reqwest::Request, _: &Attempt, _: &[&str]) -> Self {
        AttemptSpan {}
    }

    /// Puts the span's W3C trace context in `headers` (`traceparent`, and `tracestate` where
    /// the trace has one) when the span belongs to an OpenTelemetry trace (feature
    /// `opentelemetry`), before any middleware sees the request.
    #[inline(always)]
    pub(crate) fn propagate(&self, headers: &mut reqwest::header::HeaderMap) {
        #[cfg(feature = "opentelemetry")]
        {
            use opentelemetry::trace::TraceContextExt;
            use reqwest::header::HeaderValue;
            use tracing_opentelemetry::OpenTelemetrySpanExt;
            let context = self.span.context();
            let span = context.span();
            let trace = span.span_context();
            if !trace.is_valid() {
                return;
            }
            let parent = format!(
                "00-{}-{}-{:02x}",
                trace.trace_id(),
                trace.span_id(),
                trace.trace_flags().to_u8()
            );
            if let Ok(value) = HeaderValue::from_str(&parent) {
                headers.insert("traceparent", value);
            }
            let state = trace.trace_state().header();
            if !state.is_empty()
                && let Ok(value) = HeaderValue::from_str(&state)
            {
                headers.insert("tracestate", value);
            }
        }
        #[cfg(not(feature = "opentelemetry"))]
        let _ = headers;
    }

    /// Runs the attempt inside the span.
    pub(crate) async fn run<F: Future>(&self, attempt: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            attempt.instrument(self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        attempt.await
    }

    /// The answer's status; 4xx and 5xx make the span an error.
    #[inline(always)]
    pub(crate) fn answered(&self, status: u16) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("http.response.status_code", status);
            if status >= 400 {
                self.span.record("error.type", status.to_string());
                self.span.record("otel.status_code", "ERROR");
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = status;
    }

    /// No answer: `kind` says why (`timeout`, `connect`, `middleware`...).
    #[inline(always)]
    pub(crate) fn failed(&self, kind: &'static str) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("error.type", kind);
            self.span.record("otel.status_code", "ERROR");
        }
        #[cfg(not(feature = "tracing"))]
        let _ = kind;
    }
}

/// The methods OpenTelemetry knows; any other is `_OTHER`.
#[cfg(feature = "tracing")]
const KNOWN_METHODS: &[&str] = &[
    "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
];

/// `url` without its user and password, the values of `secret_query` names `REDACTED`.
#[cfg(any(feature = "tracing", test))]
fn redacted(url: &reqwest::Url, secret_query: &[&str]) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if let Some(query) = url.query().map(str::to_owned) {
        let parts: Vec<String> = query
            .split('&')
            .map(|part| {
                let name = part.split('=').next().unwrap_or_default();
                let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                if secret_query.contains(&decoded.as_ref()) {
                    format!("{name}=REDACTED")
                } else {
                    part.to_owned()
                }
            })
            .collect();
        url.set_query(Some(&parts.join("&")));
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_query_and_the_user_part_are_redacted() {
        let url = reqwest::Url::parse(
            "https://me:pw@h.example/v1/pets?api%5Fkey=s3cret&limit=5&api_key=again",
        )
        .unwrap();
        let shown = redacted(&url, &["api_key"]);
        assert_eq!(
            shown,
            "https://h.example/v1/pets?api%5Fkey=REDACTED&limit=5&api_key=REDACTED"
        );
    }
}
