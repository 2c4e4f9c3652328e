use std::path::Path;

use serde_json::json;

use super::places::{Kind, Place, refs};
use super::{normal, scheme};

#[test]
fn paths_are_normal_and_schemes_are_told_from_paths() {
    assert_eq!(normal(Path::new("a/./b/../c.yaml")), Path::new("a/c.yaml"));
    assert_eq!(normal(Path::new("../../x.yaml")), Path::new("../../x.yaml"));
    assert_eq!(normal(Path::new("a/../../x.yaml")), Path::new("../x.yaml"));
    assert_eq!(scheme("https://e.com/a.json").as_deref(), Some("https"));
    assert_eq!(scheme("urn:x:y").as_deref(), Some("urn"));
    assert_eq!(scheme("C:/specs/a.yaml"), None);
    assert_eq!(scheme("./a:b.yaml"), None);
    assert_eq!(scheme("schemas/a.yaml"), None);
}

#[test]
fn each_reference_has_the_kind_its_place_expects() {
    let doc = json!({
        "paths": {
            "/a": {"$ref": "a.yaml"},
            "/b": {
                "parameters": [{"$ref": "p.yaml"}],
                "get": {
                    "requestBody": {"$ref": "body.json"},
                    "responses": {
                        "200": {"description": "ok", "content": {"$ref": "content.yaml"},
                                "headers": {"X": {"$ref": "h.yaml"}}},
                        "default": {"$ref": "r.yaml"}
                    },
                    "callbacks": {"c": {"{$url}": {"post": {"responses": {"204": {"$ref": "r2.yaml"}}}}}}
                }
            }
        },
        "components": {"schemas": {"S": {
            "properties": {"x": {"$ref": "x.yaml"}, "default": {"$ref": "d.yaml"}},
            "example": {"$ref": "not-a-reference"},
            "oneOf": [{"$ref": "#/components/schemas/T"}],
            "discriminator": {"propertyName": "k", "mapping": {"t": "t.yaml", "u": "U"}}
        }}}
    });
    let found: Vec<(String, String, Place)> = refs(&doc, Place::Object(Kind::Document))
        .into_iter()
        .map(|f| (f.pointer, f.reference, f.place))
        .collect();
    let expect = |p: &str, r: &str, place: Place| (p.to_owned(), r.to_owned(), place);
    assert_eq!(
        found,
        [
            expect("/paths/~1a", "a.yaml", Place::Object(Kind::PathItem)),
            expect(
                "/paths/~1b/parameters/0",
                "p.yaml",
                Place::Object(Kind::Parameter)
            ),
            expect(
                "/paths/~1b/get/requestBody",
                "body.json",
                Place::Object(Kind::RequestBody)
            ),
            expect(
                "/paths/~1b/get/responses/200/content",
                "content.yaml",
                Place::Map(Kind::MediaType)
            ),
            expect(
                "/paths/~1b/get/responses/200/headers/X",
                "h.yaml",
                Place::Object(Kind::Header)
            ),
            expect(
                "/paths/~1b/get/responses/default",
                "r.yaml",
                Place::Object(Kind::Response)
            ),
            expect(
                "/paths/~1b/get/callbacks/c/{$url}/post/responses/204",
                "r2.yaml",
                Place::Object(Kind::Response)
            ),
            expect(
                "/components/schemas/S/discriminator/mapping/t",
                "t.yaml",
                Place::Mapping
            ),
            expect(
                "/components/schemas/S/properties/x",
                "x.yaml",
                Place::Object(Kind::Schema)
            ),
            expect(
                "/components/schemas/S/properties/default",
                "d.yaml",
                Place::Object(Kind::Schema)
            ),
            expect(
                "/components/schemas/S/oneOf/0",
                "#/components/schemas/T",
                Place::Object(Kind::Schema)
            ),
        ]
    );
}

#[test]
fn anchors_name_the_schema_that_declares_them() {
    let doc =
        json!({"$defs": {"a": {"$anchor": "book", "type": "object"}}, "items": [{"$anchor": "x"}]});
    assert_eq!(
        super::places::anchor(&doc, "book").as_deref(),
        Some("/$defs/a")
    );
    assert_eq!(
        super::places::anchor(&doc, "x").as_deref(),
        Some("/items/0")
    );
    assert_eq!(super::places::anchor(&doc, "y"), None);
}

#[test]
fn names_come_from_where_objects_live_and_are_qualified_by_their_place() {
    let names = |path: &str, pointer: &str| super::names::candidates(Path::new(path), pointer);
    assert_eq!(names("schemas/Book.yaml", ""), ["Book", "SchemasBook"]);
    assert_eq!(
        names("common/errors.yaml", "/components/schemas/Error"),
        ["Error", "ErrorsError", "CommonErrorsError"]
    );
    assert_eq!(
        names("paths/pets.yaml", "/get/responses/200")[0],
        "PetsGet200"
    );
    assert_eq!(names("a b.yaml", "")[0], "a_b");
}

#[test]
fn relative_references_join_the_id_of_the_schema_they_stand_in() {
    use super::{base_id, join_uri};
    assert_eq!(
        join_uri("https://e.com/s/pet.json", "tag.json"),
        "https://e.com/s/tag.json"
    );
    assert_eq!(
        join_uri("https://e.com/s/a/pet", "../tag"),
        "https://e.com/s/tag"
    );
    assert_eq!(
        join_uri("https://e.com/s/pet", "/x/tag"),
        "https://e.com/x/tag"
    );
    assert_eq!(join_uri("https://e.com", "tag"), "https://e.com/tag");
    let doc = json!({"components": {"schemas": {"Pet": {
        "$id": "https://e.com/s/pet",
        "properties": {"inner": {"$id": "inner/", "properties": {"x": {"$ref": "tag"}}}}
    }}}});
    let at = "/components/schemas/Pet/properties/inner/properties/x";
    assert_eq!(base_id(&doc, at).as_deref(), Some("https://e.com/s/inner/"));
    assert_eq!(base_id(&doc, "/components").as_deref(), None);
}

#[test]
fn a_url_is_read_from_its_copy_in_the_cache_and_a_copy_says_its_url() {
    use super::remote::{copy_of, url_of};
    let copy = copy_of("https://Schemas.Example.com:8443/a/./b.yaml").unwrap();
    assert_eq!(
        copy,
        Path::new("fetched-refs/https/schemas.example.com+8443/a/b.yaml")
    );
    assert_eq!(
        url_of(&copy).as_deref(),
        Some("https://schemas.example.com:8443/a/b.yaml")
    );
    assert_eq!(url_of(Path::new("schemas/pet.yaml")), None);
    for refused in [
        "https://e.com/../../etc/passwd",
        "https://e.com/a?b=c",
        "ftp://e.com/a.yaml",
        "https://../a.yaml",
        "https://e.com/a\\..\\b",
    ] {
        assert_eq!(copy_of(refused), None, "{refused}");
    }
}
