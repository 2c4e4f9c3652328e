//! Manifests as data: every `Cargo.toml` a generation writes is a `toml_edit` document built
//! value by value, so that any title, version or name from a spec gives a valid manifest that
//! says it, and each is parsed back before it is written.

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value, value};

use super::Needs;

/// A generated crate's manifest being built.
#[derive(Debug, Clone)]
pub struct Manifest {
    doc: DocumentMut,
    name: String,
    description: String,
}

impl Manifest {
    /// `[package]` at the first version (which `release` moves), `[lib]` without doctests and
    /// an empty `[dependencies]`.
    pub fn new(name: &str, description: &str) -> Manifest {
        let mut doc = DocumentMut::new();
        let mut package = Table::new();
        package.insert("name", value(name));
        package.insert("version", value(crate::ir::FIRST_VERSION));
        package.insert("edition", value("2024"));
        package.insert("description", value(description));
        package.insert("license", value("MIT OR Apache-2.0"));
        package.insert("publish", value(false));
        doc.insert("package", Item::Table(package));
        let mut lib = Table::new();
        lib.insert("doctest", value(false));
        lib.decor_mut().set_prefix("\n");
        doc.insert("lib", Item::Table(lib));
        let mut dependencies = Table::new();
        dependencies.decor_mut().set_prefix("\n");
        doc.insert("dependencies", Item::Table(dependencies));
        let (name, description) = (name.to_owned(), description.to_owned());
        Manifest {
            doc,
            name,
            description,
        }
    }

    /// Sets the package's description.
    pub fn describe(&mut self, description: &str) -> &mut Self {
        self.doc["package"]["description"] = value(description);
        self.description = description.to_owned();
        self
    }

    /// Adds a dependency.
    pub fn dependency(&mut self, name: &str, dep: Dep) -> &mut Self {
        self.add("dependencies", name, dep)
    }

    /// Adds a development dependency.
    pub fn dev_dependency(&mut self, name: &str, dep: Dep) -> &mut Self {
        self.add("dev-dependencies", name, dep)
    }

    /// The dependencies the user gives the models crates (`Config::models_dependency`).
    pub fn user_dependencies(&mut self, api: &crate::ir::Api) -> Result<&mut Self, String> {
        for (name, text) in &api.dependencies {
            let dep = Dep::parse(text).map_err(|e| format!("the dependency {name:?}: {e}"))?;
            self.dependency(name, dep);
        }
        Ok(self)
    }

    /// The dependencies generated code needs beyond serde, as `needs` says.
    pub fn needs(&mut self, needs: Needs) -> &mut Self {
        self.needs_in("dependencies", needs)
    }

    /// The same as [`Manifest::needs`] for development dependencies.
    pub fn dev_needs(&mut self, needs: Needs) -> &mut Self {
        self.needs_in("dev-dependencies", needs)
    }

    fn needs_in(&mut self, table: &str, needs: Needs) -> &mut Self {
        // Unions read their variant from the JSON text (`RawValue`).
        if needs.serde_json {
            let json = Dep::version("1.0.100").features(&["raw_value"]);
            self.add(table, "serde_json", json);
        }
        if needs.chrono {
            let chrono = Dep::version("0.4.38")
                .no_default_features()
                .features(&["serde", "std"]);
            self.add(table, "chrono", chrono);
        }
        self
    }

    /// Adds a feature enabling `enables` after `comment` (`#` lines), when one is given: the
    /// first feature's opens the `[features]` table.
    pub fn feature(
        &mut self,
        name: &str,
        enables: impl IntoIterator<Item = String>,
        comment: Option<&str>,
    ) -> &mut Self {
        let features = self.table("features");
        let first = features.is_empty();
        let enables: Array = enables.into_iter().collect();
        features.insert(name, value(enables));
        match (comment, features.key_mut(name)) {
            (Some(comment), _) if first => {
                features.decor_mut().set_prefix(format!("\n{comment}\n"));
            }
            (Some(comment), Some(mut key)) => {
                key.leaf_decor_mut().set_prefix(format!("{comment}\n"))
            }
            _ => {}
        }
        self
    }

    fn add(&mut self, table: &str, name: &str, dep: Dep) -> &mut Self {
        let value = match dep.0 {
            DepKind::Version(v) => Value::from(v),
            DepKind::Table(t) => Value::InlineTable(t),
        };
        self.table(table).insert(name, Item::Value(value));
        self
    }

    /// The table `name`, made (after a blank line) when it is not there yet.
    fn table(&mut self, name: &str) -> &mut Table {
        let item = self.doc.entry(name).or_insert_with(|| {
            let mut table = Table::new();
            table.decor_mut().set_prefix("\n");
            Item::Table(table)
        });
        item.as_table_mut()
            .expect("a manifest's sections are tables")
    }

    /// The manifest's text after `header` (a `#` line), read back to check that it says what
    /// was put in it.
    pub fn text(&self, header: &str) -> Result<String, String> {
        let text = format!("{header}\n{}", self.doc);
        let read: DocumentMut = text
            .parse()
            .map_err(|e| format!("the manifest of {} does not parse: {e}", self.name))?;
        let field = |key: &str| read["package"][key].as_str().map(str::to_owned);
        if field("name").as_ref() != Some(&self.name)
            || field("description").as_ref() != Some(&self.description)
        {
            return Err(format!(
                "the manifest of {} does not read back as written",
                self.name
            ));
        }
        Ok(text)
    }
}

/// A dependency: a version on crates.io, or a table (a path, a version, features).
#[derive(Debug, Clone)]
pub struct Dep(DepKind);

#[derive(Debug, Clone)]
enum DepKind {
    Version(String),
    Table(InlineTable),
}

impl Dep {
    /// `name = "version"`.
    pub fn version(version: &str) -> Dep {
        Dep(DepKind::Version(version.to_owned()))
    }

    /// A dependency as a manifest writes it: `"1"` or `{ version = "1", features = […] }`.
    pub fn parse(text: &str) -> Result<Dep, String> {
        let value: Value = text
            .parse()
            .map_err(|e| format!("{text:?} is not a dependency as a manifest writes one: {e}"))?;
        match value {
            Value::String(version) => Ok(Dep::version(version.value())),
            Value::InlineTable(table) => Ok(Dep(DepKind::Table(table))),
            _ => Err(format!("{text:?} is neither a version nor an inline table")),
        }
    }

    /// `name = { path = "path" }`.
    pub fn path(path: &str) -> Dep {
        Dep(DepKind::Version(String::new())).set("path", Value::from(path))
    }

    /// A crate in a folder beside this one: `{ path = "../package" }`.
    pub fn sibling(package: &str) -> Dep {
        Dep::path(&format!("../{package}"))
    }

    /// With its version required as well.
    pub fn with_version(self, version: &str) -> Dep {
        self.set("version", Value::from(version))
    }

    pub fn features(self, features: &[&str]) -> Dep {
        let features: Array = features.iter().copied().collect();
        self.set("features", Value::Array(features))
    }

    pub fn no_default_features(self) -> Dep {
        self.set("default-features", Value::from(false))
    }

    pub fn optional(self) -> Dep {
        self.set("optional", Value::from(true))
    }

    fn set(self, key: &str, v: Value) -> Dep {
        let mut table = match self.0 {
            DepKind::Version(version) if version.is_empty() => InlineTable::new(),
            DepKind::Version(version) => {
                let mut table = InlineTable::new();
                table.insert("version", Value::from(version));
                table
            }
            DepKind::Table(table) => table,
        };
        table.insert(key, v);
        table.fmt();
        Dep(DepKind::Table(table))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_gives_a_manifest_that_says_it() {
        let description = "A \"quoted\" \\ title\n[package]\nname = \"evil\"";
        let mut manifest = Manifest::new("a-models", description);
        manifest
            .dependency("serde", Dep::version("1.0.200").features(&["derive"]))
            .dependency("b", Dep::sibling("b").with_version("0.1.0"));
        let text = manifest.text("# header").unwrap();
        let read: DocumentMut = text.parse().unwrap();
        assert_eq!(read["package"]["description"].as_str(), Some(description));
        assert_eq!(read["package"]["name"].as_str(), Some("a-models"));
        assert!(read.get("evil").is_none());
    }

    #[test]
    fn manifests_read_as_written_by_hand() {
        let mut manifest = Manifest::new("a-client", "Async client of the A (version 1)");
        manifest
            .dependency("a-models", Dep::sibling("a-models").with_version("0.1.0"))
            .dependency("client-runtime", Dep::path("../../runtime"))
            .needs(Needs {
                serde_json: true,
                chrono: true,
            })
            .dev_dependency("serde", Dep::version("1.0.200"))
            .feature(
                "pets",
                ["a-models/pets".to_owned()],
                Some("# One feature per tag."),
            )
            .feature("full", ["pets".to_owned()], None);
        let expected = r#"# header

[package]
name = "a-client"
version = "0.1.0"
edition = "2024"
description = "Async client of the A (version 1)"
license = "MIT OR Apache-2.0"
publish = false

[lib]
doctest = false

[dependencies]
a-models = { path = "../a-models", version = "0.1.0" }
client-runtime = { path = "../../runtime" }
serde_json = { version = "1.0.100", features = ["raw_value"] }
chrono = { version = "0.4.38", default-features = false, features = ["serde", "std"] }

[dev-dependencies]
serde = "1.0.200"

# One feature per tag.
[features]
pets = ["a-models/pets"]
full = ["pets"]
"#;
        assert_eq!(manifest.text("# header\n").unwrap(), expected);
    }
}
