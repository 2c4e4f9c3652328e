//! `generate` and `check`: one code path computes the wanted files, then either writes them or
//! compares them with what is on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::Files;

/// The specs under `specs/`, sorted: each `specs/<name>.yaml` (or `.yml`, `.json`), and each
/// folder's `openapi.yaml` (`specs/<name>/openapi.yaml`, beside the files it references).
pub fn spec_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("specs");
    let is_spec = |p: &Path| {
        p.extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
    };
    let mut specs = Vec::new();
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
        if path.is_dir() {
            let entry = ["openapi.yaml", "openapi.yml", "openapi.json"]
                .iter()
                .map(|name| path.join(name))
                .find(|p| p.is_file());
            specs.extend(entry);
        } else if is_spec(&path) {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// The files `generated/` should hold, from every spec, and what happened to each crate.
pub fn wanted_and_releases(root: &Path) -> Result<Wanted, String> {
    let (mut all, mut releases, mut paging) = (Files::new(), Vec::new(), Vec::new());
    each_spec(root, |spec, shown| {
        let (files, settled, pages) = files_of(root, spec, shown)?;
        all.extend(files);
        releases.extend(settled);
        paging.extend(pages.map(|p| format!("{shown}: {p}")));
        Ok(())
    })?;
    Ok((all, releases, paging))
}

/// Every spec's files, the crates' releases, and each spec's account of its paged operations.
pub type Wanted = (Files, Vec<codegen::release::Release>, Vec<String>);

/// [`crates_of`]: the files, the releases and the account of the paged operations.
pub type Crates = (Files, Vec<codegen::release::Release>, Option<String>);

/// The files of one spec's crates, settled against `generated/`.
fn files_of(root: &Path, spec: &Path, shown: &str) -> Result<Crates, codegen::Error> {
    let out = root.join("generated");
    crates_of(spec, shown, &codegen::Config::new(), &on_disk(&out))
}

/// Calls `work` with each spec and the path it is shown by; every spec's error is reported,
/// together.
fn each_spec(
    root: &Path,
    mut work: impl FnMut(&Path, &str) -> Result<(), codegen::Error>,
) -> Result<(), String> {
    let mut errors = Vec::new();
    for spec in spec_files(root)? {
        let shown = spec
            .strip_prefix(root)
            .unwrap_or(&spec)
            .to_string_lossy()
            .replace('\\', "/");
        if let Err(mut e) = work(&spec, &shown) {
            // An error in a file the spec references names that file, from the root.
            e.file = match e.file.strip_prefix(root) {
                _ if e.file == spec || e.file.as_os_str().is_empty() => PathBuf::from(&shown),
                Ok(relative) => relative.to_owned(),
                Err(_) => e.file,
            };
            errors.push(e.to_string());
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n\ngenerated/ was left untouched",
            errors.join("\n\n")
        ))
    }
}

/// [`wanted_and_releases`]' files for `check`, and how many specs were generated again: a spec
/// whose inputs are what they were at an earlier check (every file it was read from, everything
/// in `generated/`, and this build of the generator) is not; its files are read from that
/// check's record under `target/xtask-check/`.
fn wanted_for_check(root: &Path) -> Result<(Files, usize), String> {
    let inputs = (generator_stamp(), digest_of_folder(&root.join("generated")));
    let records = root.join("target/xtask-check");
    let (mut all, mut again) = (Files::new(), 0);
    each_spec(root, |spec, shown| {
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (&inputs, shown).hash(&mut hasher);
            format!("{:016x}", hasher.finish())
        };
        let record = records.join(format!("{}.json", shown.replace('/', "_")));
        if let Some(files) = read_record(&record, &key) {
            all.extend(files);
            return Ok(());
        }
        again += 1;
        let out = root.join("generated");
        let previous = on_disk(&out);
        let generation = generation_of(spec, shown, &codegen::Config::new(), &previous)?;
        write_record(&record, &key, &generation.api.inputs, &generation.files);
        all.extend(generation.files);
        Ok(())
    })?;
    Ok((all, again))
}

/// The content of each file, hashed, by its path.
fn digests(files: &[PathBuf]) -> Vec<(PathBuf, u64)> {
    use std::hash::{Hash, Hasher};
    files
        .iter()
        .map(|file| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            fs::read(file).unwrap_or_default().hash(&mut hasher);
            (file.clone(), hasher.finish())
        })
        .collect()
}

/// This build of the generator: its executable's path, size and modification time.
fn generator_stamp() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let meta = fs::metadata(&exe).ok();
    format!(
        "{} {:?} {:?}",
        exe.display(),
        meta.as_ref().map(fs::Metadata::len),
        meta.and_then(|m| m.modified().ok())
    )
}

/// Every file under `dir`, by path and content, hashed.
fn digest_of_folder(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for rel in existing(dir) {
        rel.hash(&mut hasher);
        fs::read(dir.join(&rel))
            .unwrap_or_default()
            .hash(&mut hasher);
    }
    hasher.finish()
}

/// The files a record holds, when its key is `key` and every file it was generated from is as
/// it was then.
fn read_record(path: &Path, key: &str) -> Option<Files> {
    let text = fs::read_to_string(path).ok()?;
    let (head, rest) = text.split_once('\n')?;
    let (inputs, files) = rest.split_once('\n')?;
    let inputs: Vec<(PathBuf, u64)> = serde_json::from_str(inputs).ok()?;
    let paths: Vec<PathBuf> = inputs.iter().map(|(p, _)| p.clone()).collect();
    let unchanged = head == key && digests(&paths) == inputs;
    unchanged.then(|| serde_json::from_str(files).ok())?
}

/// Records a spec's files for the next check, with the files it was generated from; a record
/// that cannot be written only costs a generation then.
fn write_record(path: &Path, key: &str, inputs: &[PathBuf], files: &Files) {
    let (Ok(inputs), Ok(json)) = (
        serde_json::to_string(&digests(inputs)),
        serde_json::to_string(files),
    ) else {
        return;
    };
    let _ = fs::create_dir_all(path.parent().unwrap_or(path));
    let _ = fs::write(path, format!("{key}\n{inputs}\n{json}"));
}

/// The files of one spec's crates as `generated/` holds them: formatted with rustfmt, versions
/// and changelogs settled against `previous`; and what happened to each crate.
pub fn crates_of(
    spec: &Path,
    shown: &str,
    config: &codegen::Config,
    previous: &codegen::Previous,
) -> Result<Crates, codegen::Error> {
    let generation = generation_of(spec, shown, config, previous)?;
    let paging = codegen::lower::decisions(&generation.api);
    Ok((generation.files, generation.releases, paging))
}

/// One spec's generation as `generated/` holds it: formatted with rustfmt, settled against
/// `previous`.
fn generation_of(
    spec: &Path,
    shown: &str,
    config: &codegen::Config,
    previous: &codegen::Previous,
) -> Result<codegen::Generation, codegen::Error> {
    config
        .clone()
        .format(rustfmt)
        .generate(spec, shown, previous)
}

/// The files now under `out` in the folders of the crates and of their parts (large APIs), by
/// their paths relative to `out`.
pub fn on_disk(out: &Path) -> impl Fn(&codegen::ir::Crates) -> Files + '_ {
    move |crates| {
        let dirs = crate_dirs(out, crates);
        let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
        previous_files(out, &dirs)
    }
}

/// The folders under `out` of the crates and of their parts.
fn crate_dirs(out: &Path, crates: &codegen::ir::Crates) -> Vec<String> {
    let facades = [crates.models.as_str(), crates.client.as_str()];
    fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|d| {
            facades.contains(&d.as_str()) || facades.iter().any(|f| codegen::plan::is_part(d, f))
        })
        .collect()
}

fn previous_files(out: &Path, crates: &[&str]) -> Files {
    let mut files = Files::new();
    for name in crates {
        for rel in existing(&out.join(name)) {
            let rel = Path::new(name).join(rel);
            if let Ok(text) = fs::read_to_string(out.join(&rel)) {
                files.insert(rel, normalize(&text));
            }
        }
    }
    files
}

/// Formats generated Rust with the toolchain's rustfmt, so that the committed crates pass
/// `cargo fmt --check` like the rest of the workspace. prettyplease's output is valid and
/// readable but not byte-identical to rustfmt's; rustfmt's output is stable within a style
/// edition, so the files stay deterministic.
fn rustfmt(source: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run rustfmt (install it with `rustup component add rustfmt`): {e}")
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = source.to_owned();
    // Write from another thread so that a large file cannot fill both pipes and deadlock.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .expect("the writer thread does not panic")
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote non-UTF-8: {e}"))
}

/// The files under `dir`, relative to it, skipping nothing: `generated/` holds only output.
fn existing(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.insert(rel.to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Writes the wanted files: only those whose content changed, each through a temporary file
/// renamed into place, and removes files that are no longer produced. Returns the crates that
/// are new or changed.
pub fn generate(root: &Path) -> Result<Vec<codegen::release::Release>, String> {
    let (wanted, releases, paging) = wanted_and_releases(root)?;
    let (written, removed) = write_tree(&root.join("generated"), &wanted, None)?;
    println!(
        "generated {} files from specs/: {written} written, {removed} removed",
        wanted.len()
    );
    for line in paging {
        println!("{line}");
    }
    Ok(releases
        .into_iter()
        .filter(|r| r.level.is_some() || r.from.is_none())
        .collect())
}

/// Writes `wanted` under `out`: only files whose content changed, each through a temporary file
/// renamed into place, on two threads (the file system's work is most of it); then removes
/// files that are no longer produced, everywhere under `out` or, with `scope`, only under those
/// sub-folders. Returns how many were written and removed.
pub fn write_tree(
    out: &Path,
    wanted: &Files,
    scope: Option<&BTreeSet<PathBuf>>,
) -> Result<(usize, usize), String> {
    let files: Vec<(&PathBuf, &String)> = wanted.iter().collect();
    let halves = files.split_at(files.len() / 2);
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| write_files(out, halves.1));
        (write_files(out, halves.0), second.join())
    });
    let second = second.unwrap_or_else(|_| Err("a writing thread panicked".to_owned()));
    let written = first? + second?;
    let mut removed = 0;
    let in_scope = |p: &Path| scope.is_none_or(|dirs| dirs.iter().any(|d| p.starts_with(d)));
    for stray in existing(out)
        .into_iter()
        .filter(|p| !wanted.contains_key(p) && in_scope(p))
    {
        let path = out.join(&stray);
        fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        removed += 1;
        // Remove the folders the file leaves empty, up to the output folder itself.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok((written, removed))
}

/// Writes each file whose content differs from what is on disk; how many were written.
fn write_files(out: &Path, files: &[(&PathBuf, &String)]) -> Result<usize, String> {
    let mut written = 0;
    for (rel, contents) in files {
        let path = out.join(rel);
        if fs::read_to_string(&path).is_ok_and(|old| normalize(&old) == **contents) {
            continue;
        }
        let parent = path.parent().expect("a generated file has a folder");
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        let tmp = path.with_extension("xtask-tmp");
        fs::write(&tmp, contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        fs::rename(&tmp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written += 1;
    }
    Ok(written)
}

/// What `generate_one` produced.
pub struct Generated {
    pub warnings: Vec<String>,
    /// What lenient generation gave up, by cost.
    pub degradations: codegen::ir::Degradations,
    pub operations: usize,
    pub types: usize,
    /// The version each crate got, and why.
    pub releases: Vec<codegen::release::Release>,
    /// How many required fields of answers were generated tolerant.
    pub tolerated: usize,
    /// The account of the paged operations, by style.
    pub paging: Option<String>,
    /// How many operations page, by style.
    pub paged: std::collections::BTreeMap<&'static str, usize>,
    /// The operations that take a paging parameter and do not page, with why.
    pub unpaged: Vec<(String, String)>,
    /// The examples the models crate's `tests/examples.rs` round-trips: each test's name, the
    /// example's JSON pointer, and whether requests send it.
    pub examples: Vec<(String, String, bool)>,
    /// What `readOnly` and `writeOnly` mark in the spec.
    pub access: codegen::ir::AccessCounts,
    /// How many files the spec was read from.
    pub files: usize,
}

/// `generate --spec PATH --out DIR`: the crates of one spec anywhere, for trying a vendor's spec
/// before adopting it. Unless `strict`, what the generator cannot express is left out with a
/// warning. `DIR` gets a `Cargo.toml` of its own making its crates one workspace, so that
/// `cargo check --manifest-path DIR/Cargo.toml --workspace` works wherever `DIR` is.
/// How `generate --spec` generates: strictly (warnings are errors), tolerantly (see
/// `codegen::Config::tolerant`), and under which name.
#[derive(Debug, Clone, Copy, Default)]
pub struct OneSpec<'a> {
    pub strict: bool,
    pub tolerant: bool,
    pub name: Option<&'a str>,
    /// The runtime as a path from each client crate, instead of a copy beside the crates.
    pub runtime: Option<&'a str>,
    /// The folder references may lead up to, when above the spec's own.
    pub root: Option<&'a Path>,
}

pub fn generate_one(spec: &Path, out: &Path, how: OneSpec) -> Result<Generated, String> {
    let mut generated = generate_many(&[spec.to_owned()], out, how)?;
    Ok(generated.remove(0))
}

/// `generate --spec A --spec B --out DIR`: the crates of several specs into one folder, one
/// workspace in which every API's client crates share one copy of the runtime. The folder's
/// `Cargo.toml` lists every crate generated into it, by this run or an earlier one, so that
/// generating the APIs one at a time into the same folder works too; removing an API is
/// removing its folders. `how.name` names the crates of one spec only.
pub fn generate_many(
    specs: &[PathBuf],
    out: &Path,
    how: OneSpec,
) -> Result<Vec<Generated>, String> {
    if specs.len() > 1 && how.name.is_some() {
        return Err("--name names the crates of one spec: generate the others without it".into());
    }
    let (mut all, mut scope, mut generated) = (Files::new(), BTreeSet::new(), Vec::new());
    let mut apis: BTreeMap<String, PathBuf> = BTreeMap::new();
    for spec in specs {
        let (api, files, releases) = generation_into(spec, out, how)?;
        if let Some(other) = apis.insert(api.name.clone(), spec.clone()) {
            return Err(format!(
                "{} and {} would both be the crates {}-models and {}-client: rename one's folder or file",
                other.display(),
                spec.display(),
                api.name,
                api.name
            ));
        }
        scope.extend(crate_dirs(out, &api.crates).into_iter().map(PathBuf::from));
        for (path, text) in files {
            scope.extend(
                path.components()
                    .next()
                    .map(|c| PathBuf::from(c.as_os_str())),
            );
            if all.get(&path).is_some_and(|other| *other != text) {
                return Err(format!("two specs write {} differently", path.display()));
            }
            all.insert(path, text);
        }
        generated.push(summary(&api, releases));
    }
    // This run's crates, and those of the other APIs generated into the folder before.
    let members: BTreeSet<String> = all
        .keys()
        .filter_map(|p| p.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .chain(
            generated_crates(out)
                .into_iter()
                .filter(|c| !scope.contains(Path::new(c))),
        )
        .collect();
    let members: Vec<String> = members.into_iter().collect();
    let comment = "# @generated by `cargo xtask generate --spec … --out …`: every crate generated into this folder.";
    all.insert(
        PathBuf::from("Cargo.toml"),
        codegen::emit::crate_files::workspace_manifest(comment, &members),
    );
    // Parts of the crates that the specs no longer have are removed with their files.
    scope.insert(PathBuf::from("Cargo.toml"));
    write_tree(out, &all, Some(&scope))?;
    Ok(generated)
}

/// The folders under `out` that hold a crate the generator wrote (its manifest says so).
fn generated_crates(out: &Path) -> Vec<String> {
    let generated = |dir: &Path| {
        fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|m| m.starts_with("# @generated by `cargo xtask generate`"))
    };
    fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| generated(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// One spec's API and crates, settled against what `out` holds.
fn generation_into(
    spec: &Path,
    out: &Path,
    how: OneSpec,
) -> Result<(codegen::ir::Api, Files, Vec<codegen::release::Release>), String> {
    // Headers name the spec as given, but never by an absolute path: the folder must read the
    // same on every machine.
    let shown = if spec.is_absolute() {
        spec.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    } else {
        spec.display().to_string().replace('\\', "/")
    };
    let mut config = codegen::Config::new();
    let runtime = match how.runtime {
        Some(path) => codegen::Runtime::Path(path.to_owned()),
        None => codegen::Runtime::Bundled,
    };
    config
        .strict(how.strict)
        .tolerant(how.tolerant)
        .runtime(runtime);
    if let Some(name) = how.name {
        config.name(name);
    }
    if let Some(root) = how.root {
        config.reference_root(root);
    }
    let codegen::Generation {
        api,
        files,
        releases,
    } = config
        .generate(spec, &shown, &on_disk(out))
        .map_err(|e| e.to_string())?;
    Ok((api, files, releases))
}

/// What `generate --spec` reports of one spec.
fn summary(api: &codegen::ir::Api, releases: Vec<codegen::release::Release>) -> Generated {
    Generated {
        warnings: api
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect(),
        degradations: api.degradations,
        files: api.inputs.len(),
        operations: api.operations.len(),
        types: api.types.len(),
        releases,
        tolerated: api.tolerated,
        paging: codegen::lower::decisions(api),
        paged: codegen::lower::pages::styles(api),
        unpaged: api.unpaged.clone(),
        examples: api
            .examples
            .iter()
            .map(|e| (e.name.clone(), e.pointer.clone(), e.sent))
            .collect(),
        access: api.access,
    }
}

/// Compares the wanted files with `generated/`; on any difference returns the diff and the fix.
pub fn check(root: &Path) -> Result<(), String> {
    let (specs, again) = check_counted(root)?;
    if again < specs {
        println!(
            "checked {specs} specs: {} as recorded at an earlier check (same spec, generated/ and generator), {again} generated again",
            specs - again
        );
    }
    Ok(())
}

/// [`check`], with how many specs there are and how many were generated again.
fn check_counted(root: &Path) -> Result<(usize, usize), String> {
    let (wanted, again) = wanted_for_check(root)?;
    let specs = spec_files(root)?.len();
    let out = root.join("generated");
    let mut report = String::new();
    for (rel, contents) in &wanted {
        let shown = format!("generated/{}", rel.display());
        match fs::read_to_string(out.join(rel)) {
            Ok(old) if normalize(&old) == *contents => {}
            Ok(old) => report.push_str(&diff(&shown, &normalize(&old), contents)),
            Err(_) => report.push_str(&format!("missing: {shown}\n")),
        }
    }
    for stray in existing(&out)
        .into_iter()
        .filter(|p| !wanted.contains_key(p))
    {
        report.push_str(&format!(
            "stray: generated/{} (no spec produces it)\n",
            stray.display()
        ));
    }
    if report.is_empty() {
        return Ok((specs, again));
    }
    Err(format!(
        "generated/ is out of date with specs/:\n\n{report}\nrun `cargo xtask generate` to update it"
    ))
}

fn diff(shown: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

/// `bundle`: the one-document form of `spec` written to `out` (YAML, or JSON when `out` ends in
/// `.json`), with the warnings of gathering it.
pub fn bundle(spec: &Path, out: &Path, root: Option<&Path>) -> Result<Vec<String>, String> {
    let reach = codegen::load::Reach {
        folder: None,
        root: root.map(Path::to_owned),
        ..Default::default()
    };
    let yaml = out.extension().is_none_or(|e| e != "json");
    let (text, warnings) = codegen::load::bundle(spec, &reach, yaml).map_err(|e| e.to_string())?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(warnings.iter().map(ToString::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The drift check as a test, so that `cargo test` fails when a spec changed without
    /// regenerating.
    #[test]
    fn generated_is_up_to_date() {
        if let Err(message) = check(&crate::tools::project_root()) {
            panic!("{message}");
        }
    }

    /// A fresh project folder holding a copy of one real spec.
    fn scratch(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("specs")).unwrap();
        fs::copy(
            crate::tools::project_root().join("specs/iw-erp.yaml"),
            root.join("specs/iw-erp.yaml"),
        )
        .unwrap();
        root
    }

    fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
        existing(&root.join("generated"))
            .into_iter()
            .map(|p| {
                let text = fs::read_to_string(root.join("generated").join(&p)).unwrap();
                (p, text)
            })
            .collect()
    }

    #[test]
    fn check_generates_again_only_the_specs_whose_inputs_changed() {
        let root = scratch("again");
        fs::copy(
            crate::tools::project_root().join("specs/imichat.yaml"),
            root.join("specs/imichat.yaml"),
        )
        .unwrap();
        generate(&root).unwrap();
        assert_eq!(check_counted(&root).unwrap(), (2, 2));
        assert_eq!(check_counted(&root).unwrap(), (2, 0));
        // An edited spec is generated again, and its drift is found.
        let spec = root.join("specs/iw-erp.yaml");
        let text = fs::read_to_string(&spec).unwrap();
        fs::write(&spec, text.replace("A chat room.", "A room.")).unwrap();
        let message = check_counted(&root).unwrap_err();
        assert!(message.contains("-/// A chat room."), "{message}");
        fs::write(&spec, &text).unwrap();
        assert_eq!(check_counted(&root).unwrap(), (2, 1));
        // So is a hand edit of generated/, whichever spec's crate it is in.
        let lib = root.join("generated/imichat-models/src/lib.rs");
        let code = fs::read_to_string(&lib).unwrap();
        fs::write(&lib, format!("{code}// edited\n")).unwrap();
        let message = check_counted(&root).unwrap_err();
        assert!(message.contains("-// edited"), "{message}");
        fs::write(&lib, code).unwrap();
        assert_eq!(check_counted(&root).unwrap(), (2, 2));
        fs::remove_dir_all(&root).unwrap();
    }

    /// Copies `from` (a folder or a file) to `to`.
    fn copy_tree(from: &Path, to: &Path) {
        if from.is_dir() {
            fs::create_dir_all(to).unwrap();
            for entry in fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                copy_tree(&entry.path(), &to.join(entry.file_name()));
            }
        } else {
            fs::copy(from, to).unwrap();
        }
    }

    #[test]
    fn an_edit_of_a_file_a_spec_references_is_drift() {
        let root = scratch("referenced");
        let fixtures = crate::tools::project_root().join("tests/fixtures");
        copy_tree(&fixtures.join("many_files"), &root.join("specs/many_files"));
        copy_tree(
            &fixtures.join("many_files.yaml"),
            &root.join("specs/many_files.yaml"),
        );
        generate(&root).unwrap();
        assert!(
            root.join("generated/many-files-models/src/lib.rs")
                .is_file()
        );
        assert_eq!(check_counted(&root).unwrap(), (2, 2));
        assert_eq!(check_counted(&root).unwrap(), (2, 0));
        let part = root.join("specs/many_files/schemas/Author.yaml");
        let text = fs::read_to_string(&part).unwrap();
        let edited = text.replace("required: [name]", "required: [name, books]");
        fs::write(&part, &edited).unwrap();
        let message = check_counted(&root).unwrap_err();
        assert!(
            message.contains("-    pub books: Option<Vec<Book>>,"),
            "{message}"
        );
        // Only the spec whose file changed is generated again.
        fs::write(&part, &text).unwrap();
        assert_eq!(check_counted(&root).unwrap(), (2, 1));
        // The changelog says what the edit of the referenced file did.
        fs::write(&part, &edited).unwrap();
        let releases = generate(&root).unwrap();
        let models = releases
            .iter()
            .find(|r| r.name == "many-files-models")
            .unwrap();
        assert_eq!(models.version, "0.2.0", "a breaking change");
        let log =
            fs::read_to_string(root.join("generated/many-files-models/CHANGELOG.md")).unwrap();
        assert!(log.contains("`Author::books`"), "{log}");
        fs::remove_dir_all(&root).unwrap();
    }

    /// The type names `generated/` records for `api`, one `<Name> <role> <place>` per line.
    fn type_names(root: &Path, api: &str) -> BTreeSet<String> {
        let path = root.join(format!("generated/{api}-models/type-names.txt"));
        let text = fs::read_to_string(path).unwrap();
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn a_schema_or_a_file_that_takes_a_name_renames_no_type_that_exists() {
        let root = scratch("stable");
        fs::remove_file(root.join("specs/iw-erp.yaml")).unwrap();
        let fixture = crate::tools::project_root().join("tests/fixtures/stable_names");
        copy_tree(&fixture, &root.join("specs/stable_names"));
        generate(&root).unwrap();
        let before = type_names(&root, "stable-names");
        let spec = root.join("specs/stable_names/openapi.yaml");
        let text = fs::read_to_string(&spec).unwrap();
        // A component named as an inline type and as an input twin are, and an operation whose
        // answer is a file named as a file already referenced, in a folder sorted before it.
        let added = text
            .replace(
                "components:\n  schemas:\n",
                "components:\n  schemas:\n    ListPetsResponse200: {type: object, properties: {n: {type: integer}}}\n    PetInput: {type: object, properties: {s: {type: string}}}\n",
            )
            .replace(
                "paths:\n",
                "paths:\n  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        default:\n          description: What went wrong.\n          content:\n            application/json:\n              schema: {$ref: 'added/Error.yaml'}\n",
            );
        fs::write(&spec, &added).unwrap();
        generate(&root).unwrap();
        let after = type_names(&root, "stable-names");
        let renamed: Vec<&String> = before.difference(&after).collect();
        assert!(renamed.is_empty(), "renamed: {renamed:?}\nnow: {after:#?}");
        for newcomer in [
            "AddedError type added/Error.yaml#",
            "ListPetsResponse2002 type #/components/schemas/ListPetsResponse200",
            "PetInput2 type #/components/schemas/PetInput",
        ] {
            assert!(after.contains(newcomer), "{newcomer} in {after:#?}");
        }
        // It is the record that keeps them: generated afresh, the newcomers take the names.
        fs::remove_dir_all(root.join("generated")).unwrap();
        generate(&root).unwrap();
        let fresh = type_names(&root, "stable-names");
        assert!(fresh.contains("Error type added/Error.yaml#"), "{fresh:#?}");
        assert!(fresh.contains("CommonError type common/Error.yaml#"));
        assert!(fresh.contains("PetInput2 input #/components/schemas/Pet"));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_broken_spec_fails_and_leaves_generated_untouched() {
        let root = scratch("broken");
        generate(&root).unwrap();
        let before = snapshot(&root);
        assert!(before.contains_key(Path::new("iw-erp-models/src/lib.rs")));
        // A valid change and a broken spec together: nothing may be written.
        let spec = root.join("specs/iw-erp.yaml");
        let text = fs::read_to_string(&spec)
            .unwrap()
            .replace("A chat room.", "A room.");
        fs::write(&spec, text).unwrap();
        fs::write(
            root.join("specs/broken.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: '#/components/schemas/B'}\n",
        )
        .unwrap();
        for result in [generate(&root).map(drop), check(&root)] {
            let message = result.unwrap_err();
            assert!(
                message.contains("specs/broken.yaml:8:13: unresolved reference"),
                "{message}"
            );
            assert!(
                message.contains("at #/components/schemas/A/properties/b/$ref"),
                "{message}"
            );
        }
        assert_eq!(snapshot(&root), before);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_one_line_spec_change_is_drift_with_a_diff_until_regenerated() {
        let root = scratch("drift");
        generate(&root).unwrap();
        check(&root).unwrap();
        let spec = root.join("specs/iw-erp.yaml");
        let text = fs::read_to_string(&spec)
            .unwrap()
            .replace("description: A chat room.", "description: A chat group.");
        fs::write(&spec, text).unwrap();
        let message = check(&root).unwrap_err();
        assert!(
            message.contains("--- a/generated/iw-erp-models/src/lib.rs"),
            "{message}"
        );
        assert!(
            message.contains("-/// A chat room.\n+/// A chat group."),
            "{message}"
        );
        assert!(
            message.ends_with("run `cargo xtask generate` to update it"),
            "{message}"
        );

        // A stray file is drift too, and generate removes it.
        generate(&root).unwrap();
        fs::write(
            root.join("generated/iw-erp-models/src/old.rs"),
            "// left over\n",
        )
        .unwrap();
        assert!(
            check(&root)
                .unwrap_err()
                .contains("stray: generated/iw-erp-models/src/old.rs")
        );
        generate(&root).unwrap();
        check(&root).unwrap();
        assert!(!root.join("generated/iw-erp-models/src/old.rs").exists());

        // A second generate rewrites nothing: the modification times stay.
        let lib = root.join("generated/iw-erp-models/src/lib.rs");
        let mtime = fs::metadata(&lib).unwrap().modified().unwrap();
        generate(&root).unwrap();
        assert_eq!(fs::metadata(&lib).unwrap().modified().unwrap(), mtime);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_spec_change_bumps_versions_once_and_check_agrees() {
        let root = scratch("bump");
        generate(&root).unwrap();
        let spec = root.join("specs/iw-erp.yaml");
        let text = fs::read_to_string(&spec).unwrap().replace(
            "        id: { type: integer }\n        participant_type:",
            "        id: { type: integer }\n        nickname: { type: string }\n        participant_type:",
        );
        fs::write(&spec, text).unwrap();
        assert!(check(&root).is_err());
        generate(&root).unwrap();
        check(&root).unwrap();
        let settled = snapshot(&root);
        generate(&root).unwrap();
        assert_eq!(
            snapshot(&root),
            settled,
            "a second generate changes nothing"
        );
        let read = |rel: &str| settled[&PathBuf::from(rel)].clone();
        assert!(read("iw-erp-models/Cargo.toml").contains("\nversion = \"0.1.1\"\n"));
        let client = read("iw-erp-client/Cargo.toml");
        assert!(client.contains("\nversion = \"0.1.1\"\n"), "{client}");
        assert!(
            client.contains("iw-erp-models = { path = \"../iw-erp-models\", version = \"0.1.1\" }"),
            "{client}"
        );
        let log = read("iw-erp-models/CHANGELOG.md");
        assert!(
            log.contains("## [0.1.1]\n\nAdditions, from `specs/iw-erp.yaml` (API version 1).\n\n### Added\n\n- New optional field `ChatroomParticipant::nickname`.\n\n## [0.1.0]"),
            "{log}"
        );
        assert!(
            read("iw-erp-models/public-api.txt")
                .contains("field ChatroomParticipant.nickname: Option<String> [optional]\n")
        );
        // A changelog's entries are history, carried over; its header is generated like the
        // rest of the crate, and an edit of it is drift.
        let changelog = root.join("generated/iw-erp-models/CHANGELOG.md");
        fs::write(&changelog, log.replacen("# Changelog", "# Changes", 1)).unwrap();
        let message = check(&root).unwrap_err();
        assert!(
            message.contains("generated/iw-erp-models/CHANGELOG.md"),
            "{message}"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy_dir(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }

    /// `generate --spec --out` writes a folder that builds anywhere: moved to a fresh folder,
    /// with the one it was written to gone, it still passes `cargo check`.
    #[test]
    fn a_generated_folder_builds_after_it_is_moved() {
        let root = crate::tools::project_root();
        let tmp = std::env::temp_dir().join(format!("xtask-moved-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let (written, moved) = (tmp.join("written"), tmp.join("moved"));
        generate_one(
            &root.join("specs/iw-erp.yaml"),
            &written,
            Default::default(),
        )
        .unwrap();
        assert!(written.join("client-runtime/Cargo.toml").is_file());
        copy_dir(&written, &moved);
        fs::remove_dir_all(&written).unwrap();
        for (path, text) in snapshot_dir(&moved) {
            for absolute in [root.display().to_string(), written.display().to_string()] {
                assert!(
                    !text.contains(&absolute),
                    "{} names {absolute}",
                    path.display()
                );
            }
        }
        let output = std::process::Command::new("cargo")
            .args([
                "check",
                "--offline",
                "--workspace",
                "--all-targets",
                "--manifest-path",
            ])
            .arg(moved.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root.join("target/generated-check"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        fs::remove_dir_all(&tmp).unwrap();
    }

    fn snapshot_dir(dir: &Path) -> BTreeMap<PathBuf, String> {
        existing(dir)
            .into_iter()
            .map(|p| {
                let text = fs::read_to_string(dir.join(&p)).unwrap();
                (p, text)
            })
            .collect()
    }
}
