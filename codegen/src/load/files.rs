//! Specs in many files. Every `$ref` to another file, relative to the file that holds it, is
//! followed, and what it names is gathered into the entry document, so that the rest of loading
//! reads one document:
//!
//! - a schema, parameter, header, request body, response, example, link, callback or security
//!   scheme becomes a component of its kind, named after where it lives (`schemas/Book.yaml` →
//!   `Book`, `common.yaml#/components/schemas/Error` → `Error`; see [`names`]);
//! - a path item, an operation, a media type, or a map given by reference (`content: {$ref}`,
//!   out of OpenAPI's rules but written by vendors) is copied where it is referenced.
//!
//! `#/…` inside another file means that file; a reference back into the entry document is a
//! local one again. A file is read once, however often it is referenced. Every gathered piece
//! remembers its file and its pointer there ([`Part`]), so that an error inside it is located in
//! its own file. References stay in the allowed folder tree ([`Reach`]) and URLs are not
//! fetched: generation reads nothing but the spec's files.

mod names;
mod places;
mod remote;

pub(crate) use names::candidates as names_of_file;
pub use remote::{CACHE, Fetch};

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, escape_token};
use places::{Found, Kind, Place};

/// One file of a spec: its path as messages show it, and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub file: PathBuf,
    pub text: String,
}

/// A piece of the gathered document copied from elsewhere: where it stands in the document,
/// the file it came from ([`Gathered::sources`] index; `None` for the entry) and its pointer
/// there.
#[derive(Debug, Clone)]
pub struct Part {
    pub at: String,
    pub source: Option<usize>,
    pub pointer: String,
}

/// Where the files references name are read, and how far references may lead.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// The folder of the entry file on disk, which its references are relative to; by default
    /// the folder of the path the entry is shown by.
    pub folder: Option<PathBuf>,
    /// The folder no reference may leave; by default `folder`.
    pub root: Option<PathBuf>,
    /// How to download a URL a reference names whose copy is not yet beside the spec
    /// ([`CACHE`]); without it, such a reference is an error.
    pub fetch: Option<Fetch>,
}

/// The files of a spec besides the entry, and where what came from them stands in the
/// gathered document.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    /// The files read besides the entry, in the order they were first referenced.
    pub sources: Vec<Source>,
    parts: Vec<Part>,
}

impl Gathered {
    /// Where what stands at `pointer` of the gathered document comes from: its file
    /// ([`Gathered::sources`]; `None` for the entry) and its pointer there.
    pub fn origin(&self, pointer: &str) -> (Option<&Source>, String) {
        let within = |p: &&Part| {
            pointer
                .strip_prefix(p.at.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        match self.parts.iter().filter(within).max_by_key(|p| p.at.len()) {
            Some(part) => (
                part.source.map(|i| &self.sources[i]),
                format!("{}{}", part.pointer, &pointer[part.at.len()..]),
            ),
            None => (None, pointer.to_owned()),
        }
    }

    /// Moves `error`, whose pointer is one of the gathered document's, to the file and pointer
    /// it stands at there, located; `false` when it stands in the entry (its pointer then the
    /// entry's).
    pub fn place(&self, error: &mut Error) -> bool {
        let (source, pointer) = self.origin(&error.pointer);
        error.pointer = pointer;
        let Some(source) = source else {
            return false;
        };
        error.file = source.file.clone();
        if error.location.is_none() {
            error.location = crate::locate::locate(&source.text, &error.pointer);
        }
        true
    }
}

/// The entry document with everything its references name in other files gathered into it.
pub struct Bundle {
    pub value: Value,
    pub gathered: Gathered,
    /// Where the spec breaks OpenAPI's rules and what was read instead, located in the file
    /// that holds what each is about.
    pub warnings: Vec<Error>,
}

impl Bundle {
    /// A document that references no other file.
    fn of(value: Value) -> Bundle {
        Bundle {
            value,
            gathered: Gathered::default(),
            warnings: Vec::new(),
        }
    }
}

/// Gathers what the references of `value` (read from `text`, the content of `entry`) name in
/// other files.
pub fn gather(entry: &Path, text: &str, value: Value, reach: &Reach) -> Result<Bundle, Error> {
    let shown_folder = entry.parent().unwrap_or(Path::new(""));
    let folder = reach
        .folder
        .clone()
        .unwrap_or_else(|| shown_folder.to_owned());
    let root = reach.root.clone().unwrap_or_else(|| folder.clone());
    let found = places::refs(&value, Place::Object(Kind::Document));
    let local = |f: &Found| is_pointer(&f.reference) && !f.place.is_map();
    if found.iter().all(local) {
        return Ok(Bundle::of(value));
    }
    let mut gatherer = Gatherer::new(entry, &folder, &root)?;
    gatherer.fetch = reach.fetch.clone();
    gatherer.root_shown = match &reach.root {
        Some(root) => root.clone(),
        None => shown_folder.to_owned(),
    };
    // References back into the entry are checked and copied from it as it was read.
    gatherer.files[0].value = value.clone();
    gatherer.files[0].text = text.to_owned();
    gatherer.index_ids(0);
    gatherer.find_homes(&value, &found)?;
    let mut value = value;
    for found in found {
        gatherer.follow(&mut value, &Holder::entry(), found, 0)?;
    }
    gatherer.drain()?;
    gatherer.follow_deferred()?;
    Ok(gatherer.finish(value))
}

/// A file read for a reference, by its index in [`Gatherer::files`].
struct File {
    /// The path relative to the entry's folder, lexically normal (`common/error.yaml`).
    relative: PathBuf,
    shown: PathBuf,
    text: String,
    value: Value,
}

/// An object gathered into the components, named once all are known.
struct Target {
    file: usize,
    pointer: String,
    kind: Kind,
    value: Option<Value>,
}

/// What holds a part of the gathered document: the entry, or a target, and where in it.
#[derive(Clone, Debug)]
struct Holder {
    within: Within,
    /// The pointer in the holder where the walked value stands.
    at: String,
    /// The file the walked value comes from (0 is the entry) and its pointer there.
    file: usize,
    pointer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Within {
    Entry,
    Target(usize),
}

impl Holder {
    fn entry() -> Holder {
        Holder {
            within: Within::Entry,
            at: String::new(),
            file: 0,
            pointer: String::new(),
        }
    }

    fn below(&self, relative: &str) -> (String, String) {
        (
            format!("{}{relative}", self.at),
            format!("{}{relative}", self.pointer),
        )
    }
}

/// A reference's target: the file and the pointer in it.
type Address = (usize, String);

/// What a reference becomes: a reference to a gathered target, or a pointer into the entry.
#[derive(Debug, Clone)]
enum Rewrite {
    Target(usize),
    Local(String),
}

/// How many values the copies of path items and maps given by reference may hold in all: a few
/// references can copy a file's content exponentially many times.
const MAX_COPIED: usize = 1_000_000;

/// How deep references to path items and maps may lead through each other (each is copied
/// where it is referenced, so a cycle of them has no end).
const MAX_COPIES: usize = 64;

struct Gatherer {
    folder: PathBuf,
    fetch: Option<Fetch>,
    /// `folder`, absolute, its symbolic links resolved.
    folder_canonical: PathBuf,
    root: PathBuf,
    /// The root as messages show it.
    root_shown: PathBuf,
    files: Vec<File>,
    by_path: HashMap<PathBuf, usize>,
    targets: Vec<Target>,
    by_target: HashMap<(usize, String, Kind), usize>,
    /// Objects copied into the entry's own components, by address and kind: their pointers.
    homes: HashMap<(Address, Kind), String>,
    /// Schema resources by their absolute `$id`.
    ids: HashMap<String, Address>,
    pending: Vec<usize>,
    /// Each reference to rewrite, by its holder and the pointer of the reference text.
    rewrites: Vec<(Within, String, Rewrite)>,
    /// References by absolute URIs to gathered kinds, followed once every file is read (an
    /// `$id` may stand in a file read later).
    deferred: Vec<(Holder, Found)>,
    /// The addresses being copied, outermost first, and how many values copies hold in all.
    copying: Vec<Address>,
    copied: usize,
    /// Each copied piece: its holder, where it stands there, its file and pointer.
    copies: Vec<(Within, String, usize, String)>,
    /// Warnings, located in the file that holds what they are about; each once, by its file
    /// and pointer there, however often what holds it is copied.
    warnings: Vec<Error>,
    warned: std::collections::HashSet<(usize, String)>,
}

impl Gatherer {
    fn new(entry: &Path, folder: &Path, root: &Path) -> Result<Gatherer, Error> {
        let root = canonical_folder(root)?;
        let entry_file = File {
            relative: PathBuf::from(entry.file_name().unwrap_or_default()),
            shown: entry.to_owned(),
            text: String::new(),
            value: Value::Null,
        };
        let mut by_path = HashMap::new();
        if let Ok(canonical) =
            std::fs::canonicalize(folder.join(entry.file_name().unwrap_or_default()))
        {
            by_path.insert(canonical, 0);
        }
        Ok(Gatherer {
            folder: folder.to_owned(),
            fetch: None,
            folder_canonical: canonical_folder(folder)?,
            root,
            root_shown: PathBuf::new(),
            files: vec![entry_file],
            by_path,
            targets: Vec::new(),
            by_target: HashMap::new(),
            homes: HashMap::new(),
            ids: HashMap::new(),
            pending: Vec::new(),
            rewrites: Vec::new(),
            deferred: Vec::new(),
            copying: Vec::new(),
            copied: 0,
            copies: Vec::new(),
            warnings: Vec::new(),
            warned: Default::default(),
        })
    }

    /// Follows the references in `value` (of kind `kind`, held by `holder`).
    fn walk(
        &mut self,
        value: &mut Value,
        holder: Holder,
        place: Place,
        depth: usize,
    ) -> Result<(), Error> {
        for found in places::refs(value, place) {
            self.follow(value, &holder, found, depth)?;
        }
        Ok(())
    }

    fn follow(
        &mut self,
        value: &mut Value,
        holder: &Holder,
        found: Found,
        depth: usize,
    ) -> Result<(), Error> {
        let local_in_entry = holder.file == 0 && is_pointer(&found.reference);
        if local_in_entry && !found.place.is_map() {
            return Ok(());
        }
        let gathered = found.place.gathered();
        if gathered.is_some() && self.unknown_uri(&found.reference) {
            self.deferred.push((holder.clone(), found));
            return Ok(());
        }
        let (address, text_at) = self.resolve(holder, &found)?;
        let home = gathered.and_then(|kind| self.homes.get(&(address.clone(), kind)));
        if found.place.is_map() || home == Some(&holder.below(&found.pointer).0) {
            return self.copy(value, holder, &found, address, depth);
        }
        let rewrite = match gathered {
            Some(kind) => self.point(address, kind),
            // The entry's path items are read where a reference names them (`Targets`).
            None if address.0 == 0 && found.place == Place::Object(Kind::PathItem) => {
                Rewrite::Local(address.1)
            }
            None => return self.copy(value, holder, &found, address, depth),
        };
        self.rewrites
            .push((holder.within, holder.below(&text_at).0, rewrite));
        Ok(())
    }

    /// What a reference to the object at `address`, read as `kind`, becomes: its place in the
    /// entry's components when the entry gives it there, a pointer into the entry, or a
    /// gathered target.
    fn point(&mut self, address: Address, kind: Kind) -> Rewrite {
        match self.homes.get(&(address.clone(), kind)) {
            Some(home) => Rewrite::Local(home.clone()),
            None if address.0 == 0 => Rewrite::Local(address.1),
            None => Rewrite::Target(self.target(address, kind)),
        }
    }

    /// Whether `reference` is an absolute URI that no `$id` read so far names.
    fn unknown_uri(&self, reference: &str) -> bool {
        let (path, _) = reference.split_once('#').unwrap_or((reference, ""));
        scheme(path).is_some() && !self.ids.contains_key(path) && !self.under_self(path)
    }

    /// Follows the references by absolute URIs put off until every file was read; what they
    /// name may hold references of its own.
    fn follow_deferred(&mut self) -> Result<(), Error> {
        while !self.deferred.is_empty() {
            for (holder, found) in std::mem::take(&mut self.deferred) {
                let Some(kind) = found.place.gathered() else {
                    continue;
                };
                let (address, text_at) = self.resolve(&holder, &found)?;
                let rewrite = self.point(address, kind);
                self.rewrites
                    .push((holder.within, holder.below(&text_at).0, rewrite));
            }
            self.drain()?;
        }
        Ok(())
    }

    /// The objects the entry's components give by reference to another file
    /// (`components: {schemas: {Pet: {$ref: pets.yaml}}}`): each is copied into its place, which
    /// names it, and every other reference to it points there.
    fn find_homes(&mut self, entry: &Value, found: &[Found]) -> Result<(), Error> {
        for f in found {
            let Some(kind) = f.place.gathered().filter(|_| !is_pointer(&f.reference)) else {
                continue;
            };
            // An object that says more beside its reference is not the file's content alone.
            let alone = entry
                .pointer(&f.pointer)
                .and_then(Value::as_object)
                .is_some_and(|o| o.len() == 1);
            let tokens: Vec<&str> = f.pointer.split('/').skip(1).collect();
            if let (["components", _, _], true) = (&tokens[..], alone) {
                let (address, _) = self.resolve(&Holder::entry(), f)?;
                self.homes
                    .entry((address, kind))
                    .or_insert_with(|| f.pointer.clone());
            }
        }
        Ok(())
    }

    /// Copies what a reference names to where it stands (a path item, a map given by
    /// reference), and follows the references in the copy.
    fn copy(
        &mut self,
        value: &mut Value,
        holder: &Holder,
        found: &Found,
        (file, pointer): Address,
        depth: usize,
    ) -> Result<(), Error> {
        if depth >= MAX_COPIES {
            return Err(self.error_at(
                holder,
                &found.pointer,
                ErrorKind::BadReference(format!(
                    "{:?} leads through more than {MAX_COPIES} references to path items or maps (a cycle of them has no end)",
                    found.reference
                )),
            ));
        }
        let address = (file, pointer.clone());
        if self.copying.contains(&address) {
            let kind = ErrorKind::BadReference(format!(
                "{:?} leads back to itself through references to path items or maps, which are read where they stand: a cycle of them has no end",
                found.reference
            ));
            return Err(self.error_at(holder, &found.text_pointer(), kind));
        }
        let mut copy = self
            .files_value(file)
            .pointer(&pointer)
            .cloned()
            .unwrap_or_default();
        self.copied += size(&copy);
        if self.copied > MAX_COPIED {
            let kind = ErrorKind::Unsupported(format!(
                "{:?}: what is given by reference and read where it stands (path items, maps) would hold more than {MAX_COPIED} values in all, copied where each is referenced",
                found.reference
            ));
            return Err(self.error_at(holder, &found.text_pointer(), kind));
        }
        let (at, _) = holder.below(&found.pointer);
        let inner = Holder {
            within: holder.within,
            at: at.clone(),
            file,
            pointer: pointer.clone(),
        };
        self.copying.push(address);
        self.walk(&mut copy, inner, found.place, depth + 1)?;
        self.copying.pop();
        let out_of_rule = found.place.is_map() || found.place == Place::Object(Kind::Other);
        let (_, in_file) = holder.below(&found.text_pointer());
        if out_of_rule && self.warned.insert((holder.file, in_file)) {
            let what = found.place.describe();
            let kind = ErrorKind::Unsupported(format!(
                "{what} given by `$ref` (OpenAPI allows a reference only in place of an object): read as what it names"
            ));
            let warning = self.error_at(holder, &found.text_pointer(), kind);
            self.warnings.push(warning);
        }
        set(value, &found.pointer, copy);
        self.copies.push((holder.within, at, file, pointer));
        Ok(())
    }

    fn files_value(&self, file: usize) -> &Value {
        &self.files[file].value
    }

    /// The target for the object at `address` read as `kind`, registered once.
    fn target(&mut self, (file, pointer): Address, kind: Kind) -> usize {
        let key = (file, pointer.clone(), kind);
        if let Some(&i) = self.by_target.get(&key) {
            return i;
        }
        let i = self.targets.len();
        self.targets.push(Target {
            file,
            pointer,
            kind,
            value: None,
        });
        self.by_target.insert(key, i);
        self.pending.push(i);
        i
    }

    /// Follows the references of every target until none is left.
    fn drain(&mut self) -> Result<(), Error> {
        while let Some(i) = self.pending.pop() {
            let (file, pointer, kind) = {
                let t = &self.targets[i];
                (t.file, t.pointer.clone(), t.kind)
            };
            let mut value = self
                .files_value(file)
                .pointer(&pointer)
                .cloned()
                .unwrap_or_default();
            let holder = Holder {
                within: Within::Target(i),
                at: String::new(),
                file,
                pointer,
            };
            self.walk(&mut value, holder, Place::Object(kind), 0)?;
            self.targets[i].value = Some(value);
        }
        Ok(())
    }

    /// The file and pointer a reference names, and the pointer of the reference's text in the
    /// walked value; the file is read if it was not yet.
    fn resolve(&mut self, holder: &Holder, found: &Found) -> Result<(Address, String), Error> {
        let text_at = found.text_pointer();
        let (path, fragment) = match found.reference.split_once('#') {
            Some((path, fragment)) => (path, fragment),
            None => (found.reference.as_str(), ""),
        };
        let by_id = match self.by_id(holder, &text_at, path)? {
            Some(address) => Some(address),
            None => self.by_base_id(holder, found)?,
        };
        let (file, base) = match by_id {
            Some(address) => address,
            None if path.is_empty() => (holder.file, String::new()),
            None => (
                self.file_of(holder, &text_at, holder.file, path)?,
                String::new(),
            ),
        };
        let pointer = self.pointer_in(holder, &text_at, file, &base, fragment)?;
        Ok(((file, pointer), text_at))
    }

    /// What an absolute URI names: the entry, or a file beside it, by a URI under the entry's
    /// own `$self` (OpenAPI 3.2); else the schema resource whose `$id` it is, in a file read.
    fn by_id(
        &mut self,
        holder: &Holder,
        text_at: &str,
        uri: &str,
    ) -> Result<Option<Address>, Error> {
        if scheme(uri).is_none() {
            return Ok(None);
        }
        if let Some(relative) = self.self_relative(uri) {
            let file = match relative.as_str() {
                "" => 0,
                relative => self.file_of(holder, text_at, 0, relative)?,
            };
            return Ok(Some((file, String::new())));
        }
        Ok(self.ids.get(uri).cloned())
    }

    /// `uri`'s path from the entry's folder when it stands under the entry's `$self`; `""` for
    /// the entry itself.
    fn self_relative(&self, uri: &str) -> Option<String> {
        let own = self.files[0].value.get("$self").and_then(Value::as_str)?;
        if uri == own {
            return Some(String::new());
        }
        let folder = &own[..own.rfind('/')? + 1];
        uri.strip_prefix(folder).map(str::to_owned)
    }

    fn under_self(&self, uri: &str) -> bool {
        self.self_relative(uri).is_some()
    }

    /// The schema resource a relative reference names against the `$id` of a schema it stands
    /// in (`$id: https://e.com/s/pet` makes `tag` mean `https://e.com/s/tag`), when a schema read
    /// has that `$id`; otherwise the reference is relative to its file.
    fn by_base_id(&mut self, holder: &Holder, found: &Found) -> Result<Option<Address>, Error> {
        let (path, _) = found
            .reference
            .split_once('#')
            .unwrap_or((&found.reference, ""));
        if path.is_empty() || scheme(path).is_some() {
            return Ok(None);
        }
        let at = holder.below(&found.pointer).1;
        let Some(base) = base_id(self.files_value(holder.file), &at) else {
            return Ok(None);
        };
        let uri = join_uri(&base, path);
        Ok(self
            .ids
            .get(&uri)
            .cloned()
            .filter(|_| !self.under_self(&uri)))
    }

    /// Records the absolute `$id` of every schema resource in `file`.
    fn index_ids(&mut self, file: usize) {
        let mut found = Vec::new();
        super::walk::each_object(&self.files[file].value, &mut |map, at| {
            if let Some(id) = map.get("$id").and_then(Value::as_str)
                && scheme(id).is_some()
            {
                found.push((id.trim_end_matches('#').to_owned(), at.to_owned()));
            }
        });
        for (id, pointer) in found {
            self.ids.entry(id).or_insert((file, pointer));
        }
    }

    /// The JSON pointer `fragment` names in the resource at `base` in `file`: a pointer, or a
    /// 3.1 `$anchor` name.
    fn pointer_in(
        &self,
        holder: &Holder,
        text_at: &str,
        file: usize,
        base: &str,
        fragment: &str,
    ) -> Result<String, Error> {
        let decoded = super::refs::percent_decode(fragment);
        let value = self.files_value(file);
        let resource = value.pointer(base).unwrap_or(value);
        let pointer = if decoded.is_empty() || decoded.starts_with('/') {
            Some(format!("{base}{decoded}")).filter(|p| value.pointer(p).is_some())
        } else {
            places::anchor(resource, &decoded).map(|p| format!("{base}{p}"))
        };
        pointer.ok_or_else(|| {
            let shown = self.files[file].shown.display();
            self.error_at(
                holder,
                text_at,
                ErrorKind::BadReference(format!("`#{decoded}` names nothing in {shown}")),
            )
        })
    }

    /// The index of the file `path` names, relative to the file `from`, read if it is new;
    /// errors are located at `text_at` in the holder.
    fn file_of(
        &mut self,
        holder: &Holder,
        text_at: &str,
        from: usize,
        path: &str,
    ) -> Result<usize, Error> {
        let relative = match scheme(path) {
            Some(_) => remote::copy_of(path).ok_or_else(|| {
                let kind = ErrorKind::Unsupported(format!(
                    "{path:?}: a reference by a URI of this form is not read: reference a file by its relative path, or an `http(s)` URL"
                ));
                self.error_at(holder, text_at, kind)
            })?,
            None => {
                let decoded = super::refs::percent_decode(path);
                let base = self.files[from].relative.parent().unwrap_or(Path::new(""));
                normal(&base.join(&decoded))
            }
        };
        let on_disk = self.folder.join(&relative);
        let shown = normal(
            &self.files[0]
                .shown
                .parent()
                .unwrap_or(Path::new(""))
                .join(&relative),
        );
        let unread = |e: std::io::Error| {
            let kind = ErrorKind::BadReference(format!(
                "{path:?} names the file {}, which cannot be read: {e}",
                shown.display()
            ));
            self.error_at(holder, text_at, kind)
        };
        let outside = || {
            let kind = ErrorKind::Unsupported(format!(
                "{path:?} leads out of the folder {} (to {}): references stay inside it unless a wider root is allowed",
                self.root_shown.display(),
                shown.display()
            ));
            self.error_at(holder, text_at, kind)
        };
        // Refused by its path before the file system is asked anything about it; then by where
        // its symbolic links lead.
        if !normal(&self.folder_canonical.join(&relative)).starts_with(&self.root) {
            return Err(outside());
        }
        if let Some(url) = remote::url_of(&relative).filter(|_| !on_disk.exists()) {
            self.fetch_copy(holder, text_at, &url, &on_disk, &shown)?;
        }
        let canonical = std::fs::canonicalize(&on_disk).map_err(unread)?;
        if !canonical.starts_with(&self.root) {
            return Err(outside());
        }
        if let Some(&i) = self.by_path.get(&canonical) {
            return Ok(i);
        }
        let text = std::fs::read_to_string(&canonical).map_err(unread)?;
        let in_file = |mut e: Error| {
            e.file = shown.clone();
            if e.location.is_none() {
                e.location = crate::locate::locate(&text, &e.pointer);
            }
            e
        };
        let mut value = super::read_value(&shown, &text).map_err(in_file)?;
        for said in super::dynamic::as_references(&mut value) {
            let kind = ErrorKind::Unsupported(said.message);
            self.warnings.push(in_file(Error::new(kind, said.pointer)));
        }
        let i = self.files.len();
        self.files.push(File {
            relative,
            shown,
            text,
            value,
        });
        self.by_path.insert(canonical, i);
        self.index_ids(i);
        Ok(i)
    }

    /// Downloads `url` into its copy at `on_disk` (shown as `shown`), when the caller allows it.
    fn fetch_copy(
        &self,
        holder: &Holder,
        text_at: &str,
        url: &str,
        on_disk: &Path,
        shown: &Path,
    ) -> Result<(), Error> {
        let failed = |why: String| {
            let kind = ErrorKind::BadReference(format!(
                "{url:?} is read from its copy {}, which is not there: {why}",
                shown.display()
            ));
            self.error_at(holder, text_at, kind)
        };
        let Some(fetch) = &self.fetch else {
            return Err(failed(
                "generation reads only the spec's files, offline; allow fetching (`openapi_crates_codegen::Config::fetch`) to download it there once, then review and commit it with the spec, or put the file there yourself".to_owned(),
            ));
        };
        let text = (fetch.0)(url).map_err(|e| failed(format!("fetching it failed: {e}")))?;
        let write = |path: &Path| -> std::io::Result<()> {
            std::fs::create_dir_all(path.parent().unwrap_or(path))?;
            std::fs::write(path, &text)
        };
        write(on_disk).map_err(|e| failed(format!("it cannot be written: {e}")))
    }

    /// An error at `relative` (a pointer in the walked value), located in the file that holds it.
    fn error_at(&self, holder: &Holder, relative: &str, kind: ErrorKind) -> Error {
        let (_, pointer) = holder.below(relative);
        let mut error = Error::new(kind, pointer);
        let file = &self.files[holder.file];
        error.file = file.shown.clone();
        error.location = crate::locate::locate(&file.text, &error.pointer);
        error
    }

    /// The document with every target in its component section under its name, every
    /// reference to a target pointing at it, and the parts recorded.
    fn finish(self, mut value: Value) -> Bundle {
        let named = names::settle(&value, &self.targets, &self.files);
        let mut targets = self.targets;
        let mut values: Vec<Value> = targets
            .iter_mut()
            .map(|t| t.value.take().unwrap_or_default())
            .collect();
        let targets = targets;
        let place = |within: Within| match within {
            Within::Entry => String::new(),
            Within::Target(i) => component_pointer(&targets[i], &named[i]),
        };
        for (within, at, rewrite) in &self.rewrites {
            let pointer = match rewrite {
                Rewrite::Target(t) => component_pointer(&targets[*t], &named[*t]),
                Rewrite::Local(pointer) => pointer.clone(),
            };
            let reference = Value::String(format!("#{}", pointer.replace('%', "%25")));
            match within {
                Within::Entry => set(&mut value, at, reference),
                Within::Target(i) => set(&mut values[*i], at, reference),
            }
        }
        // Index 0 of `files` is the entry, which the caller holds: `sources` are the others.
        let source = |file: usize| file.checked_sub(1);
        let mut parts: Vec<Part> = self
            .copies
            .iter()
            .map(|(within, at, file, pointer)| Part {
                at: format!("{}{at}", place(*within)),
                source: source(*file),
                pointer: pointer.clone(),
            })
            .collect();
        let mut sections: BTreeMap<&str, Vec<(String, Value)>> = BTreeMap::new();
        for ((target, name), value) in targets.iter().zip(&named).zip(values) {
            parts.push(Part {
                at: component_pointer(target, name),
                source: source(target.file),
                pointer: target.pointer.clone(),
            });
            let section = target.kind.section().unwrap_or("schemas");
            sections
                .entry(section)
                .or_default()
                .push((name.clone(), value));
        }
        insert_components(&mut value, sections);
        let warnings = self.warnings;
        let sources = self
            .files
            .into_iter()
            .skip(1)
            .map(|f| Source {
                file: f.shown,
                text: f.text,
            })
            .collect();
        Bundle {
            value,
            gathered: Gathered { sources, parts },
            warnings,
        }
    }
}

/// The absolute `$id` of the innermost schema resource that `pointer` stands in, in `value`.
fn base_id(value: &Value, pointer: &str) -> Option<String> {
    let mut base = None;
    let mut at = value;
    let tokens = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"));
    for token in std::iter::once(None).chain(tokens.map(Some)) {
        if let Some(token) = token {
            at = match at {
                Value::Object(map) => map.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return base,
            };
        }
        if let Some(id) = at.get("$id").and_then(Value::as_str) {
            base = Some(match (scheme(id), &base) {
                (Some(_), _) => id.to_owned(),
                (None, Some(outer)) => join_uri(outer, id),
                (None, None) => continue,
            });
        }
    }
    base
}

/// `relative` resolved against the absolute URI `base` (RFC 3986, for paths: the base's last
/// segment replaced, `.` and `..` taken out).
fn join_uri(base: &str, relative: &str) -> String {
    let base = base.split(['#', '?']).next().unwrap_or(base);
    let Some(rest_at) = base.find("://").map(|i| i + 3) else {
        return relative.to_owned();
    };
    let path_at = base[rest_at..]
        .find('/')
        .map_or(base.len(), |i| rest_at + i);
    let (origin, path) = base.split_at(path_at);
    let joined = if relative.starts_with('/') {
        relative.to_owned()
    } else {
        format!(
            "{}{relative}",
            &path[..path.rfind('/').map_or(0, |i| i + 1)]
        )
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let path = segments.join("/");
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("{origin}{slash}{path}")
}

/// Whether a reference is a JSON pointer into its own document (`#/…`), not a file, a URI or an
/// anchor name (`#pet`).
fn is_pointer(reference: &str) -> bool {
    reference == "#" || reference.starts_with("#/")
}

/// The pointer of a target's component.
fn component_pointer(target: &Target, name: &str) -> String {
    let section = target.kind.section().unwrap_or("schemas");
    format!("/components/{section}/{}", escape_token(name))
}

/// Adds the gathered components to the document after its own, by section, names sorted.
fn insert_components(doc: &mut Value, sections: BTreeMap<&str, Vec<(String, Value)>>) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    for (section, mut entries) in sections {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let of_kind = components
            .entry(section)
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(of_kind) = of_kind.as_object_mut() {
            of_kind.extend(entries);
        }
    }
}

/// `folder` absolute, its symbolic links resolved (`""` is the current folder).
fn canonical_folder(folder: &Path) -> Result<PathBuf, Error> {
    let path = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    std::fs::canonicalize(path).map_err(|e| {
        let message = format!("the folder {}: {e}", folder.display());
        Error::new(ErrorKind::Io(message), "")
    })
}

/// How many values `value` holds, itself included.
fn size(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(size).sum(),
        Value::Array(items) => items.iter().map(size).sum(),
        _ => 0,
    }
}

/// Puts `new` where `pointer` stands in `value`.
fn set(value: &mut Value, pointer: &str, new: Value) {
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = new;
    }
}

/// The URI scheme a reference starts with (`https` of `https://…`), if any.
fn scheme(reference: &str) -> Option<String> {
    let (scheme, _) = reference.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        // A Windows drive letter is a path, not a scheme.
        && scheme.len() > 1;
    valid.then(|| scheme.to_ascii_lowercase())
}

/// `path` with `.` and `..` taken out lexically (`a/./b/../c` → `a/c`); a `..` above the start
/// is kept, so that the containment check sees it.
fn normal(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests;
