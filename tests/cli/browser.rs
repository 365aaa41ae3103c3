//! Browser tests of the dashboard (`covet-logs serve`'s page at `/`): a real headless
//! Chromium (Debian's `chromium` and `chromium-driver`) driven through `chromedriver`
//! with fantoccini. Each test starts `covet-logs serve --addr 127.0.0.1:0` on
//! generated data and its own chromedriver on a free port; a [`Stack`] guard stops
//! both (the driver's whole process group, so Chromium too), also when a test fails.
//!
//! What the page shows is checked against the CLI on the same data: the entries in the
//! stream against `covet-logs search --json --newest-first`, the saved filter against
//! `covet-logs filters list`, the export against `covet-logs export`, the context
//! against `covet-logs context --json`.
//!
//! They run only with `COVET_BROWSER_TESTS=1` (`.ci/run` installs the browser and sets
//! it) and then fail when the browser is missing; otherwise each prints one line saying
//! why it was skipped. Screenshots (1280x800) go to `target/screenshots/`.

use std::io::{BufRead, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use covet_gen::GenEntry;
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::util::{gen_cfg, gen_entries, render_all, thousands, Dir};

const ENV: &str = "COVET_BROWSER_TESTS";
const CHROMEDRIVER: &str = "chromedriver";
const CHROMIUM: [&str; 2] = ["chromium", "chromium-browser"];
/// How long a page condition may take before the test fails.
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------
// Starting and stopping the server and the browser
// ---------------------------------------------------------------------------------

/// The program's path on `$PATH`, if any.
fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// `Some(reason)` when the browser tests do not run here; panics when they were asked
/// for (`COVET_BROWSER_TESTS=1`) and the browser or its driver is missing.
fn skip_reason() -> Option<String> {
    if std::env::var(ENV).as_deref() != Ok("1") {
        return Some(format!(
            "{ENV} is not 1 (set it to run them; they need chromium and chromedriver)"
        ));
    }
    assert!(
        which(CHROMEDRIVER).is_some(),
        "{ENV}=1 but `{CHROMEDRIVER}` is not on PATH (apt-get install chromium-driver)"
    );
    assert!(
        CHROMIUM.iter().any(|c| which(c).is_some()),
        "{ENV}=1 but chromium is not on PATH (apt-get install chromium)"
    );
    None
}

/// A free loopback port (bound, read, released).
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    l.local_addr().expect("local addr").port()
}

/// The server and the driver; dropping it stops both.
struct Stack {
    server: Arc<Server>,
    driver: Child,
    driver_url: String,
    downloads: PathBuf,
    profile: PathBuf,
}

impl Stack {
    /// Starts `covet-logs serve` on `inputs` (with the test directory's isolated
    /// config and state) and a chromedriver.
    fn start(dir: &Dir, inputs: &[&Path], token: Option<&str>) -> Stack {
        let server = Arc::new(Server::start(dir, inputs, token));
        let (driver, port) = start_driver();
        Stack {
            server,
            driver,
            driver_url: format!("http://127.0.0.1:{port}"),
            downloads: dir.create_dir("downloads"),
            profile: dir.create_dir("chromium-profile"),
        }
    }
}

/// A chromedriver that answers `/status` as ready on its port. The port is chosen free
/// and then released, so another process (a parallel test's server or driver) may take
/// it first: the driver then exits, or something else answers. Retried on a new port.
fn start_driver() -> (Child, u16) {
    let start = Instant::now();
    loop {
        let port = free_port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        if wait_for_driver(&mut driver, port) {
            return (driver, port);
        }
        let _ = driver.kill();
        let _ = driver.wait();
        assert!(start.elapsed() < WAIT, "{CHROMEDRIVER} did not start");
    }
}

/// Whether the driver started on `port` says it is ready, before it exits or `WAIT`
/// passes.
fn wait_for_driver(driver: &mut Child, port: u16) -> bool {
    let start = Instant::now();
    while start.elapsed() < WAIT {
        if !matches!(driver.try_wait(), Ok(None)) {
            return false;
        }
        if driver_ready(port) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

/// Whether `GET /status` on `port` answers as a ready WebDriver (read until the answer
/// says so: chromedriver keeps the connection open after it).
fn driver_ready(port: u16) -> bool {
    use std::io::Read as _;
    let Ok(mut conn) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
    let ask =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if conn.write_all(ask.as_bytes()).is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while let Ok(n @ 1..) = conn.read(&mut buf) {
        answer.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&answer).contains("\"ready\":true") {
            return true;
        }
    }
    false
}

impl Drop for Stack {
    fn drop(&mut self) {
        // The driver runs in a process group of its own with the browser it started:
        // stop the whole group, then the server.
        let pgid = self.driver.id() as i32;
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.driver.wait();
        self.server.stop();
    }
}

/// `covet-logs serve` on loopback, restartable on the same address.
struct Server {
    spec: ServerSpec,
    child: Mutex<Option<Child>>,
    /// `http://127.0.0.1:PORT`.
    base: String,
    /// Everything the server wrote on stderr (for failure messages).
    log: Arc<Mutex<String>>,
}

/// How the server is started: inputs, directory, environment.
struct ServerSpec {
    cwd: PathBuf,
    inputs: Vec<PathBuf>,
    env: Vec<(&'static str, PathBuf)>,
    token: Option<String>,
}

impl ServerSpec {
    fn command(&self, addr: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_covet-logs"));
        command
            .arg("serve")
            .args(["--addr", addr])
            .args(&self.inputs)
            .current_dir(&self.cwd)
            .envs(self.env.iter().cloned())
            .env_remove("COVET_LOGS_PATH")
            .env_remove("COVET_LOGS_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(token) = &self.token {
            command.env("COVET_LOGS_TOKEN", token);
        }
        command
    }
}

impl Server {
    fn start(dir: &Dir, inputs: &[&Path], token: Option<&str>) -> Server {
        let spec = ServerSpec {
            cwd: dir.path().to_path_buf(),
            inputs: inputs.iter().map(|p| p.to_path_buf()).collect(),
            env: isolated_env(dir),
            token: token.map(String::from),
        };
        let log = Arc::new(Mutex::new(String::new()));
        let (child, base) = spawn_server(&spec, "127.0.0.1:0", &log);
        Server {
            spec,
            child: Mutex::new(Some(child)),
            base,
            log,
        }
    }

    /// Starts the stopped server again on the same address.
    fn start_again(&self) {
        let addr = self.base.trim_start_matches("http://");
        let (child, base) = spawn_server(&self.spec, addr, &self.log);
        assert_eq!(base, self.base, "restarted on the same address");
        *self.child.lock().expect("server child") = Some(child);
    }

    fn stop(&self) {
        if let Some(mut child) = self.child.lock().ok().and_then(|mut c| c.take()) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn stderr(&self) -> String {
        self.log.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Starts the server on `addr` and reads its address from the `serving ... on
/// http://ADDR/` line; all of stderr goes to `log`. Retried for a while: a restart
/// may find the port still held.
fn spawn_server(spec: &ServerSpec, addr: &str, log: &Arc<Mutex<String>>) -> (Child, String) {
    let start = Instant::now();
    loop {
        let mut child = spec.command(addr).spawn().expect("start covet-logs serve");
        let stderr = child.stderr.take().expect("server stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = Arc::clone(log);
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.split(" on http://").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(format!("http://{}", url.trim_end_matches('/')));
                    }
                }
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
        // The sender is dropped when the server exits without saying where it listens.
        if let Ok(base) = rx.recv_timeout(WAIT) {
            return (child, base);
        }
        let _ = child.kill();
        let _ = child.wait();
        if start.elapsed() > WAIT {
            let got = log.lock().map(|s| s.clone()).unwrap_or_default();
            panic!("covet-logs serve did not say where it listens; stderr:\n{got}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The environment `Dir::command` gives the CLI: the same config and state dirs, so
/// filters saved through the page are the ones `covet-logs filters list` reads.
fn isolated_env(dir: &Dir) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config")),
        ("COVET_LOGS_STATE_DIR", dir.join(".covet-state")),
        ("COVET_LOGS_NO_HISTORY", PathBuf::from("1")),
    ]
}

/// Runs `test` against a fresh server on `inputs` and a fresh browser, or prints why
/// it is skipped. The stack is stopped however the test ends.
fn with_browser<F, Fut>(name: &str, dir: &Dir, inputs: &[&Path], test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    with_browser_token(name, dir, inputs, None, test)
}

/// As [`with_browser`], with the server's token set.
fn with_browser_token<F, Fut>(name: &str, dir: &Dir, inputs: &[&Path], token: Option<&str>, test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if let Some(reason) = skip_reason() {
        // Straight to the stderr handle: the test harness would capture `println!`.
        let _ = writeln!(std::io::stderr(), "browser test {name} skipped: {reason}");
        return;
    }
    let stack = Stack::start(dir, inputs, token);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            let client = connect(&stack).await;
            let page = Page {
                client: client.clone(),
                base: stack.server.base.clone(),
                server: Arc::clone(&stack.server),
                downloads: stack.downloads.clone(),
            };
            test(page).await;
            let _ = client.close().await;
        })
    }));
    if let Err(panic) = outcome {
        eprintln!("server stderr:\n{}", stack.server.stderr());
        drop(stack);
        std::panic::resume_unwind(panic);
    }
}

async fn connect(stack: &Stack) -> Client {
    let binary = CHROMIUM.iter().find_map(|c| which(c)).expect("chromium");
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": binary,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update",
                format!("--user-data-dir={}", stack.profile.display()),
            ],
            "prefs": {
                "download.default_directory": stack.downloads,
                "download.prompt_for_download": false,
            },
        },
        "goog:loggingPrefs": {"browser": "ALL"},
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&stack.driver_url)
        .await
        .expect("start a chromium session through chromedriver");
    set_viewport(&client, 1280, 800).await;
    client
}

/// Sizes the window so the page's viewport (what a screenshot shows) is `w` x `h`.
async fn set_viewport(client: &Client, w: u32, h: u32) {
    let frame = client
        .execute(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]",
            Vec::new(),
        )
        .await
        .expect("window frame");
    let dw = frame[0].as_u64().unwrap_or(0) as u32;
    let dh = frame[1].as_u64().unwrap_or(0) as u32;
    client
        .set_window_size(w + dw, h + dh)
        .await
        .expect("set the window size");
}

/// chromedriver's browser log (console messages, failed loads, CSP violations,
/// uncaught exceptions): `POST /session/ID/se/log {"type": "browser"}`.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

// ---------------------------------------------------------------------------------
// The page, as a test sees it
// ---------------------------------------------------------------------------------

struct Page {
    client: Client,
    base: String,
    server: Arc<Server>,
    downloads: PathBuf,
}

impl Page {
    /// Loads `/` (plus `hash`) and waits for the first search and the live stream.
    async fn open(&self, hash: &str) {
        self.client
            .goto(&format!("{}/{hash}", self.base))
            .await
            .expect("load the page");
        self.wait_until(
            "the first search",
            "return Number(document.body.dataset.searches || 0) >= 1",
        )
        .await;
    }

    /// Waits until the live stream is connected.
    async fn wait_live(&self) {
        self.wait_until(
            "a connected stream",
            "return document.body.dataset.live === 'on'",
        )
        .await;
    }

    async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    async fn js_args(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls `script` (a function body returning a truthy value) until it holds.
    async fn wait_until(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script).await;
            if !matches!(v, Value::Null | Value::Bool(false)) {
                return v;
            }
            if start.elapsed() > WAIT {
                let shown = self.shown_ids().await;
                panic!("timed out waiting for {what}; the stream shows {shown:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn searches(&self) -> u64 {
        self.js("return Number(document.body.dataset.searches || 0)")
            .await
            .as_u64()
            .unwrap_or(0)
    }

    /// Does `action` and waits for the search it starts to finish.
    async fn searched_after<Fut: std::future::Future<Output = ()>>(&self, action: Fut) {
        let before = self.searches().await;
        action.await;
        self.wait_until(
            "the search to finish",
            &format!("return Number(document.body.dataset.searches || 0) > {before}"),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Sets a form control's value as a user would (a `select` must offer it).
    async fn set_value(&self, css: &str, value: &str) {
        let took = self
            .js_args(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                 e.dispatchEvent(new Event('change', {bubbles: true})); return e.value;",
                vec![json!(css), json!(value)],
            )
            .await;
        assert_eq!(took, value, "{css} does not offer {value:?}");
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"));
        e.clear().await.expect("clear input");
        if !text.is_empty() {
            e.send_keys(text).await.expect("type");
        }
    }

    /// Types `q` in the search box and submits it.
    async fn search(&self, q: &str) {
        self.type_into("#q", q).await;
        self.searched_after(async {
            self.js("document.getElementById('search-form').requestSubmit()")
                .await;
        })
        .await;
    }

    /// The `data-id` of each entry in the stream, top to bottom. The list is
    /// virtualized (only the rows in view are in the DOM), so it is read as a reader
    /// would: scrolled through a screen at a time, each row by its position
    /// (`aria-posinset`); the positions must run 1..=N with none missing.
    async fn shown_ids(&self) -> Vec<String> {
        let v = self
            .client
            .execute_async(SCROLL_THROUGH, Vec::new())
            .await
            .expect("scroll through the stream");
        let (ids, size): (Vec<(u64, String)>, u64) =
            serde_json::from_value(v).expect("positions and ids");
        let positions: Vec<u64> = ids.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            positions,
            (1..=size).collect::<Vec<_>>(),
            "every row of the list, once, in order"
        );
        ids.into_iter().map(|(_, id)| id).collect()
    }

    async fn text(&self, css: &str) -> String {
        self.js_args(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            vec![json!(css)],
        )
        .await
        .as_str()
        .unwrap_or_else(|| panic!("no element {css}"))
        .to_string()
    }

    /// Console errors, failed loads and CSP violations since the last call.
    async fn severe_log(&self) -> Vec<String> {
        let v = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("read the browser log");
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    async fn assert_no_console_errors(&self, when: &str) {
        let errors = self.severe_log().await;
        assert!(
            errors.is_empty(),
            "console errors {when}:\n{}",
            errors.join("\n")
        );
    }

    /// Saves a 1280x800 screenshot to `target/screenshots/NAME.png`.
    async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        let size = (
            u32::from_be_bytes(png[16..20].try_into().expect("width")),
            u32::from_be_bytes(png[20..24].try_into().expect("height")),
        );
        assert_eq!(size, (1280, 800), "screenshot size");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("create target/screenshots");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

/// Scrolls the stream from its top to its end a screen at a time (waiting two frames
/// for each render), collects `[position, id]` of the rows it shows, puts the scroll
/// back, and answers `[[[position, id]...], number of rows]`.
const SCROLL_THROUGH: &str = r#"
const done = arguments[arguments.length - 1];
const sc = document.getElementById('stream-scroll');
const saved = sc.scrollTop;
const got = new Map();
let size = 0;
const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
(async () => {
  sc.scrollTop = 0;
  await frame();
  for (;;) {
    for (const li of document.querySelectorAll('#stream-list > li')) {
      got.set(Number(li.getAttribute('aria-posinset')), li.dataset.id);
      size = Number(li.getAttribute('aria-setsize'));
    }
    if (sc.scrollTop + sc.clientHeight >= sc.scrollHeight - 1) break;
    sc.scrollTop += sc.clientHeight;
    await frame();
  }
  sc.scrollTop = saved;
  await frame();
  done([Array.from(got.keys()).sort((a, b) => a - b).map((k) => [k, got.get(k)]), size]);
})();
"#;

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `target/tmp`: the screenshots go beside it.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|t| t.join("screenshots"))
        .unwrap_or_else(|| PathBuf::from("target/screenshots"))
}

// ---------------------------------------------------------------------------------
// Data and the CLI's answers
// ---------------------------------------------------------------------------------

fn now_ns() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970");
    d.as_nanos() as i64
}

/// 1,200 generated entries in two stretches, three to about two and a half hours ago
/// and the last forty minutes, so that "last 1 h" cuts in the quiet gap between them
/// and the page and the CLI agree on it whenever each reads the clock.
fn recent_logs(dir: &Dir, name: &str) -> PathBuf {
    const MIN_NS: i64 = 60_000_000_000;
    let now = now_ns();
    let mut cfg = gen_cfg(1200, 7, covet_gen::GenFormat::Json);
    cfg.start_ns = now - 180 * MIN_NS;
    cfg.step_ms = 2_000;
    let mut entries: Vec<GenEntry> = gen_entries(&cfg);
    let half = entries.len() / 2;
    let second_start = entries[half].ts_ns;
    let shift = (now - 40 * MIN_NS) - second_start;
    for e in &mut entries[half..] {
        e.ts_ns += shift;
    }
    assert!(
        entries.last().map(|e| e.ts_ns).unwrap_or(0) < now,
        "no future entries"
    );
    let bytes = render_all(&entries, covet_gen::GenFormat::Json);
    dir.create(name, bytes)
}

/// `covet-logs search --json --newest-first ARGS... INPUT`: the ids in order.
fn cli_ids(dir: &Dir, args: &[&str], input: &Path) -> Vec<String> {
    let out = dir
        .command()
        .args(["search", "--json", "--newest-first"])
        .args(args)
        .arg(input)
        .run();
    assert!(
        matches!(out.code, Some(0) | Some(1)),
        "search failed\n{}",
        out.context()
    );
    out.json_lines()
        .iter()
        .map(|e| e["id"].as_str().expect("an id").to_string())
        .collect()
}

/// `covet-logs search --json` entries by id.
fn cli_entries(dir: &Dir, input: &Path) -> Vec<serde_json::Map<String, Value>> {
    dir.command()
        .args(["search", "--json", "--newest-first", ""])
        .arg(input)
        .run()
        .json_lines()
}

/// The stream shows the newest 50 of what `covet-logs search ARGS` finds, and says
/// "Showing 1-50 of N" with N its whole count.
async fn assert_stream_is(page: &Page, dir: &Dir, input: &Path, args: &[&str], what: &str) {
    let want = cli_ids(dir, args, input);
    let shown = page.shown_ids().await;
    let first: Vec<String> = want.iter().take(50).cloned().collect();
    assert_eq!(
        shown, first,
        "{what}: the stream against covet-logs search {args:?}"
    );
    let showing = page.text("#showing").await;
    let expect = match first.len() {
        0 => format!("Showing 0 of {}", want.len()),
        n => format!("Showing 1-{n} of {}", thousands(want.len())),
    };
    assert_eq!(showing, expect, "{what}: the count line");
}

/// Appends `bytes` to the file (as a logger would).
fn append(path: &Path, bytes: &[u8]) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open for append");
    f.write_all(bytes).expect("append");
    f.flush().expect("flush");
}

/// Log text as the page shows it: C0 controls and DEL as their control pictures
/// (ESC as U+241B), C1 controls, bidi and zero-width characters as `[U+XXXX]`.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            0x09 | 0x0a => c.to_string(),
            n @ 0x00..=0x1f => char::from_u32(0x2400 + n).map_or_else(String::new, String::from),
            0x7f => "\u{2421}".to_string(),
            n @ (0x80..=0x9f
            | 0x061c
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x2069
            | 0xfeff) => format!("[U+{n:04X}]"),
            _ => c.to_string(),
        })
        .collect()
}

fn iso(ns: i64) -> String {
    covet_gen::format_timestamp(ns)
}

// ---------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------

/// The page loads with no console error; the search box, regex and case toggles,
/// the time range, level buttons, service and source pickers and each of the five
/// custom filter operators change the stream to what `covet-logs search` finds.
#[test]
fn search_and_every_filter_change_the_stream() {
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let (dir, input) = (&dir, &input);
    with_browser(
        "search_and_every_filter",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            assert_stream_is(&page, dir, input, &[""], "first load").await;
            assert_eq!(page.shown_ids().await.len(), 50);
            page.assert_no_console_errors("after the first load").await;

            // The cards and the analytics panel show what `covet-logs stats` counts.
            let stats = dir.command().args(["stats", "--json"]).arg(input).run();
            let stats: Value = serde_json::from_slice(&stats.stdout).expect("stats --json");
            page.wait_until(
                "analytics",
                "return document.getElementById('total-logs').textContent !== '–'",
            )
            .await;
            let count = |k: &str| thousands(stats[k].as_u64().expect("a count") as usize);
            assert_eq!(page.text("#total-logs").await, count("totalLogs"));
            assert_eq!(page.text("#error-count").await, count("errors"));
            assert_eq!(page.text("#warn-count").await, count("warnings"));
            assert_eq!(
                page.text("#an-top-error").await,
                stats["topError"]["message"].as_str().expect("a top error")
            );
            let levels = page
                .js("return document.querySelectorAll('#dist-level .dist-row').length")
                .await;
            assert_eq!(
                levels,
                json!(stats["levelBreakdown"].as_array().map_or(0, Vec::len))
            );
            page.wait_live().await;
            page.screenshot("dashboard").await;

            // Suggestions as you type are `covet-logs suggest`'s for the word typed;
            // the keyboard picks one, and values follow after `field:`.
            for word in ["serv", "service:"] {
                page.type_into("#q", word).await;
                let want = dir
                    .command()
                    .args(["suggest", "--path"])
                    .arg(input)
                    .arg(word)
                    .run();
                let want: Vec<String> = want
                    .stdout_str()
                    .lines()
                    .take(12)
                    .map(String::from)
                    .collect();
                assert!(!want.is_empty(), "suggest has words for {word}");
                let script = format!(
                    "const l = document.getElementById('suggestions'); return !l.hidden && \
                     JSON.stringify(Array.from(l.children).map(li => li.dataset.text)) === {}",
                    json!(json!(want).to_string())
                );
                page.wait_until(&format!("the suggestions {want:?} for {word}"), &script)
                    .await;
            }
            let q = page
                .client
                .find(Locator::Css("#q"))
                .await
                .expect("search box");
            let keys: String = [Key::Down, Key::Enter]
                .into_iter()
                .map(char::from)
                .collect();
            q.send_keys(&keys).await.expect("pick a suggestion");
            let picked = page.js("return document.getElementById('q').value").await;
            assert!(
                picked
                    .as_str()
                    .is_some_and(|v| v.starts_with("service:covet-")),
                "Down and Enter picked {picked}"
            );

            page.search("timeout").await;
            assert_stream_is(&page, dir, input, &["timeout"], "query").await;

            // A bad query: the error with its caret where the CLI puts it, no
            // entries, the stream stopped; the next good search starts it again.
            let bad = "timeout AND (x";
            page.search(bad).await;
            let cli = dir.command().args(["search", bad]).arg(input).run();
            cli.expect_code(2);
            let caret: Vec<&str> = cli.stderr.lines().skip(1).map(|l| &l[2..]).collect();
            let shown = page.text("#query-error").await;
            assert!(shown.starts_with("bad_query: "), "{shown}");
            assert_eq!(shown.lines().skip(1).collect::<Vec<_>>(), caret, "caret");
            assert!(page.shown_ids().await.is_empty());
            assert_eq!(page.text("#showing").await, "Showing 0 of 0");
            assert_eq!(page.js("return document.body.dataset.live").await, "off");
            for e in page.severe_log().await {
                assert!(e.contains("400"), "console error for a bad query: {e}");
            }
            page.search("timeout").await;
            page.wait_live().await;
            assert!(
                page.js("return document.getElementById('query-error').hidden")
                    .await
                    == true
            );
            page.search("").await;

            for level in ["FATAL", "ERROR", "WARN", "INFO", "DEBUG"] {
                let button = format!("button.lvl[data-level='{level}']");
                page.searched_after(page.click(&button)).await;
                assert_stream_is(&page, dir, input, &["", "--level", level], level).await;
                let pressed = page
                    .js("return Array.from(document.querySelectorAll('.lvl[aria-pressed=true]')).map(b => b.dataset.level)")
                    .await;
                assert_eq!(pressed, json!([level]), "one level button pressed");
            }
            page.searched_after(page.click("button.lvl[data-level='']"))
                .await;

            page.searched_after(page.set_value("#service", "covet-db"))
                .await;
            assert_stream_is(&page, dir, input, &["", "--service", "covet-db"], "service").await;
            page.searched_after(page.set_value("#service", "")).await;

            let source = page
            .js("const o = document.querySelector('#source option:nth-child(2)'); return o ? o.value : null")
            .await;
            let source = source.as_str().expect("a source in the picker").to_string();
            page.searched_after(page.set_value("#source", &source))
                .await;
            assert_stream_is(&page, dir, input, &["", "--source", &source], "source").await;
            page.searched_after(page.set_value("#source", "")).await;

            page.search("fail(ed|ure)").await;
            assert_stream_is(&page, dir, input, &["fail(ed|ure)"], "without regex").await;
            page.searched_after(page.click("#opt-regex")).await;
            assert_stream_is(&page, dir, input, &["--regex", "fail(ed|ure)"], "regex").await;
            page.searched_after(page.click("#opt-regex")).await;

            page.search("Failed").await;
            page.searched_after(page.click("#opt-case")).await;
            assert_stream_is(&page, dir, input, &["-s", "Failed"], "case").await;
            page.searched_after(page.click("#opt-case")).await;
            page.search("").await;

            page.searched_after(page.set_value("#range", "1h")).await;
            assert_stream_is(&page, dir, input, &["", "--since", "1h"], "range").await;
            page.searched_after(page.set_value("#range", "")).await;

            page.click("#btn-advanced").await;
            let custom = [
                ("service", "equals", "covet-api", r#"service:"covet-api""#),
                ("message", "contains", "timeout", "message:*timeout*"),
                ("user_id", "regex", r"user_1\d\d", r"user_id:/user_1\d\d/"),
                (
                    "duration_ms",
                    "range",
                    "100..500",
                    "duration_ms:>=100 duration_ms:<=500",
                ),
                ("trace_id", "exists", "", "trace_id:*"),
            ];
            for (field, op, value, query) in custom {
                page.set_value("#f-field", field).await;
                page.set_value("#f-op", op).await;
                page.set_value("#f-value", value).await;
                page.searched_after(page.click("#f-add")).await;
                assert_stream_is(&page, dir, input, &[query], &format!("{field} {op}")).await;
                page.searched_after(page.click("#chips .chip button")).await;
            }
            page.assert_no_console_errors("after every filter").await;
            page.js("document.querySelector('.analytics').scrollIntoView()")
                .await;
            page.screenshot("analytics").await;
        },
    );
}

/// A line appended to a served file shows up within a second; an entry's details
/// show its metadata; a permalink opens that entry's context as `covet-logs context`
/// finds it.
#[test]
fn live_lines_metadata_and_permalinks() {
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let (dir, input) = (&dir, &input);
    with_browser(
        "live_lines_metadata_and_permalinks",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            page.wait_live().await;

            let line = json!({
                "id": "live_0001", "timestamp": iso(now_ns()), "level": "ERROR",
                "service": "covet-db", "source": "pool.rs:7",
                "message": "Connection pool exhausted (appended)",
                "request_id": "req_live", "metadata": {"pool": 32},
            });
            let start = Instant::now();
            append(input, format!("{line}\n").as_bytes());
            page.wait_until(
            "the appended line",
            "const li = document.querySelector('#stream-list > li'); return li && li.dataset.id === 'live_0001'",
        )
        .await;
            let took = start.elapsed();
            assert!(
                took <= Duration::from_secs(1),
                "the appended line took {took:?}"
            );
            assert_eq!(
                page.text("#stream-list > li:first-child .msg").await,
                "Connection pool exhausted (appended)"
            );

            // Pause closes the stream; Resume reconnects with `after` and gets what
            // was written meanwhile, once.
            page.click("#btn-pause").await;
            page.wait_until("paused", "return document.body.dataset.live === 'wait'")
                .await;
            let line = json!({"id": "live_0002", "timestamp": iso(now_ns()), "level": "INFO",
                "service": "covet-db", "message": "written while paused"});
            append(input, format!("{line}\n").as_bytes());
            tokio::time::sleep(Duration::from_millis(600)).await;
            assert_eq!(
                page.shown_ids().await[0],
                "live_0001",
                "nothing shown while paused"
            );
            page.click("#btn-pause").await;
            page.wait_until(
                "the line written while paused",
                "const li = document.querySelector('#stream-list > li'); return li && li.dataset.id === 'live_0002'",
            )
            .await;
            let ids = page.shown_ids().await;
            assert_eq!(&ids[..2], ["live_0002", "live_0001"]);
            assert_eq!(
                ids.len(),
                52,
                "the page of 50 and the two live lines, none twice"
            );

            // The server goes away and comes back: the page reconnects with backoff
            // and resumes after the last entry it saw; the line written meanwhile
            // shows, once.
            page.server.stop();
            page.wait_until(
                "the stream to drop",
                "return document.body.dataset.live === 'off'",
            )
            .await;
            let line = json!({"id": "live_0003", "timestamp": iso(now_ns()), "level": "WARN",
                "service": "covet-db", "message": "written while the server was down"});
            append(input, format!("{line}\n").as_bytes());
            page.server.start_again();
            page.wait_until(
                "the line written while the server was down",
                "const li = document.querySelector('#stream-list > li'); return li && li.dataset.id === 'live_0003'",
            )
            .await;
            let ids = page.shown_ids().await;
            assert_eq!(&ids[..3], ["live_0003", "live_0002", "live_0001"]);
            assert_eq!(
                ids.len(),
                53,
                "nothing lost or repeated across the reconnect"
            );
            for e in page.severe_log().await {
                assert!(
                    e.contains("ERR_CONNECTION_REFUSED") || e.contains("WebSocket"),
                    "console error while the server was down: {e}"
                );
            }

            // Metadata of an entry from the search page, against the CLI's entry.
            let truth = cli_entries(dir, input);
            let shown = page.shown_ids().await;
            let id = &shown[1];
            let want = truth
                .iter()
                .find(|e| e["id"] == id.as_str())
                .expect("entry in the CLI's output");
            let li = format!("#stream-list > li[data-id='{id}']");
            assert!(
                page.js_args(
                    "return document.querySelector(arguments[0] + ' .details').hidden",
                    vec![json!(li)]
                )
                .await
                    == true
            );
            page.click(&format!("{li} .expand")).await;
            let meta: Value = serde_json::from_str(&page.text(&format!("{li} pre.meta")).await)
                .expect("metadata is JSON");
            for key in ["traceId", "spanId", "userId", "requestId", "file", "line"] {
                assert_eq!(meta.get(key), want.get(key), "{key} of {id}");
            }
            for (k, v) in want
                .get("metadata")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                assert_eq!(meta.get(k), Some(v), "metadata {k} of {id}");
            }
            assert_eq!(
            page.js_args("return document.querySelector(arguments[0] + ' .expand').getAttribute('aria-expanded')", vec![json!(li)]).await,
            "true"
        );
            page.screenshot("entry-expanded").await;

            // Share permalink: the URL it gives opens the entry's context.
            page.click(&format!("{li} .entry-actions button:nth-child(3)"))
                .await;
            let link = page
                .wait_until("the permalink", "return document.body.dataset.permalink")
                .await;
            let link = link.as_str().expect("permalink").to_string();
            assert_eq!(link, format!("{}/#entry={}", page.base, id));
            page.client.goto("about:blank").await.expect("leave");
            page.client.goto(&link).await.expect("open the permalink");
            page.wait_until(
                "the context dialog",
                &format!(
                    "const d = document.getElementById('context'); \
                     return d.open && d.dataset.loaded === '{id}'"
                ),
            )
            .await;
            page.wait_until(
                "the search behind the dialog",
                "return Number(document.body.dataset.searches || 0) >= 1",
            )
            .await;
            let ctx = dir
                .command()
                .args(["context", "--json", id])
                .arg(input)
                .run();
            let ctx: Value = serde_json::from_slice(&ctx.stdout).expect("context --json");
            let want_timeline: Vec<&str> = ctx["timeline"]
                .as_array()
                .expect("timeline")
                .iter()
                .map(|e| e["id"].as_str().expect("id"))
                .collect();
            let got: Vec<String> = serde_json::from_value(page.js(
            "return Array.from(document.querySelectorAll('#ctx-timeline > li.entry')).map(li => li.dataset.id)",
        ).await).expect("ids");
            assert!(!want_timeline.is_empty());
            assert_eq!(
                got, want_timeline,
                "the context timeline against covet-logs context"
            );
            assert_eq!(
                page.js("return document.querySelector('#ctx-selected li').dataset.id")
                    .await,
                id.as_str()
            );
            page.screenshot("context").await;

            // Quick actions on a selected entry: copy context (the entry, its
            // permalink and the related lines), open full view, and clear.
            page.click("#ctx-close").await;
            page.wait_until("no permalink in the URL", "return location.hash === ''")
                .await;
            page.click(&format!("{li} .entry-head .ts")).await;
            page.click("#qa-copy").await;
            let copied = page
                .wait_until("copied context", "return document.body.dataset.copied")
                .await;
            let copied = copied.as_str().expect("copied text");
            assert!(copied.starts_with("Selected: "), "{copied}");
            assert!(copied.contains(&format!("Permalink: {link}\n")), "{copied}");
            let related = copied.lines().filter(|l| l.starts_with("  ")).count();
            assert_eq!(related, want_timeline.len(), "{copied}");
            // Create alert rule: a rule for entries like this one, kept by the server
            // and checked as `stats --alert` checks it; it fires on these logs and
            // the analytics panel says so.
            page.click("#qa-alert").await;
            page.wait_until(
                "the alert dialog",
                "return document.getElementById('alert-dlg').open",
            )
            .await;
            let rule = format!(
                "count(level:{} service:{}) > 0",
                want["level"].as_str().expect("level"),
                want["service"].as_str().expect("service")
            );
            let prefilled = page
                .js("return document.getElementById('alert-rule').value")
                .await;
            assert_eq!(prefilled, json!(rule));
            let checks = page
                .js("return Number(document.body.dataset.alertChecks || 0)")
                .await;
            page.js("document.getElementById('alert-form').requestSubmit()")
                .await;
            page.wait_until(
                "the rule checked",
                &format!("return Number(document.body.dataset.alertChecks || 0) > {checks} && !document.getElementById('alert-dlg').open"),
            )
            .await;
            let fired = dir
                .command()
                .args(["stats", "--alert", &rule])
                .arg(input)
                .run();
            fired.expect_code(1);
            assert!(
                fired.stdout_str().contains(&format!("ALERT {rule}")),
                "{}",
                fired.stdout_str()
            );
            let name = page
                .js("return document.querySelector('#alerts li.alert-rule').dataset.name")
                .await;
            let shown = page.text("#alerts li.alert-rule .alert-state").await;
            assert_eq!(
                shown, "FIRING",
                "the rule {name} fires as stats --alert says"
            );
            assert_eq!(page.text("#alerts li.alert-rule .alert-text").await, rule);
            assert_eq!(page.text("#alerts-firing").await, "1 of 1 firing");
            page.click("#qa-full").await;
            page.wait_until(
                "the full view",
                &format!("const d = document.getElementById('context'); return d.open && d.classList.contains('full') && d.dataset.loaded === '{id}'"),
            )
            .await;
            page.click("#ctx-close").await;
            page.click("#btn-clear").await;
            assert!(page.shown_ids().await.is_empty());
            assert!(page.text("#showing").await.starts_with("Showing 0 of "));
            page.assert_no_console_errors("after the permalink").await;
        },
    );
}

/// A filter saved in the page is listed by `covet-logs filters list` and finds what
/// the page shows; export downloads the bytes `covet-logs export --format csv` writes.
#[test]
fn saved_filter_and_export_agree_with_the_cli() {
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let (dir, input) = (&dir, &input);
    with_browser(
        "saved_filter_and_export",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            page.search("timeout").await;
            page.searched_after(page.click("button.lvl[data-level='ERROR']"))
                .await;
            page.click("#btn-advanced").await;
            page.set_value("#f-field", "service").await;
            page.set_value("#f-op", "equals").await;
            page.set_value("#f-value", "covet-db").await;
            page.searched_after(page.click("#f-add")).await;
            let shown = page.shown_ids().await;
            assert!(!shown.is_empty(), "the filter finds entries");

            page.type_into("#save-name", "db-timeouts").await;
            page.js("document.getElementById('save-form').requestSubmit()")
                .await;
            page.wait_until(
            "the saved filter in the presets",
            "return Array.from(document.querySelectorAll('#presets option')).some(o => o.value === 'db-timeouts')",
        )
        .await;
            let list = dir.command().args(["filters", "list"]).run();
            list.expect_code(0);
            assert!(
                list.stdout_str()
                    .lines()
                    .any(|l| l.starts_with("db-timeouts ")),
                "filters list:\n{}",
                list.stdout_str()
            );
            let by_filter = cli_ids(dir, &["--filter", "db-timeouts", ""], input);
            assert_eq!(
                shown,
                by_filter.into_iter().take(50).collect::<Vec<_>>(),
                "the saved filter finds what the page showed"
            );

            // Loading it as a preset (after starting over) shows the same entries.
            page.search("").await;
            page.searched_after(page.click("#chips .chip button")).await;
            page.searched_after(page.click("button.lvl[data-level='']"))
                .await;
            assert_ne!(page.shown_ids().await, shown);
            page.searched_after(page.set_value("#presets", "db-timeouts"))
                .await;
            assert_eq!(page.shown_ids().await, shown, "the loaded preset");
            page.searched_after(page.set_value("#presets", "errors"))
                .await;
            assert_stream_is(
                &page,
                dir,
                input,
                &["--filter", "errors", ""],
                "built-in preset",
            )
            .await;
            page.searched_after(page.click("button.lvl[data-level='ERROR']"))
                .await;

            // Export with the level filter only: the downloaded file is the CLI's CSV.
            page.search("").await;
            page.set_value("#export-format", "csv").await;
            page.click("#btn-export").await;
            let file = page.downloads.join("covet-logs.csv");
            let start = Instant::now();
            let partial = |dir: &Path| {
                dir.read_dir()
                    .expect("downloads")
                    .flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "crdownload"))
            };
            while !file.is_file() || partial(&page.downloads) {
                assert!(
                    start.elapsed() < WAIT,
                    "no download in {}",
                    page.downloads.display()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let got = std::fs::read(&file).expect("read the download");
            let want = dir
                .command()
                .args(["export", "--format", "csv", "--level", "ERROR", ""])
                .arg(input)
                .run();
            want.expect_code(0);
            crate::util::assert_text_eq("export csv", &want.stdout, &got);
            page.assert_no_console_errors("after save and export").await;
        },
    );
}

/// Hostile log text (HTML, `javascript:` links, terminal escapes) is shown literally:
/// no element is made of it, no script runs, no dialog opens; in the search page, in
/// a live line, in the metadata and in the context view.
#[test]
fn hostile_lines_are_inert() {
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let now = now_ns();
    let hostile = [
        ("evil_1", "<script>window.__pwned = 1</script>"),
        (
            "evil_2",
            "<img src=x onerror=\"window.__pwned = 2; alert(2)\">",
        ),
        (
            "evil_3",
            "[click me](javascript:alert(3)) <a href=\"javascript:alert(3)\">x</a>",
        ),
        (
            "evil_4",
            "\u{1b}[31mred\u{1b}[0m \u{1b}]8;;http://x/\u{7}link\u{1b}]8;;\u{7} \u{1b}[2J \u{202e}gnp.exe",
        ),
    ];
    let lines: String = hostile
        .iter()
        .enumerate()
        .map(|(i, (id, msg))| {
            format!(
                "{}\n",
                json!({
                    "id": id, "timestamp": iso(now - 60_000_000_000 + i as i64 * 1_000_000),
                    "level": "ERROR", "service": "<b>svc</b>", "source": "javascript:alert(1)",
                    "message": msg, "request_id": "req_evil",
                    "metadata": {"url": "javascript:alert(document.domain)", "html": "<iframe src=x>"},
                })
            )
        })
        .collect();
    append(&input, lines.as_bytes());
    // A line of 300,000 characters: shown cut, all of it on demand.
    let huge = format!("{}<script>window.__pwned = 6</script>", "x".repeat(300_000));
    let line = json!({"id": "huge_1", "timestamp": iso(now - 50_000_000_000), "level": "INFO",
        "service": "covet-api", "message": huge});
    append(&input, format!("{line}\n").as_bytes());
    let (dir, input) = (&dir, &input);
    with_browser(
        "hostile_lines_are_inert",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            page.wait_live().await;
            let live = json!({
                "id": "evil_live", "timestamp": iso(now_ns()), "level": "ERROR",
                "service": "covet-api", "message": "<svg onload=\"window.__pwned = 5\"><script>alert(5)</script>",
            });
            append(input, format!("{live}\n").as_bytes());
            page.wait_until(
                "the live hostile line",
                "return !!document.querySelector(\"#stream-list > li[data-id='evil_live']\")",
            )
            .await;
            let truth = cli_entries(dir, input);
            for id in ["evil_1", "evil_2", "evil_3", "evil_4", "evil_live"] {
                let want = truth
                    .iter()
                    .find(|e| e["id"] == id)
                    .expect("hostile entry in the CLI output");
                let li = format!("#stream-list > li[data-id='{id}']");
                assert_eq!(
                    page.text(&format!("{li} .msg")).await,
                    shown(want["message"].as_str().expect("message")),
                    "{id} is shown literally"
                );
                page.click(&format!("{li} .expand")).await;
            }
            assert_eq!(
                page.text("#stream-list > li[data-id='evil_1'] .svc").await,
                "<b>svc</b>"
            );
            let cut = page.text("#stream-list > li[data-id='huge_1'] .msg").await;
            assert!(
                cut.starts_with(&"x".repeat(4000)) && cut.ends_with(" more characters: show all"),
                "{}",
                &cut[3990..]
            );
            assert_eq!(cut.chars().filter(|&c| c == 'x').count(), 4000);
            page.click("#stream-list > li[data-id='huge_1'] .msg .more")
                .await;
            assert_eq!(
                page.text("#stream-list > li[data-id='huge_1'] .msg").await,
                huge,
                "the whole line on demand"
            );
            let meta = page
                .text("#stream-list > li[data-id='evil_1'] pre.meta")
                .await;
            assert!(
                meta.contains("javascript:alert(document.domain)")
                    && meta.contains("<iframe src=x>"),
                "{meta}"
            );

            page.click("#stream-list > li[data-id='evil_2'] .entry-actions button:first-child")
                .await;
            page.wait_until(
            "the hostile entry's context",
            "const d = document.getElementById('context'); return d.open && d.dataset.loaded === 'evil_2'",
        )
        .await;
            page.screenshot("hostile").await;

            let made = page
            .js("return document.querySelectorAll('main script, main img, main a, main b, main iframe, main svg:not(.chart svg), dialog script, dialog img, dialog a, dialog b, dialog iframe').length")
            .await;
            assert_eq!(made, 0, "elements made from log text");
            assert_eq!(
                page.js("return window.__pwned === undefined").await,
                true,
                "a script ran"
            );
            assert!(
                page.client.get_alert_text().await.is_err(),
                "an alert opened"
            );
            page.assert_no_console_errors("with hostile lines").await;
        },
    );
}

/// With a token set, the page asks for it once, keeps it for the tab (session
/// storage) and sends it: the stream loads and goes live; a reload does not ask again.
#[test]
fn token_is_asked_once_and_kept_for_the_tab() {
    const TOKEN: &str = "s3cret-token-for-the-page-0123";
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let (dir, input) = (&dir, &input);
    with_browser_token(
        "token_is_asked_once",
        dir,
        &[input],
        Some(TOKEN),
        move |page| async move {
            page.client.goto(&page.base).await.expect("load the page");
            page.wait_until(
                "the token dialog",
                "return document.getElementById('token-dlg').open",
            )
            .await;
            assert_eq!(
                page.js("return document.body.dataset.searches || null")
                    .await,
                Value::Null
            );
            page.screenshot("token").await;
            page.type_into("#token-input", TOKEN).await;
            page.click("#token-form button[type=submit]").await;
            page.wait_until(
                "the first search",
                "return Number(document.body.dataset.searches || 0) >= 1",
            )
            .await;
            page.wait_live().await;
            assert_stream_is(&page, dir, input, &[""], "with the token").await;
            assert_eq!(
                page.js("return document.body.dataset.tokenAsked").await,
                "1"
            );
            // The only errors so far are the 401s that made the page ask.
            for e in page.severe_log().await {
                assert!(e.contains("401"), "console error before the token: {e}");
            }

            page.client.refresh().await.expect("reload");
            page.open("").await;
            page.wait_live().await;
            assert_eq!(
                page.js("return document.getElementById('token-dlg').open")
                    .await,
                false
            );
            assert_eq!(
                page.js("return document.body.dataset.tokenAsked || null")
                    .await,
                Value::Null
            );
            page.assert_no_console_errors("after the token").await;
        },
    );
}

/// Polls `script` until it holds, for up to `limit` (longer than [`WAIT`]: for the
/// 100,000-row stream).
async fn wait_long(page: &Page, what: &str, script: &str, limit: Duration) -> Value {
    let start = Instant::now();
    loop {
        let v = page.js(script).await;
        if !matches!(v, Value::Null | Value::Bool(false)) {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "timed out waiting for {what}: {}",
            page.text("#showing").await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The stream is a virtualized list: 100,500 lines appended live are all received,
/// the newest 100,000 kept (the oldest dropped), while only the rows in view are in
/// the DOM; "Showing 1-100,000 of N" has N the CLI's count; any position scrolled
/// to shows the entry that belongs there; not following keeps the reader's place
/// as lines arrive, following goes back to the top; pause, resume and clear work on
/// the big list; the page's JS heap stays bounded.
#[test]
fn the_stream_is_virtualized_and_holds_100k_entries() {
    const LIVE: usize = 100_500;
    const KEPT: usize = 100_000;
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let (dir, input) = (&dir, &input);
    with_browser(
        "the_stream_is_virtualized",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            page.wait_live().await;
            let base = now_ns();
            let line = |i: usize| {
                let level = ["INFO", "WARN", "ERROR", "DEBUG"][i % 4];
                format!(
                    "{}\n",
                    json!({"id": format!("v{i}"), "timestamp": iso(base + i as i64 * 1_000),
                        "level": level, "service": "covet-api",
                        "message": format!("virtual row {i}")})
                )
            };
            let mut bytes = Vec::with_capacity(LIVE * 140);
            for i in 0..LIVE {
                bytes.extend_from_slice(line(i).as_bytes());
            }
            append(input, &bytes);
            let count = |dir: &Dir| {
                dir.command()
                    .args(["search", "-c", ""])
                    .arg(input)
                    .run()
                    .count() as usize
            };
            let total = count(dir);
            assert_eq!(total, 1200 + LIVE, "the CLI's count");
            let want = format!("Showing 1-{} of {}", thousands(KEPT), thousands(total));
            // The server sends a backlog at the client's pace; a debug build on a
            // shared machine takes minutes for 100,500 lines.
            let start = Instant::now();
            wait_long(
                &page,
                "every live line",
                &format!("return document.getElementById('showing').textContent === '{want}'"),
                Duration::from_secs(900),
            )
            .await;
            eprintln!(
                "{LIVE} live lines received in {:.1} s",
                start.elapsed().as_secs_f64()
            );

            // Only the rows in view (and a few either side) are elements.
            let in_dom = page
                .js("return document.querySelectorAll('#stream-list > li').length")
                .await;
            let in_dom = in_dom.as_u64().expect("a count");
            assert!((5..=40).contains(&in_dom), "{in_dom} rows in the DOM");
            // Row p (1-based) is the p-th newest entry: v(LIVE - p).
            let at = |p: usize| format!("v{}", LIVE - p);
            let view = |pos: usize| {
                format!(
                    "const sc = document.getElementById('stream-scroll'); sc.scrollTop = {} * 44; \
                     return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(\
                     Array.from(document.querySelectorAll('#stream-list > li')).map((li) => [Number(li.getAttribute('aria-posinset')), li.dataset.id])))));",
                    pos - 1
                )
            };
            for pos in [1, 2, 777, 50_001, KEPT - 5] {
                let rows = page.js(&view(pos)).await;
                let rows: Vec<(usize, String)> = serde_json::from_value(rows).expect("rows");
                assert!(
                    rows.iter().any(|(p, _)| *p == pos),
                    "row {pos} is in view: {rows:?}"
                );
                for (p, id) in &rows {
                    assert_eq!(id, &at(*p), "row {p}");
                }
                assert!(rows.len() as u64 <= 40, "{} rows in the DOM", rows.len());
            }
            let last = page
                .js("const lis = document.querySelectorAll('#stream-list > li'); const li = lis[lis.length - 1]; return [li.getAttribute('aria-posinset'), li.dataset.id, li.getAttribute('aria-setsize')]")
                .await;
            assert_eq!(
                last,
                json!([KEPT.to_string(), at(KEPT), KEPT.to_string()]),
                "the oldest kept row is the 100,000th newest"
            );
            page.screenshot("stream-100k").await;
            let heap = page
                .js("return performance.memory ? performance.memory.usedJSHeapSize : 0")
                .await
                .as_u64()
                .unwrap_or(0);
            eprintln!("JS heap with {KEPT} rows: {} MiB", heap >> 20);
            assert!(heap < 400 << 20, "JS heap {} MiB", heap >> 20);

            // Not following: the reader's place stays while lines arrive.
            page.click("#btn-follow").await;
            page.js(&view(1001)).await;
            let first_in_view = "const sc = document.getElementById('stream-scroll'); \
                 const li = Array.from(document.querySelectorAll('#stream-list > li')).find((li) => li.offsetTop + li.offsetHeight > sc.scrollTop); \
                 return li.dataset.id";
            let before = page.js(first_in_view).await;
            assert_eq!(before, json!(at(1001)));
            let more: String = (LIVE..LIVE + 5).map(line).collect();
            append(input, more.as_bytes());
            let want = format!("Showing 1-{} of {}", thousands(KEPT), thousands(total + 5));
            wait_long(
                &page,
                "five more lines",
                &format!("return document.getElementById('showing').textContent === '{want}'"),
                Duration::from_secs(10),
            )
            .await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert_eq!(page.js(first_in_view).await, before, "the place is kept");
            assert!(
                page.text("#in-view").await.starts_with("· rows 1,006-"),
                "{}",
                page.text("#in-view").await
            );
            // Following again: the newest line is on top.
            page.click("#btn-follow").await;
            page.wait_until(
                "the top of the stream",
                &format!("return document.getElementById('stream-scroll').scrollTop === 0 && document.querySelector('#stream-list > li').dataset.id === 'v{}'", LIVE + 4),
            )
            .await;

            // Pause, resume and clear on the big list.
            page.click("#btn-pause").await;
            page.wait_until("paused", "return document.body.dataset.live === 'wait'")
                .await;
            append(input, line(LIVE + 5).as_bytes());
            tokio::time::sleep(Duration::from_millis(600)).await;
            assert_eq!(
                page.js("return document.querySelector('#stream-list > li').dataset.id")
                    .await,
                json!(format!("v{}", LIVE + 4)),
                "nothing shown while paused"
            );
            page.click("#btn-clear").await;
            page.wait_until(
                "the cleared list",
                "return document.querySelectorAll('#stream-list > li').length === 0",
            )
            .await;
            assert_eq!(
                page.text("#showing").await,
                format!("Showing 0 of {}", thousands(total + 5))
            );
            page.click("#btn-pause").await;
            page.wait_until(
                "the line written while paused",
                &format!("const li = document.querySelector('#stream-list > li'); return li && li.dataset.id === 'v{}'", LIVE + 5),
            )
            .await;
            assert_eq!(page.shown_ids().await, [format!("v{}", LIVE + 5)]);
            assert_eq!(
                page.text("#showing").await,
                format!("Showing 1-1 of {}", thousands(total + 6))
            );
            // On a busy machine an analytics refresh may find every scan slot taken
            // while the backlog streams (a 429, retried by the next refresh); any
            // other console error fails.
            let errors: Vec<String> = page
                .severe_log()
                .await
                .into_iter()
                .filter(|e| !(e.contains("/api/v1/logs/analytics") && e.contains("429")))
                .collect();
            assert!(
                errors.is_empty(),
                "console errors with 100,000 rows:\n{}",
                errors.join("\n")
            );
        },
    );
}

/// The rest of the seed's quick actions and panels: recent searches recorded by the
/// CLI on this host (`covet-logs history`) listed beside the browser's own; a filter
/// saved with its regex and case toggles loads them back; an alert rule with a
/// syntax error is refused with the caret where `stats --alert` puts it, a rule that
/// does not hold shows as not firing and can be deleted; "Report issue" copies and
/// downloads a report whose query, counts, top error and permalink are the CLI's;
/// the context view's correlation analysis describes the CLI's timeline.
#[test]
fn recent_searches_toggles_alerts_report_and_correlation() {
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let recorded = ["level:ERROR", "service:covet-db"];
    for q in recorded {
        dir.command()
            .env("COVET_LOGS_NO_HISTORY", "0")
            .args(["search", "-c", q])
            .arg(&input)
            .run();
    }
    let history: Vec<Value> = dir
        .command()
        .args(["history", "--json"])
        .run()
        .json_lines()
        .into_iter()
        .map(Value::Object)
        .collect();
    assert_eq!(history.len(), 2);
    let (dir, input) = (&dir, &input);
    with_browser(
        "recent_searches_toggles_alerts_report_and_correlation",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            // Recent searches from the host, newest first, with their counts.
            page.wait_until(
                "the host's recent searches",
                "return document.body.dataset.hostRecent === '2'",
            )
            .await;
            let shown = page
                .js("return Array.from(document.querySelectorAll('#recent-host li')).map((li) => li.textContent)")
                .await;
            let want: Vec<String> = history
                .iter()
                .map(|h| {
                    format!(
                        "{} {} matched · {}",
                        h["query"].as_str().unwrap(),
                        thousands(h["matches"].as_u64().unwrap() as usize),
                        h["time"]
                            .as_str()
                            .unwrap()
                            .replace('T', " ")
                            .trim_end_matches('Z')
                    )
                })
                .collect();
            assert_eq!(shown, json!(want));
            page.searched_after(page.click("#recent-host li:first-child button"))
                .await;
            assert_eq!(
                page.js("return document.getElementById('q').value").await,
                json!(recorded[1])
            );
            assert_stream_is(&page, dir, input, &[recorded[1]], "a host's recent search").await;

            // A filter saved with regex and case on keeps them; loading it turns them on.
            page.click("#opt-regex").await;
            page.click("#opt-case").await;
            page.search("timeou?t").await;
            assert_stream_is(
                &page,
                dir,
                input,
                &["--regex", "-s", "timeou?t"],
                "regex and case",
            )
            .await;
            let shown = page.shown_ids().await;
            page.type_into("#save-name", "re-case").await;
            page.js("document.getElementById('save-form').requestSubmit()")
                .await;
            page.wait_until(
                "the saved filter in the presets",
                "return Array.from(document.querySelectorAll('#presets option')).some(o => o.value === 're-case')",
            )
            .await;
            let show = dir.command().args(["filters", "show", "re-case"]).run();
            assert_eq!(
                show.stdout_str(),
                "name: re-case\nquery: timeou?t\nregex: yes\ncase-sensitive: yes\n"
            );
            assert_eq!(
                cli_ids(dir, &["--filter", "re-case", ""], input)
                    .into_iter()
                    .take(50)
                    .collect::<Vec<_>>(),
                shown,
                "the CLI's --filter applies the toggles"
            );
            page.click("#opt-regex").await;
            page.click("#opt-case").await;
            page.search("").await;
            page.searched_after(page.set_value("#presets", "re-case"))
                .await;
            assert_eq!(
                page.js("return [document.getElementById('opt-regex').checked, document.getElementById('opt-case').checked, document.getElementById('q').value]").await,
                json!([true, true, "timeou?t"])
            );
            assert_eq!(page.shown_ids().await, shown, "the loaded preset");
            page.click("#opt-regex").await;
            page.click("#opt-case").await;
            page.search("level:ERROR").await;

            // Alert rules: a syntax error points at its place; a rule that does not
            // hold is listed as not firing; delete removes it.
            page.click("#qa-alert").await;
            page.type_into("#alert-rule", "error_rate >> 5").await;
            page.js("document.getElementById('alert-form').requestSubmit()")
                .await;
            page.wait_until(
                "the rule's error",
                "return !document.getElementById('alert-error').hidden",
            )
            .await;
            let err = page.text("#alert-error").await;
            assert!(err.ends_with("\nerror_rate >> 5\n            ^"), "{err}");
            // The refused request is the one failed load the browser logs.
            let logged = page.severe_log().await;
            assert!(
                logged.len() == 1
                    && logged[0].contains("/api/v1/alerts")
                    && logged[0].contains("400"),
                "{logged:?}"
            );
            page.type_into("#alert-name", "never").await;
            page.type_into("#alert-rule", "errors > 1000000").await;
            page.js("document.getElementById('alert-form').requestSubmit()")
                .await;
            page.wait_until(
                "the rule listed",
                "return !!document.querySelector(\"#alerts li[data-name='never']\")",
            )
            .await;
            assert_eq!(
                page.text("#alerts li[data-name='never'] .alert-state")
                    .await,
                "ok"
            );
            assert_eq!(page.text("#alerts-firing").await, "0 of 1 firing");
            let stats = dir
                .command()
                .args([
                    "stats",
                    "--json",
                    "--alert",
                    "errors > 1000000",
                    "-q",
                    "level:ERROR",
                ])
                .arg(input)
                .run();
            stats.expect_code(0);
            let report: Value = serde_json::from_slice(&stats.stdout).expect("stats JSON");
            assert_eq!(
                page.text("#alerts li[data-name='never'] .alert-reason")
                    .await,
                report["alerts"][0]["reason"].as_str().expect("reason")
            );
            page.js("document.getElementById('alerts-h').scrollIntoView({block: 'start'})")
                .await;
            page.screenshot("alerts").await;

            // Report issue, with an entry selected (once the analytics of this
            // search are in).
            page.wait_until(
                "the analytics of level:ERROR",
                "return document.body.dataset.analyticsFor === 'level:ERROR'",
            )
            .await;
            page.click("#stream-list > li:first-child .entry-head")
                .await;
            let selected = page
                .js("return document.querySelector('#stream-list > li.selected').dataset.id")
                .await;
            let selected = selected.as_str().expect("selected id").to_string();
            page.click("#qa-report").await;
            page.wait_until(
                "the report",
                "return (document.body.dataset.copied || '').startsWith('# covet-logs issue report')",
            )
            .await;
            let text = page.js("return document.body.dataset.copied").await;
            let text = text.as_str().expect("report").to_string();
            let total = cli_ids(dir, &["level:ERROR"], input).len();
            let top = &report["topError"];
            for line in [
                "- Query: `level:ERROR`".to_string(),
                "- Range: All time".to_string(),
                format!("- Matching entries: {}", thousands(total)),
                format!(
                    "- Top error: {} ({} occurrences)",
                    top["message"].as_str().expect("top error"),
                    thousands(top["count"].as_u64().expect("count") as usize)
                ),
                "- Firing alert rules: none".to_string(),
                format!("- Permalink: {}/#entry={selected}", page.base),
            ] {
                assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
            }
            let file = page.downloads.join("covet-logs-report.md");
            let start = Instant::now();
            while !file.exists() && start.elapsed() < WAIT {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            assert_eq!(
                std::fs::read_to_string(&file).expect("the downloaded report"),
                text
            );
            page.click("#alerts li[data-name='never'] button").await;
            page.wait_until(
                "the rule deleted",
                "return !document.querySelector(\"#alerts li[data-name='never']\")",
            )
            .await;

            // The correlation analysis of an entry's trace, against the CLI's timeline.
            let entries = cli_entries(dir, input);
            let id = entries
                .iter()
                .filter(|e| e.get("traceId").is_some())
                .map(|e| e["id"].as_str().unwrap().to_string())
                .find(|id| {
                    let c = dir
                        .command()
                        .args(["context", "--json", "--by", "trace", id])
                        .arg(input)
                        .run();
                    let v: Value = serde_json::from_slice(&c.stdout).unwrap_or(Value::Null);
                    v["timeline"].as_array().is_some_and(|t| t.len() >= 3)
                })
                .expect("an entry whose trace has three entries");
            let ctx = dir
                .command()
                .args(["context", "--json", "--by", "trace", &id])
                .arg(input)
                .run();
            let ctx: Value = serde_json::from_slice(&ctx.stdout).expect("context JSON");
            let mut timeline = ctx["timeline"].as_array().expect("timeline").clone();
            timeline.sort_by(|a, b| a["timestamp"].as_str().cmp(&b["timestamp"].as_str()));
            let mut hops: Vec<(String, usize)> = Vec::new();
            for e in &timeline {
                let svc = e["service"].as_str().unwrap_or("?").to_string();
                match hops.last_mut() {
                    Some((s, k)) if *s == svc => *k += 1,
                    _ => hops.push((svc, 1)),
                }
            }
            let services: std::collections::BTreeSet<&str> = timeline
                .iter()
                .map(|e| e["service"].as_str().unwrap_or("?"))
                .collect();
            let path: Vec<String> = hops
                .iter()
                .map(|(s, k)| {
                    if *k > 1 {
                        format!("{s} ×{k}")
                    } else {
                        s.clone()
                    }
                })
                .collect();
            let n = timeline.len();
            let want_path = format!(
                "Path: {n} entries sharing trace {} across {} services: {}",
                ctx["key"].as_str().expect("key"),
                services.len(),
                path.join(" → ")
            );
            let at = timeline
                .iter()
                .position(|e| e["selected"] == true)
                .expect("selected");
            let want_position = format!(
                "Position: the selected entry is {} of {n} in time ({at} before it, {} after)",
                at + 1,
                n - at - 1
            );
            let errors = timeline
                .iter()
                .filter(|e| matches!(e["level"].as_str(), Some("ERROR" | "FATAL")))
                .count();
            page.set_value("#ctx-mode", "trace").await;
            page.js_args(
                "location.hash = '#entry=' + encodeURIComponent(arguments[0])",
                vec![json!(id)],
            )
            .await;
            page.wait_until(
                "the trace's context",
                &format!("const d = document.getElementById('context'); return d.open && d.dataset.loaded === '{id}'"),
            )
            .await;
            assert_eq!(
                page.text("#ctx-insights li[data-kind='path']").await,
                want_path
            );
            assert_eq!(
                page.text("#ctx-insights li[data-kind='position']").await,
                want_position
            );
            let errors_text = page.text("#ctx-insights li[data-kind='errors']").await;
            let want_errors = match errors {
                0 => format!("Errors: none of the {n} entries is at ERROR or above"),
                k => format!("Errors: {k} of {n} at ERROR or above"),
            };
            assert!(
                errors_text.starts_with(&want_errors),
                "{errors_text} vs {want_errors}"
            );
            page.screenshot("correlation").await;
            page.assert_no_console_errors("with the quick actions")
                .await;
        },
    );
}

/// Records in the page every WebSocket URL it opens from now on and counts the
/// messages they bring (`window.__ws`): what the server sent, before the page's own
/// de-duplication by key.
const RECORD_SOCKETS: &str = r#"
const rec = { urls: [], messages: 0 };
window.__ws = rec;
const Plain = window.WebSocket;
window.WebSocket = class extends Plain {
  constructor(url, protocols) {
    super(url, protocols);
    rec.urls.push(String(url));
    this.addEventListener('message', () => { rec.messages += 1; });
  }
};
return true;
"#;

/// The `after` parameter of each stream URL the page opened since `RECORD_SOCKETS`.
async fn afters(page: &Page) -> Vec<Option<String>> {
    let urls = page.js("return window.__ws.urls").await;
    let urls: Vec<String> = serde_json::from_value(urls).expect("urls");
    urls.iter()
        .map(|u| {
            url::Url::parse(u)
                .expect("a URL")
                .query_pairs()
                .find(|(k, _)| k == "after")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

/// The connection drops mid-stream (the server is killed while lines are written, and
/// started again): the page reconnects with `after=` the id of the last entry it
/// showed and shows every line once, in order; the server sent each once. An entry
/// whose id the server cannot resolve (two entries share it) makes the page resume
/// after its stream cursor instead.
#[test]
fn a_dropped_stream_resumes_after_the_last_entry_id() {
    const N: usize = 3000;
    let dir = Dir::new();
    let input = recent_logs(&dir, "app.jsonl");
    let (dir, input) = (&dir, &input);
    with_browser(
        "a_dropped_stream_resumes",
        dir,
        &[input],
        move |page| async move {
            page.open("").await;
            page.wait_live().await;
            page.js(RECORD_SOCKETS).await;
            // A search reconnects the stream: through the recorder from now on.
            page.search("").await;
            page.wait_live().await;

            // N lines without an own id (their id is FILE:LINE), 50 every 50 ms; the
            // server is killed mid-way and started again a second later.
            let base = now_ns();
            let path = input.to_path_buf();
            let writer = std::thread::spawn(move || {
                for batch in 0..N / 50 {
                    let mut bytes = String::new();
                    for i in batch * 50..(batch + 1) * 50 {
                        let line = json!({"timestamp": iso(base + i as i64 * 1_000),
                            "level": "INFO", "service": "covet-api",
                            "message": format!("reconnect row {i}")});
                        bytes.push_str(&format!("{line}\n"));
                    }
                    append(&path, bytes.as_bytes());
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
            // Killed once the page has some of the lines (the writer takes 3 s).
            page.wait_until("the first lines", "return window.__ws.messages >= 200")
                .await;
            let shown_before = page.js("return window.__ws.messages").await;
            page.server.stop();
            tokio::time::sleep(Duration::from_millis(1000)).await;
            page.server.start_again();
            writer.join().expect("writer");
            let truth = cli_ids(dir, &[""], input);
            assert_eq!(truth.len(), 1200 + N, "the CLI's count");
            let newest = truth[0].clone();
            wait_long(
                &page,
                "the last line",
                &format!(
                    "const li = document.querySelector('#stream-list > li'); return li && li.dataset.id === {}",
                    json!(newest)
                ),
                Duration::from_secs(60),
            )
            .await;
            assert!(
                shown_before.as_u64().is_some_and(|n| n > 0 && n < N as u64),
                "the server was killed mid-stream ({shown_before} of {N} lines sent)"
            );
            assert_eq!(
                page.js("return window.__ws.messages").await,
                json!(N),
                "the server sent each line once across the reconnect"
            );
            let shown = page.shown_ids().await;
            assert_eq!(
                shown,
                truth[..N + 50].to_vec(),
                "every line once, newest first, above the page of 50"
            );
            // The reconnect resumed after an entry id (FILE:LINE), not a cursor.
            let after = afters(&page).await;
            let resumed: Vec<&String> = after.iter().flatten().collect();
            assert!(!resumed.is_empty(), "no reconnect with after: {after:?}");
            for a in &resumed {
                assert!(
                    !a.starts_with("w1.") && truth[..N].contains(*a),
                    "after={a} is not one of the lines' ids"
                );
            }

            // Two entries share an own id: the server cannot resume after it (404),
            // so the page resumes after the last one's stream cursor.
            let dup = |msg: &str| {
                format!(
                    "{}\n",
                    json!({"id": "dup-1", "timestamp": iso(now_ns()), "level": "WARN",
                        "service": "covet-api", "message": msg})
                )
            };
            append(input, (dup("first dup") + &dup("second dup")).as_bytes());
            wait_long(
                &page,
                "both lines with one id",
                &format!("return window.__ws.messages === {}", N + 2),
                Duration::from_secs(20),
            )
            .await;
            let before = after.len();
            page.server.stop();
            page.wait_until(
                "the stream to drop",
                "return document.body.dataset.live === 'off'",
            )
            .await;
            let line = json!({"timestamp": iso(now_ns()), "level": "INFO",
                "service": "covet-api", "message": "after the shared id"});
            append(input, format!("{line}\n").as_bytes());
            page.server.start_again();
            let truth = cli_ids(dir, &[""], input);
            wait_long(
                &page,
                "the line after the shared id",
                &format!(
                    "const li = document.querySelector('#stream-list > li'); return li && li.dataset.id === {}",
                    json!(truth[0])
                ),
                Duration::from_secs(60),
            )
            .await;
            assert_eq!(
                page.js("return window.__ws.messages").await,
                json!(N + 3),
                "the line after the shared id sent once"
            );
            let after = afters(&page).await;
            let tried: Vec<&str> = after[before..]
                .iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let last = tried.last().copied().unwrap_or_default();
            assert!(
                tried.contains(&"dup-1") && last.starts_with("w1."),
                "the id first, then the cursor: {tried:?}"
            );
            assert_eq!(page.shown_ids().await, truth[..N + 53].to_vec());
        },
    );
}
