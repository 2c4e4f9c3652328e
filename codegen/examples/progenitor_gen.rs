//! Writes progenitor's client for a spec as a crate, so that the crate-cost measurement
//! (`cargo xtask crate-cost`) can build it beside this project's output.
//!
//! `cargo run --release -p codegen --example progenitor_gen -- SPEC OUT_DIR`

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(spec), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: progenitor_gen SPEC OUT_DIR".into());
    };
    let spec: openapiv3::OpenAPI = serde_json::from_str(&std::fs::read_to_string(&spec)?)?;
    let tokens = progenitor::Generator::default().generate_tokens(&spec)?;
    let code = prettyplease::unparse(&syn::parse2(tokens)?);
    let out = PathBuf::from(out);
    std::fs::create_dir_all(out.join("src"))?;
    std::fs::write(out.join("src/lib.rs"), code)?;
    // The dependencies progenitor's README lists for generated code, and what nexus.json's
    // output also names (futures, base64, rand for websocket keys).
    std::fs::write(
        out.join("Cargo.toml"),
        r#"[package]
name = "progenitor-output"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
base64 = "0.22"
bytes = "1"
chrono = { version = "0.4", features = ["serde"] }
futures = "0.3"
futures-core = "0.3"
progenitor-client = "0.15"
rand = "0.9"
regress = "0.10"
reqwest = { version = "0.13", default-features = false, features = ["json", "stream", "query", "form"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
uuid = { version = "1", features = ["serde", "v4"] }
"#,
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
