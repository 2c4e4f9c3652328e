//! Behaviour of the generated models, one feature per test, on the compiled fixture modules.

use serde_json::{Value, json};
use tests::fixtures::*;

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

#[test]
fn optional_nullable_fields_keep_absent_null_and_value_apart() {
    use tri_state::Patch;
    let absent: Patch = decode(json!({"id": 1, "note": null})).unwrap();
    let null: Patch = decode(json!({"id": 1, "note": null, "email_tmp": null})).unwrap();
    let value: Patch = decode(json!({"id": 1, "note": null, "email_tmp": "a@b.c"})).unwrap();
    assert_eq!(absent.email_tmp, None);
    assert_eq!(null.email_tmp, Some(None));
    assert_eq!(value.email_tmp, Some(Some("a@b.c".to_owned())));
    // Each encodes back to what it was: left out, `null`, the value.
    assert_eq!(encode(&absent), json!({"id": 1, "note": null}));
    assert_eq!(
        encode(&null),
        json!({"id": 1, "note": null, "email_tmp": null})
    );
    assert_eq!(
        encode(&value),
        json!({"id": 1, "note": null, "email_tmp": "a@b.c"})
    );
}

#[test]
fn required_nullable_fields_must_be_present_and_may_be_null() {
    use tri_state::Patch;
    let err = decode::<Patch>(json!({"id": 1})).unwrap_err();
    assert!(err.to_string().contains("missing field `note`"), "{err}");
    let p: Patch = decode(json!({"id": 1, "note": "hi"})).unwrap();
    assert_eq!(p.note.as_deref(), Some("hi"));
    // A required nullable field that is `None` is sent as `null`, never left out.
    let mut p: Patch = decode(json!({"id": 2, "note": "hi", "name": "n"})).unwrap();
    (p.note, p.name) = (None, None);
    assert_eq!(encode(&p), json!({"id": 2, "note": null}));
    // A required field that is missing is an error; an optional one that is `None` is not sent.
    assert!(decode::<Patch>(json!({"note": null})).is_err());
}

#[test]
fn string_enums_are_open() {
    use open_enums::Lang;
    assert_eq!(decode::<Lang>(json!("en_GB")).unwrap(), Lang::EnGb);
    assert_eq!(
        decode::<Lang>(json!("Customer Care")).unwrap(),
        Lang::CustomerCare
    );
    // A listed value that is literally "unknown" does not take the catch-all's name.
    assert_eq!(decode::<Lang>(json!("unknown")).unwrap(), Lang::Unknown2);
    let other: Lang = decode(json!("pt_BR")).unwrap();
    assert_eq!(other, Lang::Unknown("pt_BR".to_owned()));
    assert_eq!(encode(&other), json!("pt_BR"));
    assert_eq!(Lang::FrFr.to_string(), "fr_FR");
    assert_eq!("fr_FR".parse::<Lang>().unwrap(), Lang::FrFr);
    assert_eq!(Lang::VALUES, ["en_GB", "fr_FR", "unknown", "Customer Care"]);
}

#[test]
fn integer_enums_are_open_and_use_x_enum_varnames() {
    use open_enums::Code;
    assert_eq!(decode::<Code>(json!(404)).unwrap(), Code::NotFound);
    assert_eq!(Code::Ok.value(), 200);
    let other: Code = decode(json!(418)).unwrap();
    assert_eq!(other, Code::Unknown(418));
    assert_eq!(encode(&other), json!(418));
    assert!(
        decode::<Code>(json!("404")).is_err(),
        "a string is not an integer code"
    );
}

#[test]
fn inline_enums_are_named_after_their_place() {
    let h: open_enums::Holder = decode(json!({"level": "high", "lang": "fr_FR"})).unwrap();
    assert_eq!(h.level, Some(open_enums::HolderLevel::High));
}

#[test]
fn maps_and_free_form_objects() {
    let e: maps::Errors = decode(json!({"email": ["taken", "too long"]})).unwrap();
    assert_eq!(e["email"], ["taken", "too long"]);
    let bag: maps::Bag = decode(json!({
        "free": {"a": [1, {"b": null}]},
        "anything": 3.5,
        "counts": {"x": 1},
        "nullable_values": {"y": null, "z": "v"}
    }))
    .unwrap();
    assert_eq!(bag.free.as_ref().unwrap()["a"], json!([1, {"b": null}]));
    assert_eq!(bag.anything, Some(json!(3.5)));
    assert_eq!(bag.counts.as_ref().unwrap()["x"], 1i32);
    assert_eq!(bag.nullable_values.as_ref().unwrap()["y"], None);
}

#[test]
fn extra_properties_survive_a_round_trip_when_allowed() {
    let input = json!({"id": 1, "additional_properties": "named", "x": {"deep": true}, "y": [1]});
    let open: extra_properties::Open = decode(input.clone()).unwrap();
    assert_eq!(open.additional_properties.as_deref(), Some("named"));
    assert_eq!(open.additional_properties_2["x"], json!({"deep": true}));
    assert_eq!(encode(&open), input);

    let typed: extra_properties::Typed = decode(json!({"name": "n", "a": 1})).unwrap();
    assert_eq!(typed.additional_properties["a"], 1);
    assert!(decode::<extra_properties::Typed>(json!({"a": "not an integer"})).is_err());

    assert!(decode::<extra_properties::Closed>(json!({"id": 1, "x": 2})).is_err());
    // Without `additionalProperties` they are allowed, and a type an answer may hold keeps them.
    let silent: extra_properties::Silent = decode(json!({"id": 1, "x": 2})).unwrap();
    assert_eq!(silent.additional_properties["x"], json!(2));
    assert_eq!(encode(&silent), json!({"id": 1, "x": 2}));
}

#[test]
fn all_of_merges_members_into_one_struct() {
    let n: all_of::Named = decode(json!({"id": 1, "name": "n", "kind": "a"})).unwrap();
    assert_eq!((n.id, n.name.as_str()), (1, "n"));
    assert_eq!(n.kind, Some(all_of::BaseKind::A));
    assert!(
        decode::<all_of::Named>(json!({"id": 1})).is_err(),
        "name is required"
    );
    let d: all_of::Deep = decode(json!({"id": 1, "name": "n", "extra": true})).unwrap();
    assert_eq!(d.extra, Some(true));
    // A single-member allOf is the member itself.
    let j: all_of::JustARef = decode::<all_of::Base>(json!({"id": 3})).unwrap();
    assert_eq!(encode(&j), json!({"id": 3}));
}

#[test]
fn one_of_without_discriminator_picks_the_first_fitting_variant() {
    use one_of::{IdOrName, InlineMembers, Shape};
    assert!(
        matches!(decode::<Shape>(json!({"radius": 1.5})).unwrap(), Shape::Circle(c) if c.radius == 1.5)
    );
    assert!(matches!(
        decode::<Shape>(json!({"side": 2})).unwrap(),
        Shape::Square(_)
    ));
    assert!(decode::<Shape>(json!({"colour": "red"})).is_err());
    assert_eq!(decode::<IdOrName>(json!(7)).unwrap(), IdOrName::Integer(7));
    assert_eq!(
        decode::<IdOrName>(json!("x")).unwrap(),
        IdOrName::String("x".into())
    );
    assert_eq!(
        encode(&IdOrName::StringList(vec!["a".into()])),
        json!(["a"])
    );
    assert!(matches!(
        decode::<InlineMembers>(json!({"b": "x"})).unwrap(),
        InlineMembers::Object2(_)
    ));
}

/// Unions in unions are told apart by the property each member requires, at every level, and
/// a body that fits none says why, member by member.
#[test]
fn nested_unions_pick_each_level_by_what_the_body_holds() {
    use nested_unions::{Inner, Middle, Outer};
    let body = json!({"a3": {"b5": {"c2": "text", "x": 7}, "m": true}, "m": false});
    let outer: Outer = decode(body.clone()).unwrap();
    let Outer::Outer3(o) = &outer else {
        panic!("{outer:?}")
    };
    let Middle::Middle5(m) = &o.a3 else {
        panic!("{o:?}")
    };
    assert!(matches!(&m.b5, Inner::Inner2(i) if i.c2 == "text" && i.x == Some(7)));
    assert_eq!(encode(&outer), body);
    let e = decode::<Outer>(json!({"a9": 1})).unwrap_err().to_string();
    assert!(e.contains("`Outer1` missing property `a1`"), "{e}");
    assert!(e.contains("`Outer6` missing property `a6`"), "{e}");
}

#[test]
fn discriminator_picks_the_variant_by_tag() {
    use discriminator::{Implicit, Pet};
    let cat: Pet = decode(json!({"pet_type": "kitty", "lives": 9})).unwrap();
    assert!(matches!(&cat, Pet::Cat(c) if c.lives == Some(9)));
    // The tag stays in the struct, so the value encodes back unchanged.
    assert_eq!(encode(&cat), json!({"pet_type": "kitty", "lives": 9}));
    // Dog has no mapping entry, so its schema name is its tag.
    assert!(matches!(
        decode::<Pet>(json!({"pet_type": "Dog"})).unwrap(),
        Pet::Dog(_)
    ));
    // A tag no variant has is a kind of pet the API added later: kept whole, not an error.
    let cow = json!({"pet_type": "cow", "moos": true});
    let unknown: Pet = decode(cow.clone()).unwrap();
    assert_eq!(unknown, Pet::Unknown(cow.clone()));
    assert_eq!(encode(&unknown), cow);
    // A known tag whose body does not fit is an error that says why.
    let err = decode::<Pet>(json!({"pet_type": "cat", "lives": "nine"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`Cat` invalid type: string \"nine\""), "{err}");
    assert!(
        decode::<Pet>(json!({"lives": 1}))
            .unwrap_err()
            .to_string()
            .contains("pet_type")
    );
    assert!(matches!(
        decode::<Implicit>(json!({"pet_type": "Cat"})).unwrap(),
        Implicit::Cat(_)
    ));
    // Each variant's type converts into the union.
    let cat: discriminator::Cat = decode(json!({"pet_type": "cat", "lives": 3})).unwrap();
    assert!(matches!(Pet::from(cat), Pet::Cat(c) if c.lives == Some(3)));
}

#[test]
fn recursive_schemas_are_boxed_where_needed() {
    use recursion::{Expr, Node, Ping, Sum};
    let tree =
        json!({"value": 1, "parent": {"value": 0}, "children": [{"value": 2, "children": []}]});
    let node: Node = decode(tree.clone()).unwrap();
    assert_eq!(node.parent.as_ref().unwrap().value, 0);
    assert_eq!(encode(&node), tree);
    let ping: Ping = decode(json!({"pong": {"ping": {}}})).unwrap();
    assert!(ping.pong.unwrap().ping.is_some());
    let expr: Expr = decode(json!({"left": 1, "right": {"left": 2, "right": 3}})).unwrap();
    let Expr::Sum(sum) = expr else {
        panic!("a sum")
    };
    let Sum { left, right, .. } = *sum;
    assert_eq!(*left, Expr::Integer(1));
    assert!(matches!(*right, Expr::Sum(_)));
}

#[test]
fn keywords_and_std_names_do_not_break_the_output() {
    use keywords::{Option as OptionModel, SelfType, String as StringModel, Type, Type2};
    let s: StringModel = decode(json!({"value": "v", "maybe": null})).unwrap();
    assert_eq!(s.maybe, Some(None));
    let o: OptionModel = decode(json!({"items": [{"value": "v"}]})).unwrap();
    assert_eq!(o.items.unwrap().len(), 1);
    let t: Type = decode(json!({"async": "yes"})).unwrap();
    assert_eq!(t.r#async.as_deref(), Some("yes"));
    let raw = json!({"type": "t", "match": true, "1st": 1, "fooBar": "a", "foo_bar": "b"});
    let t2: Type2 = decode(raw.clone()).unwrap();
    assert_eq!(
        (t2.r#type.as_deref(), t2.r#match, t2._1st),
        (Some("t"), Some(true), Some(1))
    );
    assert_eq!(
        (t2.foo_bar.as_deref(), t2.foo_bar_2.as_deref()),
        (Some("a"), Some("b"))
    );
    assert_eq!(encode(&t2), raw);
    let me: SelfType = decode(json!({"self": "x"})).unwrap();
    assert_eq!(me.self_.as_deref(), Some("x"));
}

#[test]
fn formats_map_to_rust_types() {
    let f: formats::Formats = decode(json!({
        "small": 1, "big": 9007199254740993i64, "plain": -1, "ratio": 0.5, "whole": 2,
        "when": "2025-05-04T09:42:00+02:00", "day": "2025-05-04", "blob": "AA", "flag": false
    }))
    .unwrap();
    let _: Option<i32> = f.small;
    assert_eq!(f.big, Some(9007199254740993i64));
    assert_eq!(f.when.unwrap().offset().local_minus_utc(), 7200);
    assert_eq!(f.day.unwrap().to_string(), "2025-05-04");
    assert!(decode::<formats::Formats>(json!({"when": "yesterday"})).is_err());
    assert!(
        decode::<formats::Formats>(json!({"small": 3_000_000_000i64})).is_err(),
        "int32 overflows"
    );
    let tags: formats::Tags = decode(json!(["a", null])).unwrap();
    assert_eq!(tags, vec![Some("a".to_owned()), None]);
}

/// Dates and times are read as RFC 3339 and, where that fails, as chrono reads them (a
/// `+0200` offset, `UTC`), from text and from a value, in every presence of a field.
#[test]
fn dates_and_times_read_as_chrono_reads_them() {
    use formats::Times;
    let text = r#"{"at": "2025-05-04T09:42:00.5+02:00", "seen": null, "gone": null}"#;
    let t: Times = serde_json::from_str(text).unwrap();
    assert_eq!(t.at.to_rfc3339(), "2025-05-04T09:42:00.500+02:00");
    assert_eq!((t.seen, t.until, t.gone), (None, None, Some(None)));
    let relaxed = json!({
        "at": "2025-05-04 09:42:00Z", "seen": "2025-05-04T09:42:00+0200",
        "until": "2025-05-04T09:42:00 UTC", "gone": "2025-05-04t09:42:00z"
    });
    for t in [
        decode::<Times>(relaxed.clone()).unwrap(),
        serde_json::from_str::<Times>(&relaxed.to_string()).unwrap(),
    ] {
        let seen = t.seen.unwrap();
        assert_eq!(seen.to_rfc3339(), "2025-05-04T09:42:00+02:00");
        assert_eq!(t.until.unwrap().to_rfc3339(), "2025-05-04T09:42:00+00:00");
        assert_eq!(t.gone.flatten(), Some(t.at));
    }
    let back: Value = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(
        back,
        json!({"at": "2025-05-04T09:42:00.500+02:00", "seen": null, "gone": null})
    );
    for bad in [
        json!({"at": "2025-05-04T09:42Z", "seen": null}),
        json!({"at": 1746344520, "seen": null}),
        json!({"at": "2025-05-04T09:42:00Z"}),
        json!({"at": "2025-05-04T09:42:00Z", "seen": null, "until": "soon"}),
    ] {
        assert!(decode::<Times>(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn inline_request_and_response_schemas_get_stable_names() {
    use inline_names::{
        UpdateOrderMode, UpdateOrderRequest, UpdateOrderRequestLinesItemStatus,
        UpdateOrderResponse200,
    };
    let body: UpdateOrderRequest =
        decode(json!({"lines": [{"sku": "A", "status": "closed"}]})).unwrap();
    assert_eq!(
        body.lines.unwrap()[0].status,
        Some(UpdateOrderRequestLinesItemStatus::Closed)
    );
    assert_eq!(UpdateOrderMode::Fast.as_str(), "fast");
    let r: UpdateOrderResponse200 = decode(json!({"shipping": {"city": "Paris"}})).unwrap();
    assert_eq!(r.shipping.unwrap().city.as_deref(), Some("Paris"));
}

#[test]
fn repeated_inline_shapes_are_one_type_named_for_what_they_are() {
    use dedupe::{Author, Issue, PullRequest, State};
    // Both authors stand under `author`: one type, named for it, which both fields hold.
    let mut author: Author = decode(json!({})).unwrap();
    (author.login, author.state) = (Some("octocat".into()), Some(State::Open));
    let mut pr: PullRequest = decode(json!({})).unwrap();
    pr.author = Some(author.clone());
    assert_eq!(
        encode(&pr),
        json!({"author": {"login": "octocat", "state": "open"}})
    );
    let issue: Issue = decode(json!({"author": {"login": "octocat", "state": "open"}})).unwrap();
    assert_eq!(issue.author, Some(author));
    // The inline states repeat the component `State`, which keeps its own definition.
    let state: Option<State> = issue.state;
    assert_eq!(state, None);
    let draft: dedupe::PullRequestDraftState = decode(json!("draft")).unwrap();
    assert_eq!(draft.as_str(), "draft");
}
