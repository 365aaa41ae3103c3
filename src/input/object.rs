//! Inputs in an object store: `s3://BUCKET/KEY` names one object, and
//! `s3://BUCKET/PREFIX/` (or a key no object has, that objects are under) every object
//! under that prefix, in key order, as a directory names its files. An object is read
//! as a stream from its start (a compressed one decoded as a local file is), through the
//! `object_store` crate with the usual AWS settings from the environment:
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, and `AWS_ENDPOINT` with
//! `AWS_ALLOW_HTTP=true` for an S3-compatible store (MinIO, Ceph, a local stand-in).
//!
//! The network I/O runs on a thread of its own with its own small runtime, and hands
//! the body on in chunks through a bounded channel: a reader holds a few chunks at a
//! time whatever the object's size, and works from any thread (a scan thread, a
//! cluster executor's split thread, a server's blocking pool).
//!
//! Built with the `s3` feature (the `cluster` feature has it); without it an `s3://`
//! input is refused in one line that says how to get it.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The scheme read here.
const SCHEME: &str = "s3://";

/// Whether `path` names an object (`s3://...`) rather than a local path: a path that
/// exists as written is always that path.
pub fn is_object_url(path: &Path) -> bool {
    path.to_str().is_some_and(|t| {
        t.len() > SCHEME.len()
            && t[..SCHEME.len()].eq_ignore_ascii_case(SCHEME)
            && std::fs::symlink_metadata(path).is_err()
    })
}

#[cfg(not(feature = "s3"))]
mod store {
    use super::*;

    fn unsupported(url: &str) -> Error {
        Error::new(
            url,
            "s3:// inputs are read only by a build with the `s3` feature \
             (cargo install covet-logs --features s3; `cluster` has it)",
        )
    }

    pub fn expand(url: &str) -> Result<Vec<PathBuf>, Error> {
        Err(unsupported(url))
    }

    pub fn open(url: &str) -> Result<Box<dyn std::io::Read + Send>, Error> {
        Err(unsupported(url))
    }
}

#[cfg(feature = "s3")]
mod store {
    use std::io::{self, Read};
    use std::sync::mpsc::{self, Receiver};
    use std::sync::Arc;

    use futures_util::{StreamExt, TryStreamExt};
    use object_store::aws::AmazonS3Builder;
    use object_store::path::Path as Key;
    use object_store::{GetOptions, GetRange, ObjectStore, RetryConfig};
    use std::time::Duration;

    use super::*;

    /// Body chunks a reader's thread may hold ahead of the scan.
    const AHEAD: usize = 4;

    /// An object URL taken apart: its store, its key, and the URL as given.
    struct Located {
        store: Arc<dyn ObjectStore>,
        bucket: String,
        key: Key,
        url: String,
    }

    fn locate(url: &str) -> Result<Located, Error> {
        let bad = |why: String| Error::new(url, format!("not an s3:// URL: {why}"));
        let parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        let bucket = match parsed.host_str() {
            Some(b) if !b.is_empty() => b.to_string(),
            _ => return Err(bad("no bucket in it".into())),
        };
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad("it has a query or fragment".into()));
        }
        let key = Key::from_url_path(parsed.path()).map_err(|e| bad(e.to_string()))?;
        // A few quick retries: a store that does not answer is an error in seconds,
        // not after the crate's default three minutes.
        let retry = RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(15),
            ..RetryConfig::default()
        };
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(&bucket)
            .with_retry(retry)
            .build()
            .map_err(|e| Error::new(url, format!("the object store: {}", reason(&e))))?;
        Ok(Located {
            store: Arc::new(store),
            bucket,
            key,
            url: url.to_string(),
        })
    }

    /// An object store error in one line, without the crate's wrapper chain.
    fn reason(e: &object_store::Error) -> String {
        match e {
            object_store::Error::NotFound { .. } => "no such object".to_string(),
            other => {
                let text = other.to_string();
                let line = text.lines().next().unwrap_or_default();
                let line = line.strip_prefix("Generic S3 error: ").unwrap_or(line);
                // No keys in the environment: the crate asked the instance metadata
                // service, which is not there.
                if line.contains("169.254.169.254") {
                    return "no AWS credentials found (set AWS_ACCESS_KEY_ID and \
                            AWS_SECRET_ACCESS_KEY, or run where instance credentials are \
                            served)"
                        .to_string();
                }
                line.to_string()
            }
        }
    }

    /// Runs `work` on a thread of its own with a runtime of its own (so it works from
    /// inside another runtime too) and waits for its answer.
    fn on_own_runtime<T: Send + 'static>(
        url: &str,
        work: impl std::future::Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        let name = url.to_string();
        std::thread::scope(|s| {
            s.spawn(move || runtime(&name)?.block_on(work))
                .join()
                .unwrap_or_else(|_| Err(Error::new(url, "the object store's thread failed")))
        })
    }

    fn runtime(url: &str) -> Result<tokio::runtime::Runtime, Error> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io(url, &e))
    }

    /// The URL of `key` in `bucket`, percent-encoded where a URL path must be.
    fn url_of(bucket: &str, key: &Key) -> PathBuf {
        let mut u = url::Url::parse(&format!("s3://{bucket}/")).expect("a bucket URL");
        u.set_path(key.as_ref());
        PathBuf::from(u.as_str())
    }

    /// The objects `url` names: itself when it is an object, else every object under
    /// it as a prefix (in key order); an error when there is neither.
    pub fn expand(url: &str) -> Result<Vec<PathBuf>, Error> {
        let at = locate(url)?;
        let is_prefix = url.ends_with('/') || at.key.as_ref().is_empty();
        on_own_runtime(url, async move {
            if !is_prefix {
                match at.store.head(&at.key).await {
                    Ok(_) => return Ok(vec![PathBuf::from(&at.url)]),
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(Error::new(&at.url, reason(&e))),
                }
            }
            let prefix = (!at.key.as_ref().is_empty()).then_some(&at.key);
            let mut found: Vec<Key> = at
                .store
                .list(prefix)
                .map_ok(|meta| meta.location)
                .try_collect()
                .await
                .map_err(|e| Error::new(&at.url, reason(&e)))?;
            found.sort();
            match found.is_empty() {
                true if is_prefix => Err(Error::new(&at.url, "no object under this prefix")),
                true => Err(Error::new(&at.url, "no such object (and none under it)")),
                false => Ok(found.iter().map(|k| url_of(&at.bucket, k)).collect()),
            }
        })
    }

    /// The object's size in bytes.
    #[cfg(feature = "cluster")]
    pub fn size(url: &str) -> Result<u64, Error> {
        let at = locate(url)?;
        on_own_runtime(url, async move {
            match at.store.head(&at.key).await {
                Ok(meta) => Ok(meta.size),
                Err(e) => Err(Error::new(&at.url, reason(&e))),
            }
        })
    }

    /// Byte ranges of the object, each whole in memory (a few small windows: the
    /// store's client fetches them together).
    #[cfg(feature = "cluster")]
    pub fn read_ranges(url: &str, ranges: &[std::ops::Range<u64>]) -> Result<Vec<Vec<u8>>, Error> {
        let at = locate(url)?;
        let ranges = ranges.to_vec();
        on_own_runtime(url, async move {
            match at.store.get_ranges(&at.key, &ranges).await {
                Ok(got) => Ok(got.into_iter().map(|b| b.to_vec()).collect()),
                Err(e) => Err(Error::new(&at.url, reason(&e))),
            }
        })
    }

    /// The object's bytes as a stream, read ahead by a thread of its own.
    pub fn open(url: &str) -> Result<Box<dyn Read + Send>, Error> {
        open_from(url, None)
    }

    /// Bytes `range` of the object as a stream (an entry-aligned split of it).
    #[cfg(feature = "cluster")]
    pub fn open_range(
        url: &str,
        range: std::ops::Range<u64>,
    ) -> Result<Box<dyn Read + Send>, Error> {
        match range.is_empty() {
            true => Ok(Box::new(io::empty())),
            false => open_from(url, Some(GetRange::Bounded(range))),
        }
    }

    fn open_from(url: &str, range: Option<GetRange>) -> Result<Box<dyn Read + Send>, Error> {
        let at = locate(url)?;
        let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(AHEAD);
        let (answer_tx, answer_rx) = mpsc::channel::<Result<(), Error>>();
        let name = url.to_string();
        std::thread::Builder::new()
            .name("covet-s3".into())
            .spawn(move || {
                let rt = match runtime(&name) {
                    Ok(rt) => rt,
                    Err(e) => return drop(answer_tx.send(Err(e))),
                };
                rt.block_on(async move {
                    let options = GetOptions {
                        range,
                        ..GetOptions::default()
                    };
                    let got = match at.store.get_opts(&at.key, options).await {
                        Ok(got) => got,
                        Err(e) => return drop(answer_tx.send(Err(Error::new(&name, reason(&e))))),
                    };
                    let _ = answer_tx.send(Ok(()));
                    let mut body = got.into_stream();
                    while let Some(chunk) = body.next().await {
                        let failed = chunk.is_err();
                        let chunk = chunk
                            .map(|b| b.to_vec())
                            .map_err(|e| io::Error::other(reason(&e)));
                        if tx.send(chunk).is_err() || failed {
                            return;
                        }
                    }
                });
            })
            .map_err(|e| Error::io(url, &e))?;
        match answer_rx.recv() {
            Ok(Ok(())) => Ok(Box::new(Chunks {
                rx,
                chunk: Vec::new(),
                at: 0,
            })),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(Error::new(url, "the object store's thread failed")),
        }
    }

    /// The body's chunks as one `Read`.
    struct Chunks {
        rx: Receiver<io::Result<Vec<u8>>>,
        chunk: Vec<u8>,
        at: usize,
    }

    impl Read for Chunks {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            while self.at == self.chunk.len() {
                match self.rx.recv() {
                    Ok(Ok(chunk)) => (self.chunk, self.at) = (chunk, 0),
                    Ok(Err(e)) => return Err(e),
                    // The thread ended after the last chunk.
                    Err(_) => return Ok(0),
                }
            }
            let n = out.len().min(self.chunk.len() - self.at);
            out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }
}

pub use store::{expand, open};
/// Byte ranges of an object, for a cluster's splits (`cluster` has `s3`).
#[cfg(feature = "cluster")]
pub use store::{open_range, read_ranges, size};

#[cfg(test)]
mod tests {
    use super::is_object_url;
    use std::path::Path;

    #[test]
    fn only_s3_urls_that_are_not_local_paths_are_objects() {
        assert!(is_object_url(Path::new("s3://bucket/app.log")));
        assert!(is_object_url(Path::new("S3://bucket/logs/")));
        assert!(!is_object_url(Path::new("s3://")));
        assert!(!is_object_url(Path::new("/var/log/app.log")));
        assert!(!is_object_url(Path::new("file:///var/log/app.log")));
        assert!(!is_object_url(Path::new("gs://bucket/app.log")));
    }
}
