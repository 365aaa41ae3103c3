//! Built-in text formats (issue 11): for each, a sample written from the library's
//! documented default layout, read with `search --json`, every entry asserted whole
//! (timestamp, level, service, source, message, metadata); detection on 15-line
//! samples; mixed streams; `formats` and `formats detect`.

use crate::formats_libs::{fifteen, MTIME};
use crate::util;

use serde_json::{json, Value};
use util::Dir;

/// `formats_libs::write_sample` at `MTIME` (2024-06-15T12:00:00Z), so year-less and
/// date-less timestamps have a known year and date.
pub(crate) fn write_sample(dir: &Dir, name: &str, text: &str) -> std::path::PathBuf {
    crate::formats_libs::write_sample(dir, name, text, MTIME)
}

/// The entries of `text` as `search --json` prints them, reduced to the parsed fields.
fn read(text: &str) -> Vec<Value> {
    read_with(text, &[])
}

fn read_with(text: &str, extra: &[&str]) -> Vec<Value> {
    let dir = Dir::new();
    let path = write_sample(&dir, "sample.log", text);
    let mut cmd = dir.command();
    cmd.args(["search", "--json"])
        .args(extra)
        .arg("")
        .arg(&path);
    let out = cmd.run();
    out.expect_code(0);
    out.json_lines()
        .into_iter()
        .map(|o| parsed_fields(o, &[]))
        .collect()
}

/// The parsed part of an entry as JSON output writes it: the standard fields and the
/// metadata (no metadata at all is printed without the key: the same as `{}` here),
/// plus the keys in `also` when present.
pub(crate) fn parsed_fields(o: serde_json::Map<String, Value>, also: &[&str]) -> Value {
    let standard = [
        "timestamp",
        "level",
        "service",
        "source",
        "message",
        "metadata",
    ];
    let mut o: serde_json::Map<String, Value> = o
        .into_iter()
        .filter(|(k, _)| standard.contains(&k.as_str()) || also.contains(&k.as_str()))
        .collect();
    o.entry("metadata").or_insert_with(|| json!({}));
    Value::Object(o)
}

/// One expected entry.
pub(crate) fn e(
    ts: Option<&str>,
    level: Option<&str>,
    service: Option<&str>,
    source: Option<&str>,
    message: &str,
    metadata: Value,
) -> Value {
    json!({
        "timestamp": ts,
        "level": level,
        "service": service,
        "source": source,
        "message": message,
        "metadata": metadata,
    })
}

fn assert_entries(text: &str, want: &[Value]) {
    let got = read(text);
    assert_eq!(got.len(), want.len(), "entry count: {got:#?}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "entry {i}");
    }
}

/// `formats detect` on a sample: the detected name.
fn detected(text: &str) -> String {
    crate::formats_libs::detected(text).0
}

#[test]
fn syslog_rfc3164_host_app_pid_and_year_from_mtime() {
    let text = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\n\
                Jun 14 15:16:02 combo kernel: Linux version 2.6.5\n\
                <34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8\n";
    assert_entries(
        text,
        &[
            e(
                Some("2024-06-14T15:16:01.000Z"),
                None,
                Some("sshd(pam_unix)"),
                None,
                "check pass; user unknown",
                json!({"host": "combo", "pid": 19939}),
            ),
            e(
                Some("2024-06-14T15:16:02.000Z"),
                None,
                Some("kernel"),
                None,
                "Linux version 2.6.5",
                json!({"host": "combo"}),
            ),
            // October is after the file was written (June 2024): the year before.
            e(
                Some("2023-10-11T22:14:15.000Z"),
                Some("FATAL"),
                Some("su"),
                None,
                "'su root' failed for lonvick on /dev/pts/8",
                json!({"pri": 34, "host": "mymachine"}),
            ),
        ],
    );
}

#[test]
fn syslog_rfc5424() {
    let text = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event\n\
                <11>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.\n";
    assert_entries(
        text,
        &[
            e(
                Some("2003-10-11T22:14:15.003Z"),
                Some("INFO"),
                Some("evntslog"),
                None,
                "An application event",
                json!({"pri": 165, "host": "mymachine.example.com", "msgid": "ID47", "sd": "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"]"}),
            ),
            e(
                Some("2003-08-24T12:14:15.000Z"),
                Some("ERROR"),
                Some("myproc"),
                None,
                "%% It's time to make the do-nuts.",
                json!({"pri": 11, "host": "192.0.2.1", "pid": 8710}),
            ),
        ],
    );
}

#[test]
fn access_log_common_and_combined_fields_and_status_query() {
    let text = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326\n\
                10.0.0.2 - - [15/Nov/2024:23:13:12 +0900] \"POST /api/orders?id=1 HTTP/1.1\" 502 157 \"https://shop.example/cart\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n\
                10.0.0.3 - - [15/Nov/2024:23:13:13 +0900] \"GET /missing HTTP/1.1\" 404 - \"-\" \"curl/8.4.0\"\n";
    assert_entries(
        text,
        &[
            e(
                Some("2000-10-10T20:55:36.000Z"),
                Some("INFO"),
                None,
                None,
                "GET /apache_pb.gif HTTP/1.0",
                json!({"client": "127.0.0.1", "user": "frank", "method": "GET", "path": "/apache_pb.gif", "protocol": "HTTP/1.0", "status": 200, "bytes": 2326}),
            ),
            e(
                Some("2024-11-15T14:13:12.000Z"),
                Some("ERROR"),
                None,
                None,
                "POST /api/orders?id=1 HTTP/1.1",
                json!({"client": "10.0.0.2", "method": "POST", "path": "/api/orders?id=1", "protocol": "HTTP/1.1", "status": 502, "bytes": 157, "referer": "https://shop.example/cart", "agent": "Mozilla/5.0 (X11; Linux x86_64)"}),
            ),
            e(
                Some("2024-11-15T14:13:13.000Z"),
                Some("WARN"),
                None,
                None,
                "GET /missing HTTP/1.1",
                json!({"client": "10.0.0.3", "method": "GET", "path": "/missing", "protocol": "HTTP/1.1", "status": 404, "agent": "curl/8.4.0"}),
            ),
        ],
    );
    let dir = Dir::new();
    let path = write_sample(&dir, "access.log", text);
    let out = dir
        .command()
        .args(["search", "-c", "status:>=500"])
        .arg(&path)
        .run();
    assert_eq!(out.expect_code(0).stdout, b"1\n");
    let out = dir
        .command()
        .args(["search", "-c", "status:>=400 method:GET"])
        .arg(&path)
        .run();
    assert_eq!(out.expect_code(0).stdout, b"1\n");
}

#[test]
fn logback_default_with_java_stack_trace() {
    let text = "14:23:45.123 [main] INFO  com.example.App - Starting App\n\
                14:23:46.001 [http-nio-8080-exec-1] ERROR com.example.web.Controller - Request failed\n\
                java.lang.IllegalStateException: boom\n\
                \tat com.example.web.Controller.handle(Controller.java:42)\n\
                \tat java.base/java.lang.Thread.run(Thread.java:833)\n\
                Caused by: java.io.IOException: closed\n\
                \tat com.example.io.Pipe.read(Pipe.java:7)\n\
                \t... 2 more\n\
                14:23:47.500 [main] WARN  c.e.App - Slow start: 2 s\n";
    assert_entries(
        text,
        &[
            e(Some("2024-06-15T14:23:45.123Z"), Some("INFO"), Some("com.example.App"), None, "Starting App", json!({"thread": "main"})),
            e(
                Some("2024-06-15T14:23:46.001Z"),
                Some("ERROR"),
                Some("com.example.web.Controller"),
                None,
                "Request failed\njava.lang.IllegalStateException: boom\n\tat com.example.web.Controller.handle(Controller.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\nCaused by: java.io.IOException: closed\n\tat com.example.io.Pipe.read(Pipe.java:7)\n\t... 2 more",
                json!({"thread": "http-nio-8080-exec-1"}),
            ),
            e(Some("2024-06-15T14:23:47.500Z"), Some("WARN"), Some("c.e.App"), None, "Slow start: 2 s", json!({"thread": "main"})),
        ],
    );
}

#[test]
fn log4j_layouts() {
    let text = "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster\n\
                2015-10-18 18:01:48,100 ERROR [RMCommunicator] org.apache.hadoop.Rm: Error communicating\n\
                \tat org.apache.hadoop.Rm.heartbeat(Rm.java:10)\n\
                2022-10-03 09:00:45,317 INFO [http-nio-8080-exec-1] [com.atlassian.jira.JiraLoginFilter] doFilter Login attempted\n";
    assert_entries(
        text,
        &[
            e(
                Some("2015-10-18T18:01:47.978Z"),
                Some("INFO"),
                Some("org.apache.hadoop.mapreduce.v2.app.MRAppMaster"),
                None,
                "Created MRAppMaster",
                json!({"thread": "main"}),
            ),
            e(
                Some("2015-10-18T18:01:48.100Z"),
                Some("ERROR"),
                Some("org.apache.hadoop.Rm"),
                None,
                "Error communicating\n\tat org.apache.hadoop.Rm.heartbeat(Rm.java:10)",
                json!({"thread": "RMCommunicator"}),
            ),
            e(
                Some("2022-10-03T09:00:45.317Z"),
                Some("INFO"),
                Some("com.atlassian.jira.JiraLoginFilter"),
                None,
                "doFilter Login attempted",
                json!({"thread": "http-nio-8080-exec-1"}),
            ),
        ],
    );
}

#[test]
fn python_logging_default_with_traceback() {
    let text = "2024-01-15 14:23:45,123 - app.db - WARNING - slow query: 2.5 s\n\
                2024-01-15 14:23:46,001 - app.api - ERROR - request failed\n\
                Traceback (most recent call last):\n\
                \x20 File \"/srv/app/api.py\", line 12, in handle\n\
                \x20   return compute(x)\n\
                ZeroDivisionError: division by zero\n\
                2024-01-15 14:23:47,000 - root - INFO - done\n";
    assert_entries(
        text,
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("WARN"), Some("app.db"), None, "slow query: 2.5 s", json!({})),
            e(
                Some("2024-01-15T14:23:46.001Z"),
                Some("ERROR"),
                Some("app.api"),
                None,
                "request failed\nTraceback (most recent call last):\n  File \"/srv/app/api.py\", line 12, in handle\n    return compute(x)\nZeroDivisionError: division by zero",
                json!({}),
            ),
            e(Some("2024-01-15T14:23:47.000Z"), Some("INFO"), Some("root"), None, "done", json!({})),
        ],
    );
}

#[test]
fn python_basic_config() {
    assert_entries(
        "WARNING:root:disk almost full\nCRITICAL:app.worker:lost connection: retrying\n",
        &[
            e(
                None,
                Some("WARN"),
                Some("root"),
                None,
                "disk almost full",
                json!({}),
            ),
            e(
                None,
                Some("FATAL"),
                Some("app.worker"),
                None,
                "lost connection: retrying",
                json!({}),
            ),
        ],
    );
}

#[test]
fn klog_message_is_never_cut_and_pairs_are_fields() {
    let text = "E0507 12:04:17.597069       1 pod_workers.go:1300] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\"\" pod=\"kube-system/coredns\"\n\
                I0507 12:04:18.000001    4242 main.go:10] Starting ERROR handler on :8080\n\
                W20170322 06:59:16.062826 61456 demo.cc:352] Ut enim ad minim\n";
    assert_entries(
        text,
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("ERROR"),
                None,
                Some("pod_workers.go:1300"),
                "Error syncing pod, skipping",
                json!({"thread": 1, "err": "failed to \"StartContainer\"", "pod": "kube-system/coredns"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("INFO"),
                None,
                Some("main.go:10"),
                "Starting ERROR handler on :8080",
                json!({"thread": 4242}),
            ),
            e(
                Some("2017-03-22T06:59:16.062Z"),
                Some("WARN"),
                None,
                Some("demo.cc:352"),
                "Ut enim ad minim",
                json!({"thread": 61456}),
            ),
        ],
    );
}

#[test]
fn hclog() {
    assert_entries(
        "2024-01-15T14:23:45.123Z [INFO]  agent: started: version=1.2\n2024-01-15T14:23:46.000Z [ERROR] agent.raft: failed to heartbeat: error=\"timeout\"\n",
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), Some("agent"), None, "started: version=1.2", json!({})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("ERROR"), Some("agent.raft"), None, "failed to heartbeat: error=\"timeout\"", json!({})),
        ],
    );
}

#[test]
fn rust_env_logger_and_tracing() {
    assert_entries(
        "[2017-11-09T02:12:24Z ERROR main] this is printed by default\n[2017-11-09T02:12:25Z INFO  my_app::db] connected\n",
        &[
            e(Some("2017-11-09T02:12:24.000Z"), Some("ERROR"), Some("main"), None, "this is printed by default", json!({})),
            e(Some("2017-11-09T02:12:25.000Z"), Some("INFO"), Some("my_app::db"), None, "connected", json!({})),
        ],
    );
    assert_entries(
        "2022-02-15T18:40:14.289898Z  INFO fmt: preparing to shave yaks number_of_yaks=3\n2022-02-15T18:40:14.290011Z TRACE shaving_yaks{yaks=3}:shave{yak=1}: fmt::yak_shave: hello! excitement=\"yay!\"\n",
        &[
            e(Some("2022-02-15T18:40:14.289Z"), Some("INFO"), Some("fmt"), None, "preparing to shave yaks number_of_yaks=3", json!({})),
            e(Some("2022-02-15T18:40:14.290Z"), Some("TRACE"), Some("fmt::yak_shave"), None, "hello! excitement=\"yay!\"", json!({"span": "shaving_yaks{yaks=3}:shave{yak=1}:"})),
        ],
    );
}

#[test]
fn loguru_structlog_ruby_kafka_spdlog() {
    assert_entries(
        "2024-01-15 14:23:45.123 | INFO     | app.main:run:42 - started\n2024-01-15 14:23:46.000 | SUCCESS  | app.main:run:50 - all good\n2024-01-15 14:23:47.000 | AUDIT    | app.main:run:51 - user 7 logged in\n",
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), None, Some("app.main:run:42"), "started", json!({})),
            // loguru's SUCCESS sits between INFO and WARNING.
            e(Some("2024-01-15T14:23:46.000Z"), Some("INFO"), None, Some("app.main:run:50"), "all good", json!({})),
            // A custom level that maps to none of the six keeps its text.
            e(Some("2024-01-15T14:23:47.000Z"), None, None, Some("app.main:run:51"), "user 7 logged in", json!({"level": "AUDIT"})),
        ],
    );
    assert_entries(
        "2024-01-15 14:23:45 [info     ] user logged in                 user=alice id=7\n2024-01-15 14:23:46 [error    ] payment failed\n",
        &[
            e(Some("2024-01-15T14:23:45.000Z"), Some("INFO"), None, None, "user logged in", json!({"user": "alice", "id": 7})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("ERROR"), None, None, "payment failed", json!({})),
        ],
    );
    assert_entries(
        "I, [2024-01-15T14:23:45.123456 #1234]  INFO -- app: started\nE, [2024-01-15T14:23:46.000000 #1234] ERROR -- : crashed\n",
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), Some("app"), None, "started", json!({"pid": 1234})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("ERROR"), None, None, "crashed", json!({"pid": 1234})),
        ],
    );
    assert_entries(
        "[2024-01-15 14:23:45,123] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)\n[2024-01-15 14:23:46,000] WARN Session timed out\n",
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), Some("kafka.server.KafkaServer"), None, "[KafkaServer id=0] started", json!({})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("WARN"), None, None, "Session timed out", json!({})),
        ],
    );
    assert_entries(
        "[2024-01-15 14:23:45.123] [net] [warning] retrying\n[2024-01-15 14:23:46.000] [critical] out of memory\n",
        &[
            e(Some("2024-01-15T14:23:45.123Z"), Some("WARN"), Some("net"), None, "retrying", json!({})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("FATAL"), None, None, "out of memory", json!({})),
        ],
    );
}

#[test]
fn serilog_console_with_exception_and_time_of_day() {
    let text = "[14:23:45 INF] Request finished in 12 ms\n\
                [14:23:46 ERR] Unhandled exception\n\
                System.InvalidOperationException: this is a test\n\
                \x20  at MyClass.MyFlakyMethod() in SomeFile.cs:line 200\n\
                [14:23:47 WRN] Retrying\n";
    assert_entries(
        text,
        &[
            e(Some("2024-06-15T14:23:45.000Z"), Some("INFO"), None, None, "Request finished in 12 ms", json!({})),
            e(Some("2024-06-15T14:23:46.000Z"), Some("ERROR"), None, None, "Unhandled exception\nSystem.InvalidOperationException: this is a test\n   at MyClass.MyFlakyMethod() in SomeFile.cs:line 200", json!({})),
            e(Some("2024-06-15T14:23:47.000Z"), Some("WARN"), None, None, "Retrying", json!({})),
        ],
    );
}

#[test]
fn java_util_logging_two_line_records() {
    let text = "Oct 9, 2010 12:46:34 PM log.test.LogTest main\nSEVERE: Message in locales 1\nOct 9, 2010 12:46:35 PM log.test.LogTest main\nFINEST: Message 2\n";
    assert_entries(
        text,
        &[
            e(
                Some("2010-10-09T12:46:34.000Z"),
                Some("ERROR"),
                Some("log.test.LogTest"),
                Some("main"),
                "Message in locales 1",
                json!({}),
            ),
            e(
                Some("2010-10-09T12:46:35.000Z"),
                Some("TRACE"),
                Some("log.test.LogTest"),
                Some("main"),
                "Message 2",
                json!({}),
            ),
        ],
    );
}

#[test]
fn cri_journald_iso_and_spring_boot() {
    assert_entries(
        "2024-01-15T14:23:45.123456789Z stdout F hello world\n2024-01-15T14:23:46.000000000Z stderr P partial line\n",
        &[
            // CRI is a wrapper (tests/cli/formats_nested.rs): the tag says whether a line is
            // partial, and is no field.
            e(Some("2024-01-15T14:23:45.123Z"), None, None, None, "hello world", json!({"stream": "stdout"})),
            e(Some("2024-01-15T14:23:46.000Z"), None, None, None, "partial line", json!({"stream": "stderr"})),
        ],
    );
    assert_entries(
        "2024-01-15T14:23:45+0100 web01 sshd[123]: Accepted publickey for bob\n2024-01-15T14:23:46+0100 web01 systemd[1]: Started Session 5.\n",
        &[
            e(Some("2024-01-15T13:23:45.000Z"), None, Some("sshd"), None, "Accepted publickey for bob", json!({"host": "web01", "pid": 123})),
            e(Some("2024-01-15T13:23:46.000Z"), None, Some("systemd"), None, "Started Session 5.", json!({"host": "web01", "pid": 1})),
        ],
    );
    assert_entries(
        "2024-01-15T14:23:45.123+01:00  INFO 12345 --- [           main] c.e.DemoApplication                      : Started DemoApplication in 1.2 seconds\n",
        &[e(Some("2024-01-15T13:23:45.123Z"), Some("INFO"), Some("c.e.DemoApplication"), None, "Started DemoApplication in 1.2 seconds", json!({"pid": 12345, "thread": "main"}))],
    );
}

#[test]
fn detection_on_fifteen_line_samples() {
    let cases: &[(&str, &[&str])] = &[
        ("syslog", &["Jun 14 15:16:01 combo sshd[19939]: check pass; user unknown", "Jun 14 15:16:02 combo CRON[1]: (root) CMD (run-parts)"]),
        ("syslog5424", &["<165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 - An event"]),
        ("access", &["127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl/8\""]),
        ("apache-error", &["[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"]),
        ("logback", &["14:23:45.123 [main] INFO  com.example.App - Starting", "\tat com.example.App.main(App.java:1)"]),
        ("log4j", &["2015-10-18 18:01:47,978 INFO [main] org.apache.App: Created", "2015-10-18 18:01:48,978 WARN [main] org.apache.App: Slow"]),
        ("python", &["2024-01-15 14:23:45,123 - app - INFO - started", "Traceback (most recent call last):", "  File \"x.py\", line 1, in <module>", "ValueError: bad"]),
        ("klog", &["I0507 12:04:17.597069       1 main.go:10] \"Started\" port=80"]),
        ("hclog", &["2024-01-15T14:23:45.123Z [INFO]  agent: started"]),
        ("logrus", &["INFO[0000] started                                       port=8080", "WARN[0001] slow                                          ms=200"]),
        ("env_logger", &["[2017-11-09T02:12:24Z ERROR main] this is printed by default"]),
        ("tracing", &["2022-02-15T18:40:14.289898Z  INFO fmt: preparing to shave yaks number_of_yaks=3"]),
        ("loguru", &["2024-01-15 14:23:45.123 | INFO     | app.main:run:42 - started"]),
        ("structlog", &["2024-01-15 14:23:45 [info     ] user logged in                 user=alice"]),
        ("ruby", &["I, [2024-01-15T14:23:45.123456 #1234]  INFO -- app: started"]),
        ("kafka", &["[2024-01-15 14:23:45,123] INFO started (kafka.server.KafkaServer)"]),
        ("spdlog", &["[2024-01-15 14:23:45.123] [info] started"]),
        ("serilog", &["[14:23:45 INF] Request finished in 12 ms"]),
        // A wrapper: the inner lines are detected on their own (tests/cli/formats_nested.rs).
        ("cri/plain", &["2024-01-15T14:23:45.123456789Z stdout F hello"]),
        ("journald-iso", &["2024-01-15T14:23:45+0100 web01 sshd[123]: Accepted publickey"]),
        ("covet", &["2024-01-15 14:23:45.123 [ERROR] covet-core request.rs:42 Failed", "{", "  \"traceId\": \"abc\"", "}"]),
        ("logcat", &["03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs"]),
        ("monolog", &["[2023-05-15 18:19:32] local.ERROR: Target class does not exist. {} []", "[stacktrace]", "#0 /app/vendor/Container.php(795): build()"]),
        ("zap", &["2024-01-15T14:23:45.123Z\tINFO\tmain.go:12\tstarted\t{\"port\": 8080}"]),
        ("spring-boot", &["2024-01-15T14:23:45.123+01:00  INFO 12345 --- [main] c.e.App : started"]),
        ("nginx-error", &["2024/01/15 14:23:45 [error] 1234#0: *1 open() failed"]),
        ("go-log", &["2024/01/15 14:23:45 main.go:12: listening on :8080"]),
        ("celery", &["[2024-01-15 14:23:45,123: INFO/MainProcess] Connected to redis://localhost:6379//", "[2024-01-15 14:23:46,500: ERROR/ForkPoolWorker-1] Task app.add[abc] raised unexpected: ValueError('x')"]),
        ("django", &["[15/Jan/2024 14:23:45] \"GET /api/users HTTP/1.1\" 200 1234", "[15/Jan/2024 14:23:46] \"POST /login HTTP/1.1\" 302 0"]),
        ("redis", &["1234:M 15 Jan 2024 14:23:45.123 * Ready to accept connections tcp", "1234:M 15 Jan 2024 14:23:46.001 # WARNING overcommit_memory is set to 0!"]),
        ("elixir", &["14:23:45.123 [error] GenServer MyApp.Worker terminating", "14:23:45.200 request_id=F1x2 [info] Sent 200 in 3ms"]),
    ];
    for (want, lines) in cases {
        assert_eq!(detected(&fifteen(lines)), *want, "{lines:?}");
    }
}

#[test]
fn covet_layout_does_not_claim_sentences() {
    // `[INFO] Starting server on port 80`: `Starting` is a word of the message, not a
    // service, so the covet layout is not chosen and the message is whole.
    let text = fifteen(&["2024-01-15 14:23:45.123 [INFO] Starting server on port 80"]);
    assert_ne!(detected(&text), "covet");
    let got = read(&text);
    assert_eq!(got.len(), 15);
    assert_eq!(got[0]["message"], "Starting server on port 80");
    assert_eq!(got[0]["service"], Value::Null);
}

#[test]
fn mixed_stream_keeps_complete_entries_apart() {
    // A Java log with a stack trace, a JSON line and a syslog line in the middle: the
    // trace joins its entry; the JSON and syslog lines are entries of their own, each
    // read in its own format.
    let text = "14:23:45.123 [main] ERROR com.example.App - failed\n\
                java.lang.RuntimeException: x\n\
                \tat com.example.App.main(App.java:3)\n\
                {\"level\":\"warn\",\"msg\":\"from json\"}\n\
                Jun 15 14:23:46 host cron[7]: job done\n\
                14:23:47.000 [main] INFO  com.example.App - recovered\n\
                multi-line message text\n";
    let got = read(text);
    let messages: Vec<&str> = got.iter().map(|v| v["message"].as_str().unwrap()).collect();
    assert_eq!(
        messages,
        [
            "failed\njava.lang.RuntimeException: x\n\tat com.example.App.main(App.java:3)",
            "from json",
            "job done",
            "recovered\nmulti-line message text",
        ]
    );
}

#[test]
fn a_logfmt_stream_reads_its_json_lines_as_json() {
    // Most lines logfmt, one a JSON object: each line read in its own format.
    let text = "time=2024-01-15T10:00:00Z level=info msg=a\n\
                {\"time\":\"2024-01-15T10:00:01Z\",\"level\":\"error\",\"msg\":\"from json\",\"n\":7}\n\
                time=2024-01-15T10:00:02Z level=warn msg=c\n\
                time=2024-01-15T10:00:03Z level=info msg=d\n";
    assert_eq!(detected(text), "logfmt");
    let got = read(text);
    let seen: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|v| {
            (
                v["timestamp"].as_str().unwrap(),
                v["level"].as_str().unwrap(),
                v["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2024-01-15T10:00:00.000Z", "INFO", "a"),
            ("2024-01-15T10:00:01.000Z", "ERROR", "from json"),
            ("2024-01-15T10:00:02.000Z", "WARN", "c"),
            ("2024-01-15T10:00:03.000Z", "INFO", "d"),
        ]
    );
    assert_eq!(got[1]["metadata"]["n"], 7);
}

#[test]
fn formats_lists_builtins_and_detect_shows_share_and_samples() {
    let dir = Dir::new();
    let out = dir.command().arg("formats").run();
    let list = out.expect_code(0).stdout.clone();
    let list = String::from_utf8(list).unwrap();
    for name in [
        "json", "logfmt", "covet", "syslog", "access", "klog", "logback", "python", "plain",
    ] {
        assert!(
            list.lines()
                .any(|l| l.split_whitespace().next() == Some(name)),
            "{name} missing:\n{list}"
        );
    }
    let path = write_sample(
        &dir,
        "app.log",
        "WARNING:root:disk almost full\nINFO:app:started\nnot a log line\n",
    );
    let out = dir.command().args(["formats", "detect"]).arg(&path).run();
    let text = String::from_utf8(out.expect_code(0).stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "{}: python-basic (66% of 3 sampled lines read)",
            path.display()
        )
    );
    assert_eq!(
        lines[1],
        r#"  {"level":"WARN","service":"root","message":"disk almost full"}"#
    );
    assert_eq!(
        lines[2],
        r#"  {"level":"INFO","service":"app","message":"started\nnot a log line"}"#
    );
    assert_eq!(lines.len(), 3);
    let out = dir
        .command()
        .args(["formats", "detect"])
        .arg(dir.join("missing.log"))
        .run();
    out.expect_code(2);
}

#[test]
fn format_flag_names_a_builtin_format() {
    // One klog line among plain ones: detection would say `plain`; `--format klog`
    // reads the klog line whole.
    let text =
        "some banner\nE0507 12:04:17.597069       1 main.go:5] \"Failed\" code=3\nanother note\n";
    let got = read_with(text, &["--format", "klog"]);
    assert_eq!(got.len(), 2, "{got:#?}");
    // The text before the first entry is an entry of its own.
    assert_eq!(got[0], e(None, None, None, None, "some banner", json!({})));
    assert_eq!(
        got[1],
        e(
            Some("2024-05-07T12:04:17.597Z"),
            Some("ERROR"),
            None,
            Some("main.go:5"),
            "Failed\nanother note",
            json!({"thread": 1, "code": 3})
        )
    );
}

#[test]
fn user_formats_from_formats_toml() {
    let dir = Dir::new();
    let conf = dir.create_dir("conf");
    std::fs::write(
        conf.join("formats.toml"),
        "[formats.inventory]\nregex = '^(?P<ts>\\d\\d:\\d\\d:\\d\\d) <(?P<level>\\w+)> (?P<service>\\w+) #(?P<order>\\d+): (?P<msg>.*)$'\ntimestamp = \"time-of-day\"\n",
    )
    .unwrap();
    let lines = [
        "12:00:01 <warn> stock #17: low on widgets",
        "12:00:02 <info> billing #18: paid",
        "  detail line",
    ];
    let path = write_sample(&dir, "inv.log", &fifteen(&lines[..2]));
    let out = dir
        .command()
        .env("COVET_LOGS_CONFIG_DIR", &conf)
        .args(["formats", "detect"])
        .arg(&path)
        .run();
    let text = String::from_utf8(out.expect_code(0).stdout.clone()).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        format!(
            "{}: inventory (100% of 15 sampled lines read)",
            path.display()
        )
    );
    let path = write_sample(
        &dir,
        "inv2.log",
        &lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    );
    let out = dir
        .command()
        .env("COVET_LOGS_CONFIG_DIR", &conf)
        .args(["search", "--json", "order:>=18"])
        .arg(&path)
        .run();
    let got = out.expect_code(0).json_lines();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["message"], "paid\n  detail line");
    assert_eq!(got[0]["level"], "INFO");
    assert_eq!(got[0]["service"], "billing");
    assert_eq!(got[0]["timestamp"], "2024-06-15T12:00:02.000Z");
    let out = dir
        .command()
        .env("COVET_LOGS_CONFIG_DIR", &conf)
        .arg("formats")
        .run();
    assert!(String::from_utf8_lossy(&out.expect_code(0).stdout)
        .lines()
        .any(|l| l.starts_with("inventory ")));

    // A bad definition: file, line and reason, exit 2.
    std::fs::write(
        conf.join("formats.toml"),
        "# mine\n[formats.bad]\nregex = '(?P<msg>.*'\n",
    )
    .unwrap();
    let out = dir
        .command()
        .env("COVET_LOGS_CONFIG_DIR", &conf)
        .args(["search", "-c", ""])
        .arg(&path)
        .run();
    out.expect_code(2);
    let err = out.stderr.clone();
    let want = format!(
        "covet-logs: {}:3: format 'bad': bad regex: ",
        conf.join("formats.toml").display()
    );
    assert!(err.starts_with(&want), "{err}");
}

#[test]
fn a_raw_stack_trace_after_a_json_or_logfmt_line_joins_its_entry() {
    let java = "java.lang.IllegalStateException: pool closed\n\
                \tat com.x.Pool.get(Pool.java:42)\n\
                Caused by: java.io.IOException: reset\n\
                \t... 3 more\n";
    let python = "Traceback (most recent call last):\n  \
                  File \"app.py\", line 7, in <module>\n    \
                  main()\n\
                  ValueError: bad input\n";
    let json = format!(
        "{{\"time\":\"2024-01-15T10:00:00Z\",\"level\":\"info\",\"msg\":\"a\"}}\n\
         {{\"time\":\"2024-01-15T10:00:01Z\",\"level\":\"error\",\"msg\":\"b\"}}\n{java}\
         {{\"time\":\"2024-01-15T10:00:02Z\",\"level\":\"error\",\"msg\":\"c\"}}\n{python}\
         {{\"time\":\"2024-01-15T10:00:03Z\",\"level\":\"info\",\"msg\":\"d\"}}\n"
    );
    let logfmt = format!(
        "time=2024-01-15T10:00:00Z level=info msg=a\n\
         time=2024-01-15T10:00:01Z level=error msg=b\n{java}\
         time=2024-01-15T10:00:02Z level=error msg=c\n{python}\
         time=2024-01-15T10:00:03Z level=info msg=d\n"
    );
    for (name, text) in [("json", &json), ("logfmt", &logfmt)] {
        assert_eq!(detected(text), name);
        let seen: Vec<(String, String, String)> = read(text)
            .iter()
            .map(|v| {
                let s = |k: &str| v[k].as_str().unwrap().to_string();
                (s("timestamp"), s("level"), s("message"))
            })
            .collect();
        let want = [
            ("2024-01-15T10:00:00.000Z", "INFO", "a".to_string()),
            (
                "2024-01-15T10:00:01.000Z",
                "ERROR",
                format!("b\n{}", java.trim_end()),
            ),
            (
                "2024-01-15T10:00:02.000Z",
                "ERROR",
                format!("c\n{}", python.trim_end()),
            ),
            ("2024-01-15T10:00:03.000Z", "INFO", "d".to_string()),
        ]
        .map(|(t, l, m)| (t.to_string(), l.to_string(), m));
        assert_eq!(seen, want, "{name}");
        // A word of the trace finds the whole entry, printed as written.
        let dir = Dir::new();
        let path = write_sample(&dir, "sample.log", text);
        let out = dir
            .command()
            .args(["search", "--color", "never", "IOException"])
            .arg(&path)
            .run();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            out.expect_code(0).stdout_str(),
            format!("{}\n{java}", lines[1]),
            "{name}"
        );
        let out = dir
            .command()
            .args(["search", "-c", "level:error"])
            .arg(&path)
            .run();
        assert_eq!(out.expect_code(0).stdout_str(), "2\n", "{name}");
    }
}
