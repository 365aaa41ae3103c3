//! Text formats of more logging libraries (issue 11): Ruby semantic_logger and Rails,
//! NLog (default and CSV layouts), zerolog ConsoleWriter, Gin, log4rs, winston,
//! pino-pretty, Calico/felix, Redis and Elixir's Logger. For each, a sample written from the library's
//! documented default output (with its multi-line entries), read with
//! `export --format ndjson`, every entry asserted whole; detection on 15-line samples;
//! time-of-day timestamps dated from the file's modification time, rolled back a day
//! across midnight, and marked `dateInferred` in the JSON output.

use crate::formats::parsed_fields;
use crate::util;

use serde_json::{json, Value};
use util::Dir;

/// 2024-06-15T12:00:00Z: the modification time given to every sample.
pub(crate) const MTIME: u64 = 1_718_452_800;

pub(crate) fn write_sample(dir: &Dir, name: &str, text: &str, mtime: u64) -> std::path::PathBuf {
    let path = dir.create(name, text);
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(mtime);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(t)
        .unwrap();
    path
}

/// The entries of `text` as `export --format ndjson` writes them (plus `extra` args).
pub(crate) fn export_with(text: &str, mtime: u64, extra: &[&str]) -> Vec<Value> {
    let dir = Dir::new();
    let path = write_sample(&dir, "sample.log", text, mtime);
    let out = dir
        .command()
        .args(["export", "--format", "ndjson"])
        .args(extra)
        .arg(&path)
        .run();
    out.expect_code(0);
    out.json_lines()
        .into_iter()
        .map(|o| parsed_fields(o, &["requestId", "dateInferred"]))
        .collect()
}

/// One expected entry (standard fields and metadata; `requestId`/`dateInferred` are
/// added with [`with`]).
pub(crate) use crate::formats::e;

pub(crate) fn with(mut v: Value, key: &str, value: Value) -> Value {
    v.as_object_mut().unwrap().insert(key.to_string(), value);
    v
}

pub(crate) fn assert_entries(text: &str, want: &[Value]) {
    assert_entries_at(text, MTIME, &[], want);
}

pub(crate) fn assert_entries_at(text: &str, mtime: u64, extra: &[&str], want: &[Value]) {
    let got = export_with(text, mtime, extra);
    assert_eq!(got.len(), want.len(), "entry count: {got:#?}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "entry {i}");
    }
}

/// `formats detect` on a sample: the detected name and the share of lines read.
pub(crate) fn detected(text: &str) -> (String, String) {
    let dir = Dir::new();
    let path = write_sample(&dir, "sample.log", text, MTIME);
    let out = dir.command().args(["formats", "detect"]).arg(&path).run();
    out.expect_code(0);
    let first = util::first_line(&out);
    let mut words = first.split_whitespace().skip(1);
    let name = words.next().unwrap_or_default().to_string();
    let share = words
        .next()
        .unwrap_or_default()
        .trim_start_matches('(')
        .to_string();
    (name, share)
}

/// Lines of a sample repeated to make 15 lines.
pub(crate) fn fifteen(lines: &[&str]) -> String {
    lines
        .iter()
        .cycle()
        .take(15)
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn semantic_logger_default_text_with_payload_tags_and_backtrace() {
    let text = "\
2024-05-07 12:04:17.597069 I [12345:puma srv tp 001 users_controller.rb:12] UsersController -- Listing users
2024-05-07 12:04:17.600000 D [12345:main] [req-1] [web] {user_id: 7} (1.2ms) UsersController -- Completed #index -- {:count=>3}
2024-05-07 12:04:18.000000 E [12345:worker-1 payment_job.rb:40] PaymentJob -- Charge failed -- Exception: RuntimeError: card declined
/app/jobs/payment_job.rb:40:in `perform'
/app/lib/runner.rb:12:in `run'
2024-05-07 12:04:19.000001 W [12345:main] Cache -- miss
2024-05-07 12:04:20.500000 F [12345:main] Rails -- shutting down -- {:signal=>\"TERM\"}
";
    assert_entries(
        text,
        &[
            e(Some("2024-05-07T12:04:17.597Z"), Some("INFO"), Some("UsersController"), Some("users_controller.rb:12"), "Listing users",
              json!({"pid": 12345, "thread": "puma srv tp 001"})),
            e(Some("2024-05-07T12:04:17.600Z"), Some("DEBUG"), Some("UsersController"), None, "Completed #index",
              json!({"pid": 12345, "thread": "main", "tags": "[req-1] [web]", "named_tags": "user_id: 7", "duration": "1.2ms", "payload": "{:count=>3}"})),
            e(Some("2024-05-07T12:04:18.000Z"), Some("ERROR"), Some("PaymentJob"), Some("payment_job.rb:40"),
              "Charge failed\n/app/jobs/payment_job.rb:40:in `perform'\n/app/lib/runner.rb:12:in `run'",
              json!({"pid": 12345, "thread": "worker-1", "exception": "Exception: RuntimeError: card declined"})),
            e(Some("2024-05-07T12:04:19.000Z"), Some("WARN"), Some("Cache"), None, "miss", json!({"pid": 12345, "thread": "main"})),
            e(Some("2024-05-07T12:04:20.500Z"), Some("FATAL"), Some("Rails"), None, "shutting down",
              json!({"pid": 12345, "thread": "main", "payload": "{:signal=>\"TERM\"}"})),
        ],
    );
}

#[test]
fn rails_request_lines_and_ruby_logger_with_request_id() {
    let rid = "9f1c7a52-1b2c-4d3e-8f90-123456789abc";
    let text = format!(
        "\
Started GET \"/users\" for 127.0.0.1 at 2024-05-07 12:04:17 +0000
Processing by UsersController#index as HTML
  Parameters: {{\"page\"=>\"2\"}}
  User Load (0.4ms)  SELECT \"users\".* FROM \"users\"
Completed 200 OK in 5ms (Views: 3.2ms | ActiveRecord: 0.4ms)

[{rid}] Started POST \"/orders\" for 10.0.0.2 at 2024-05-07 12:05:00 +0200
[{rid}] Processing by OrdersController#create as JSON
[{rid}] Completed 500 Internal Server Error in 12ms (ActiveRecord: 1.1ms)
Redirected to http://localhost:3000/login
I, [2024-05-07T12:06:17.597069 #4242]  INFO -- : [{rid}] Started GET \"/\" for 127.0.0.1 at 2024-05-07 12:06:17 +0000
E, [2024-05-07T12:06:18.000000 #4242] ERROR -- : [{rid}] Completed 503 Service Unavailable in 3ms
W, [2024-05-07T12:06:19.000000 #4242]  WARN -- myapp: no tag here
"
    );
    let tagged = |v: Value| with(v, "requestId", json!(rid));
    assert_entries(
        &text,
        &[
            // A request's `Processing by`/`Completed` lines continue its `Started`
            // entry (they carry no time of their own); their fields join it and a 5xx
            // status raises the level.
            e(Some("2024-05-07T12:04:17.000Z"), Some("INFO"), None, None,
              "Started GET \"/users\" for 127.0.0.1 at 2024-05-07 12:04:17 +0000\nProcessing by UsersController#index as HTML\n  Parameters: {\"page\"=>\"2\"}\n  User Load (0.4ms)  SELECT \"users\".* FROM \"users\"\nCompleted 200 OK in 5ms (Views: 3.2ms | ActiveRecord: 0.4ms)",
              json!({"method": "GET", "path": "/users", "client": "127.0.0.1", "controller": "UsersController",
                     "action": "index", "format": "HTML", "status": 200, "duration": "5ms"})),
            tagged(e(Some("2024-05-07T10:05:00.000Z"), Some("ERROR"), None, None,
              &format!("Started POST \"/orders\" for 10.0.0.2 at 2024-05-07 12:05:00 +0200\n[{rid}] Processing by OrdersController#create as JSON\n[{rid}] Completed 500 Internal Server Error in 12ms (ActiveRecord: 1.1ms)"),
              json!({"method": "POST", "path": "/orders", "client": "10.0.0.2", "controller": "OrdersController",
                     "action": "create", "format": "JSON", "status": 500, "duration": "12ms"}))),
            // Untagged after a tagged request: not the same request, an entry of its own.
            e(None, Some("INFO"), None, None, "Redirected to http://localhost:3000/login", json!({})),
            tagged(e(Some("2024-05-07T12:06:17.597Z"), Some("INFO"), None, None,
              "Started GET \"/\" for 127.0.0.1 at 2024-05-07 12:06:17 +0000", json!({"pid": 4242}))),
            tagged(e(Some("2024-05-07T12:06:18.000Z"), Some("ERROR"), None, None,
              "Completed 503 Service Unavailable in 3ms", json!({"pid": 4242}))),
            e(Some("2024-05-07T12:06:19.000Z"), Some("WARN"), Some("myapp"), None, "no tag here", json!({"pid": 4242})),
        ],
    );
}

#[test]
fn nlog_default_layout_with_exception() {
    let text = "\
2024-05-07 12:04:17.5970|INFO|MyApp.Program|Application started
2024-05-07 12:04:18.0001|ERROR|MyApp.Worker|Job failed|System.InvalidOperationException: boom
   at MyApp.Worker.Run() in C:\\src\\Worker.cs:line 42
   at MyApp.Program.Main(String[] args)
2024-05-07 12:04:19.1234|DEBUG|Microsoft.Hosting.Lifetime|Now listening on: http://localhost:5000
2024-05-07 12:04:20.0000|WARN|MyApp.Cache|Cache miss for key user:7 (ERROR count 0)
2024-05-07 12:04:21.9999|FATAL|MyApp.Program|Host terminated unexpectedly
2024-05-07 12:04:22.0000|TRACE|MyApp.Db|Opening connection
";
    assert_entries(
        text,
        &[
            e(Some("2024-05-07T12:04:17.597Z"), Some("INFO"), Some("MyApp.Program"), None, "Application started", json!({})),
            e(Some("2024-05-07T12:04:18.000Z"), Some("ERROR"), Some("MyApp.Worker"), None,
              "Job failed|System.InvalidOperationException: boom\n   at MyApp.Worker.Run() in C:\\src\\Worker.cs:line 42\n   at MyApp.Program.Main(String[] args)",
              json!({})),
            e(Some("2024-05-07T12:04:19.123Z"), Some("DEBUG"), Some("Microsoft.Hosting.Lifetime"), None,
              "Now listening on: http://localhost:5000", json!({})),
            e(Some("2024-05-07T12:04:20.000Z"), Some("WARN"), Some("MyApp.Cache"), None,
              "Cache miss for key user:7 (ERROR count 0)", json!({})),
            e(Some("2024-05-07T12:04:21.999Z"), Some("FATAL"), Some("MyApp.Program"), None, "Host terminated unexpectedly", json!({})),
            e(Some("2024-05-07T12:04:22.000Z"), Some("TRACE"), Some("MyApp.Db"), None, "Opening connection", json!({})),
        ],
    );
}

#[test]
fn nlog_csv_layout_header_quoted_columns_and_multiline_exception() {
    let text = "\
time,level,message,callsite,stacktrace,exception
2024-05-07 12:04:17.5970,Info,Application started,MyApp.Program.Main,Program.Main,
2024-05-07 12:04:18.0001,Error,\"Failed to read \"\"config.json\"\", using defaults\",MyApp.Config.Load,Config.Load => Program.Main,\"System.IO.FileNotFoundException: Could not find file
   at System.IO.File.Open()\"
2024-05-07 12:04:19.0000,Warn,Slow request,MyApp.Api.Get,Api.Get,
2024-05-07 12:04:20.0000,Debug,\"a, b\",\"MyApp.Api.Get\",,
";
    assert_entries(
        text,
        &[
            // The header is an entry of its own with no fields read from it.
            e(
                None,
                None,
                None,
                None,
                "time,level,message,callsite,stacktrace,exception",
                json!({}),
            ),
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("INFO"),
                None,
                Some("MyApp.Program.Main"),
                "Application started",
                json!({"stacktrace": "Program.Main"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                None,
                Some("MyApp.Config.Load"),
                "Failed to read \"config.json\", using defaults",
                json!({"stacktrace": "Config.Load => Program.Main",
                       "exception": "System.IO.FileNotFoundException: Could not find file\n   at System.IO.File.Open()"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                Some("WARN"),
                None,
                Some("MyApp.Api.Get"),
                "Slow request",
                json!({"stacktrace": "Api.Get"}),
            ),
            e(
                Some("2024-05-07T12:04:20.000Z"),
                Some("DEBUG"),
                None,
                Some("MyApp.Api.Get"),
                "a, b",
                json!({}),
            ),
        ],
    );
}

#[test]
fn zerolog_console_writer_kitchen_and_rfc3339_times() {
    // Kitchen times (`3:04PM`) take the file's date (2024-06-15, modified at 12:00Z).
    let text = "\
9:04AM INF main.go:12 > listening addr=:8080
9:05AM ERR db.go:40 > query failed error=\"connection refused\" retries=3
10:06AM DBG tick
11:59AM WRN disk almost full free=1GB
12:00PM INF user=alice
2024-05-07T12:04:17+02:00 INF server.go:7 > server started port=8080
2024-05-07T12:04:18Z FTL config missing path=/etc/app.toml
";
    let inferred = |v: Value| with(v, "dateInferred", json!(true));
    assert_entries(
        text,
        &[
            inferred(e(
                Some("2024-06-15T09:04:00.000Z"),
                Some("INFO"),
                None,
                Some("main.go:12"),
                "listening",
                json!({"addr": ":8080"}),
            )),
            inferred(e(
                Some("2024-06-15T09:05:00.000Z"),
                Some("ERROR"),
                None,
                Some("db.go:40"),
                "query failed",
                json!({"error": "connection refused", "retries": 3}),
            )),
            inferred(e(
                Some("2024-06-15T10:06:00.000Z"),
                Some("DEBUG"),
                None,
                None,
                "tick",
                json!({}),
            )),
            inferred(e(
                Some("2024-06-15T11:59:00.000Z"),
                Some("WARN"),
                None,
                None,
                "disk almost full",
                json!({"free": "1GB"}),
            )),
            inferred(e(
                Some("2024-06-15T12:00:00.000Z"),
                Some("INFO"),
                None,
                None,
                "",
                json!({"user": "alice"}),
            )),
            e(
                Some("2024-05-07T10:04:17.000Z"),
                Some("INFO"),
                None,
                Some("server.go:7"),
                "server started",
                json!({"port": 8080}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("FATAL"),
                None,
                None,
                "config missing",
                json!({"path": "/etc/app.toml"}),
            ),
        ],
    );
}

#[test]
fn gin_access_log_fields_status_query_and_debug_lines() {
    let text = "\
[GIN-debug] [WARNING] Running in \"debug\" mode. Switch to \"release\" mode in production.
 - using env:\texport GIN_MODE=release
 - using code:\tgin.SetMode(gin.ReleaseMode)

[GIN-debug] GET    /ping                     --> main.main.func1 (3 handlers)
[GIN-debug] Listening and serving HTTP on :8080
[GIN] 2024/11/12 - 15:19:06 | 200 |    1.234567ms |       127.0.0.1 | GET      \"/ping\"
[GIN] 2024/11/12 - 15:19:07 | 500 |   12.3456789s |             ::1 | POST     \"/api/orders?x=1\"
Error #01: database unavailable
[GIN] 2024/11/12 - 15:19:08 | 404 |       5.2µs |        10.0.0.3 | GET      \"/missing\"
[GIN] 2024/11/12 - 15:19:09 | 502 |  1m2.000300s |        10.0.0.4 | DELETE   \"/api/items/7\"
";
    assert_entries(
        text,
        &[
            e(None, Some("WARN"), None, None,
              "Running in \"debug\" mode. Switch to \"release\" mode in production.\n - using env:\texport GIN_MODE=release\n - using code:\tgin.SetMode(gin.ReleaseMode)",
              json!({})),
            e(None, Some("DEBUG"), None, None, "GET    /ping                     --> main.main.func1 (3 handlers)", json!({})),
            e(None, Some("DEBUG"), None, None, "Listening and serving HTTP on :8080", json!({})),
            e(Some("2024-11-12T15:19:06.000Z"), Some("INFO"), None, None, "/ping",
              json!({"status": 200, "latency": "1.234567ms", "client": "127.0.0.1", "method": "GET", "path": "/ping"})),
            e(Some("2024-11-12T15:19:07.000Z"), Some("ERROR"), None, None, "/api/orders?x=1\nError #01: database unavailable",
              json!({"status": 500, "latency": "12.3456789s", "client": "::1", "method": "POST", "path": "/api/orders?x=1"})),
            e(Some("2024-11-12T15:19:08.000Z"), Some("WARN"), None, None, "/missing",
              json!({"status": 404, "latency": "5.2µs", "client": "10.0.0.3", "method": "GET", "path": "/missing"})),
            e(Some("2024-11-12T15:19:09.000Z"), Some("ERROR"), None, None, "/api/items/7",
              json!({"status": 502, "latency": "1m2.000300s", "client": "10.0.0.4", "method": "DELETE", "path": "/api/items/7"})),
        ],
    );
    let dir = Dir::new();
    let path = write_sample(&dir, "gin.log", text, MTIME);
    for (query, want) in [
        ("status:>=500", "2\n"),
        ("status:404", "1\n"),
        ("method:DELETE", "1\n"),
        ("level:DEBUG", "2\n"),
    ] {
        let out = dir.command().args(["search", "-c", query]).arg(&path).run();
        out.expect_code(0);
        assert_eq!(out.stdout_str(), want, "{query}");
    }
}

#[test]
fn log4rs_default_pattern() {
    let text = "\
2024-05-07T12:04:17.597069+00:00 INFO my_app::server - listening on 0.0.0.0:8080
2024-05-07T12:04:18.000000123+02:00 ERROR my_app::db - connection lost - retrying
2024-05-07T12:04:19+00:00 DEBUG hyper::proto::h1::io - flushed 120 bytes
2024-05-07T12:04:20.5-01:00 WARN my_app - slow: 2 s
2024-05-07T12:04:21.000001+00:00 TRACE my_app::worker - tick
";
    assert_entries(
        text,
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("INFO"),
                Some("my_app::server"),
                None,
                "listening on 0.0.0.0:8080",
                json!({}),
            ),
            e(
                Some("2024-05-07T10:04:18.000Z"),
                Some("ERROR"),
                Some("my_app::db"),
                None,
                "connection lost - retrying",
                json!({}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                Some("DEBUG"),
                Some("hyper::proto::h1::io"),
                None,
                "flushed 120 bytes",
                json!({}),
            ),
            e(
                Some("2024-05-07T13:04:20.500Z"),
                Some("WARN"),
                Some("my_app"),
                None,
                "slow: 2 s",
                json!({}),
            ),
            e(
                Some("2024-05-07T12:04:21.000Z"),
                Some("TRACE"),
                Some("my_app::worker"),
                None,
                "tick",
                json!({}),
            ),
        ],
    );
}

#[test]
fn winston_simple_and_printf_formats() {
    let simple = "\
info: server started {\"port\":8080}
warn: disk almost full
error: request failed {\"status\":500,\"path\":\"/a\"}
http: GET /health 200
verbose: cache warmed
silly: tick {\"n\":1}
";
    assert_entries(
        simple,
        &[
            e(
                None,
                Some("INFO"),
                None,
                None,
                "server started",
                json!({"port": 8080}),
            ),
            e(
                None,
                Some("WARN"),
                None,
                None,
                "disk almost full",
                json!({}),
            ),
            e(
                None,
                Some("ERROR"),
                None,
                None,
                "request failed",
                json!({"status": 500, "path": "/a"}),
            ),
            // A level that maps to none of the six keeps its raw text.
            e(
                None,
                None,
                None,
                None,
                "GET /health 200",
                json!({"level": "http"}),
            ),
            // `verbose` is read as TRACE, as .NET's Verbose (the level table).
            e(None, Some("TRACE"), None, None, "cache warmed", json!({})),
            e(None, Some("TRACE"), None, None, "tick", json!({"n": 1})),
        ],
    );
    let printf = "\
2024-05-07T12:04:17.597Z [info]: user logged in
2024-05-07T12:04:18.000Z [error]: Error: boom
    at handler (/app/index.js:12:5)
    at process (/app/index.js:40:3)
2024-05-07T12:04:19.000Z [warn]: slow response 1200 ms
2024-05-07T12:04:20.000Z [debug]: cache hit
";
    assert_entries(
        printf,
        &[
            e(Some("2024-05-07T12:04:17.597Z"), Some("INFO"), None, None, "user logged in", json!({})),
            e(Some("2024-05-07T12:04:18.000Z"), Some("ERROR"), None, None,
              "Error: boom\n    at handler (/app/index.js:12:5)\n    at process (/app/index.js:40:3)", json!({})),
            e(Some("2024-05-07T12:04:19.000Z"), Some("WARN"), None, None, "slow response 1200 ms", json!({})),
            e(Some("2024-05-07T12:04:20.000Z"), Some("DEBUG"), None, None, "cache hit", json!({})),
        ],
    );
    // The winston docs' printf example: `${timestamp} [${label}] ${level}: ${message}`.
    let label = "\
2024-05-07T12:04:17.597Z [right meow!] info: What time is the testing at?
2024-05-07T12:04:18.000Z [api] error: payment failed
";
    assert_entries(
        label,
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("INFO"),
                Some("right meow!"),
                None,
                "What time is the testing at?",
                json!({}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                Some("api"),
                None,
                "payment failed",
                json!({}),
            ),
        ],
    );
}

#[test]
fn pino_pretty_with_property_lines() {
    let text = "\
[12:04:17.597] INFO (483 on web-1): request completed
    reqId: \"req-1\"
    responseTime: 12
[12:04:18.000] ERROR (myapp/483 on web-1): boom
    err: {
      \"type\": \"Error\",
      \"message\": \"boom\"
    }
[11:59:59.100] WARN (483 on web-1): slow
[2024-05-07 12:04:20.000 +0000] FATAL (483 on web-1): exiting
[12:04:21.000] DEBUG: no bindings
";
    let inferred = |v: Value| with(v, "dateInferred", json!(true));
    assert_entries(
        text,
        &[
            // `reqId` is the request id, as in pino's JSON lines.
            with(
                inferred(e(
                    Some("2024-06-15T12:04:17.597Z"),
                    Some("INFO"),
                    None,
                    None,
                    "request completed",
                    json!({"responseTime": 12, "pid": 483, "host": "web-1"}),
                )),
                "requestId",
                json!("req-1"),
            ),
            inferred(e(
                Some("2024-06-15T12:04:18.000Z"),
                Some("ERROR"),
                Some("myapp"),
                None,
                "boom\n    err: {\n      \"type\": \"Error\",\n      \"message\": \"boom\"\n    }",
                json!({"pid": 483, "host": "web-1"}),
            )),
            inferred(e(
                Some("2024-06-15T11:59:59.100Z"),
                Some("WARN"),
                None,
                None,
                "slow",
                json!({"pid": 483, "host": "web-1"}),
            )),
            e(
                Some("2024-05-07T12:04:20.000Z"),
                Some("FATAL"),
                None,
                None,
                "exiting",
                json!({"pid": 483, "host": "web-1"}),
            ),
            inferred(e(
                Some("2024-06-15T12:04:21.000Z"),
                Some("DEBUG"),
                None,
                None,
                "no bindings",
                json!({}),
            )),
        ],
    );
}

#[test]
fn calico_felix() {
    let text = "\
2024-05-07 12:04:17.597 [INFO][123] felix/int_dataplane.go 1836: Received interface update ifaceName=\"eth0\" state=\"up\"
2024-05-07 12:04:18.000 [WARNING][123] felix/health.go 190: Reporter is not ready.
2024-05-07 12:04:19.100 [ERROR][45] confd/resource.go 288: Error from checkcmd
2024-05-07 12:04:20.000 [DEBUG][123] felix/route_table.go 480: Syncing routes ipVersion=0x4 tableIndex=0
2024-05-07 12:04:21.250 [PANIC][7] felix/daemon.go 99: Fatal error
goroutine 1 [running]:
main.main()
\t/go/src/felix/daemon.go:99 +0x1d
";
    assert_entries(
        text,
        &[
            e(Some("2024-05-07T12:04:17.597Z"), Some("INFO"), None, Some("felix/int_dataplane.go 1836"), "Received interface update",
              json!({"pid": 123, "ifaceName": "eth0", "state": "up"})),
            e(Some("2024-05-07T12:04:18.000Z"), Some("WARN"), None, Some("felix/health.go 190"), "Reporter is not ready.", json!({"pid": 123})),
            e(Some("2024-05-07T12:04:19.100Z"), Some("ERROR"), None, Some("confd/resource.go 288"), "Error from checkcmd", json!({"pid": 45})),
            e(Some("2024-05-07T12:04:20.000Z"), Some("DEBUG"), None, Some("felix/route_table.go 480"), "Syncing routes",
              json!({"pid": 123, "ipVersion": "0x4", "tableIndex": 0})),
            e(Some("2024-05-07T12:04:21.250Z"), Some("FATAL"), None, Some("felix/daemon.go 99"),
              "Fatal error\ngoroutine 1 [running]:\nmain.main()\n\t/go/src/felix/daemon.go:99 +0x1d", json!({"pid": 7})),
        ],
    );
}

/// 2024-06-15T00:05:00Z: five minutes after midnight.
const AFTER_MIDNIGHT: u64 = 1_718_409_900;

#[test]
fn time_of_day_rolls_back_a_day_across_midnight() {
    let logback = "\
23:58:00.000 [main] INFO  com.example.App - before midnight
23:59:59.999 [main] ERROR com.example.App - failed
java.lang.IllegalStateException: boom
\tat com.example.App.run(App.java:10)
00:00:00.001 [main] INFO  com.example.App - after midnight
00:04:59.000 [main] WARN  com.example.App - last
";
    let want = |ts: [&str; 4]| {
        let inferred = |v: Value| with(v, "dateInferred", json!(true));
        vec![
            inferred(e(Some(ts[0]), Some("INFO"), Some("com.example.App"), None, "before midnight", json!({"thread": "main"}))),
            inferred(e(Some(ts[1]), Some("ERROR"), Some("com.example.App"), None,
              "failed\njava.lang.IllegalStateException: boom\n\tat com.example.App.run(App.java:10)", json!({"thread": "main"}))),
            inferred(e(Some(ts[2]), Some("INFO"), Some("com.example.App"), None, "after midnight", json!({"thread": "main"}))),
            inferred(e(Some(ts[3]), Some("WARN"), Some("com.example.App"), None, "last", json!({"thread": "main"}))),
        ]
    };
    let utc = want([
        "2024-06-14T23:58:00.000Z",
        "2024-06-14T23:59:59.999Z",
        "2024-06-15T00:00:00.001Z",
        "2024-06-15T00:04:59.000Z",
    ]);
    // Mapped and streamed input date each entry the same way.
    assert_entries_at(logback, AFTER_MIDNIGHT, &[], &utc);
    assert_entries_at(logback, AFTER_MIDNIGHT, &["--no-mmap"], &utc);
    // Times read in a zone two hours east, the file modified at 00:05 there (22:05Z):
    // 23:58 is on the 14th there (21:58Z), 00:00 on the 15th (22:00Z on the 14th).
    let plus2 = want([
        "2024-06-14T21:58:00.000Z",
        "2024-06-14T21:59:59.999Z",
        "2024-06-14T22:00:00.001Z",
        "2024-06-14T22:04:59.000Z",
    ]);
    let local_midnight = AFTER_MIDNIGHT - 2 * 3600;
    assert_entries_at(logback, local_midnight, &["--tz", "+02:00"], &plus2);

    let serilog = "[23:59:58 INF] Request finished\n[00:00:02 WRN] Slow request\n";
    let inferred = |v: Value| with(v, "dateInferred", json!(true));
    assert_entries_at(
        serilog,
        AFTER_MIDNIGHT,
        &[],
        &[
            inferred(e(
                Some("2024-06-14T23:59:58.000Z"),
                Some("INFO"),
                None,
                None,
                "Request finished",
                json!({}),
            )),
            inferred(e(
                Some("2024-06-15T00:00:02.000Z"),
                Some("WARN"),
                None,
                None,
                "Slow request",
                json!({}),
            )),
        ],
    );
}

#[test]
fn time_of_day_roll_back_holds_across_parallel_chunks_and_streams() {
    // About 12 MB (several 4 MiB chunks, read in parallel): one line per 100 ms from
    // 21:00 to 00:05, the file modified at 00:05.
    let start = 21 * 3600 * 10; // tenths of a second since midnight
    let end = 24 * 3600 * 10 + 5 * 60 * 10;
    let mut text = String::new();
    let mut before = 0u64;
    for t in start..end {
        let tod = t % (24 * 3600 * 10);
        let (h, m, s, d) = (tod / 36000, tod / 600 % 60, tod / 10 % 60, tod % 10);
        text.push_str(&format!(
            "{h:02}:{m:02}:{s:02}.{d}00 [worker-{}] INFO  com.example.Job - step {t} of the nightly batch, padding to make lines longer\n",
            t % 4
        ));
        before += u64::from(t < 24 * 3600 * 10);
    }
    let total = (end - start) as u64;
    assert!(text.len() > 10_000_000, "{}", text.len());
    let dir = Dir::new();
    let path = write_sample(&dir, "night.log", &text, AFTER_MIDNIGHT);
    for extra in [&[][..], &["--no-mmap"][..]] {
        for (window, want) in [
            (["--until", "2024-06-15T00:00:00Z"], before),
            (["--since", "2024-06-15T00:00:00Z"], total - before),
            (["--since", "2024-06-14T21:00:00Z"], total),
        ] {
            let out = dir
                .command()
                .args(["search", "-c", ""])
                .args(window)
                .args(extra)
                .arg(&path)
                .run();
            out.expect_code(0);
            assert_eq!(
                out.stdout_str(),
                format!("{want}\n"),
                "{window:?} {extra:?}"
            );
        }
    }
}

#[test]
fn json_output_marks_only_inferred_dates() {
    let text = "\
[14:23:45 INF] time of day only
[14:23:46 WRN] time of day only too
2015-10-18 18:01:47,978 INFO [main] org.apache.App: full date
";
    let dir = Dir::new();
    let path = write_sample(&dir, "mixed.log", text, MTIME);
    for args in [
        &["search", "--json", ""][..],
        &["export", "--format", "ndjson"][..],
    ] {
        let out = dir.command().args(args).arg(&path).run();
        out.expect_code(0);
        let lines = out.json_lines();
        assert_eq!(lines.len(), 3, "{args:?}");
        assert_eq!(
            lines[0].get("timestamp"),
            Some(&json!("2024-06-15T14:23:45.000Z"))
        );
        assert_eq!(lines[0].get("dateInferred"), Some(&json!(true)), "{args:?}");
        assert_eq!(lines[1].get("dateInferred"), Some(&json!(true)), "{args:?}");
        assert_eq!(
            lines[2].get("timestamp"),
            Some(&json!("2015-10-18T18:01:47.978Z"))
        );
        assert_eq!(lines[2].get("dateInferred"), None, "{args:?}");
    }
}

#[test]
fn detection_on_fifteen_line_samples() {
    let rid = "[9f1c7a52-1b2c-4d3e-8f90-123456789abc] ";
    let rails_tagged = [
        format!("{rid}Started GET \"/users\" for 127.0.0.1 at 2024-05-07 12:04:17 +0000"),
        format!("{rid}Processing by UsersController#index as HTML"),
        format!("{rid}  Parameters: {{\"page\"=>\"2\"}}"),
        format!("{rid}Completed 200 OK in 5ms (Views: 3.2ms | ActiveRecord: 0.4ms)"),
    ];
    let rails_tagged: Vec<&str> = rails_tagged.iter().map(String::as_str).collect();
    let cases: &[(&str, &[&str])] = &[
        ("semantic_logger", &[
            "2024-05-07 12:04:17.597069 I [12345:puma srv tp 001 users_controller.rb:12] UsersController -- Listing users",
            "2024-05-07 12:04:17.600000 D [12345:main] [req-1] (1.2ms) UsersController -- Completed #index -- {:count=>3}",
            "2024-05-07 12:04:18.000000 E [12345:worker-1] PaymentJob -- Charge failed -- Exception: RuntimeError: card declined",
            "/app/jobs/payment_job.rb:40:in `perform'",
            "2024-05-07 12:04:19.000001 W [12345:main] Cache -- miss",
        ]),
        ("rails", &[
            "Started GET \"/users\" for 127.0.0.1 at 2024-05-07 12:04:17 +0000",
            "Processing by UsersController#index as HTML",
            "  Parameters: {\"page\"=>\"2\"}",
            "  User Load (0.4ms)  SELECT \"users\".* FROM \"users\"",
            "Completed 200 OK in 5ms (Views: 3.2ms | ActiveRecord: 0.4ms)",
        ]),
        ("rails", &rails_tagged),
        ("ruby", &[
            "I, [2024-05-07T12:06:17.597069 #4242]  INFO -- : [9f1c7a52-1b2c-4d3e-8f90-123456789abc] Started GET \"/\" for 127.0.0.1 at 2024-05-07 12:06:17 +0000",
            "I, [2024-05-07T12:06:17.600000 #4242]  INFO -- : [9f1c7a52-1b2c-4d3e-8f90-123456789abc] Processing by HomeController#index as HTML",
            "I, [2024-05-07T12:06:17.610000 #4242]  INFO -- : [9f1c7a52-1b2c-4d3e-8f90-123456789abc] Completed 200 OK in 10ms",
        ]),
        ("nlog", &[
            "2024-05-07 12:04:17.5970|INFO|MyApp.Program|Application started",
            "2024-05-07 12:04:18.0001|ERROR|MyApp.Worker|Job failed|System.InvalidOperationException: boom",
            "   at MyApp.Worker.Run() in C:\\src\\Worker.cs:line 42",
            "2024-05-07 12:04:19.1234|DEBUG|Microsoft.Hosting.Lifetime|Now listening on: http://localhost:5000",
        ]),
        ("nlog-csv", &[
            "2024-05-07 12:04:17.5970,Info,Application started,MyApp.Program.Main,Program.Main,",
            "2024-05-07 12:04:18.0001,Error,\"Failed to read \"\"config.json\"\"\",MyApp.Config.Load,Config.Load,",
            "2024-05-07 12:04:19.0000,Warn,Slow request,MyApp.Api.Get,Api.Get,",
        ]),
        ("zerolog", &[
            "3:04PM INF main.go:12 > listening addr=:8080",
            "3:05PM ERR db.go:40 > query failed error=\"connection refused\"",
            "3:06PM DBG tick",
        ]),
        ("zerolog", &[
            "2024-05-07T12:04:17+02:00 INF server.go:7 > server started port=8080",
            "2024-05-07T12:04:18+02:00 WRN slow request ms=1200",
        ]),
        ("gin", &[
            "[GIN] 2024/11/12 - 15:19:06 | 200 |    1.234567ms |       127.0.0.1 | GET      \"/ping\"",
            "[GIN] 2024/11/12 - 15:19:07 | 500 |   12.3456789s |             ::1 | POST     \"/api/orders\"",
            "[GIN] 2024/11/12 - 15:19:08 | 404 |       5.2µs |        10.0.0.3 | GET      \"/missing\"",
        ]),
        ("gin-debug", &[
            "[GIN-debug] [WARNING] Creating an Engine instance with the Logger and Recovery middleware already attached.",
            "[GIN-debug] GET    /ping                     --> main.main.func1 (3 handlers)",
            "[GIN-debug] POST   /users                    --> main.createUser (3 handlers)",
        ]),
        ("log4rs", &[
            "2024-05-07T12:04:17.597069+00:00 INFO my_app::server - listening on 0.0.0.0:8080",
            "2024-05-07T12:04:18.000000123+02:00 ERROR my_app::db - connection lost",
        ]),
        ("winston", &[
            "info: server started {\"port\":8080}",
            "warn: disk almost full",
            "error: request failed {\"status\":500}",
        ]),
        ("winston-printf", &[
            "2024-05-07T12:04:17.597Z [info]: user logged in",
            "2024-05-07T12:04:18.000Z [error]: Error: boom",
            "    at handler (/app/index.js:12:5)",
        ]),
        ("winston-label", &[
            "2024-05-07T12:04:17.597Z [right meow!] info: What time is the testing at?",
            "2024-05-07T12:04:18.000Z [right meow!] warn: slow",
        ]),
        ("pino-pretty", &[
            "[12:04:17.597] INFO (483 on web-1): request completed",
            "    reqId: \"req-1\"",
            "[12:04:18.000] ERROR (myapp/483 on web-1): boom",
            "    err: {",
            "      \"type\": \"Error\"",
            "    }",
        ]),
        ("calico", &[
            "2024-05-07 12:04:17.597 [INFO][123] felix/int_dataplane.go 1836: Received interface update ifaceName=\"eth0\"",
            "2024-05-07 12:04:18.000 [WARNING][123] felix/health.go 190: Reporter is not ready.",
            "2024-05-07 12:04:19.100 [ERROR][45] confd/resource.go 288: Error from checkcmd",
        ]),
    ];
    for (want, lines) in cases {
        let (name, share) = detected(&fifteen(lines));
        assert_eq!(&name, want, "{lines:?}");
        // A tagged line that is not one of Rails' request lines (`[id]   Parameters:`)
        // continues the entry above but is not counted as read: 11 of 15 lines.
        let read = if lines[0].starts_with('[') && *want == "rails" {
            "73%"
        } else {
            "100%"
        };
        assert_eq!(share, read, "{want}: {lines:?}");
    }
}

#[test]
fn gin_with_terminal_colors_and_pino_pretty_epoch_times() {
    let gin = "\
[GIN] 2024/11/12 - 15:19:06 |\x1b[97;42m 200 \x1b[0m|    1.234567ms |       127.0.0.1 |\x1b[97;44m GET     \x1b[0m \"/ping\"
[GIN] 2024/11/12 - 15:19:07 |\x1b[97;41m 503 \x1b[0m|       20.5ms |       127.0.0.1 |\x1b[97;46m POST    \x1b[0m \"/x\"
";
    assert_entries(
        gin,
        &[
            e(
                Some("2024-11-12T15:19:06.000Z"),
                Some("INFO"),
                None,
                None,
                "/ping",
                json!({"status": 200, "latency": "1.234567ms", "client": "127.0.0.1", "method": "GET", "path": "/ping"}),
            ),
            e(
                Some("2024-11-12T15:19:07.000Z"),
                Some("ERROR"),
                None,
                None,
                "/x",
                json!({"status": 503, "latency": "20.5ms", "client": "127.0.0.1", "method": "POST", "path": "/x"}),
            ),
        ],
    );
    // pino-pretty without translateTime prints the epoch in milliseconds.
    let pino = "[1522431328992] INFO (483 on web-1): hello\n[1522431328993] WARN (483 on web-1): careful\n";
    assert_entries(
        pino,
        &[
            e(
                Some("2018-03-30T17:35:28.992Z"),
                Some("INFO"),
                None,
                None,
                "hello",
                json!({"pid": 483, "host": "web-1"}),
            ),
            e(
                Some("2018-03-30T17:35:28.993Z"),
                Some("WARN"),
                None,
                None,
                "careful",
                json!({"pid": 483, "host": "web-1"}),
            ),
        ],
    );
}

/// A level none of the six (winston's `http`) is kept as written and matched by
/// `level:http` on a text format, as on JSON and logfmt; the six-level tests and the
/// fast level read are not changed by it.
#[test]
fn an_unmapped_text_level_is_matched_as_written() {
    let dir = Dir::new();
    let text = "info: started {\"a\":1}\nhttp: GET /x\nerror: boom\nhttp: GET /y\nwarn: slow\n";
    let path = write_sample(&dir, "w.log", text, MTIME);
    for (query, want) in [
        ("level:http", "http: GET /x\nhttp: GET /y\n"),
        ("level:>=WARN", "error: boom\nwarn: slow\n"),
        ("level:INFO", "info: started {\"a\":1}\n"),
    ] {
        let out = dir
            .command()
            .args(["search", "--raw", query])
            .arg(&path)
            .run();
        out.expect_code(0);
        assert_eq!(out.stdout_str(), want, "{query}");
    }
}

/// Redis (`pid:role d Mon yyyy hh:mm:ss.mmm MARK message`, its marks `.` `-` `*` `#`
/// for debug, verbose, notice and warning) and Elixir's Logger console format (a time
/// of day, metadata `key=value` pairs, `[level]`), each entry whole; an id-named pair
/// (`request_id=`) fills the request id as a logfmt key does, and queries count them.
#[test]
fn redis_and_elixir_logger() {
    let redis = "\
1234:M 15 Jan 2024 14:23:45.123 * Ready to accept connections tcp
1234:M 15 Jan 2024 14:23:46.001 # WARNING overcommit_memory is set to 0!
1234:S 15 Jan 2024 14:23:47.500 . DB 0: 1 keys (0 volatile)
1234:C 15 Jan 2024 14:23:48.000 - Accepted 127.0.0.1:6379
";
    let meta = |pid: u32, role: &str| json!({"pid": pid, "role": role});
    assert_entries(
        redis,
        &[
            e(
                Some("2024-01-15T14:23:45.123Z"),
                Some("INFO"),
                None,
                None,
                "Ready to accept connections tcp",
                meta(1234, "M"),
            ),
            e(
                Some("2024-01-15T14:23:46.001Z"),
                Some("WARN"),
                None,
                None,
                "WARNING overcommit_memory is set to 0!",
                meta(1234, "M"),
            ),
            e(
                Some("2024-01-15T14:23:47.500Z"),
                Some("DEBUG"),
                None,
                None,
                "DB 0: 1 keys (0 volatile)",
                meta(1234, "S"),
            ),
            e(
                Some("2024-01-15T14:23:48.000Z"),
                None,
                None,
                None,
                "Accepted 127.0.0.1:6379",
                meta(1234, "C"),
            ),
        ],
    );
    let elixir = "\
11:59:59.100 [error] GenServer MyApp.Worker terminating
** (RuntimeError) boom
    (my_app 0.1.0) lib/my_app/worker.ex:12: MyApp.Worker.handle_info/2
12:00:00.200 request_id=F1x2 user=7 [info] Sent 200 in 3ms
12:00:01.000 [warning] slow query
";
    let inferred = |v: Value| with(v, "dateInferred", json!(true));
    assert_entries(
        elixir,
        &[
            inferred(e(
                Some("2024-06-15T11:59:59.100Z"),
                Some("ERROR"),
                None,
                None,
                "GenServer MyApp.Worker terminating\n** (RuntimeError) boom\n    (my_app 0.1.0) lib/my_app/worker.ex:12: MyApp.Worker.handle_info/2",
                json!({}),
            )),
            with(
                inferred(e(Some("2024-06-15T12:00:00.200Z"), Some("INFO"), None, None, "Sent 200 in 3ms", json!({"user": 7}))),
                "requestId",
                json!("F1x2"),
            ),
            inferred(e(Some("2024-06-15T12:00:01.000Z"), Some("WARN"), None, None, "slow query", json!({}))),
        ],
    );
    let dir = Dir::new();
    write_sample(&dir, "redis.log", redis, MTIME);
    write_sample(&dir, "app.log", elixir, MTIME);
    for (query, file, want) in [
        ("level:>=WARN", "redis.log", "1\n"),
        ("level:DEBUG", "redis.log", "1\n"),
        ("request_id:F1x2", "app.log", "1\n"),
        ("user:7", "app.log", "1\n"),
        ("RuntimeError", "app.log", "1\n"),
        ("level:>=WARN", "app.log", "2\n"),
    ] {
        let out = dir.command().args(["search", "-c", query, file]).run();
        out.expect_code(0);
        assert_eq!(out.stdout_str(), want, "{query} {file}");
    }
}

/// Celery's worker log (`[time: LEVEL/process] message`, a traceback joining the entry)
/// and Django's runserver request lines (`[dd/Mon/yyyy hh:mm:ss] "request" status
/// bytes`, the level from the status as for access logs), each entry whole.
#[test]
fn celery_worker_and_django_runserver() {
    let celery = "\
[2024-01-15 14:23:45,123: INFO/MainProcess] Connected to redis://localhost:6379//
[2024-01-15 14:23:46,500: ERROR/ForkPoolWorker-1] Task app.add[abc-123] raised unexpected: ValueError('x')
Traceback (most recent call last):
  File \"/app/tasks.py\", line 3, in add
ValueError: x
[2024-01-15 14:23:47,000: WARNING/MainProcess] consumer: Connection to broker lost.
";
    assert_entries(
        celery,
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), None, None, "Connected to redis://localhost:6379//", json!({"process": "MainProcess"})),
            e(
                Some("2024-01-15T14:23:46.500Z"),
                Some("ERROR"),
                None,
                None,
                "Task app.add[abc-123] raised unexpected: ValueError('x')\nTraceback (most recent call last):\n  File \"/app/tasks.py\", line 3, in add\nValueError: x",
                json!({"process": "ForkPoolWorker-1"}),
            ),
            e(Some("2024-01-15T14:23:47.000Z"), Some("WARN"), None, None, "consumer: Connection to broker lost.", json!({"process": "MainProcess"})),
        ],
    );
    let django = "\
[15/Jan/2024 14:23:45] \"GET /api/users HTTP/1.1\" 200 1234
[15/Jan/2024 14:23:46] \"POST /login HTTP/1.1\" 403 0
[15/Jan/2024 14:23:47] \"GET /boom HTTP/1.1\" 500 145
";
    let req = |m: &str, p: &str, status: u32, bytes: u32| json!({"method": m, "path": p, "protocol": "HTTP/1.1", "status": status, "bytes": bytes});
    assert_entries(
        django,
        &[
            e(
                Some("2024-01-15T14:23:45.000Z"),
                Some("INFO"),
                None,
                None,
                "GET /api/users HTTP/1.1",
                req("GET", "/api/users", 200, 1234),
            ),
            e(
                Some("2024-01-15T14:23:46.000Z"),
                Some("WARN"),
                None,
                None,
                "POST /login HTTP/1.1",
                req("POST", "/login", 403, 0),
            ),
            e(
                Some("2024-01-15T14:23:47.000Z"),
                Some("ERROR"),
                None,
                None,
                "GET /boom HTTP/1.1",
                req("GET", "/boom", 500, 145),
            ),
        ],
    );
}
