//! The load client of `benches/serve.sh`: C WebSocket clients on a running
//! `covet-logs serve`, while a writer appends R entries per second to a served file
//! for S seconds. Each entry carries its write time (`sent_ns`, nanoseconds since the
//! epoch); each client measures append-to-message latency and counts what it got.
//! Prints one line per figure: entries written, the least and most any client got,
//! latency p50/p99/max (ms). Exit 1 if a client missed an entry.
//!
//! usage: serve-load ADDR FILE [CLIENTS] [RATE] [SECS]
//!
//! With `search` as FILE: `SEARCHES` concurrent `GET /api/v1/logs/search` requests
//! (ADDR, then the query and SEARCHES), timed against one alone.

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
        let url = format!("ws://{addr}/ws/logs?search=service%3Aload");
        let mut req = url.into_client_request().expect("request");
        req.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "covet-logs".parse().expect("header"),
        );
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("connect");
        tasks.push(tokio::spawn(client(ws, total)));
    }
    let file = file.to_string();
    let writer = std::thread::spawn(move || write_entries(&file, rate, secs));
    writer.join().expect("writer");
    let mut counts = Vec::new();
    let mut lat = Vec::new();
    for t in tasks {
        let (n, l) = t.await.expect("client");
        counts.push(n);
        lat.extend(l);
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
    println!("clients {clients}, least got {min}, most got {max}");
    println!(
        "latency ms p50 {:.1} p99 {:.1} max {:.1}",
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    min == total
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

/// Reads until `total` entries came (or 30 s of silence); the latency of each.
async fn client<S>(mut ws: tokio_tungstenite::WebSocketStream<S>, total: u64) -> (u64, Vec<u64>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut n = 0;
    let mut lat = Vec::with_capacity(total as usize);
    while n < total {
        let msg = match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
            Ok(Some(Ok(m))) => m,
            _ => break,
        };
        if let Message::Text(t) = msg {
            let now = now_ns();
            let sent = t
                .as_str()
                .split("\"sent_ns\":")
                .nth(1)
                .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|d| d.parse::<u64>().ok());
            if let Some(sent) = sent {
                lat.push(now.saturating_sub(sent));
            }
            n += 1;
        }
    }
    (n, lat)
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
