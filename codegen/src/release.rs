//! Versions and changelogs that follow the spec. Given the files a generation wants and the
//! files already there, each crate whose surface or files changed gets the version bump its
//! changes call for and a changelog entry that lists them; a crate that did not change keeps its
//! version and changelog. The state lives in the files themselves (`Cargo.toml`'s version,
//! `public-api.txt`, `CHANGELOG.md`), so running generation twice changes nothing the second
//! time, and a drift check computes exactly what generation would write.

use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

use crate::files::Files;
use crate::ir::Crates;
use crate::surface::{self, Change, Level, Rust, Section, Surface, Wire};

/// The version every new crate starts at, which emitters write before a release settles it.
pub use crate::ir::FIRST_VERSION;

/// What happened to one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    /// The version before, `None` for a new crate.
    pub from: Option<String>,
    pub version: String,
    /// How much it changed; `None` when nothing did.
    pub level: Option<Level>,
    /// How much its own items changed, leaving out the models crate it re-exports.
    pub own: Option<Level>,
    pub changes: Vec<Change>,
}

/// What the API the crates come from is called and where its spec is, for changelog entries.
pub struct Origin<'a> {
    /// The command that generates the crates.
    pub generate: &'a str,
    pub source: &'a str,
    pub api_version: &'a str,
}

impl Origin<'_> {
    /// Where a version comes from, as a changelog says it: `` `specs/a.yaml` (API version 2) ``,
    /// the spec's text as markdown that cannot start an entry of its own.
    fn said(&self) -> String {
        let version = crate::docs::inline(&format!("(API version {})", self.api_version));
        format!("{} {version}", crate::docs::code(self.source))
    }
}

/// Settles the versions and changelogs of the crates in `files` against `previous` (the files
/// already in the output folder, by the same relative paths). The models crate comes first: its
/// changes reach the client crate, which re-exports it.
pub fn settle(
    crates: &Crates,
    origin: &Origin,
    files: &mut Files,
    previous: &Files,
) -> Vec<Release> {
    let mut out = Vec::new();
    let models = settle_crate(&crates.models, origin, files, previous, None);
    let has_client = files.contains_key(&Path::new(&crates.client).join("Cargo.toml"));
    if has_client {
        let client = settle_crate(&crates.client, origin, files, previous, Some(&models));
        set_dependency_version(files, &crates.client, &models.version);
        out.push(models);
        out.push(client);
    } else {
        out.push(models);
    }
    out
}

fn settle_crate(
    name: &str,
    origin: &Origin,
    files: &mut Files,
    previous: &Files,
    models: Option<&Release>,
) -> Release {
    let release = assess(name, files, previous, models);
    let dir = PathBuf::from(name);
    set_package_version(files, &dir.join("Cargo.toml"), &release.version);
    let changelog = dir.join("CHANGELOG.md");
    let old_log = previous.get(&changelog).map(String::as_str);
    let recorded = previous.contains_key(&dir.join(surface::FILE));
    let entry = match (&release.from, recorded, release.level) {
        (Some(_), true, Some(level)) => {
            Some(entry(&release.version, origin, level, &release.changes))
        }
        (Some(_), true, None) => None,
        // A new crate, or one from before surfaces were recorded: its first entry.
        _ => Some(first_entry(&release.version, origin)),
    };
    // The header is written anew; the entries are the crate's history, carried over.
    let entry = match (entry, old_log) {
        (None, None) => Some(first_entry(&release.version, origin)),
        (entry, _) => entry,
    };
    let log = changelog_text(name, origin.generate, entry.as_deref(), old_log);
    files.insert(changelog, log);
    release
}

/// What changed in crate `name` from the files `previous` to `files` (both by paths relative to
/// the output folder), and the version that calls for. A client crate passes its models
/// crate's release: it re-exports that crate, so what changes there changes it too.
pub fn assess(name: &str, files: &Files, previous: &Files, models: Option<&Release>) -> Release {
    let dir = PathBuf::from(name);
    let old_version = previous
        .get(&dir.join("Cargo.toml"))
        .and_then(|m| package_version(m));
    let old_surface = previous
        .get(&dir.join(surface::FILE))
        .and_then(|t| Surface::parse(t).ok());
    let (mut level, mut changes) = match (&old_version, &old_surface) {
        (Some(_), Some(old)) => {
            let new_surface = files
                .get(&dir.join(surface::FILE))
                .and_then(|t| Surface::parse(t).ok())
                .unwrap_or_default();
            let mut changes = surface::compare(old, &new_surface);
            let level = changes.iter().map(|c| Level::from(c.rust)).max();
            let level = level.or_else(|| {
                files_differ(&dir, files, previous, old_version.as_deref())
                    .then_some(Level::Documentation)
            });
            if level == Some(Level::Documentation) && code_differs(&dir, files, previous) {
                changes.push(Change {
                    words: "The code behind the same public surface: how values are encoded, \
                            decoded or sent"
                        .to_owned(),
                    wire: Wire::None,
                    rust: Rust::Compatible,
                    section: Section::Changed,
                });
            }
            (level, changes)
        }
        _ => (None, Vec::new()),
    };
    let own = level;
    // Docs of the models crate are its own: they move no client version.
    let reaches = |m: &&Release| m.from.is_some() && m.level > Some(Level::Documentation);
    if let Some(m) = models.filter(reaches) {
        level = level.max(m.level);
        changes.push(Change {
            words: format!("`{}` {}: see its changelog", m.name, m.version),
            wire: Wire::None,
            rust: match m.level {
                Some(Level::Breaking) => Rust::Breaking,
                Some(Level::Additive) => Rust::Additive,
                _ => Rust::Compatible,
            },
            section: Section::Changed,
        });
    }
    let version = match (&old_version, level) {
        (Some(v), Some(level)) => bump(v, level),
        (Some(v), None) => v.clone(),
        (None, _) => FIRST_VERSION.to_owned(),
    };
    Release {
        name: name.to_owned(),
        from: old_version,
        version,
        level,
        own,
        changes,
    }
}

/// Whether `path` is in a folder of one of the parts of crate `facade`.
fn in_parts(path: &Path, facade: &str) -> bool {
    path.components()
        .next()
        .is_some_and(|dir| crate::plan::is_part(&dir.as_os_str().to_string_lossy(), facade))
}

/// Whether any file users get from the crate (or its parts) differs from before, other than the
/// version it records, its changelog and the record of where its type names come from (a
/// renamed type shows in the surface). Its tests are not for its users. Parts keep the version
/// they were first given: a version bump in their manifests would re-check every part after any
/// change, which is what splitting a large API avoids.
fn files_differ(dir: &Path, files: &Files, previous: &Files, old_version: Option<&str>) -> bool {
    let facade = dir.to_string_lossy();
    let ours = |p: &&PathBuf| {
        (p.starts_with(dir) || in_parts(p, &facade))
            && !p.ends_with("CHANGELOG.md")
            && !p.ends_with(crate::pins::Pins::FILE)
            && !p.starts_with(dir.join("tests"))
    };
    let new: Vec<&PathBuf> = files.keys().filter(ours).collect();
    let old: Vec<&PathBuf> = previous.keys().filter(ours).collect();
    if new != old {
        return true;
    }
    new.iter().any(|p| {
        let mut text = files[*p].clone();
        if **p == dir.join("Cargo.toml")
            && let Some(v) = old_version
        {
            text = with_package_version(&text, v);
            if let Some(dep) = previous.get(*p).and_then(|m| dependency_version(m)) {
                text = with_dependency_version(&text, &dep);
            }
        }
        previous.get(*p) != Some(&text)
    })
}

/// Whether the Rust code of the crate (or its parts) differs from before, its docs left aside:
/// a newer generator, or a spec change that shows only in how values travel.
fn code_differs(dir: &Path, files: &Files, previous: &Files) -> bool {
    let facade = dir.to_string_lossy();
    let code = |text: &str| -> Vec<String> {
        let lines = text.lines().map(str::trim);
        lines
            .filter(|l| !l.starts_with("///") && !l.starts_with("//!") && !l.starts_with("#[doc"))
            .map(str::to_owned)
            .collect()
    };
    files.iter().any(|(p, text)| {
        (p.starts_with(dir) || in_parts(p, &facade))
            && p.extension().is_some_and(|e| e == "rs")
            && !p.starts_with(dir.join("tests"))
            && previous.get(p).is_none_or(|old| code(old) != code(text))
    })
}

/// The next version after `version` for a change of `level`: before 1.0 a breaking change
/// bumps the minor version and anything else the patch version; from 1.0, major, minor, patch.
/// A pre-release moves on to the next release. A version that is not semver (no manifest cargo
/// reads has one) starts again at [`crate::ir::FIRST_VERSION`].
pub fn bump(version: &str, level: Level) -> String {
    let Ok(v) = semver::Version::parse(version) else {
        return crate::ir::FIRST_VERSION.to_owned();
    };
    let (major, minor, patch) = (v.major, v.minor, v.patch);
    let next = match (major, level) {
        (0, Level::Breaking) => semver::Version::new(0, minor + 1, 0),
        (0, _) => semver::Version::new(0, minor, patch + 1),
        (_, Level::Breaking) => semver::Version::new(major + 1, 0, 0),
        (_, Level::Additive) => semver::Version::new(major, minor + 1, 0),
        (_, _) => semver::Version::new(major, minor, patch + 1),
    };
    next.to_string()
}

/// A manifest read as TOML: versions are read and set in its tables, never found in its text.
fn manifest(text: &str) -> Option<DocumentMut> {
    text.parse().ok()
}

/// The `version` of a manifest's `[package]`.
pub fn package_version(text: &str) -> Option<String> {
    let doc = manifest(text)?;
    Some(doc.get("package")?.get("version")?.as_str()?.to_owned())
}

fn with_package_version(text: &str, version: &str) -> String {
    let Some(mut doc) = manifest(text) else {
        return text.to_owned();
    };
    if let Some(v) = doc.get_mut("package").and_then(|p| p.get_mut("version")) {
        *v = toml_edit::value(version);
    }
    doc.to_string()
}

fn set_package_version(files: &mut Files, manifest: &Path, version: &str) {
    if let Some(text) = files.get_mut(manifest) {
        *text = with_package_version(text, version);
    }
}

/// The dependency of a client's manifest on its models crate: the one with a sibling's path
/// and a version.
fn models_dependency(doc: &mut DocumentMut) -> Option<&mut dyn toml_edit::TableLike> {
    let deps = doc.get_mut("dependencies")?.as_table_like_mut()?;
    deps.iter_mut().map(|(_, dep)| dep).find_map(|dep| {
        let dep = dep.as_table_like_mut()?;
        let sibling = dep
            .get("path")
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.starts_with("../"));
        (sibling && dep.contains_key("version")).then_some(dep)
    })
}

/// The version a client's manifest requires of its models crate.
fn dependency_version(text: &str) -> Option<String> {
    let mut doc = manifest(text)?;
    let dep = models_dependency(&mut doc)?;
    Some(dep.get("version")?.as_str()?.to_owned())
}

fn with_dependency_version(text: &str, version: &str) -> String {
    let Some(mut doc) = manifest(text) else {
        return text.to_owned();
    };
    if let Some(dep) = models_dependency(&mut doc)
        && let Some(v) = dep.get_mut("version").and_then(|v| v.as_value_mut())
    {
        let decor = v.decor().clone();
        *v = version.into();
        *v.decor_mut() = decor;
    }
    doc.to_string()
}

fn set_dependency_version(files: &mut Files, client: &str, version: &str) {
    if let Some(text) = files.get_mut(&Path::new(client).join("Cargo.toml")) {
        *text = with_dependency_version(text, version);
    }
}

fn first_entry(version: &str, origin: &Origin) -> String {
    format!(
        "## [{version}]\n\nFirst version with a recorded public surface, generated from {}.\n",
        origin.said()
    )
}

/// One version's entry: the changes by Keep a Changelog section, each with what it breaks.
fn entry(version: &str, origin: &Origin, level: Level, changes: &[Change]) -> String {
    let what = match level {
        Level::Breaking => "Breaking changes",
        Level::Additive => "Additions",
        Level::Compatible => "Changes that keep the API",
        Level::Documentation => "No API change",
    };
    let mut out = format!("## [{version}]\n\n{what}, from {}.\n", origin.said());
    if changes.is_empty() {
        out.push_str(
            "\n### Changed\n\n- Documentation and examples; the public surface is the same.\n",
        );
        return out;
    }
    for (section, title) in [
        (Section::Added, "Added"),
        (Section::Changed, "Changed"),
        (Section::Removed, "Removed"),
    ] {
        let lines: Vec<String> = changes
            .iter()
            .filter(|c| c.section == section)
            .map(change_line)
            .collect();
        if !lines.is_empty() {
            out.push_str(&format!("\n### {title}\n\n{}\n", lines.join("\n")));
        }
    }
    out
}

/// A change as a changelog line: its words (on one line, whatever names from the spec they
/// quote, so that none can start an entry of its own), then what it breaks.
pub fn change_line(c: &Change) -> String {
    let mut notes = Vec::new();
    if c.rust == Rust::Breaking {
        notes.push("breaking");
    }
    if c.wire == Wire::Breaking {
        notes.push("wire: breaking");
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    let mut words: String = c.words.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(first) = words.get(..1) {
        words = first.to_uppercase() + &words[1..];
    }
    format!("- {words}{notes}.")
}

fn changelog_text(name: &str, generate: &str, entry: Option<&str>, old: Option<&str>) -> String {
    let header = format!(
        "# Changelog\n\nEvery change of `{name}`, written by `{generate}` when its spec \
         changes. The format follows\n[Keep a Changelog](https://keepachangelog.com/en/1.1.0/), \
         and versions follow [Semantic Versioning](https://semver.org/)\nas Cargo reads it: \
         before 1.0, a breaking change bumps the minor version.\n"
    );
    let older = old
        .and_then(|o| o.find("\n## [").map(|i| &o[i + 1..]))
        .unwrap_or_default();
    let entries: Vec<&str> = entry
        .into_iter()
        .chain([older])
        .filter(|e| !e.is_empty())
        .collect();
    format!("{header}\n{}", entries.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_differs_when_more_than_its_docs_changed() {
        let lib = |text: &str| Files::from([(PathBuf::from("m/src/lib.rs"), text.to_owned())]);
        let before = lib("//! An API.\n/// A pet.\npub struct Pet;\n");
        let docs = lib("//! The API.\n    /// Any pet.\npub struct Pet;\n");
        let code = lib("//! An API.\n/// A pet.\npub struct Pet(u8);\n");
        let dir = Path::new("m");
        assert!(!code_differs(dir, &docs, &before));
        assert!(code_differs(dir, &code, &before));
        assert!(!code_differs(Path::new("other"), &code, &before));
    }

    #[test]
    fn bumps_follow_cargo_semver() {
        assert_eq!(bump("0.1.0", Level::Breaking), "0.2.0");
        assert_eq!(bump("0.1.3", Level::Additive), "0.1.4");
        assert_eq!(bump("0.1.3", Level::Documentation), "0.1.4");
        assert_eq!(bump("1.2.3", Level::Breaking), "2.0.0");
        assert_eq!(bump("1.2.3", Level::Additive), "1.3.0");
        assert_eq!(bump("1.2.3", Level::Compatible), "1.2.4");
        assert_eq!(bump("1.2.3-rc.1", Level::Documentation), "1.2.4");
        assert_eq!(bump("1.2.3+build.5", Level::Additive), "1.3.0");
        assert_eq!(bump("one", Level::Breaking), "0.1.0");
    }

    #[test]
    fn versions_are_read_and_written_in_package_only() {
        let manifest = "[package]\nname = \"a\"\nversion = \"0.3.1\"\n\n[dependencies]\nb = { path = \"../b\", version = \"0.2.0\" }\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.3.1"));
        assert_eq!(dependency_version(manifest).as_deref(), Some("0.2.0"));
        let moved = with_dependency_version(&with_package_version(manifest, "0.4.0"), "0.2.1");
        assert_eq!(
            moved,
            "[package]\nname = \"a\"\nversion = \"0.4.0\"\n\n[dependencies]\nb = { path = \"../b\", version = \"0.2.1\" }\n"
        );
    }

    #[test]
    fn a_change_of_a_part_moves_the_version_of_its_crate_but_not_its_own() {
        let manifest =
            |name: &str, v: &str| format!("[package]\nname = \"{name}\"\nversion = \"{v}\"\n");
        let crates = Crates {
            models: "a-models".to_owned(),
            client: "a-client".to_owned(),
        };
        let origin = Origin {
            generate: "cargo xtask generate",
            source: "a.yaml",
            api_version: "1",
        };
        let surface = Surface::default().render("a", "cargo xtask generate");
        let state = |version: &str, part: &str| {
            Files::from([
                ("a-models/Cargo.toml".into(), manifest("a-models", version)),
                ("a-models/public-api.txt".into(), surface.clone()),
                (
                    "a-models-tag-x/Cargo.toml".into(),
                    manifest("a-models-tag-x", FIRST_VERSION),
                ),
                ("a-models-tag-x/src/lib.rs".into(), part.to_owned()),
            ])
        };
        let previous = state("0.3.0", "pub struct X;\n");
        let mut files = state(FIRST_VERSION, "pub struct X;\n");
        let same = settle(&crates, &origin, &mut files, &previous);
        assert_eq!(same[0].version, "0.3.0");
        let mut files = state(FIRST_VERSION, "/// An X.\npub struct X;\n");
        let moved = settle(&crates, &origin, &mut files, &previous);
        assert_eq!(moved[0].version, "0.3.1");
        assert!(files[Path::new("a-models/Cargo.toml")].contains("version = \"0.3.1\""));
        assert!(files[Path::new("a-models-tag-x/Cargo.toml")].contains("version = \"0.1.0\""));
    }
}
