//! Retries: exponential backoff with full jitter, honouring `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When and how often a request is sent again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The backoff before the first retry; it doubles for each one after.
    pub base_delay: Duration,
    /// No wait is longer, whatever the backoff or `Retry-After` says.
    pub max_delay: Duration,
    /// Also retry methods that are not idempotent (POST, PATCH). Off by default: a retried
    /// POST can create twice.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Whether `method` may be sent again under this policy.
    pub fn allows(&self, method: &Method) -> bool {
        self.retry_non_idempotent
            || matches!(
                *method,
                Method::GET
                    | Method::HEAD
                    | Method::PUT
                    | Method::DELETE
                    | Method::OPTIONS
                    | Method::TRACE
            )
            // Safe and idempotent, as the HTTP QUERY method's specification says.
            || method.as_str() == "QUERY"
    }

    /// Whether an answer with `status` is worth retrying: 429 and 503.
    pub fn retries_status(status: StatusCode) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
    }

    /// The wait before retry number `retry` (0-based): `Retry-After` when the answer has one,
    /// else a random duration up to the exponential backoff, both capped by `max_delay`.
    pub fn delay(&self, retry: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(after) = headers.and_then(retry_after) {
            return after.min(self.max_delay);
        }
        let backoff = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        backoff.mul_f64(fastrand::f64())
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotent_methods_only_unless_opted_in() {
        let p = RetryPolicy::default();
        assert!(p.allows(&Method::PUT));
        assert!(!p.allows(&Method::POST));
        assert!(!p.allows(&Method::PATCH));
        assert!(
            RetryPolicy {
                retry_non_idempotent: true,
                ..p
            }
            .allows(&Method::POST)
        );
    }

    #[test]
    fn retry_after_wins_and_is_capped() {
        let p = RetryPolicy {
            max_delay: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(p.delay(0, Some(&h)), Duration::from_secs(2));
        h.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(p.delay(0, Some(&h)), Duration::from_secs(5));
        let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
        h.insert(RETRY_AFTER, date.parse().unwrap());
        assert!(p.delay(0, Some(&h)) <= Duration::from_secs(3));
    }

    #[test]
    fn backoff_is_jittered_below_the_exponential_bound() {
        let p = RetryPolicy::default();
        for retry in 0..6 {
            let bound = p.base_delay * 2u32.pow(retry);
            assert!(p.delay(retry, None) <= bound.min(p.max_delay));
        }
    }
}
