//! `openapi-crates.toml`: where a project's specs are and where their crates go, with each
//! API's settings. Paths are relative to the file's folder. An unknown key is an error that
//! names its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Job, OneSpec};

/// The file `generate` and `check` read when given no `--spec`, in the current folder.
pub const FILE: &str = "openapi-crates.toml";

/// A project's configuration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The folder the crates go to.
    pub out: PathBuf,
    /// The APIs, each generated into `out`.
    #[serde(rename = "api", default)]
    pub apis: Vec<Api>,
}

/// One API of a project.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// The spec's entry file.
    pub spec: PathBuf,
    /// Names the crates `<name>-models` and `<name>-client`.
    pub name: Option<String>,
    /// Constructs the generator cannot express are errors, not warnings.
    #[serde(default)]
    pub strict: bool,
    /// Answers may leave out fields the spec marks required.
    #[serde(default)]
    pub tolerant: bool,
    /// The folder references may lead up to, when above the spec's own.
    pub root: Option<PathBuf>,
    /// Whether a large API is split into crates by tag (on by default).
    #[serde(default = "yes")]
    pub split: bool,
    /// The tag features a split API turns on by default, when not all.
    pub default_features: Option<Vec<String>>,
    /// Where the clients find the runtime.
    #[serde(default)]
    pub runtime: RuntimeSetting,
    /// Dependencies of the models crates, by crate (for the types that replace generated ones,
    /// or derives of other crates), as a manifest writes them.
    #[serde(default)]
    pub dependencies: BTreeMap<String, Dependency>,
    /// Per type, by a component's key or a schema's place: a name (`Pet = "Animal"`) or
    /// settings (`Pet = { name = "Animal", derives = ["Hash"], … }`).
    #[serde(default)]
    pub types: BTreeMap<String, TypeSetting>,
    /// How the API signs the webhooks and callbacks it sends (a spec never says): the preset
    /// of the client's `webhooks::verifier`.
    pub webhooks: Option<WebhooksSetting>,
}

/// `[api.webhooks]`: a signing scheme, `standard-webhooks` or `hmac` with its parts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "WebhooksTable")]
pub struct WebhooksSetting(pub codegen::ir::Signing);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct WebhooksTable {
    scheme: String,
    header: Option<String>,
    prefix: Option<String>,
    /// The keys of the timestamp and of the signatures: `["t", "v1"]`.
    pairs: Option<[String; 2]>,
    signed: Option<String>,
    encoding: Option<String>,
    algorithm: Option<String>,
    timestamp_header: Option<String>,
    id_header: Option<String>,
    tolerance: Option<u64>,
}

impl TryFrom<WebhooksTable> for WebhooksSetting {
    type Error = String;

    fn try_from(t: WebhooksTable) -> Result<Self, String> {
        use codegen::ir::{HmacSigning, Signing, SigningScheme};
        let scheme = match t.scheme.as_str() {
            "standard-webhooks" => {
                let hmac_only = [
                    ("header", t.header.is_some()),
                    ("prefix", t.prefix.is_some()),
                    ("pairs", t.pairs.is_some()),
                    ("signed", t.signed.is_some()),
                    ("encoding", t.encoding.is_some()),
                    ("algorithm", t.algorithm.is_some()),
                    ("timestamp-header", t.timestamp_header.is_some()),
                    ("id-header", t.id_header.is_some()),
                ];
                if let Some((key, _)) = hmac_only.iter().find(|(_, set)| *set) {
                    return Err(format!(
                        "`{key}` is a setting of scheme \"hmac\", not of \"standard-webhooks\""
                    ));
                }
                SigningScheme::StandardWebhooks
            }
            "hmac" => SigningScheme::Hmac(HmacSigning {
                header: t
                    .header
                    .ok_or("scheme \"hmac\" needs the `header` of its signature")?,
                prefix: t.prefix,
                pairs: t.pairs.map(|[timestamp, signature]| (timestamp, signature)),
                signed: t.signed,
                encoding: t.encoding,
                algorithm: t.algorithm,
                timestamp_header: t.timestamp_header,
                id_header: t.id_header,
            }),
            other => {
                return Err(format!(
                    "unknown scheme {other:?}: \"standard-webhooks\" or \"hmac\""
                ));
            }
        };
        let signing = Signing {
            scheme,
            tolerance: t.tolerance,
        };
        signing.check()?;
        Ok(WebhooksSetting(signing))
    }
}

fn yes() -> bool {
    true
}

/// Where the clients of an API find `client-runtime`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuntimeSetting {
    /// A copy beside the crates, which every API in the folder shares.
    #[default]
    Bundled,
    /// The registry's, by version: for crates that are published.
    Version,
}

/// A dependency as a manifest writes it: a version, or a table of keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Dependency {
    Version(String),
    Table(BTreeMap<String, DependencyKey>),
}

/// A value in a dependency's table: `version`, `path`, `features`, `default-features`…
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DependencyKey {
    Text(String),
    Flag(bool),
    List(Vec<String>),
}

impl Dependency {
    /// As a manifest writes it: `"1"`, `{ version = "1", features = ["serde"] }`.
    fn text(&self) -> String {
        use toml_edit::{Array, InlineTable, Value};
        match self {
            Dependency::Version(v) => Value::from(v.as_str()).to_string(),
            Dependency::Table(keys) => {
                let mut table = InlineTable::new();
                for (key, value) in keys {
                    let value = match value {
                        DependencyKey::Text(t) => Value::from(t.as_str()),
                        DependencyKey::Flag(b) => Value::from(*b),
                        DependencyKey::List(l) => Value::Array(l.iter().collect::<Array>()),
                    };
                    table.insert(key, value);
                }
                table.fmt();
                table.to_string()
            }
        }
    }
}

/// What the configuration says of one type: its name, or more.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeSetting {
    Name(String),
    Detailed(TypeDetails),
}

/// A type's settings in the style of prost-build and typify.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDetails {
    /// The type's name.
    pub name: Option<String>,
    /// Derives beside the generator's.
    #[serde(default)]
    pub derives: Vec<String>,
    /// Outer attributes, each as written: `"#[serde(deny_unknown_fields)]"`.
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Attributes of fields, by the property's name in the spec.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldDetails>,
    /// Another crate's type used instead of generating one (`"money::Money"`).
    #[serde(rename = "extern")]
    pub extern_type: Option<String>,
}

/// A field's settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDetails {
    /// Outer attributes, each as written.
    #[serde(default)]
    pub attributes: Vec<String>,
}

impl<'de> Deserialize<'de> for TypeSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Setting;
        impl<'de> serde::de::Visitor<'de> for Setting {
            type Value = TypeSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a type name, or a table of name, derives, attributes, fields, extern")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<TypeSetting, E> {
                Ok(TypeSetting::Name(name.to_owned()))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> Result<TypeSetting, M::Error> {
                let map = serde::de::value::MapAccessDeserializer::new(map);
                TypeDetails::deserialize(map).map(TypeSetting::Detailed)
            }
        }
        d.deserialize_any(Setting)
    }
}

impl Api {
    /// The generator's settings of this API beyond [`OneSpec`]'s.
    pub fn apply(&self, config: &mut codegen::Config) {
        config.split(self.split);
        if let Some(webhooks) = &self.webhooks {
            config.webhook_signing(webhooks.0.clone());
        }
        if let Some(features) = &self.default_features {
            config.default_features(features.clone());
        }
        if self.runtime == RuntimeSetting::Version {
            config.runtime(codegen::Runtime::Version);
        }
        for (name, dep) in &self.dependencies {
            config.models_dependency(name, dep.text().trim());
        }
        for (key, setting) in &self.types {
            let details = match setting {
                TypeSetting::Name(name) => {
                    config.type_name(key, name);
                    continue;
                }
                TypeSetting::Detailed(details) => details,
            };
            if let Some(name) = &details.name {
                config.type_name(key, name);
            }
            let fields = details.fields.iter();
            config.type_override(
                key,
                codegen::ir::TypeOverride {
                    derives: details.derives.clone(),
                    attributes: details.attributes.clone(),
                    fields: fields
                        .map(|(k, f)| (k.clone(), f.attributes.clone()))
                        .collect(),
                    replace_with: details.extern_type.clone(),
                },
            );
        }
    }
}

/// A configuration file read, with the folder its paths are relative to.
pub struct Project {
    pub config: Config,
    pub folder: PathBuf,
}

impl Project {
    /// Reads `path`; a key the configuration does not have, a missing key or a value of the
    /// wrong type is an error with its line.
    pub fn read(path: &Path) -> Result<Project, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let config: Config =
            toml_edit::de::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if config.apis.is_empty() {
            return Err(format!("{}: no [[api]] to generate", path.display()));
        }
        let folder = path.parent().unwrap_or(Path::new("")).to_owned();
        let mut config = config;
        for api in &mut config.apis {
            api.root = api.root.as_ref().map(|root| folder.join(root));
        }
        Ok(Project { config, folder })
    }

    /// The folder the crates go to.
    pub fn out(&self) -> PathBuf {
        self.folder.join(&self.config.out)
    }

    /// Each API as the generator takes it.
    pub fn jobs(&self) -> Vec<Job<'_>> {
        self.config
            .apis
            .iter()
            .map(|api| {
                let how = OneSpec {
                    strict: api.strict,
                    tolerant: api.tolerant,
                    name: api.name.as_deref(),
                    root: api.root.as_deref(),
                    configured: Some(api),
                    commands: Some(crate::commands()),
                    shown: Some(&api.spec),
                    ..OneSpec::default()
                };
                (self.folder.join(&api.spec), how)
            })
            .collect()
    }
}

/// What `init` writes: a starting file, every key commented.
pub const TEMPLATE: &str = r##"# openapi-crates.toml: what `openapi-crates generate` and `check` do here without --spec.
# Paths are relative to this file's folder.

# The folder the crates go to: each API's models and client crates, one copy of the runtime
# they share, and a Cargo.toml making the folder one workspace.
out = "generated"

# One [[api]] per spec.
[[api]]
# The spec's entry file (YAML or JSON); a spec in many files is read from its references.
spec = "specs/openapi.yaml"
# The crates are <name>-models and <name>-client; by default the file's name, or its folder's
# for openapi.yaml.
# name = "billing"
# What the generator cannot express is an error instead of a warning.
# strict = false
# Answers may leave out fields the spec marks required (each such field says so).
# tolerant = false
# The folder references may lead up to, when above the spec's folder ("../common/...").
# root = "specs"
# A large API (50 operations or more, in two tags or more) is split into crates by tag, each
# tag a cargo feature; false keeps it one models crate and one client crate.
# split = true
# The features a split API turns on by default, instead of all of them.
# default_features = ["pets"]
# The runtime the clients use: "bundled" (a copy in `out`, shared by every API there) or
# "version" (the registry's client-runtime, for crates you publish).
# runtime = "bundled"

# How the API signs the webhooks and callbacks it sends (a spec never says): the client's
# `webhooks::verifier(secrets)` is preset with it. "standard-webhooks" (webhook-id,
# webhook-timestamp, webhook-signature), or "hmac" with the header of its signature, a prefix
# ("sha256=") or pairs (["t", "v1"]), what is signed ("{timestamp}.{body}"; also {url}, {id}),
# "hex" or "base64", "sha256" or "sha512", and headers of the timestamp and of the delivery's id.
# [api.webhooks]
# scheme = "hmac"
# header = "Stripe-Signature"
# pairs = ["t", "v1"]
# signed = "{timestamp}.{body}"
# tolerance = 300

# Dependencies of the models crates, as their manifests write them (a path is relative to the
# crate's folder, `out/<name>-models`): the crates of derives or of types used for schemas.
# [api.dependencies]
# money = { version = "1", features = ["serde"] }

# Types, by a component's key, or the JSON pointer of an inline schema ("#/paths/...") or its
# place in another file ("schemas/pet.yaml#"): never by a generated name. A name, or a table.
# [api.types]
# Pet = "Animal"
# [api.types.Order]
# name = "Purchase"
# derives = ["Eq", "Hash"]
# attributes = ['#[serde(deny_unknown_fields)]']
# fields.note.attributes = ['#[serde(alias = "comment")]']   # by the property's name
# [api.types.Money]
# extern = "money::Money"   # this crate's type is used for the schema; the type must fit it
"##;

/// Writes [`TEMPLATE`] as `dir/openapi-crates.toml`, unless there is one.
pub fn init(dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join(FILE);
    if path.exists() {
        return Err(format!(
            "{} exists: init leaves it as it is",
            path.display()
        ));
    }
    std::fs::write(&path, TEMPLATE).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Project, String> {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "openapi-crates-config-{}-{call}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE);
        std::fs::write(&path, text).unwrap();
        let read = Project::read(&path);
        std::fs::remove_dir_all(&dir).unwrap();
        read
    }

    #[test]
    fn the_template_reads_as_one_api() {
        let project = read(TEMPLATE).unwrap();
        assert_eq!(project.config.out, Path::new("generated"));
        let jobs = project.jobs();
        assert_eq!(jobs.len(), 1);
        assert!(jobs[0].0.ends_with("specs/openapi.yaml"));
    }

    #[test]
    fn a_type_takes_a_name_or_a_table_whose_unknown_keys_are_errors_with_their_line() {
        let text = "out = \"g\"\n\n[[api]]\nspec = \"a.yaml\"\n\n[api.types]\nPet = \"Animal\"\n\n[api.types.Order]\nderives = [\"Hash\"]\nfields.note.attributes = [\"#[serde(alias = \\\"c\\\")]\"]\nextern = \"m::Order\"\n";
        let project = read(text).unwrap();
        let types = &project.config.apis[0].types;
        assert_eq!(types["Pet"], TypeSetting::Name("Animal".into()));
        let TypeSetting::Detailed(order) = &types["Order"] else {
            panic!("{types:?}");
        };
        assert_eq!(order.derives, ["Hash"]);
        assert_eq!(order.fields["note"].attributes, ["#[serde(alias = \"c\")]"]);
        assert_eq!(order.extern_type.as_deref(), Some("m::Order"));
        let message = read(&text.replace("derives", "derive")).err().unwrap();
        assert!(
            message.contains("line 10") && message.contains("derive"),
            "{message}"
        );
    }

    #[test]
    fn a_signing_scheme_reads_with_its_parts_and_a_wrong_one_names_its_line() {
        use codegen::ir::{HmacSigning, SigningScheme};
        let text = "out = \"g\"\n\n[[api]]\nspec = \"a.yaml\"\n\n[api.webhooks]\nscheme = \"hmac\"\nheader = \"Stripe-Signature\"\npairs = [\"t\", \"v1\"]\nsigned = \"{timestamp}.{body}\"\ntolerance = 60\n";
        let project = read(text).unwrap();
        let signing = &project.config.apis[0].webhooks.as_ref().unwrap().0;
        let SigningScheme::Hmac(HmacSigning { header, pairs, .. }) = &signing.scheme else {
            panic!("{signing:?}");
        };
        assert_eq!(
            (header.as_str(), pairs.clone()),
            ("Stripe-Signature", Some(("t".into(), "v1".into())))
        );
        assert_eq!(signing.tolerance, Some(60));
        for (wrong, says) in [
            (
                "pairs = [\"t\", \"v1\"]\n",
                "which neither pairs nor a timestamp header give",
            ),
            ("scheme = \"hmac\"", "unknown scheme"),
            ("header = \"Stripe-Signature\"\n", "needs the `header`"),
        ] {
            let replaced = match says {
                "unknown scheme" => text.replace(wrong, "scheme = \"hmac-sha1\""),
                _ => text.replace(wrong, ""),
            };
            let message = read(&replaced).err().unwrap();
            assert!(
                message.contains(says) && message.contains("line 6"),
                "{message}"
            );
        }
        let standard = "out = \"g\"\n\n[[api]]\nspec = \"a.yaml\"\n\n[api.webhooks]\nscheme = \"standard-webhooks\"\nheader = \"X\"\n";
        let message = read(standard).err().unwrap();
        assert!(
            message.contains("`header` is a setting of scheme"),
            "{message}"
        );
    }

    #[test]
    fn dependencies_read_back_as_a_manifest_writes_them() {
        let text = "out = \"g\"\n\n[[api]]\nspec = \"a.yaml\"\n\n[api.dependencies]\nmoney = { version = \"1\", default-features = false, features = [\"serde\"] }\nrust_decimal = \"1.36\"\n";
        let project = read(text).unwrap();
        let deps = &project.config.apis[0].dependencies;
        assert_eq!(
            deps["money"].text(),
            "{ default-features = false, features = [\"serde\"], version = \"1\" }"
        );
        assert_eq!(deps["rust_decimal"].text(), "\"1.36\"");
    }

    #[test]
    fn an_unknown_key_is_an_error_with_its_line() {
        let message = read("out = \"g\"\n\n[[api]]\nspec = \"a.yaml\"\nstrcit = true\n")
            .err()
            .unwrap();
        assert!(message.contains("line 5"), "{message}");
        assert!(message.contains("strcit"), "{message}");
        let message = read("out = \"g\"\n").err().unwrap();
        assert!(message.contains("no [[api]]"), "{message}");
    }
}
