//! A copy of `client-runtime` for output folders that must build on any machine: its sources
//! are compiled into the generator, and its manifest is made standalone.

use std::path::PathBuf;

use crate::Files;

/// The folder and package name of the runtime crate.
pub const CRATE: &str = "client-runtime";

const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

const SOURCES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../../runtime/src/lib.rs")),
    ("auth.rs", include_str!("../../../runtime/src/auth.rs")),
    ("body.rs", include_str!("../../../runtime/src/body.rs")),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    ("pages.rs", include_str!("../../../runtime/src/pages.rs")),
    ("params.rs", include_str!("../../../runtime/src/params.rs")),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    ("stream.rs", include_str!("../../../runtime/src/stream.rs")),
];

/// The manifest with the settings it inherits from this workspace written out.
fn manifest(header: &str) -> String {
    let own = MANIFEST
        .replace("edition.workspace = true", "edition = \"2024\"")
        .replace("rust-version.workspace = true", "rust-version = \"1.95\"")
        .replace(
            "license.workspace = true",
            "license = \"MIT OR Apache-2.0\"",
        )
        .replace("publish.workspace = true", "publish = false");
    format!("{}{own}", header.replace("//", "#"))
}

/// The runtime crate's files, relative to the output folder. `header` is the `//` comment line
/// that generated Rust files start with.
pub fn files(header: &str) -> Files {
    let dir = PathBuf::from(CRATE);
    let mut files = Files::new();
    files.insert(dir.join("Cargo.toml"), manifest(header));
    for (name, text) in SOURCES {
        files.insert(dir.join("src").join(name), format!("{header}{text}"));
    }
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_copied_manifest_inherits_nothing() {
        let manifest = super::manifest("// header\n");
        assert!(!manifest.contains(".workspace"), "{manifest}");
        assert!(manifest.starts_with("# header\n[package]"), "{manifest}");
    }

    /// The settings written out are the workspace's own, so that the copy builds the same.
    #[test]
    fn the_copied_manifest_has_the_workspace_settings() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let manifest = super::manifest("");
        for key in ["edition", "rust-version", "license", "publish"] {
            let setting = |text: &str| {
                text.lines()
                    .find(|l| l.starts_with(&format!("{key} =")))
                    .map(str::to_owned)
            };
            assert_eq!(setting(&manifest), setting(&workspace), "{key}");
        }
    }

    #[test]
    fn every_runtime_source_is_copied() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut copied: Vec<&str> = super::SOURCES.iter().map(|(n, _)| *n).collect();
        copied.sort();
        assert_eq!(on_disk, copied);
    }

    /// What the runtime exports is either re-exported by every client crate (a type its
    /// signatures may name) or only called by generated code; nothing is forgotten.
    #[test]
    fn every_export_of_the_runtime_is_reexported_or_internal() {
        const INTERNAL: &[&str] = &[
            "Answer",
            "Client",
            "ClientBuilder",
            "JsonError",
            "Multipart",
            "NamedEvents",
            "RawResponse",
            "Reconnect",
            "RequestParts",
            "Style",
            "StyleKind",
            "cookie_pairs",
            "encode_path",
            "header_value",
            "is_json",
            "json_data",
            "link_next",
            "method",
            "path_value",
            "query_parts",
            "text_data",
        ];
        let lib = super::SOURCES
            .iter()
            .find(|(n, _)| *n == "lib.rs")
            .unwrap()
            .1;
        let file = syn::parse_file(lib).unwrap();
        let mut exported = Vec::new();
        for item in file.items {
            if let syn::Item::Use(u) = item
                && matches!(u.vis, syn::Visibility::Public(_))
            {
                leaves(&u.tree, &mut exported);
            }
        }
        exported.sort();
        let mut expected: Vec<String> = crate::ir::RUNTIME_REEXPORTS
            .iter()
            .chain(INTERNAL)
            .map(|s| (*s).to_owned())
            .collect();
        expected.sort();
        assert_eq!(exported, expected);
    }

    fn leaves(tree: &syn::UseTree, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, out),
            syn::UseTree::Name(n) => out.push(n.ident.to_string()),
            syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
            syn::UseTree::Glob(_) => out.push("*".to_owned()),
        }
    }
}
