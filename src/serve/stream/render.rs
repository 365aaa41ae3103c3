//! What the shared follower and the catch-up readers share: the pipeline a stream runs
//! (the request's filter, the printer in JSON mode with its clap defaults, the scan and
//! follow settings, built once from the filter's values) and the rendering of a scanned
//! block into messages.
//! A message is one entry's LogEntry JSON with the stream cursor after it appended,
//! HTML-escaped (`serve::json::escape_html`), made once per entry and shared by every
//! client that sends it (`Utf8Bytes` is reference-counted).

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;

use axum::extract::ws::Utf8Bytes;

use crate::cli::{DisplayArgs, FilterArgs, InputArgs};
use crate::config::{DisplayConfig, FilterConfig, InputConfig, Layout};
use crate::input::follow::FollowConfig;
use crate::scan::ScanConfig;
use crate::serve::entries::{append_cursor, StreamPart, Streamed};
use crate::serve::params::defaults;
use crate::serve::stream::cursor::{format_cursor, FileId, Positions};
use crate::sink::print::{Item, Printed};

/// Bytes the shared follower reads before releasing their entries: a large write
/// reaches the clients in steps of about a thousand entries, each step scanned and
/// rendered while the clients send the one before (not after 4 MiB of it).
pub const LIVE_BATCH: usize = 256 << 10;

/// A stream's query, printer and read settings.
pub struct Pipeline {
    filter: FilterConfig,
    input: InputConfig,
    sink: Streamed,
}

impl Pipeline {
    /// The pipeline of a `search --json` with this filter, reading as `input` says;
    /// `None` if the filter does not resolve (checked before the upgrade, so only a
    /// changed configuration, e.g. a saved filter removed, gets here).
    pub fn new(filter: &FilterArgs, input: &InputArgs) -> Option<Pipeline> {
        let filter = FilterConfig::new(filter, None).ok()?;
        let mut display: DisplayArgs = defaults().ok()?;
        display.json = true;
        let display = DisplayConfig::new(&display).ok()?;
        let input = InputConfig::new(input);
        let sink = Streamed(display.printer(&filter, Layout::default()));
        Some(Pipeline {
            filter,
            input,
            sink,
        })
    }

    /// The scan settings: the query, line numbers on (for `line` and `FILE:LINE` ids).
    pub fn scan_config(&self) -> ScanConfig<'_> {
        crate::commands::scan_config(&self.filter, &self.input, true, None)
    }

    /// The follower's settings for this pipeline.
    pub fn follow_config(&self) -> FollowConfig {
        FollowConfig {
            format: self.input.format,
            ctx: self.filter.ctx,
            follow_links: self.input.follow_links,
            max_entry: self.input.max_entry,
            read_batch: LIVE_BATCH,
            ..FollowConfig::default()
        }
    }

    /// The sink that renders entries and records where each ends.
    pub fn sink(&self) -> &Streamed {
        &self.sink
    }
}

/// One entry as sent: its JSON and the cursor after it (also inside the JSON).
pub struct Message {
    pub text: Utf8Bytes,
    pub cursor: Box<str>,
}

impl Message {
    /// Bytes this message holds (what a ring counts against its budget).
    pub fn size(&self) -> usize {
        self.text.len() + self.cursor.len() + 64
    }
}

/// Turns scanned blocks into messages, keeping the stream's positions: each input's
/// file identity (looked up by name when first seen, or told), and the offset after
/// the last entry of each file.
pub struct Renderer {
    pub positions: Positions,
    ids: HashMap<usize, FileId>,
    names: HashMap<usize, String>,
}

impl Renderer {
    pub fn new(positions: Positions) -> Renderer {
        Renderer {
            positions,
            ids: HashMap::new(),
            names: HashMap::new(),
        }
    }

    /// Input `input` is the file `id` (a reader that opened it knows).
    pub fn know(&mut self, input: usize, id: FileId) {
        self.ids.insert(input, id);
    }

    /// The file under `name` changed (rotated, re-created, truncated): look it up again.
    pub fn forget(&mut self, name: &str) {
        let names = &self.names;
        self.ids
            .retain(|input, _| names.get(input).map(String::as_str) != Some(name));
    }

    /// A block's matches as messages, each with the cursor after it. An entry whose
    /// file cannot be identified any more (gone between the read and now) is skipped:
    /// no cursor could resume after it.
    pub fn render(&mut self, part: StreamPart) -> Vec<Message> {
        let mut out = Vec::with_capacity(part.ends.len());
        for (i, &(input, end)) in part.ends.iter().enumerate() {
            let Some(id) = self.identify(input, &part) else {
                continue;
            };
            self.positions.insert(id, end);
            out.push(message(
                part.printed.item(i),
                format_cursor(&self.positions),
            ));
        }
        out
    }

    fn identify(&mut self, input: usize, part: &StreamPart) -> Option<FileId> {
        if let Some(id) = self.ids.get(&input) {
            return Some(*id);
        }
        let name = part.names.get(&input)?;
        let meta = std::fs::metadata(name).ok()?;
        let id = (meta.dev(), meta.ino());
        self.ids.insert(input, id);
        self.names.insert(input, name.clone());
        Some(id)
    }
}

/// One printed entry (a JSON object and a newline) as a message with its cursor.
fn message(item: &[u8], cursor: String) -> Message {
    let mut one = Printed::default();
    one.buf.extend_from_slice(item);
    one.items.push(Item {
        end: one.buf.len(),
        ts: None,
    });
    append_cursor(&mut one, &cursor);
    let mut text = crate::serve::json::escape_html(one.buf);
    if text.last() == Some(&b'\n') {
        text.pop();
    }
    let text = String::from_utf8(text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Message {
        text: Utf8Bytes::from(text),
        cursor: cursor.into_boxed_str(),
    }
}
