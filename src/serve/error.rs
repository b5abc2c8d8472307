//! Error responses of the JSON API: the status, a message and each problem located (field,
//! expected, found, suggestion), built from the library's diagnostics and lookup errors.

use crate::LookupError;
use crate::diag::{Diagnostic, Diagnostics, Location};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error response.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    pub message: String,
    /// Each problem, located.
    pub diagnostics: Vec<ApiDiagnostic>,
}

/// One located problem in a request.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiDiagnostic {
    /// A stable code, e.g. `PW105 invalid-value` or `json-syntax`.
    pub code: String,
    /// Path of the field, e.g. `profile.intensity_semh` or `query.top`.
    pub field: String,
    pub message: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    /// A suggestion, e.g. a did-you-mean.
    pub help: Option<String>,
    /// Line and column in the request body, for JSON syntax errors.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, d: ApiDiagnostic) -> ApiError {
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
            .map(|d| ApiDiagnostic::from_diagnostic(d, prefix))
            .collect();
        e
    }

    pub(crate) fn lookup(e: &LookupError) -> ApiError {
        let (field, help) = match e {
            LookupError::UnknownChild { suggestion, .. } => ("path.id", suggestion),
            LookupError::UnknownSetting { suggestion, .. } => ("path.setting", suggestion),
        };
        ApiError::new(StatusCode::NOT_FOUND, e.to_string()).with(ApiDiagnostic {
            code: "PW109 unknown-reference".into(),
            field: field.into(),
            message: e.to_string(),
            expected: Some("an id in the area".into()),
            found: None,
            help: help.clone(),
            line: None,
            column: None,
        })
    }

    /// 413: the body is over `limit` bytes.
    pub(crate) fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than the server's limit of {limit} bytes"),
        )
        .with(ApiDiagnostic {
            code: "body-too-large".into(),
            field: "body".into(),
            message: format!("more than {limit} bytes"),
            expected: Some(format!("a body of at most {limit} bytes")),
            found: None,
            help: None,
            line: None,
            column: None,
        })
    }

    /// 415: a JSON post whose `Content-Type` is `found` (or missing).
    pub(crate) fn unsupported_media_type(found: Option<&str>) -> ApiError {
        let found = found.map(|t| crate::diag::clip(t, 100));
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON: send `Content-Type: application/json`",
        )
        .with(ApiDiagnostic {
            code: "content-type".into(),
            field: "header.content-type".into(),
            message: match &found {
                Some(t) => format!("`{t}` is not JSON"),
                None => "no Content-Type".into(),
            },
            expected: Some("application/json".into()),
            found,
            help: None,
            line: None,
            column: None,
        })
    }

    /// 400: the id in `field` is too long or holds a control character (`problem`).
    pub(crate) fn bad_id(field: &str, problem: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("`{field}` is not a valid id"),
        )
        .with(ApiDiagnostic {
            code: "PW105 invalid-value".into(),
            field: field.into(),
            message: format!("`{field}`: {problem}"),
            expected: Some(format!(
                "an id of at most {} characters",
                crate::limits::MAX_ID_CHARS
            )),
            found: None,
            help: None,
            line: None,
            column: None,
        })
    }

    pub(crate) fn bad_query(field: &str, found: &str, expected: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, format!("cannot read `{field}`")).with(
            ApiDiagnostic::invalid_value(
                field,
                format!("cannot read `{found}`"),
                expected.into(),
                format!("`{found}`"),
            ),
        )
    }
}

impl ApiDiagnostic {
    /// `PW105 invalid-value`: `field` holds `found`, which is not `expected`.
    pub(crate) fn invalid_value(
        field: &str,
        message: String,
        expected: String,
        found: String,
    ) -> ApiDiagnostic {
        ApiDiagnostic {
            code: "PW105 invalid-value".into(),
            field: field.into(),
            message,
            expected: Some(expected),
            found: Some(found),
            help: None,
            line: None,
            column: None,
        }
    }

    fn from_diagnostic(d: &Diagnostic, prefix: &str) -> ApiDiagnostic {
        let field = match &d.location {
            Location::Row { column, .. } if d.field.is_empty() => column.clone(),
            _ => d.field.clone(),
        };
        ApiDiagnostic {
            code: format!("{} {}", d.code.id(), d.code.name()),
            field: if field.is_empty() {
                prefix.to_string()
            } else {
                format!("{prefix}.{field}")
            },
            message: d.message.clone(),
            expected: d.expected.clone(),
            found: d.found.clone(),
            help: d.help.clone(),
            line: None,
            column: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self)).into_response()
    }
}
