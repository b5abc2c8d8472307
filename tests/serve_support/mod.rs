//! Starts the real `placewise serve` on a free loopback port and talks HTTP to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `placewise serve --area fixtures/wyvernshire --addr ADDR`, from the crate root (not started).
pub fn serve_command(addr: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_placewise"));
    cmd.current_dir(root())
        .args(["serve", "--area", "fixtures/wyvernshire", "--addr", addr]);
    cmd
}

/// A running server; stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// `placewise serve --area fixtures/wyvernshire --addr 127.0.0.1:0 ARGS…`.
    pub fn start(args: &[&str]) -> Server {
        let mut child = serve_command("127.0.0.1:0")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("a line on stdout");
        let base = line
            .strip_prefix("listening on ")
            .and_then(|l| l.split('/').nth(2))
            .map(|hostport| format!("http://{hostport}"))
            .unwrap_or_else(|| panic!("no address in {line:?}; stderr {}", stderr.lock().unwrap()));
        Server {
            child,
            base,
            stderr,
        }
    }

    /// The audit log so far (waits briefly for the last lines).
    pub fn log(&self) -> String {
        std::thread::sleep(Duration::from_millis(100));
        self.stderr.lock().unwrap().clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs `path` from this server, without a token.
    pub fn get(&self, path: &str) -> Reply {
        get(&self.url(path), None)
    }

    /// POSTs a JSON `body` to `path` on this server, without a token.
    pub fn post_json(&self, path: &str, body: &str) -> Reply {
        post(&self.url(path), "application/json", body, None)
    }

    /// POSTs `{"profile": profile}` to `/api/v1/lists`: a list for a new need profile.
    pub fn post_profile<T: serde::Serialize>(&self, profile: &T) -> Reply {
        let body = serde_json::json!({ "profile": profile }).to_string();
        self.post_json("/api/v1/lists", &body)
    }

    /// POSTs a URL-encoded form `body` to `path` on this server, without a token.
    pub fn post_form(&self, path: &str, body: &str) -> Reply {
        post(
            &self.url(path),
            "application/x-www-form-urlencoded",
            body,
            None,
        )
    }

    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names), body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The text at `key` of the first diagnostic in the JSON body, which must be there.
    pub fn first_diagnostic(&self, key: &str) -> String {
        match &self.json()["diagnostics"][0][key] {
            serde_json::Value::String(text) => text.clone(),
            other => panic!("the first diagnostic's `{key}` is {other}: {}", self.body),
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .redirects(0)
        .build()
}

fn reply(r: Result<ureq::Response, ureq::Error>) -> Reply {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let headers = resp
        .headers_names()
        .into_iter()
        .map(|h| {
            let v = resp.header(&h).unwrap_or("").to_string();
            (h.to_lowercase(), v)
        })
        .collect();
    let status = resp.status();
    let body = resp.into_string().unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str, token: Option<&str>) -> Reply {
    let mut req = agent().get(url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    reply(req.call())
}

pub fn post(url: &str, content_type: &str, body: &str, token: Option<&str>) -> Reply {
    let mut req = agent().post(url).set("Content-Type", content_type);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    reply(req.send_string(body))
}

/// Sends a request announcing `announced` body bytes and writes `sent` of them, then reads
/// the status line (the server may answer before the body is in).
pub fn raw_post_status(addr: &str, path: &str, announced: usize, sent: usize) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 16 * 1024];
    let start = Instant::now();
    let mut written = 0;
    while written < sent && start.elapsed() < Duration::from_secs(10) {
        match s.write(&chunk[..chunk.len().min(sent - written)]) {
            Ok(n) => written += n,
            Err(_) => break,
        }
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"))
}

/// `method url` with extra `headers` and an optional body, no redirects followed.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Reply {
    let mut req = agent().request(method, url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    reply(match body {
        Some(b) => req.send_string(b),
        None => req.call(),
    })
}
