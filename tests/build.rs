//! Generates the crates of every valid fixture spec into `OUT_DIR`, so that `src/lib.rs` compiles
//! them (and clippy lints them) as modules of this crate: `fixtures::<name>` holds the models,
//! `fixtures::<name>_client` the client, whose `models` is the module beside it.

use std::fmt::Write as _;
use std::path::Path;

/// A generated `lib.rs` without what only a crate root may hold (inner docs and attributes,
/// which may span lines).
fn as_module(lib: &str) -> String {
    let mut out = String::new();
    let mut in_attribute = false;
    for line in lib.lines() {
        if line.starts_with("#![") {
            in_attribute = !line.trim_end().ends_with(']');
            continue;
        }
        if in_attribute {
            in_attribute = !line.trim_end().ends_with(']');
            continue;
        }
        if !line.starts_with("//!") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    println!("cargo::rerun-if-changed={}", dir.display());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable fixtures folder").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    let mut modules = String::new();
    for path in entries {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem.starts_with("error_") {
            continue;
        }
        let shown = format!("tests/fixtures/{stem}.yaml");
        // `degrade_*` fixtures are generated leniently: what cannot be expressed is left out.
        let mut config = codegen::Config::new();
        config.strict(!stem.starts_with("degrade_"));
        let api = config.load(&path, &shown).unwrap_or_else(|e| panic!("{e}"));
        let files = config.emit(&api).unwrap_or_else(|e| panic!("{e}"));
        let lib = |krate: &str| files.get(&Path::new(krate).join("src/lib.rs"));
        let models = lib(&api.crates.models).expect("a models crate has a lib.rs");
        std::fs::write(out.join(format!("{stem}.rs")), as_module(models))
            .expect("OUT_DIR is writable");
        writeln!(
            modules,
            "#[doc = \"Models generated from `{shown}`.\"]\npub mod {stem} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{stem}.rs\")); }}"
        )
        .unwrap();
        if let Some(client) = lib(&api.crates.client) {
            std::fs::write(out.join(format!("{stem}_client.rs")), as_module(client))
                .expect("OUT_DIR is writable");
            writeln!(
                modules,
                "#[doc = \"The client generated from `{shown}`.\"]\n#[allow(clippy::result_large_err, clippy::large_enum_variant, clippy::match_overlapping_arm, clippy::disallowed_names)]\npub mod {stem}_client {{ pub use super::{stem} as {}; include!(concat!(env!(\"OUT_DIR\"), \"/{stem}_client.rs\")); }}",
                api.crates.models_lib()
            )
            .unwrap();
        }
    }
    std::fs::write(out.join("fixtures.rs"), modules).expect("OUT_DIR is writable");
}
