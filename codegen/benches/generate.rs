//! Generation time of this generator and of progenitor (the library, in this same process, on
//! the same input), spec by spec, with the ratio. Run with `cargo xtask bench`, which fetches
//! the npm corpus first; specs whose files are missing are skipped with a note.
//!
//! Both sides go from the spec's text to formatted Rust source: parse, generate, `prettyplease`.
//! Ours writes a models crate and a client crate; progenitor writes one client file.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;

fn corpus() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut specs = Vec::new();
    let mut dir = |group: &str, dir: PathBuf| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
            specs.push((format!("{group}/{stem}"), f));
        }
    };
    dir(
        "progenitor",
        root.join("../shared/corpus/progenitor-samples"),
    );
    let modules = root.join("tools/corpus/node_modules");
    dir(
        "oas-examples",
        modules.join("@readme/oas-examples/3.0/json"),
    );
    let github = modules.join("@octokit/openapi/generated/api.github.com.json");
    if github.exists() {
        specs.push(("github/api.github.com".into(), github));
    }
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        specs.retain(|(name, _)| name.contains(&only));
    }
    specs
}

/// This project: text → files of the models and client crates.
fn ours(path: &Path, text: &str) -> usize {
    let spec =
        openapi_crates_codegen::Spec::parse(path, text.to_owned()).expect("corpus specs parse");
    let api = openapi_crates_codegen::lower::lower(&spec, "bench", "bench.json", false)
        .expect("lenient lowering");
    openapi_crates_codegen::Config::new()
        .emit(&api)
        .expect("emits")
        .values()
        .map(String::len)
        .sum()
}

/// progenitor: text → one formatted file. `None` when it fails or panics on the spec.
fn progenitor(text: &str) -> Option<usize> {
    std::panic::catch_unwind(|| {
        let spec: openapiv3::OpenAPI = serde_json::from_str(text).ok()?;
        let tokens = progenitor::Generator::default()
            .generate_tokens(&spec)
            .ok()?;
        let file: syn::File = syn::parse2(tokens).ok()?;
        Some(prettyplease::unparse(&file).len())
    })
    .ok()
    .flatten()
}

fn main() {
    // progenitor reports its failures by panicking; keep its messages out of the table.
    std::panic::set_hook(Box::new(|_| {}));
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
        .configure_from_args();
    let mut rows = Vec::new();
    for (name, path) in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let peer_ok = progenitor(&text).is_some();
        let mut group = criterion.benchmark_group(&name);
        group.bench_function("ours", |b| b.iter(|| ours(&path, black_box(&text))));
        if peer_ok {
            group.bench_function("progenitor", |b| b.iter(|| progenitor(black_box(&text))));
        }
        group.finish();
        rows.push((name, peer_ok));
    }
    criterion.final_summary();
    print_table(&rows);
}

/// Reads criterion's median estimates back and prints one row per spec with the ratio.
fn print_table(rows: &[(String, bool)]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    let median = |group: &str, function: &str| -> Option<f64> {
        let path = dir
            .join(group.replace('/', "_"))
            .join(function)
            .join("new/estimates.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        json["median"]["point_estimate"].as_f64()
    };
    println!("\n| spec | ours (ms) | progenitor (ms) | progenitor / ours |\n|---|---:|---:|---:|");
    let ms = |ns: f64| format!("{:.2}", ns / 1e6);
    for (name, peer_ok) in rows {
        let Some(o) = median(name, "ours") else {
            continue;
        };
        match median(name, "progenitor").filter(|_| *peer_ok) {
            Some(p) => println!("| {name} | {} | {} | {:.1}x |", ms(o), ms(p), p / o),
            None => println!("| {name} | {} | fails | — |", ms(o)),
        }
    }
}
