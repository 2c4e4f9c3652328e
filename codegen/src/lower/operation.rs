//! Operations: parameters in their styles, request bodies of every media type, responses,
//! security requirements, and the examples they carry. Webhooks are lowered the same way;
//! only their types reach the crates.

use crate::docs::prose_of;
use openapiv3::{
    Example as OaExample, MediaType, Parameter, ParameterSchemaOrContent, PathItem, PathStyle,
    ReferenceOr, StatusCode,
};

use super::media;
use super::schema::SchemaRef;
use super::{Cost, Lowerer};
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    Body, BodyKind, Example, Method, Operation, Param, ParamLocation, ParamStyle, Response, Status,
    StyleKind, TypeRef,
};
use crate::naming::type_name;

/// Header parameters OpenAPI says are ignored: the client sets these itself.
fn ignored_header(p: &Param) -> bool {
    p.location == ParamLocation::Header
        && ["accept", "content-type", "authorization"]
            .contains(&p.wire.to_ascii_lowercase().as_str())
}

/// An error unless the method of `site` can be sent: a token of letters, digits and
/// ``!#$%&'*+-.^_`|~`` (RFC 9110).
fn check_method(site: &Site) -> Result<(), Error> {
    let name = site.method.upper();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !name.is_empty() && name.chars().all(token) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Invalid(format!("{name:?} is not an HTTP method (a token)")),
        site.ptr(),
    ))
}

/// The id of the operation `op` of path item `path` under method key `key`: its
/// `operationId`, else `key path`, as [`Site::id`] makes it for a path.
fn op_id(path: &str, key: &str, op: &openapiv3::Operation) -> String {
    op.operation_id
        .clone()
        .unwrap_or_else(|| format!("{key} {path}"))
}

/// Where one operation stands: its path item and method, with their pointers.
struct Site<'a> {
    path: &'a str,
    /// What names an operation without an id beside its method: the path, or a callback's
    /// name (its path is an expression).
    unnamed: &'a str,
    /// Whether `unnamed` is a webhook's or a callback's name, which names the item's only
    /// operation by itself.
    keyed: bool,
    item: &'a PathItem,
    /// The pointer of the path item (of the item a `$ref` names, when it is one).
    item_ptr: String,
    method: Method,
    op: &'a openapiv3::Operation,
}

impl Site<'_> {
    fn ptr(&self) -> String {
        format!("{}/{}", self.item_ptr, self.method.key())
    }

    /// The operation's id, or `method path` (`method callback`) when it has none; a webhook's
    /// or callback's only operation is named after it.
    fn id(&self) -> String {
        self.op.operation_id.clone().unwrap_or_else(|| {
            if self.keyed && self.item.iter().count() == 1 {
                return self.unnamed.to_owned();
            }
            let method = self.method.upper().to_ascii_lowercase();
            format!("{method} {}", self.unnamed)
        })
    }
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

    /// The operations of the webhooks (3.1 `webhooks`, 3.0 `x-webhooks`) and of every
    /// operation's `callbacks`: requests the API sends, not calls a client makes.
    pub(crate) fn webhooks(
        &mut self,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Operation>, Error> {
        let spec = self.spec;
        let hooks: Vec<_> = spec.webhooks.iter().collect();
        let from = examples.len();
        let group = format!("/{}", spec.webhooks_key);
        let mut lowered = self.lower_items(hooks, &group, examples)?;
        lowered.extend(self.callbacks(examples)?);
        // What a webhook carries is what the API sends: the client receives it.
        examples[from..].iter_mut().for_each(|e| e.sent = false);
        Ok(lowered)
    }

    /// The operations of every operation's callbacks, each under the expression of its URL.
    fn callbacks(&mut self, examples: &mut Vec<Example>) -> Result<Vec<Operation>, Error> {
        let spec = self.spec;
        let mut out = Vec::new();
        for (path, item) in &spec.doc.paths.paths {
            let at = format!("/paths/{}", escape_token(path));
            // A path item that does not resolve was reported with the operations.
            let Ok((item, item_ptr)) = self.resolve::<PathItem>(item, &at) else {
                continue;
            };
            for (key, op) in item.iter() {
                let at = format!("{item_ptr}/{key}/callbacks");
                out.extend(self.callbacks_of((op_id(path, key, op), op), &at, examples)?);
            }
        }
        Ok(out)
    }

    /// The operations of the callbacks of operation `op` (of id `id`, its callbacks at `at`),
    /// one without an id named after its callback.
    fn callbacks_of(
        &mut self,
        (id, op): (String, &'a openapiv3::Operation),
        at: &str,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Operation>, Error> {
        let mut out = Vec::new();
        for (name, callback) in &op.callbacks {
            for (expression, hook) in callback {
                let ptr = format!("{at}/{}/{}", escape_token(name), escape_token(expression));
                let site = (expression.as_str(), (name.as_str(), true), ptr);
                let lowered = self.path_item_operations(site, hook, examples)?;
                out.extend(lowered.into_iter().map(|mut hook| {
                    hook.callback = Some((id.clone(), name.clone()));
                    hook
                }));
            }
        }
        Ok(out)
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
            match self.resolve::<PathItem>(item, &at) {
                Ok((item, item_ptr)) => {
                    let at = (path.as_str(), (path.as_str(), group != "/paths"), item_ptr);
                    out.extend(self.path_item_operations(at, item, examples)?);
                }
                Err(e) => self.degrade(e, Cost::PathItem)?,
            }
        }
        Ok(out)
    }

    /// The operations of path item `item` under `path` (named `unnamed` where they have no
    /// id, at pointer `item_ptr`); one that cannot be expressed is left out, with its examples.
    fn path_item_operations(
        &mut self,
        (path, (unnamed, keyed), item_ptr): (&'a str, (&'a str, bool), String),
        item: &'a PathItem,
        examples: &mut Vec<Example>,
    ) -> Result<Vec<Operation>, Error> {
        let mut out = Vec::new();
        // `iter` gives only the eight methods of 3.0's fixed fields.
        let fixed = item
            .iter()
            .filter_map(|(key, op)| Some((Method::from_key(key)?, op)));
        let spec = self.spec;
        let more = spec.more_operations.get(&item_ptr).into_iter().flatten();
        let more = more.map(|m| match Method::from_key(&m.key) {
            Some(query) => (query, &m.op),
            None => (Method::Other(m.method.clone()), &m.op),
        });
        for (method, op) in fixed.chain(more) {
            let site = Site {
                path,
                unnamed,
                keyed,
                item,
                item_ptr: item_ptr.clone(),
                method,
                op,
            };
            let mut op_examples = Vec::new();
            match check_method(&site).and_then(|()| self.operation(&site, &mut op_examples)) {
                Ok(operation) => {
                    out.push(operation);
                    examples.extend(op_examples);
                }
                Err(e) => self.degrade(e, Cost::Operation(&site.id()))?,
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
        let mut params = self.params(site, &hint)?;
        for p in self.form_query(site, &hint)? {
            if !params
                .iter()
                .any(|q| q.wire == p.wire && q.location == p.location)
            {
                params.push(p);
            }
        }
        let body = self.body(site, &hint, &id, examples)?;
        let mut responses = self.responses(site, &hint, &id, examples)?;
        let op = site.op;
        if let Some(end) = terminator(op) {
            let streams = responses.iter_mut().flat_map(Response::streams_mut);
            streams.for_each(|s| s.sentinel = Some(end.clone()));
        }
        Ok(Operation {
            id,
            rust: String::new(),
            items: Default::default(),
            method: site.method.clone(),
            path: site.path.to_owned(),
            summary: prose_of(&op.summary),
            tags: op.tags.clone(),
            description: prose_of(&op.description),
            params,
            body,
            responses,
            security: self.security(op),
            paging_hint: self.paging_hint(op, &site.ptr()),
            pagination: None,
            callback: None,
        })
    }

    /// The operation's security requirements, else the document's; none where neither says
    /// but others do. `None` when the spec declares security nowhere: every configured
    /// credential is then sent, as users of such specs expect.
    fn security(&self, op: &openapiv3::Operation) -> Option<Vec<Vec<String>>> {
        let requirements = op.security.as_ref().or(self.spec.doc.security.as_ref());
        let Some(requirements) = requirements else {
            return self.declares_security.then(Vec::new);
        };
        // A scheme the spec does not declare (or that reading left out, mutual TLS) needs no
        // credential from the client.
        let declared = |s: &&String| {
            self.spec
                .doc
                .components
                .as_ref()
                .is_some_and(|c| c.security_schemes.contains_key(*s))
        };
        let alternatives = requirements
            .iter()
            .map(|r| r.keys().filter(declared).cloned().collect())
            .collect();
        Some(alternatives)
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
            if let Some(param) = self.param(p, hint, &p_ptr)?
                && !ignored_header(&param)
            {
                params.retain(|q| !(q.wire == param.wire && q.location == param.location));
                params.push(param);
            }
        }
        Ok(params)
    }

    /// The `default` of a parameter's schema, through one reference.
    fn schema_default(
        &self,
        schema: &'a ReferenceOr<openapiv3::Schema>,
        at: &str,
    ) -> Option<serde_json::Value> {
        let schema = match schema {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                let pointer = super::refs::target_pointer(reference, at).ok()?;
                self.schema_at(&pointer)?.as_item()?
            }
        };
        schema.schema_data.default.clone()
    }

    fn param(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        hint: &str,
        ptr: &str,
    ) -> Result<Option<Param>, Error> {
        let (p, p_ptr) = self.resolve::<Parameter>(p, ptr)?;
        let (data, location, kind, allow_reserved) = match p {
            Parameter::Path {
                parameter_data,
                style,
            } => {
                let kind = match style {
                    PathStyle::Simple => StyleKind::Simple,
                    PathStyle::Label => StyleKind::Label,
                    PathStyle::Matrix => StyleKind::Matrix,
                };
                (parameter_data, ParamLocation::Path, kind, false)
            }
            Parameter::Query {
                parameter_data,
                style,
                allow_reserved,
                ..
            } => {
                let kind = media::query_style(Some(style), None).kind;
                (parameter_data, ParamLocation::Query, kind, *allow_reserved)
            }
            Parameter::Header { parameter_data, .. } => (
                parameter_data,
                ParamLocation::Header,
                StyleKind::Simple,
                false,
            ),
            Parameter::Cookie { parameter_data, .. } => (
                parameter_data,
                ParamLocation::Cookie,
                StyleKind::Form,
                false,
            ),
        };
        let param_hint = format!("{hint}{}", type_name(&data.name));
        let default = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self.schema_default(schema, &p_ptr),
            ParameterSchemaOrContent::Content(_) => None,
        };
        let (ty, kind) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let at = format!("{p_ptr}/schema");
                self.roles.insert(at.clone(), data.name.clone());
                (
                    self.type_of(SchemaRef::from(schema), &param_hint, &at)?.0,
                    kind,
                )
            }
            ParameterSchemaOrContent::Content(content) => {
                self.param_content(content, &param_hint, &p_ptr, kind)?
            }
        };
        let explode = data.explode.unwrap_or(kind == StyleKind::Form);
        Ok(Some(Param {
            rust: String::new(),
            setter: String::new(),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            doc: prose_of(&data.description),
            style: ParamStyle {
                kind,
                explode,
                allow_reserved,
            },
            default,
        }))
    }

    /// A parameter described by `content`: JSON text for a JSON media type, else text.
    fn param_content(
        &mut self,
        content: &'a indexmap::IndexMap<String, MediaType>,
        hint: &str,
        ptr: &str,
        kind: StyleKind,
    ) -> Result<(TypeRef, StyleKind), Error> {
        match content.iter().next() {
            Some((media, m)) if media::is_json(media) => {
                let at = format!("{ptr}/content/{}", escape_token(media));
                Ok((self.media_schema(m, hint, &at)?, StyleKind::Json))
            }
            _ => Ok((TypeRef::String, kind)),
        }
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
        let mut media = Vec::with_capacity(body.content.len());
        let content = body
            .content
            .iter()
            .filter(|(k, _)| !(site.method.sends_query() && media::is_form(k)));
        let mut left_out = None;
        for (media_type, m) in content {
            let m_ptr = format!("{body_ptr}/content/{}", escape_token(media_type));
            // A media type the generator cannot express costs only itself.
            let lowered = match self.body_media(media_type, m, hint, &m_ptr) {
                Ok(lowered) => lowered,
                Err(e) if body.content.len() > 1 => {
                    self.degrade(e.clone(), Cost::Media(id, media_type))?;
                    left_out.get_or_insert(e);
                    continue;
                }
                Err(e) => return Err(e),
            };
            for lowered in lowered {
                if let BodyKind::Json(ty) = &lowered.kind {
                    let label = format!("{id} request");
                    let from = examples.len();
                    self.examples(m, ty, &label, &m_ptr, examples)?;
                    examples[from..].iter_mut().for_each(|e| e.sent = true);
                }
                media.push(lowered);
            }
        }
        if media.is_empty() {
            // Every media type was left out: the operation cannot send its body.
            return match left_out {
                Some(e) => Err(e),
                None => Ok(None),
            };
        }
        // JSON is what a caller gets by default: it goes first.
        media.sort_by_key(|m| !matches!(m.kind, BodyKind::Json(_)));
        Ok(Some(Body {
            media,
            required: body.required,
            doc: prose_of(&body.description),
        }))
    }

    /// The fields of a form body documented for a method whose request has no body servers
    /// read (Stripe documents the parameters of its GET operations so), as the operation's
    /// query parameters, each in the style its `encoding` gives.
    fn form_query(&mut self, site: &Site<'a>, hint: &str) -> Result<Vec<Param>, Error> {
        let Some(b) = site
            .op
            .request_body
            .as_ref()
            .filter(|_| site.method.sends_query())
        else {
            return Ok(Vec::new());
        };
        let (body, body_ptr) = self.resolve(b, &format!("{}/requestBody", site.ptr()))?;
        let Some((media_type, m)) = body.content.iter().find(|(k, _)| media::is_form(k)) else {
            return Ok(Vec::new());
        };
        let Some(schema) = &m.schema else {
            return Ok(Vec::new());
        };
        let ptr = format!("{body_ptr}/content/{}/schema", escape_token(media_type));
        let (properties, required) = self.properties_of(SchemaRef::from(schema), &ptr)?;
        let styles = media::form_styles(&m.encoding);
        let mut params = Vec::with_capacity(properties.len());
        for (wire, prop, prop_ptr) in properties {
            self.roles.insert(prop_ptr.clone(), wire.to_owned());
            let (ty, _) = self.type_of(prop, &format!("{hint}{}", type_name(wire)), &prop_ptr)?;
            let style = styles
                .iter()
                .find(|(name, _)| name == wire)
                .map_or(ParamStyle::default_for(ParamLocation::Query), |(_, s)| *s);
            params.push(Param {
                rust: String::new(),
                setter: String::new(),
                wire: wire.to_owned(),
                location: ParamLocation::Query,
                ty,
                required: body.required && required.contains(&wire),
                doc: match prop {
                    SchemaRef::Item(s) => super::schema::description(s),
                    SchemaRef::Ref(_) => None,
                },
                style,
                default: match prop {
                    SchemaRef::Item(s) => s.schema_data.default.clone(),
                    SchemaRef::Ref(_) => None,
                },
            });
        }
        Ok(params)
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
                    StatusCode::Code(c) => Status::Code(*c),
                    StatusCode::Range(r) => Status::Range(*r),
                };
                (status, r)
            })
            .chain(responses.default.iter().map(|r| (Status::Default, r)));
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
            let label = format!("{id} response {status}");
            let (content, stream) =
                self.response_content(&resp.content, (&resp_hint, &label), &resp_ptr, examples)?;
            out.push(Response {
                status,
                variant: String::new(),
                description: crate::docs::prose(&resp.description),
                content,
                stream,
                media_types: resp.content.keys().cloned().collect(),
                headers: resp.headers.keys().cloned().collect(),
            });
        }
        Ok(out)
    }

    /// Records the examples of a media type, following references to examples.
    pub(crate) fn examples(
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
                sent: false,
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
                    sent: false,
                });
            }
        }
        Ok(())
    }
}

/// The data that ends an operation's event streams, as Fern's `x-fern-streaming` names it.
fn terminator(op: &openapiv3::Operation) -> Option<String> {
    let streaming = op.extensions.get("x-fern-streaming")?;
    Some(streaming.get("terminator")?.as_str()?.to_owned())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /subscriptions:
    post:
      operationId: subscribe
      responses: { "201": { description: Subscribed. } }
      callbacks:
        onEvent:
          "{$request.body#/callbackUrl}":
            post:
              summary: Something happened.
              requestBody:
                content:
                  application/json:
                    schema: { type: object, properties: { event: { type: string } } }
              responses: { "204": { description: Received. } }
        onCancel:
          "https://example.com/cancelled":
            post:
              operationId: cancelled
              responses: { "200": { description: Received. } }
x-webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Pet" }
      responses: { "200": { description: Received. } }
components:
  schemas:
    Pet: { type: object, properties: { name: { type: string } } }
"##;

    type Hook<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);

    fn hooks(api: &crate::ir::Api) -> Vec<Hook<'_>> {
        api.webhooks.iter().map(hook).collect()
    }

    fn hook(h: &crate::ir::Operation) -> Hook<'_> {
        let callback = h.callback.as_ref();
        let callback = callback.map(|(op, name)| (op.as_str(), name.as_str()));
        (h.id.as_str(), h.path.as_str(), callback)
    }

    fn lowered(text: &str) -> crate::ir::Api {
        let spec = crate::Spec::parse(Path::new("t.yaml"), text.to_owned()).unwrap();
        crate::lower::lower(&spec, "t", "t.yaml", true).unwrap()
    }

    /// Callbacks and a 3.0 spec's `x-webhooks` are requests the API sends: lowered beside the
    /// webhooks, each callback with its operation and name (an operation without an id named
    /// after it), and listed in the models' docs.
    #[test]
    fn callbacks_and_3_0_webhooks_are_requests_the_api_sends() {
        let api = lowered(SPEC);
        let expression = "{$request.body#/callbackUrl}";
        let url = "https://example.com/cancelled";
        assert_eq!(
            hooks(&api),
            [
                ("newPet", "newPet", None),
                ("onEvent", expression, Some(("subscribe", "onEvent"))),
                ("cancelled", url, Some(("subscribe", "onCancel"))),
            ]
        );
        let doc = crate::emit::models::crate_doc(&api);
        let webhooks = "Webhooks, the requests the API sends:\n- `newPet` (`POST`): [`Pet`]\n";
        assert!(doc.contains(webhooks), "{doc}");
        let event = format!(
            "- `onEvent` of `subscribe` (`POST` to `{expression}`): [`OnEventRequest`] \
             Something happened."
        );
        assert!(doc.contains(&event), "{doc}");
        // A 3.1 document's extension was not read as 3.1: it stays an extension.
        let api = lowered(&SPEC.replace("3.0.3", "3.1.0"));
        assert_eq!(hooks(&api).len(), 2);
    }
}
