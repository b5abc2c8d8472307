//! Signing in: the throttle on wrong tokens per client address, the sessions the sign-in form
//! opens (a random id in the cookie, never the token), and `/login` and `/logout`.
//!
//! Both tables are bounded: when one is full the expired entries go first, then the oldest.

use super::AppState;
use super::pages::html_page;
use super::views::page;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The cookie the sign-in form sets: a random session id (HttpOnly, SameSite=Strict, Max-Age).
pub(crate) const SESSION_COOKIE: &str = "placewise_session";
/// How long a signed-in session lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Most sessions held at once (the oldest goes first when full).
pub const MAX_SESSIONS: usize = 10_000;
/// Wrong tokens a client address may present in one [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: u32 = 10;
/// The window over which wrong tokens are counted; a client over the limit waits for its end.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(60);
/// Most client addresses the throttle remembers at once.
pub const MAX_TRACKED_CLIENTS: usize = 4_096;

/// Removes one entry to make room: an expired one if any, else the one with the earliest time.
fn make_room<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    cap: usize,
    time: impl Fn(&V) -> Instant,
    expired: impl Fn(&V) -> bool,
) {
    if map.len() < cap {
        return;
    }
    map.retain(|_, v| !expired(v));
    if map.len() >= cap
        && let Some(oldest) = map
            .iter()
            .min_by_key(|(_, v)| time(v))
            .map(|(k, _)| k.clone())
    {
        map.remove(&oldest);
    }
}

/// Wrong tokens counted per client address, in fixed windows.
#[derive(Default)]
pub(crate) struct Throttle {
    clients: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Throttle {
    /// How long `client` must wait before presenting a token again (`None`: it may now).
    pub fn wait(&self, client: IpAddr) -> Option<Duration> {
        let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let &(start, failures) = clients.get(&client)?;
        let left = THROTTLE_WINDOW.saturating_sub(start.elapsed());
        (failures >= MAX_FAILURES && !left.is_zero()).then_some(left)
    }

    /// Counts one wrong token from `client`.
    pub fn fail(&self, client: IpAddr) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if !clients.contains_key(&client) {
            make_room(
                &mut clients,
                MAX_TRACKED_CLIENTS,
                |v| v.0,
                |v| v.0.elapsed() >= THROTTLE_WINDOW,
            );
        }
        let entry = clients.entry(client).or_insert((now, 0));
        if entry.0.elapsed() >= THROTTLE_WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.clients.lock().unwrap().len()
    }
}

/// Open sessions: random id → when it expires.
#[derive(Default)]
pub(crate) struct Sessions {
    open: Mutex<HashMap<String, Instant>>,
}

impl Sessions {
    /// Opens a session and returns its id: 32 random bytes, hex.
    pub fn open(&self) -> Option<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).ok()?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        make_room(&mut open, MAX_SESSIONS, |&t| t, |&t| t <= now);
        open.insert(id.clone(), now + SESSION_LIFETIME);
        Some(id)
    }

    /// True when `id` is an open session that has not expired.
    pub fn is_open(&self, id: &str) -> bool {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.get(id).is_some_and(|&t| Instant::now() < t)
    }

    /// Ends session `id`.
    pub fn close(&self, id: &str) {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }
}

/// The client's address, when the server was started with it (not behind a test harness).
pub(crate) fn client_of(req: &Request<Body>) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The value of cookie `name` in the request, if sent.
pub(crate) fn cookie<'r>(req: &'r Request<Body>, name: &str) -> Option<&'r str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// 429 with `Retry-After`, as JSON.
pub(crate) fn too_many(wait: Duration) -> Response {
    let mut r = super::error::ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "too many wrong tokens from this address; try again in {} s",
            wait.as_secs().max(1)
        ),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

fn session_cookie(state: &AppState, value: &str, max_age: u64) -> Option<HeaderValue> {
    let secure = if state.config.secure_cookie {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// `POST /login`: opens a session when the token is right (throttled per client address).
pub(crate) async fn login(State(state): State<AppState>, req: Request<Body>) -> Response {
    let client = client_of(&req);
    if let Some(wait) = client.and_then(|c| state.throttle.wait(c)) {
        return too_many(wait);
    }
    let limit = state.config.body_limit;
    let body = match axum::body::to_bytes(req.into_body(), limit).await {
        Ok(b) => b,
        Err(_) => return super::error::ApiError::too_large(limit).into_response(),
    };
    let given = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let Some(token) = &state.config.token else {
        return Redirect::to("/").into_response();
    };
    if !super::security::token_matches(&given, token) {
        if let Some(c) = client {
            state.throttle.fail(c);
        }
        return html_page(
            StatusCode::UNAUTHORIZED,
            None,
            page(
                "Error: Sign in",
                state.session.area(),
                None,
                super::pages::login_body(true),
            ),
        );
    }
    let mut r = Redirect::to("/").into_response();
    match state
        .sessions
        .open()
        .and_then(|id| session_cookie(&state, &id, SESSION_LIFETIME.as_secs()))
    {
        Some(cookie) => {
            r.headers_mut().insert(header::SET_COOKIE, cookie);
            r
        }
        None => super::error::ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no session could be opened (no randomness available)",
        )
        .into_response(),
    }
}

/// `/logout`: ends the session and clears the cookie, then shows the sign-in form.
pub(crate) async fn logout(State(state): State<AppState>, req: Request<Body>) -> Response {
    if let Some(id) = cookie(&req, SESSION_COOKIE) {
        state.sessions.close(id);
    }
    let mut r = Redirect::to("/login").into_response();
    if let Some(cookie) = session_cookie(&state, "", 0) {
        r.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_blocks_after_the_limit_and_stays_bounded() {
        let t = Throttle::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            t.fail(a);
        }
        assert!(t.wait(a).is_none());
        t.fail(a);
        assert!(t.wait(a).is_some_and(|w| w <= THROTTLE_WINDOW));
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(t.wait(other).is_none(), "clients are counted apart");
        for i in 0..(MAX_TRACKED_CLIENTS as u32 + 100) {
            t.fail(IpAddr::from(std::net::Ipv4Addr::from(0x0b00_0000 + i)));
        }
        assert!(t.tracked() <= MAX_TRACKED_CLIENTS);
    }

    #[test]
    fn sessions_are_random_and_close() {
        let s = Sessions::default();
        let a = s.open().unwrap();
        let b = s.open().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(s.is_open(&a) && s.is_open(&b));
        s.close(&a);
        assert!(!s.is_open(&a) && s.is_open(&b));
        assert!(!s.is_open("not-a-session"));
    }
}
