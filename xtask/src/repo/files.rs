//! `generate` and `check`: one code path computes the wanted files, then either writes them or
//! compares them with what is on disk.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::Files;
pub use openapi_crates::{Generated, OneSpec, generate_many, generate_one, on_disk, write_tree};
use openapi_crates::{diff, existing, normalize, rustfmt};

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

/// How this repository generates `generated/`, through the tool's library: strictly (a
/// warning is an error), the runtime by path from each client crate, formatted with rustfmt.
pub fn how(name: Option<&str>) -> OneSpec<'_> {
    OneSpec {
        strict: true,
        name,
        runtime: Some("../../runtime"),
        format: Some(rustfmt),
        ..OneSpec::default()
    }
}

/// The files of one spec's crates, settled against `generated/`.
fn files_of(root: &Path, spec: &Path, shown: &str) -> Result<Crates, codegen::Error> {
    let out = root.join("generated");
    crates_of(spec, shown, how(None), &on_disk(&out))
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
        let generation = how(None).config().generate(spec, shown, &previous)?;
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

/// The files of one spec's crates as generated `how`, versions and changelogs settled against
/// `previous`; and what happened to each crate.
pub fn crates_of(
    spec: &Path,
    shown: &str,
    how: OneSpec,
    previous: &codegen::Previous,
) -> Result<Crates, codegen::Error> {
    let generation = how.config().generate(spec, shown, previous)?;
    let paging = codegen::lower::decisions(&generation.api);
    Ok((generation.files, generation.releases, paging))
}

/// Writes the wanted files: only those whose content changed, each through a temporary file
/// renamed into place, and removes files that are no longer produced. Returns the crates that
/// are new or changed.
pub fn generate(root: &Path) -> Result<Vec<codegen::release::Release>, String> {
    let (wanted, releases, paging) = wanted_and_releases(root)?;
    write_tree(&root.join(BUNDLED_RUNTIME), &bundled_runtime(root)?, None)?;
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

/// Where the generator's package keeps the runtime's sources it copies into output folders.
const BUNDLED_RUNTIME: &str = "codegen/runtime";

/// The runtime crate's manifest and sources, as the generator's package keeps them: a copy
/// inside it, so that it can be published, of the crate `runtime/` that this workspace builds
/// and tests.
fn bundled_runtime(root: &Path) -> Result<Files, String> {
    let read = |path: PathBuf| {
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let mut files = Files::new();
    files.insert(
        "manifest.toml".into(),
        read(root.join("runtime/Cargo.toml"))?,
    );
    for source in existing(&root.join("runtime/src")) {
        let text = read(root.join("runtime/src").join(&source))?;
        files.insert(Path::new("src").join(source), text);
    }
    Ok(files)
}

/// What differs between `wanted` and the files under `root`/`folder`, as diffs and lists of
/// missing and stray files.
fn differences(root: &Path, folder: &str, wanted: &Files) -> String {
    let out = root.join(folder);
    let mut report = String::new();
    for (rel, contents) in wanted {
        let shown = format!("{folder}/{}", rel.display());
        match fs::read_to_string(out.join(rel)) {
            Ok(old) if normalize(&old) == normalize(contents) => {}
            Ok(old) => report.push_str(&diff(&shown, &normalize(&old), contents)),
            Err(_) => report.push_str(&format!("missing: {shown}\n")),
        }
    }
    for stray in existing(&out)
        .into_iter()
        .filter(|p| !wanted.contains_key(p))
    {
        report.push_str(&format!(
            "stray: {folder}/{} (nothing produces it)\n",
            stray.display()
        ));
    }
    report
}

/// [`check`], with how many specs there are and how many were generated again.
fn check_counted(root: &Path) -> Result<(usize, usize), String> {
    let (wanted, again) = wanted_for_check(root)?;
    let specs = spec_files(root)?.len();
    let mut report = differences(root, "generated", &wanted);
    report.push_str(&differences(root, BUNDLED_RUNTIME, &bundled_runtime(root)?));
    if report.is_empty() {
        return Ok((specs, again));
    }
    Err(format!(
        "generated/ (or the generator's copy of the runtime) is out of date with specs/ (or runtime/):\n\n{report}\nrun `cargo xtask generate` to update it"
    ))
}

/// A project of its own under the temporary folder, for tests that generate: `specs/` with
/// this project's spec `spec`, and a copy of `runtime/`.
#[cfg(test)]
pub(crate) fn scratch_project(name: &str, spec: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("specs")).unwrap();
    let project = crate::proof::tools::project_root();
    fs::copy(
        project.join("specs").join(spec),
        root.join("specs").join(spec),
    )
    .unwrap();
    for file in existing(&project.join("runtime")) {
        let to = root.join("runtime").join(&file);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(project.join("runtime").join(&file), to).unwrap();
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The drift check as a test, so that `cargo test` fails when a spec changed without
    /// regenerating.
    #[test]
    fn generated_is_up_to_date() {
        if let Err(message) = check(&crate::proof::tools::project_root()) {
            panic!("{message}");
        }
    }

    /// A fresh project folder holding a copy of one real spec.
    fn scratch(name: &str) -> PathBuf {
        scratch_project(name, "iw-erp.yaml")
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
            crate::proof::tools::project_root().join("specs/imichat.yaml"),
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
        let fixtures = crate::proof::tools::project_root().join("tests/fixtures");
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
        let fixture = crate::proof::tools::project_root().join("tests/fixtures/stable_names");
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
        let root = crate::proof::tools::project_root();
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
