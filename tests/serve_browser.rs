//! The caseworker's pages in a real browser: headless Chromium, driven over the DevTools
//! protocol, opens a child's page, follows "why not?", compares two settings and uses the
//! what-if form, saving a screenshot of each step under `target/tmp/screenshots/`. Skips with a
//! message when Chromium is not installed (`scripts/setup-browser` installs it).

mod serve_support;

use base64::Engine as _;
use serve_support::*;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PLACEWISE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.exists().then_some(path)
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<TcpStream>,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn start(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,1600",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…".
        let stderr = child.stderr.take().unwrap();
        let mut port = None;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                port = rest.split('/').next().and_then(|p| p.parse::<u16>().ok());
                break;
            }
        }
        let port = port.expect("chromium reports its DevTools port");
        let targets = get(&format!("http://127.0.0.1:{port}/json/list"), None).json();
        let page = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page target")["webSocketDebuggerUrl"]
            .as_str()
            .unwrap()
            .to_string();
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let (ws, _) = tungstenite::client(page.as_str(), stream).expect("DevTools socket");
        Browser {
            child,
            _profile: profile,
            ws,
            next_id: 0,
        }
    }

    /// Sends a DevTools command; its result, or the error reply.
    fn try_call(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = serde_json::json!({ "id": id, "method": method, "params": params });
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let reply = self.ws.read().expect("DevTools reply");
            if let Message::Text(text) = reply {
                let v: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                if v["id"] == id {
                    return match v.get("error") {
                        Some(_) => Err(v),
                        None => Ok(v["result"].clone()),
                    };
                }
            }
        }
    }

    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.try_call(method, params)
            .unwrap_or_else(|v| panic!("{method}: {v}"))
    }

    /// Evaluates `expr` in the page and returns its value.
    fn eval(&mut self, expr: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expr, "returnByValue": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {r}");
        r["result"]["value"].clone()
    }

    /// Evaluates `expr` while the page may be navigating: a navigation error counts as no value
    /// yet (DevTools answers "Inspected target navigated or closed" or a destroyed context).
    fn poll(&mut self, expr: &str) -> serde_json::Value {
        let r = self.try_call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expr, "returnByValue": true }),
        );
        match r {
            Ok(r) => r["result"]["value"].clone(),
            Err(e) if is_navigation_error(&e) => serde_json::Value::Null,
            Err(e) => panic!("Runtime.evaluate {expr}: {e}"),
        }
    }

    /// Waits until the page at a URL containing `part` has loaded.
    fn wait_for(&mut self, part: &str) {
        let start = Instant::now();
        loop {
            let href = self.poll("document.readyState === 'complete' ? location.href : ''");
            if href.as_str().is_some_and(|h| h.contains(part)) {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "no page {part}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", serde_json::json!({ "url": url }));
        self.wait_for(url);
    }

    fn screenshot(&mut self, name: &str) -> PathBuf {
        let r = self.call(
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png", "captureBeyondViewport": true }),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }
}

#[test]
fn a_caseworker_opens_a_list_asks_why_not_compares_and_tries_a_what_if() {
    let Some(binary) = chromium() else {
        println!("skipped: no Chromium at /usr/bin/chromium (run scripts/setup-browser)");
        return;
    };
    let server = Server::start(&[]);
    let mut b = Browser::start(&binary);

    // Find the child from the home page's form.
    b.goto(&server.url("/"));
    b.eval(
        "document.getElementById('id').value = 'C000002'; document.querySelector('form').submit()",
    );
    b.wait_for("/children/C000002");
    assert_eq!(
        b.eval("document.querySelector('h1').textContent"),
        "Child C000002"
    );
    // The stylesheet loaded under the CSP, and no script is on the page.
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.header')).backgroundColor"),
        "rgb(11, 12, 12)"
    );
    assert_eq!(b.eval("document.scripts.length"), 0);
    assert!(
        b.eval("document.querySelectorAll('table.list-table tbody tr').length")
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(
        b.eval("document.querySelectorAll('svg.map .map__setting').length"),
        b.eval("document.querySelectorAll('table.list-table tbody tr').length")
    );
    b.screenshot("1-child-list");

    // The skip link is the first thing a keyboard reaches.
    assert_eq!(b.eval("document.querySelector('a').className"), "skip-link");

    // Why not? on the first excluded setting.
    let name = b.eval("(() => { const a = [...document.querySelectorAll('a')].find(a => a.textContent.startsWith('Why not?')); const n = a.closest('tr').querySelector('td').childNodes[0].textContent; a.click(); return n; })()");
    b.wait_for("/why-not/");
    assert_eq!(b.eval("document.querySelector('h1').textContent"), name);
    assert!(
        b.eval("document.querySelector('.panel').textContent")
            .as_str()
            .unwrap()
            .starts_with("Not suitable: fails")
    );
    assert!(
        b.eval("document.querySelectorAll('table tbody tr').length")
            .as_u64()
            .unwrap()
            >= 1
    );
    b.screenshot("2-why-not");

    // Back, tick two settings and compare them.
    b.goto(&server.url("/children/C000002"));
    b.eval("const boxes = document.querySelectorAll('input[name=setting]'); boxes[0].click(); boxes[1].click(); [...document.querySelectorAll('button')].find(x => x.textContent.startsWith('Compare')).click()");
    b.wait_for("/compare?");
    assert_eq!(
        b.eval("document.querySelector('h1').textContent"),
        "Compare settings"
    );
    assert_eq!(
        b.eval("document.querySelectorAll('table.compare thead th').length"),
        2
    );
    b.screenshot("3-compare");

    // What if the child's SEMH needs were very high?
    b.goto(&server.url("/children/C000002/what-if"));
    b.eval("document.getElementById('intensity_semh').value = '4'; document.querySelector('form').submit()");
    b.wait_for("/what-if");
    let start = Instant::now();
    while b
        .poll("document.querySelector('h1') && document.querySelector('h1').textContent")
        .as_str()
        != Some("The list for the changed profile")
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no what-if result"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        b.eval("document.body.textContent.includes('intensity_semh')")
            .as_bool()
            .unwrap()
    );
    b.screenshot("4-what-if");

    // A bad value shows the error summary, linked to the field.
    b.goto(&server.url("/children/C000002/what-if"));
    b.eval("document.getElementById('preferences').value = '990001;999999'; document.querySelector('form').submit()");
    // The form is being submitted: poll, since the page may be navigating when asked.
    let start = Instant::now();
    while b.poll("!!document.querySelector('.error-summary')") != serde_json::Value::Bool(true) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no error summary"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        b.eval("document.querySelector('.error-summary a').getAttribute('href')"),
        "#preferences"
    );
    let shot = b.screenshot("5-what-if-error");
    println!("screenshots in {}", shot.parent().unwrap().display());
}

/// DevTools errors that only mean the page was navigating when asked.
fn is_navigation_error(reply: &serde_json::Value) -> bool {
    let message = reply["error"]["message"].as_str().unwrap_or("");
    message.contains("navigated or closed") || message.contains("context was destroyed")
}
