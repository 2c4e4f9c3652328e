//! Times each phase of generation for one spec: `cargo run --release -p codegen --example
//! phases -- SPEC`. A profiling aid; the comparison with progenitor is `cargo bench`.

use std::path::Path;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases SPEC");
    let path = Path::new(&path);
    let text = std::fs::read_to_string(path).expect("readable spec");
    let t = Instant::now();
    let spec = openapi_crates_codegen::Spec::parse(path, text).expect("parses");
    let parsed = t.elapsed();
    let api =
        openapi_crates_codegen::lower::lower(&spec, "phases", "phases", false).expect("lowers");
    let lowered = t.elapsed();
    let (models, _) =
        openapi_crates_codegen::emit::models::emit_models_text(&api, "").expect("formats");
    let modeled = t.elapsed();
    let client = openapi_crates_codegen::emit::client::emit_client(&api);
    let emitted = t.elapsed();
    let client = openapi_crates_codegen::emit::format_file("", client).expect("formats");
    let formatted = t.elapsed();
    let again = Instant::now();
    let api =
        openapi_crates_codegen::lower::lower(&spec, "phases", "phases", false).expect("lowers");
    let files = openapi_crates_codegen::Config::new()
        .emit(&api)
        .expect("emits");
    println!(
        "emit_api (threads) after parse: {:?}, {} files",
        again.elapsed(),
        files.len()
    );
    println!(
        "sequential: parse {parsed:?}, lower {:?}, models (emit+format, threads) {:?}, client emit {:?}, client format {:?}; {} types, {} bytes",
        lowered - parsed,
        modeled - lowered,
        emitted - modeled,
        formatted - emitted,
        api.types.len(),
        models.len() + client.len()
    );
}
