//! Around every route: the token check (constant time, throttled per client), the security
//! headers, body limits (413 as JSON), the Content-Type of JSON posts (415), bounded ids,
//! timeouts, compression and one audit entry per request, on one line, without any profile
//! field.

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

/// Content security policy: nothing but this origin's stylesheet and images; no script at all.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// One request, as the audit log records it: never a profile field.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// UTC, e.g. `2026-12-01T15:04:05Z`.
    pub time: String,
    /// HTTP method.
    pub method: String,
    /// The route pattern, e.g. `/api/v1/children/{id}/list` (`-` when no route matched).
    pub route: String,
    /// The pseudonymous child id the request was about, if any.
    pub child: Option<String>,
    /// HTTP status of the answer.
    pub status: u16,
    /// Time taken, milliseconds.
    pub millis: f64,
}

impl std::fmt::Display for AuditEntry {
    /// One line whatever the fields hold: a field of anything but printable ASCII (or with a
    /// quote or backslash) is written quoted with escapes (`\n`, `\u{202e}`), and cut to
    /// [`crate::limits::MAX_ID_CHARS`] characters.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} child={} status={} {:.1}ms",
            self.time,
            LogField(&self.method),
            LogField(&self.route),
            LogField(self.child.as_deref().unwrap_or("-")),
            self.status,
            self.millis
        )
    }
}

/// A field of an audit line, escaped so that it cannot end the line or forge another.
struct LogField<'a>(&'a str);

impl std::fmt::Display for LogField<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        let max = crate::limits::MAX_ID_CHARS;
        let plain = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\';
        if !self.0.is_empty() && self.0.chars().count() <= max && self.0.chars().all(plain) {
            return f.write_str(self.0);
        }
        f.write_char('"')?;
        for c in self.0.chars().take(max) {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c == ' ' || c.is_ascii_graphic() => f.write_char(c)?,
                c => write!(f, "\\u{{{:x}}}", c as u32)?,
            }
        }
        if self.0.chars().count() > max {
            write!(f, "…({} chars)", self.0.chars().count())?;
        }
        f.write_char('"')
    }
}

/// Set by a handler on its response: the child the request was about, for the audit entry.
#[derive(Clone, Debug)]
pub(crate) struct AuditChild(pub String);

/// Wraps `app` in the middleware stack.
pub(crate) fn layers(app: Router, state: AppState) -> Router {
    let timeout = state.config.compute_timeout * 2 + std::time::Duration::from_secs(1);
    let limit = state.config.body_limit;
    app.layer(middleware::from_fn(bounded_ids))
        .layer(middleware::from_fn(json_content_type))
        .layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(middleware::from_fn_with_state(state.clone(), json_413))
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

/// What a request presents to be let in.
enum Credential<'r> {
    /// `Authorization: Bearer <token>` (the scheme in any case).
    Bearer(&'r str),
    /// The sign-in cookie's session id.
    Session(&'r str),
    None,
}

fn credential(req: &Request<Body>) -> Credential<'_> {
    if let Some(v) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, rest) = v.trim().split_once(' ').unwrap_or((v, ""));
        return if scheme.eq_ignore_ascii_case("bearer") {
            Credential::Bearer(rest.trim())
        } else {
            Credential::None
        };
    }
    match super::signin::cookie(req, super::signin::SESSION_COOKIE) {
        Some(id) => Credential::Session(id),
        None => Credential::None,
    }
}

async fn require_token(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let Some(expected) = &state.config.token else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    if matches!(path, "/healthz" | "/login" | "/logout" | "/assets/app.css") {
        return next.run(req).await;
    }
    let client = super::signin::client_of(&req);
    let allowed = match credential(&req) {
        Credential::Bearer(given) => {
            if let Some(wait) = client.and_then(|c| state.throttle.wait(c)) {
                return super::signin::too_many(wait);
            }
            let right = token_matches(given, expected);
            if !right && let Some(c) = client {
                state.throttle.fail(c);
            }
            right
        }
        Credential::Session(id) => {
            if state.sessions.is_open(id) {
                // Pages answered to a signed-in browser offer "Sign out".
                return super::views::SIGNED_IN.scope(true, next.run(req)).await;
            }
            false
        }
        Credential::None => false,
    };
    if allowed {
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

/// A 413 from the body limit (plain text from the layer or the body extractor) as the
/// documented JSON error.
async fn json_413(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let response = next.run(req).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return super::error::ApiError::too_large(state.config.body_limit).into_response();
    }
    response
}

/// POSTs to the JSON API must say `Content-Type: application/json` (415 otherwise); an empty
/// body may say nothing.
async fn json_content_type(req: Request<Body>, next: Next) -> Response {
    if req.method() == axum::http::Method::POST && req.uri().path().starts_with("/api/") {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_none_or(|v| v.as_bytes() == b"0");
        let json = content_type.is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
        let accepted = json || (content_type.is_none() && empty);
        if !accepted {
            return super::error::ApiError::unsupported_media_type(content_type).into_response();
        }
    }
    next.run(req).await
}

/// Every id in the path (`{id}`, `{setting}`) and in the query (`id`, `setting`) at most
/// [`crate::limits::MAX_ID_CHARS`] characters without control characters: 400 naming the
/// field otherwise (JSON for the API, an error page for pages), before any lookup.
async fn bounded_ids(req: Request<Body>, next: Next) -> Response {
    if let Some(e) = unbounded_id(&req) {
        if req.uri().path().starts_with("/api/") {
            return e.into_response();
        }
        let body = maud::html! {
            h1 class="heading-l" { "Sorry, there is a problem" }
            p { (e.diagnostics.first().map_or(e.message.as_str(), |d| d.message.as_str())) }
            p { a href="/" { "Find a child" } }
        };
        return (
            StatusCode::BAD_REQUEST,
            axum::response::Html(body.into_string()),
        )
            .into_response();
    }
    next.run(req).await
}

fn unbounded_id(req: &Request<Body>) -> Option<super::error::ApiError> {
    let check = |field: String, value: &str| {
        crate::limits::id("id", value)
            .err()
            .map(|e| super::error::ApiError::bad_id(&field, &e.message))
    };
    if let Some(pattern) = req.extensions().get::<MatchedPath>() {
        let actual = req.uri().path().split('/');
        for (p, a) in pattern.as_str().split('/').zip(actual) {
            if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                let decoded: String = percent_decode(a);
                if let Some(e) = check(format!("path.{name}"), &decoded) {
                    return Some(e);
                }
            }
        }
    }
    let query = req.uri().query().unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "id" || k == "setting")
        .find_map(|(k, v)| check(format!("query.{k}"), &v))
}

/// `%XX` sequences decoded (as the path extractor does), invalid UTF-8 replaced.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
    fn audit_fields_stay_on_one_line() {
        let entry = |child: &str| AuditEntry {
            time: "2026-12-07T12:00:00Z".into(),
            method: "POST".into(),
            route: "/api/v1/lists".into(),
            child: Some(child.into()),
            status: 200,
            millis: 1.0,
        };
        assert_eq!(
            entry("C000002").to_string(),
            "2026-12-07T12:00:00Z POST /api/v1/lists child=C000002 status=200 1.0ms"
        );
        let forged = entry("X\n2026-12-07T12:00:01Z GET / child=C1 status=200 1.0ms").to_string();
        assert_eq!(forged.lines().count(), 1, "{forged}");
        assert!(
            forged.contains(r#"child="X\n2026-12-07T12:00:01Z GET / child=C1"#),
            "{forged}"
        );
        let odd = entry("a\0b\u{202e}c\"d\\").to_string();
        assert!(
            odd.contains(r#"child="a\u{0}b\u{202e}c\"d\\" status"#),
            "{odd}"
        );
        let long = entry(&"y".repeat(70_000)).to_string();
        assert!(long.len() < 200 && long.contains("(70000 chars)"), "{long}");
        assert!(entry("").to_string().contains(r#"child="" "#));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(token_matches("abcdefghijklmnop", "abcdefghijklmnop"));
        assert!(!token_matches("abcdefghijklmnoq", "abcdefghijklmnop"));
        assert!(!token_matches("abcdefghijklmno", "abcdefghijklmnop"));
        assert!(!token_matches("", "abcdefghijklmnop"));
    }
}
