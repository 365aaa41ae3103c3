//! OpenTelemetry collector exports read as one line per log record. The collector's
//! file exporter writes a batch of records per line (`{"resourceLogs":[{"resource":..,
//! "scopeLogs":[{"logRecords":[...]}]}]}`); an input whose first line is such a batch
//! is read through `Unbatch`, which writes each record as a JSON line of its own (the
//! record with its resource and scope, `format::otlp::unbatch`), so search, counts,
//! stats, export and context see one entry per record, as they do for a compressed
//! file's decoded lines (offsets and line numbers count the expanded lines). A line
//! that is not a whole, valid batch passes through unchanged, so nothing is dropped; a
//! line longer than `MAX_LINE` is passed on as it is, in pieces.

use std::io::{self, BufRead, BufReader, Read};

use crate::format::{json, otlp};

/// The longest batch line expanded; a longer one is passed on unchanged.
pub const MAX_LINE: usize = 256 << 20;

/// How much of the start of an input `starts_with_batch` needs to see.
pub const HEAD: usize = 256;

/// Whether an input's first bytes open an OTLP batch line.
pub fn starts_with_batch(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    otlp::is_batch(json::trim_ascii(head))
}

/// A block of whole lines (a followed file's) with every batch line expanded; `None`
/// when it holds none.
pub fn expand_block(block: &[u8]) -> Option<Vec<u8>> {
    memchr::memmem::find(block, b"\"resourceLogs\"")?;
    let mut out = Vec::with_capacity(block.len() * 2);
    let mut any = false;
    for line in block.split_inclusive(|&b| b == b'\n') {
        if otlp::unbatch(line, &mut out) > 0 {
            any = true;
        } else {
            out.extend_from_slice(line);
        }
    }
    any.then_some(out)
}

/// A reader that expands batch lines (see the module's note).
pub struct Unbatch<R> {
    inner: BufReader<R>,
    /// The line being gathered.
    line: Vec<u8>,
    /// What is ready to be read, from `pos`.
    out: Vec<u8>,
    pos: usize,
    /// A line over `MAX_LINE` is being passed through until its end.
    passing: bool,
    /// An error of the inner reader, returned once what came before it is read.
    failed: Option<io::Error>,
    eof: bool,
}

impl<R: Read> Unbatch<R> {
    /// Reads `inner` (the bytes that `starts_with_batch` looked at included).
    pub fn new(inner: BufReader<R>) -> Self {
        Unbatch {
            inner,
            line: Vec::new(),
            out: Vec::new(),
            pos: 0,
            passing: false,
            failed: None,
            eof: false,
        }
    }

    /// Fills `out` with the next expanded line (or a piece of a passed-through one).
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.failed = Some(e);
                    self.eof = true;
                    return self.flush_line(false);
                }
            };
            if buf.is_empty() {
                self.eof = true;
                return self.flush_line(true);
            }
            let (take, ends) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            if self.passing {
                self.out.extend_from_slice(&buf[..take]);
                self.inner.consume(take);
                self.passing = !ends;
                return Ok(());
            }
            self.line.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
            if ends {
                return self.flush_line(true);
            }
            if self.line.len() > MAX_LINE {
                self.passing = true;
                std::mem::swap(&mut self.out, &mut self.line);
                return Ok(());
            }
        }
    }

    /// Moves the gathered line to `out`, expanded when it is a whole batch (a line cut
    /// by a read error is passed on as it is).
    fn flush_line(&mut self, whole: bool) -> io::Result<()> {
        if self.line.is_empty() {
            return Ok(());
        }
        if !(whole && otlp::unbatch(&self.line, &mut self.out) > 0) {
            self.out.extend_from_slice(&self.line);
        }
        self.line.clear();
        Ok(())
    }
}

impl<R: Read> Read for Unbatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.eof {
                return match self.failed.take() {
                    Some(e) => Err(e),
                    None => Ok(0),
                };
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(input: &[u8], cap: usize) -> Vec<u8> {
        let mut out = Vec::new();
        Unbatch::new(BufReader::with_capacity(cap, input))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    const BATCH: &str = concat!(
        r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},"#,
        r#""scopeLogs":[{"scope":{"name":"lib"},"logRecords":["#,
        r#"{"timeUnixNano":"1700000000000000000","severityText":"ERROR","body":{"stringValue":"boom"}},"#,
        r#"{"severityNumber":9,"body":{"stringValue":"ok"}}]}]},"#,
        r#"{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"db"}}]},"#,
        r#""scopeLogs":[{"logRecords":[{}]}]}]}"#
    );

    #[test]
    fn each_record_becomes_a_line_with_its_resource_and_scope() {
        let api = r#"{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]}"#;
        let db = r#"{"attributes":[{"key":"service.name","value":{"stringValue":"db"}}]}"#;
        let want = format!(
            concat!(
                r#"{{"timeUnixNano":"1700000000000000000","severityText":"ERROR","body":{{"stringValue":"boom"}},"resource":{api},"scope":{{"name":"lib"}}}}"#,
                "\n",
                r#"{{"severityNumber":9,"body":{{"stringValue":"ok"}},"resource":{api},"scope":{{"name":"lib"}}}}"#,
                "\n",
                r#"{{"resource":{db}}}"#,
                "\n",
                "plain line\n",
                r#"{{"resourceLogs":[{{"broken"#,
                "\n",
            ),
            api = api,
            db = db
        );
        let input = format!("{BATCH}\nplain line\n{{\"resourceLogs\":[{{\"broken\n");
        for cap in [1, 7, 64, 1 << 16] {
            let got = expand(input.as_bytes(), cap);
            assert_eq!(String::from_utf8(got).unwrap(), want, "buffer {cap}");
        }
        for line in want.lines().take(3) {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
    }

    #[test]
    fn an_empty_batch_passes_through_and_a_last_line_without_newline_expands() {
        let empty = r#"{"resourceLogs":[]}"#;
        assert_eq!(expand(empty.as_bytes(), 64), empty.as_bytes());
        let whole = expand(format!("{empty}\n{BATCH}\n").as_bytes(), 64);
        let unended = expand(format!("{empty}\n{BATCH}").as_bytes(), 64);
        assert_eq!(unended, whole);
        assert_eq!(String::from_utf8(whole).unwrap().lines().count(), 4);
        assert!(starts_with_batch(b"\xef\xbb\xbf  {\"resourceLogs\":["));
        assert!(!starts_with_batch(b"{\"resource\":{}}"));
        let block = format!("{BATCH}\nplain line\n");
        let read = expand(block.as_bytes(), 64);
        assert_eq!(expand_block(block.as_bytes()), Some(read));
        assert_eq!(expand_block(b"plain line\n{\"resourceLogs\":[]}\n"), None);
    }
}
