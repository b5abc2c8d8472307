//! Around every route: the token check (constant time), the security headers, body limits,
//! timeouts, compression and one audit entry per request without any profile field.

use super::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The cookie the login page sets, holding the token (HttpOnly, SameSite=Strict).
pub(crate) const TOKEN_COOKIE: &str = "placewise_token";

/// Content security policy: nothing but this origin's stylesheet and images; no script at all.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// One request, as the audit log records it: never a profile field.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// UTC, e.g. `2026-12-01T15:04:05Z`.
    pub time: String,
    pub method: String,
    /// The route pattern, e.g. `/api/v1/children/{id}/list` (`-` when no route matched).
    pub route: String,
    /// The pseudonymous child id the request was about, if any.
    pub child: Option<String>,
    pub status: u16,
    pub millis: f64,
}

impl std::fmt::Display for AuditEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} child={} status={} {:.1}ms",
            self.time,
            self.method,
            self.route,
            self.child.as_deref().unwrap_or("-"),
            self.status,
            self.millis
        )
    }
}

/// Set by a handler on its response: the child the request was about, for the audit entry.
#[derive(Clone, Debug)]
pub(crate) struct AuditChild(pub String);

/// Wraps `app` in the middleware stack.
pub(crate) fn layers(app: Router, state: AppState) -> Router {
    let timeout = state.config.compute_timeout * 2 + std::time::Duration::from_secs(1);
    let limit = state.config.body_limit;
    app.layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::CACHE_CONTROL, "no-store"))
        .layer(middleware::from_fn_with_state(state, audit))
}

fn header_layer(
    name: header::HeaderName,
    value: &'static str,
) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// True when `given` equals `expected`, taking the same time for every `given` of a length.
pub fn token_matches(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

fn presented_token(req: &Request<Body>) -> Option<String> {
    let headers = req.headers();
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return v.strip_prefix("Bearer ").map(|t| t.trim().to_string());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == TOKEN_COOKIE).then(|| v.to_string())
        })
}

async fn require_token(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let Some(expected) = &state.config.token else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    if matches!(path, "/healthz" | "/login" | "/assets/app.css") {
        return next.run(req).await;
    }
    if presented_token(&req).is_some_and(|t| token_matches(&t, expected)) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") || path == "/openapi.json" {
        let mut r = super::error::ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a bearer token is required: send `Authorization: Bearer <token>`",
        )
        .into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"placewise\""),
        );
        r
    } else {
        Redirect::to("/login").into_response()
    }
}

async fn audit(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let response = next.run(req).await;
    let child = response
        .extensions()
        .get::<AuditChild>()
        .map(|c| c.0.clone());
    let entry = AuditEntry {
        time: utc_now(),
        method,
        route: route.unwrap_or_else(|| "-".into()),
        child,
        status: response.status().as_u16(),
        millis: start.elapsed().as_secs_f64() * 1000.0,
    };
    (state.config.audit)(&entry);
    response
}

/// The current time in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Gregorian (year, month, day) of a day count from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(token_matches("abcdefghijklmnop", "abcdefghijklmnop"));
        assert!(!token_matches("abcdefghijklmnoq", "abcdefghijklmnop"));
        assert!(!token_matches("abcdefghijklmno", "abcdefghijklmnop"));
        assert!(!token_matches("", "abcdefghijklmnop"));
    }
}
