//! The load client of `benches/serve.sh`: C WebSocket clients on a running
//! `covet-logs serve`, while a writer appends R entries per second to a served file
//! for S seconds. Each entry carries its write time (`sent_ns`, nanoseconds since the
//! epoch); each client measures append-to-message latency, counts what it got, checks
//! that each entry follows the one before, and reconnects with `after` when closed.
//! Prints one line per figure: entries written, the least and most any client got,
//! latency p50/p99/max (ms). Exit 1 if a client missed an entry.
//!
//! usage: serve-load ADDR FILE [CLIENTS] [RATE] [SECS]
//!
//! With `search` as FILE: `SEARCHES` concurrent `GET /api/v1/logs/search` requests
//! (ADDR, then the query and SEARCHES), timed against one alone.
//!
//! With `searches` as FILE: the queries of QUERIES (one a line), each first alone, one
//! after another, then all at once (a thread each); each concurrent answer's `total`
//! must equal its query's alone (exit 1 otherwise). Prints the single times (median,
//! max), the concurrent p50/p99/max and p99 over the median single, then one line per
//! query: `total QUERY` (for the script to check against the CLI's count).

use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::{client::IntoClientRequest, Message};

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: serve-load ADDR FILE [CLIENTS] [RATE] [SECS] | serve-load ADDR search QUERY [N]");
        std::process::exit(2);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if args[1] == "searches" {
        let text = std::fs::read_to_string(args.get(2).expect("a file of queries"))
            .expect("read the queries");
        let queries: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        std::process::exit(if different(&args[0], &queries) { 0 } else { 1 });
    }
    if args[1] == "search" {
        let q = args.get(2).cloned().unwrap_or_default();
        let n = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(50);
        searches(&args[0], &q, n);
        return;
    }
    let num = |i: usize, d: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (clients, rate, secs) = (num(2, 100) as usize, num(3, 10_000), num(4, 60));
    let ok = rt.block_on(load(&args[0], &args[1], clients, rate, secs));
    std::process::exit(if ok { 0 } else { 1 });
}

async fn load(addr: &str, file: &str, clients: usize, rate: u64, secs: u64) -> bool {
    let total = rate * secs;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        tasks.push(tokio::spawn(client(addr.to_string(), total)));
    }
    // Every client connected before the first entry is written.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let file = file.to_string();
    let writer = std::thread::spawn(move || write_entries(&file, rate, secs));
    writer.join().expect("writer");
    let mut counts = Vec::new();
    let mut lat = Vec::new();
    let (mut disorder, mut reconnects) = (0, 0);
    for t in tasks {
        let seen = t.await.expect("client");
        counts.push(seen.entries);
        lat.extend(seen.latency_ns);
        disorder += seen.out_of_order;
        reconnects += seen.reconnects.saturating_sub(1);
    }
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0) as f64
            / 1e6
    };
    let (min, max) = (
        counts.iter().min().copied().unwrap_or(0),
        counts.iter().max().copied().unwrap_or(0),
    );
    println!("written {total}");
    println!("clients {clients}, least got {min}, most got {max}; lost or repeated {disorder}; reconnects after a close {reconnects}");
    println!(
        "latency ms p50 {:.1} p99 {:.1} max {:.1}",
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    min == total && disorder == 0
}

/// Appends `rate` entries per second for `secs` seconds, in 100 batches a second.
fn write_entries(path: &str, rate: u64, secs: u64) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .expect("open");
    let per_tick = (rate / 100).max(1);
    let start = Instant::now();
    let mut seq = 0u64;
    for tick in 0..secs * 100 {
        let due = start + Duration::from_millis(tick * 10);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let mut buf = Vec::with_capacity(per_tick as usize * 200);
        for _ in 0..per_tick {
            seq += 1;
            let _ = writeln!(
                buf,
                r#"{{"timestamp":"2024-01-15T00:00:00Z","level":"INFO","service":"load","message":"entry {seq}","sent_ns":{}}}"#,
                now_ns()
            );
        }
        f.write_all(&buf).expect("append");
    }
}

/// What one client saw.
struct Seen {
    entries: u64,
    /// Entries that did not follow the one before (lost or repeated).
    out_of_order: u64,
    reconnects: u64,
    latency_ns: Vec<u64>,
}

/// The fields a client reads from each message, found by substring search with
/// searchers built once (the client shares the server's two cores: it reads only
/// these, and the cursor only when it reconnects).
struct Fields {
    sent: memchr::memmem::Finder<'static>,
    seq: memchr::memmem::Finder<'static>,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            sent: memchr::memmem::Finder::new(b"\"sent_ns\":"),
            seq: memchr::memmem::Finder::new(b"\"message\":\"entry "),
        }
    }

    /// The digits after `finder`'s text in `t`, as a number.
    fn number(finder: &memchr::memmem::Finder<'_>, t: &[u8]) -> Option<u64> {
        let at = finder.find(t)? + finder.needle().len();
        let digits = t[at..].iter().take_while(|b| b.is_ascii_digit());
        let mut n = 0u64;
        let mut any = false;
        for d in digits {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            any = true;
        }
        any.then_some(n)
    }

    /// The stream cursor of a message (its last `"cursor":"..."`).
    fn cursor(t: &str) -> Option<String> {
        const KEY: &[u8] = b"\"cursor\":\"";
        let at = memchr::memmem::rfind(t.as_bytes(), KEY)? + KEY.len();
        let rest = &t[at..];
        rest.find('"').map(|end| rest[..end].to_string())
    }
}

/// How long a client waits for a message before it gives up.
const SILENCE: Duration = Duration::from_secs(30);

/// Reads until `total` entries came (or 30 s of silence), reconnecting with `after`
/// (the last cursor) whenever the server closes the stream, as the page does.
async fn client(addr: String, total: u64) -> Seen {
    let mut seen = Seen {
        entries: 0,
        out_of_order: 0,
        reconnects: 0,
        latency_ns: Vec::with_capacity(total as usize),
    };
    let fields = Fields::new();
    // The last message taken (its cursor is read only to reconnect).
    let (mut last_seq, mut last) = (0u64, None::<tokio_tungstenite::tungstenite::Utf8Bytes>);
    while seen.entries < total && seen.reconnects < 1000 {
        let after = last
            .as_ref()
            .and_then(|t| Fields::cursor(t.as_str()))
            .map_or(String::new(), |c| format!("&after={c}"));
        let url = format!("ws://{addr}/ws/logs?search=service%3Aload{after}");
        let mut req = url.into_client_request().expect("request");
        req.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "covet-logs".parse().expect("header"),
        );
        let Ok((mut ws, _)) = tokio_tungstenite::connect_async(req).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            seen.reconnects += 1;
            continue;
        };
        // One timer for the silence, moved on at most once a second (not one timer
        // per message).
        let silence = tokio::time::sleep(SILENCE);
        tokio::pin!(silence);
        let mut moved = now_ns();
        while seen.entries < total {
            let msg = tokio::select! {
                m = ws.next() => match m {
                    Some(Ok(m)) => m,
                    _ => break,
                },
                _ = &mut silence => return seen,
            };
            if let Message::Text(t) = msg {
                let now = now_ns();
                if now.saturating_sub(moved) > 1_000_000_000 {
                    moved = now;
                    silence
                        .as_mut()
                        .reset(tokio::time::Instant::now() + SILENCE);
                }
                let b = t.as_bytes();
                if let Some(sent) = Fields::number(&fields.sent, b) {
                    seen.latency_ns.push(now.saturating_sub(sent));
                }
                let seq = Fields::number(&fields.seq, b).unwrap_or(0);
                if seq != last_seq + 1 {
                    seen.out_of_order += 1;
                }
                last_seq = seq;
                last = Some(t);
                seen.entries += 1;
            }
        }
        seen.reconnects += 1;
    }
    seen
}

/// `n` concurrent searches against one alone: wall time of each, p99 and the ratio.
fn searches(addr: &str, q: &str, n: usize) {
    let url = format!("http://{addr}/api/v1/logs/search?limit=50&q={q}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let one = |agent: &ureq::Agent| {
        let t = Instant::now();
        let mut res = agent.get(&url).call().expect("search");
        let _ = res.body_mut().read_to_vec();
        t.elapsed().as_secs_f64() * 1e3
    };
    let single = one(&agent);
    let mut times: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|_| s.spawn(|| one(&agent))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    times.sort_by(|a, b| a.total_cmp(b));
    let p99 = times[((times.len() as f64 - 1.0) * 0.99) as usize];
    println!("single search {single:.0} ms");
    println!(
        "{n} concurrent: p50 {:.0} ms, p99 {p99:.0} ms ({:.2}x single)",
        times[times.len() / 2],
        p99 / single
    );
}

/// One `GET /api/v1/logs/search?limit=50&q=Q`: wall time (ms) and `total`.
fn timed_search(agent: &ureq::Agent, addr: &str, q: &str) -> (f64, u64) {
    let t = Instant::now();
    let mut res = agent
        .get(format!("http://{addr}/api/v1/logs/search"))
        .query("limit", "50")
        .query("q", q)
        .call()
        .expect("search");
    let body = res.body_mut().read_to_vec().expect("body");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let v: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let total = v["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("{q}: no total in {v}"));
    (ms, total)
}

/// Each query alone, then all at once; true when every concurrent total equals the
/// query's total alone.
fn different(addr: &str, queries: &[String]) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let alone: Vec<(f64, u64)> = queries
        .iter()
        .map(|q| timed_search(&agent, addr, q))
        .collect();
    let together: Vec<(f64, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = queries
            .iter()
            .map(|q| s.spawn(|| timed_search(&agent, addr, q)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let sorted = |v: &[(f64, u64)]| {
        let mut t: Vec<f64> = v.iter().map(|x| x.0).collect();
        t.sort_by(|a, b| a.total_cmp(b));
        t
    };
    let (single, conc) = (sorted(&alone), sorted(&together));
    let at = |t: &[f64], p: f64| t[((t.len() as f64 - 1.0) * p) as usize];
    let median = at(&single, 0.5);
    println!(
        "{} different searches alone, one after another: median {median:.0} ms, max {:.0} ms",
        queries.len(),
        at(&single, 1.0)
    );
    let p99 = at(&conc, 0.99);
    println!(
        "{} concurrent: p50 {:.0} ms, p99 {p99:.0} ms, max {:.0} ms ({:.2}x the median single)",
        queries.len(),
        at(&conc, 0.5),
        at(&conc, 1.0),
        p99 / median
    );
    let mut same = true;
    for (q, (a, t)) in queries.iter().zip(alone.iter().zip(&together)) {
        if a.1 != t.1 {
            println!("MISMATCH {q}: alone {} concurrent {}", a.1, t.1);
            same = false;
        }
        println!("total {} {q}", a.1);
    }
    same
}
