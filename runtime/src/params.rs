//! Parameter encoding: path segments, form-style query pairs, header values.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters is encoded, so `/`, `?` and `#` in a value
/// stay inside its segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter. `.` and `..` are refused: URL parsers resolve them as
/// dot segments whatever their encoding, which would move the request to another path.
pub fn encode_path_segment<E>(name: &str, value: &str) -> Result<String, crate::Error<E>> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(crate::Error::InvalidParameter {
            name: name.to_owned(),
            reason: format!("{value:?} cannot be a path segment"),
        });
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// Encodes a path parameter of any scalar type: its text, percent-encoded as one segment.
pub fn encode_path<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
) -> Result<String, crate::Error<E>> {
    let value = serde_json::to_value(value).map_err(crate::Error::Encode)?;
    let text = match &value {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(scalar)
            .collect::<Vec<_>>()
            .join(","),
        other => scalar(other).unwrap_or_default(),
    };
    encode_path_segment(name, &text)
}

/// The text of a scalar JSON value as a parameter; `None` for `null`.
fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The query pairs of a parameter in form style with `explode: true`, OpenAPI's default: an
/// array repeats the name, an object gives one pair per property, `null` gives nothing.
pub fn query_pairs<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
) -> Result<Vec<(String, String)>, crate::Error<E>> {
    let value = serde_json::to_value(value).map_err(crate::Error::Encode)?;
    Ok(match value {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(scalar)
            .map(|v| (name.to_owned(), v))
            .collect(),
        serde_json::Value::Object(props) => props
            .iter()
            .filter_map(|(k, v)| scalar(v).map(|v| (k.clone(), v)))
            .collect(),
        other => scalar(&other)
            .map(|v| (name.to_owned(), v))
            .into_iter()
            .collect(),
    })
}

/// The values of a header parameter in simple style: arrays are joined with commas.
pub fn header_values<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
) -> Result<Option<String>, crate::Error<E>> {
    let value = serde_json::to_value(value).map_err(crate::Error::Encode)?;
    let text = match value {
        serde_json::Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => scalar(&other),
    };
    if let Some(t) = &text {
        reqwest::header::HeaderValue::from_str(t).map_err(|e| crate::Error::InvalidParameter {
            name: name.to_owned(),
            reason: format!("not a valid header value: {e}"),
        })?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    type E = crate::Error<()>;

    #[test]
    fn hostile_path_values_stay_in_their_segment() {
        assert_eq!(
            encode_path_segment::<()>("p", "../admin?x=1#y").unwrap(),
            "..%2Fadmin%3Fx%3D1%23y"
        );
        assert_eq!(
            encode_path_segment::<()>("p", "a b/é").unwrap(),
            "a%20b%2F%C3%A9"
        );
        assert!(matches!(
            encode_path_segment::<()>("p", ".."),
            Err(E::InvalidParameter { .. })
        ));
        assert!(encode_path_segment::<()>("p", "").is_err());
    }

    #[test]
    fn query_is_form_style_exploded() {
        let pairs = |v: serde_json::Value| query_pairs::<_, ()>("tag", &v).unwrap();
        assert_eq!(
            pairs(serde_json::json!(["a", "b"])),
            [("tag".into(), "a".into()), ("tag".into(), "b".into())]
        );
        assert_eq!(pairs(serde_json::json!(3)), [("tag".into(), "3".into())]);
        assert_eq!(pairs(serde_json::json!(null)), []);
        assert_eq!(
            pairs(serde_json::json!({"x": 1})),
            [("x".into(), "1".into())]
        );
    }

    #[test]
    fn invalid_header_values_are_errors() {
        assert_eq!(
            header_values::<_, ()>("h", &42).unwrap().as_deref(),
            Some("42")
        );
        assert!(matches!(
            header_values::<_, ()>("h", &"a\nb"),
            Err(E::InvalidParameter { .. })
        ));
    }
}
