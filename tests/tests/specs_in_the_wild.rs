//! Behaviour of what real vendor specs need, on the compiled fixture crates: OpenAPI 3.1
//! constructs, references anywhere, `allOf` that annotates one schema, names that collide.
//! Clients are called against wiremock on loopback.

use serde_json::{Value, json};
use tests::fixtures::*;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Decodes `value` as `T` and checks it encodes back to the same JSON.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = decode(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
    assert_eq!(encode(&decoded), value);
    decoded
}

mod v31 {
    use super::*;
    use v31_schemas::{Owner, Pet, PetAge, PetEither, PetKind};

    fn pet() -> Value {
        json!({"id": 7, "name": "Rex", "kind": "pet"})
    }

    fn with(mut base: Value, key: &str, value: Value) -> Value {
        base[key] = value;
        base
    }

    #[test]
    fn type_lists_with_null_are_optional_nullable_fields() {
        let p: Pet = round_trip(with(pet(), "nickname", Value::Null));
        assert_eq!(p.nickname, Some(None));
        let p: Pet = round_trip(with(pet(), "nickname", json!("Rexy")));
        assert_eq!(p.nickname, Some(Some("Rexy".to_owned())));
        let p: Pet = round_trip(pet());
        assert_eq!(p.nickname, None);
    }

    #[test]
    fn any_of_a_schema_and_null_is_that_schema_or_null() {
        let p: Pet = round_trip(with(pet(), "owner", Value::Null));
        assert_eq!(p.owner, Some(None));
        let p: Pet = round_trip(with(pet(), "owner", json!({"name": "Ann", "since": null})));
        let owner = p.owner.flatten().unwrap();
        assert_eq!(owner.name, "Ann");
        assert_eq!(owner.since, Some(None));
        let p: Pet = round_trip(with(pet(), "either", json!("text")));
        assert_eq!(p.either, Some(Some(PetEither::String("text".to_owned()))));
        let p: Pet = round_trip(with(pet(), "either", Value::Null));
        assert_eq!(p.either, Some(None));
    }

    #[test]
    fn const_is_a_one_value_enum_and_type_lists_are_unions() {
        let p: Pet = round_trip(with(pet(), "age", json!(3)));
        assert_eq!(p.kind, PetKind::Pet);
        assert_eq!(p.age, Some(PetAge::Integer(3)));
        let p: Pet = round_trip(with(pet(), "age", json!("unknown")));
        assert_eq!(p.age, Some(PetAge::String("unknown".to_owned())));
        // A kind of value the type list does not name is kept as it came, like an open enum's.
        let p: Pet = round_trip(with(pet(), "age", json!(true)));
        assert_eq!(p.age, Some(PetAge::Unknown(json!(true))));
    }

    #[test]
    fn tuples_defs_sibling_refs_and_pattern_properties() {
        let body = json!({
            "id": 1, "name": "a", "kind": "pet",
            "position": [1.5, 2.0],
            "tags": [{"name": "good"}],
            "best_friend": {"id": 2, "name": "b", "kind": "pet"},
            "labels": {"x-color": "brown"},
            "photo": "iVBORw0KGgo=",
        });
        let p: Pet = round_trip(body);
        assert_eq!(p.position, Some(vec![1.5, 2.0]));
        assert_eq!(p.tags.unwrap()[0].name.as_deref(), Some("good"));
        assert_eq!(p.best_friend.unwrap().id, 2);
        assert_eq!(p.labels.unwrap()["x-color"], "brown");
    }

    #[test]
    fn unevaluated_properties_false_rejects_unknown_properties() {
        let err = decode::<Pet>(with(pet(), "surprise", json!(1))).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `surprise`"),
            "{err}"
        );
    }

    #[test]
    fn nullability_reaches_through_references_and_their_siblings() {
        let h: v31_schemas::Handle = round_trip(json!({"nick": null}));
        assert_eq!(h.nick, None);
        let h: v31_schemas::Handle = round_trip(json!({"nick": "rex"}));
        assert_eq!(h.nick.as_deref(), Some("rex"));
    }

    #[test]
    fn a_discriminated_union_of_references_with_siblings() {
        let a: v31_schemas::Animal = decode(json!({"kind": "Dog", "barks": true})).unwrap();
        assert!(
            matches!(a, v31_schemas::Animal::Dog(ref d) if d.barks == Some(true)),
            "{a:?}"
        );
    }

    #[test]
    fn a_reference_into_a_tuple_is_the_schema_the_source_has_there() {
        let label: v31_schemas::PointLabel = decode(json!("2026-11-24")).unwrap();
        assert_eq!(label.to_string(), "2026-11-24");
    }

    #[test]
    fn boolean_schemas() {
        // `nothing: true` is any JSON value; `gone: false` is no field at all.
        let a: v31_schemas::Anything = round_trip(json!({"nothing": [1, "x"], "more": true}));
        assert_eq!(a.nothing, Some(json!([1, "x"])));
        assert_eq!(a.additional_properties["more"], json!(true));
        assert!(decode::<Pet>(with(pet(), "gone", json!(1))).is_err());
    }

    #[test]
    fn the_schema_examples_list_gives_an_example_that_round_trips() {
        let example = json!({"id": 7, "name": "Rex", "kind": "pet", "nickname": null,
                             "position": [1.5, 2], "age": "unknown"});
        let p: Pet = decode(example).unwrap();
        assert_eq!(p.position, Some(vec![1.5, 2.0]));
        let _: Owner = round_trip(json!({"name": "Ann", "since": "2024-02-29"}));
    }

    #[test]
    fn a_document_with_only_webhooks_gets_the_models_of_their_payloads() {
        let body: v31_webhooks_only::OrderShippedRequest = round_trip(json!({
            "order_id": "o-1", "shipped_at": "2026-11-24T10:00:00Z", "carrier": null
        }));
        assert_eq!(body.shipped_at.to_rfc3339(), "2026-11-24T10:00:00+00:00");
        assert_eq!(body.carrier, Some(None));
    }

    /// A 3.0 spec's callbacks (under an expression or a plain URL) and `x-webhooks` reach the
    /// models: their payloads are types, and the crate's docs list them.
    #[test]
    fn callbacks_and_3_0_webhooks_get_the_models_of_their_payloads() {
        let event: callbacks::OnEventRequest = round_trip(json!({
            "event": "paid", "at": "2026-12-07T10:00:00Z"
        }));
        assert_eq!(event.event, "paid");
        let _: callbacks::Cancel = round_trip(json!({"reason": "moved"}));
        let _: callbacks::Pet = round_trip(json!({"name": "Rex"}));
    }

    #[test]
    fn what_3_0_cannot_say_is_left_out_with_a_warning_and_the_rest_is_typed() {
        // `then` and `dependentSchemas` add `ip` and `zone`: not fields, but kept as
        // properties the type does not list.
        let body = json!({
            "kind": "login", "at": "2026-11-24T08:00:00+01:00", "ip": "10.0.0.1", "zone": "eu"
        });
        let event: degrade_v31_document::Event = decode(body.clone()).unwrap();
        assert_eq!(event.kind, degrade_v31_document::EventKind::Login);
        assert_eq!(event.additional_properties["zone"], json!("eu"));
        assert_eq!(encode(&event), body);
    }

    #[tokio::test]
    async fn an_operation_in_a_referenced_path_item_is_callable() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/pets/7"))
            .respond_with(ResponseTemplate::new(200).set_body_json(pet()))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/pets/8"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let client = v31_schemas_client::Client::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
        let answer = client.get_pet(7).await.unwrap();
        assert_eq!(answer.name, "Rex");
        let err = client.get_pet(8).await.unwrap_err();
        assert!(
            matches!(
                err,
                v31_schemas_client::Error::Status {
                    error: v31_schemas_client::GetPetError::NotFound,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

mod references {
    use super::*;

    #[test]
    fn a_reference_to_a_property_of_a_component_is_that_property_type() {
        // `#/components/schemas/Pet/properties/status` is the enum the property declares.
        let p: refs_anywhere::Pet =
            round_trip(json!({"id": "p-1", "status": "sold", "same_status": "available"}));
        assert_eq!(p.same_status, Some(refs_anywhere::PetStatus::Available));
        let id: refs_anywhere::PetId = "p-1".to_owned();
        assert_eq!(p.id, id);
    }

    #[tokio::test]
    async fn references_into_paths_and_extensions_reach_the_client() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/pets/p-1"))
            .and(query_param("limit", "3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p-1"})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/shared"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"label": "l"})))
            .expect(1)
            .mount(&server)
            .await;
        let client = refs_anywhere_client::Client::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
        let params = refs_anywhere_client::GetPetParams::default().limit(3);
        let pet = client.get_pet_with("p-1", &params).await.unwrap();
        assert_eq!(pet.id, "p-1");
        let tag = client.get_shared().await.unwrap();
        assert_eq!(tag.label.as_deref(), Some("l"));
        // The request body of `addPet` is the response schema of `listPets`, by reference.
        let body =
            refs_anywhere::ListPetsResponse200::new().owner(refs_anywhere::Owner::new("Ann"));
        assert_eq!(encode(&body), json!({"owner": {"name": "Ann"}}));
    }
}

mod all_of {
    use super::*;
    use all_of_annotations::{Color, Session, SessionAlias};

    #[test]
    fn all_of_one_schema_and_annotations_is_that_schema() {
        let s: Session = round_trip(json!({
            "role": "arn:aws:iam::123456789012:role/r",
            "duration": 900,
            "color": "red",
            "tag": {"key": "k"},
            "limit": 5,
            "name": "nm",
            "anything": {"free": [1]},
            "merged": {"key": "k", "value": "v"},
        }));
        let role: all_of_annotations::RoleArn = s.role.clone();
        assert!(role.starts_with("arn:"));
        let duration: Option<Option<all_of_annotations::Duration>> = s.duration;
        assert_eq!(duration, Some(Some(900)));
        assert_eq!(s.color, Some(Color::Red));
        assert_eq!(s.tag.clone().flatten().unwrap().key, "k");
        let limit: Option<i32> = s.limit;
        assert_eq!(limit, Some(5));
        assert_eq!(s.merged.clone().unwrap().value.as_deref(), Some("v"));
        let _: all_of_annotations::Wrapped = round_trip(json!({"x": "y"}));
        let alias: SessionAlias = s;
        // A `nullable` member or sibling makes the field nullable.
        let s: Session = round_trip(json!({"role": "r", "duration": null, "tag": null}));
        assert_eq!((s.duration, s.tag.clone()), (Some(None), Some(None)));
        assert_ne!(alias, s);
    }
}

mod collisions {
    use super::*;
    use collisions_client::{
        BuildError2, Client, Error, Foo2Error, Foo2Error2, FooParams, FooSuccess, models,
    };

    #[test]
    fn schemas_named_like_std_types_and_recursive_aliases() {
        let b: models::Box = round_trip(json!([[[]], []]));
        assert_eq!(b.0.len(), 2);
        let m: models::BTreeMap = round_trip(json!({"a": {"b": {}}}));
        assert!(m.0["a"].0.contains_key("b"));
        let v: models::Vec = round_trip(json!({"boxed": [[]], "map": {}}));
        assert_eq!(v.boxed.unwrap().0.len(), 1);
        // Types named like `Some`, `None` and `Option` shadow nothing the setters use.
        let some = models::Some::new("v").note("n");
        let v = models::Vec::new()
            .some(some)
            .none(models::None::None)
            .option(models::Option::new().picked(true));
        assert_eq!(
            encode(&v),
            json!({"some": {"value": "v", "note": "n"}, "none": "none", "option": {"picked": true}})
        );
        let e: models::Error = round_trip(json!({"additional_properties": "field", "other": 1}));
        assert_eq!(e.additional_properties.as_deref(), Some("field"));
        assert_eq!(e.additional_properties_2["other"], 1);
        assert_eq!(models::Client::from("unknown"), models::Client::Unknown3);
        assert_eq!(
            models::Client::from("nope"),
            models::Client::Unknown("nope".to_owned())
        );
    }

    #[tokio::test]
    async fn operations_whose_names_collide_are_each_callable() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/build"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/foo"))
            .and(query_param("request", "r"))
            .and(query_param("raw", "w"))
            .respond_with(ResponseTemplate::new(201))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/client"))
            .and(query_param("self", "s"))
            .and(query_param("type", "t"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build_variable("x")
            .no_retries()
            .build()
            .unwrap();
        let err = client.build().await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Status {
                    error: BuildError2::NotFound,
                    ..
                }
            ),
            "{err:?}"
        );
        let params = FooParams::default().raw("w");
        let answer = client.foo_with("r", None, &params).await.unwrap();
        assert_eq!(*answer.body(), FooSuccess::Created);
        // `foo` twice, `foo2` and `foo_2`: four methods, four error types.
        let _: Result<_, Error<Foo2Error>> = client.foo_2().await;
        let _: Result<_, Error<Foo2Error2>> = client.foo2().await;
        client.self_("s", "t").await.unwrap();
    }
}

mod unions {
    use super::*;
    use union_best_fit::{Amount, Circle, Shape, Square};

    #[test]
    fn the_variant_that_keeps_the_whole_body_wins() {
        let square: Shape = round_trip(json!({"type": "square", "side": 2.0, "corners": 4}));
        let Shape::Square(Square {
            r#type,
            side,
            corners,
            ..
        }) = square
        else {
            panic!("a square: {square:?}")
        };
        assert_eq!(
            (r#type.as_deref(), side, corners),
            (Some("square"), Some(2.0), Some(4))
        );
        let circle: Shape = round_trip(json!({"type": "circle", "radius": 1.5}));
        assert!(matches!(
            circle,
            Shape::Circle(Circle {
                radius: Some(_),
                ..
            })
        ));
        // Both fit `{"type": "x"}` whole: the first listed wins.
        assert!(matches!(
            decode::<Shape>(json!({"type": "x"})).unwrap(),
            Shape::Circle(_)
        ));
    }

    #[test]
    fn when_no_variant_keeps_everything_the_one_that_loses_least_wins() {
        let shape: Shape =
            decode(json!({"side": 1.0, "corners": 4, "radius": 2.0, "extra": 1})).unwrap();
        assert!(matches!(shape, Shape::Square(_)), "{shape:?}");
        let amounts: Vec<Amount> = decode(json!([3, 2.5, "4"])).unwrap();
        assert_eq!(
            amounts,
            [
                Amount::Integer(3),
                Amount::Number(2.5),
                Amount::String("4".to_owned())
            ]
        );
        // A date-time written back as `+00:00` keeps the value; an enum's `Unknown` knows less
        // than a variant that lists the value.
        let when: union_best_fit::When = decode(json!("2026-11-24T10:00:00Z")).unwrap();
        assert!(
            matches!(when, union_best_fit::When::DateTime(_)),
            "{when:?}"
        );
        let breed: union_best_fit::Breed = decode(json!("beagle")).unwrap();
        assert_eq!(
            breed,
            union_best_fit::Breed::DogBreed(union_best_fit::DogBreed::Beagle)
        );
        let breed: union_best_fit::Breed = decode(json!("poodle")).unwrap();
        assert!(
            matches!(breed, union_best_fit::Breed::CatBreed(_)),
            "{breed:?}"
        );
        assert_eq!(
            decode::<Amount>(json!(true)).unwrap(),
            Amount::Unknown(json!(true))
        );
    }
}

/// OpenAPI 3.2: a document that streams reads without a warning (its client is tested in
/// `streams.rs`); what is not read yet is said at its line and pointer.
mod v32 {
    fn warnings_of(fixture: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(fixture);
        let shown = format!("tests/fixtures/{fixture}");
        let api = codegen::Config::new()
            .strict(false)
            .load(&path, &shown)
            .unwrap();
        api.warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_document_that_streams_reads_without_a_warning() {
        assert_eq!(warnings_of("v32.yaml"), Vec::<String>::new());
    }

    /// What is not read yet is said, each at its line and pointer.
    #[test]
    fn what_is_not_read_yet_is_said_where_it_stands() {
        let warnings = warnings_of("degrade_v32_unread.yaml");
        // (`$self` is read: references resolve against it.)
        for (line, pointer) in [
            (5, "#/tags/0/kind"),
            (6, "#/tags/1/parent"),
            (13, "#/paths/~1search/get/parameters/0"),
            (26, "#/paths/~1search/additionalOperations/NOT A TOKEN"),
            (
                39,
                "#/components/schemas/Shape/discriminator/defaultMapping",
            ),
        ] {
            let at = format!("degrade_v32_unread.yaml:{line}:");
            let pointer = format!("\n  at {pointer}");
            let found = warnings
                .iter()
                .any(|w| w.contains(&at) && w.ends_with(&pointer));
            assert!(found, "{at}{pointer} in:\n{}", warnings.join("\n"));
        }
    }
}
