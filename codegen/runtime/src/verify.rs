//! Checking that a received request comes from the API: the Standard Webhooks scheme (on the
//! `standardwebhooks` crate for `v1`, `ed25519-dalek` for `v1a`) and a configurable HMAC one
//! (on `hmac` and `sha2`), with a timestamp tolerance and several secrets during a rotation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

use crate::webhook::{Request, Verified, WebhookError};

/// What checks a received request's signature: a scheme, the secrets (or public keys) of the
/// endpoint, and how far a timestamp may be from now. Cheap to clone.
#[derive(Clone)]
pub struct Verifier {
    scheme: Arc<Scheme>,
    keys: Arc<[Key]>,
    tolerance: Option<Duration>,
}

enum Scheme {
    Standard,
    Hmac(HmacScheme),
}

enum Key {
    /// A Standard Webhooks symmetric secret (`whsec_…`).
    Standard(standardwebhooks::Webhook),
    /// A Standard Webhooks public key (`whpk_…`), for `v1a` signatures.
    Public(ed25519_dalek::VerifyingKey),
    /// The secret of an HMAC scheme, as bytes.
    Hmac(Vec<u8>),
}

/// A secret, key or scheme that cannot be used, with why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(String);

/// How long after (or before) its timestamp a request is taken, by default: five minutes, as
/// the Standard Webhooks specification recommends.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

const ID: &str = "webhook-id";
const TIMESTAMP: &str = "webhook-timestamp";
const SIGNATURE: &str = "webhook-signature";
const PUBLIC_PREFIX: &str = "whpk_";

impl Verifier {
    /// The Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
    /// with each of `secrets`: a symmetric secret (`whsec_…`, base64) checks `v1` signatures,
    /// a public key (`whpk_…`, base64) `v1a` ones. Several secrets are tried in turn, for a
    /// rotation.
    pub fn standard_webhooks<S: AsRef<str>>(
        secrets: impl IntoIterator<Item = S>,
    ) -> Result<Verifier, SetupError> {
        let keys = secrets
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                standard_key(s.as_ref()).map_err(|e| SetupError(format!("secret {i}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Verifier::new(Scheme::Standard, keys)
    }

    /// The HMAC `scheme` with each of `secrets` (as bytes: a vendor's `whsec_…` text is used as
    /// it is written), tried in turn.
    pub fn hmac<S: AsRef<[u8]>>(
        scheme: HmacScheme,
        secrets: impl IntoIterator<Item = S>,
    ) -> Result<Verifier, SetupError> {
        let keys = secrets
            .into_iter()
            .map(|s| Key::Hmac(s.as_ref().to_vec()))
            .collect();
        Verifier::new(Scheme::Hmac(scheme), keys)
    }

    fn new(scheme: Scheme, keys: Vec<Key>) -> Result<Verifier, SetupError> {
        if keys.is_empty() {
            return Err(SetupError(
                "a verifier needs at least one secret".to_owned(),
            ));
        }
        Ok(Verifier {
            scheme: Arc::new(scheme),
            keys: keys.into(),
            tolerance: Some(DEFAULT_TOLERANCE),
        })
    }

    /// How far a request's timestamp may be from now ([`DEFAULT_TOLERANCE`] by default).
    pub fn tolerance(mut self, tolerance: Duration) -> Verifier {
        self.tolerance = Some(tolerance);
        self
    }

    /// Takes a request signed at any time: for events stored and checked again later, never
    /// for requests as they arrive (a captured request could be sent again forever).
    pub fn any_timestamp(mut self) -> Verifier {
        self.tolerance = None;
        self
    }

    /// Checks `request` now: the signature matches with one of the secrets and the timestamp
    /// is within the tolerance. The delivery's id and timestamp come with the answer.
    pub fn verify(&self, request: &Request) -> Result<Verified<()>, WebhookError> {
        self.verify_at(request, SystemTime::now())
    }

    /// The headers with which the API would send `body` (its delivery `id`, signed at
    /// `timestamp`, to `url` for a scheme that signs it), signed with the first secret: for the
    /// tests of a receiver. A public key cannot sign.
    pub fn sign(
        &self,
        body: &[u8],
        (id, timestamp): (&str, i64),
        url: Option<&str>,
    ) -> Result<http::HeaderMap, SetupError> {
        let key = self
            .keys
            .first()
            .ok_or_else(|| SetupError("no secret".to_owned()))?;
        let mut headers = http::HeaderMap::new();
        let mut put = |name: &str, value: String| -> Result<(), SetupError> {
            let name = http::HeaderName::try_from(name).map_err(|e| SetupError(e.to_string()))?;
            let value =
                http::HeaderValue::try_from(value).map_err(|e| SetupError(e.to_string()))?;
            headers.insert(name, value);
            Ok(())
        };
        match (&*self.scheme, key) {
            (Scheme::Standard, Key::Standard(secret)) => {
                let signature = secret
                    .sign(id, timestamp, body)
                    .map_err(|e| SetupError(e.to_string()))?;
                put(ID, id.to_owned())?;
                put(TIMESTAMP, timestamp.to_string())?;
                put(SIGNATURE, signature)?;
            }
            (Scheme::Hmac(scheme), Key::Hmac(secret)) => {
                for (name, value) in scheme.sign(secret, body, (id, timestamp), url)? {
                    put(&name, value)?;
                }
            }
            _ => return Err(SetupError("a public key cannot sign".to_owned())),
        }
        Ok(headers)
    }

    /// Checks `request` as [`Verifier::verify`] would at time `now`.
    pub fn verify_at(
        &self,
        request: &Request,
        now: SystemTime,
    ) -> Result<Verified<()>, WebhookError> {
        let signed = match &*self.scheme {
            Scheme::Standard => standard_signed(request)?,
            Scheme::Hmac(scheme) => scheme.read(request)?,
        };
        if let (Some(timestamp), Some(tolerance)) = (signed.timestamp, self.tolerance) {
            within(timestamp, seconds_since_epoch(now), tolerance)?;
        }
        let any = self.keys.iter().any(|key| match (&*self.scheme, key) {
            (Scheme::Standard, key) => standard_matches(key, &signed),
            (Scheme::Hmac(scheme), Key::Hmac(secret)) => scheme.matches(secret, &signed),
            (Scheme::Hmac(_), _) => false,
        });
        if !any {
            return Err(WebhookError::InvalidSignature);
        }
        Ok(Verified {
            event: (),
            id: signed.id,
            timestamp: signed.timestamp,
        })
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match &*self.scheme {
            Scheme::Standard => "Standard Webhooks",
            Scheme::Hmac(_) => "HMAC",
        };
        f.debug_struct("Verifier")
            .field("scheme", &scheme)
            .field("keys", &self.keys.len())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

fn standard_key(secret: &str) -> Result<Key, String> {
    if let Some(public) = secret.strip_prefix(PUBLIC_PREFIX) {
        let bytes = STANDARD.decode(public).map_err(|e| e.to_string())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "a public key is 32 bytes".to_owned())?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|e| e.to_string())?;
        return Ok(Key::Public(key));
    }
    let key = standardwebhooks::Webhook::new(secret).map_err(|e| e.to_string())?;
    Ok(Key::Standard(key))
}

/// Each signature of a request with its version (`v1`, `v1a`; empty in an HMAC scheme), still
/// encoded.
type Signatures = Vec<(String, String)>;

/// What a request says was signed: the message, its signatures, and the delivery's id and
/// timestamp.
struct Signed {
    id: Option<String>,
    timestamp: Option<i64>,
    signatures: Signatures,
    /// The bytes an HMAC scheme signs; the body for Standard Webhooks.
    message: Vec<u8>,
}

fn standard_signed(request: &Request) -> Result<Signed, WebhookError> {
    let id = request.required_header(ID)?;
    let timestamp = parse_timestamp(TIMESTAMP, request.required_header(TIMESTAMP)?)?;
    let signatures = request.required_header(SIGNATURE)?;
    let signatures = signatures
        .split_whitespace()
        .filter_map(|s| s.split_once(','))
        .map(|(version, value)| (version.to_owned(), value.to_owned()))
        .collect();
    Ok(Signed {
        id: Some(id.to_owned()),
        timestamp: Some(timestamp),
        signatures,
        message: request.body().to_vec(),
    })
}

fn standard_matches(key: &Key, signed: &Signed) -> bool {
    let (Some(id), Some(timestamp)) = (&signed.id, signed.timestamp) else {
        return false;
    };
    let of = |version: &'static str| {
        let signatures = signed.signatures.iter();
        signatures
            .filter(move |(v, _)| v == version)
            .map(|(_, s)| s)
    };
    match key {
        Key::Standard(secret) => {
            let Ok(expected) = secret.sign(id, timestamp, &signed.message) else {
                return false;
            };
            let expected = expected.split_once(',').map_or("", |(_, s)| s);
            of("v1").any(|s| bool::from(s.as_bytes().ct_eq(expected.as_bytes())))
        }
        Key::Public(key) => {
            let mut message = format!("{id}.{timestamp}.").into_bytes();
            message.extend_from_slice(&signed.message);
            of("v1a").any(|s| {
                let Ok(bytes) = STANDARD.decode(s) else {
                    return false;
                };
                let Ok(signature) = ed25519_dalek::Signature::from_slice(&bytes) else {
                    return false;
                };
                key.verify_strict(&message, &signature).is_ok()
            })
        }
        Key::Hmac(_) => false,
    }
}

fn parse_timestamp(header: &str, text: &str) -> Result<i64, WebhookError> {
    text.trim()
        .parse()
        .map_err(|_| WebhookError::invalid_header(header, "the timestamp is not whole seconds"))
}

fn seconds_since_epoch(now: SystemTime) -> i64 {
    match now.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn within(timestamp: i64, now: i64, tolerance: Duration) -> Result<(), WebhookError> {
    let seconds = tolerance.as_secs();
    let window = i64::try_from(seconds).unwrap_or(i64::MAX);
    if now.saturating_sub(timestamp) > window {
        Err(WebhookError::TooOld {
            timestamp,
            now,
            tolerance: seconds,
        })
    } else if timestamp.saturating_sub(now) > window {
        Err(WebhookError::TooNew {
            timestamp,
            now,
            tolerance: seconds,
        })
    } else {
        Ok(())
    }
}

/// An HMAC scheme: the header that holds the signature and its format, what is signed, the
/// hash and the encoding. `HmacScheme::new("X-Signature")` signs the body with SHA-256 and
/// writes it in hex; Stripe's scheme is
/// `HmacScheme::new("Stripe-Signature").pairs("t", "v1").signed("{timestamp}.{body}")?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HmacScheme {
    header: String,
    format: SignatureFormat,
    signed: Vec<Piece>,
    encoding: Encoding,
    algorithm: Algorithm,
    timestamp_header: Option<String>,
    id_header: Option<String>,
}

/// How a signature header writes its signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureFormat {
    /// Signatures after a prefix (`sha256=…`, or none), several separated by commas or spaces.
    Plain {
        /// What comes before each signature.
        prefix: String,
    },
    /// `key=value` pairs separated by commas: the timestamp under one key, each signature
    /// under another (`t=…,v1=…,v1=…`).
    Pairs {
        /// The key of the timestamp.
        timestamp: String,
        /// The key of each signature.
        signature: String,
    },
}

/// How a signature's bytes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Lowercase or uppercase hexadecimal.
    Hex,
    /// Standard base64, with padding.
    Base64,
}

/// The hash of an HMAC scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Body,
    Timestamp,
    Url,
    Id,
}

impl HmacScheme {
    /// A scheme whose signature is in header `header`: the body signed with HMAC-SHA-256,
    /// written in hex without a prefix.
    pub fn new(header: impl Into<String>) -> HmacScheme {
        HmacScheme {
            header: header.into(),
            format: SignatureFormat::Plain {
                prefix: String::new(),
            },
            signed: vec![Piece::Body],
            encoding: Encoding::Hex,
            algorithm: Algorithm::Sha256,
            timestamp_header: None,
            id_header: None,
        }
    }

    /// Each signature follows `prefix` (`sha256=`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> HmacScheme {
        self.format = SignatureFormat::Plain {
            prefix: prefix.into(),
        };
        self
    }

    /// The header holds `key=value` pairs: the timestamp under `timestamp`, each signature
    /// under `signature` (Stripe's `t` and `v1`).
    pub fn pairs(
        mut self,
        timestamp: impl Into<String>,
        signature: impl Into<String>,
    ) -> HmacScheme {
        self.format = SignatureFormat::Pairs {
            timestamp: timestamp.into(),
            signature: signature.into(),
        };
        self
    }

    /// What is signed, as a template of `{body}`, `{timestamp}`, `{url}` and `{id}` between
    /// literal text (`{timestamp}.{body}`, `v0:{timestamp}:{body}`). A template that names
    /// something the scheme has no source for, or another name, is an error.
    pub fn signed(mut self, template: &str) -> Result<HmacScheme, SetupError> {
        self.signed = pieces(template)?;
        self.check()?;
        Ok(self)
    }

    /// The signature's encoding (hex by default).
    pub fn encoding(mut self, encoding: Encoding) -> HmacScheme {
        self.encoding = encoding;
        self
    }

    /// The hash (SHA-256 by default).
    pub fn algorithm(mut self, algorithm: Algorithm) -> HmacScheme {
        self.algorithm = algorithm;
        self
    }

    /// The timestamp is in header `name`, in seconds since the Unix epoch.
    pub fn timestamp_header(mut self, name: impl Into<String>) -> HmacScheme {
        self.timestamp_header = Some(name.into());
        self
    }

    /// The delivery's id is in header `name` (not signed unless the template says `{id}`).
    pub fn id_header(mut self, name: impl Into<String>) -> HmacScheme {
        self.id_header = Some(name.into());
        self
    }

    fn check(&self) -> Result<(), SetupError> {
        let has_timestamp =
            self.timestamp_header.is_some() || matches!(self.format, SignatureFormat::Pairs { .. });
        if self.signed.contains(&Piece::Timestamp) && !has_timestamp {
            return Err(SetupError(
                "the template signs {timestamp}, but neither pairs nor a timestamp header give one"
                    .to_owned(),
            ));
        }
        if self.signed.contains(&Piece::Id) && self.id_header.is_none() {
            return Err(SetupError(
                "the template signs {id}, but no id header gives one".to_owned(),
            ));
        }
        Ok(())
    }

    fn read(&self, request: &Request) -> Result<Signed, WebhookError> {
        self.check()
            .map_err(|e| WebhookError::invalid_header(&self.header, e.0))?;
        let header = request.required_header(&self.header)?;
        let (mut timestamp, signatures) = self.signatures(header)?;
        if let Some(name) = &self.timestamp_header {
            timestamp = Some(parse_timestamp(name, request.required_header(name)?)?);
        }
        let id = match &self.id_header {
            Some(name) => Some(request.required_header(name)?.to_owned()),
            None => None,
        };
        let message = self.message(request, timestamp, id.as_deref())?;
        Ok(Signed {
            id,
            timestamp,
            signatures,
            message,
        })
    }

    /// The timestamp and the signatures the header holds.
    fn signatures(&self, header: &str) -> Result<(Option<i64>, Signatures), WebhookError> {
        let name = &self.header;
        match &self.format {
            SignatureFormat::Plain { prefix } => {
                let found: Vec<_> = header
                    .split([',', ' '])
                    .filter_map(|s| s.trim().strip_prefix(prefix.as_str()))
                    .filter(|s| !s.is_empty())
                    .map(|s| (String::new(), s.to_owned()))
                    .collect();
                if found.is_empty() {
                    let reason = format!("no signature after `{prefix}`");
                    return Err(WebhookError::invalid_header(name, reason));
                }
                Ok((None, found))
            }
            SignatureFormat::Pairs {
                timestamp,
                signature,
            } => {
                let pairs = header.split(',').filter_map(|p| p.trim().split_once('='));
                let (mut at, mut found) = (None, Vec::new());
                for (key, value) in pairs {
                    if key == timestamp {
                        at = Some(parse_timestamp(name, value)?);
                    } else if key == signature {
                        found.push((String::new(), value.to_owned()));
                    }
                }
                let Some(at) = at else {
                    let reason = format!("no `{timestamp}=` timestamp");
                    return Err(WebhookError::invalid_header(name, reason));
                };
                Ok((Some(at), found))
            }
        }
    }

    fn message(
        &self,
        request: &Request,
        timestamp: Option<i64>,
        id: Option<&str>,
    ) -> Result<Vec<u8>, WebhookError> {
        let mut out = Vec::with_capacity(request.body().len() + 32);
        for piece in &self.signed {
            match piece {
                Piece::Text(text) => out.extend_from_slice(text.as_bytes()),
                Piece::Body => out.extend_from_slice(request.body()),
                Piece::Timestamp => {
                    out.extend_from_slice(timestamp.unwrap_or_default().to_string().as_bytes())
                }
                Piece::Id => out.extend_from_slice(id.unwrap_or_default().as_bytes()),
                Piece::Url => {
                    let url = request.url().ok_or(WebhookError::MissingUrl)?;
                    out.extend_from_slice(url.as_bytes());
                }
            }
        }
        Ok(out)
    }

    /// The headers (by name) that sign `body` with `secret`.
    fn sign(
        &self,
        secret: &[u8],
        body: &[u8],
        (id, timestamp): (&str, i64),
        url: Option<&str>,
    ) -> Result<Vec<(String, String)>, SetupError> {
        let none = http::HeaderMap::new();
        let request = Request::new(&none, body);
        let request = url.map_or(request, |url| request.with_url(url));
        let message = self
            .message(&request, Some(timestamp), Some(id))
            .map_err(|e| SetupError(e.to_string()))?;
        let mac = match self.algorithm {
            Algorithm::Sha256 => mac_of::<Hmac<sha2::Sha256>>(secret, &message),
            Algorithm::Sha512 => mac_of::<Hmac<sha2::Sha512>>(secret, &message),
        }
        .ok_or_else(|| SetupError("the secret is not a key".to_owned()))?;
        let encoded = match self.encoding {
            Encoding::Hex => mac.iter().map(|b| format!("{b:02x}")).collect(),
            Encoding::Base64 => STANDARD.encode(&mac),
        };
        let value = match &self.format {
            SignatureFormat::Plain { prefix } => format!("{prefix}{encoded}"),
            SignatureFormat::Pairs {
                timestamp: t,
                signature,
            } => format!("{t}={timestamp},{signature}={encoded}"),
        };
        let mut headers = vec![(self.header.clone(), value)];
        if let Some(name) = &self.timestamp_header {
            headers.push((name.clone(), timestamp.to_string()));
        }
        if let Some(name) = &self.id_header {
            headers.push((name.clone(), id.to_owned()));
        }
        Ok(headers)
    }

    fn matches(&self, secret: &[u8], signed: &Signed) -> bool {
        signed.signatures.iter().any(|(_, encoded)| {
            let decoded = match self.encoding {
                Encoding::Hex => hex_bytes(encoded),
                Encoding::Base64 => STANDARD.decode(encoded).ok(),
            };
            decoded.is_some_and(|bytes| self.mac_matches(secret, &signed.message, &bytes))
        })
    }

    fn mac_matches(&self, secret: &[u8], message: &[u8], signature: &[u8]) -> bool {
        match self.algorithm {
            Algorithm::Sha256 => verify_mac::<Hmac<sha2::Sha256>>(secret, message, signature),
            Algorithm::Sha512 => verify_mac::<Hmac<sha2::Sha512>>(secret, message, signature),
        }
    }
}

/// Whether `signature` is the MAC of `message` with `secret`, compared in constant time.
fn verify_mac<M: Mac + hmac::digest::KeyInit>(
    secret: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(secret) else {
        return false;
    };
    mac.update(message);
    mac.verify_slice(signature).is_ok()
}

/// The MAC of `message` with `secret`.
fn mac_of<M: Mac + hmac::digest::KeyInit>(secret: &[u8], message: &[u8]) -> Option<Vec<u8>> {
    let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(secret).ok()?;
    mac.update(message);
    Some(mac.finalize().into_bytes().to_vec())
}

fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8))
        .collect()
}

/// The pieces of a template: `{name}` placeholders between literal text.
fn pieces(template: &str) -> Result<Vec<Piece>, SetupError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| SetupError(format!("`{template}`: a `{{` is not closed")))?;
        out.push(match &rest[open + 1..open + close] {
            "body" => Piece::Body,
            "timestamp" => Piece::Timestamp,
            "url" => Piece::Url,
            "id" => Piece::Id,
            other => {
                let known = "{body}, {timestamp}, {url} or {id}";
                return Err(SetupError(format!(
                    "`{template}`: `{{{other}}}` is not one of {known}"
                )));
            }
        });
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    if !out.contains(&Piece::Body) {
        return Err(SetupError(format!(
            "`{template}` does not sign the {{body}}"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut out = HeaderMap::new();
        for (name, value) in pairs {
            out.append(*name, value.parse().unwrap());
        }
        out
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn standard(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
        headers(&[(ID, id), (TIMESTAMP, timestamp), (SIGNATURE, signature)])
    }

    const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID_1: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const SIGNATURE_1: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    /// The vectors the Standard Webhooks libraries test with: a `v1` signature, and a `v1a`
    /// one made with the published test signing key (whose public key is derived here).
    #[test]
    fn standard_webhooks_published_vectors_verify() {
        let verifier = Verifier::standard_webhooks([SECRET]).unwrap();
        let h = standard(ID_1, "1649367553", SIGNATURE_1);
        let verified = verifier
            .verify_at(&Request::new(&h, BODY), at(1649367553))
            .unwrap();
        assert_eq!(verified.id.as_deref(), Some(ID_1));
        assert_eq!(verified.timestamp, Some(1649367553));

        let seed: [u8; 32] = STANDARD
            .decode("VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=")
            .unwrap()
            .try_into()
            .unwrap();
        let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        let public = format!("whpk_{}", STANDARD.encode(public.as_bytes()));
        let verifier = Verifier::standard_webhooks([public]).unwrap();
        let signature = "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==";
        let h = standard("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", signature);
        let body = br#"{"test": 2432232314}"#;
        assert!(
            verifier
                .verify_at(&Request::new(&h, body), at(1614265330))
                .is_ok()
        );
        let changed = br#"{"test": 2432232315}"#;
        let error = verifier.verify_at(&Request::new(&h, changed), at(1614265330));
        assert!(
            matches!(error, Err(WebhookError::InvalidSignature)),
            "{error:?}"
        );
    }

    #[test]
    fn each_failure_has_its_own_error() {
        let verifier = Verifier::standard_webhooks([SECRET]).unwrap();
        let check =
            |h: &HeaderMap, body: &[u8], now| verifier.verify_at(&Request::new(h, body), at(now));
        let good = standard(ID_1, "1649367553", SIGNATURE_1);
        let changed = br#"{"email":"test@example.com","username":"test_usef"}"#;
        assert!(matches!(
            check(&good, changed, 1649367553),
            Err(WebhookError::InvalidSignature)
        ));
        let other = standard(
            ID_1,
            "1649367553",
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        );
        assert!(matches!(
            check(&other, BODY, 1649367553),
            Err(WebhookError::InvalidSignature)
        ));
        let partial = standard(ID_1, "1649367553", "v1,");
        assert!(matches!(
            check(&partial, BODY, 1649367553),
            Err(WebhookError::InvalidSignature)
        ));
        let old = check(&good, BODY, 1649367553 + 301);
        assert!(
            matches!(old, Err(WebhookError::TooOld { tolerance: 300, .. })),
            "{old:?}"
        );
        let new = check(&good, BODY, 1649367553 - 301);
        assert!(matches!(new, Err(WebhookError::TooNew { .. })), "{new:?}");
        assert!(check(&good, BODY, 1649367553 + 300).is_ok());
        let missing = headers(&[(ID, ID_1), (SIGNATURE, SIGNATURE_1)]);
        let error = check(&missing, BODY, 1649367553);
        assert!(
            matches!(&error, Err(WebhookError::MissingHeader(h)) if h == TIMESTAMP),
            "{error:?}"
        );
        let bad = standard(ID_1, "yesterday", SIGNATURE_1);
        let error = check(&bad, BODY, 1649367553);
        assert!(
            matches!(&error, Err(WebhookError::InvalidHeader { name, .. }) if name == TIMESTAMP)
        );
        let late = verifier.clone().any_timestamp();
        assert!(
            late.verify_at(&Request::new(&good, BODY), at(2_000_000_000))
                .is_ok()
        );
        let strict = verifier.tolerance(Duration::from_secs(10));
        let error = strict.verify_at(&Request::new(&good, BODY), at(1649367553 + 11));
        assert!(matches!(
            error,
            Err(WebhookError::TooOld { tolerance: 10, .. })
        ));
    }

    /// During a rotation the endpoint holds the old and the new secret; the sender may sign
    /// with either, or with both (several signatures in the header).
    #[test]
    fn secrets_rotate() {
        let new = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let verifier = Verifier::standard_webhooks([new, SECRET]).unwrap();
        let h = standard(ID_1, "1649367553", SIGNATURE_1);
        assert!(
            verifier
                .verify_at(&Request::new(&h, BODY), at(1649367553))
                .is_ok()
        );
        let both = format!("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x {SIGNATURE_1}");
        let h = standard(ID_1, "1649367553", &both);
        assert!(
            verifier
                .verify_at(&Request::new(&h, BODY), at(1649367553))
                .is_ok()
        );
        let retired = Verifier::standard_webhooks([new]).unwrap();
        let error = retired.verify_at(&Request::new(&h, BODY), at(1649367553));
        assert!(matches!(error, Err(WebhookError::InvalidSignature)));
        assert!(Verifier::standard_webhooks(Vec::<String>::new()).is_err());
        assert!(Verifier::standard_webhooks(["whsec_%%%"]).is_err());
        assert!(Verifier::standard_webhooks(["whpk_AAAA"]).is_err());
    }

    /// GitHub's published example (`X-Hub-Signature-256: sha256=<hex>` of the body).
    #[test]
    fn a_prefixed_hex_signature_of_the_body() {
        let scheme = HmacScheme::new("X-Hub-Signature-256")
            .prefix("sha256=")
            .id_header("X-GitHub-Delivery");
        let verifier = Verifier::hmac(scheme, ["It's a Secret to Everybody"]).unwrap();
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let h = headers(&[
            ("x-hub-signature-256", signature),
            ("x-github-delivery", "d-1"),
        ]);
        let verified = verifier
            .verify_at(&Request::new(&h, b"Hello, World!"), at(0))
            .unwrap();
        assert_eq!(
            (verified.id.as_deref(), verified.timestamp),
            (Some("d-1"), None)
        );
        let error = verifier.verify_at(&Request::new(&h, b"Hello, World?"), at(0));
        assert!(matches!(error, Err(WebhookError::InvalidSignature)));
        let h = headers(&[
            ("x-hub-signature-256", "757107ea"),
            ("x-github-delivery", "d-1"),
        ]);
        let error = verifier.verify_at(&Request::new(&h, b"Hello, World!"), at(0));
        assert!(
            matches!(error, Err(WebhookError::InvalidHeader { .. })),
            "{error:?}"
        );
    }

    /// Stripe's form: `t=<timestamp>,v1=<hex>` of `<timestamp>.<body>`, the `whsec_` text
    /// itself the key (the value computed with Python's `hmac`).
    #[test]
    fn timestamp_and_signature_pairs() {
        let scheme = HmacScheme::new("Stripe-Signature")
            .pairs("t", "v1")
            .signed("{timestamp}.{body}")
            .unwrap();
        let verifier = Verifier::hmac(scheme, ["whsec_test_secret"]).unwrap();
        let body = br#"{"id":"evt_1","type":"pet.created","data":{"name":"Rex"}}"#;
        let value = "t=1700000000,v0=00,v1=fb49f2596a71a6a248373bfcd4acf9d5f22599c8525118acf745c9664de10321";
        let h = headers(&[("stripe-signature", value)]);
        let verified = verifier
            .verify_at(&Request::new(&h, body), at(1700000100))
            .unwrap();
        assert_eq!(verified.timestamp, Some(1700000000));
        let error = verifier.verify_at(&Request::new(&h, body), at(1700000400));
        assert!(matches!(error, Err(WebhookError::TooOld { .. })));
        let moved = value.replace("t=1700000000", "t=1700000001");
        let h = headers(&[("stripe-signature", moved.as_str())]);
        let error = verifier.verify_at(&Request::new(&h, body), at(1700000100));
        assert!(matches!(error, Err(WebhookError::InvalidSignature)));
    }

    /// A scheme that signs the URL before the body, in base64 with SHA-512.
    #[test]
    fn the_url_is_signed_when_the_template_says() {
        let scheme = HmacScheme::new("X-Signature")
            .signed("{url}{body}")
            .unwrap()
            .encoding(Encoding::Base64)
            .algorithm(Algorithm::Sha512);
        let verifier = Verifier::hmac(scheme, ["k"]).unwrap();
        let body = br#"{"id":"evt_1","type":"pet.created","data":{"name":"Rex"}}"#;
        let signature = "EtmCp/K9TmybWKGd6PEao65E0xSMk5MeKDclcFJkTR9z1bBvqYIPJI/DTWNNqrjOWqSbqTAnyvZWhAhwx1BBxA==";
        let h = headers(&[("x-signature", signature)]);
        let request = Request::new(&h, body);
        let error = verifier.verify_at(&request, at(0));
        assert!(matches!(error, Err(WebhookError::MissingUrl)));
        let url = "https://example.com/hook?x=1";
        assert!(verifier.verify_at(&request.with_url(url), at(0)).is_ok());
        let other = request.with_url("https://example.com/hook?x=2");
        assert!(matches!(
            verifier.verify_at(&other, at(0)),
            Err(WebhookError::InvalidSignature)
        ));
    }

    /// What `sign` writes is what the specification's library and Python's `hmac` write, and
    /// what `verify` takes back.
    #[test]
    fn a_verifier_signs_as_the_api_would() {
        let verifier = Verifier::standard_webhooks([SECRET]).unwrap();
        let headers = verifier.sign(BODY, (ID_1, 1649367553), None).unwrap();
        assert_eq!(headers[SIGNATURE], SIGNATURE_1);
        assert!(
            verifier
                .verify_at(&Request::new(&headers, BODY), at(1649367553))
                .is_ok()
        );
        let scheme = HmacScheme::new("Stripe-Signature")
            .pairs("t", "v1")
            .signed("{timestamp}.{body}")
            .unwrap();
        let verifier = Verifier::hmac(scheme, ["whsec_test_secret"]).unwrap();
        let body = br#"{"id":"evt_1","type":"pet.created","data":{"name":"Rex"}}"#;
        let headers = verifier.sign(body, ("evt_1", 1700000000), None).unwrap();
        let value =
            "t=1700000000,v1=fb49f2596a71a6a248373bfcd4acf9d5f22599c8525118acf745c9664de10321";
        assert_eq!(headers["stripe-signature"], value);
        let scheme = HmacScheme::new("X-Signature")
            .signed("{url}{body}")
            .unwrap()
            .encoding(Encoding::Base64)
            .algorithm(Algorithm::Sha512)
            .id_header("X-Delivery");
        let verifier = Verifier::hmac(scheme, ["k"]).unwrap();
        let url = "https://example.com/hook?x=1";
        let headers = verifier.sign(body, ("d-1", 0), Some(url)).unwrap();
        assert_eq!(headers["x-delivery"], "d-1");
        let request = Request::new(&headers, body).with_url(url);
        assert_eq!(
            verifier.verify_at(&request, at(0)).unwrap().id.as_deref(),
            Some("d-1")
        );
        assert!(verifier.sign(body, ("d-1", 0), None).is_err());
    }

    #[test]
    fn a_template_names_what_it_signs() {
        let scheme = || HmacScheme::new("X-Signature");
        assert!(scheme().signed("{timestamp}.{body}").is_err());
        assert!(
            scheme()
                .timestamp_header("X-Timestamp")
                .signed("v0:{timestamp}:{body}")
                .is_ok()
        );
        assert!(scheme().signed("{id}.{body}").is_err());
        assert!(scheme().signed("{when}.{body}").is_err());
        assert!(scheme().signed("{timestamp").is_err());
        assert!(scheme().signed("{url}").is_err());
    }
}
