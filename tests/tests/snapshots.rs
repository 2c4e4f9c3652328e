//! Snapshot tests: the models generated from each fixture spec, or, for `error_*` fixtures, the
//! error message. Review changes with `cargo insta review`; CI runs with `INSTA_UPDATE=no`.

use std::path::Path;

fn render(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    let shown = format!("tests/fixtures/{name}");
    let source = std::fs::read_to_string(path).unwrap();
    let reach = codegen::load::Reach {
        folder: path.parent().map(Path::to_owned),
        root: None,
        ..Default::default()
    };
    let result = codegen::Spec::parse_within(Path::new(&shown), source, &reach)
        .and_then(|spec| {
            let strict = !name.starts_with("degrade_");
            codegen::lower::lower(&spec, &codegen::api_name(path), &shown, strict)
        })
        .and_then(|api| {
            // Warnings come first in the snapshot, one per line.
            let warnings: String = api
                .warnings
                .iter()
                .map(|w| format!("// warning: {w}\n"))
                .collect();
            codegen::Config::new()
                .emit(&api)
                .map(|files| (warnings, files))
        });
    match result {
        Ok((warnings, files)) => {
            assert!(
                !name.starts_with("error_"),
                "{name} should fail but generated"
            );
            // The models crate's code, then the client's when the spec has operations.
            let mut libs: Vec<String> = files
                .into_iter()
                .filter(|(p, _)| p.ends_with("src/lib.rs"))
                .map(|(p, text)| format!("// ---- {} ----\n{}", p.display(), elide_support(&text)))
                .collect();
            libs.reverse();
            format!("{warnings}{}", libs.join("\n"))
        }
        Err(e) => {
            assert!(name.starts_with("error_"), "{name} failed: {e}");
            e.to_string()
        }
    }
}

/// The union decoder every models crate with unions carries is the same file
/// (`codegen/src/emit/support/unions.rs`), tested where it is written: one line stands for it.
fn elide_support(lib: &str) -> String {
    let mut out = String::with_capacity(lib.len());
    let mut skipping = false;
    for line in lib.lines() {
        if skipping {
            skipping = line != "    }";
            continue;
        }
        if line == "    pub mod unions {" {
            skipping = true;
            out.push_str("    pub mod unions { /* codegen/src/emit/support/unions.rs */ }\n");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures", "*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}

/// Every snapshot belongs to a fixture that still exists: a stale snapshot fails the build.
#[test]
fn no_unreferenced_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snaps = root.join("tests/snapshots");
    assert!(snaps.is_dir(), "no snapshots folder at {}", snaps.display());
    let stale: Vec<String> = std::fs::read_dir(&snaps)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let fixture = name
                .strip_prefix("snapshots__fixtures@")
                .and_then(|rest| rest.strip_suffix(".snap"));
            !fixture.is_some_and(|f| root.join("fixtures").join(f).is_file())
        })
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots without a fixture (delete them): {stale:?}"
    );
}
