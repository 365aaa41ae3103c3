//! Format gaps closed after issue 11's first pass: lines written in terminal colour
//! (SGR escape codes) read as their format without the codes; `key=value` tails whose
//! unquoted values hold spaces (Calico/felix); Rails request lines dated by their
//! request; vdsm and the MySQL slow query log; OpenTelemetry OTLP JSON (key-value
//! lists, batches named); NLog CSV exceptions over several lines. Each sample is
//! written from the library's documented output and read with
//! `export --format ndjson`, every entry asserted whole; detection on 15-line samples.

use crate::formats_libs::{
    assert_entries, detected, e, export_with, fifteen, with, write_sample, MTIME,
};
use crate::util::Dir;
use serde_json::{json, Value};

/// `search -c QUERY` on a sample.
fn count(text: &str, query: &str) -> u64 {
    let dir = Dir::new();
    let path = write_sample(&dir, "sample.log", text, MTIME);
    let out = dir.command().args(["search", "-c", query]).arg(&path).run();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(u64::MAX)
}

// Colour codes as each library writes them (from its source):
// zerolog console.go: `colorize(s, c) = "\x1b[%dm%v\x1b[0m"`; time dark gray (90),
// INF green (32), ERR bold (1) around red (31), caller bold + cyan ` >`, field names
// with `=` cyan (36), the error field red.
const ZEROLOG: &str = "\
\x1b[90m3:04PM\x1b[0m \x1b[32mINF\x1b[0m \x1b[1mmain.go:12\x1b[0m\x1b[36m >\x1b[0m listening \x1b[36maddr=\x1b[0m:8080 \x1b[36mpid=\x1b[0m42
\x1b[90m3:05PM\x1b[0m \x1b[1m\x1b[31mERR\x1b[0m\x1b[0m \x1b[1mdb.go:7\x1b[0m\x1b[36m >\x1b[0m query failed \x1b[31merror=\x1b[0m\x1b[31m\"conn refused\"\x1b[0m \x1b[36mtable=\x1b[0musers
";
// logrus text_formatter.go on a terminal: `\x1b[%dm%s\x1b[0m[%04d] %-44s ` and each key
// `\x1b[%dm%s\x1b[0m=`, in the level's colour (info 36, warn 33, error 31).
const LOGRUS: &str = "\
\x1b[36mINFO\x1b[0m[0000] started                                       \x1b[36mport\x1b[0m=8080
\x1b[33mWARN\x1b[0m[0002] slow request                                  \x1b[33mpath\x1b[0m=/api \x1b[33mms\x1b[0m=812
\x1b[31mERRO\x1b[0m[0005] request failed                                \x1b[31merror\x1b[0m=\"timeout after 5s\"
";
// loguru's default format, `<green>{time}</green> | <level>{level: <8}</level> |
// <cyan>{name}</cyan>:<cyan>{function}</cyan>:<cyan>{line}</cyan> - <level>{message}</level>`:
// green 32, cyan 36, INFO bold (1), WARNING yellow bold, closed with 0.
const LOGURU: &str = "\
\x1b[32m2024-01-15 14:23:45.123\x1b[0m | \x1b[1mINFO    \x1b[0m | \x1b[36mapp.main\x1b[0m:\x1b[36mrun\x1b[0m:\x1b[36m42\x1b[0m - \x1b[1mstarted\x1b[0m
\x1b[32m2024-01-15 14:23:46.500\x1b[0m | \x1b[33m\x1b[1mWARNING \x1b[0m | \x1b[36mapp.db\x1b[0m:\x1b[36mquery\x1b[0m:\x1b[36m7\x1b[0m - \x1b[33m\x1b[1mslow query\x1b[0m
";
// tracing-subscriber's Full format with ANSI: the time dimmed (2), the level in its
// colour (INFO green 32, WARN yellow 33), the target dimmed and `:` dimmed, field
// names italic (3) and `=` dimmed.
const TRACING: &str = "\
\x1b[2m2022-02-15T18:40:14.289898Z\x1b[0m \x1b[32m INFO\x1b[0m \x1b[2mfmt\x1b[0m\x1b[2m:\x1b[0m preparing to shave yaks \x1b[3mnumber_of_yaks\x1b[0m\x1b[2m=\x1b[0m3
\x1b[2m2022-02-15T18:40:14.290000Z\x1b[0m \x1b[33m WARN\x1b[0m \x1b[2mfmt::yak_shave\x1b[0m\x1b[2m:\x1b[0m could not locate yak
";
// Gin logger.go: status and method in background colours (`\x1b[97;42m`,
// `\x1b[97;44m`), reset `\x1b[0m`.
const GIN: &str = "\
[GIN] 2024/11/12 - 15:19:06 |\x1b[97;42m 200 \x1b[0m|    1.234567ms |       127.0.0.1 |\x1b[97;44m GET     \x1b[0m \"/ping\"
[GIN] 2024/11/12 - 15:19:07 |\x1b[90;43m 404 \x1b[0m|       5.1µs |       127.0.0.1 |\x1b[97;46m POST    \x1b[0m \"/missing\"
";
// winston's `colorize()` (logform, via @colors/colors): `\x1b[32m` ... `\x1b[39m`
// around the level; with `{ all: true }` around the message too.
const WINSTON: &str = "\
\x1b[32minfo\x1b[39m: user logged in {\"user\":\"alice\"}
\x1b[31merror\x1b[39m: \x1b[31mpayment failed\x1b[39m
";

#[test]
fn coloured_lines_read_as_their_format_without_the_codes() {
    let z = json!({});
    let cases: Vec<(&str, &str, Vec<Value>)> = vec![
        (
            "zerolog",
            ZEROLOG,
            vec![
                with(
                    e(
                        Some("2024-06-15T15:04:00.000Z"),
                        Some("INFO"),
                        None,
                        Some("main.go:12"),
                        "listening",
                        json!({"addr": ":8080", "pid": 42}),
                    ),
                    "dateInferred",
                    json!(true),
                ),
                with(
                    e(
                        Some("2024-06-15T15:05:00.000Z"),
                        Some("ERROR"),
                        None,
                        Some("db.go:7"),
                        "query failed",
                        json!({"error": "conn refused", "table": "users"}),
                    ),
                    "dateInferred",
                    json!(true),
                ),
            ],
        ),
        (
            "logrus",
            LOGRUS,
            vec![
                e(
                    None,
                    Some("INFO"),
                    None,
                    None,
                    "started",
                    json!({"port": 8080}),
                ),
                e(
                    None,
                    Some("WARN"),
                    None,
                    None,
                    "slow request",
                    json!({"path": "/api", "ms": 812}),
                ),
                e(
                    None,
                    Some("ERROR"),
                    None,
                    None,
                    "request failed",
                    json!({"error": "timeout after 5s"}),
                ),
            ],
        ),
        (
            "loguru",
            LOGURU,
            vec![
                e(
                    Some("2024-01-15T14:23:45.123Z"),
                    Some("INFO"),
                    None,
                    Some("app.main:run:42"),
                    "started",
                    z.clone(),
                ),
                e(
                    Some("2024-01-15T14:23:46.500Z"),
                    Some("WARN"),
                    None,
                    Some("app.db:query:7"),
                    "slow query",
                    z.clone(),
                ),
            ],
        ),
        (
            "tracing",
            TRACING,
            vec![
                e(
                    Some("2022-02-15T18:40:14.289Z"),
                    Some("INFO"),
                    Some("fmt"),
                    None,
                    "preparing to shave yaks number_of_yaks=3",
                    z.clone(),
                ),
                e(
                    Some("2022-02-15T18:40:14.290Z"),
                    Some("WARN"),
                    Some("fmt::yak_shave"),
                    None,
                    "could not locate yak",
                    z.clone(),
                ),
            ],
        ),
        (
            "gin",
            GIN,
            vec![
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
                    Some("WARN"),
                    None,
                    None,
                    "/missing",
                    json!({"status": 404, "latency": "5.1µs", "client": "127.0.0.1", "method": "POST", "path": "/missing"}),
                ),
            ],
        ),
        (
            "winston",
            WINSTON,
            vec![
                e(
                    None,
                    Some("INFO"),
                    None,
                    None,
                    "user logged in",
                    json!({"user": "alice"}),
                ),
                e(None, Some("ERROR"), None, None, "payment failed", z.clone()),
            ],
        ),
    ];
    for (name, text, want) in cases {
        let got = export_with(text, MTIME, &[]);
        assert_eq!(got, want, "{name}");
        // Detection on 15 coloured lines, every line read.
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            detected(&fifteen(&lines)),
            (name.to_string(), "100%".to_string()),
            "{name}"
        );
    }
}

#[test]
fn coloured_lines_keep_their_bytes_and_match_words_across_colour_changes() {
    let dir = Dir::new();
    let path = write_sample(&dir, "z.log", ZEROLOG, MTIME);
    // Raw output is the original text, codes and all.
    let out = dir
        .command()
        .args(["search", "--raw", "query failed"])
        .arg(&path)
        .run();
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        ZEROLOG
            .lines()
            .nth(1)
            .unwrap()
            .as_bytes()
            .iter()
            .chain(b"\n")
            .copied()
            .collect::<Vec<u8>>()
    );
    // Terms whose bytes a colour code splits, words and phrases, and fields.
    for (query, want) in [
        ("addr=:8080", 1),
        ("\"INF main.go:12 > listening\"", 1),
        ("\"error=\\\"conn refused\\\"\"", 1),
        ("level:ERROR", 1),
        ("addr::8080", 1),
        ("table:users AND level:>=WARN", 1),
        ("NOT addr=:8080", 1),
        ("addr=:9090", 0),
    ] {
        assert_eq!(count(ZEROLOG, query), want, "{query}");
    }
    assert_eq!(count(TRACING, "number_of_yaks=3"), 1);
    assert_eq!(count(LOGRUS, "\"ms=812\""), 1);
    assert_eq!(count(GIN, "\"| 200 |\""), 1);
}

#[test]
fn calico_felix_unquoted_values_with_spaces() {
    let text = "\
2024-05-07 12:04:19.100 [ERROR][45] confd/resource.go 288: Error from checkcmd err=exit status 1 output=
2024-05-07 12:04:20.000 [INFO][123] felix/route_table.go 480: Syncing routes ifaceRegex=\"^cali.*\" ipVersion=0x4 tableIndex=0
2024-05-07 12:04:21.000 [WARNING][123] felix/iface_monitor.go 201: Netlink error error=netlink receive: no buffer space available ipVersion=0x4
";
    assert_entries(
        text,
        &[
            e(
                Some("2024-05-07T12:04:19.100Z"),
                Some("ERROR"),
                None,
                Some("confd/resource.go 288"),
                "Error from checkcmd",
                json!({"pid": 45, "err": "exit status 1", "output": ""}),
            ),
            e(
                Some("2024-05-07T12:04:20.000Z"),
                Some("INFO"),
                None,
                Some("felix/route_table.go 480"),
                "Syncing routes",
                json!({"pid": 123, "ifaceRegex": "^cali.*", "ipVersion": "0x4", "tableIndex": 0}),
            ),
            e(
                Some("2024-05-07T12:04:21.000Z"),
                Some("WARN"),
                None,
                Some("felix/iface_monitor.go 201"),
                "Netlink error",
                json!({"pid": 123, "error": "netlink receive: no buffer space available", "ipVersion": "0x4"}),
            ),
        ],
    );
    assert_eq!(count(text, "err:\"exit status 1\""), 1);
}

#[test]
fn nlog_csv_exception_over_several_lines_is_one_column() {
    let text = "\
2024-05-07 12:04:18.0001,Error,\"Failed to read \"\"config.json\"\", using defaults\",MyApp.Config.Load,Config.Load => Program.Main,\"System.IO.FileNotFoundException: Could not find file \"\"config.json\"\"
   at System.IO.File.Open(String path)
   at MyApp.Config.Load() in C:\\src\\Config.cs:line 12\"
2024-05-07 12:04:19.0000,Warn,Slow request,MyApp.Api.Get,Api.Get,
2024-05-07 12:04:20.0000,Fatal,Crash,MyApp.Program.Main,Program.Main,\"System.Exception: boom\"
";
    assert_entries(
        text,
        &[
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                None,
                Some("MyApp.Config.Load"),
                "Failed to read \"config.json\", using defaults",
                json!({"stacktrace": "Config.Load => Program.Main",
                     "exception": "System.IO.FileNotFoundException: Could not find file \"config.json\"\n   at System.IO.File.Open(String path)\n   at MyApp.Config.Load() in C:\\src\\Config.cs:line 12"}),
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
                Some("FATAL"),
                None,
                Some("MyApp.Program.Main"),
                "Crash",
                json!({"stacktrace": "Program.Main", "exception": "System.Exception: boom"}),
            ),
        ],
    );
}

#[test]
fn vdsm_with_an_unindented_python_traceback() {
    let text = "\
MainThread::INFO::2011-12-05 07:04:56,101::vdsm::71::vds::(run) I am the actual vdsm 4.9-0
MainThread::ERROR::2011-12-05 07:04:56,300::vdsm::74::vds::(run) Traceback (most recent call last):
File \"/usr/share/vdsm/vdsm\", line 72, in run
    serve_clients(log)
libvirtError: Failed to connect socket
Thread-15::DEBUG::2011-12-07 11:44:17,737::clientIF::54::vds::(wrapper) [10.35.17.240]::call getVdsCapabilities with () {}
Thread-1950::WARNING::2011-12-07 12:14:15,018::dispatcher::94::Storage.Dispatcher.Protect::(run) Run and protect: getDeviceList
";
    let f = |thread: &str, function: &str| json!({"thread": thread, "function": function});
    assert_entries(
        text,
        &[
            e(Some("2011-12-05T07:04:56.101Z"), Some("INFO"), Some("vds"), Some("vdsm::71"), "I am the actual vdsm 4.9-0", f("MainThread", "run")),
            e(Some("2011-12-05T07:04:56.300Z"), Some("ERROR"), Some("vds"), Some("vdsm::74"),
              "Traceback (most recent call last):\nFile \"/usr/share/vdsm/vdsm\", line 72, in run\n    serve_clients(log)\nlibvirtError: Failed to connect socket",
              f("MainThread", "run")),
            e(Some("2011-12-07T11:44:17.737Z"), Some("DEBUG"), Some("vds"), Some("clientIF::54"),
              "[10.35.17.240]::call getVdsCapabilities with () {}", f("Thread-15", "wrapper")),
            e(Some("2011-12-07T12:14:15.018Z"), Some("WARN"), Some("Storage.Dispatcher.Protect"), Some("dispatcher::94"),
              "Run and protect: getDeviceList", f("Thread-1950", "run")),
        ],
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(detected(&fifteen(&lines)).0, "vdsm");
}

#[test]
fn mysql_slow_query_log_blocks() {
    let text = "\
/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
# Time: 2024-05-07T12:04:17.597069Z
# User@Host: app[app] @ localhost []  Id:     8
# Query_time: 2.500000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 1000000
use shop;
SET timestamp=1715083457;
SELECT COUNT(*)
FROM orders WHERE note LIKE '%x%';
# Time: 2024-05-07T12:04:20.000000Z
# User@Host: report[report] @  [10.0.0.5]  Id:    9
# Query_time: 1.000000  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 5
SET timestamp=1715083460;
DELETE FROM carts WHERE updated < NOW() - INTERVAL 1 DAY;
";
    assert_entries(
        text,
        &[
            e(None, None, None, None,
              "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\nTcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\nTime                 Id Command    Argument",
              json!({})),
            e(Some("2024-05-07T12:04:17.597Z"), None, None, None,
              "use shop;\nSET timestamp=1715083457;\nSELECT COUNT(*)\nFROM orders WHERE note LIKE '%x%';",
              json!({"User@Host": "app[app] @ localhost []", "Id": 8, "Query_time": 2.5, "Lock_time": 0.0001,
                     "Rows_sent": 1, "Rows_examined": 1000000})),
            e(Some("2024-05-07T12:04:20.000Z"), None, None, None,
              "SET timestamp=1715083460;\nDELETE FROM carts WHERE updated < NOW() - INTERVAL 1 DAY;",
              json!({"User@Host": "report[report] @  [10.0.0.5]", "Id": 9, "Query_time": 1, "Lock_time": 0,
                     "Rows_sent": 0, "Rows_examined": 5})),
        ],
    );
    assert_eq!(count(text, "Query_time:>=2"), 1);
    let lines: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(detected(&fifteen(&lines)).0, "mysql-slow");
}

#[test]
fn otlp_json_records_read_key_value_lists() {
    let text = concat!(
        r#"{"timeUnixNano":"1700000000000000000","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"db down"},"attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}},{"key":"retry","value":{"intValue":"3"}}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}},{"key":"host.name","value":{"stringValue":"prod-1"}}]},"traceId":"5b8aa5a2d2c872e8321cf37308d69df2"}"#,
        "\n",
        r#"{"timeUnixNano":"1700000001000000000","severityNumber":9,"body":{"stringValue":"retrying"},"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]}}"#,
        "\n",
        r#"{"time":"2024-01-15T10:00:00Z","level":"info","msg":"plain","headers":[{"key":"a","value":"b"}]}"#,
        "\n",
    );
    assert_entries(
        text,
        &[
            e(
                Some("2023-11-14T22:13:20.000Z"),
                Some("ERROR"),
                Some("orders"),
                None,
                "db down",
                json!({"severityNumber": 17, "body": "db down",
                     "attributes": {"db.system": "postgresql", "retry": "3"},
                     "resource": {"attributes": {"service.name": "orders", "host.name": "prod-1"}}}),
            ),
            e(
                Some("2023-11-14T22:13:21.000Z"),
                Some("INFO"),
                Some("orders"),
                None,
                "retrying",
                json!({"body": "retrying", "resource": {"attributes": {"service.name": "orders"}}}),
            ),
            // A list that is not OTLP's stays as written.
            e(
                Some("2024-01-15T10:00:00.000Z"),
                Some("INFO"),
                None,
                None,
                "plain",
                json!({"headers": [{"key": "a", "value": "b"}]}),
            ),
        ],
    );
    assert_eq!(count(text, "service:orders"), 2);
    assert_eq!(count(text, "service:orders AND level:ERROR"), 1);
    assert_eq!(count(text, "attributes.db.system:postgresql"), 1);
    assert_eq!(count(text, "attributes.retry:3"), 1);
    assert_eq!(count(text, "resource.attributes.host.name:prod-1"), 1);
}

/// One OTLP log record: timeUnixNano, severityNumber, body.
type OtlpRecord = (String, u8, String);

/// A collector batch line (`{"resourceLogs":...}`): one resource per (service,
/// records), one scope each.
fn otlp_batch(resources: &[(&str, Vec<OtlpRecord>)]) -> String {
    let resources: Vec<String> = resources
        .iter()
        .map(|(svc, records)| {
            let recs: Vec<String> = records
                .iter()
                .map(|(t, sev, body)| {
                    format!(r#"{{"timeUnixNano":"{t}","severityNumber":{sev},"body":{{"stringValue":"{body}"}}}}"#)
                })
                .collect();
            format!(
                r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"{svc}"}}}}]}},"scopeLogs":[{{"scope":{{"name":"s"}},"logRecords":[{}]}}]}}"#,
                recs.join(",")
            )
        })
        .collect();
    format!(r#"{{"resourceLogs":[{}]}}"#, resources.join(","))
}

#[test]
fn otlp_collector_batches_are_read_one_entry_per_record() {
    let rec = |t: &str, sev: u8, body: &str| (t.to_string(), sev, body.to_string());
    let text = format!(
        "{}\n{}\n",
        otlp_batch(&[(
            "pay",
            vec![
                rec("1700000000000000000", 9, "start"),
                rec("1700000001000000000", 13, "slow")
            ]
        )]),
        otlp_batch(&[("orders", vec![rec("1700000002000000000", 17, "failed")])]),
    );
    let resource = |svc: &str| json!({"attributes": {"service.name": svc}});
    // The severity number is the level (no severityText beside it), so it is not
    // left over in the metadata.
    let meta = |body: &str, svc: &str| json!({"body": body, "resource": resource(svc), "scope": {"name": "s"}});
    assert_entries(
        &text,
        &[
            e(
                Some("2023-11-14T22:13:20.000Z"),
                Some("INFO"),
                Some("pay"),
                None,
                "start",
                meta("start", "pay"),
            ),
            e(
                Some("2023-11-14T22:13:21.000Z"),
                Some("WARN"),
                Some("pay"),
                None,
                "slow",
                meta("slow", "pay"),
            ),
            e(
                Some("2023-11-14T22:13:22.000Z"),
                Some("ERROR"),
                Some("orders"),
                None,
                "failed",
                meta("failed", "orders"),
            ),
        ],
    );
    let dir = Dir::new();
    let lines: Vec<&str> = text.lines().collect();
    let path = write_sample(&dir, "otlp.json", &fifteen(&lines), MTIME);
    let out = dir.command().args(["formats", "detect"]).arg(&path).run();
    out.expect_code(0);
    let shown = out.stdout_str();
    let mut rows = shown.lines();
    assert!(
        rows.next()
            .unwrap()
            .ends_with(": json (100% of 23 sampled lines read)"),
        "{shown}"
    );
    assert!(
        rows.next()
            .unwrap()
            .starts_with("  note: an OpenTelemetry collector export: each line is a batch"),
        "{shown}"
    );
    let out = dir.command().args(["index"]).arg(&path).run();
    assert!(
        out.stdout_str().contains("not indexed"),
        "{}",
        out.stdout_str()
    );
}

/// Generated collector exports: every record is an entry, counted as the generator
/// counts them, read from a file, a gzip file and stdin; an empty or broken batch line
/// and an ordinary JSON line stay one entry each.
#[test]
fn otlp_collector_exports_count_every_record_as_the_generator_made_them() {
    let services = ["api", "db", "web"];
    let sevs = [1u8, 5, 9, 13, 17, 21];
    let mut seed = 0x2545_f491_u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let (mut total, mut warn, mut per_service) = (0u64, 0u64, [0u64; 3]);
    let mut lines = Vec::new();
    for b in 0..120u64 {
        let mut resources = Vec::new();
        for _ in 0..=next(2) {
            let s = next(3) as usize;
            let records: Vec<OtlpRecord> = (0..=next(4))
                .map(|i| {
                    let sev = sevs[next(6) as usize];
                    let body = format!("record {total} of {}", services[s]);
                    total += 1;
                    per_service[s] += 1;
                    warn += u64::from(sev >= 13);
                    let t = 1_700_000_000_000_000_000u64 + (b * 10 + i) * 1_000_000_000;
                    (t.to_string(), sev, body)
                })
                .collect();
            resources.push((services[s], records));
        }
        lines.push(otlp_batch(&resources));
    }
    lines.push(r#"{"resourceLogs":[]}"#.to_string());
    lines.push(r#"{"time":"2024-01-15T10:00:00Z","level":"error","msg":"plain"}"#.to_string());
    lines.push(r#"{"resourceLogs":[{"broken"#.to_string());
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let dir = Dir::new();
    let file = write_sample(&dir, "otel.json", &text, MTIME);
    let gz = dir.create_gz("otel.json.gz", &text);
    let counted = |args: &[&str], query: &str, stdin: bool| -> u64 {
        let mut cmd = dir.command();
        cmd.args(["search", "-c", query]).args(args);
        if stdin {
            cmd.stdin(text.clone());
        }
        cmd.run().count()
    };
    let file_arg = file.to_str().unwrap();
    let gz_arg = gz.to_str().unwrap();
    for (args, stdin) in [
        (&[file_arg][..], false),
        (&[gz_arg][..], false),
        (&[][..], true),
    ] {
        assert_eq!(counted(args, "", stdin), total + 3, "{args:?}");
        assert_eq!(counted(args, "level:>=WARN", stdin), warn + 1, "{args:?}");
        for (s, n) in services.iter().zip(per_service) {
            assert_eq!(
                counted(args, &format!("service:{s}"), stdin),
                n,
                "{s} {args:?}"
            );
        }
        assert_eq!(counted(args, "\"record 7 of\"", stdin), 1, "{args:?}");
    }
    let out = dir
        .command()
        .args(["export", "--format", "csv", "-o", "out.csv"])
        .arg(&file)
        .run();
    out.expect_code(0);
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert_eq!(csv.lines().count() as u64, 1 + total + 3);
}

#[test]
fn rails_request_lines_join_their_started_entry() {
    let (a, b) = ("req-1a2b", "req-3c4d");
    let text = format!(
        "\
Started GET \"/\" for 127.0.0.1 at 2024-05-07 12:04:17 +0000
Processing by HomeController#index as HTML
  Rendered home/index.html.erb within layouts/application (Duration: 1.2ms | Allocations: 300)
Completed 200 OK in 5ms (Views: 3.2ms | ActiveRecord: 0.0ms | Allocations: 1200)


Started POST \"/pay\" for 10.0.0.2 at 2024-05-07 12:04:18 +0000
Processing by PaymentsController#create as JSON
  Parameters: {{\"amount\"=>\"5\"}}
Completed 422 Unprocessable Entity in 9ms (ActiveRecord: 1.0ms | Allocations: 900)
[{a}] Started GET \"/a\" for 10.0.0.3 at 2024-05-07 12:05:00 +0000
[{b}] Started GET \"/b\" for 10.0.0.4 at 2024-05-07 12:05:01 +0000
[{a}] Processing by AController#show as HTML
[{a}] Completed 500 Internal Server Error in 30ms (ActiveRecord: 2.0ms)
"
    );
    assert_entries(
        &text,
        &[
            e(Some("2024-05-07T12:04:17.000Z"), Some("INFO"), None, None,
              "Started GET \"/\" for 127.0.0.1 at 2024-05-07 12:04:17 +0000\nProcessing by HomeController#index as HTML\n  Rendered home/index.html.erb within layouts/application (Duration: 1.2ms | Allocations: 300)\nCompleted 200 OK in 5ms (Views: 3.2ms | ActiveRecord: 0.0ms | Allocations: 1200)",
              json!({"method": "GET", "path": "/", "client": "127.0.0.1", "controller": "HomeController", "action": "index",
                     "format": "HTML", "status": 200, "duration": "5ms"})),
            e(Some("2024-05-07T12:04:18.000Z"), Some("WARN"), None, None,
              "Started POST \"/pay\" for 10.0.0.2 at 2024-05-07 12:04:18 +0000\nProcessing by PaymentsController#create as JSON\n  Parameters: {\"amount\"=>\"5\"}\nCompleted 422 Unprocessable Entity in 9ms (ActiveRecord: 1.0ms | Allocations: 900)",
              json!({"method": "POST", "path": "/pay", "client": "10.0.0.2", "controller": "PaymentsController", "action": "create",
                     "format": "JSON", "status": 422, "duration": "9ms"})),
            with(e(Some("2024-05-07T12:05:00.000Z"), Some("INFO"), None, None,
              "Started GET \"/a\" for 10.0.0.3 at 2024-05-07 12:05:00 +0000",
              json!({"method": "GET", "path": "/a", "client": "10.0.0.3"})), "requestId", json!(a)),
            // Request b's entry does not take request a's lines: those lines, after a
            // line of another request, are an entry of their own (without a time).
            with(e(Some("2024-05-07T12:05:01.000Z"), Some("INFO"), None, None,
              "Started GET \"/b\" for 10.0.0.4 at 2024-05-07 12:05:01 +0000",
              json!({"method": "GET", "path": "/b", "client": "10.0.0.4"})), "requestId", json!(b)),
            with(e(None, Some("ERROR"), None, None,
              &format!("Processing by AController#show as HTML\n[{a}] Completed 500 Internal Server Error in 30ms (ActiveRecord: 2.0ms)"),
              json!({"controller": "AController", "action": "show", "format": "HTML", "status": 500, "duration": "30ms"})),
              "requestId", json!(a)),
        ],
    );
    assert_eq!(count(&text, "status:>=400"), 2);
    assert_eq!(
        count(&text, "level:>=WARN AND controller:PaymentsController"),
        1
    );
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(detected(&fifteen(&lines)).0, "rails");
}

#[test]
fn more_coloured_consoles_spdlog_zap_serilog_pino_pretty() {
    let inferred = |v: Value| with(v, "dateInferred", json!(true));
    let cases: Vec<(&str, &str, Vec<Value>)> = vec![
        // spdlog's ansicolor sink: the level in colour, reset with `ESC[m`.
        ("spdlog", "[2024-01-15 14:23:45.123] [net] [\x1b[32minfo\x1b[m] retrying\n[2024-01-15 14:23:46.000] [net] [\x1b[31m\x1b[1merror\x1b[m] gave up\n", vec![
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), Some("net"), None, "retrying", json!({})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("ERROR"), Some("net"), None, "gave up", json!({})),
        ]),
        // zap's CapitalColorLevelEncoder (development config): the level only.
        ("zap", "2024-01-15T14:23:45.123Z\t\x1b[34mINFO\x1b[0m\tmain.go:12\tstarted\n2024-01-15T14:23:46.000Z\t\x1b[31mERROR\x1b[0m\tmain.go:20\tfailed\n", vec![
            e(Some("2024-01-15T14:23:45.123Z"), Some("INFO"), None, Some("main.go:12"), "started", json!({})),
            e(Some("2024-01-15T14:23:46.000Z"), Some("ERROR"), None, Some("main.go:20"), "failed", json!({})),
        ]),
        // Serilog's literate console theme: 256-colour codes around every token.
        ("serilog", "\x1b[38;5;0007m[\x1b[0m\x1b[38;5;0015m11:23:45\x1b[0m \x1b[38;5;0015mINF\x1b[0m\x1b[38;5;0007m]\x1b[0m \x1b[38;5;0015mRequest finished in \x1b[0m\x1b[38;5;0200m12\x1b[0m\x1b[38;5;0015m ms\x1b[0m\n", vec![
            inferred(e(Some("2024-06-15T11:23:45.000Z"), Some("INFO"), None, None, "Request finished in 12 ms", json!({}))),
        ]),
        // pino-pretty (colorette): level and message coloured, closed with `ESC[39m`.
        ("pino-pretty", "[11:04:17.597] \x1b[32mINFO\x1b[39m (483 on web-1): \x1b[36mrequest completed\x1b[39m\n", vec![
            inferred(e(Some("2024-06-15T11:04:17.597Z"), Some("INFO"), None, None, "request completed", json!({"pid": 483, "host": "web-1"}))),
        ]),
    ];
    for (name, text, want) in cases {
        assert_eq!(export_with(text, MTIME, &[]), want, "{name}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(detected(&fifteen(&lines)).0, name, "{name}");
    }
}

#[test]
fn mysql_slow_query_log_old_times_and_blocks_without_a_time_line() {
    // MySQL 5.6 and older write `# Time: yymmdd h:mm:ss`, and only when the second
    // changed: a block may start at `# User@Host:` (no time of its own).
    let text = "\
# Time: 210126  3:05:01
# User@Host: root[root] @ localhost []
# Query_time: 12.500000  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 0
SELECT SLEEP(12);
# User@Host: app[app] @ localhost []  Id:    5
# Query_time: 2.000000  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 9
SELECT 1;
";
    assert_entries(
        text,
        &[
            e(
                Some("2021-01-26T03:05:01.000Z"),
                None,
                None,
                None,
                "SELECT SLEEP(12);",
                json!({"User@Host": "root[root] @ localhost []", "Query_time": 12.5, "Lock_time": 0, "Rows_sent": 1, "Rows_examined": 0}),
            ),
            e(
                None,
                None,
                None,
                None,
                "SELECT 1;",
                json!({"User@Host": "app[app] @ localhost []", "Id": 5, "Query_time": 2, "Lock_time": 0, "Rows_sent": 1, "Rows_examined": 9}),
            ),
        ],
    );
}

/// Level queries on coloured lines count what the uncoloured lines count: the fast
/// level read leaves a line with colour codes to the full parse.
#[test]
fn level_queries_count_coloured_lines_as_plain_ones() {
    let dir = Dir::new();
    let plain = "3:04PM ERR main.go:12 > boom\n3:05PM INF main.go:13 > ok\n3:06PM WRN main.go:14 > slow\n3:07PM DBG main.go:15 > detail\n";
    let coloured = "\x1b[90m3:04PM\x1b[0m \x1b[31mERR\x1b[0m main.go:12 \x1b[1m>\x1b[0m boom\n\x1b[90m3:05PM\x1b[0m \x1b[32mINF\x1b[0m main.go:13 \x1b[1m>\x1b[0m ok\n\x1b[90m3:06PM\x1b[0m \x1b[33mWRN\x1b[0m main.go:14 \x1b[1m>\x1b[0m slow\n\x1b[90m3:07PM\x1b[0m DBG main.go:15 \x1b[1m>\x1b[0m detail\n";
    let a = dir.create("plain.log", plain);
    let b = dir.create("coloured.log", coloured);
    for (query, want) in [
        ("level:>=WARN", 2),
        ("level:ERROR", 1),
        ("level:INFO", 1),
        ("level:<=DEBUG", 1),
    ] {
        for path in [&a, &b] {
            let out = dir.command().args(["search", "-c", query]).arg(path).run();
            assert_eq!(
                out.stdout_str().trim(),
                want.to_string(),
                "{query} on {}",
                path.display()
            );
        }
    }
}
