//! Wrapper formats (issue 11): docker json-file, Kubernetes CRI, docker compose and
//! syslog `@cee:` lines whose inner line is its own format (JSON, logfmt, text), read
//! with `export --format ndjson`, every entry asserted whole; and directory search by
//! content (binary files skipped, `--glob` narrowing, `--debug` reasons).

use crate::formats::{parsed_fields, write_sample};
use crate::util;

use serde_json::{json, Value};
use util::Dir;

/// The entries of `text` as `export --format ndjson` writes them, reduced to the
/// parsed fields, and the format `formats detect` names.
fn read(text: &str) -> (String, Vec<Value>) {
    let dir = Dir::new();
    let path = write_sample(&dir, "sample.log", text);
    let out = dir
        .command()
        .args(["export", "--format", "ndjson"])
        .arg(&path)
        .run();
    out.expect_code(0);
    let entries = out
        .json_lines()
        .into_iter()
        .map(|o| parsed_fields(o, &[]))
        .collect();
    let detect = dir.command().args(["formats", "detect"]).arg(&path).run();
    detect.expect_code(0);
    let first = detect.stdout_str().lines().next().unwrap_or("").to_string();
    let format = first
        .split_once(": ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .unwrap_or("")
        .to_string();
    (format, entries)
}

/// One expected entry.
fn e(
    ts: Option<&str>,
    level: Option<&str>,
    service: Option<&str>,
    message: &str,
    metadata: Value,
) -> Value {
    crate::formats::e(ts, level, service, None, message, metadata)
}

fn check(text: &str, format: &str, want: &[Value]) {
    let (got_format, got) = read(text);
    assert_eq!(got_format, format, "detected format of\n{text}");
    assert_eq!(
        got.len(),
        want.len(),
        "entry count of\n{text}\ngot {got:#?}"
    );
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g, w, "in\n{text}");
    }
}

#[test]
fn docker_json_file_with_a_java_trace_split_over_records() {
    let text = concat!(
        r#"{"log":"2024-05-07T12:04:17.597Z INFO  [main] c.e.App - started\n","stream":"stdout","time":"2024-05-07T12:04:17.597069Z"}"#,
        "\n",
        r#"{"log":"2024-05-07T12:04:18.001Z ERROR [main] c.e.App - failed\n","stream":"stderr","time":"2024-05-07T12:04:18.001069Z"}"#,
        "\n",
        r#"{"log":"java.lang.IllegalStateException: boom\n","stream":"stderr","time":"2024-05-07T12:04:18.001169Z"}"#,
        "\n",
        r#"{"log":"\tat com.e.App.run(App.java:12)\n","stream":"stderr","time":"2024-05-07T12:04:18.001269Z"}"#,
        "\n",
        r#"{"log":"Caused by: java.io.IOException: closed\n","stream":"stderr","time":"2024-05-07T12:04:18.001369Z"}"#,
        "\n",
        r#"{"log":"\t... 3 more\n","stream":"stderr","time":"2024-05-07T12:04:18.001469Z"}"#,
        "\n",
        r#"{"log":"2024-05-07T12:04:19.000Z WARN  [pool-1] c.e.Db - slow query\n","stream":"stdout","time":"2024-05-07T12:04:19.000069Z"}"#,
        "\n",
    );
    check(
        text,
        "docker/log4j",
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("INFO"),
                Some("c.e.App"),
                "started",
                json!({"thread": "main", "stream": "stdout"}),
            ),
            e(
                Some("2024-05-07T12:04:18.001Z"),
                Some("ERROR"),
                Some("c.e.App"),
                "failed\njava.lang.IllegalStateException: boom\n\tat com.e.App.run(App.java:12)\nCaused by: java.io.IOException: closed\n\t... 3 more",
                json!({"thread": "main", "stream": "stderr"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                Some("WARN"),
                Some("c.e.Db"),
                "slow query",
                json!({"thread": "pool-1", "stream": "stdout"}),
            ),
        ],
    );
}

#[test]
fn docker_json_file_with_json_inner_lines() {
    let text = concat!(
        r#"{"log":"{\"level\":\"error\",\"ts\":\"2024-05-07T12:04:17.5Z\",\"msg\":\"db \\\"main\\\" down\",\"logger\":\"db\",\"attempt\":3}\n","stream":"stderr","time":"2024-05-07T12:04:17.597069Z"}"#,
        "\n",
        // No time in the inner line: the envelope's.
        r#"{"log":"{\"level\":\"info\",\"msg\":\"retry ok\",\"logger\":\"db\"}\n","stream":"stdout","time":"2024-05-07T12:04:18.597069Z"}"#,
        "\n",
        // A level no table knows keeps its text.
        r#"{"log":"{\"level\":\"http\",\"msg\":\"GET /\"}\n","stream":"stdout","time":"2024-05-07T12:04:19Z"}"#,
        "\n",
    );
    check(
        text,
        "docker/json",
        &[
            e(
                Some("2024-05-07T12:04:17.500Z"),
                Some("ERROR"),
                Some("db"),
                "db \"main\" down",
                json!({"attempt": 3, "stream": "stderr"}),
            ),
            e(
                Some("2024-05-07T12:04:18.597Z"),
                Some("INFO"),
                Some("db"),
                "retry ok",
                json!({"stream": "stdout"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                None,
                None,
                "GET /",
                json!({"level": "http", "stream": "stdout"}),
            ),
        ],
    );
}

#[test]
fn docker_json_file_with_logfmt_inner_lines_and_a_line_split_by_docker() {
    let text = concat!(
        r#"{"log":"level=warn msg=\"disk low\" service=disk free=5\n","stream":"stdout","time":"2024-05-07T12:04:17.597069Z"}"#,
        "\n",
        // Docker cuts lines over 16 KiB: a `log` without `\n` continues in the next.
        r#"{"log":"level=error msg=\"write fa","stream":"stderr","time":"2024-05-07T12:04:18Z"}"#,
        "\n",
        r#"{"log":"iled\" service=disk\n","stream":"stderr","time":"2024-05-07T12:04:18.1Z"}"#,
        "\n",
    );
    check(
        text,
        "docker/logfmt",
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("WARN"),
                Some("disk"),
                "disk low",
                json!({"free": 5, "stream": "stdout"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                Some("disk"),
                "write failed",
                json!({"stream": "stderr"}),
            ),
        ],
    );
}

#[test]
fn cri_text_lines_with_partial_lines_and_a_trace() {
    let text = concat!(
        "2024-05-07T12:04:17.597069Z stdout F 2024-05-07 12:04:17,597 INFO [main] org.x.App: started\n",
        "2024-05-07T12:04:18.000000Z stderr P 2024-05-07 12:04:18,000 ERROR [main] org.x.App: very long\n",
        "2024-05-07T12:04:18.000001Z stderr P  line\n",
        "2024-05-07T12:04:18.000002Z stderr F  cut twice\n",
        "2024-05-07T12:04:18.000003Z stderr F java.io.IOException: x\n",
        "2024-05-07T12:04:18.000004Z stderr F \tat org.x.App.run(App.java:3)\n",
        "2024-05-07T12:04:19.000000Z stdout F 2024-05-07 12:04:19,000 WARN [main] org.x.App: done\n",
    );
    check(
        text,
        "cri/log4j",
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("INFO"),
                Some("org.x.App"),
                "started",
                json!({"thread": "main", "stream": "stdout"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                Some("org.x.App"),
                "very long line cut twice\njava.io.IOException: x\n\tat org.x.App.run(App.java:3)",
                json!({"thread": "main", "stream": "stderr"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                Some("WARN"),
                Some("org.x.App"),
                "done",
                json!({"thread": "main", "stream": "stdout"}),
            ),
        ],
    );
}

#[test]
fn cri_json_and_logfmt_inner_lines() {
    check(
        concat!(
            "2024-05-07T12:04:17.597069Z stdout F {\"level\":\"warn\",\"msg\":\"hot\",\"cpu\":91}\n",
            "2024-05-07T12:04:18.000000Z stderr P {\"level\":\"error\",\"msg\":\"spl\n",
            "2024-05-07T12:04:18.000001Z stderr F it\"}\n",
            "2024-05-07T12:04:19.000000Z stdout F {\"msg\":\"no level\"}\n",
        ),
        "cri/json",
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("WARN"),
                None,
                "hot",
                json!({"cpu": 91, "stream": "stdout"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                None,
                "split",
                json!({"stream": "stderr"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                None,
                None,
                "no level",
                json!({"stream": "stdout"}),
            ),
        ],
    );
    check(
        concat!(
            "2024-05-07T12:04:17.597069Z stdout F level=warn msg=\"hot cpu\" cpu=91\n",
            "2024-05-07T12:04:18.000000Z stderr F ts=2024-05-07T10:00:00Z level=error msg=down app=api\n",
        ),
        "cri/logfmt",
        &[
            e(
                Some("2024-05-07T12:04:17.597Z"),
                Some("WARN"),
                None,
                "hot cpu",
                json!({"cpu": 91, "stream": "stdout"}),
            ),
            e(
                Some("2024-05-07T10:00:00.000Z"),
                Some("ERROR"),
                Some("api"),
                "down",
                json!({"stream": "stderr"}),
            ),
        ],
    );
}

#[test]
fn compose_prefixes_around_json_logfmt_and_text() {
    check(
        concat!(
            "web-1  | {\"level\":\"info\",\"ts\":1715083457.5,\"msg\":\"listening\",\"port\":80}\n",
            "web-1  | {\"level\":\"error\",\"ts\":1715083458.5,\"msg\":\"crash\",\"logger\":\"http\"}\n",
            "\x1b[2Kdb-1   | {\"level\":\"warn\",\"msg\":\"slow\"}\n",
        ),
        "compose/json",
        &[
            e(
                Some("2024-05-07T12:04:17.500Z"),
                Some("INFO"),
                Some("web-1"),
                "listening",
                json!({"port": 80, "container": "web-1"}),
            ),
            e(
                Some("2024-05-07T12:04:18.500Z"),
                Some("ERROR"),
                Some("http"),
                "crash",
                json!({"container": "web-1"}),
            ),
            e(
                None,
                Some("WARN"),
                Some("db-1"),
                "slow",
                json!({"container": "db-1"}),
            ),
        ],
    );
    check(
        concat!(
            "db-1   | level=warn msg=\"slow query\" ms=250\n",
            "db-1   | level=info msg=vacuumed\n",
        ),
        "compose/logfmt",
        &[
            e(
                None,
                Some("WARN"),
                Some("db-1"),
                "slow query",
                json!({"ms": 250, "container": "db-1"}),
            ),
            e(
                None,
                Some("INFO"),
                Some("db-1"),
                "vacuumed",
                json!({"container": "db-1"}),
            ),
        ],
    );
    check(
        concat!(
            "api-1  | 2024-05-07 12:04:17,123 - app.db - WARNING - slow query\n",
            "api-1  | 2024-05-07 12:04:18,000 - app.web - ERROR - failed\n",
            "api-1  | Traceback (most recent call last):\n",
            "api-1  |   File \"x.py\", line 3, in <module>\n",
            "api-1  | ValueError: bad\n",
            "api-1  | 2024-05-07 12:04:19,000 - app.web - INFO - recovered\n",
        ),
        "compose/python",
        &[
            e(
                Some("2024-05-07T12:04:17.123Z"),
                Some("WARN"),
                Some("app.db"),
                "slow query",
                json!({"container": "api-1"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("ERROR"),
                Some("app.web"),
                "failed\nTraceback (most recent call last):\n  File \"x.py\", line 3, in <module>\nValueError: bad",
                json!({"container": "api-1"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                Some("INFO"),
                Some("app.web"),
                "recovered",
                json!({"container": "api-1"}),
            ),
        ],
    );
}

#[test]
fn cee_json_in_syslog_keeps_host_app_and_pid() {
    check(
        concat!(
            "<11>May  7 12:04:17 host1 app[123]: @cee: {\"msg\":\"x failed\",\"level\":\"error\",\"req\":\"r1\"}\n",
            // No level in the JSON: the priority's (14 = user.info).
            "<14>May  7 12:04:18 host1 app[123]: @cee: {\"msg\":\"ok\"}\n",
            "<12>May  7 12:04:19 host2 worker: @cee: {\"msg\":\"lag\",\"service\":\"queue\"}\n",
        ),
        "cee/json",
        &[
            e(
                Some("2024-05-07T12:04:17.000Z"),
                Some("ERROR"),
                Some("app"),
                "x failed",
                json!({"req": "r1", "host": "host1", "app": "app", "pid": "123"}),
            ),
            e(
                Some("2024-05-07T12:04:18.000Z"),
                Some("INFO"),
                Some("app"),
                "ok",
                json!({"host": "host1", "app": "app", "pid": "123"}),
            ),
            e(
                Some("2024-05-07T12:04:19.000Z"),
                Some("WARN"),
                Some("queue"),
                "lag",
                json!({"host": "host2", "app": "worker"}),
            ),
        ],
    );
}

#[test]
fn wrapped_fields_are_queryable() {
    let dir = Dir::new();
    let path = write_sample(
        &dir,
        "cri.log",
        concat!(
            "2024-05-07T12:04:17.597069Z stdout F {\"level\":\"warn\",\"msg\":\"hot\",\"cpu\":91}\n",
            "2024-05-07T12:04:18.000000Z stderr F {\"level\":\"error\",\"msg\":\"down\",\"cpu\":12}\n",
            "2024-05-07T12:04:19.000000Z stderr F {\"level\":\"info\",\"msg\":\"up\",\"cpu\":15}\n",
        ),
    );
    let count = |q: &str| {
        dir.command()
            .args(["search", "-c", q])
            .arg(&path)
            .run()
            .count()
    };
    assert_eq!(count("stream:stderr"), 2);
    assert_eq!(count("level:>=WARN"), 2);
    assert_eq!(count("stream:stderr level:error"), 1);
    assert_eq!(count("cpu:>50"), 1);
}

/// A directory of logs with other files among them: which files `search --files`
/// lists, what `--debug` says about the others, and the counts over the walk.
#[test]
fn directory_search_finds_logs_by_content_and_skips_binary_files() {
    let dir = Dir::new();
    dir.create(
        "var/syslog",
        "May  7 12:04:17 host sshd[1]: Accepted publickey\nMay  7 12:04:18 host sshd[1]: error: bad key\n",
    );
    dir.create(
        "var/messages",
        "May  7 12:04:19 host kernel: eth0 link up\n",
    );
    dir.create(
        "var/foo.out",
        "2024-05-07 12:04:17,000 ERROR [main] a.B: boom\n\tat a.B.run(B.java:1)\n",
    );
    dir.create("var/noext", "plain words without timestamps\nmore words\n");
    dir.create_gz(
        "var/app.json.gz",
        "{\"level\":\"info\",\"msg\":\"a\"}\n{\"level\":\"error\",\"msg\":\"b\"}\n",
    );
    // Named like nothing, but its content is log lines (logfmt): read.
    dir.create("var/sub/app.data", "level=info msg=hi\nlevel=warn msg=ho\n");
    // Compressed, a name that says nothing, JSON lines inside: read.
    dir.create_gz("var/blob.gz", "{\"level\":\"warn\",\"msg\":\"c\"}\n");
    // Binary: a PNG, an executable without extension, a .log with a NUL byte, a gzip
    // whose decoded data holds a NUL byte.
    dir.create(
        "var/image.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0",
    );
    dir.create("var/tool", b"\x7fELF\x02\x01\x01\0\0\0binary");
    dir.create("var/bin.log", b"level=info msg=a\n\0\0\0");
    dir.create_gz("var/binz.log.gz", b"level=info msg=a\n\0");
    // Text that is not log lines, under a name that is not a log's.
    dir.create("var/notes.md", "# Title\n\nSome prose about the project.\n");

    let out = dir
        .command()
        .args(["search", "--files", "--debug", "var"])
        .run();
    out.expect_code(0);
    let listed: Vec<String> = out.stdout_str().lines().map(str::to_string).collect();
    assert_eq!(
        listed,
        [
            "var/app.json.gz",
            "var/blob.gz",
            "var/foo.out",
            "var/messages",
            "var/noext",
            "var/sub/app.data",
            "var/syslog",
        ]
    );
    let stderr = out.stderr.clone();
    let skipped: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": skipped: "))
        .collect();
    let binary = "skipped: binary (a NUL byte in its first 8 KiB)";
    assert_eq!(
        skipped,
        [
            format!("covet-logs: debug: var/bin.log: {binary}"),
            format!("covet-logs: debug: var/binz.log.gz: {binary}"),
            format!("covet-logs: debug: var/image.png: {binary}"),
            "covet-logs: debug: var/notes.md: skipped: not named like a log, and its first 8 KiB are not log lines".to_string(),
            format!("covet-logs: debug: var/tool: {binary}"),
        ]
    );
    // 2 + 1 + 1 (with its frame) + 2 + 2 + 2 + 1 entries.
    let count = |args: &[&str]| {
        dir.command()
            .args(["search", "-c"])
            .args(args)
            .arg("var")
            .run()
            .count()
    };
    assert_eq!(count(&[""]), 11);
    // foo.out's ERROR, app.json.gz's error, app.data's warn, blob.gz's warn (syslog's
    // `error:` is message text: syslog lines carry no level without a priority).
    assert_eq!(count(&["level:>=WARN"]), 4);
    assert_eq!(count(&["-g", "*.gz", ""]), 3);
    assert_eq!(count(&["-g", "!*.gz", "-g", "!**/sub/**", ""]), 6);
    // `-g` narrows the walk of the other commands too.
    let exported = dir
        .command()
        .args(["export", "--format", "ndjson", "-g", "*.gz", "var"])
        .run();
    exported.expect_code(0);
    assert_eq!(exported.json_lines().len(), 3);
    let fields = dir
        .command()
        .args(["fields", "--json", "-g", "**/sub/*", "var"])
        .run();
    fields.expect_code(0);
    assert!(
        fields.stdout_str().contains("\"entries\":2"),
        "{}",
        fields.context()
    );
    // Without --debug, nothing is said about the skipped files.
    let quiet = dir.command().args(["search", "-c", "", "var"]).run();
    assert!(quiet.stderr.is_empty(), "{}", quiet.context());
    // A file named on the command line is read whatever its name or content.
    let named = dir
        .command()
        .args(["search", "-c", "", "var/notes.md", "var/bin.log"])
        .run();
    assert_eq!(named.count(), 4);
}
