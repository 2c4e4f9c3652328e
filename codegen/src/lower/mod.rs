//! Lowering: `openapiv3` documents into the generator's IR.

mod dedupe;
mod recursion;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    Example as OaExample, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Response as OaResponse, Schema, StatusCode,
};

use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    Api, Body, Example, Operation, Param, ParamLocation, Response, Security, SecurityKind, Server,
    ServerVariable, TypeRef,
};
use crate::load::Spec;
use crate::naming::{field_name, type_name, unique};
use schema::{SchemaRef, wrap_nullable};

/// State shared by the lowering of one document.
pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Component schemas by key.
    schemas: BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Component schema key to its reserved Rust name.
    component_names: BTreeMap<String, String>,
    /// Inline schemas already named, by JSON pointer.
    inline_names: BTreeMap<String, String>,
    /// Every type name in use.
    taken: BTreeSet<String>,
    types: BTreeMap<String, crate::ir::TypeDef>,
    /// Fail on the first construct that cannot be expressed instead of degrading it.
    strict: bool,
    /// What was left out or weakened, with where.
    warnings: Vec<Error>,
}

impl Lowerer<'_> {
    /// Turns an error about one construct into a warning that says what it cost, unless the
    /// lowering is strict or the error is not about one construct.
    pub(crate) fn degrade(&mut self, mut e: Error, cost: &str) -> Result<(), Error> {
        let local = matches!(
            e.kind,
            ErrorKind::Unsupported(_) | ErrorKind::BadReference(_) | ErrorKind::Invalid(_)
        );
        if self.strict || !local {
            return Err(e);
        }
        if let ErrorKind::Unsupported(m) | ErrorKind::BadReference(m) | ErrorKind::Invalid(m) =
            &mut e.kind
            && !m.contains(" (so ")
        {
            m.push_str(&format!(" (so {cost})"));
        }
        self.warnings.push(e);
        Ok(())
    }
}

/// Lowers a loaded spec into the IR. `name` is the API's kebab-case name.
/// Every construct the generator cannot express is an error.
pub fn lower(spec: &Spec, name: &str, source: &str) -> Result<Api, Error> {
    lower_with(spec, name, source, true)
}

/// Lowers a spec. Unless `strict`, a construct the generator cannot express costs only what it
/// touches (a schema becomes a JSON value, an operation or a parameter is left out) and is
/// reported in [`Api::warnings`].
pub fn lower_with(spec: &Spec, name: &str, source: &str, strict: bool) -> Result<Api, Error> {
    let mut api = lower_doc(&spec.doc, name, source, strict).map_err(|e| spec.attach(e))?;
    spec.attach_all(&mut api.warnings);
    Ok(api)
}

fn lower_doc(doc: &OpenAPI, name: &str, source: &str, strict: bool) -> Result<Api, Error> {
    let schemas: BTreeMap<&str, &ReferenceOr<Schema>> = doc
        .components
        .iter()
        .flat_map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)))
        .collect();
    let mut lowerer = Lowerer {
        doc,
        schemas,
        component_names: BTreeMap::new(),
        inline_names: BTreeMap::new(),
        taken: BTreeSet::new(),
        types: BTreeMap::new(),
        strict,
        warnings: Vec::new(),
    };
    // Component names are reserved first, in sorted order, so that they never depend on which
    // inline schema happened to be met first.
    let keys: Vec<&str> = lowerer.schemas.keys().copied().collect();
    for key in &keys {
        let rust = unique(&mut lowerer.taken, type_name(key), "");
        lowerer.component_names.insert((*key).to_owned(), rust);
    }
    for key in &keys {
        lowerer.define_component(key)?;
    }
    let mut examples = Vec::new();
    for key in &keys {
        if let ReferenceOr::Item(s) = lowerer.schemas[key]
            && let Some(value) = &s.schema_data.example
        {
            examples.push(Example {
                name: format!("schema_{}", field_name(key)),
                pointer: format!("/components/schemas/{}/example", escape_token(key)),
                ty: TypeRef::Named(lowerer.component_names[*key].clone()),
                value: value.clone(),
            });
        }
    }
    let operations = lowerer.operations(&mut examples)?;
    let mut taken = BTreeSet::new();
    for example in &mut examples {
        example.name = unique(&mut taken, std::mem::take(&mut example.name), "_");
    }
    let servers = doc
        .servers
        .iter()
        .map(|s| {
            let mut taken = BTreeSet::new();
            Server {
                url: s.url.clone(),
                description: s.description.clone(),
                variables: s
                    .variables
                    .iter()
                    .flatten()
                    .map(|(name, v)| ServerVariable {
                        name: name.clone(),
                        rust: unique(&mut taken, field_name(name), "_"),
                        default: v.default.clone(),
                        description: v.description.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let security = security_schemes(doc);
    let mut api = Api {
        name: name.to_owned(),
        source: source.to_owned(),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        types: lowerer.types,
        operations,
        examples,
        servers,
        security,
        warnings: lowerer.warnings,
    };
    dedupe::dedupe_inline_types(&mut api);
    recursion::box_recursive_fields(&mut api);
    Ok(api)
}

/// The security schemes a client can apply: bearer-like schemes and API keys in a header or the
/// query. Others (HTTP basic, cookie keys) are left to default headers.
fn security_schemes(doc: &OpenAPI) -> Vec<Security> {
    use openapiv3::{APIKeyLocation, SecurityScheme};
    let mut out = Vec::new();
    let mut taken = BTreeSet::new();
    let Some(components) = &doc.components else {
        return out;
    };
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by(|a, b| a.0.cmp(b.0));
    for (key, scheme) in schemes {
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (SecurityKind::Bearer, description),
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (SecurityKind::Bearer, description)
            }
            SecurityScheme::APIKey {
                location: APIKeyLocation::Header,
                name,
                description,
                ..
            } => (SecurityKind::ApiKeyHeader(name.clone()), description),
            SecurityScheme::APIKey {
                location: APIKeyLocation::Query,
                name,
                description,
                ..
            } => (SecurityKind::ApiKeyQuery(name.clone()), description),
            _ => continue,
        };
        let base = match &kind {
            SecurityKind::Bearer => format!("{key}_token"),
            _ => key.clone(),
        };
        let mut rust = field_name(&base);
        if rust.ends_with("_auth_token") {
            rust = rust.replace("_auth_token", "_token");
        }
        out.push(Security {
            scheme: key.clone(),
            rust: unique(&mut taken, rust, "_"),
            kind,
            description: description.clone(),
        });
    }
    out
}

/// The first JSON media type of a content map: `application/json`, `*/*+json`, or `*/*`.
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content.iter().map(|(k, v)| (k.as_str(), v)).find(|(k, _)| {
        let base = k.split(';').next().unwrap_or(k).trim().to_ascii_lowercase();
        base == "application/json" || base.ends_with("+json") || base == "*/*"
    })
}

impl<'a> Lowerer<'a> {
    fn component<T>(
        &self,
        item: &'a ReferenceOr<T>,
        prefix: &str,
        lookup: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        ptr: &str,
    ) -> Result<(&'a T, String), Error> {
        let mut current = item;
        let mut current_ptr = ptr.to_owned();
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(t) => return Ok((t, current_ptr)),
                ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix(prefix).ok_or_else(|| {
                        Error::new(
                            ErrorKind::Unsupported(format!(
                                "reference {reference:?}: only references into {prefix} are supported here"
                            )),
                            format!("{current_ptr}/$ref"),
                        )
                    })?;
                    let unescaped = key.replace("~1", "/").replace("~0", "~");
                    current = self
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| lookup(c).get(&unescaped))
                        .ok_or_else(|| {
                            Error::new(
                                ErrorKind::BadReference(format!(
                                    "{reference:?} names nothing in components"
                                )),
                                format!("{current_ptr}/$ref"),
                            )
                        })?;
                    current_ptr = format!("{}{key}", prefix.trim_start_matches('#'));
                }
            }
        }
        Err(Error::new(
            ErrorKind::Invalid("references form a cycle".into()),
            ptr,
        ))
    }

    fn operations(&mut self, examples: &mut Vec<Example>) -> Result<Vec<Operation>, Error> {
        let mut out = Vec::new();
        let mut taken = BTreeSet::new();
        for (path, item) in self.doc.paths.iter() {
            let path_ptr = format!("/paths/{}", escape_token(path));
            let ReferenceOr::Item(item) = item else {
                let e = Error::new(
                    ErrorKind::Unsupported("a path item that is a `$ref`".into()),
                    format!("{path_ptr}/$ref"),
                );
                self.degrade(e, "its operations are left out")?;
                continue;
            };
            for (method, op) in item.iter() {
                let id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{method} {path}"));
                let rust = unique(&mut taken, field_name(&id), "_");
                // The examples of an operation that is left out are left out with it.
                let mut op_examples = Vec::new();
                match self.operation(path, item, method, op, &id, rust, &mut op_examples) {
                    Ok(operation) => {
                        out.push(operation);
                        examples.extend(op_examples);
                    }
                    Err(e) => self.degrade(e, &format!("operation `{id}` is left out"))?,
                }
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &'a str,
        item: &'a openapiv3::PathItem,
        method: &str,
        op: &'a openapiv3::Operation,
        id: &str,
        rust: String,
        examples: &mut Vec<Example>,
    ) -> Result<Operation, Error> {
        let path_ptr = format!("/paths/{}", escape_token(path));
        let ptr = format!("{path_ptr}/{method}");
        let hint = type_name(id);
        // Operation parameters override path-level ones with the same name and place.
        let mut params: Vec<Param> = Vec::new();
        let all = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_ptr}/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{ptr}/parameters/{i}"))),
            );
        for (p, p_ptr) in all {
            let param = match self.param(p, &hint, &p_ptr)? {
                Some(param) => param,
                None => continue,
            };
            params.retain(|q| !(q.wire == param.wire && q.location == param.location));
            params.push(param);
        }
        let mut names = BTreeSet::new();
        for p in &mut params {
            p.rust = unique(&mut names, std::mem::take(&mut p.rust), "_");
        }

        let body = match &op.request_body {
            None => None,
            Some(b) => {
                let (body, body_ptr) = self.component::<RequestBody>(
                    b,
                    "#/components/requestBodies/",
                    |c| &c.request_bodies,
                    &format!("{ptr}/requestBody"),
                )?;
                let Some((media, m)) = json_media(&body.content) else {
                    let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
                    return Err(Error::new(
                        ErrorKind::Unsupported(format!(
                            "request body media types {types:?}: only JSON bodies are supported"
                        )),
                        format!("{body_ptr}/content"),
                    ));
                };
                let m_ptr = format!("{body_ptr}/content/{}", escape_token(media));
                let ty = self.media_type(m, &format!("{hint}Body"), &m_ptr)?;
                self.examples(m, &ty, &format!("{rust}_request"), &m_ptr, examples)?;
                Some(Body {
                    media_type: media.to_owned(),
                    ty,
                    required: body.required,
                    doc: body.description.clone(),
                })
            }
        };

        let mut responses = Vec::new();
        let listed = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => c.to_string(),
                    StatusCode::Range(r) => format!("{r}XX"),
                };
                (status, r)
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| ("default".to_owned(), r)),
            );
        for (status, r) in listed {
            let r_ptr = format!("{ptr}/responses/{status}");
            let (resp, resp_ptr) = self.component::<OaResponse>(
                r,
                "#/components/responses/",
                |c| &c.responses,
                &r_ptr,
            )?;
            // A response shared through components names its inline types after itself.
            let resp_hint = match r {
                ReferenceOr::Reference { reference } => {
                    type_name(reference.rsplit('/').next().unwrap_or(reference))
                }
                ReferenceOr::Item(_) => format!("{hint}Response{status}"),
            };
            let ty = match json_media(&resp.content) {
                None => None,
                Some((media, m)) => {
                    let m_ptr = format!("{resp_ptr}/content/{}", escape_token(media));
                    let ty = self.media_type(m, &resp_hint, &m_ptr)?;
                    self.examples(
                        m,
                        &ty,
                        &format!("{rust}_response_{status}"),
                        &m_ptr,
                        examples,
                    )?;
                    Some(ty)
                }
            };
            responses.push(Response {
                status,
                description: resp.description.clone(),
                ty,
            });
        }

        Ok(Operation {
            rust,
            method: method.to_owned(),
            path: path.to_owned(),
            summary: op.summary.clone(),
            tags: op.tags.clone(),
            description: op.description.clone(),
            params,
            body,
            responses,
        })
    }

    fn param(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        hint: &str,
        ptr: &str,
    ) -> Result<Option<Param>, Error> {
        let (p, p_ptr) =
            self.component::<Parameter>(p, "#/components/parameters/", |c| &c.parameters, ptr)?;
        let (data, location) = match p {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { parameter_data, .. } => {
                let e = Error::new(
                    ErrorKind::Unsupported(format!("cookie parameter `{}`", parameter_data.name)),
                    format!("{p_ptr}/in"),
                );
                self.degrade(e, "it is left out; send it with a default header")?;
                return Ok(None);
            }
        };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            let e = Error::new(
                ErrorKind::Unsupported(format!(
                    "parameter `{}` is described by `content` instead of `schema`",
                    data.name
                )),
                format!("{p_ptr}/content"),
            );
            // A path parameter cannot be left out: the operation goes with it.
            if location == ParamLocation::Path {
                return Err(e);
            }
            self.degrade(e, "it is left out")?;
            return Ok(None);
        };
        let (ty, _) = self.type_of(
            SchemaRef::from(schema),
            &format!("{hint}{}", type_name(&data.name)),
            &format!("{p_ptr}/schema"),
        )?;
        Ok(Some(Param {
            rust: field_name(&data.name),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            doc: data.description.clone(),
        }))
    }

    fn media_type(&mut self, m: &'a MediaType, hint: &str, ptr: &str) -> Result<TypeRef, Error> {
        Ok(match &m.schema {
            None => TypeRef::Json,
            Some(s) => {
                let (ty, nullable) =
                    self.type_of(SchemaRef::from(s), hint, &format!("{ptr}/schema"))?;
                wrap_nullable(ty, nullable)
            }
        })
    }

    /// Records the examples of a media type, resolving `#/components/examples/` references.
    fn examples(
        &self,
        m: &'a MediaType,
        ty: &TypeRef,
        name: &str,
        ptr: &str,
        out: &mut Vec<Example>,
    ) -> Result<(), Error> {
        if let Some(value) = &m.example {
            out.push(Example {
                name: name.to_owned(),
                pointer: format!("{ptr}/example"),
                ty: ty.clone(),
                value: value.clone(),
            });
        }
        for (key, e) in &m.examples {
            let e_ptr = format!("{ptr}/examples/{}", escape_token(key));
            let (example, _) =
                self.component::<OaExample>(e, "#/components/examples/", |c| &c.examples, &e_ptr)?;
            // An example given only by `externalValue` cannot be checked offline.
            if let Some(value) = &example.value {
                out.push(Example {
                    name: format!("{name}_{}", field_name(key)),
                    pointer: format!("{e_ptr}/value"),
                    ty: ty.clone(),
                    value: value.clone(),
                });
            }
        }
        Ok(())
    }
}
