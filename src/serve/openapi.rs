//! The OpenAPI document of the JSON API, served at `/openapi.json` and kept in the repository
//! as `docs/openapi.json`.

use super::{api, error};
use std::sync::OnceLock;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "placewise",
        description = "Tailored lists of settings for children with SEND in England, their reasons, and area-wide placement. Advisory: a person decides. Child ids are pseudonymous.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::healthz,
        api::child_list,
        api::child_explain,
        api::profile_list,
        api::profile_explain,
        api::settings,
        api::placement
    ),
    components(schemas(
        error::ApiError,
        crate::diag::DiagnosticRecord,
        api::Health,
        api::ProfileRequest,
        api::ProfileExplainRequest,
        api::PlacementRequest,
        api::SettingSummary,
        api::PoolSummary
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Sets every `top` (the query parameter and the request bodies' field) to the limits the API
/// enforces, from [`crate::limits`]: its range and default in the schema and the description.
fn top_limits(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let description = format!(
        "Settings to list, 1 to {} (default {}).",
        api::MAX_TOP,
        api::DEFAULT_TOP
    );
    let bound = |schema: &mut Value| {
        if let Some(s) = schema.as_object_mut() {
            s.insert("minimum".into(), json!(1));
            s.insert("maximum".into(), json!(api::MAX_TOP));
            s.insert("default".into(), json!(api::DEFAULT_TOP));
        }
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for op in paths.values_mut().filter_map(Value::as_object_mut) {
            for method in op.values_mut() {
                let Some(params) = method.get_mut("parameters").and_then(Value::as_array_mut)
                else {
                    continue;
                };
                for p in params.iter_mut().filter(|p| p["name"] == "top") {
                    p["description"] = json!(description);
                    bound(&mut p["schema"]);
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            if let Some(top) = schema.pointer_mut("/properties/top") {
                top["description"] = json!(description);
                bound(top);
            }
        }
    }
}

/// Bounds every id (the `{id}` and `{setting}` path parameters and the `setting` field of
/// posted bodies) by [`crate::limits::MAX_ID_CHARS`], and gives every POST its 413 and 415
/// answers in the [`error::ApiError`] shape, as the server sends them.
fn id_and_body_limits(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let max = crate::limits::MAX_ID_CHARS;
    let error = |description: &str| {
        json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        })
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for op in paths.values_mut().filter_map(Value::as_object_mut) {
            for (method, op) in op.iter_mut() {
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    for p in params.iter_mut().filter(|p| {
                        p["in"] == "path" && (p["name"] == "id" || p["name"] == "setting")
                    }) {
                        p["schema"]["maxLength"] = json!(max);
                    }
                }
                if method == "post"
                    && let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut)
                {
                    responses.insert(
                        "413".into(),
                        error("the body is larger than the server's limit (`--body-limit`)"),
                    );
                    responses.insert(
                        "415".into(),
                        error("the body is not sent as `Content-Type: application/json`"),
                    );
                }
            }
        }
    }
    if let Some(setting) =
        doc.pointer_mut("/components/schemas/ProfileExplainRequest/properties/setting")
    {
        setting["maxLength"] = json!(max);
    }
}

/// The OpenAPI document, pretty-printed JSON with a final newline (the same bytes every time).
pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        doc.info.version = env!("CARGO_PKG_VERSION").to_string();
        let mut value = serde_json::to_value(&doc).expect("the document serialises");
        top_limits(&mut value);
        id_and_body_limits(&mut value);
        serde_json::to_string_pretty(&value).expect("the document serialises") + "\n"
    })
}
