//! Generates the crates of every valid fixture spec into `OUT_DIR` with the generator's build
//! script mode (`codegen::Build`), so that `src/lib.rs` compiles them (and clippy lints them) as
//! modules of this crate: `fixtures::<name>` holds the models, `fixtures::<name>_client` the
//! client, whose `models` is the module beside it.

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
        let mut build = codegen::Build::new(&path);
        build.config().strict(!stem.starts_with("degrade_"));
        if let Some(signing) = signing(&stem) {
            build.config().webhook_signing(signing);
        }
        let tree = build.module_tree().unwrap_or_else(|e| panic!("{e}"));
        for input in &tree.inputs {
            println!("cargo::rerun-if-changed={}", input.display());
        }
        std::fs::write(out.join(format!("{stem}.rs")), &tree.text).expect("OUT_DIR is writable");
        writeln!(
            modules,
            "#[doc = \"The crates generated from `{shown}`, as modules.\"]\npub mod {stem}_api {{ include!(concat!(env!(\"OUT_DIR\"), \"/{stem}.rs\")); }}\npub use {stem}_api::models as {stem};"
        )
        .unwrap();
        if tree.client {
            writeln!(modules, "pub use {stem}_api::client as {stem}_client;").unwrap();
        }
    }
    std::fs::write(out.join("fixtures.rs"), modules).expect("OUT_DIR is writable");
}

/// How the fixtures whose APIs send events sign them: the preset of their `webhooks::verifier`.
fn signing(stem: &str) -> Option<codegen::ir::Signing> {
    use codegen::ir::{HmacSigning, Signing, SigningScheme};
    let scheme = match stem {
        "webhooks" => SigningScheme::StandardWebhooks,
        "callbacks" => SigningScheme::Hmac(HmacSigning {
            header: "Signature".to_owned(),
            pairs: Some(("t".to_owned(), "v1".to_owned())),
            signed: Some("{timestamp}.{body}".to_owned()),
            ..Default::default()
        }),
        _ => return None,
    };
    Some(Signing {
        scheme,
        tolerance: Some(600),
    })
}
