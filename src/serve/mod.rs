//! `placewise serve`: a caseworker web app and a JSON API over one [`Session`].
//!
//! One process holds the area, loaded once. Pages are rendered on the server (they work without
//! JavaScript, and none is served); the JSON API is described by an OpenAPI document at
//! `/openapi.json`. Every response carries security headers (a CSP without inline script,
//! `no-referrer`, `frame-ancestors 'none'`, `no-store`). With a token configured every route
//! but `/healthz`, `/login` and the stylesheet needs it (bearer header, or the cookie the login
//! page opens: a random session id, never the token), compared in constant time and throttled
//! per client address; without one the server only binds to loopback. Connections that are slow
//! to send their headers, or idle, are closed. Each request produces one [`AuditEntry`] — time,
//! route, pseudonymous child id, status — on one line, and never a profile field.

mod api;
mod compare;
mod connection;
mod error;
mod map;
mod openapi;
mod pages;
mod security;
mod signin;
mod views;
mod what_if;

pub use openapi::openapi_json;
pub use security::AuditEntry;

use crate::Session;
use axum::Router;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// How to serve.
#[derive(Clone)]
pub struct ServeConfig {
    /// The address to listen on.
    pub addr: SocketAddr,
    /// The bearer token; `None` allows loopback addresses only.
    pub token: Option<String>,
    /// Longest time a request may compute before it is cut off with 503.
    pub compute_timeout: Duration,
    /// Largest request body accepted (413 above).
    pub body_limit: usize,
    /// Longest a client may take to send a request's headers (from the connection's start or
    /// the end of its previous response; this also closes idle kept-alive connections).
    pub header_read_timeout: Duration,
    /// Longest a connection may go without a byte read or written while a request is in
    /// progress (raised to cover the compute timeout).
    pub idle_timeout: Duration,
    /// Mark the sign-in cookie `Secure`: the service is reached over HTTPS (through a TLS
    /// proxy in front of it).
    pub secure_cookie: bool,
    /// Called once per request with its audit entry.
    pub audit: Arc<dyn Fn(&AuditEntry) + Send + Sync>,
}

impl ServeConfig {
    /// Defaults: 10 s per request, bodies up to 64 KiB, 10 s to send headers, 60 s idle, a
    /// cookie without `Secure`, audit entries dropped.
    pub fn new(addr: SocketAddr, token: Option<String>) -> ServeConfig {
        ServeConfig {
            addr,
            token,
            compute_timeout: Duration::from_secs(10),
            body_limit: 64 * 1024,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            secure_cookie: false,
            audit: Arc::new(|_| {}),
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without a token.
    #[error(
        "refusing to serve children's data on {0} without a token: bind to a loopback address (127.0.0.1 or [::1]) or give --token-file"
    )]
    NonLoopbackWithoutToken(SocketAddr),
    /// A token shorter than [`MIN_TOKEN_CHARS`].
    #[error("the token is too short: {0} characters, at least {min} expected", min = MIN_TOKEN_CHARS)]
    WeakToken(usize),
    /// A token of fewer than [`MIN_TOKEN_DISTINCT`] different characters (`aaaa…`, `abab…`).
    #[error("the token is too repetitive: {0} different character(s), at least {min} expected (use a random token, e.g. `openssl rand -hex 32`)", min = MIN_TOKEN_DISTINCT)]
    RepetitiveToken(usize),
    /// The address could not be listened on.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    /// The server stopped with an I/O error.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Shortest token accepted.
pub const MIN_TOKEN_CHARS: usize = 16;
/// Fewest different characters a token must have.
pub const MIN_TOKEN_DISTINCT: usize = 5;

/// Checks that `config` may be served: a token of at least [`MIN_TOKEN_CHARS`] characters and
/// [`MIN_TOKEN_DISTINCT`] different ones, or a loopback address.
///
/// ```
/// use placewise::testing::serve::{ServeConfig, ServeError, check_config};
/// let open = ServeConfig::new("0.0.0.0:8080".parse().unwrap(), None);
/// assert!(matches!(check_config(&open), Err(ServeError::NonLoopbackWithoutToken(_))));
/// let local = ServeConfig::new("127.0.0.1:8080".parse().unwrap(), None);
/// assert!(check_config(&local).is_ok());
/// let weak = ServeConfig::new("0.0.0.0:8080".parse().unwrap(), Some("a".repeat(40)));
/// assert!(matches!(check_config(&weak), Err(ServeError::RepetitiveToken(1))));
/// ```
pub fn check_config(config: &ServeConfig) -> Result<(), ServeError> {
    match &config.token {
        Some(t) if t.chars().count() < MIN_TOKEN_CHARS => {
            Err(ServeError::WeakToken(t.chars().count()))
        }
        Some(t) if distinct_chars(t) < MIN_TOKEN_DISTINCT => {
            Err(ServeError::RepetitiveToken(distinct_chars(t)))
        }
        None if !config.addr.ip().is_loopback() => {
            Err(ServeError::NonLoopbackWithoutToken(config.addr))
        }
        _ => Ok(()),
    }
}

fn distinct_chars(t: &str) -> usize {
    t.chars()
        .collect::<std::collections::BTreeSet<char>>()
        .len()
}

/// What every handler can reach.
#[derive(Clone)]
pub(crate) struct AppState {
    pub session: Session,
    pub config: ServeConfig,
    /// Sessions opened by the sign-in form.
    pub sessions: Arc<signin::Sessions>,
    /// Wrong tokens per client address.
    pub throttle: Arc<signin::Throttle>,
}

/// The application: pages, API, assets and the middleware around them. Unknown child ids get
/// no did-you-mean here (it would confirm that a neighbouring id exists).
pub fn router(session: Session, config: ServeConfig) -> Router {
    let state = AppState {
        session: session.without_child_suggestions(),
        config: config.clone(),
        sessions: Arc::default(),
        throttle: Arc::default(),
    };
    let app = Router::new()
        .route("/", get(pages::home))
        .route("/children", get(pages::find_child))
        .route("/children/{id}", get(pages::child_page))
        .route("/children/{id}/why-not/{setting}", get(pages::why_not))
        .route("/children/{id}/settings", get(compare::search_settings))
        .route("/children/{id}/compare", get(compare::compare))
        .route(
            "/children/{id}/what-if",
            get(what_if::what_if_form).post(what_if::what_if_result),
        )
        .route("/children/{id}/print", get(pages::print_list))
        .route("/children/{id}/list.csv", get(pages::list_csv))
        .route("/login", get(pages::login_form).post(signin::login))
        .route("/logout", get(signin::logout).post(signin::logout))
        .route("/assets/app.css", get(pages::stylesheet))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .route("/api/v1/children/{id}/list", get(api::child_list))
        .route(
            "/api/v1/children/{id}/explain/{setting}",
            get(api::child_explain),
        )
        .route("/api/v1/lists", post(api::profile_list))
        .route("/api/v1/explain", post(api::profile_explain))
        .route("/api/v1/settings", get(api::settings))
        .route("/api/v1/placements", post(api::placement))
        .fallback(api::not_found)
        .with_state(state.clone());
    security::layers(app, state)
}

/// Serves until the process is stopped (Ctrl-C ends it). `ready` is called with the
/// bound address (useful with port 0) before the first request is accepted.
pub fn serve(
    session: Session,
    config: ServeConfig,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    check_config(&config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| ServeError::Bind(config.addr, e))?;
        ready(listener.local_addr()?);
        let app = router(session, config.clone());
        let connections = tokio::spawn(connection::accept_loop(listener, app, config));
        let _ = tokio::signal::ctrl_c().await;
        connections.abort();
        Ok(())
    })
}
