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
    /// Type names, by a component's key or a schema's place.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
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
                    runtime: None,
                    root: api.root.as_deref(),
                    types: Some(&api.types),
                    commands: Some(crate::commands()),
                    shown: Some(&api.spec),
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

# Type names, by a component's key, or the JSON pointer of an inline schema ("#/paths/...")
# or its place in another file ("schemas/pet.yaml#"): never by a generated name.
# [api.types]
# Pet = "Animal"
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
