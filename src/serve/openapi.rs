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
        error::ApiDiagnostic,
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

/// The OpenAPI document, pretty-printed JSON with a final newline (the same bytes every time).
pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        doc.info.version = env!("CARGO_PKG_VERSION").to_string();
        serde_json::to_string_pretty(&doc).expect("the document serialises") + "\n"
    })
}
