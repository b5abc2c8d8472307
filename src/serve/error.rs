//! Error responses of the JSON API: the status, a message and each problem located (field,
//! expected, found, suggestion), built from the library's diagnostics and lookup errors.

use crate::LookupError;
use crate::diag::{Code, Diagnostic, DiagnosticRecord, Diagnostics, Location};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error response.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, in a sentence.
    pub message: String,
    /// Each problem, located, in the same shape as the command line's
    /// `--message-format json` and the Python package's diagnostics: `file` is `request`,
    /// `field` the path in it (e.g. `profile.intensity_semh`, `query.top`, `path.id`), and
    /// `line` and `column` the place in the body of a JSON syntax error.
    pub diagnostics: Vec<DiagnosticRecord>,
}

/// The `file` of every diagnostic about a request.
const REQUEST: &str = "request";

/// A diagnostic about the request's `field`.
fn about(code: Code, field: &str, message: String) -> DiagnosticRecord {
    DiagnosticRecord {
        code: code.id().to_string(),
        name: code.name().to_string(),
        file: REQUEST.to_string(),
        line: None,
        row: None,
        column: None,
        field: (!field.is_empty()).then(|| field.to_string()),
        message,
        expected: None,
        found: None,
        suggestion: None,
        sheet: None,
        cell: None,
    }
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, d: DiagnosticRecord) -> ApiError {
        self.diagnostics.push(d);
        self
    }

    /// 422 from the area's diagnostics, fields under `prefix` (e.g. `profile`).
    pub(crate) fn invalid(diags: &Diagnostics, prefix: &str) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "{} value(s) in `{prefix}` failed the checks",
                diags.diagnostics.len()
            ),
        );
        e.diagnostics = diags
            .diagnostics
            .iter()
            .map(|d| from_diagnostic(d, prefix))
            .collect();
        e
    }

    pub(crate) fn lookup(e: &LookupError) -> ApiError {
        let (field, help) = match e {
            LookupError::UnknownChild { suggestion, .. } => ("path.id", suggestion),
            LookupError::UnknownSetting { suggestion, .. } => ("path.setting", suggestion),
        };
        let mut d = about(Code::UnknownReference, field, e.to_string());
        d.expected = Some("an id in the area".into());
        d.suggestion = help.clone();
        ApiError::new(StatusCode::NOT_FOUND, e.to_string()).with(d)
    }

    /// 413: the body is over `limit` bytes.
    pub(crate) fn too_large(limit: usize) -> ApiError {
        let mut d = about(
            Code::InvalidValue,
            "body",
            format!("more than {limit} bytes"),
        );
        d.expected = Some(format!("a body of at most {limit} bytes"));
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than the server's limit of {limit} bytes"),
        )
        .with(d)
    }

    /// 415: a JSON post whose `Content-Type` is `found` (or missing).
    pub(crate) fn unsupported_media_type(found: Option<&str>) -> ApiError {
        let found = found.map(|t| crate::diag::clip(t, 100));
        let mut d = about(
            Code::InvalidValue,
            "header.content-type",
            match &found {
                Some(t) => format!("`{t}` is not JSON"),
                None => "no Content-Type".into(),
            },
        );
        d.expected = Some("application/json".into());
        d.found = found;
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON: send `Content-Type: application/json`",
        )
        .with(d)
    }

    /// 400: the id in `field` is too long or holds a control character (`problem`).
    pub(crate) fn bad_id(field: &str, problem: &str) -> ApiError {
        let mut d = about(Code::InvalidValue, field, format!("`{field}`: {problem}"));
        d.expected = Some(format!(
            "an id of at most {} characters",
            crate::limits::MAX_ID_CHARS
        ));
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("`{field}` is not a valid id"),
        )
        .with(d)
    }

    pub(crate) fn bad_query(field: &str, found: &str, expected: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, format!("cannot read `{field}`")).with(
            invalid_value(
                field,
                format!("cannot read `{found}`"),
                expected.into(),
                format!("`{found}`"),
            ),
        )
    }
}

/// `PW105 invalid-value`: `field` holds `found`, which is not `expected`.
pub(crate) fn invalid_value(
    field: &str,
    message: String,
    expected: String,
    found: String,
) -> DiagnosticRecord {
    let mut d = about(Code::InvalidValue, field, message);
    d.expected = Some(expected);
    d.found = Some(found);
    d
}

/// A body that does not read as `T`: a JSON syntax error located by line and column in the
/// body, or a field of the wrong type, missing or unknown (`path` is where, `.` the top).
pub(crate) fn body_error(
    path: &str,
    inner: &serde_json::Error,
    detail: String,
) -> DiagnosticRecord {
    let code = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => Code::JsonSyntax,
        _ if detail.starts_with("missing field") => Code::MissingField,
        _ if detail.starts_with("unknown field") => Code::UnknownField,
        _ => Code::WrongType,
    };
    let mut d = about(code, if path == "." { "" } else { path }, detail);
    d.line = Some(inner.line());
    d.column = Some(inner.column().to_string());
    d
}

/// A diagnostic of the area's checks on posted values, its field under `prefix`.
fn from_diagnostic(d: &Diagnostic, prefix: &str) -> DiagnosticRecord {
    let field = match &d.location {
        Location::Row { column, .. } if d.field.is_empty() => column.clone(),
        _ => d.field.clone(),
    };
    let field = if field.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}.{field}")
    };
    let mut r = about(d.code, &field, d.message.clone());
    r.expected = d.expected.clone();
    r.found = d.found.clone();
    r.suggestion = d.help.clone();
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self)).into_response()
    }
}
