//! The JSON API: lists for a child in the area or for a posted need profile, explanations,
//! the settings with capacity, placement runs, health. Errors are JSON with located
//! diagnostics: 400 for malformed JSON or query values, 404 for unknown ids, 413 for bodies over
//! the limit, 422 for values that fail the area's checks, 503 when a request runs too long.

use super::AppState;
use super::error::{ApiError, body_error, invalid_value};
use super::security::AuditChild;
use crate::diag::Diagnostics;
use crate::model::{ChildId, SettingId};
use crate::{
    Cancel, ListOptions, ListQuery, Mode, PlacementError, PlacementOptions, ProfileError, Regime,
    Session, UnknownMode,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// Most settings a list may show (the library's limit for the web).
pub use crate::limits::{DEFAULT_TOP_WEB as DEFAULT_TOP, MAX_TOP_WEB as MAX_TOP};

/// Runs `f` on the blocking pool, cut off after the configured time.
pub(crate) async fn compute<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(Session) -> T + Send + 'static,
) -> Result<T, ApiError> {
    compute_cancellable(state, move |s, _| f(s)).await
}

/// Sets its flag when dropped: the request is over (answered, timed out or abandoned by the
/// client), so the work it started may stop.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// The 503 of a request that ran out of time.
fn timed_out(limit: std::time::Duration) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the request took longer than the server's limit of {} ms and was stopped",
            limit.as_millis()
        ),
    )
}

/// [`compute`] for work that can stop early: `f` gets a [`Cancel`] whose deadline is the
/// configured time and which is set as soon as the request is over (its 503 sent, or the
/// client gone), so the work stops instead of running on after its answer.
pub(crate) async fn compute_cancellable<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(Session, Cancel) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let session = state.session.clone();
    let limit = state.config.compute_timeout;
    let cancel = Cancel::with_deadline(std::time::Instant::now() + limit);
    let _stop = CancelOnDrop(cancel.clone());
    let task = tokio::task::spawn_blocking(move || f(session, cancel));
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the computation failed",
        )),
        Err(_) => Err(timed_out(limit)),
    }
}

/// A JSON response tagged with the child it is about.
fn about_child<T: Serialize>(child: &str, value: &T) -> Response {
    let mut r = Json(value).into_response();
    r.extensions_mut().insert(AuditChild(child.to_string()));
    r
}

/// Reads `top` from a query string: 1 to [`MAX_TOP`], default [`DEFAULT_TOP`].
pub(crate) fn parse_top(query: Option<&str>) -> Result<usize, ApiError> {
    let mut top = DEFAULT_TOP;
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if k == "top" {
            top = v
                .parse::<usize>()
                .ok()
                .filter(|t| (1..=MAX_TOP).contains(t))
                .ok_or_else(|| {
                    ApiError::bad_query(
                        "query.top",
                        &v,
                        &format!("a whole number from 1 to {MAX_TOP}"),
                    )
                })?;
        }
    }
    Ok(top)
}

/// The `regime` of a query string (`cfa2014` when absent): `cfa2014` or `spp`.
pub(crate) fn parse_regime(query: Option<&str>) -> Result<Regime, ApiError> {
    let mut regime = Regime::default();
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if k == "regime" {
            regime = v
                .parse::<Regime>()
                .map_err(|_| ApiError::bad_query("query.regime", &v, "cfa2014 or spp"))?;
        }
    }
    Ok(regime)
}

/// Parses a JSON body into `T`, locating syntax errors by line and column and type errors by
/// field path.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed = serde_path_to_error::deserialize::<_, T>(&mut de)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|v| de.end().map(|_| v).map_err(|e| (String::new(), e)));
    match parsed {
        Ok(v) => Ok(v),
        Err((path, inner)) => {
            let syntax = matches!(
                inner.classify(),
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof
            );
            let (status, message) = if syntax {
                (StatusCode::BAD_REQUEST, "the body is not valid JSON")
            } else {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the body does not have the expected fields",
                )
            };
            let text = inner.to_string();
            let detail = text.split(" at line ").next().unwrap_or(&text).to_string();
            Err(ApiError::new(status, message).with(body_error(&path, &inner, detail)))
        }
    }
}

/// A posted id over [`crate::limits::MAX_ID_CHARS`] characters or with a control character:
/// 422 naming the field (before any lookup, did-you-mean or audit line).
fn bad_id_422(field: &str, problem: &str) -> ApiError {
    let mut e = ApiError::bad_id(field, problem);
    e.status = StatusCode::UNPROCESSABLE_ENTITY.as_u16();
    e
}

fn bounded_profile_id(
    profile: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), ApiError> {
    match profile.get("id").and_then(serde_json::Value::as_str) {
        Some(id) => crate::limits::id("profile.id", id)
            .map(|_| ())
            .map_err(|e| bad_id_422("profile.id", &e.message)),
        None => Ok(()),
    }
}

/// Liveness, with the area's size.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub area: String,
    pub settings: usize,
    pub children: usize,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub(crate) async fn healthz(State(state): State<AppState>) -> Json<Health> {
    let a = state.session.area();
    Json(Health {
        status: "ok".into(),
        area: a.name.clone(),
        settings: a.settings.len(),
        children: a.children.len(),
    })
}

pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        super::openapi_json(),
    )
        .into_response()
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such page or endpoint")
}

/// The tailored list of a child in the area.
#[utoipa::path(get, path = "/api/v1/children/{id}/list",
    params(("id" = String, Path, description = "pseudonymous child id"),
           ("top" = Option<usize>, Query, description = "settings to list (range and default set from `limits`)"),
           ("regime" = Option<String>, Query, description = "`cfa2014` (today's law, the default) or `spp` (settings able to deliver the child's Specialist Provision Package)")),
    responses((status = 200, description = "the tailored list (as `placewise list --format json`)", body = Object),
              (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn child_list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let top = parse_top(query.as_deref())?;
    let regime = parse_regime(query.as_deref())?;
    let child = ChildId(id.clone());
    let query = ListQuery {
        options: ListOptions { top },
        regime,
        ..Default::default()
    };
    let list = compute(&state, move |s| s.list_with(&child, &query)).await?;
    let list = list.map_err(|e| ApiError::lookup(&e))?;
    Ok(about_child(&id, &list))
}

/// Every rule on one (child, setting) pair, with the facts.
#[utoipa::path(get, path = "/api/v1/children/{id}/explain/{setting}",
    params(("id" = String, Path, description = "pseudonymous child id"),
           ("setting" = String, Path, description = "setting id"),
           ("regime" = Option<String>, Query, description = "`cfa2014` (the default) or `spp` (also what the setting lacks to deliver the child's package)")),
    responses((status = 200, description = "the explanation (as `placewise explain --format json`)", body = Object),
              (status = 404, body = ApiError)))]
pub(crate) async fn child_explain(
    State(state): State<AppState>,
    Path((id, setting)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let regime = parse_regime(query.as_deref())?;
    let (child, sid) = (ChildId(id.clone()), SettingId(setting));
    let e = compute(&state, move |s| s.explain_under(&child, &sid, regime)).await?;
    let e = e.map_err(|e| ApiError::lookup(&e))?;
    Ok(about_child(&id, &e))
}

/// A list for a need profile that is not in the area.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// The profile, with the columns of `children.csv` as fields (`id`, `year` or
    /// `date_of_birth`, `sex`, `easting`, `northing`, `primary_need`, `plan_level`, and optional
    /// `secondary_needs`, `intensity_*`, `features`, `current_setting`, `preferences`,
    /// `siblings_at`, `needs_place`, `locality`). Lists may be JSON lists or `;`-separated text.
    #[schema(value_type = Object)]
    pub profile: serde_json::Map<String, serde_json::Value>,
    /// Settings to list (range and default set from `limits` in the served document).
    pub top: Option<usize>,
}

#[utoipa::path(post, path = "/api/v1/lists", request_body = ProfileRequest,
    responses((status = 200, description = "the tailored list the profile would get", body = Object),
              (status = 400, description = "malformed JSON", body = ApiError),
              (status = 413, description = "body too large"),
              (status = 422, description = "a field fails the area's checks", body = ApiError)))]
pub(crate) async fn profile_list(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: ProfileRequest = parse_body(&body)?;
    bounded_profile_id(&req.profile)?;
    let top = match req.top {
        Some(t) if !(1..=MAX_TOP).contains(&t) => {
            return Err(
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "`top` is out of range").with(
                    invalid_value(
                        "top",
                        format!("{t} settings cannot be listed"),
                        format!("a whole number from 1 to {MAX_TOP}"),
                        t.to_string(),
                    ),
                ),
            );
        }
        t => t.unwrap_or(DEFAULT_TOP),
    };
    let result = compute(&state, move |s| {
        let profile = s.profile_from_json(&req.profile, "profile")?;
        let id = profile.id.0.clone();
        s.list_for_profile(&profile, ListOptions { top })
            .map(|l| (id, l))
            .map_err(|e| match e {
                ProfileError::Invalid(d) => d,
                ProfileError::Lookup(_) => Diagnostics::default(),
            })
    })
    .await?;
    match result {
        Ok((id, list)) => Ok(about_child(&id, &list)),
        Err(d) => Err(ApiError::invalid(&d, "profile")),
    }
}

/// Every rule on (a posted need profile, a setting of the area).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileExplainRequest {
    /// The profile, as in [`ProfileRequest`].
    #[schema(value_type = Object)]
    pub profile: serde_json::Map<String, serde_json::Value>,
    /// The setting's id.
    pub setting: String,
}

#[utoipa::path(post, path = "/api/v1/explain", request_body = ProfileExplainRequest,
    responses((status = 200, description = "the explanation for the posted profile", body = Object),
              (status = 400, description = "malformed JSON", body = ApiError),
              (status = 404, description = "no such setting", body = ApiError),
              (status = 413, description = "body too large"),
              (status = 422, description = "a field fails the area's checks", body = ApiError)))]
pub(crate) async fn profile_explain(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: ProfileExplainRequest = parse_body(&body)?;
    bounded_profile_id(&req.profile)?;
    crate::limits::id("setting", &req.setting).map_err(|e| bad_id_422("setting", &e.message))?;
    let result = compute(&state, move |s| {
        let profile = s
            .profile_from_json(&req.profile, "profile")
            .map_err(|d| ApiError::invalid(&d, "profile"))?;
        let e = s
            .explain_for_profile(&profile, &SettingId(req.setting))
            .map_err(|e| match e {
                ProfileError::Invalid(d) => ApiError::invalid(&d, "profile"),
                ProfileError::Lookup(l) => {
                    let mut e = ApiError::lookup(&l);
                    e.diagnostics[0].field = Some("setting".into());
                    e
                }
            })?;
        Ok::<_, ApiError>((profile.id.0, e))
    })
    .await?;
    let (id, e) = result?;
    Ok(about_child(&id, &e))
}

/// One setting with its place pools.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SettingSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub locality: String,
    pub first_year: String,
    pub last_year: String,
    pub pools: Vec<PoolSummary>,
}

/// A place pool's capacity.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PoolSummary {
    pub pool: String,
    pub first_year: String,
    pub last_year: String,
    pub capacity: u32,
    pub on_roll: u32,
    pub free: u32,
}

#[utoipa::path(get, path = "/api/v1/settings",
    responses((status = 200, description = "every setting in id order", body = [SettingSummary])))]
pub(crate) async fn settings(State(state): State<AppState>) -> Json<Vec<SettingSummary>> {
    Json(
        state
            .session
            .area()
            .settings
            .iter()
            .map(|s| SettingSummary {
                id: s.id.0.clone(),
                name: s.name.clone(),
                kind: s.kind.key().into(),
                locality: s.locality.clone(),
                first_year: s.first_year.to_string(),
                last_year: s.last_year.to_string(),
                pools: s
                    .pools
                    .iter()
                    .map(|p| PoolSummary {
                        pool: p.id.0.clone(),
                        first_year: p.first_year.to_string(),
                        last_year: p.last_year.to_string(),
                        capacity: p.capacity,
                        on_roll: p.on_roll,
                        free: p.free(),
                    })
                    .collect(),
            })
            .collect(),
    )
}

/// An area-wide placement run.
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PlacementRequest {
    /// `preference-first` (default: s.39 first), `optimal` or `stable`.
    pub mode: Option<String>,
    /// Cap on the summed annual cost of this round's placements, in pounds.
    pub budget_pounds: Option<i64>,
    /// Minimum share (0 to 1) of placed children in mainstream settings.
    pub min_mainstream_share: Option<f64>,
    /// Keep siblings in this round in one setting.
    pub siblings_together: Option<bool>,
}

fn field_error(field: &str, message: String, expected: &str, found: String) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("`{field}` is not valid"),
    )
    .with(invalid_value(field, message, expected.into(), found))
}

#[utoipa::path(post, path = "/api/v1/placements", request_body = PlacementRequest,
    responses((status = 200, description = "the placement report (as `placewise place --format json`)", body = Object),
              (status = 400, body = ApiError), (status = 422, body = ApiError),
              (status = 503, description = "the run took longer than the limit", body = ApiError)))]
pub(crate) async fn placement(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: PlacementRequest = if body.iter().all(u8::is_ascii_whitespace) {
        PlacementRequest::default()
    } else {
        parse_body(&body)?
    };
    let mode = match req.mode.as_deref().map(str::parse::<Mode>) {
        None => Mode::default(),
        Some(Ok(mode)) => mode,
        Some(Err(UnknownMode { found, suggestion })) => {
            let mut e = field_error(
                "mode",
                format!("unknown mode `{found}`"),
                "optimal, preference-first or stable",
                format!("`{found}`"),
            );
            e.diagnostics[0].suggestion = suggestion;
            return Err(e);
        }
    };
    // The options check themselves (the command line's and Python's limits and words); the
    // API names the request's field.
    let mut options =
        PlacementOptions::new(mode).with_siblings_together(req.siblings_together.unwrap_or(false));
    if let Some(b) = req.budget_pounds {
        options = options.with_budget(b).map_err(|e| {
            field_error(
                "budget_pounds",
                e.message,
                "an amount in pounds, 0 or more",
                b.to_string(),
            )
        })?;
    }
    if let Some(share) = req.min_mainstream_share {
        options = options.with_min_mainstream_share(share).map_err(|e| {
            field_error(
                "min_mainstream_share",
                e.message,
                "a number from 0 to 1",
                share.to_string(),
            )
        })?;
    }
    let report = compute_cancellable(&state, move |s, cancel| {
        s.place_cancellable(&options, &cancel)
    })
    .await?;
    match report {
        Ok(r) => Ok(Json(r).into_response()),
        Err(PlacementError::Cancelled) => Err(timed_out(state.config.compute_timeout)),
        Err(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.to_string(),
        )),
    }
}
