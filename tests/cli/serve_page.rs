//! The endpoints the dashboard's quick actions and panels need beyond the seed's
//! list: alert rules kept by the server and checked as `stats --alert` checks them
//! (`/api/v1/alerts`), the CLI's recent searches (`/api/v1/history`), and saved
//! filters that keep their regex and case toggles. Each answer is checked against the
//! generator's truth or a second count made here, and against the CLI on the same
//! files and the same config and state directories.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use covet_gen::GenFormat;
use serde_json::{json, Value};

use crate::util::{gen_cfg, Dir};

/// A running `covet-logs serve` on loopback, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(dir: &Dir, inputs: &[&str]) -> Server {
        Server::start_with(dir, inputs, &[])
    }

    /// `start`, with more environment variables (set last).
    fn start_with(dir: &Dir, inputs: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("covet-logs"))
            .current_dir(dir.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(inputs)
            .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
            .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
            .env("COVET_LOGS_NO_HISTORY", "1")
            .env_remove("COVET_LOGS_PATH")
            .env_remove("COVET_LOGS_TOKEN")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let first = lines.next().expect("a line").expect("stderr line");
        let addr = first
            .split("http://")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .trim_end_matches('/')
            .to_string();
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            child,
            base: format!("http://{addr}"),
        }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into()
    }

    /// `METHOD path` with a JSON body (or none): the status and the JSON answer.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let agent = Server::agent();
        let res = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("POST", Some(b)) => agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(b.to_string()),
            ("DELETE", _) => agent.delete(&url).call(),
            _ => panic!("{method} {path}"),
        };
        let mut res = res.expect("request");
        let status = res.status().as_u16();
        let bytes = res.body_mut().read_to_vec().expect("body");
        let v = match bytes.is_empty() {
            true => Value::Null,
            false => serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&bytes))),
        };
        (status, v)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None)
    }

    fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(&body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The alert states by name.
fn by_name(answer: &Value) -> std::collections::BTreeMap<String, Value> {
    answer["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|a| (a["name"].as_str().expect("name").to_string(), a.clone()))
        .collect()
}

#[test]
fn alert_rules_are_kept_and_checked_as_stats_alert() {
    let dir = Dir::new();
    let cfg = gen_cfg(2000, 31, GenFormat::Json);
    dir.create_gen("app.jsonl", &cfg);
    let truth = covet_gen::truth(&cfg, &["level:ERROR", "level:FATAL", ""]);
    let (errors, fatals, total) = (truth[0], truth[1], truth[2]);
    assert!(errors > 10 && total == 2000, "{truth:?}");
    let server = Server::start(&dir, &["app.jsonl"]);

    let (status, empty) = server.get("/api/v1/alerts");
    assert_eq!((status, empty), (200, json!({"alerts": []})));

    // Three rules: one over the truth's count (fires), one at it (does not), and the
    // error rate against its exact value.
    let rate = (errors + fatals) as f64 * 100.0 / total as f64;
    let rules = [
        (
            "errors-seen",
            format!("count(level:ERROR) > {}", errors - 1),
        ),
        ("errors-many", format!("count(level:ERROR) > {errors}")),
        ("rate", format!("error_rate >= {:.4}%", rate + 0.5)),
    ];
    for (name, rule) in &rules {
        let (status, saved) = server.post(
            "/api/v1/alerts",
            json!({"name": name, "rule": rule, "description": "from the test"}),
        );
        assert_eq!(status, 201, "{saved}");
        assert_eq!(saved["rule"], json!(rule));
    }
    let (status, got) = server.get("/api/v1/alerts");
    assert_eq!(status, 200, "{got}");
    let got = by_name(&got);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got["errors-seen"]["fired"], true);
    assert_eq!(got["errors-seen"]["value"], json!(errors as f64));
    assert_eq!(got["errors-many"]["fired"], false);
    assert_eq!(got["errors-many"]["value"], json!(errors as f64));
    assert_eq!(got["rate"]["fired"], false);
    let measured = got["rate"]["value"].as_f64().expect("a rate");
    assert!((measured - rate).abs() < 1e-9, "{measured} vs {rate}");
    assert_eq!(got["errors-seen"]["description"], "from the test");

    // Each answer is the CLI's: `stats --alert RULE` exits 1 exactly when it fires.
    for (name, rule) in &rules {
        let out = dir
            .command()
            .args(["stats", "--json", "--alert", rule, "app.jsonl"])
            .run();
        let fired = got[*name]["fired"].as_bool().expect("fired");
        out.expect_code(if fired { 1 } else { 0 });
    }

    // The request's filter applies as on the analytics: no ERROR in covet-db... the
    // count is the truth of the combined query.
    let svc = covet_gen::truth(&cfg, &["level:ERROR service:covet-db"])[0];
    let (_, got) = server.get("/api/v1/alerts?q=service%3Acovet-db");
    assert_eq!(by_name(&got)["errors-seen"]["value"], json!(svc as f64));
    assert_eq!(
        by_name(&got)["errors-seen"]["fired"],
        json!(svc > errors - 1)
    );

    // The store is one file in the config directory, read back after a restart.
    drop(server);
    let stored: Value = serde_json::from_slice(
        &std::fs::read(dir.join(".covet-config/alerts.json")).expect("alerts.json"),
    )
    .expect("JSON");
    assert_eq!(stored["alerts"]["errors-many"]["rule"], json!(rules[1].1));
    let server = Server::start(&dir, &["app.jsonl"]);
    assert_eq!(by_name(&server.get("/api/v1/alerts").1).len(), 3);

    // Bad rules are 400s with the caret where `stats --alert` puts it; names are
    // checked; a taken name is a 409 unless forced; deleting twice is a 404.
    let (status, err) = server.post(
        "/api/v1/alerts",
        json!({"name": "x", "rule": "error_rate >> 5"}),
    );
    assert_eq!(
        (status, &err["error"], &err["position"]),
        (400, &json!("bad_query"), &json!(12))
    );
    let (status, err) = server.post(
        "/api/v1/alerts",
        json!({"name": "x", "rule": "count(level:) > 1"}),
    );
    assert_eq!((status, &err["position"]), (400, &json!(6)), "{err}");
    let (status, _) = server.post(
        "/api/v1/alerts",
        json!({"name": "a b", "rule": "errors > 1"}),
    );
    assert_eq!(status, 400);
    let (status, err) = server.post(
        "/api/v1/alerts",
        json!({"name": "rate", "rule": "errors > 1"}),
    );
    assert_eq!((status, &err["error"]), (409, &json!("exists")));
    let (status, _) = server.post(
        "/api/v1/alerts",
        json!({"name": "rate", "rule": "errors > 1", "force": true}),
    );
    assert_eq!(status, 201);
    assert_eq!(
        by_name(&server.get("/api/v1/alerts").1)["rate"]["fired"],
        true
    );
    let (status, _) = server.call("DELETE", "/api/v1/alerts/rate", None);
    assert_eq!(status, 204);
    let (status, err) = server.call("DELETE", "/api/v1/alerts/rate", None);
    assert_eq!((status, &err["error"]), (404, &json!("not_found")));
    assert_eq!(by_name(&server.get("/api/v1/alerts").1).len(), 2);

    // A hand-edited rule that no longer parses is listed as such, the others still run.
    let mut file = stored;
    file["alerts"]["broken"] = json!({"rule": "bogus > 1"});
    std::fs::write(dir.join(".covet-config/alerts.json"), file.to_string()).expect("write");
    let got = by_name(&server.get("/api/v1/alerts").1);
    assert_eq!(got["broken"]["fired"], false);
    assert_eq!(got["broken"]["value"], Value::Null);
    assert!(got["broken"]["reason"]
        .as_str()
        .unwrap()
        .contains("does not parse"));
    assert_eq!(got["errors-seen"]["fired"], true);
}

#[test]
fn history_lists_the_cli_searches_without_paths() {
    let dir = Dir::new();
    let cfg = gen_cfg(800, 32, GenFormat::Json);
    dir.create_gen("app.jsonl", &cfg);
    let queries = [
        "level:ERROR",
        "service:covet-db",
        "level:WARN service:covet-core",
    ];
    let truth = covet_gen::truth(&cfg, &queries);
    for q in queries {
        dir.command()
            .env("COVET_LOGS_NO_HISTORY", "0")
            .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
            .args(["search", "-c", q, "app.jsonl"])
            .run();
    }
    let server = Server::start(&dir, &["app.jsonl"]);
    let (status, got) = server.get("/api/v1/history");
    assert_eq!(status, 200, "{got}");
    let searches = got["searches"].as_array().expect("searches");
    let shown: Vec<(&str, u64)> = searches
        .iter()
        .map(|s| (s["query"].as_str().unwrap(), s["matches"].as_u64().unwrap()))
        .collect();
    let want: Vec<(&str, u64)> = queries.iter().copied().zip(truth).rev().collect();
    assert_eq!(shown, want, "newest first, with their match counts");
    for s in searches {
        let mut keys: Vec<&String> = s.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["matches", "query", "time"],
            "no paths or arguments: {s}"
        );
    }
    let (_, one) = server.get("/api/v1/history?limit=1");
    assert_eq!(one["searches"].as_array().unwrap().len(), 1);
    let (status, _) = server.get("/api/v1/history?limit=0");
    assert_eq!(status, 400);
}

#[test]
fn stats_alerts_checks_the_rules_saved_in_the_page() {
    let dir = Dir::new();
    let cfg = gen_cfg(1500, 35, GenFormat::Json);
    dir.create_gen("app.jsonl", &cfg);
    let errors = covet_gen::truth(&cfg, &["level:ERROR"])[0];
    assert!(errors > 10, "{errors}");
    let rules = [
        ("a-seen", format!("count(level:ERROR) > {}", errors - 1)),
        ("b-many", format!("count(level:ERROR) > {errors}")),
    ];
    let server = Server::start(&dir, &["app.jsonl"]);
    for (name, rule) in &rules {
        let (status, saved) = server.post("/api/v1/alerts", json!({"name": name, "rule": rule}));
        assert_eq!(status, 201, "{saved}");
    }
    let page = by_name(&server.get("/api/v1/alerts").1);
    drop(server);

    // The saved rules, by name, are checked as `--alert` checks them: the same report.
    let alerts = |out: &crate::util::Output| -> Value {
        let report: Value = serde_json::from_str(&out.stdout_str()).expect("JSON report");
        report["alerts"].clone()
    };
    let saved = dir
        .command()
        .args(["stats", "--json", "--alerts", "app.jsonl"])
        .run();
    saved.expect_code(1);
    assert!(!saved.stderr.contains("warning"), "{}", saved.stderr);
    let given = dir
        .command()
        .args([
            "stats",
            "--json",
            "--alert",
            &rules[0].1,
            "--alert",
            &rules[1].1,
            "app.jsonl",
        ])
        .run();
    given.expect_code(1);
    assert_eq!(alerts(&saved), alerts(&given));
    let fired: Vec<bool> = alerts(&saved)
        .as_array()
        .expect("alerts")
        .iter()
        .map(|a| a["fired"].as_bool().unwrap())
        .collect();
    assert_eq!(fired, [true, false]);
    for (name, _) in &rules {
        assert!(page[*name]["fired"].is_boolean());
    }
    assert_eq!(page["a-seen"]["fired"], true);
    assert_eq!(page["b-many"]["fired"], false);

    // Without the firing rule, nothing fires (exit 0); a rule edited by hand into one
    // that does not parse is a warning naming it, the others still checked.
    let path = dir.join(".covet-config/alerts.json");
    let mut stored: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("alerts.json")).expect("JSON");
    stored["alerts"]["a-seen"]["rule"] = json!("error_rate >> 5");
    std::fs::write(&path, stored.to_string()).expect("write");
    let out = dir
        .command()
        .args(["stats", "--json", "--alerts", "app.jsonl"])
        .run();
    out.expect_code(0);
    assert!(
        out.stderr
            .contains("warning: saved alert a-seen: error_rate >> 5"),
        "{}",
        out.stderr
    );
    assert_eq!(alerts(&out).as_array().map(Vec::len), Some(1));
    assert_eq!(alerts(&out)[0]["rule"], json!(rules[1].1));
    // No saved rules at all: the report has none, and nothing fires.
    std::fs::remove_file(&path).expect("rm");
    let out = dir
        .command()
        .args(["stats", "--json", "--alerts", "app.jsonl"])
        .run();
    out.expect_code(0);
    assert_eq!(alerts(&out), json!([]));
}

#[test]
fn api_searches_are_recorded_in_the_cli_history_without_paths() {
    let dir = Dir::new();
    let cfg = gen_cfg(900, 34, GenFormat::Json);
    dir.create_gen("app.jsonl", &cfg);
    let truth = covet_gen::truth(&cfg, &["timeout", "level:ERROR service:covet-db"]);
    let server = Server::start_with(&dir, &["app.jsonl"], &[("COVET_LOGS_NO_HISTORY", "0")]);
    let (status, first) = server.get("/api/v1/logs/search?q=timeout&limit=5");
    assert_eq!((status, first["total"].as_u64()), (200, Some(truth[0])));
    // The next page of the same search and the bare page (no query, no filter) are
    // not searches of their own.
    let next = first["nextCursor"].as_str().expect("a next page");
    let (status, _) = server.get(&format!(
        "/api/v1/logs/search?q=timeout&limit=5&cursor={next}"
    ));
    assert_eq!(status, 200);
    assert_eq!(server.get("/api/v1/logs/search").0, 200);
    let (status, second) = server.get("/api/v1/logs/search?level=ERROR&service=covet-db");
    assert_eq!((status, second["total"].as_u64()), (200, Some(truth[1])));
    drop(server);

    let out = dir
        .command()
        .args(["history", "--json"])
        .run()
        .expect_code(0)
        .json_lines();
    let got: Vec<(&str, u64, Vec<&str>)> = out
        .iter()
        .map(|e| {
            let args = e["args"].as_array().expect("args");
            (
                e["query"].as_str().unwrap(),
                e["matches"].as_u64().unwrap(),
                args.iter().map(|a| a.as_str().unwrap()).collect(),
            )
        })
        .collect();
    let want = vec![
        (
            "",
            truth[1],
            vec!["search", "--query=", "--level=ERROR", "--service=covet-db"],
        ),
        ("timeout", truth[0], vec!["search", "--query=timeout"]),
    ];
    assert_eq!(got, want, "newest first, no paths");
    assert!(out.iter().all(|e| e.get("cwd").is_none()), "{out:?}");

    // `history run` runs the recorded search again on the default inputs.
    let rerun = dir
        .command()
        .env("COVET_LOGS_PATH", dir.join("app.jsonl"))
        .args(["history", "run", "2"])
        .run();
    assert_eq!(
        rerun.expect_code(0).stdout_str().lines().count() as u64,
        truth[0]
    );
}

#[test]
fn saved_filters_keep_regex_and_case_toggles() {
    let dir = Dir::new();
    // Messages whose matches differ with each toggle; the truth is counted here.
    let words = ["Timeout", "timeout", "TIMEOUT", "Timed out", "Time-out"];
    let mut text = String::new();
    for i in 0..500 {
        let w = words[i % words.len()];
        text.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T10:{:02}:{:02}.000Z\",\"level\":\"INFO\",\"message\":\"{w} {i}\"}}\n",
            i / 60,
            i % 60
        ));
    }
    dir.create("t.jsonl", &text);
    let msgs: Vec<String> = (0..500)
        .map(|i| format!("{} {i}", words[i % words.len()]))
        .collect();
    let count = |f: &dyn Fn(&str) -> bool| msgs.iter().filter(|m| f(m)).count() as u64;
    // `Time.*out` as a case-sensitive regex; and as a case-blind one.
    let re_case = count(&|m| m.starts_with("Time") && m.contains("out"));
    let re_blind = count(&|m| m.to_lowercase().starts_with("time"));
    assert!(re_case < re_blind);

    dir.command()
        .args([
            "filters",
            "save",
            "--regex",
            "--case-sensitive",
            "to",
            "Time.*out",
        ])
        .run()
        .expect_code(0);
    dir.command()
        .args(["filters", "save", "--regex", "to-blind", "Time.*out"])
        .run()
        .expect_code(0);
    let search = |name: &str| {
        dir.command()
            .args(["search", "-c", "-q", "", "--filter", name, "t.jsonl"])
            .run()
            .count()
    };
    assert_eq!(search("to"), re_case);
    assert_eq!(search("to-blind"), re_blind);
    let listed = dir.command().args(["filters", "list"]).run();
    assert!(
        listed
            .stdout_str()
            .contains("to        Time.*out  --regex  --case-sensitive\n"),
        "{}",
        listed.stdout_str()
    );
    let shown = dir.command().args(["filters", "show", "to"]).run();
    assert_eq!(
        shown.stdout_str(),
        "name: to\nquery: Time.*out\nregex: yes\ncase-sensitive: yes\n"
    );

    // Through the API: saved with its toggles, listed with them, used with them.
    let server = Server::start(&dir, &["t.jsonl"]);
    let (status, saved) = server.post(
        "/api/v1/logs/filters",
        json!({"name": "api-to", "query": "Time.*out", "regex": true, "caseSensitive": true}),
    );
    assert_eq!(status, 201, "{saved}");
    assert_eq!(
        (&saved["regex"], &saved["caseSensitive"]),
        (&json!(true), &json!(true))
    );
    let (_, list) = server.get("/api/v1/logs/filters");
    let to_blind = list["filters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "to-blind")
        .cloned()
        .expect("to-blind listed");
    assert_eq!(
        (&to_blind["regex"], &to_blind["caseSensitive"]),
        (&json!(true), &json!(false))
    );
    let (_, page) = server.get("/api/v1/logs/search?filter=api-to&limit=1");
    assert_eq!(page["total"], json!(re_case));
    let (_, page) = server.get("/api/v1/logs/search?filter=to-blind&limit=1");
    assert_eq!(page["total"], json!(re_blind));
    // Without the toggles the same text is a literal word: nothing matches it.
    let (status, _) = server.post(
        "/api/v1/logs/filters",
        json!({"name": "plain", "query": "Time.*out"}),
    );
    assert_eq!(status, 201);
    let (_, page) = server.get("/api/v1/logs/search?filter=plain&limit=1");
    assert_eq!(page["total"], json!(0));
}
