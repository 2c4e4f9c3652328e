//! The one authority over type names. Lowering proposes a name for each type where it meets it
//! (a component's key, the name of the file it lives in, the place of an inline schema), unique
//! among the names proposed so far ([`TypeNames::propose`]); `dedupe` names what repeated shapes
//! share. [`TypeNames::settle`] then decides every name once, and the passes after it ask here
//! for the names they add ([`TypeNames::claim_all`], the input twins).
//!
//! Names are stable, not only deterministic. A generation records each type's name by where
//! its schema lives ([`Pins`]: its file and JSON pointer, written beside the models crate's
//! surface as `type-names.txt`), and the next generation gives every type whose schema still
//! lives there the name it had. A type whose proposed name an existing type holds is the
//! newcomer: it is qualified by its place (the words of its pointer), then numbered. Adding a
//! schema, an operation or a file therefore renames no type that exists; without a record (a
//! first generation) the names are those proposed.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, TypeDef};
use crate::naming::{type_name, unique};
use crate::pins::{Pins, Place, Role};

/// What a type is: the type its schema lowers to, or that type's input twin.
fn role(def: &TypeDef) -> Role {
    if def.twin_of.is_some() {
        Role::Input
    } else {
        Role::Type
    }
}

/// The type names of one API: proposed while lowering, settled once, claimed after.
pub(crate) struct TypeNames {
    /// Every name proposed, then every name settled or claimed.
    taken: BTreeSet<String>,
    /// What the previous generation recorded.
    pins: Pins,
    /// Recorded names held for the claims to come (the input twins of the types that had one).
    held: BTreeMap<Place, String>,
}

impl TypeNames {
    pub(crate) fn new(pins: Pins) -> TypeNames {
        TypeNames {
            taken: BTreeSet::new(),
            pins,
            held: BTreeMap::new(),
        }
    }

    /// `candidate`, or it with the first free number, as the type's name until names settle.
    pub(crate) fn propose(&mut self, candidate: String) -> String {
        unique(&mut self.taken, candidate, "")
    }

    /// The name the previous generation gave the type of the schema at `place`.
    pub(crate) fn recorded(&self, place: &str) -> Option<String> {
        let recorded = self.pins.get(&(Role::Type, place.to_owned()))?;
        Some(recorded.to_owned())
    }

    /// Gives back a proposed name nothing uses.
    pub(crate) fn give_back(&mut self, name: &str) {
        self.taken.remove(name);
    }

    /// Decides the name of every type of `api`: the name the user chose for it (by component
    /// key or place, [`Pins::choose`]), then the recorded name of each type whose schema lives
    /// where it did (`place_of` turns a type's pointer into its place, which
    /// [`crate::ir::TypeDef::place`] keeps), then the proposed name of each other type where no
    /// chosen or recorded type holds it, then, for the newcomers whose proposed name is held,
    /// that name qualified by their place, else numbered. Renames every reference to a type
    /// whose name changed. Fails on a chosen name that is no type name or names no type.
    pub(crate) fn settle(
        &mut self,
        api: &mut Api,
        place_of: &dyn Fn(&str) -> String,
    ) -> Result<(), String> {
        for def in api.types.values_mut() {
            def.place = place_of(&def.origin);
        }
        let places: Vec<(String, Place)> = api
            .types
            .values()
            .map(|def| (def.name.clone(), (role(def), def.place.clone())))
            .collect();
        let mut settling = Settling::default();
        self.chosen(api, &mut settling)?;
        for (name, place) in &places {
            if let Some(pin) = self.pins.get(place) {
                settling.give(name, pin);
            }
            let twin = (Role::Input, place.1.clone());
            if let Some(pin) = self
                .pins
                .get(&twin)
                .filter(|p| settling.taken.insert(p.to_string()))
            {
                self.held.insert(twin, pin.to_owned());
            }
        }
        for (name, _) in &places {
            settling.give(name, name);
        }
        for (name, (_, place)) in &places {
            if !settling.settled.contains_key(name) {
                let origin = &api.types[name].origin;
                let qualified = qualified(place, origin)
                    .into_iter()
                    .find(|q| !settling.taken.contains(q))
                    .unwrap_or_else(|| numbered(&settling.taken, name));
                settling.give(name, &qualified);
            }
        }
        self.taken = settling.taken;
        let renames: BTreeMap<String, String> = settling
            .settled
            .into_iter()
            .filter(|(from, to)| from != to)
            .collect();
        api.rename_types(&renames);
        Ok(())
    }

    /// Gives each type a name chosen for it its name.
    fn chosen(&self, api: &Api, settling: &mut Settling) -> Result<(), String> {
        for (key, name) in &self.pins.chosen {
            if crate::naming::type_name(name) != *name || crate::naming::needs_raw(name) {
                return Err(format!(
                    "the name {name:?} chosen for {key:?} is not a Rust type name (UpperCamelCase)"
                ));
            }
            let Some(def) = api
                .types
                .values()
                .find(|d| d.twin_of.is_none() && chosen_for(key, d))
            else {
                return Err(format!(
                    "a name is chosen for {key:?}, which names no type of the spec (give a component's key, or the `#/json/pointer` of an inline schema, `file.yaml#/pointer` in another file)"
                ));
            };
            if !settling.give(&def.name, name) {
                return Err(format!("the name {name:?} is chosen for two types"));
            }
        }
        Ok(())
    }

    /// Names the types `claims` add after names settled, each a place and the name it
    /// proposes: the recorded name of each place that has one, held since names settled, then
    /// each proposal, numbered where it is taken.
    pub(crate) fn claim_all(&mut self, claims: &[(Place, String)]) -> Vec<String> {
        let mut names: Vec<Option<String>> = claims
            .iter()
            .map(|(place, _)| self.held.remove(place))
            .collect();
        for (name, (_, proposed)) in names.iter_mut().zip(claims) {
            if name.is_none() {
                *name = Some(unique(&mut self.taken, proposed.clone(), ""));
            }
        }
        names.into_iter().flatten().collect()
    }
}

/// What a generation records: every type's name by its place.
pub(crate) fn record(api: &Api) -> Pins {
    let names = api
        .types
        .values()
        .map(|def| ((role(def), def.place.clone()), def.name.clone()))
        .collect();
    Pins {
        names,
        chosen: BTreeMap::new(),
    }
}

/// `name` with the first number that makes it free in `taken`.
fn numbered(taken: &BTreeSet<String>, name: &str) -> String {
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|c| !taken.contains(c))
        .expect("an unbounded range always yields a free name")
}

/// Names being settled: every name given, and each type's new name by its proposed one.
#[derive(Default)]
struct Settling {
    taken: BTreeSet<String>,
    settled: BTreeMap<String, String>,
}

impl Settling {
    /// Gives the type proposed as `name` the name `to`, unless it has one or `to` is taken.
    fn give(&mut self, name: &str, to: &str) -> bool {
        if self.settled.contains_key(name) || !self.taken.insert(to.to_owned()) {
            return false;
        }
        self.settled.insert(name.to_owned(), to.to_owned());
        true
    }
}

/// Whether the user's `key` names `def`: a component's key, the pointer of its schema in the
/// entry (`#/…`), or its place (`schemas/pet.yaml#`).
pub(crate) fn chosen_for(key: &str, def: &TypeDef) -> bool {
    match key.split_once('#') {
        Some(("", pointer)) => def.origin == pointer || def.place == key,
        Some(_) => def.place == key,
        None => def.origin == format!("/components/schemas/{}", crate::error::escape_token(key)),
    }
}

/// The names a newcomer may take when its proposed name is held, in order: for a schema of
/// another file, its name there qualified by its folders (nearest first) and its file; else the
/// words of its pointer.
fn qualified(place: &str, origin: &str) -> Vec<String> {
    match place.split_once('#') {
        Some((file, pointer)) if !file.is_empty() => {
            crate::load::names_of_file(std::path::Path::new(file), pointer)
                .iter()
                .map(|n| type_name(n))
                .collect()
        }
        _ => vec![super::refs::pointer_hint(origin)],
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind, TypeRef};
    use crate::pins::Pins;

    fn lower(yaml: &str, pins: Pins) -> Api {
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), yaml.to_owned()).unwrap();
        crate::lower::lower_pinned(&spec, "t", "t.yaml", true, pins).unwrap()
    }

    /// An operation whose answer has a `status` enum, `/<path>`.
    fn operation(path: &str) -> String {
        format!(
            "  /{path}:\n    get:\n      operationId: get_{path}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  status: {{type: string, enum: [on, off]}}\n                  {path}: {{type: string}}\n"
        )
    }

    fn spec(paths: &[&str]) -> String {
        let ops: String = paths.iter().map(|p| operation(p)).collect();
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{ops}")
    }

    #[test]
    fn a_shape_a_new_operation_shares_keeps_the_name_it_had_as_an_alias() {
        let before = lower(&spec(&["b"]), Pins::default());
        assert!(before.types.contains_key("GetBResponse200Status"));
        // Fresh, the shape two operations share is named for what it is.
        let fresh = lower(&spec(&["a", "b"]), Pins::default());
        assert!(fresh.types.contains_key("Status"));
        assert!(!fresh.types.contains_key("GetBResponse200Status"));
        // With the record of the first generation, the old name stays, an alias of it.
        let after = lower(&spec(&["a", "b"]), super::record(&before));
        let old = &after.types["GetBResponse200Status"];
        assert_eq!(old.kind, TypeKind::Alias(TypeRef::Named("Status".into())));
        for (place, name) in &super::record(&before).names {
            assert_eq!(
                super::record(&after).names.get(place),
                Some(name),
                "{place:?}"
            );
        }
    }

    #[test]
    fn a_chosen_name_wins_by_key_or_pointer_and_a_wrong_key_is_an_error() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: list\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n    Animal: {type: object, properties: {legs: {type: integer}}}\n";
        let mut pins = Pins::default();
        pins.choose("Pet", "Animal").choose(
            "#/paths/~1pets/get/responses/200/content/application~1json/schema",
            "PetList",
        );
        let api = lower(yaml, pins);
        assert!(
            matches!(api.types["Animal"].kind, TypeKind::Struct(ref s) if s.fields[0].wire == "name")
        );
        // The component that had the name is the newcomer now.
        assert!(api.types.contains_key("Animal2"), "{:?}", api.types.keys());
        assert!(api.types.contains_key("PetList"));
        let spec = crate::Spec::parse(std::path::Path::new("t.yaml"), yaml.to_owned()).unwrap();
        for (key, name) in [("Cat", "Feline"), ("Pet", "not a name")] {
            let mut pins = Pins::default();
            pins.choose(key, name);
            let e = crate::lower::lower_pinned(&spec, "t", "t.yaml", true, pins).unwrap_err();
            assert!(e.to_string().contains(key), "{e}");
        }
    }
}
