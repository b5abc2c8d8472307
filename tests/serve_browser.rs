//! The caseworker's pages in a real browser: headless Chromium, driven over the DevTools
//! protocol, opens a child's page, follows "why not?", compares two settings and uses the
//! what-if form, saving a screenshot of each step under `target/tmp/screenshots/`. Skips with a
//! message when Chromium is not installed (`scripts/setup-browser` installs it).
//!
//! A second walk opens every page at a phone's width (390 and 320 CSS pixels), checks that the
//! page never scrolls sideways, and runs axe-core over it: no WCAG 2 A or AA violation and none
//! of axe's best practices (the "region" rule among them). axe-core comes from the npm registry
//! through `scripts/setup-browser`, into `$CARGO_TARGET_DIR/axe-core/` (or the file named by
//! `PLACEWISE_AXE`); without it the axe part is skipped with a message, except under `CI=true`,
//! where it fails.

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

    /// Lays the page out `width` CSS pixels wide, as a phone would (or a desktop at 1280).
    fn set_width(&mut self, width: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": false }),
        );
    }

    /// Runs axe-core (the script `axe`) over the page: the violations' ids and targets.
    fn axe(&mut self, axe: &str) -> Vec<String> {
        if self.eval("typeof axe === 'undefined'") == serde_json::Value::Bool(true) {
            self.eval(&format!("{axe};true"));
        }
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({
                "expression": "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice']}}).then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
                "awaitPromise": true,
                "returnByValue": true,
            }),
        );
        assert!(r.get("exceptionDetails").is_none(), "axe.run: {r}");
        r["result"]["value"]
            .as_array()
            .expect("a list of violations")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
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
            .starts_with("Not suitable: ")
    );
    // The reasons are the rules' own sentences; the ids are only for the caseworker.
    assert_eq!(
        b.eval("[...document.querySelectorAll('main td')].some(td => /\\bH-[A-Z]/.test(td.textContent))"),
        false
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
    // The change is shown in words, not as the field's name.
    assert_eq!(
        b.eval("document.body.textContent.includes('intensity_semh')"),
        false
    );
    assert_eq!(
        b.eval("[...document.querySelectorAll('table')].find(t => t.caption && t.caption.textContent === 'What changed').textContent.includes('Social, emotional and mental health')"),
        true
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

/// The axe-core script: from `PLACEWISE_AXE`, or where `scripts/setup-browser` puts it
/// (`<target>/axe-core/node_modules/axe-core/axe.min.js`). `None` when absent, which fails
/// under `CI=true`.
fn axe_script() -> Option<String> {
    let path = std::env::var_os("PLACEWISE_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("../axe-core/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "axe-core is required in CI: {} ({e}); run scripts/setup-browser",
                path.display()
            );
            println!(
                "axe checks skipped: no axe-core at {} (run scripts/setup-browser)",
                path.display()
            );
            None
        }
    }
}

/// Waits until the page's `h1` reads `heading` (after a form was submitted).
fn wait_for_heading(b: &mut Browser, heading: &str) {
    let start = Instant::now();
    while b
        .poll("document.readyState === 'complete' && document.querySelector('h1') && document.querySelector('h1').textContent")
        .as_str()
        != Some(heading)
    {
        assert!(start.elapsed() < Duration::from_secs(30), "no page {heading}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_page_fits_a_phone_and_passes_axe() {
    let Some(binary) = chromium() else {
        println!("skipped: no Chromium at /usr/bin/chromium (run scripts/setup-browser)");
        return;
    };
    let axe = axe_script();
    let server = Server::start(&[]);
    let mut b = Browser::start(&binary);
    // A suitable and an excluded setting for the child, from the child's page.
    b.goto(&server.url("/children/C000002"));
    let suitable = b.eval("document.querySelector('input[name=setting]').value");
    let second = b.eval("document.querySelectorAll('input[name=setting]')[1].value");
    let excluded = b.eval("(() => { const a = [...document.querySelectorAll('a')].find(a => a.textContent.startsWith('Why not?')); return a.getAttribute('href'); })()");
    let (suitable, second, excluded) = (
        suitable.as_str().unwrap().to_string(),
        second.as_str().unwrap().to_string(),
        excluded.as_str().unwrap().to_string(),
    );
    // Each page: its name (for the screenshot), how to reach it, and its heading.
    enum Visit<'a> {
        Get(&'a str),
        /// Submit the what-if form after running the script.
        WhatIf(&'a str),
    }
    let compare =
        format!("/children/C000002/compare?setting={suitable}&setting={second}&setting={suitable}");
    let why_suitable = format!("/children/C000002/why-not/{suitable}");
    let pages: Vec<(&str, Visit)> = vec![
        ("home", Visit::Get("/")),
        ("find-error", Visit::Get("/children?id=C00002")),
        ("child", Visit::Get("/children/C000002")),
        ("child-spp", Visit::Get("/children/C000002?regime=spp")),
        (
            "child-ranked-lower-page-2",
            Visit::Get("/children/C000003?lower=2"),
        ),
        ("why-not", Visit::Get(&excluded)),
        ("why-suitable", Visit::Get(&why_suitable)),
        ("compare", Visit::Get(&compare)),
        ("search", Visit::Get("/children/C000002/settings?q=")),
        ("print", Visit::Get("/children/C000002/print")),
        ("what-if-form", Visit::Get("/children/C000002/what-if")),
        (
            "what-if",
            Visit::WhatIf(
                "document.getElementById('intensity_semh').value = '4'; document.getElementById('primary_need').value = 'ASD';",
            ),
        ),
        (
            "what-if-error",
            Visit::WhatIf("document.getElementById('preferences').value = '990001;999999';"),
        ),
        ("sign-in", Visit::Get("/login")),
    ];
    let mut failures = Vec::new();
    for (name, visit) in &pages {
        b.set_width(1280);
        // From a blank page, so that each visit waits for its own page.
        b.goto("about:blank");
        match visit {
            Visit::Get(path) => b.goto(&server.url(path)),
            Visit::WhatIf(script) => {
                b.goto(&server.url("/children/C000002/what-if"));
                b.eval(&format!(
                    "{script} document.querySelector('main form').submit()"
                ));
                let heading = if name.ends_with("error") {
                    "What if the profile changed?"
                } else {
                    "The list for the changed profile"
                };
                std::thread::sleep(Duration::from_millis(200));
                wait_for_heading(&mut b, heading);
            }
        }
        for width in [390, 320] {
            b.set_width(width);
            let fit = b.eval(&format!(
                "[document.documentElement.scrollWidth, window.innerWidth, [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > {width} + 1 && !e.closest('.table-wrap') && getComputedStyle(e).position !== 'absolute').slice(0, 5).map(e => e.tagName + '.' + e.className).join(' ')]"
            ));
            let (scroll, inner) = (fit[0].as_u64().unwrap(), fit[1].as_u64().unwrap());
            assert_eq!(inner, u64::from(width), "{name}: the viewport");
            if scroll > inner {
                failures.push(format!(
                    "{name} at {width} px: {scroll} px wide ({})",
                    fit[2]
                ));
            }
        }
        // What a reader sees outside the caseworkers' details: no rule ids, slugs, field names,
        // backticks or "(s)" plurals (codes inside a setting's own name are data, not ours).
        let codes = b.eval(
            r#"(() => {
                const page = document.querySelector('main').cloneNode(true);
                page.querySelectorAll('details').forEach(d => d.remove());
                const text = page.innerText;
                const patterns = [/\b[HS]-[A-Z]{2,}(-[A-Z]+)*\b/g, /\b(ehcp|sen-unit|resource-base|sen-support|not-reached|not-s39)\b/g, /intensity_[a-z]+/g, /`/g, /\(s\)/g];
                return patterns.flatMap(p => text.match(p) || []).slice(0, 5).join(' ');
            })()"#,
        );
        if codes.as_str().is_some_and(|c| !c.is_empty()) {
            failures.push(format!("{name}: codes a reader meets: {codes}"));
        }
        b.set_width(390);
        let shot = b.screenshot(&format!("phone-{name}"));
        if let Some(axe) = &axe {
            for v in b.axe(axe) {
                failures.push(format!("{name}: {v}"));
            }
        }
        println!("{name}: checked at 390 and 320 px, {}", shot.display());
    }
    // The settings ranked lower come a page at a time.
    b.goto(&server.url("/children/C000003?lower=2"));
    assert_eq!(
        b.eval("document.querySelector('.pagination > span').textContent"),
        "Page 2 of 6"
    );
    assert_eq!(
        b.eval("document.querySelector('#ranked-lower + .table-wrap tbody td').textContent"),
        "31"
    );
    // The same setting asked for twice is compared once.
    b.set_width(1280);
    b.goto(&server.url(&compare));
    assert_eq!(
        b.eval("document.querySelectorAll('table.compare thead th').length"),
        2
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// DevTools errors that only mean the page was navigating when asked.
fn is_navigation_error(reply: &serde_json::Value) -> bool {
    let message = reply["error"]["message"].as_str().unwrap_or("");
    message.contains("navigated or closed") || message.contains("context was destroyed")
}
