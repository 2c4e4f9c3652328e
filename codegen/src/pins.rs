//! Where each type's name comes from, as a generation settled it: the record that keeps names
//! stable from one generation to the next (`lower/type_names.rs` reads and writes it).

use std::collections::BTreeMap;

/// What a recorded type is: the type its schema lowers to, or that type's input twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Type,
    Input,
}

impl Role {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Role::Type => "type",
            Role::Input => "input",
        }
    }
}

/// Where a type comes from: its role and where its schema lives, `<file>#<pointer>`, the file
/// relative to the entry's folder and empty for the entry itself.
pub type Place = (Role, String);

/// Every type's name by where it comes from, as a generation settled them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pins {
    pub(crate) names: BTreeMap<Place, String>,
    /// The names the user chose, by a component's key or a place (see [`Pins::choose`]).
    pub(crate) chosen: BTreeMap<String, String>,
}

impl Pins {
    /// The file beside the models crate's `public-api.txt` that holds them.
    pub const FILE: &'static str = "type-names.txt";

    /// Names the type `key` names `name`, whatever else would name it: `key` is a component's
    /// key (`Pet`), the JSON pointer of a schema in the entry (`#/paths/~1pets/get/…/schema`),
    /// or a place in another file (`schemas/pet.yaml#`, `common.yaml#/Error`).
    pub fn choose(&mut self, key: impl Into<String>, name: impl Into<String>) -> &mut Self {
        self.chosen.insert(key.into(), name.into());
        self
    }

    /// What the models crate `models` records among `files` (paths relative to the output
    /// folder); nothing where it records nothing.
    pub fn recorded(files: &crate::files::Files, models: &str) -> Pins {
        let path = std::path::Path::new(models).join(Pins::FILE);
        files.get(&path).map(|t| Pins::parse(t)).unwrap_or_default()
    }

    /// Reads the lines [`Pins::render`] writes; other lines are skipped.
    pub fn parse(text: &str) -> Pins {
        let names = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let mut words = line.splitn(3, ' ');
                let (name, role, place) = (words.next()?, words.next()?, words.next()?);
                let role = [Role::Type, Role::Input]
                    .into_iter()
                    .find(|r| r.word() == role)?;
                Some(((role, unescape(place)), name.to_owned()))
            })
            .collect();
        Pins {
            names,
            chosen: BTreeMap::new(),
        }
    }

    /// One line per type, `<Name> <role> <place>`, sorted by name, under `head`.
    pub fn render(&self, head: &str) -> String {
        let mut lines: Vec<String> = self
            .names
            .iter()
            .map(|((role, place), name)| format!("{name} {} {}", role.word(), escape(place)))
            .collect();
        lines.sort();
        let mut text = format!(
            "# {head}\n# Read back by the next generation: a type keeps its name while its schema \
             stays where it is.\n\n"
        );
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    pub fn get(&self, place: &Place) -> Option<&str> {
        self.names.get(place).map(String::as_str)
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A place as one line holds it: `%`, line breaks as `%25`, `%0A`, `%0D`.
fn escape(place: &str) -> String {
    place
        .replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

fn unescape(place: &str) -> String {
    place
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_read_back_what_they_write() {
        let mut pins = Pins::default();
        pins.names.insert(
            (Role::Type, "#/components/schemas/Pet".into()),
            "Pet".into(),
        );
        pins.names.insert(
            (Role::Input, "#/components/schemas/Pet".into()),
            "PetInput".into(),
        );
        pins.names.insert(
            (Role::Type, "schemas/odd.yaml#/properties/a b%\nc".into()),
            "OddAB".into(),
        );
        let text = pins.render("The type names of `a-models`.");
        assert!(
            text.contains("\nPet type #/components/schemas/Pet\n"),
            "{text}"
        );
        assert!(text.contains("OddAB type schemas/odd.yaml#/properties/a b%25%0Ac\n"));
        assert_eq!(Pins::parse(&text), pins);
    }
}
