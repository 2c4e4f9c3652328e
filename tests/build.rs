//! Generates the models of every valid fixture spec into `OUT_DIR`, so that `src/lib.rs` compiles
//! them (and clippy lints them) as modules of this crate.

use std::fmt::Write as _;
use std::path::Path;

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
        let strict = !stem.starts_with("degrade_");
        let mut config = codegen::Config::new();
        config.strict(strict);
        let api = config.load(&path, &shown).unwrap_or_else(|e| panic!("{e}"));
        let files = config.emit(&api).unwrap_or_else(|e| panic!("{e}"));
        let lib = files
            .iter()
            .find(|(p, _)| {
                p.ends_with("src/lib.rs") && p.starts_with(format!("{}-models", api.name))
            })
            .map(|(_, text)| text)
            .expect("a models crate has a lib.rs");
        // Inner doc comments cannot be `include!`d; they only document the crate root.
        let body: String = lib
            .lines()
            .filter(|l| !l.starts_with("//!"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(out.join(format!("{stem}.rs")), body).expect("OUT_DIR is writable");
        writeln!(
            modules,
            "#[doc = \"Models generated from `{shown}`.\"]\npub mod {stem} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{stem}.rs\")); }}"
        )
        .unwrap();
    }
    std::fs::write(out.join("fixtures.rs"), modules).expect("OUT_DIR is writable");
}
