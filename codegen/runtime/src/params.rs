//! Parameter encoding in every style of OpenAPI 3.0 and 3.1: path (`simple`, `label`,
//! `matrix`), query (`form`, `spaceDelimited`, `pipeDelimited`, `deepObject`), header
//! (`simple`) and cookie (`form`), exploded or not, for scalars, lists and objects; and
//! parameters given as JSON (`content: application/json`).
//!
//! Values are percent-encoded as RFC 3986 and the specification's style table say; the
//! delimiters a style adds (`,` `;` `.` `=` `&`) are not.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Everything but RFC 3986's unreserved characters is encoded, so `/`, `?` and `#` in a value
/// stay inside its segment or query value.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// With `allowReserved`: RFC 3986's reserved characters are sent as they are, but for `#`,
/// which would end the query, and `%`, `+` and space, which would change the value.
const RESERVED_ALLOWED: &AsciiSet = &UNRESERVED
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// How a parameter is serialized: OpenAPI's `style`, `explode` and `allowReserved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// OpenAPI's `style`.
    pub kind: StyleKind,
    /// OpenAPI's `explode`.
    pub explode: bool,
    /// OpenAPI's `allowReserved`: reserved characters are sent as they are.
    pub allow_reserved: bool,
}

/// OpenAPI's `style` values, and `Json` for a parameter described by `content` with a JSON
/// media type (the value's JSON text is the parameter's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StyleKind {
    /// `a,b` (path and header default).
    Simple,
    /// `.a.b`.
    Label,
    /// `;name=a,b`.
    Matrix,
    /// `name=a&name=b`, or `name=a,b` unexploded (query and cookie default).
    Form,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[key]=value`, and the bracket convention below one level.
    DeepObject,
    /// The value's JSON text (a parameter described by `content`).
    Json,
}

impl Style {
    /// The default of path parameters: `simple`, not exploded.
    pub const PATH: Style = Style::new(StyleKind::Simple, false);
    /// The default of query parameters: `form`, exploded.
    pub const QUERY: Style = Style::new(StyleKind::Form, true);
    /// The default of header parameters: `simple`, not exploded.
    pub const HEADER: Style = Style::new(StyleKind::Simple, false);
    /// The default of cookie parameters: `form`, exploded.
    pub const COOKIE: Style = Style::new(StyleKind::Form, true);

    /// A style with `allowReserved` off.
    pub const fn new(kind: StyleKind, explode: bool) -> Style {
        Style {
            kind,
            explode,
            allow_reserved: false,
        }
    }

    /// The same style, sending RFC 3986's reserved characters unencoded in query values.
    pub const fn allow_reserved(self) -> Style {
        Style {
            allow_reserved: true,
            ..self
        }
    }
}

/// A parameter's value as the styles see it.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// `null`, or nothing.
    Undefined,
    Text(String),
    List(Vec<String>),
    /// An object's properties, in order.
    Props(Vec<(String, String)>),
}

/// The text of a JSON value inside a list or an object: scalars as themselves, anything else
/// as its JSON text.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shape<T: serde::Serialize + ?Sized, E>(
    value: &T,
    style: Style,
) -> Result<Shape, crate::Error<E>> {
    let value = serde_json::to_value(value).map_err(crate::Error::Encode)?;
    if style.kind == StyleKind::Json {
        return Ok(match value {
            Value::Null => Shape::Undefined,
            other => Shape::Text(other.to_string()),
        });
    }
    Ok(match value {
        Value::Null => Shape::Undefined,
        // An empty list or object is undefined, as RFC 6570 has it: nothing is sent.
        Value::Array(items) if items.is_empty() => Shape::Undefined,
        Value::Object(props) if props.is_empty() => Shape::Undefined,
        Value::Array(items) => Shape::List(items.iter().map(text).collect()),
        Value::Object(props) => Shape::Props(
            props
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), text(v)))
                .collect(),
        ),
        other => Shape::Text(text(&other)),
    })
}

fn encode(value: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(value, set).to_string()
}

/// `k,v,k,v` (not exploded) or `k=v` joined by `separator` (exploded), each part encoded.
fn props(
    props: &[(String, String)],
    explode: bool,
    separator: &str,
    set: &'static AsciiSet,
) -> String {
    let pairs = props.iter().map(|(k, v)| {
        let (k, v) = (encode(k, set), encode(v, set));
        if explode {
            format!("{k}={v}")
        } else {
            format!("{k},{v}")
        }
    });
    pairs
        .collect::<Vec<_>>()
        .join(if explode { separator } else { "," })
}

fn list(items: &[String], separator: &str, set: &'static AsciiSet) -> String {
    items
        .iter()
        .map(|i| encode(i, set))
        .collect::<Vec<_>>()
        .join(separator)
}

/// What replaces `{name}` in the path: the value in its style, percent-encoded so that it stays
/// one segment. `.` and `..` are refused: URL parsers resolve them as dot segments whatever
/// their encoding, which would move the request to another path.
pub fn path_value<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<String, crate::Error<E>> {
    let shape = shape(value, style)?;
    let set = UNRESERVED;
    let (explode, n) = (style.explode, encode(name, set));
    let text = match (style.kind, &shape) {
        (StyleKind::Label, Shape::Undefined) => ".".to_owned(),
        (StyleKind::Label, Shape::Text(t)) => format!(".{}", encode(t, set)),
        (StyleKind::Label, Shape::List(l)) => {
            format!(".{}", list(l, if explode { "." } else { "," }, set))
        }
        (StyleKind::Label, Shape::Props(p)) => format!(".{}", props(p, explode, ".", set)),
        (StyleKind::Matrix, Shape::Undefined) => format!(";{n}"),
        (StyleKind::Matrix, Shape::Text(t)) => format!(";{n}={}", encode(t, set)),
        (StyleKind::Matrix, Shape::List(l)) if explode => l
            .iter()
            .map(|i| format!(";{n}={}", encode(i, set)))
            .collect(),
        (StyleKind::Matrix, Shape::List(l)) => format!(";{n}={}", list(l, ",", set)),
        (StyleKind::Matrix, Shape::Props(p)) if explode => format!(";{}", props(p, true, ";", set)),
        (StyleKind::Matrix, Shape::Props(p)) => format!(";{n}={}", props(p, false, ",", set)),
        (_, Shape::Undefined) => String::new(),
        (_, Shape::Text(t)) => encode(t, set),
        (_, Shape::List(l)) => list(l, ",", set),
        (_, Shape::Props(p)) => props(p, explode, ",", set),
    };
    if text.is_empty() || text == "." || text == ".." {
        return Err(crate::Error::InvalidParameter {
            name: name.to_owned(),
            reason: format!("{text:?} cannot be a path segment"),
        });
    }
    Ok(text)
}

/// A path parameter in the default style (`simple`): its text, percent-encoded as one segment.
pub fn encode_path<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
) -> Result<String, crate::Error<E>> {
    path_value(name, value, Style::PATH)
}

/// The query of a parameter: `name=value` parts, already percent-encoded, to be joined with
/// `&`. `null` gives none.
///
/// `deepObject` values, and what an exploded `form` value holds deeper than the style can say
/// (an object in an object, a list of objects), are written in the bracket convention that
/// servers parse (Rails, PHP, Express's `qs`): `a[b][c]=x`, `a[b][0][c]=x`, and `a[]=x` for a
/// list of plain values.
pub fn query_parts<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<Vec<String>, crate::Error<E>> {
    let set = if style.allow_reserved {
        RESERVED_ALLOWED
    } else {
        UNRESERVED
    };
    let n = encode(name, UNRESERVED);
    let json = serde_json::to_value(value).map_err(crate::Error::Encode)?;
    if style.kind == StyleKind::DeepObject && is_container(&json) {
        let mut out = Vec::new();
        brackets(n, &json, set, &mut out);
        return Ok(out);
    }
    if style.kind == StyleKind::Form && style.explode && holds_containers(&json) {
        return Ok(exploded_form(&n, &json, set));
    }
    let one = |v: String| vec![format!("{n}={v}")];
    Ok(match (style.kind, shape(&json, style)?) {
        (_, Shape::Undefined) => Vec::new(),
        (_, Shape::Text(t)) => one(encode(&t, set)),
        (StyleKind::SpaceDelimited, Shape::List(l)) => one(list(&l, "%20", set)),
        (StyleKind::PipeDelimited, Shape::List(l)) => one(list(&l, "%7C", set)),
        (StyleKind::SpaceDelimited, Shape::Props(p)) => one(flat(&p, "%20", set)),
        (StyleKind::PipeDelimited, Shape::Props(p)) => one(flat(&p, "%7C", set)),
        (StyleKind::DeepObject, Shape::Props(p)) => p
            .iter()
            .map(|(k, v)| format!("{n}%5B{}%5D={}", encode(k, UNRESERVED), encode(v, set)))
            .collect(),
        (_, Shape::List(l)) if style.explode => l
            .iter()
            .map(|i| format!("{n}={}", encode(i, set)))
            .collect(),
        (_, Shape::List(l)) => one(list(&l, ",", set)),
        (_, Shape::Props(p)) if style.explode => p
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, UNRESERVED), encode(v, set)))
            .collect(),
        (_, Shape::Props(p)) => one(props(&p, false, ",", set)),
    })
}

fn is_container(value: &Value) -> bool {
    matches!(value, Value::Array(_) | Value::Object(_))
}

/// Whether a list or an object holds a list or an object.
fn holds_containers(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(is_container),
        Value::Object(props) => props.values().any(is_container),
        _ => false,
    }
}

/// `name[key]=value` parts of a value, down to its plain values; `name` is encoded already.
/// A list of plain values is `name[]=v` for each; a list that holds containers is indexed.
fn brackets(name: String, value: &Value, set: &'static AsciiSet, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Object(props) => {
            for (k, v) in props {
                brackets(
                    format!("{name}%5B{}%5D", encode(k, UNRESERVED)),
                    v,
                    set,
                    out,
                );
            }
        }
        Value::Array(items) if !items.iter().any(is_container) => {
            for item in items.iter().filter(|i| !i.is_null()) {
                out.push(format!("{name}%5B%5D={}", encode(&text(item), set)));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                brackets(format!("{name}%5B{i}%5D"), item, set, out);
            }
        }
        plain => out.push(format!("{name}={}", encode(&text(plain), set))),
    }
}

/// An exploded `form` value as the style writes it (`name=v` per item, `k=v` per property),
/// with what the style cannot say in brackets below that: `k[c]=x`, `name[0][c]=x`.
fn exploded_form(name: &str, value: &Value, set: &'static AsciiSet) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Null => {}
                    item if is_container(item) => {
                        brackets(format!("{name}%5B{i}%5D"), item, set, &mut out)
                    }
                    plain => out.push(format!("{name}={}", encode(&text(plain), set))),
                }
            }
        }
        Value::Object(props) => {
            for (k, v) in props {
                brackets(encode(k, UNRESERVED), v, set, &mut out);
            }
        }
        plain => out.push(format!("{name}={}", encode(&text(plain), set))),
    }
    out
}

/// An object's properties as `k`, `v`, `k`, `v` joined by `separator`.
fn flat(props: &[(String, String)], separator: &str, set: &'static AsciiSet) -> String {
    let items: Vec<String> = props
        .iter()
        .flat_map(|(k, v)| [k.clone(), v.clone()])
        .collect();
    list(&items, separator, set)
}

/// The value of a header parameter in `simple` style; `None` for `null`. A value that cannot be
/// a header is an error.
pub fn header_value<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<Option<String>, crate::Error<E>> {
    let text = match shape(value, style)? {
        Shape::Undefined => return Ok(None),
        Shape::Text(t) => t,
        Shape::List(l) => l.join(","),
        Shape::Props(p) => p
            .iter()
            .map(|(k, v)| {
                if style.explode {
                    format!("{k}={v}")
                } else {
                    format!("{k},{v}")
                }
            })
            .collect::<Vec<_>>()
            .join(","),
    };
    reqwest::header::HeaderValue::from_str(&text).map_err(|e| crate::Error::InvalidParameter {
        name: name.to_owned(),
        reason: format!("not a valid header value: {e}"),
    })?;
    Ok(Some(text))
}

/// What a cookie value cannot hold as it is (RFC 6265's cookie-octets exclude controls,
/// spaces, `"`, `,`, `;` and the backslash), percent-encoded; everything else (an API key's
/// `+`, `/`, `=`) is sent as written.
const COOKIE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\');

/// A cookie name cannot hold `=` either.
const COOKIE_NAME: &AsciiSet = &COOKIE.add(b'=');

/// A cookie value as the `Cookie` header carries it.
pub(crate) fn cookie_text(value: &str) -> String {
    encode(value, COOKIE)
}

/// The `name=value` pairs of a cookie parameter in `form` style; what a cookie cannot hold is
/// percent-encoded; `null` gives none.
pub fn cookie_pairs<T: serde::Serialize + ?Sized, E>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<Vec<(String, String)>, crate::Error<E>> {
    let set = COOKIE;
    let pair = |v: String| vec![(name.to_owned(), v)];
    Ok(match shape(value, style)? {
        Shape::Undefined => Vec::new(),
        Shape::Text(t) => pair(encode(&t, set)),
        Shape::List(l) if style.explode => l
            .iter()
            .map(|i| (name.to_owned(), encode(i, set)))
            .collect(),
        Shape::List(l) => pair(list(&l, ",", set)),
        Shape::Props(p) if style.explode => p
            .iter()
            .map(|(k, v)| (encode(k, COOKIE_NAME), encode(v, set)))
            .collect(),
        Shape::Props(p) => pair(props(&p, false, ",", set)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type E = crate::Error<()>;

    fn style(kind: StyleKind, explode: bool) -> Style {
        Style::new(kind, explode)
    }

    /// The values of the specification's style table.
    fn values() -> [Value; 3] {
        [
            json!("blue"),
            json!(["blue", "black", "brown"]),
            json!({"R": 100, "G": 200, "B": 150}),
        ]
    }

    /// The "Style Examples" table of OpenAPI 3.1.1 (and 3.0.4), row by row: string, array,
    /// object.
    #[test]
    fn path_styles_follow_the_specification_table() {
        use StyleKind::*;
        let rows = [
            (
                Matrix,
                false,
                [
                    ";color=blue",
                    ";color=blue,black,brown",
                    ";color=R,100,G,200,B,150",
                ],
            ),
            (
                Matrix,
                true,
                [
                    ";color=blue",
                    ";color=blue;color=black;color=brown",
                    ";R=100;G=200;B=150",
                ],
            ),
            (
                Label,
                false,
                [".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
            ),
            (
                Label,
                true,
                [".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
            ),
            (
                Simple,
                false,
                ["blue", "blue,black,brown", "R,100,G,200,B,150"],
            ),
            (
                Simple,
                true,
                ["blue", "blue,black,brown", "R=100,G=200,B=150"],
            ),
        ];
        for (kind, explode, want) in rows {
            for (value, want) in values().iter().zip(want) {
                let got = path_value::<_, ()>("color", value, style(kind, explode)).unwrap();
                assert_eq!(got, want, "{kind:?} explode={explode} {value}");
            }
        }
        // An undefined label value is `.`, a dot segment: it would move the request.
        assert!(path_value::<_, ()>("color", &json!(null), style(Label, false)).is_err());
        assert_eq!(
            path_value::<_, ()>("color", &json!(null), style(Matrix, true)).unwrap(),
            ";color"
        );
    }

    #[test]
    fn query_styles_follow_the_specification_table() {
        use StyleKind::*;
        let rows: [(StyleKind, bool, [&str; 3]); 5] = [
            (
                Form,
                false,
                [
                    "color=blue",
                    "color=blue,black,brown",
                    "color=R,100,G,200,B,150",
                ],
            ),
            (
                Form,
                true,
                [
                    "color=blue",
                    "color=blue&color=black&color=brown",
                    "R=100&G=200&B=150",
                ],
            ),
            (
                SpaceDelimited,
                false,
                [
                    "color=blue",
                    "color=blue%20black%20brown",
                    "color=R%20100%20G%20200%20B%20150",
                ],
            ),
            (
                PipeDelimited,
                false,
                [
                    "color=blue",
                    "color=blue%7Cblack%7Cbrown",
                    "color=R%7C100%7CG%7C200%7CB%7C150",
                ],
            ),
            // The table has no array for `deepObject`; the bracket convention's is `color[]`.
            (
                DeepObject,
                true,
                [
                    "color=blue",
                    "color%5B%5D=blue&color%5B%5D=black&color%5B%5D=brown",
                    "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
                ],
            ),
        ];
        for (kind, explode, want) in rows {
            for (value, want) in values().iter().zip(want) {
                let got = query_parts::<_, ()>("color", value, style(kind, explode)).unwrap();
                assert_eq!(got.join("&"), want, "{kind:?} explode={explode} {value}");
            }
        }
        assert!(
            query_parts::<_, ()>("color", &json!(null), Style::QUERY)
                .unwrap()
                .is_empty()
        );
    }

    /// What `deepObject` and exploded `form` values hold deeper than one level is written in
    /// the bracket convention: objects by key, lists of objects by index, lists of plain
    /// values with `[]`.
    #[test]
    fn nested_values_are_written_in_brackets() {
        let deep = style(StyleKind::DeepObject, true);
        let value = json!({
            "custom_fields": [{"name": "PO", "value": "42"}],
            "footer": "a&b",
            "locales": ["en", "fr"],
            "gone": null
        });
        let got = query_parts::<_, ()>("invoice_settings", &value, deep).unwrap();
        assert_eq!(
            got.join("&"),
            "invoice_settings%5Bcustom_fields%5D%5B0%5D%5Bname%5D=PO&invoice_settings%5Bcustom_fields%5D%5B0%5D%5Bvalue%5D=42&invoice_settings%5Bfooter%5D=a%26b&invoice_settings%5Blocales%5D%5B%5D=en&invoice_settings%5Blocales%5D%5B%5D=fr"
        );
        let form = Style::QUERY;
        let got = query_parts::<_, ()>("items", &json!([{"price": "p_1"}, "x"]), form).unwrap();
        assert_eq!(got.join("&"), "items%5B0%5D%5Bprice%5D=p_1&items=x");
        let got = query_parts::<_, ()>("filter", &json!({"a": {"b": 1}, "c": 2}), form).unwrap();
        assert_eq!(got.join("&"), "a%5Bb%5D=1&c=2");
        // One level is what the specification's table says.
        let got = query_parts::<_, ()>("filter", &json!({"a": 1}), form).unwrap();
        assert_eq!(got.join("&"), "a=1");
    }

    #[test]
    fn header_and_cookie_styles() {
        let [s, a, o] = values();
        let header = |v: &Value, explode| {
            header_value::<_, ()>("color", v, style(StyleKind::Simple, explode))
                .unwrap()
                .unwrap()
        };
        assert_eq!(header(&s, false), "blue");
        assert_eq!(header(&a, false), "blue,black,brown");
        assert_eq!(header(&o, false), "R,100,G,200,B,150");
        assert_eq!(header(&o, true), "R=100,G=200,B=150");
        let cookie = |v: &Value, explode| {
            cookie_pairs::<_, ()>("color", v, style(StyleKind::Form, explode)).unwrap()
        };
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(cookie(&a, false), pairs(&[("color", "blue,black,brown")]));
        assert_eq!(
            cookie(&a, true),
            pairs(&[("color", "blue"), ("color", "black"), ("color", "brown")])
        );
        assert_eq!(
            cookie(&o, true),
            pairs(&[("R", "100"), ("G", "200"), ("B", "150")])
        );
        assert_eq!(
            cookie(&json!("a b;c"), true),
            pairs(&[("color", "a%20b%3Bc")])
        );
        assert_eq!(
            cookie(&json!("ab+/=="), true),
            pairs(&[("color", "ab+/==")])
        );
        assert_eq!(
            cookie(&json!({"a; admin": "1"}), true),
            pairs(&[("a%3B%20admin", "1")])
        );
        assert!(cookie(&json!([]), false).is_empty());
        let empty = query_parts::<_, ()>("c", &json!([]), style(StyleKind::Form, false));
        assert!(empty.unwrap().is_empty());
        assert_eq!(
            header_value::<_, ()>("h", &json!([]), Style::HEADER).unwrap(),
            None
        );
    }

    #[test]
    fn reserved_characters_and_json_content() {
        let v = json!("a/b?c=d&e#f");
        assert_eq!(
            query_parts::<_, ()>("q", &v, Style::QUERY).unwrap(),
            ["q=a%2Fb%3Fc%3Dd%26e%23f"]
        );
        assert_eq!(
            query_parts::<_, ()>("q", &v, Style::QUERY.allow_reserved()).unwrap(),
            ["q=a/b?c=d&e%23f"]
        );
        let filter = json!({"name": "Rex", "tags": ["a"]});
        assert_eq!(
            query_parts::<_, ()>("filter", &filter, style(StyleKind::Json, false)).unwrap(),
            ["filter=%7B%22name%22%3A%22Rex%22%2C%22tags%22%3A%5B%22a%22%5D%7D"]
        );
    }

    #[test]
    fn hostile_path_values_stay_in_their_segment() {
        assert_eq!(
            encode_path::<_, ()>("p", "../admin?x=1#y").unwrap(),
            "..%2Fadmin%3Fx%3D1%23y"
        );
        assert_eq!(
            encode_path::<_, ()>("p", "a b/é").unwrap(),
            "a%20b%2F%C3%A9"
        );
        assert!(matches!(
            encode_path::<_, ()>("p", ".."),
            Err(E::InvalidParameter { .. })
        ));
        assert!(encode_path::<_, ()>("p", "").is_err());
    }

    #[test]
    fn invalid_header_values_are_errors() {
        assert_eq!(
            header_value::<_, ()>("h", &42, Style::HEADER)
                .unwrap()
                .as_deref(),
            Some("42")
        );
        assert!(matches!(
            header_value::<_, ()>("h", &"a\nb", Style::HEADER),
            Err(E::InvalidParameter { .. })
        ));
    }
}
