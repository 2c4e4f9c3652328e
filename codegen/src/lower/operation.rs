//! Operations: parameters, JSON request bodies and responses, with the examples they carry.
//! Webhooks are lowered the same way; only their types reach the crates.

use openapiv3::{
    Example as OaExample, MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    StatusCode,
};

use super::schema::{SchemaRef, wrap_nullable};
use super::{Cost, Lowerer};
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{Body, Example, Operation, Param, ParamLocation, Response, TypeRef};
use crate::naming::type_name;

/// Where one operation stands: its path item and method, with their pointers.
struct Site<'a> {
    path: &'a str,
    item: &'a PathItem,
    /// The pointer of the path item (of the item a `$ref` names, when it is one).
    item_ptr: String,
    method: &'a str,
    op: &'a openapiv3::Operation,
}

impl Site<'_> {
    fn ptr(&self) -> String {
        format!("{}/{}", self.item_ptr, self.method)
    }

    /// The operation's id, or `method path` when it has none.
    fn id(&self) -> String {
        self.op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method, self.path))
    }
}

/// The first JSON media type of a content map: `application/json`, `*/*+json`, or `*/*`.
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content.iter().map(|(k, v)| (k.as_str(), v)).find(|(k, _)| {
        let base = k.split(';').next().unwrap_or(k).trim().to_ascii_lowercase();
        base == "application/json" || base.ends_with("+json") || base == "*/*"
    })
}

impl<'a> Lowerer<'a> {
    /// The operations under `paths`, in spec order; one that cannot be expressed is left out.
    pub(crate) fn operations(
        &mut self,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Operation>, Error> {
        let paths: Vec<_> = self.spec.doc.paths.iter().collect();
        self.lower_items(paths, "/paths", examples)
    }

    /// The operations of OpenAPI 3.1 `webhooks`: requests the API sends, not calls a client makes.
    pub(crate) fn webhooks(
        &mut self,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Operation>, Error> {
        let hooks: Vec<_> = self.spec.webhooks.iter().collect();
        self.lower_items(hooks, "/webhooks", examples)
    }

    fn lower_items(
        &mut self,
        items: Vec<(&'a String, &'a ReferenceOr<PathItem>)>,
        group: &str,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Operation>, Error> {
        let mut out = Vec::new();
        for (path, item) in items {
            let at = format!("{group}/{}", escape_token(path));
            let (item, item_ptr) = match self.resolve::<PathItem>(item, &at) {
                Ok(found) => found,
                Err(e) => {
                    self.degrade(e, Cost::PathItem)?;
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let site = Site {
                    path,
                    item,
                    item_ptr: item_ptr.clone(),
                    method,
                    op,
                };
                // The examples of an operation that is left out are left out with it.
                let mut op_examples = Vec::new();
                match self.operation(&site, &mut op_examples) {
                    Ok(operation) => {
                        out.push(operation);
                        examples.extend(op_examples);
                    }
                    Err(e) => self.degrade(e, Cost::Operation(&site.id()))?,
                }
            }
        }
        Ok(out)
    }

    fn operation(
        &mut self,
        site: &Site<'a>,
        examples: &mut Vec<Example>,
    ) -> Result<Operation, Error> {
        let id = site.id();
        let hint = type_name(&id);
        let params = self.params(site, &hint)?;
        let body = self.body(site, &hint, &id, examples)?;
        let responses = self.responses(site, &hint, &id, examples)?;
        let op = site.op;
        Ok(Operation {
            id,
            rust: String::new(),
            items: Default::default(),
            method: site.method.to_owned(),
            path: site.path.to_owned(),
            summary: op.summary.clone(),
            tags: op.tags.clone(),
            description: op.description.clone(),
            params,
            body,
            responses,
        })
    }

    /// Path-level parameters, then the operation's, which override those with the same name
    /// and place.
    fn params(&mut self, site: &Site<'a>, hint: &str) -> Result<Vec<Param>, Error> {
        let ptr = site.ptr();
        let all = site
            .item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{}/parameters/{i}", site.item_ptr)))
            .chain(
                site.op
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{ptr}/parameters/{i}"))),
            );
        let mut params: Vec<Param> = Vec::new();
        for (p, p_ptr) in all {
            if let Some(param) = self.param(p, hint, &p_ptr)? {
                params.retain(|q| !(q.wire == param.wire && q.location == param.location));
                params.push(param);
            }
        }
        Ok(params)
    }

    fn param(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        hint: &str,
        ptr: &str,
    ) -> Result<Option<Param>, Error> {
        let (p, p_ptr) = self.resolve::<Parameter>(p, ptr)?;
        let (data, location) = match p {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { parameter_data, .. } => {
                let e = Error::new(
                    ErrorKind::Unsupported(format!("cookie parameter `{}`", parameter_data.name)),
                    format!("{p_ptr}/in"),
                );
                self.degrade(e, Cost::Parameter("; send it with a default header"))?;
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
            self.degrade(e, Cost::Parameter(""))?;
            return Ok(None);
        };
        let (ty, _) = self.type_of(
            SchemaRef::from(schema),
            &format!("{hint}{}", type_name(&data.name)),
            &format!("{p_ptr}/schema"),
        )?;
        Ok(Some(Param {
            rust: String::new(),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            doc: data.description.clone(),
        }))
    }

    fn body(
        &mut self,
        site: &Site<'a>,
        hint: &str,
        id: &str,
        examples: &mut Vec<Example>,
    ) -> Result<Option<Body>, Error> {
        let Some(b) = &site.op.request_body else {
            return Ok(None);
        };
        let (body, body_ptr) = self.resolve(b, &format!("{}/requestBody", site.ptr()))?;
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
        self.examples(m, &ty, &format!("{id} request"), &m_ptr, examples)?;
        Ok(Some(Body {
            media_type: media.to_owned(),
            ty,
            required: body.required,
            doc: body.description.clone(),
        }))
    }

    fn responses(
        &mut self,
        site: &Site<'a>,
        hint: &str,
        id: &str,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Response>, Error> {
        let responses = &site.op.responses;
        let listed = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => c.to_string(),
                    StatusCode::Range(r) => format!("{r}XX"),
                };
                (status, r)
            })
            .chain(responses.default.iter().map(|r| ("default".to_owned(), r)));
        let mut out = Vec::new();
        for (status, r) in listed {
            let (resp, resp_ptr) =
                self.resolve(r, &format!("{}/responses/{status}", site.ptr()))?;
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
                    let label = format!("{id} response {status}");
                    self.examples(m, &ty, &label, &m_ptr, examples)?;
                    Some(ty)
                }
            };
            out.push(Response {
                status,
                variant: String::new(),
                description: resp.description.clone(),
                ty,
            });
        }
        Ok(out)
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

    /// Records the examples of a media type, following references to examples.
    fn examples(
        &self,
        m: &'a MediaType,
        ty: &TypeRef,
        label: &str,
        ptr: &str,
        out: &mut Vec<Example>,
    ) -> Result<(), Error> {
        if let Some(value) = &m.example {
            out.push(Example {
                name: label.to_owned(),
                pointer: format!("{ptr}/example"),
                ty: ty.clone(),
                value: value.clone(),
            });
        }
        for (key, e) in &m.examples {
            let e_ptr = format!("{ptr}/examples/{}", escape_token(key));
            let (example, _) = self.resolve::<OaExample>(e, &e_ptr)?;
            // An example given only by `externalValue` cannot be checked offline.
            if let Some(value) = &example.value {
                out.push(Example {
                    name: format!("{label} {key}"),
                    pointer: format!("{e_ptr}/value"),
                    ty: ty.clone(),
                    value: value.clone(),
                });
            }
        }
        Ok(())
    }
}
