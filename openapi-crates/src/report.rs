//! What the commands print: a line per crate, and what generation decided for each spec.

use std::path::Path;

use codegen::release::Release;
use codegen::surface::Level;

use crate::Generated;

/// How much a crate changed, in a word.
pub fn level_word(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Breaking) => "breaking",
        Some(Level::Additive) => "additive",
        Some(Level::Compatible) => "compatible",
        Some(Level::Documentation) => "no API change",
        None => "unchanged",
    }
}

/// A crate's line when `generate` runs: `imichat-models 0.1.0 -> 0.2.0 (breaking)`.
pub fn release_line(r: &Release) -> String {
    match (&r.from, r.level) {
        (Some(from), Some(level)) => format!(
            "{} {from} -> {} ({})",
            r.name,
            r.version,
            level_word(Some(level))
        ),
        (Some(from), None) => format!("{} {from} (unchanged)", r.name),
        (None, _) => format!("{} {} (new)", r.name, r.version),
    }
}

/// What `generate` prints of one spec, after its warnings (on standard error): where it went,
/// from how many files, what it decided, and each crate's version.
pub fn report(spec: &Path, out: &Path, generated: &Generated) -> String {
    let files = match generated.files {
        1 => String::new(),
        2 => " and the file it references".to_owned(),
        n => format!(" and the {} files it references", n - 1),
    };
    let mut lines = vec![format!(
        "generated {}{files} into {} ({} warnings)",
        spec.display(),
        out.display(),
        generated.warnings.len()
    )];
    if generated.tolerated > 0 {
        lines.push(format!(
            "tolerant: {} fields the spec marks required in types answers may hold are Options",
            generated.tolerated
        ));
    }
    lines.extend(generated.paging.clone());
    lines.extend(generated.releases.iter().map(release_line));
    lines.join("\n")
}
