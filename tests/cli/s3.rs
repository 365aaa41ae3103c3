//! `s3://` inputs (feature `s3`), read from a stand-in S3 store on a loopback port: a
//! small HTTP server that answers S3's path-style GET, HEAD and ListObjectsV2 from a
//! map of keys, as MinIO or any S3-compatible store would. covet-logs is pointed at it
//! with the usual AWS environment (`AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, keys, region).
//! Counts are the generator's; whole outputs are compared with the same files read
//! from a local directory.

#![cfg(feature = "s3")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::Response;
use covet_gen::{self as gen, GenFormat};

use crate::util::{self, Dir};

const BUCKET: &str = "team-logs";

type Objects = Arc<Mutex<BTreeMap<String, Vec<u8>>>>;

/// The stand-in store: serves `objects` on an ephemeral loopback port until the test
/// process ends; returns its endpoint URL.
fn serve(objects: Objects) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new().fallback(answer).with_state(objects);
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{addr}")
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One S3 request: `GET /BUCKET?list-type=2&prefix=P`, `HEAD|GET /BUCKET/KEY`.
async fn answer(State(objects): State<Objects>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let Some(rest) = path.strip_prefix(&format!("/{BUCKET}")) else {
        return status(StatusCode::NOT_FOUND, "NoSuchBucket");
    };
    let objects = objects.lock().unwrap().clone();
    let key = percent_decode(rest.trim_start_matches('/'));
    if key.is_empty() && query.contains("list-type=2") {
        let prefix = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "prefix")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let contents: String = objects
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| {
                format!(
                    "<Contents><Key>{}</Key><LastModified>2024-01-15T00:00:00.000Z</LastModified><ETag>\"e{}\"</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
                    xml_escape(k),
                    v.len(),
                    v.len()
                )
            })
            .collect();
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{BUCKET}</Name><Prefix>{}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{contents}</ListBucketResult>",
            xml_escape(&prefix)
        );
        return Response::builder()
            .header(header::CONTENT_TYPE, "application/xml")
            .body(Body::from(body))
            .unwrap();
    }
    let Some(bytes) = objects.get(&key) else {
        return status(StatusCode::NOT_FOUND, "NoSuchKey");
    };
    let head = Response::builder()
        .header(header::CONTENT_LENGTH, bytes.len())
        .header(header::LAST_MODIFIED, "Mon, 15 Jan 2024 00:00:00 GMT")
        .header(header::ETAG, format!("\"e{}\"", bytes.len()));
    if let Some((start, end)) = range(&req, bytes.len()) {
        return Response::builder()
            .status(StatusCode::PARTIAL_CONTENT)
            .header(header::CONTENT_LENGTH, end - start)
            .header(
                header::CONTENT_RANGE,
                format!("bytes {start}-{}/{}", end - 1, bytes.len()),
            )
            .header(header::LAST_MODIFIED, "Mon, 15 Jan 2024 00:00:00 GMT")
            .header(header::ETAG, format!("\"e{}\"", bytes.len()))
            .body(Body::from(bytes[start..end].to_vec()))
            .unwrap();
    }
    match *req.method() {
        Method::HEAD => head.body(Body::empty()).unwrap(),
        _ => head.body(Body::from(bytes.clone())).unwrap(),
    }
}

/// A GET's `Range: bytes=A-B` (or `A-`), as `start..end` within `len` bytes.
fn range(req: &Request, len: usize) -> Option<(usize, usize)> {
    let spec = req.headers().get(header::RANGE)?.to_str().ok()?;
    let (a, b) = spec.strip_prefix("bytes=")?.split_once('-')?;
    let start: usize = a.parse().ok()?;
    let end = match b {
        "" => len,
        b => (b.parse::<usize>().ok()? + 1).min(len),
    };
    (start < end).then_some((start, end))
}

fn status(code: StatusCode, what: &str) -> Response {
    Response::builder()
        .status(code)
        .header(header::CONTENT_TYPE, "application/xml")
        .body(Body::from(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{what}</Code><Message>{what}</Message></Error>"
        )))
        .unwrap()
}

/// The AWS environment that points a process at the stand-in store at `endpoint`.
fn aws_env(endpoint: &str) -> [(&'static str, &str); 5] {
    [
        ("AWS_ENDPOINT", endpoint),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "test-key"),
        ("AWS_SECRET_ACCESS_KEY", "test-secret"),
        ("AWS_REGION", "us-east-1"),
    ]
}

/// A `covet-logs` command that reads the stand-in store at `endpoint`.
fn command(dir: &Dir, endpoint: &str) -> util::TestCommand {
    let mut cmd = dir.command();
    for (k, v) in aws_env(endpoint) {
        cmd.env(k, v);
    }
    cmd
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// The same logs in the store and in a local directory: plain JSON lines, gzipped
/// covet text, zstd JSON lines (under a deeper prefix) and a key with a space.
fn stocked(dir: &Dir) -> (Objects, u64) {
    let q = "level:ERROR";
    let mut objects = BTreeMap::new();
    let mut truth = 0;
    let files: [(&str, GenFormat, usize, u64, u8); 4] = [
        ("app.jsonl", GenFormat::Json, 1500, 1, b'p'),
        ("older/app.log.gz", GenFormat::Text, 1200, 2, b'g'),
        ("older/worker.jsonl.zst", GenFormat::Json, 900, 3, b'z'),
        ("my service.jsonl", GenFormat::Json, 400, 4, b'p'),
    ];
    dir.create_dir("logs");
    dir.create_dir("logs/older");
    for (name, format, lines, seed, kind) in files {
        let cfg = util::gen_cfg(lines, seed, format);
        let plain = util::gen_bytes(&cfg);
        truth += gen::truth(&cfg, &[q])[0];
        let stored = match kind {
            b'g' => gz(&plain),
            b'z' => zstd::encode_all(&plain[..], 3).unwrap(),
            _ => plain,
        };
        dir.create(&format!("logs/{name}"), &stored);
        objects.insert(format!("logs/{name}"), stored);
    }
    objects.insert(
        "elsewhere/other.jsonl".into(),
        b"{\"level\":\"ERROR\"}\n".to_vec(),
    );
    (Arc::new(Mutex::new(objects)), truth)
}

/// A prefix reads every object under it, in key order, as a directory reads its
/// files: the same counts as the generator's, the same outputs as the local files.
#[test]
fn a_prefix_reads_every_object_under_it_like_a_directory() {
    let dir = Dir::new();
    let (objects, truth) = stocked(&dir);
    let endpoint = serve(objects);
    let prefix = format!("s3://{BUCKET}/logs/");
    let out = command(&dir, &endpoint)
        .args(["search", "-c", "level:ERROR", &prefix])
        .run();
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.count(), truth);
    // A key that is not an object but has objects under it is a prefix too.
    let bare = format!("s3://{BUCKET}/logs");
    let out = command(&dir, &endpoint)
        .args(["search", "-c", "level:ERROR", &bare])
        .run();
    out.expect_code(0);
    assert_eq!(out.count(), truth);
    // Whole outputs: each object against its local file.
    for (name, key) in [
        ("logs/app.jsonl", "logs/app.jsonl"),
        ("logs/older/app.log.gz", "logs/older/app.log.gz"),
        ("logs/older/worker.jsonl.zst", "logs/older/worker.jsonl.zst"),
        ("logs/my service.jsonl", "logs/my%20service.jsonl"),
    ] {
        let url = format!("s3://{BUCKET}/{key}");
        for shape in [
            &["search", "level:>=WARN timeout"][..],
            &["stats", "--json"],
        ] {
            let local = dir.command().args(shape).arg(dir.join(name)).run();
            local.expect_code(0);
            let remote = command(&dir, &endpoint).args(shape).arg(&url).run();
            remote.expect_code(0).expect_stderr_empty();
            // An entry without an id is known by its input's name and offset.
            let want = local
                .stdout_str()
                .replace(&dir.join(name).display().to_string(), &url);
            util::assert_text_eq(&remote.cmdline, want.as_bytes(), &remote.stdout);
        }
    }
    // Objects are never indexed: `index` says so, and the others are indexed.
    let out = command(&dir, &endpoint)
        .args(["index", &format!("s3://{BUCKET}/logs/app.jsonl")])
        .run();
    out.expect_code(0);
    assert_eq!(
        out.stdout_str(),
        format!("s3://{BUCKET}/logs/app.jsonl: not indexed (an object store's object)\n")
    );
    // A lone URL is the input, not the query.
    let one = format!("s3://{BUCKET}/logs/app.jsonl");
    let out = command(&dir, &endpoint).args(["search", "-c", &one]).run();
    out.expect_code(0);
    assert_eq!(out.count(), 1500);
}

/// A missing object or an empty prefix is a one-line error (exit 2), and the other
/// inputs are still read.
#[test]
fn a_missing_object_is_one_line_and_the_rest_is_read() {
    let dir = Dir::new();
    let (objects, _) = stocked(&dir);
    let endpoint = serve(objects);
    let one = format!("s3://{BUCKET}/logs/app.jsonl");
    let cfg = util::gen_cfg(1500, 1, GenFormat::Json);
    let truth = gen::truth(&cfg, &["level:ERROR"])[0];
    let missing = format!("s3://{BUCKET}/logs/nope.log");
    let empty = format!("s3://{BUCKET}/nothing/");
    let out = command(&dir, &endpoint)
        .args(["search", "-c", "level:ERROR", &missing, &empty, &one])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        format!(
            "covet-logs: {missing}: no such object (and none under it)\ncovet-logs: {empty}: no object under this prefix\n"
        )
    );
    assert_eq!(out.count(), truth);
    // A store that does not answer: one line, not a hang.
    let out = command(&dir, "http://127.0.0.1:9")
        .args(["search", "-c", "level:ERROR", &one])
        .run();
    out.expect_code(2);
    let err = out.stderr.clone();
    assert!(
        err.starts_with(&format!("covet-logs: {one}: ")) && err.lines().count() == 1,
        "{err}"
    );
}

/// On a cluster the executors read the objects with their own AWS environment (the
/// client only lists them): counts are the generator's, outputs the local engine's.
#[cfg(feature = "cluster")]
#[test]
fn a_cluster_reads_the_objects_on_its_executors() {
    let dir = Dir::new();
    let (objects, truth) = stocked(&dir);
    let endpoint = serve(objects);
    let env = aws_env(&endpoint);
    let cluster = crate::cluster::Cluster::start_env(&dir, "2", "60", &env);
    let engine = cluster.engine();
    let prefix = format!("s3://{BUCKET}/logs/");
    let out = command(&dir, &endpoint)
        .args(["search", "--engine", &engine, "-c", "level:ERROR", &prefix])
        .run();
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.count(), truth);
    for shape in [
        &["search", "--json", "level:>=WARN timeout"][..],
        &["stats", "--json"],
        &["export", "--format", "csv", "service:covet-db"],
    ] {
        same_on_cluster(&dir, &endpoint, &engine, shape, &prefix);
    }
    drop(cluster);
}

/// `covet-logs ARGS INPUT` locally and on the cluster at `engine` (both reading the
/// store at `endpoint`): exit 0, nothing on the cluster's stderr, the same output.
/// Returns the output.
#[cfg(feature = "cluster")]
fn same_on_cluster(dir: &Dir, endpoint: &str, engine: &str, args: &[&str], input: &str) -> Vec<u8> {
    let local = command(dir, endpoint).args(args).arg(input).run();
    local.expect_code(0);
    let remote = command(dir, endpoint)
        .args(args)
        .args(["--engine", engine, input])
        .run();
    remote.expect_code(0).expect_stderr_empty();
    util::assert_text_eq(&remote.cmdline, &local.stdout, &remote.stdout);
    local.stdout
}

/// A large uncompressed object is cut into entry-aligned byte ranges that the
/// executors read on their own (`--debug` says how many); a compressed one stays one
/// split. Every form, the terminal's with line numbers and context included, prints
/// what the local engine prints reading the same objects, and the counts are the
/// generator's. Text entries span several lines (stack traces, JSON blocks), so a cut
/// in the middle of one would show.
#[cfg(feature = "cluster")]
#[test]
fn a_large_object_is_read_in_byte_ranges_with_the_local_output() {
    let dir = Dir::new();
    let mut objects = BTreeMap::new();
    let mut truth = 0;
    let q = "level:ERROR";
    for (key, format, lines, seed) in [
        ("big/app.jsonl", GenFormat::Json, 2500, 21),
        ("big/app.log", GenFormat::Text, 2500, 22),
        ("big/old.log.gz", GenFormat::Text, 800, 23),
    ] {
        let cfg = util::gen_cfg(lines, seed, format);
        let plain = util::gen_bytes(&cfg);
        truth += gen::truth(&cfg, &[q])[0];
        let stored = match key.ends_with(".gz") {
            true => gz(&plain),
            false => plain,
        };
        objects.insert(key.to_string(), stored);
    }
    let endpoint = serve(Arc::new(Mutex::new(objects)));
    let env = aws_env(&endpoint);
    let cluster = crate::cluster::Cluster::start_env(&dir, "2", "60", &env);
    let engine = cluster.engine();
    let prefix = format!("s3://{BUCKET}/big/");
    // Splits of 8 chunks of 8 KiB: about 64 KiB each.
    let chunk = ["--chunk-size", "8192"];
    let out = command(&dir, &endpoint)
        .args(["search", "--debug", "-c", q, "--engine", &engine])
        .args(chunk)
        .arg(&prefix)
        .run();
    out.expect_code(0);
    assert_eq!(out.count(), truth);
    let said: Vec<String> = out
        .stderr
        .lines()
        .filter(|l| l.contains(" split(s), "))
        .map(|l| l.to_string())
        .collect();
    assert_eq!(said.len(), 3, "{said:?}");
    for line in &said {
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let (splits, ranges) = (numbers[numbers.len() - 3], numbers[numbers.len() - 1]);
        match line.contains(".gz:") {
            true => assert_eq!((splits, ranges), (1, 0), "{line}"),
            false => assert!(splits > 4 && ranges == splits, "{line}"),
        }
    }
    for (i, shape) in [
        &["search", "-c", "level:>=WARN timeout"][..],
        &["search", "--json", "level:>=WARN timeout"],
        &["search", "-n", "level:ERROR"],
        &[
            "search",
            "--color",
            "always",
            "--newest-first",
            "service:covet-db",
        ],
        &["search", "-o", "-n", "timeout"],
        &["search", "-C", "1", "-n", "level:FATAL"],
        &["export", "--format", "csv", "service:covet-db"],
        &["stats", "--json"],
    ]
    .iter()
    .enumerate()
    {
        let args = [*shape, &chunk[..]].concat();
        let out = same_on_cluster(&dir, &endpoint, &engine, &args, &prefix);
        assert!(!out.is_empty() && out != b"0\n", "{i}: {args:?}");
    }
    drop(cluster);
}
