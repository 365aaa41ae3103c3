//! `covet-logs serve`: the real binary on an ephemeral loopback port, over generated
//! data. Every endpoint's answer is compared with the CLI command it mirrors run on the
//! same files (search, stats, export, fields, context, filters, suggest); errors have
//! the `{error, detail, position}` shape and their status; the token is required off
//! loopback and enforced; a hostile line comes back inert; the WebSocket delivers an
//! appended line within a second, closes a slow client with 4008, and resumes with
//! `after` losing and repeating nothing: from the shared ring when the cursor is in it
//! (shown by changing or deleting the file under it), from the files when it is older
//! (rendered as `search --json` renders them), then back on the shared live stream.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use covet_gen::GenFormat;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, Message};

use crate::util::{self, gen_cfg, Dir};

/// A running `covet-logs serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    token: Option<String>,
}

impl Server {
    /// Starts `serve ARGS` in `dir` (the test environment of `Dir::command`) and
    /// reads the bound address from its stderr.
    fn start(dir: &Dir, args: &[&str]) -> Server {
        Server::start_env(dir, args, &[])
    }

    fn start_env(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("covet-logs"));
        cmd.current_dir(dir.path())
            .arg("serve")
            .arg("--addr")
            .arg("127.0.0.1:0")
            .args(args)
            .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
            .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
            .env("COVET_LOGS_NO_HISTORY", "1")
            .env_remove("COVET_LOGS_PATH")
            .env_remove("COVET_LOGS_TOKEN")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let first = lines.next().expect("a line").expect("stderr line");
        let addr = first
            .split("http://")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .trim_end_matches('/')
            .to_string();
        // Keep draining stderr so the server never blocks on it; shown when a test
        // fails (the harness captures what this thread prints for the test).
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                eprintln!("serve: {line}");
            }
        });
        let token = env
            .iter()
            .find(|(k, _)| *k == "COVET_LOGS_TOKEN")
            .map(|(_, v)| v.to_string());
        Server {
            child,
            base: format!("http://{addr}"),
            token,
        }
    }

    fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into()
    }

    /// `GET path`: the status, the content type and the body.
    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut req = Server::agent().get(format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let res = req.call().expect("GET");
        Server::read(res)
    }

    fn get_json(&self, path: &str) -> (u16, Value) {
        let (status, ctype, body) = self.get(path);
        assert!(ctype.starts_with("application/json"), "{path}: {ctype}");
        let v = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&body)));
        (status, v)
    }

    fn send(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let agent = Server::agent();
        let res = match method {
            "POST" => agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body),
            _ => agent.delete(&url).call(),
        }
        .expect("request");
        let (status, _, body) = Server::read(res);
        let v = match body.is_empty() {
            true => Value::Null,
            false => serde_json::from_slice(&body).expect("JSON body"),
        };
        (status, v)
    }

    fn read(mut res: ureq::http::Response<ureq::Body>) -> (u16, String, Vec<u8>) {
        let status = res.status().as_u16();
        let ctype = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = res
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .expect("body");
        (status, ctype, body)
    }

    /// Opens `/ws/logs?QUERY` as `ws` does, with a small fixed receive buffer (no
    /// autotuning), so a client that stops reading holds the server back soon.
    fn ws_slow(&self, query: &str) -> Ws {
        let ws = self.ws(query);
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.socket.get_ref() {
            use std::os::fd::AsRawFd;
            let size: libc::c_int = 64 << 10;
            // SAFETY: a valid socket descriptor and a c_int option of its size.
            let rc = unsafe {
                libc::setsockopt(
                    s.as_raw_fd(),
                    libc::SOL_SOCKET,
                    libc::SO_RCVBUF,
                    (&size as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            assert_eq!(rc, 0, "SO_RCVBUF");
        }
        ws
    }

    /// Opens `/ws/logs?QUERY` (with the token as a subprotocol when set).
    fn ws(&self, query: &str) -> Ws {
        let url = format!("ws://{}/ws/logs?{query}", self.addr());
        let mut req = url.into_client_request().expect("ws request");
        let protocols = match &self.token {
            Some(t) => format!("covet-logs, token.{t}"),
            None => "covet-logs".to_string(),
        };
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", protocols.parse().expect("header"));
        let (socket, _) = tungstenite::connect(req).expect("ws connect");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(20)))
                .expect("timeout");
        }
        Ws { socket }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Ws {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
}

/// What the next read of a socket gave.
enum Got {
    Entry(Value),
    Closed(Option<u16>),
}

impl Ws {
    fn next(&mut self) -> Got {
        loop {
            match self.socket.read() {
                Ok(Message::Text(t)) => {
                    return Got::Entry(serde_json::from_str(t.as_str()).expect("entry JSON"))
                }
                Ok(Message::Close(frame)) => return Got::Closed(frame.map(|f| f.code.into())),
                Ok(_) => continue,
                Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                    return Got::Closed(None)
                }
                Err(e) => panic!("ws read: {e}"),
            }
        }
    }

    fn entry(&mut self) -> Value {
        match self.next() {
            Got::Entry(v) => v,
            Got::Closed(code) => panic!("closed ({code:?}) instead of an entry"),
        }
    }
}

/// Two generated JSON files (several inputs: merged by time) in a directory.
fn two_files() -> Dir {
    let dir = Dir::new();
    dir.create_gen("a.jsonl", &gen_cfg(1500, 21, GenFormat::Json));
    dir.create_gen("b.log", &gen_cfg(900, 22, GenFormat::Text));
    dir
}

fn ids(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

/// An entry without the API's own `cursor`: the object `search --json` prints.
fn without_cursor(e: &Value) -> Value {
    let mut e = e.clone();
    e.as_object_mut().expect("object").remove("cursor");
    e
}

#[test]
fn search_pages_are_search_newest_first() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl", "b.log"]);
    for q in ["level:>=WARN", "", "service:covet-db timeout"] {
        let cli = dir
            .command()
            .args([
                "search",
                "--json",
                "--newest-first",
                "-q",
                q,
                "a.jsonl",
                "b.log",
            ])
            .run();
        let want: Vec<Value> = cli.json_lines().into_iter().map(Value::Object).collect();
        assert!(!want.is_empty(), "{q}: the CLI found nothing");
        let mut got = Vec::new();
        let mut cursor = String::new();
        loop {
            let path = format!("/api/v1/logs/search?q={}&limit=97{cursor}", urlencode(q));
            let (status, page) = server.get_json(&path);
            assert_eq!(status, 200, "{page}");
            assert_eq!(page["total"], json!(want.len()), "{q}");
            assert!(page["tookMs"].is_u64());
            let entries = page["entries"].as_array().expect("entries").clone();
            assert!(entries.len() <= 97);
            got.extend(entries);
            match page["nextCursor"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(ids(&got), ids(&want), "{q}: ids in order");
        let plain: Vec<Value> = got.iter().map(without_cursor).collect();
        assert_eq!(plain, want, "{q}: entries equal `search --json`");
    }
    // The level/service params are the CLI flags.
    let cli = dir
        .command()
        .args([
            "search",
            "-c",
            "-q",
            "",
            "--level",
            "ERROR",
            "--service",
            "covet-db",
            "a.jsonl",
            "b.log",
        ])
        .run();
    let (_, page) = server.get_json("/api/v1/logs/search?level=ERROR&service=covet-db&limit=1");
    assert_eq!(page["total"], json!(cli.count()));
}

/// Different searches sent at once share scans (one pass tests each entry with each
/// query); each still answers exactly what `search --json --newest-first` prints for
/// its own query, page by page.
#[test]
fn different_concurrent_searches_each_answer_their_own_query() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl", "b.log"]);
    let queries = [
        "level:>=WARN",
        "",
        "service:covet-db timeout",
        "level:ERROR",
        "timeout OR refused",
        "-level:INFO",
        "service:covet-api",
        "\"connection refused\"",
        "level:DEBUG cache",
        "user_id:user_4*",
        "no_entry_has_this_word",
        "level:WARN -service:covet-db",
    ];
    let want: Vec<Vec<Value>> = queries
        .iter()
        .map(|q| {
            let cli = dir
                .command()
                .args(["search", "--json", "--newest-first"])
                .arg(format!("--query={q}"))
                .args(["a.jsonl", "b.log"])
                .run();
            cli.json_lines().into_iter().map(Value::Object).collect()
        })
        .collect();
    assert!(
        want.iter().filter(|w| w.len() > 40).count() >= 6,
        "most queries match pages"
    );
    assert!(want[10].is_empty());
    // Two rounds at once: every first page, then every second page by its cursor (a
    // query with one page asks for it again).
    let mut cursors: Vec<String> = vec![String::new(); queries.len()];
    let mut starts = vec![0usize; queries.len()];
    for round in 0..2 {
        let pages: Vec<Value> = std::thread::scope(|s| {
            let handles: Vec<_> = queries
                .iter()
                .zip(&cursors)
                .map(|(q, c)| {
                    let server = &server;
                    s.spawn(move || {
                        let path = format!("/api/v1/logs/search?q={}&limit=40{c}", urlencode(q));
                        let (status, page) = server.get_json(&path);
                        assert_eq!(status, 200, "{q}: {page}");
                        page
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("search"))
                .collect()
        });
        for (i, page) in pages.iter().enumerate() {
            let q = queries[i];
            assert_eq!(page["total"], json!(want[i].len()), "{q}: total");
            let from = starts[i];
            let to = (from + 40).min(want[i].len());
            let got: Vec<Value> = page["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .map(without_cursor)
                .collect();
            assert_eq!(got, want[i][from..to], "{q}: page {round}");
            assert_eq!(page["nextCursor"].is_string(), to < want[i].len(), "{q}");
            (cursors[i], starts[i]) = match page["nextCursor"].as_str() {
                Some(c) => (format!("&cursor={c}"), to),
                None => (String::new(), 0),
            };
        }
    }
}

#[test]
fn structured_filters_are_the_query_they_translate_to() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl", "b.log"]);
    let filters = r#"[{"field":"level","operator":"equals","value":"ERROR","label":"e"},{"field":"duration_ms","operator":"range","value":{"min":100,"max":5000}},{"field":"error","operator":"exists"}]"#;
    let cli = dir
        .command()
        .args([
            "search",
            "-c",
            r#"(service:covet-*) level:"ERROR" duration_ms:100..5000 error:*"#,
            "a.jsonl",
            "b.log",
        ])
        .run();
    let (status, page) = server.get_json(&format!(
        "/api/v1/logs/search?q={}&filters={}&limit=1",
        urlencode("service:covet-*"),
        urlencode(filters)
    ));
    assert_eq!(status, 200, "{page}");
    assert!(cli.count() > 0);
    assert_eq!(page["total"], json!(cli.count()));
}

#[test]
fn analytics_and_insights_are_stats_json() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl", "b.log"]);
    for q in ["", "service:covet-api"] {
        let cli = dir
            .command()
            .args(["stats", "--json", "-q", q, "a.jsonl", "b.log"])
            .run();
        let want: Value = serde_json::from_slice(&cli.stdout).expect("stats JSON");
        let (status, got) = server.get_json(&format!("/api/v1/logs/analytics?q={}", urlencode(q)));
        assert_eq!(status, 200);
        assert_eq!(got, want, "{q}");
        let (_, ins) = server.get_json(&format!("/api/v1/logs/insights?q={}", urlencode(q)));
        assert_eq!(ins, json!({ "insights": want["insights"] }));
    }
}

#[test]
fn export_bytes_are_the_cli_export() {
    let dir = Dir::new();
    // A cell that a spreadsheet would run: neutralized by both.
    let mut bytes = util::gen_bytes(&gen_cfg(1200, 31, GenFormat::Json));
    bytes.extend_from_slice(
        br#"{"timestamp":"2024-01-15T01:00:00Z","level":"ERROR","service":"=cmd|' /C calc'!A0","message":"@SUM(1+1)"}"#,
    );
    bytes.push(b'\n');
    dir.create("a.jsonl", &bytes);
    let server = Server::start(&dir, &["a.jsonl"]);
    for (format, ctype) in [
        ("csv", "text/csv"),
        ("ndjson", "application/x-ndjson"),
        ("json", "application/json"),
        ("txt", "text/plain"),
    ] {
        let cli = dir
            .command()
            .args([
                "export",
                "--format",
                format,
                "-q",
                "level:>=WARN",
                "a.jsonl",
            ])
            .run();
        cli.expect_code(0);
        let (status, got_type, body) = server.get(&format!(
            "/api/v1/logs/export?format={format}&q=level:%3E%3DWARN"
        ));
        assert_eq!(status, 200);
        assert!(got_type.starts_with(ctype), "{format}: {got_type}");
        util::assert_text_eq(format, &cli.stdout, &body);
    }
    // Compressed as a browser asks for it: the same bytes once decoded.
    let cli = dir
        .command()
        .args(["export", "--format", "csv", "-q", "level:>=WARN", "a.jsonl"])
        .run();
    let res = Server::agent()
        .get(format!(
            "{}/api/v1/logs/export?format=csv&q=level:%3E%3DWARN",
            server.base
        ))
        .header("Accept-Encoding", "gzip")
        .call()
        .expect("GET gzip");
    let encoding = res
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (status, _, gz) = Server::read(res);
    assert_eq!((status, encoding.as_str()), (200, "gzip"));
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
        .expect("a whole gzip stream");
    util::assert_text_eq("csv gzip", &cli.stdout, &plain);
    let (_, _, csv) = server.get("/api/v1/logs/export?format=csv&q=level:ERROR");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(
        csv.contains("'=cmd|") && csv.contains("'@SUM"),
        "neutralized"
    );
}

#[test]
fn fields_suggest_and_context_are_the_cli() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl", "b.log"]);
    let cli = dir
        .command()
        .args(["fields", "--json", "a.jsonl", "b.log"])
        .run();
    let want: Value = serde_json::from_slice(&cli.stdout).expect("fields JSON");
    assert_eq!(server.get_json("/api/v1/logs/fields").1, want);

    let cli = dir
        .command()
        .args([
            "suggest",
            "--path",
            "a.jsonl",
            "--path",
            "b.log",
            "service:covet-",
        ])
        .run();
    let want: Vec<&str> = std::str::from_utf8(&cli.stdout)
        .expect("utf-8")
        .lines()
        .collect();
    assert!(!want.is_empty());
    let (_, got) = server.get_json("/api/v1/logs/suggest?q=service%3Acovet-");
    assert_eq!(got["suggestions"], json!(want));
    let (_, got) = server.get_json("/api/v1/logs/suggest?q=er");
    assert_eq!(got["filters"], json!(["errors"]));

    // The context of an entry found by search, by its permalink.
    let (_, page) = server.get_json("/api/v1/logs/search?q=level:ERROR&limit=1");
    let id = page["entries"][0]["id"].as_str().expect("id").to_string();
    let cli = dir
        .command()
        .args([
            "context", "--json", "--window", "1m", "--", &id, "a.jsonl", "b.log",
        ])
        .run();
    let want: Value = serde_json::from_slice(&cli.stdout).expect("context JSON");
    let (status, got) =
        server.get_json(&format!("/api/v1/logs/{}/context?range=1m", urlencode(&id)));
    assert_eq!(status, 200, "{got}");
    for key in ["selected", "by", "key", "timeline"] {
        assert_eq!(got[key], want[key], "{key}");
    }
    let related = got["relatedLogs"].as_array().expect("relatedLogs");
    assert_eq!(
        related.len() + 1,
        want["timeline"].as_array().expect("timeline").len()
    );

    // Unknown ids and files that are not served are 404s; no request names a path.
    dir.create(
        "secret.log",
        "{\"level\":\"INFO\",\"message\":\"secret\"}\n",
    );
    for bad in [
        "no-such-id",
        "secret.log:1",
        "/etc/passwd:1",
        "secret.log@0",
    ] {
        let (status, err) = server.get_json(&format!("/api/v1/logs/{}/context", urlencode(bad)));
        assert_eq!(status, 404, "{bad}: {err}");
        assert_eq!(err["error"], "not_found");
    }
    let (status, err) = server.get_json(&format!("/api/v1/logs/{}/context?mode=x", urlencode(&id)));
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("bad_parameter"))
    );
}

#[test]
fn filters_are_shared_with_the_cli() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl"]);
    let body = r#"{"name":"db-errors","query":"service:covet-db","filters":[{"field":"level","operator":"equals","value":"ERROR","label":"Errors"}],"since":"2h"}"#;
    let (status, saved) = server.send("POST", "/api/v1/logs/filters", body);
    assert_eq!(status, 201, "{saved}");
    assert_eq!(saved["query"], r#"(service:covet-db) level:"ERROR""#);
    let listed = dir.command().args(["filters", "list", "--json"]).run();
    let cli: Vec<Value> = listed.json_lines().into_iter().map(Value::Object).collect();
    assert!(cli.contains(&saved), "{cli:?}");

    dir.command()
        .args([
            "filters",
            "save",
            "slowdb",
            "service:covet-db duration_ms:>500",
        ])
        .run()
        .expect_code(0);
    let (_, got) = server.get_json("/api/v1/logs/filters");
    let listed = dir.command().args(["filters", "list", "--json"]).run();
    let cli: Vec<Value> = listed.json_lines().into_iter().map(Value::Object).collect();
    assert_eq!(got["filters"], json!(cli));

    // A saved filter works as `filter=` exactly as `--filter`.
    let count = dir
        .command()
        .args(["search", "-c", "-q", "", "--filter", "slowdb", "a.jsonl"])
        .run()
        .count();
    let (_, page) = server.get_json("/api/v1/logs/search?filter=slowdb&limit=1");
    assert_eq!(page["total"], json!(count));

    let (status, err) = server.send("POST", "/api/v1/logs/filters", body);
    assert_eq!((status, err["error"].as_str()), (409, Some("exists")));
    let (status, err) = server.send(
        "POST",
        "/api/v1/logs/filters",
        r#"{"name":"bad","query":"a AND (b"}"#,
    );
    assert_eq!((status, err["error"].as_str()), (400, Some("bad_query")));
    assert_eq!(err["position"], 8);
    let (status, _) = server.send(
        "POST",
        "/api/v1/logs/filters",
        r#"{"name":"-x","query":"a"}"#,
    );
    assert_eq!(status, 400);
    let (status, _) = server.send(
        "POST",
        "/api/v1/logs/filters",
        r#"{"name":"x","filters":[{"field":"a","operator":"like","value":1}]}"#,
    );
    assert_eq!(status, 400);

    let (status, _) = server.send("DELETE", "/api/v1/logs/filters/db-errors", "");
    assert_eq!(status, 204);
    let listed = dir.command().args(["filters", "list", "--json"]).run();
    assert!(!String::from_utf8_lossy(&listed.stdout).contains("db-errors"));
    let (status, err) = server.send("DELETE", "/api/v1/logs/filters/db-errors", "");
    assert_eq!((status, err["error"].as_str()), (404, Some("not_found")));
    let (status, _) = server.send("DELETE", "/api/v1/logs/filters/errors", "");
    assert_eq!(status, 409);
}

#[test]
fn errors_have_one_shape_and_their_status() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl"]);
    let cases: [(&str, u16, &str); 8] = [
        ("/api/v1/logs/search?q=a%20AND%20(b", 400, "bad_query"),
        ("/api/v1/logs/search?limit=0", 400, "bad_parameter"),
        ("/api/v1/logs/search?limit=abc", 400, "bad_parameter"),
        ("/api/v1/logs/search?cursor=zzz", 400, "bad_cursor"),
        (
            "/api/v1/logs/search?since=yesterdayish",
            400,
            "bad_parameter",
        ),
        ("/api/v1/logs/export?format=xls", 400, "bad_parameter"),
        ("/api/v1/nothing", 404, "not_found"),
        (
            "/api/v1/logs/analytics?q=level:%3E%3DNOPE",
            400,
            "bad_query",
        ),
    ];
    for (path, status, code) in cases {
        let (got, err) = server.get_json(path);
        assert_eq!(
            (got, err["error"].as_str()),
            (status, Some(code)),
            "{path}: {err}"
        );
        assert!(err["detail"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(err.get("position").is_some());
    }
    // The caret position is the CLI's.
    let (_, err) = server.get_json("/api/v1/logs/search?q=a%20AND%20(b");
    assert_eq!(err["position"], 8);
    let long = "a".repeat(5000);
    let (status, err) = server.get_json(&format!("/api/v1/logs/search?q={long}"));
    assert_eq!((status, err["error"].as_str()), (414, Some("uri_too_long")));
    let (status, _, _) = server.get(&format!("/api/v1/logs/search?q={}", "a".repeat(9000)));
    assert_eq!(status, 414);
    let (status, err) = server.send("POST", "/api/v1/logs/filters", &"x".repeat(70_000));
    assert_eq!((status, err["error"].as_str()), (413, Some("too_large")));
}

#[test]
fn security_headers_and_no_cors() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl"]);
    for path in ["/", "/api/v1/health", "/api/v1/logs/search"] {
        let res = Server::agent()
            .get(format!("{}{path}", server.base))
            .header("Origin", "http://evil.example")
            .call()
            .expect("GET");
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.get("access-control-allow-origin").is_none(), "{path}");
    }
    // A cross-site page cannot open the stream.
    let url = format!("ws://{}/ws/logs", server.addr());
    let mut req = url.into_client_request().expect("request");
    req.headers_mut()
        .insert("Origin", "http://evil.example".parse().expect("origin"));
    match tungstenite::connect(req) {
        Err(tungstenite::Error::Http(res)) => assert_eq!(res.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_token_is_required_off_loopback_and_enforced() {
    let dir = two_files();
    let out = dir
        .command()
        .args(["serve", "--addr", "0.0.0.0:0", "a.jsonl"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: --addr 0.0.0.0:0: a token is required off loopback (--token-file or COVET_LOGS_TOKEN)\n"
    );
    dir.create("short", "abc\n");
    let out = dir
        .command()
        .args([
            "serve",
            "--addr",
            "0.0.0.0:0",
            "--token-file",
            "short",
            "a.jsonl",
        ])
        .run();
    out.expect_code(2);
    assert!(
        out.stderr
            .starts_with("covet-logs: short: the token must be at least 16"),
        "{}",
        out.stderr
    );

    let token = "s3cret-token-0123456789";
    let server = Server::start_env(&dir, &["a.jsonl"], &[("COVET_LOGS_TOKEN", token)]);
    let agent = Server::agent();
    let url = |p: &str| format!("{}{p}", server.base);
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.expect("req").status().as_u16()
    };
    assert_eq!(status(agent.get(url("/api/v1/logs/search")).call()), 401);
    let wrong = agent
        .get(url("/api/v1/logs/search"))
        .header("Authorization", "Bearer s3cret-token-0123456780")
        .call();
    assert_eq!(status(wrong), 401);
    assert_eq!(status(agent.get(url("/api/v1/health")).call()), 200);
    assert_eq!(status(agent.get(url("/")).call()), 200);
    assert_eq!(server.get("/api/v1/logs/search").0, 200);
    // The WebSocket: refused without the token, open with it as a subprotocol.
    let req = format!("ws://{}/ws/logs", server.addr())
        .into_client_request()
        .expect("request");
    match tungstenite::connect(req) {
        Err(tungstenite::Error::Http(res)) => assert_eq!(res.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    let _open = server.ws("");
}

#[test]
fn a_hostile_line_comes_back_inert() {
    let dir = Dir::new();
    let hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) \u{1b}[2J\u{1b}]0;owned\u{7}";
    let line = json!({"timestamp":"2024-01-15T10:00:00Z","level":"ERROR","service":"<b>svc</b>","message":hostile});
    dir.create("h.jsonl", format!("{line}\n"));
    let server = Server::start(&dir, &["h.jsonl"]);
    for path in [
        "/api/v1/logs/search",
        "/api/v1/logs/analytics",
        "/api/v1/logs/fields",
        "/api/v1/logs/h.jsonl%3A1/context",
    ] {
        let (status, ctype, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(ctype.starts_with("application/json"), "{path}");
        assert!(
            !body
                .iter()
                .any(|&b| b == b'<' || b == b'>' || b < 0x20 && b != b'\n'),
            "{path}: raw markup or control bytes: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let (_, page) = server.get_json("/api/v1/logs/search");
    assert_eq!(
        page["entries"][0]["message"], hostile,
        "the text itself is kept"
    );
    // Exports are the CLI's bytes (downloads, with nosniff): JSON escapes the control
    // characters, and the text formats are escaped as the terminal view is.
    for format in ["json", "ndjson", "txt"] {
        let (_, _, body) = server.get(&format!("/api/v1/logs/export?format={format}"));
        assert!(
            !body.iter().any(|&b| b < 0x20 && b != b'\n'),
            "{format}: raw control bytes: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // The stream too.
    let mut ws = server.ws("");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("h.jsonl"))
        .expect("open");
    writeln!(f, "{line}").expect("append");
    let entry = ws.entry();
    assert_eq!(entry["message"], hostile);
}

#[test]
fn an_appended_line_arrives_within_a_second() {
    let dir = two_files();
    let server = Server::start(&dir, &["a.jsonl"]);
    let mut ws = server.ws("search=service%3Alive-test");
    std::thread::sleep(Duration::from_millis(300));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("a.jsonl"))
        .expect("open");
    writeln!(f, r#"{{"timestamp":"2024-01-16T00:00:00Z","level":"INFO","service":"other","message":"not me"}}"#).expect("append");
    let written = Instant::now();
    writeln!(f, r#"{{"timestamp":"2024-01-16T00:00:01Z","level":"WARN","service":"live-test","message":"appended"}}"#).expect("append");
    let entry = ws.entry();
    let took = written.elapsed();
    assert_eq!(entry["message"], "appended");
    assert_eq!(entry["service"], "live-test");
    assert!(entry["cursor"]
        .as_str()
        .is_some_and(|c| c.starts_with("w1.")));
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

/// A served directory its service has not written to yet is served as empty (not an
/// error), and its first log file is searched as soon as it is there.
#[test]
fn an_empty_served_directory_answers_empty_until_a_log_appears() {
    let dir = Dir::new();
    std::fs::create_dir_all(dir.join("logs")).expect("mkdir");
    let server = Server::start(&dir, &["logs"]);
    let (status, body) = server.get_json("/api/v1/logs/search?q=");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 0);
    assert_eq!(body["entries"], serde_json::json!([]));
    let (status, body) = server.get_json("/api/v1/logs/fields");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["entries"], 0);
    // Analytics, insights and export answer what the CLI answers for an empty log file.
    dir.create("empty.log", "");
    let stats = dir.command().args(["stats", "--json", "empty.log"]).run();
    stats.expect_code(0);
    let want: Value = serde_json::from_slice(&stats.stdout).expect("stats JSON");
    assert_eq!(
        (&want["totalLogs"], &want["insights"]),
        (&json!(0), &json!([]))
    );
    let (status, body) = server.get_json("/api/v1/logs/analytics");
    assert_eq!((status, &body), (200, &want));
    let (status, body) = server.get_json("/api/v1/logs/insights?q=level%3AERROR");
    assert_eq!((status, body), (200, json!({ "insights": [] })));
    let header = "id,timestamp,level,service,source,message,traceId,spanId,userId,requestId,tags,file,line\n";
    for (format, empty) in [
        ("csv", header),
        ("json", "[\n]\n"),
        ("ndjson", ""),
        ("txt", ""),
    ] {
        let cli = dir
            .command()
            .args(["export", "--format", format, "empty.log"])
            .run();
        cli.expect_code(1); // nothing matched
        util::assert_text_eq(format, empty.as_bytes(), &cli.stdout);
        let (status, _, body) = server.get(&format!("/api/v1/logs/export?format={format}"));
        assert_eq!(status, 200, "{format}");
        util::assert_text_eq(format, &cli.stdout, &body);
    }
    std::fs::write(
        dir.join("logs/app.log"),
        "{\"timestamp\":\"2024-01-16T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"first\"}\n",
    )
    .expect("write");
    let (status, body) = server.get_json("/api/v1/logs/search?q=level%3AERROR");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 1);
    assert_eq!(body["entries"][0]["message"], "first");
    assert_eq!(body["entries"][0]["id"], "logs/app.log:1");
}

/// Reads entries until the socket closes; returns them and the close code.
fn drain(ws: &mut Ws, max: usize) -> (Vec<Value>, Option<u16>) {
    let mut got = Vec::new();
    while got.len() < max {
        match ws.next() {
            Got::Entry(v) => got.push(v),
            Got::Closed(code) => return (got, code),
        }
    }
    (got, None)
}

/// Entries a client at full speed has when a slow one (64 KiB socket) reading the same
/// stream has been passed by: what the slow one's socket buffers hold (about 16,400 of
/// the tests' entries: the server's send buffer grows to 4 MiB) and its queue of 4,096
/// have been read or rendered by then.
const PASSED: usize = 24_000;
/// How long the slow client then still reads nothing: more than the 2 s a full queue
/// may wait (the server closes it while its send is pending, or at its next read once
/// it reads again, at most 4,096 further on), and well within the 30 s its close frame
/// may wait behind what the socket holds.
const STALLED: Duration = Duration::from_secs(3);

#[test]
fn a_slow_client_is_closed_and_resumes_with_after_losing_nothing() {
    const N: usize = 100_000;
    let dir = Dir::new();
    dir.create_gen("big.jsonl", &gen_cfg(N, 41, GenFormat::Json));
    let server = Server::start(&dir, &["big.jsonl"]);
    let meta = std::fs::metadata(dir.join("big.jsonl")).expect("stat");
    let start = {
        use std::os::unix::fs::MetadataExt;
        format!("w1.{}-{}-0", meta.dev(), meta.ino())
    };
    // A client that stops reading (longer than the 2 s a full queue waits) is closed;
    // the close frame waits behind what its socket holds (up to 30 s from the close).
    let mut ws = server.ws_slow(&format!("after={start}"));
    // A client reading at full speed from the same point paces the wait: once it has
    // `PASSED` entries, the slow one's reader (no slower) has filled its socket and
    // queue, however fast this machine is.
    let mut pacer = server.ws(&format!("after={start}"));
    let (paced, _) = drain(&mut pacer, PASSED);
    let log_ids = |n: usize| (1..=n).map(|i| format!("log_{i:010}")).collect::<Vec<_>>();
    assert_eq!(ids(&paced), log_ids(PASSED), "the pacer's entries");
    drop(pacer);
    std::thread::sleep(STALLED);
    let (mut got, code) = drain(&mut ws, N);
    assert_eq!(
        code,
        Some(4008),
        "closed for overflow after {} entries",
        got.len()
    );
    assert!(got.len() < N, "the overflow dropped the rest");
    // Resume (twice more, the second after a drop mid-stream) from the last cursor.
    let mut reconnects = 0;
    while got.len() < N {
        let after = got.last().map_or(start.clone(), |e| {
            e["cursor"].as_str().expect("cursor").to_string()
        });
        let mut ws = server.ws(&format!("after={}", urlencode(&after)));
        let want = N - got.len();
        let (more, _) = drain(
            &mut ws,
            if reconnects == 0 {
                want.min(30_000)
            } else {
                want
            },
        );
        assert!(!more.is_empty(), "no progress after {} entries", got.len());
        got.extend(more);
        reconnects += 1;
        assert!(reconnects < 20);
    }
    assert_eq!(ids(&got), log_ids(N), "every entry once, in order");
}

/// Percent-encodes a query parameter value.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[test]
fn the_stream_follows_rotation_truncation_and_new_files() {
    let dir = Dir::new();
    let logs = dir.create_dir("logs");
    let line = |msg: &str| {
        format!(
            r#"{{"timestamp":"2024-01-16T00:00:00Z","level":"INFO","service":"svc","message":"{msg}"}}"#
        ) + "\n"
    };
    dir.create("logs/app.log", line("first"));
    let server = Server::start(&dir, &["logs"]);
    let mut ws = server.ws("");
    let append = |name: &str, text: &str| {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(logs.join(name))
            .expect("open");
        f.write_all(text.as_bytes()).expect("append");
    };
    append("app.log", &line("appended"));
    assert_eq!(ws.entry()["message"], "appended");
    // Rotation: renamed away, a new file under the name.
    std::fs::rename(logs.join("app.log"), logs.join("app.log.1")).expect("rotate");
    dir.create(
        "logs/app.log",
        line("after rotation, a longer message than the next one"),
    );
    assert_eq!(
        ws.entry()["message"],
        "after rotation, a longer message than the next one"
    );
    // Truncation in place (copytruncate), then a shorter write.
    std::fs::write(logs.join("app.log"), line("truncated")).expect("truncate");
    assert_eq!(ws.entry()["message"], "truncated");
    // A new file in the served directory.
    append("new.log", &line("new file"));
    let e = ws.entry();
    assert_eq!(e["message"], "new file");
    assert!(
        e["file"].as_str().is_some_and(|f| f.ends_with("new.log")),
        "{e}"
    );
}

/// Reads from `ws` (opened with `query`) until `n` entries in all, reconnecting with
/// the same query and `after` whenever the server closes; the close codes seen and
/// the last socket.
fn collect_all(
    server: &Server,
    query: &str,
    mut ws: Ws,
    got: &mut Vec<Value>,
    n: usize,
) -> (Vec<Option<u16>>, Ws) {
    let mut codes = Vec::new();
    loop {
        let (more, code) = drain(&mut ws, n - got.len());
        got.extend(more);
        if got.len() >= n {
            return (codes, ws);
        }
        codes.push(code);
        assert!(codes.len() < 50, "no end after {} entries", got.len());
        let after = got.last().expect("an entry before the close")["cursor"]
            .as_str()
            .expect("cursor")
            .to_string();
        ws = server.ws(&format!("{query}&after={}", urlencode(&after)));
    }
}

#[test]
fn live_clients_share_a_follower_and_a_lagging_one_resumes() {
    const N: usize = 60_000;
    let dir = Dir::new();
    dir.create("live.jsonl", "");
    let server = Server::start(&dir, &["live.jsonl"]);
    let fast = server.ws("search=service%3Asvc");
    let slow = server.ws_slow("search=service%3Asvc");
    let mut text = String::new();
    for i in 1..=N {
        text.push_str(&format!(
            r#"{{"id":"e{i}","timestamp":"2024-01-16T00:00:00Z","level":"INFO","service":"svc","message":"entry number {i} of the shared stream"}}"#
        ));
        text.push('\n');
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("live.jsonl"))
        .expect("open");
    f.write_all(text.as_bytes()).expect("append");
    let want: Vec<String> = (1..=N).map(|i| format!("e{i}")).collect();
    let reader = std::thread::scope(|s| {
        let (passed, fast_passed) = std::sync::mpsc::channel();
        let server = &server;
        // Moved in, so a panic there drops `passed` and the wait below ends.
        let fast = s.spawn(move || {
            let mut got = Vec::new();
            let (_, ws) = collect_all(server, "search=service%3Asvc", fast, &mut got, PASSED);
            let _ = passed.send(());
            collect_all(server, "search=service%3Asvc", ws, &mut got, N);
            got
        });
        // The slow client reads nothing until the stream has passed it by, and then
        // for longer than a full queue may wait, however fast this machine is.
        let _ = fast_passed.recv();
        std::thread::sleep(STALLED);
        let mut got = Vec::new();
        let (codes, _) = collect_all(server, "search=service%3Asvc", slow, &mut got, N);
        (fast.join().expect("fast client"), got, codes)
    });
    let (fast, slow, codes) = reader;
    assert_eq!(
        ids(&fast),
        want,
        "the fast client: every entry once, in order"
    );
    assert_eq!(ids(&slow), want, "the slow client, across its reconnects");
    assert_eq!(
        codes.first(),
        Some(&Some(4008)),
        "the slow client was closed for overflow"
    );
}

/// Lines `{"id":"e{i}",...,"message":"entry number {i:07} ..."}` for `range`, each
/// the same length for the same width of `i`.
fn numbered(range: std::ops::RangeInclusive<usize>) -> String {
    let mut text = String::new();
    for i in range {
        text.push_str(&format!(
            r#"{{"id":"e{i}","timestamp":"2024-01-16T00:00:00Z","level":"INFO","service":"svc","message":"entry number {i:07} of the stream"}}"#
        ));
        text.push('\n');
    }
    text
}

fn append(path: &std::path::Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open");
    f.write_all(text.as_bytes()).expect("append");
}

/// Rewrites a file's bytes in place, same length (the follower sees no change):
/// "entry number" becomes "ENTRY NUMBER". A resume that read the file would see it.
fn rewrite_in_place(path: &std::path::Path) {
    use std::os::unix::fs::FileExt;
    let old = std::fs::read(path).expect("read");
    let new = String::from_utf8(old.clone())
        .expect("utf-8")
        .replace("entry number", "ENTRY NUMBER");
    assert_eq!(new.len(), old.len());
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    f.write_all_at(new.as_bytes(), 0).expect("rewrite");
}

fn e_ids(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|i| format!("e{i}")).collect()
}

#[test]
fn a_resume_inside_the_ring_replays_it_and_joins_the_live_stream() {
    let dir = Dir::new();
    dir.create("live.jsonl", "");
    let file = dir.join("live.jsonl");
    let server = Server::start(&dir, &["live.jsonl"]);
    let mut a = server.ws("search=service%3Asvc");
    append(&file, &numbered(1..=2000));
    let (got_a, code) = drain(&mut a, 2000);
    assert_eq!(code, None);
    assert_eq!(ids(&got_a), e_ids(1..=2000));
    // The file's bytes change under the stream: only a replay of the ring (not a read
    // of the file) still gives the entries as they were sent.
    rewrite_in_place(&file);
    let after = got_a[499]["cursor"].as_str().expect("cursor");
    let mut b = server.ws(&format!("search=service%3Asvc&after={}", urlencode(after)));
    let (got_b, code) = drain(&mut b, 1500);
    assert_eq!(code, None);
    assert_eq!(ids(&got_b), e_ids(501..=2000));
    assert_eq!(
        got_b.iter().map(without_cursor).collect::<Vec<_>>(),
        got_a[500..].iter().map(without_cursor).collect::<Vec<_>>(),
        "the replay is the messages that were sent, not the file now"
    );
    // Both then follow live: the next entries once, in order.
    append(&file, &numbered(2001..=2100));
    for ws in [&mut a, &mut b] {
        let (live, code) = drain(ws, 100);
        assert_eq!(code, None);
        assert_eq!(ids(&live), e_ids(2001..=2100));
        assert!(live.iter().all(|e| e["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("entry number"))));
    }
}

#[test]
fn a_resume_older_than_the_ring_reads_the_files_then_joins_the_live_stream() {
    let dir = Dir::new();
    dir.create("live.jsonl", numbered(1..=3000));
    let file = dir.join("live.jsonl");
    let server = Server::start(&dir, &["live.jsonl"]);
    // The shared follower starts at the file's end; the ring holds what comes after.
    let mut a = server.ws("search=service%3Asvc");
    append(&file, &numbered(3001..=3500));
    let (got_a, _) = drain(&mut a, 500);
    assert_eq!(ids(&got_a), e_ids(3001..=3500));
    // Six clients resume before the ring, each from its own entry: they are read from
    // the file (four readers at once: the others wait for a slot, which only ends if
    // a caught-up reader hands its client back to the shared stream).
    let text = std::fs::read_to_string(&file).expect("read");
    let end_of = |n: usize| -> usize {
        text.match_indices('\n')
            .nth(n - 1)
            .map_or(0, |(i, _)| i + 1)
    };
    let meta = std::fs::metadata(&file).expect("stat");
    let cursor_at = |n: usize| {
        use std::os::unix::fs::MetadataExt;
        format!(
            "w1.{}-{}-{}",
            meta.dev(),
            meta.ino(),
            if n == 0 { 0 } else { end_of(n) }
        )
    };
    let starts = [0, 1, 1000, 1999, 2999, 3000];
    let mut clients: Vec<Ws> = starts
        .iter()
        .map(|&n| {
            server.ws(&format!(
                "search=service%3Asvc&after={}",
                urlencode(&cursor_at(n))
            ))
        })
        .collect();
    // What `search --json` prints for the file's first 3,000 entries (as they were).
    let cli: Vec<Value> = dir
        .command()
        .args(["search", "--json", "service:svc", "live.jsonl"])
        .run()
        .json_lines()
        .into_iter()
        .map(Value::Object)
        .collect();
    assert_eq!(cli.len(), 3500);
    for (ws, &n) in clients.iter_mut().zip(&starts) {
        let (got, code) = drain(ws, 3500 - n);
        assert_eq!(code, None, "resumed after entry {n}");
        assert_eq!(ids(&got), e_ids(n + 1..=3500), "resumed after entry {n}");
        // The backlog read from the file renders as search does; the rest is the
        // ring's messages, as the live client got them.
        let (backlog, ring) = got.split_at(3000 - n);
        assert_eq!(
            backlog.iter().map(without_cursor).collect::<Vec<_>>(),
            cli[n..3000].to_vec()
        );
        assert_eq!(ring, &got_a[..]);
    }
    append(&file, &numbered(3501..=3600));
    for ws in clients.iter_mut().chain([&mut a]) {
        let (live, code) = drain(ws, 100);
        assert_eq!(code, None);
        assert_eq!(ids(&live), e_ids(3501..=3600));
    }
}

#[test]
fn an_overflowed_client_resumes_from_the_ring_and_rejoins_the_live_stream() {
    const N: usize = 60_000;
    let dir = Dir::new();
    dir.create("live.jsonl", "");
    let file = dir.join("live.jsonl");
    let server = Server::start(&dir, &["live.jsonl"]);
    let q = "search=service%3Asvc";
    let mut fast = server.ws(q);
    let slow = server.ws_slow(q);
    append(&file, &numbered(1..=N));
    let first = fast.entry();
    assert_eq!(first["id"], "e1");
    // The file is deleted once the stream has begun (the follower reads the rest from
    // its open descriptor): a resume that read the files would find nothing, so only
    // a replay of the ring gives the slow client every entry.
    std::fs::remove_file(&file).expect("delete");
    let (fast_got, slow_got, codes, fast, mut slow) = std::thread::scope(|s| {
        let (passed, fast_passed) = std::sync::mpsc::channel();
        let server = &server;
        // Moved in, so a panic there drops `passed` and the wait below ends.
        let fast = s.spawn(move || {
            let mut got = vec![first];
            let (_, ws) = collect_all(server, q, fast, &mut got, PASSED);
            let _ = passed.send(());
            let (_, ws) = collect_all(server, q, ws, &mut got, N);
            (got, ws)
        });
        // The slow client reads nothing until the stream has passed it by, and then
        // for longer than a full queue may wait, with more than 4,096 entries waiting:
        // closed with 4008; it resumes with its last cursor.
        let _ = fast_passed.recv();
        std::thread::sleep(STALLED);
        let mut got = Vec::new();
        let (codes, slow) = collect_all(server, q, slow, &mut got, N);
        let (fast_got, fast) = fast.join().expect("fast client");
        (fast_got, got, codes, fast, slow)
    });
    let mut fast = fast;
    assert_eq!(ids(&fast_got), e_ids(1..=N));
    assert_eq!(codes.first(), Some(&Some(4008)), "closed for overflow");
    assert_eq!(ids(&slow_got), e_ids(1..=N), "every entry once, in order");
    // Then both follow live from the shared follower (the file re-created).
    dir.create("live.jsonl", numbered(N + 1..=N + 200));
    for ws in [&mut fast, &mut slow] {
        let (live, code) = drain(ws, 200);
        assert_eq!(code, None);
        assert_eq!(ids(&live), e_ids(N + 1..=N + 200));
    }
}

#[test]
fn slow_catch_ups_take_turns_with_a_client_waiting_for_one() {
    const N: usize = 40_000;
    let dir = Dir::new();
    dir.create("live.jsonl", numbered(1..=N));
    let server = Server::start(&dir, &["live.jsonl"]);
    let meta = std::fs::metadata(dir.join("live.jsonl")).expect("stat");
    let start = {
        use std::os::unix::fs::MetadataExt;
        format!("w1.{}-{}-0", meta.dev(), meta.ino())
    };
    // The ring starts at the file's end: every client resuming from its start is read
    // from the file, at most four at once.
    let q = format!("search=service%3Asvc&after={}", urlencode(&start));
    let done = std::sync::atomic::AtomicBool::new(false);
    let got = std::thread::scope(|s| {
        // Four clients hold the four catch-up slots and read at about 1,000 entries/s:
        // never stalled long enough to be closed, 40 s or more to read the file.
        for _ in 0..4 {
            let mut ws = server.ws_slow(&q);
            assert_eq!(ws.entry()["id"], "e1");
            let done = &done;
            s.spawn(move || {
                while !done.load(std::sync::atomic::Ordering::SeqCst) {
                    if let Got::Closed(_) = ws.next() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
        }
        // A fifth waits for a slot: a reader whose client's queue is full gives its
        // slot up to it (and queues again), so it gets its first entry within the
        // read timeout, and every entry once, in order, across the turns it takes.
        let mut fast = server.ws(&q);
        let (got, code) = drain(&mut fast, N);
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(code, None);
        got
    });
    assert_eq!(ids(&got), e_ids(1..=N), "every entry once, in order");
}

/// A JSON line timed at second `i` of a day (its own `id` field `ev{i}` when asked).
fn timed(i: usize, own_ids: bool) -> String {
    let id = match own_ids {
        true => format!(r#""id":"ev{i}","#),
        false => String::new(),
    };
    format!(
        r#"{{{id}"timestamp":"2024-01-16T{:02}:{:02}:{:02}Z","level":"INFO","service":"svc","message":"entry {i}"}}"#,
        i / 3600,
        i / 60 % 60,
        i % 60
    ) + "\n"
}

/// Which of the two files entry `i` is written to: every third to `b.jsonl`.
fn file_of(i: usize) -> &'static str {
    if i.is_multiple_of(3) {
        "b.jsonl"
    } else {
        "a.jsonl"
    }
}

/// The messages of `entries` by file, each file's in the order received.
fn by_file(entries: &[Value]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out = std::collections::BTreeMap::<String, Vec<String>>::new();
    for e in entries {
        let file = e["file"].as_str().expect("file").to_string();
        let msg = e["message"].as_str().expect("message").to_string();
        out.entry(file).or_default().push(msg);
    }
    out
}

/// What the test wrote of entries `range`, by file, in the order written.
fn written(
    range: std::ops::RangeInclusive<usize>,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out = std::collections::BTreeMap::<String, Vec<String>>::new();
    for i in range {
        out.entry(file_of(i).to_string())
            .or_default()
            .push(format!("entry {i}"));
    }
    out
}

/// Two files written in time order across both (entries 1..=6 before the server
/// starts); a client sees 7..=20 live and leaves; 21..=40 are written; clients
/// resuming with `after=` the LogEntry `id` of entry 20 (and of 15) get exactly the
/// entries after it, then the live stream.
fn resume_after_an_entry_id(own_ids: bool) {
    let dir = Dir::new();
    // Entry i's id: its own, else FILE:LINE (the entries of its file up to it).
    let id_of = |i: usize| match own_ids {
        true => format!("ev{i}"),
        false => {
            let line = (1..=i).filter(|&j| file_of(j) == file_of(i)).count();
            format!("{}:{line}", file_of(i))
        }
    };
    let write = |i: usize| append(&dir.join(file_of(i)), &timed(i, own_ids));
    dir.create("a.jsonl", "");
    dir.create("b.jsonl", "");
    (1..=6).for_each(write);
    let server = Server::start(&dir, &["a.jsonl", "b.jsonl"]);
    let mut ws = server.ws("search=service%3Asvc");
    let mut seen = Vec::new();
    for i in 7..=20 {
        write(i);
        seen.push(ws.entry());
    }
    assert_eq!(
        seen.iter()
            .map(|e| e["message"].clone())
            .collect::<Vec<_>>(),
        (7..=20)
            .map(|i| json!(format!("entry {i}")))
            .collect::<Vec<_>>()
    );
    assert_eq!(seen[13]["id"].as_str(), Some(id_of(20).as_str()));
    drop(ws);
    (21..=40).for_each(write);
    let mut resumed = Vec::new();
    for (last, first) in [(20, 21), (15, 16)] {
        let mut ws = server.ws(&format!(
            "search=service%3Asvc&after={}",
            urlencode(&id_of(last))
        ));
        let (got, code) = drain(&mut ws, 40 - last);
        assert_eq!(code, None, "after entry {last}");
        assert_eq!(by_file(&got), written(first..=40), "after entry {last}");
        resumed.push(ws);
    }
    // Nothing more was due: the next message is the next entry written.
    write(41);
    for ws in &mut resumed {
        assert_eq!(ws.entry()["message"], "entry 41");
    }
}

#[test]
fn a_resume_after_a_file_line_id_sends_exactly_the_entries_after_it() {
    resume_after_an_entry_id(false);
}

#[test]
fn a_resume_after_an_own_id_sends_exactly_the_entries_after_it() {
    resume_after_an_entry_id(true);
}

/// The handshake's refusal of `/ws/logs?QUERY`: status and JSON body.
fn ws_refusal(server: &Server, query: &str) -> (u16, Value) {
    let req = format!("ws://{}/ws/logs?{query}", server.addr())
        .into_client_request()
        .expect("request");
    match tungstenite::connect(req) {
        Err(tungstenite::Error::Http(res)) => {
            let body = res.body().clone().unwrap_or_default();
            let v = serde_json::from_slice(&body)
                .unwrap_or_else(|e| panic!("{query}: {e}: {}", String::from_utf8_lossy(&body)));
            (res.status().as_u16(), v)
        }
        other => panic!("{query}: expected a refusal, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_resume_after_an_unknown_or_shared_id_is_refused() {
    let dir = Dir::new();
    let mut text = String::new();
    for i in 1..=5 {
        text.push_str(&timed(i, true));
    }
    text.push_str(&timed(6, false).replacen('{', r#"{"id":"twice","#, 1));
    text.push_str(&timed(7, false).replacen('{', r#"{"id":"twice","#, 1));
    dir.create("a.jsonl", &text);
    let server = Server::start(&dir, &["a.jsonl"]);
    for (after, status, code, says) in [
        ("no-such-entry", 404, "not_found", "no entry"),
        ("a.jsonl:99", 404, "not_found", "no entry"),
        ("twice", 404, "not_found", "several entries"),
        ("w1.1-2", 400, "bad_cursor", "not a stream cursor"),
        ("c1.0.12", 400, "bad_cursor", "search cursor"),
    ] {
        let (got, err) = ws_refusal(&server, &format!("after={}", urlencode(after)));
        assert_eq!(
            (got, err["error"].as_str()),
            (status, Some(code)),
            "{after}: {err}"
        );
        let detail = err["detail"].as_str().expect("detail");
        assert!(detail.contains(says), "{after}: {detail}");
    }
    // A known one opens the stream.
    let _open = server.ws(&format!("after={}", urlencode("a.jsonl:3")));
}

#[test]
fn context_follows_a_rotated_file_and_never_answers_with_the_new_one() {
    let dir = Dir::new();
    let logs = dir.create_dir("logs");
    let lines = |word: &str, range: std::ops::RangeInclusive<usize>| -> String {
        range
            .map(|i| {
                format!(
                    r#"{{"timestamp":"2024-01-16T00:00:{i:02}Z","level":"INFO","service":"svc","message":"{word} {i}"}}"#
                ) + "\n"
            })
            .collect()
    };
    dir.create("logs/app.log", lines("old", 1..=10));
    let server = Server::start(&dir, &["logs/app.log"]);
    let context = |id: &str| server.get_json(&format!("/api/v1/logs/{}/context", urlencode(id)));
    let selected = |doc: &Value| {
        let s = &doc["selected"];
        (
            s["message"].as_str().map(str::to_string),
            s["file"].as_str().map(str::to_string),
            s["line"].as_u64(),
        )
    };
    let (status, doc) = context("logs/app.log:7");
    assert_eq!(status, 200, "{doc}");
    assert_eq!(
        selected(&doc),
        (Some("old 7".into()), Some("logs/app.log".into()), Some(7))
    );
    // Rotated: renamed away, a shorter new file under the name.
    std::fs::rename(logs.join("app.log"), logs.join("app.log.1")).expect("rotate");
    dir.create("logs/app.log", lines("new", 1..=3));
    let (status, doc) = context("logs/app.log:7");
    assert_eq!(status, 200, "{doc}");
    assert_eq!(
        selected(&doc),
        (Some("old 7".into()), Some("logs/app.log.1".into()), Some(7)),
        "found in the rotated file"
    );
    // The stream resumes after it too: the old file's entry found, the new file from
    // its first entry later than it (none yet: what is written next).
    let mut ws = server.ws(&format!("after={}", urlencode("logs/app.log:7")));
    append(&logs.join("app.log"), &lines("later", 20..=20));
    assert_eq!(ws.entry()["message"], "later 20");
    drop(ws);
    let (status, err) = ws_refusal(&server, &format!("after={}", urlencode("logs/app.log:2")));
    assert_eq!(
        (status, err["error"].as_str()),
        (404, Some("not_found")),
        "{err}"
    );
    // A line both files have: refused, naming both; never the new file's entry.
    let (status, err) = context("logs/app.log:2");
    assert_eq!(
        (status, err["error"].as_str()),
        (404, Some("not_found")),
        "{err}"
    );
    let detail = err["detail"].as_str().expect("detail");
    assert!(
        detail.contains("ambiguous")
            && detail.contains("logs/app.log.1:2")
            && detail.contains("logs/app.log:2"),
        "{detail}"
    );
    // The new file grows past line 7: the old id is not mapped into it.
    append(&logs.join("app.log"), &lines("new", 4..=8));
    let (status, err) = context("logs/app.log:7");
    assert_eq!(
        (status, err["error"].as_str()),
        (404, Some("not_found")),
        "{err}"
    );
    // The rotated file deleted: the name's one reachable file answers, as it would
    // after a restart (which knows only that file); no refusal until then.
    std::fs::remove_file(logs.join("app.log.1")).expect("delete");
    // The new file: new 1-3, later 20, new 4-8.
    for (n, message) in [(7u64, "new 6"), (2, "new 2")] {
        let (status, doc) = context(&format!("logs/app.log:{n}"));
        assert_eq!(status, 200, "{doc}");
        assert_eq!(
            selected(&doc),
            (Some(message.into()), Some("logs/app.log".into()), Some(n))
        );
    }
    let mut ws = server.ws(&format!("after={}", urlencode("logs/app.log:7")));
    assert_eq!(
        ws.entry()["message"],
        "new 7",
        "resumed after the new file's line 7"
    );
    drop(ws);
    // Past the new file's end: the earlier file that may have had it is gone, and the
    // 404 says so, for the context and the stream alike.
    let (status, err) = context("logs/app.log:50");
    assert_eq!(
        (status, err["error"].as_str()),
        (404, Some("not_found")),
        "{err}"
    );
    let detail = err["detail"].as_str().expect("detail");
    assert!(detail.contains("gone"), "{detail}");
    let (status, err) = ws_refusal(&server, &format!("after={}", urlencode("logs/app.log:50")));
    assert_eq!((status, err["error"].as_str()), (404, Some("not_found")));
    assert!(
        err["detail"].as_str().is_some_and(|d| d.contains("gone")),
        "{err}"
    );
}

/// A permalink's file moved to another served directory is found there by identity;
/// once it leaves every served name, its ids get a 404 that says it is gone.
#[test]
fn a_permalink_follows_its_file_to_another_served_name_until_it_is_gone() {
    let dir = Dir::new();
    let logs = dir.create_dir("logs");
    let archive = dir.create_dir("archive");
    let lines: String = (1..=5)
        .map(|i| {
            format!(
                r#"{{"timestamp":"2024-01-16T00:00:{i:02}Z","level":"INFO","service":"svc","message":"m {i}"}}"#
            ) + "\n"
        })
        .collect();
    dir.create("logs/app.log", lines);
    // Each served directory keeps a log (an empty one is an error of its own).
    let other =
        r#"{"timestamp":"2024-01-16T00:00:00Z","level":"INFO","service":"svc","message":"other"}"#;
    dir.create("logs/other.log", format!("{other}\n"));
    dir.create("archive/old.log", format!("{other}\n"));
    let server = Server::start(&dir, &["logs", "archive"]);
    let context = |id: &str| server.get_json(&format!("/api/v1/logs/{}/context", urlencode(id)));
    let (status, doc) = context("logs/app.log:4");
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["selected"]["message"], "m 4");
    // Moved to the other served directory (not beside its old name).
    std::fs::rename(logs.join("app.log"), archive.join("app-1.log")).expect("move");
    let (status, doc) = context("logs/app.log:4");
    assert_eq!(status, 200, "{doc}");
    assert_eq!(
        (&doc["selected"]["message"], &doc["selected"]["file"]),
        (&json!("m 4"), &json!("archive/app-1.log"))
    );
    let mut ws = server.ws(&format!("after={}", urlencode("logs/app.log:4")));
    let (got, _) = drain(&mut ws, 1);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0]["message"], "m 5",
        "resumed after line 4 in the moved file"
    );
    drop(ws);
    // Moved out of every served name: gone.
    std::fs::rename(archive.join("app-1.log"), dir.join("elsewhere.log")).expect("move out");
    for (status, err) in [
        context("logs/app.log:4"),
        ws_refusal(&server, &format!("after={}", urlencode("logs/app.log:4"))),
    ] {
        assert_eq!(
            (status, err["error"].as_str()),
            (404, Some("not_found")),
            "{err}"
        );
        assert!(
            err["detail"]
                .as_str()
                .is_some_and(|d| d.contains("is gone")),
            "{err}"
        );
    }
}

#[test]
fn a_resume_after_an_entry_without_a_time_takes_the_time_before_it() {
    let dir = Dir::new();
    let at = |s: usize, msg: &str| {
        format!(
            r#"{{"timestamp":"2024-01-16T00:00:{s:02}Z","level":"INFO","service":"svc","message":"{msg}"}}"#
        ) + "\n"
    };
    let timeless =
        |msg: &str| format!(r#"{{"level":"INFO","service":"svc","message":"{msg}"}}"#) + "\n";
    // a: 10s, a line without a time (which follows 10s), 11s.
    dir.create(
        "a.jsonl",
        at(10, "a 10s") + &timeless("a no time") + &at(11, "a 11s"),
    );
    // b: 5s, 10s (the same time: taken as seen), a line without a time after it, 12s.
    dir.create(
        "b.jsonl",
        at(5, "b 5s") + &at(10, "b 10s") + &timeless("b no time") + &at(12, "b 12s"),
    );
    // c: no time at all.
    dir.create("c.jsonl", timeless("c 1") + &timeless("c 2"));
    let server = Server::start(&dir, &["a.jsonl", "b.jsonl", "c.jsonl"]);
    let mut ws = server.ws(&format!("after={}", urlencode("a.jsonl:2")));
    let (got, code) = drain(&mut ws, 2);
    assert_eq!(code, None);
    let mut want = std::collections::BTreeMap::new();
    want.insert("a.jsonl".to_string(), vec!["a 11s".to_string()]);
    want.insert("b.jsonl".to_string(), vec!["b 12s".to_string()]);
    assert_eq!(by_file(&got), want, "after a's timeless entry (10s)");
    append(&dir.join("c.jsonl"), &timeless("c 3"));
    assert_eq!(ws.entry()["message"], "c 3", "c has no entry after 10s");
    // After an entry whose time is unknown: its file after it, the others from now.
    let mut ws = server.ws(&format!("after={}", urlencode("c.jsonl:1")));
    let (got, code) = drain(&mut ws, 2);
    assert_eq!(code, None);
    assert_eq!(
        got.iter().map(|e| e["message"].clone()).collect::<Vec<_>>(),
        vec![json!("c 2"), json!("c 3")]
    );
    append(&dir.join("a.jsonl"), &at(30, "a 30s"));
    assert_eq!(ws.entry()["message"], "a 30s");
}
