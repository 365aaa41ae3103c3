//! JSON key conventions of the common logging libraries and systems: OpenTelemetry's
//! log data model, ECS (ecs-logging), Google Cloud structured logging, loguru
//! `serialize=True`, pino and bunyan, GELF, tracing-subscriber JSON, zap and structlog. Each sample is written from the library's
//! documented output; every entry's level, UTC timestamp, service, message and trace id
//! are asserted whole through `export --format ndjson`, and queries are counted
//! against the expected entries. Also the user's `[fields]` aliases in config.toml.

use crate::util;

use serde_json::{json, Value};
use util::*;

/// The five standard fields this file checks, as `export --format ndjson` writes them.
fn five(obj: &serde_json::Map<String, Value>) -> Value {
    json!({
        "level": obj["level"],
        "timestamp": obj["timestamp"],
        "service": obj["service"],
        "message": obj["message"],
        "traceId": obj.get("traceId").cloned().unwrap_or(Value::Null),
    })
}

/// `(level, timestamp, service, message, traceId)` as expected; `None` is null.
type Want<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
);

fn want(w: &Want<'_>) -> Value {
    json!({
        "level": w.0,
        "timestamp": w.1,
        "service": w.2,
        "message": w.3,
        "traceId": w.4,
    })
}

/// Exports `lines` and compares each entry's five fields with `wants`, in order.
fn assert_export(name: &str, lines: &[&str], wants: &[Want<'_>]) {
    let dir = Dir::new();
    dir.create(name, lines.join("\n") + "\n");
    let out = dir
        .command()
        .args(["export", "--format", "ndjson", name])
        .run();
    out.expect_code(0);
    let got: Vec<Value> = out.json_lines().iter().map(five).collect();
    let wanted: Vec<Value> = wants.iter().map(want).collect();
    assert_eq!(got, wanted, "{}", out.context());
}

/// `search -c QUERY` on the sample, compared with the count of expected entries
/// that pass `pred`.
fn assert_counts(name: &str, lines: &[&str], wants: &[Want<'_>], queries: &[(&str, usize)]) {
    let dir = Dir::new();
    dir.create(name, lines.join("\n") + "\n");
    for (query, n) in queries {
        let out = dir.command().args(["search", "-c", query, name]).run();
        out.expect_code(if *n == 0 { 1 } else { 0 });
        assert_eq!(out.count(), *n as u64, "{query} {}", out.context());
    }
    assert_eq!(wants.len(), lines.len());
}

/// Counts of the expected entries at WARN or above: the truth for `level:>=WARN`.
fn warn_or_above(wants: &[Want<'_>]) -> usize {
    wants
        .iter()
        .filter(|w| matches!(w.0, Some("WARN" | "ERROR" | "FATAL")))
        .count()
}

/// OpenTelemetry log data model, as the spec's JSON examples and the collector's
/// file exporter flattening write it: `Timestamp` in nanoseconds (string or number),
/// `SeverityText`/`SeverityNumber`, `Body` (string or object), `Resource` attributes.
const OTEL: [&str; 5] = [
    r#"{"Timestamp":"1586960586000000000","ObservedTimestamp":"1586960586000000100","TraceId":"5b8aa5a2d2c872e8321cf37308d69df2","SpanId":"051581bf3cb55c13","TraceFlags":1,"SeverityText":"Information","SeverityNumber":9,"Body":"20200415T072306-0700 INFO I like donuts","Resource":{"service.name":"donut_shop","service.version":"2.0.0"},"Attributes":{"http.method":"GET","http.status_code":500}}"#,
    r#"{"Timestamp":1586960587000000000,"SeverityNumber":17,"Body":{"message":"payment failed","code":42},"Resource":{"service":{"name":"billing"}},"TraceId":"aaaabbbbccccddddeeeeffff00001111"}"#,
    r#"{"ObservedTimestamp":"1586960588500000000","SeverityNumber":13,"Body":"retrying","Resource":{"service.name":"billing"}}"#,
    r#"{"Timestamp":"1586960589000000000","SeverityText":"FATAL","SeverityNumber":21,"Body":"out of memory","message":"the message key wins over Body","Resource":{"service.name":"donut_shop"}}"#,
    r#"{"Timestamp":"1586960590000000000","SeverityNumber":5,"Body":{"stringValue":"cache miss"},"Resource":{"service.name":"donut_shop"},"TraceId":"5b8aa5a2d2c872e8321cf37308d69df2"}"#,
];

const OTEL_WANT: [Want; 5] = [
    (
        Some("INFO"),
        Some("2020-04-15T14:23:06.000Z"),
        Some("donut_shop"),
        "20200415T072306-0700 INFO I like donuts",
        Some("5b8aa5a2d2c872e8321cf37308d69df2"),
    ),
    (
        Some("ERROR"),
        Some("2020-04-15T14:23:07.000Z"),
        Some("billing"),
        "payment failed",
        Some("aaaabbbbccccddddeeeeffff00001111"),
    ),
    (
        Some("WARN"),
        Some("2020-04-15T14:23:08.500Z"),
        Some("billing"),
        "retrying",
        None,
    ),
    (
        Some("FATAL"),
        Some("2020-04-15T14:23:09.000Z"),
        Some("donut_shop"),
        "the message key wins over Body",
        None,
    ),
    (
        Some("DEBUG"),
        Some("2020-04-15T14:23:10.000Z"),
        Some("donut_shop"),
        "cache miss",
        Some("5b8aa5a2d2c872e8321cf37308d69df2"),
    ),
];

#[test]
fn otel_log_data_model() {
    assert_export("otel.json", &OTEL, &OTEL_WANT);
    assert_counts(
        "otel.json",
        &OTEL,
        &OTEL_WANT,
        &[
            ("level:>=WARN", warn_or_above(&OTEL_WANT)),
            ("service:billing", 2),
            ("trace:5b8aa5a2d2c872e8321cf37308d69df2", 2),
            ("level:DEBUG", 1),
        ],
    );
}

/// ecs-logging (Python and Java): `@timestamp`, dotted `log.level`, `service.name`,
/// `trace.id`, `event.dataset`, and a nested `log` object with the logger.
const ECS: [&str; 4] = [
    r#"{"@timestamp":"2021-01-11T14:55:35.520Z","log.level":"info","message":"Hello","ecs":{"version":"1.6.0"},"log":{"logger":"app.web","origin":{"file":{"line":4,"name":"web.py"},"function":"index"},"original":"Hello"},"process":{"name":"MainProcess","pid":1,"thread":{"id":1,"name":"MainThread"}},"service.name":"shop-web","trace.id":"0af7651916cd43dd8448eb211c80319c"}"#,
    r#"{"@timestamp":"2019-08-06T12:09:12.375Z", "log.level": "ERROR", "message":"Tomcat failed", "ecs.version": "1.2.0","service.name":"spring-petclinic","event.dataset":"spring-petclinic.log","process.thread.name":"restartedMain","log.logger":"org.springframework.boot.web.embedded.tomcat.TomcatWebServer"}"#,
    r#"{"@timestamp":"2021-01-11T14:55:36.000+01:00","log":{"level":"warning","logger":"app.jobs"},"message":"queue is long","event":{"dataset":"jobs.log"},"trace":{"id":"1bf7651916cd43dd8448eb211c80319c"}}"#,
    r#"{"@timestamp":"2021-01-11T14:55:37.000Z","log.level":"debug","message":"tick","log":{"logger":"app.jobs"}}"#,
];

const ECS_WANT: [Want; 4] = [
    (
        Some("INFO"),
        Some("2021-01-11T14:55:35.520Z"),
        Some("shop-web"),
        "Hello",
        Some("0af7651916cd43dd8448eb211c80319c"),
    ),
    (
        Some("ERROR"),
        Some("2019-08-06T12:09:12.375Z"),
        Some("spring-petclinic"),
        "Tomcat failed",
        None,
    ),
    (
        Some("WARN"),
        Some("2021-01-11T13:55:36.000Z"),
        Some("app.jobs"),
        "queue is long",
        Some("1bf7651916cd43dd8448eb211c80319c"),
    ),
    (
        Some("DEBUG"),
        Some("2021-01-11T14:55:37.000Z"),
        Some("app.jobs"),
        "tick",
        None,
    ),
];

#[test]
fn ecs_logging() {
    assert_export("ecs.json", &ECS, &ECS_WANT);
    assert_counts(
        "ecs.json",
        &ECS,
        &ECS_WANT,
        &[
            ("level:>=WARN", warn_or_above(&ECS_WANT)),
            ("service:app.jobs", 2),
            ("trace:1bf7651916cd43dd8448eb211c80319c", 1),
        ],
    );
}

/// Google Cloud: structured logging written to stdout (agent format: `severity`,
/// `message`, `logging.googleapis.com/trace`, `timestamp` as `{seconds, nanos}`) and
/// LogEntry objects as exported (`jsonPayload`, `textPayload`, `trace`).
const GCP: [&str; 5] = [
    r#"{"severity":"NOTICE","message":"user signed in","component":"auth","logging.googleapis.com/trace":"projects/my-project/traces/06796866738c859f2f19b7cfb3214824","logging.googleapis.com/spanId":"000000000000004a","timestamp":{"seconds":1700000000,"nanos":123000000}}"#,
    r#"{"insertId":"42","jsonPayload":{"message":"disk full","disk":"/dev/sda1"},"resource":{"type":"gce_instance","labels":{"instance_id":"1"}},"timestamp":"2024-01-15T10:00:00.123456789Z","severity":"ALERT","logName":"projects/my-project/logs/syslog","trace":"projects/my-project/traces/abc123","receiveTimestamp":"2024-01-15T10:00:00.2Z"}"#,
    r#"{"insertId":"43","textPayload":"GET /healthz 200","resource":{"type":"k8s_container"},"timestamp":"2024-01-15T10:00:01Z","severity":"DEFAULT","logName":"projects/my-project/logs/stdout"}"#,
    r#"{"severity":"EMERGENCY","message":"power lost","serviceContext":{"service":"ups"},"timestamp":"2024-01-15T10:00:02Z"}"#,
    r#"{"severity":"WARNING","message":"slow","timestamp":{"seconds":"1700000001","nanos":0}}"#,
];

const GCP_WANT: [Want; 5] = [
    (
        Some("INFO"),
        Some("2023-11-14T22:13:20.123Z"),
        Some("auth"),
        "user signed in",
        Some("06796866738c859f2f19b7cfb3214824"),
    ),
    (
        Some("FATAL"),
        Some("2024-01-15T10:00:00.123Z"),
        None,
        "disk full",
        Some("abc123"),
    ),
    (
        None,
        Some("2024-01-15T10:00:01.000Z"),
        None,
        "GET /healthz 200",
        None,
    ),
    (
        Some("FATAL"),
        Some("2024-01-15T10:00:02.000Z"),
        Some("ups"),
        "power lost",
        None,
    ),
    (
        Some("WARN"),
        Some("2023-11-14T22:13:21.000Z"),
        None,
        "slow",
        None,
    ),
];

#[test]
fn google_cloud_structured_logging() {
    assert_export("gcp.json", &GCP, &GCP_WANT);
    assert_counts(
        "gcp.json",
        &GCP,
        &GCP_WANT,
        &[
            ("level:>=WARN", warn_or_above(&GCP_WANT)),
            ("trace:06796866738c859f2f19b7cfb3214824", 1),
            ("trace:abc123", 1),
            ("service:ups", 1),
            // DEFAULT is none of the six: kept as written and matched by name.
            ("level:default", 1),
        ],
    );
}

/// loguru with `serialize=True`: the formatted line in `text`, the record under
/// `record` with the level as an object and the time as `{repr, timestamp}`.
const LOGURU: [&str; 3] = [
    r#"{"text": "2024-01-15 14:43:45.123 | WARNING  | app:main:12 - disk almost full\n", "record": {"elapsed": {"repr": "0:00:00.012", "seconds": 0.012}, "exception": null, "extra": {}, "file": {"name": "app.py", "path": "/srv/app.py"}, "function": "main", "level": {"icon": "\u26a0\ufe0f", "name": "WARNING", "no": 30}, "line": 12, "message": "disk almost full", "module": "app", "name": "app", "process": {"id": 7, "name": "MainProcess"}, "thread": {"id": 8, "name": "MainThread"}, "time": {"repr": "2024-01-15 14:43:45.123000+00:00", "timestamp": 1705329825.123}}}"#,
    r#"{"text": "2024-01-15 14:43:46.000 | SUCCESS  | app:main:13 - all good\n", "record": {"level": {"icon": "\u2705", "name": "SUCCESS", "no": 25}, "message": "all good", "name": "app", "time": {"repr": "2024-01-15 14:43:46+00:00", "timestamp": 1705329826.0}}}"#,
    r#"{"text": "2024-01-15 14:43:47.000 | NOTICE2  | app:main:14 - custom\n", "record": {"level": {"icon": "@", "name": "NOTICE2", "no": 27}, "message": "custom", "name": "app", "time": {"repr": "2024-01-15 14:43:47+00:00", "timestamp": 1705329827.0}}}"#,
];

const LOGURU_WANT: [Want; 3] = [
    (
        Some("WARN"),
        Some("2024-01-15T14:43:45.123Z"),
        Some("app"),
        "disk almost full",
        None,
    ),
    (
        Some("INFO"),
        Some("2024-01-15T14:43:46.000Z"),
        Some("app"),
        "all good",
        None,
    ),
    (
        None,
        Some("2024-01-15T14:43:47.000Z"),
        Some("app"),
        "custom",
        None,
    ),
];

#[test]
fn loguru_serialize() {
    assert_export("loguru.json", &LOGURU, &LOGURU_WANT);
    assert_counts(
        "loguru.json",
        &LOGURU,
        &LOGURU_WANT,
        &[
            ("level:>=WARN", warn_or_above(&LOGURU_WANT)),
            ("level:INFO", 1),
        ],
    );
}

/// pino (numeric levels, `time` in epoch milliseconds, `msg`) and bunyan (`name`,
/// `time` as ISO text, `v`).
const PINO_BUNYAN: [&str; 5] = [
    r#"{"level":30,"time":1531171074631,"pid":657,"hostname":"box","msg":"hello world"}"#,
    r#"{"level":50,"time":1531171082399,"pid":657,"hostname":"box","name":"api","msg":"request failed","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","err":{"type":"Error","message":"boom","stack":"Error: boom\n    at x"}}"#,
    r#"{"level":60,"time":1531171082400,"pid":657,"hostname":"box","msg":"exiting"}"#,
    r#"{"name":"myapp","hostname":"banana.local","pid":40161,"level":40,"msg":"low disk","time":"2013-01-04T18:46:23.851Z","v":0}"#,
    r#"{"name":"myapp","hostname":"banana.local","pid":40161,"level":20,"msg":"cache warm","time":"2013-01-04T18:46:24Z","v":0}"#,
];

const PINO_BUNYAN_WANT: [Want; 5] = [
    (
        Some("INFO"),
        Some("2018-07-09T21:17:54.631Z"),
        None,
        "hello world",
        None,
    ),
    (
        Some("ERROR"),
        Some("2018-07-09T21:18:02.399Z"),
        Some("api"),
        "request failed",
        Some("4bf92f3577b34da6a3ce929d0e0e4736"),
    ),
    (
        Some("FATAL"),
        Some("2018-07-09T21:18:02.400Z"),
        None,
        "exiting",
        None,
    ),
    (
        Some("WARN"),
        Some("2013-01-04T18:46:23.851Z"),
        Some("myapp"),
        "low disk",
        None,
    ),
    (
        Some("DEBUG"),
        Some("2013-01-04T18:46:24.000Z"),
        Some("myapp"),
        "cache warm",
        None,
    ),
];

#[test]
fn pino_and_bunyan() {
    assert_export("node.json", &PINO_BUNYAN, &PINO_BUNYAN_WANT);
    assert_counts(
        "node.json",
        &PINO_BUNYAN,
        &PINO_BUNYAN_WANT,
        &[
            ("level:>=WARN", warn_or_above(&PINO_BUNYAN_WANT)),
            ("service:myapp", 2),
            ("trace:4bf92f3577b34da6a3ce929d0e0e4736", 1),
        ],
    );
}

/// GELF (Graylog: `short_message`, syslog level numbers, epoch seconds with a
/// fraction, `_`-prefixed additional fields), Rust's tracing-subscriber JSON (the
/// message inside `fields`, `target`), zap and structlog epochs as floats. An epoch
/// number is read from its digits: `1705328625.123` is .123, not the double's
/// .122999906.
const GELF_TRACING: [&str; 6] = [
    r#"{"version":"1.1","host":"example.org","short_message":"A short message","full_message":"Backtrace here\n\nmore stuff","timestamp":1385053862.3072,"level":1,"_user_id":9001,"_some_info":"foo"}"#,
    r#"{"version":"1.1","host":"example.org","short_message":"disk low","timestamp":1705328625.123,"level":4,"_service":"storage"}"#,
    r#"{"timestamp":"2022-02-15T18:47:10.821315Z","level":"INFO","fields":{"message":"preparing to shave yaks","number_of_yaks":3},"target":"fmt_json"}"#,
    r#"{"timestamp":"2022-02-15T18:47:10.821615Z","level":"WARN","fields":{"message":"could not locate yak"},"target":"yak_shave","span":{"yak":2,"name":"shave"},"spans":[{"yaks":3,"name":"shaving_yaks"}]}"#,
    r#"{"level":"error","ts":1705328625.1234567,"caller":"main.go:12","msg":"zap failed","error":"boom"}"#,
    r#"{"event":"user logged in","user":"bob","level":"debug","timestamp":1705328625.999999}"#,
];

const GELF_TRACING_WANT: [Want; 6] = [
    (
        Some("FATAL"),
        Some("2013-11-21T17:11:02.307Z"),
        None,
        "A short message",
        None,
    ),
    (
        Some("WARN"),
        Some("2024-01-15T14:23:45.123Z"),
        Some("storage"),
        "disk low",
        None,
    ),
    (
        Some("INFO"),
        Some("2022-02-15T18:47:10.821Z"),
        None,
        "preparing to shave yaks",
        None,
    ),
    (
        Some("WARN"),
        Some("2022-02-15T18:47:10.821Z"),
        None,
        "could not locate yak",
        None,
    ),
    (
        Some("ERROR"),
        Some("2024-01-15T14:23:45.123Z"),
        None,
        "zap failed",
        None,
    ),
    (
        Some("DEBUG"),
        Some("2024-01-15T14:23:45.999Z"),
        None,
        "user logged in",
        None,
    ),
];

#[test]
fn gelf_tracing_json_and_float_epochs() {
    assert_export("mixed.json", &GELF_TRACING, &GELF_TRACING_WANT);
    assert_counts(
        "mixed.json",
        &GELF_TRACING,
        &GELF_TRACING_WANT,
        &[
            ("level:>=WARN", warn_or_above(&GELF_TRACING_WANT)),
            ("user_id:9001", 1),
            ("number_of_yaks:3", 1),
            ("source:yak_shave", 1),
            ("timestamp:2024-01-15T14:23:45.123", 2),
            ("timestamp:2024-01-15T14:23:45.999", 1),
        ],
    );
}

/// Levels as objects and unknown levels: mapped when the name (or number) is a
/// level, else kept as written: shown as metadata, exported, matched by name.
#[test]
fn level_objects_and_unknown_levels_are_kept_and_matched() {
    let lines = [
        r#"{"level":{"label":"warn","value":40},"msg":"a"}"#,
        r#"{"level":{"value":50},"msg":"b"}"#,
        r#"{"level":"http","msg":"c"}"#,
        r#"{"level":"silly","msg":"d"}"#,
        r#"{"level":{"name":"HTTP","no":35},"msg":"e"}"#,
    ];
    let dir = Dir::new();
    dir.create("a.json", lines.join("\n") + "\n");
    let out = dir
        .command()
        .args(["export", "--format", "ndjson", "a.json"])
        .run();
    out.expect_code(0);
    let got: Vec<(Value, Value)> = out
        .json_lines()
        .iter()
        .map(|o| {
            let meta = o.get("metadata").and_then(|m| m.get("level"));
            (o["level"].clone(), meta.cloned().unwrap_or(Value::Null))
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (json!("WARN"), Value::Null),
            (json!("ERROR"), Value::Null),
            (Value::Null, json!("http")),
            (json!("TRACE"), Value::Null),
            (Value::Null, json!({"name": "HTTP", "no": 35})),
        ],
        "{}",
        out.context()
    );
    for (query, n) in [("level:http", 2), ("level:>=WARN", 2), ("level:TRACE", 1)] {
        let out = dir.command().args(["search", "-c", query, "a.json"]).run();
        assert_eq!(out.count(), n, "{query} {}", out.context());
    }
    // The terminal view shows the unknown level's text.
    let out = dir
        .command()
        .args(["search", "--color", "never", "level:http", "a.json"])
        .run();
    out.expect_code(0);
    let text = out.stdout_str();
    assert_eq!(text.lines().count(), 2, "{}", out.context());
    assert!(
        text.lines()
            .all(|l| l.contains("http") || l.contains("HTTP")),
        "{text}"
    );
}

/// `[fields]` in config.toml: user aliases win over the built-in ones, for JSON and
/// logfmt, in search, stats, export and fields.
#[test]
fn user_field_aliases_from_config() {
    let dir = Dir::new();
    dir.create_dir(".covet-config");
    dir.create(
        ".covet-config/config.toml",
        "color = \"never\"\n\n[fields]\nlevel = [\"invloglevel\"]\nmessage = [\"msg_text\"]\nservice = [\"ctx.app\"]\n",
    );
    dir.create(
        "a.json",
        concat!(
            r#"{"invloglevel":"error","level":"info","msg_text":"disk","msg":"other","ctx":{"app":"inv"}}"#,
            "\n",
            r#"{"level":"warn","msg":"plain","service":"std"}"#,
            "\n",
        ),
    );
    dir.create(
        "b.log",
        "invloglevel=error msg_text=\"from logfmt\" ctx.app=inv level=debug\n",
    );
    let out = dir
        .command()
        .args(["export", "--format", "ndjson", "a.json", "b.log"])
        .run();
    out.expect_code(0);
    let mut got: Vec<Value> = out
        .json_lines()
        .iter()
        .map(|o| json!([o["level"], o["message"], o["service"]]))
        .collect();
    got.sort_by_key(|v| v.to_string());
    assert_eq!(
        got,
        vec![
            json!(["ERROR", "disk", "inv"]),
            json!(["ERROR", "from logfmt", "inv"]),
            json!(["WARN", "plain", "std"]),
        ],
        "{}",
        out.context()
    );
    let out = dir
        .command()
        .args(["search", "-c", "level:ERROR service:inv", "a.json", "b.log"])
        .run();
    assert_eq!(out.count(), 2, "{}", out.context());
    let out = dir.command().args(["stats", "--json", "a.json"]).run();
    out.expect_code(0);
    let stats: Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    let levels: Vec<(String, u64)> = stats["levelBreakdown"]
        .as_array()
        .expect("levelBreakdown")
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_string(),
                l["value"].as_u64().unwrap(),
            )
        })
        .filter(|l| l.1 > 0)
        .collect();
    assert_eq!(
        levels,
        vec![("ERROR".to_string(), 1), ("WARN".to_string(), 1)],
        "{}",
        out.context()
    );
    let out = dir
        .command()
        .args(["fields", "--json", "service", "a.json"])
        .run();
    out.expect_code(0);
    let text = out.stdout_str();
    assert!(
        text.contains("\"inv\"") && text.contains("\"std\""),
        "{text}"
    );
    // --no-config: the built-in aliases only.
    let out = dir
        .command()
        .args(["--no-config", "search", "-c", "level:ERROR", "a.json"])
        .run();
    assert_eq!(out.count(), 0, "{}", out.context());
}

#[test]
fn bad_field_aliases_are_reported_with_file_line_and_reason() {
    for (text, line, why) in [
        (
            "[fields]\nlevel = [\"a\"]\nlevle = [\"b\"]\n",
            3,
            "fields: 'levle': unknown field (expected timestamp, level, message, service, source, trace_id, span_id, user_id, request_id, id, tags)",
        ),
        (
            "color = \"never\"\n[fields]\nmessage = \"msg_text\"\n",
            3,
            "fields: 'message': expected a list of key names",
        ),
        (
            "[fields]\nservice = [\"ok\", 3]\n",
            2,
            "fields: 'service': expected a list of key names",
        ),
    ] {
        let dir = Dir::new();
        dir.create_dir(".covet-config");
        let path = dir.create(".covet-config/config.toml", text);
        dir.create("a.json", "{\"level\":\"info\"}\n");
        let out = dir.command().args(["search", "", "a.json"]).run();
        out.expect_code(2);
        assert!(out.stdout.is_empty(), "{}", out.context());
        assert_eq!(
            out.stderr.clone(),
            format!("covet-logs: {}:{line}: {why}\n", path.display()),
            "{text}"
        );
    }
}

/// journald `-o json` (`__REALTIME_TIMESTAMP` in microseconds, `PRIORITY` a syslog
/// code given as a string, `SYSLOG_IDENTIFIER`), log4j2 JsonLayout (`instant` as
/// `{epochSecond, nanoOfSecond}`) and logstash's `@fields` envelope.
#[test]
fn journald_log4j2_and_logstash_fields() {
    let lines = [
        r#"{ "__CURSOR" : "s=e9;i=372a", "__REALTIME_TIMESTAMP" : "1534860261221373", "__MONOTONIC_TIMESTAMP" : "38708007", "PRIORITY" : "3", "_HOSTNAME" : "medusa", "SYSLOG_FACILITY" : "3", "_TRANSPORT" : "stdout", "SYSLOG_IDENTIFIER" : "python", "_PID" : "184", "MESSAGE" : "GPS fix lost", "_SYSTEMD_UNIT" : "gps.service" }"#,
        r#"{"instant":{"epochSecond": 1663977609,"nanoOfSecond": 484000000},"thread":"main","level":"WARN","loggerName":"com.example.App","message":"Hello, World!","endOfBatch":false,"loggerFqcn":"org.apache.logging.log4j.spi.AbstractLogger","threadId":1,"threadPriority":5}"#,
        r#"{"ts": "2013-09-06T20:00:48.124817Z", "@fields": { "lvl": "TRACE", "msg": "trace test"}}"#,
    ];
    let wants: [Want; 3] = [
        (
            Some("ERROR"),
            Some("2018-08-21T14:04:21.221Z"),
            Some("python"),
            "GPS fix lost",
            None,
        ),
        (
            Some("WARN"),
            Some("2022-09-24T00:00:09.484Z"),
            None,
            "Hello, World!",
            None,
        ),
        (
            Some("TRACE"),
            Some("2013-09-06T20:00:48.124Z"),
            None,
            "trace test",
            None,
        ),
    ];
    assert_export("mixed.json", &lines, &wants);
    assert_counts(
        "mixed.json",
        &lines,
        &wants,
        &[
            ("level:>=WARN", warn_or_above(&wants)),
            ("service:python", 1),
        ],
    );
}
