//! A split's `stats` aggregate as it travels from the executor that folded it to the
//! client that merges it: the `stats::agg::Agg` itself (serde), encoded as CBOR
//! (`ciborium`: compact, and floats such as a sketch's infinite bounds survive), in
//! one row of [`schema`]: the split's number and the encoded aggregate. The client
//! reads the rows back in split order ([`read`]) and merges them as the local engine
//! merges its parts, so the `Agg` code is the one truth of what `stats` counts.

use std::sync::Arc;

use datafusion::arrow::array::{AsArray, BinaryArray, RecordBatch, UInt32Array};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef, UInt32Type};

use crate::error::{Error, Result};
use crate::stats::agg::Agg;

/// The rows a `stats` scan yields: the split's number and its encoded aggregate.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        ArrowField::new("split", DataType::UInt32, false),
        ArrowField::new("agg", DataType::Binary, false),
    ]))
}

fn bad(e: impl std::fmt::Display) -> Error {
    Error::new("cluster stats", format!("a partial aggregate: {e}"))
}

/// The aggregate's bytes.
pub fn encode(agg: &Agg) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    ciborium::into_writer(agg, &mut buf).map_err(bad)?;
    Ok(buf)
}

/// The aggregate `encode` wrote.
pub fn decode(bytes: &[u8]) -> Result<Agg> {
    ciborium::from_reader(bytes).map_err(bad)
}

/// Split `split`'s aggregate as its row.
pub fn row(split: u32, agg: &Agg) -> Result<RecordBatch> {
    let bytes = encode(agg)?;
    RecordBatch::try_new(
        schema(),
        vec![
            Arc::new(UInt32Array::from(vec![split])),
            Arc::new(BinaryArray::from(vec![bytes.as_slice()])),
        ],
    )
    .map_err(bad)
}

/// The aggregates of `batches`' rows, in split order; each of the `splits` must be
/// there exactly once (a lost or doubled partial would be a wrong answer).
pub fn read(batches: &[RecordBatch], splits: usize) -> Result<Vec<Agg>> {
    let mut found: Vec<Option<Agg>> = (0..splits).map(|_| None).collect();
    for b in batches {
        if b.num_columns() != 2 {
            return Err(bad("the cluster sent a row of another form"));
        }
        let numbers = b
            .column(0)
            .as_primitive_opt::<UInt32Type>()
            .ok_or_else(|| bad("the cluster sent a row of another form"))?;
        let aggs = b
            .column(1)
            .as_binary_opt::<i32>()
            .ok_or_else(|| bad("the cluster sent a row of another form"))?;
        for i in 0..b.num_rows() {
            let n = numbers.value(i) as usize;
            let slot = found
                .get_mut(n)
                .ok_or_else(|| bad(format!("no split numbered {n}")))?;
            if slot.is_some() {
                return Err(bad(format!("split {n} came twice")));
            }
            *slot = Some(decode(aggs.value(i))?);
        }
    }
    found
        .into_iter()
        .enumerate()
        .map(|(n, agg)| agg.ok_or_else(|| bad(format!("split {n} did not come back"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Entry;
    use crate::format::timestamp::TimeCtx;
    use crate::format::Format;
    use crate::sink::{Hit, Sink, Source};
    use crate::stats::agg::{SinkSpec, StatsSink};
    use crate::stats::options::ReportOptions;
    use crate::stats::report;

    /// JSON lines of several levels, services, users, durations and error messages
    /// (some with no timestamp, some with a far-off duration).
    fn lines() -> Vec<String> {
        let levels = ["INFO", "DEBUG", "WARN", "ERROR", "INFO", "FATAL", "INFO"];
        let services = ["api", "db", "cache", "auth", "queue"];
        (0..3000u64)
            .map(|i| {
                let ts = match i % 97 {
                    0 => String::new(),
                    _ => format!(
                        "\"timestamp\":\"2024-01-15T{:02}:{:02}:{:02}.{:03}Z\",",
                        i / 1800,
                        (i / 30) % 60,
                        (i * 2) % 60,
                        i % 1000
                    ),
                };
                let duration = if i % 501 == 0 { 1e23 } else { (i * 37 % 2000) as f64 };
                format!(
                    "{{{ts}\"level\":\"{}\",\"service\":\"{}\",\"message\":\"request {} failed after {}ms\",\"metadata\":{{\"user_id\":\"user_{}\",\"duration_ms\":{duration}}}}}",
                    levels[(i % 7) as usize],
                    services[(i % 5) as usize],
                    i % 13,
                    i % 50,
                    i % 41,
                )
            })
            .collect()
    }

    fn spec() -> SinkSpec {
        SinkSpec {
            by: vec!["user_id".into()],
            value: Some("duration_ms".into()),
            perf: Some("duration_ms".into()),
            current_from: None,
            counts: vec!["level:FATAL".into(), "service:db".into()],
            case_sensitive: false,
            regex_words: false,
            unit: 1_000_000_000,
        }
    }

    /// `lines` folded into one aggregate, as a split's scan folds them.
    fn fold(sink: &StatsSink, lines: &[String], first: u64) -> Agg {
        let ctx = TimeCtx::utc_now_year();
        let source = Source {
            name: "app.jsonl".into(),
            index: 0,
            format: Format::Json,
        };
        let mut agg = Agg::new(sink);
        for (i, line) in lines.iter().enumerate() {
            let entry = Entry {
                raw: line.as_bytes(),
                offset: (first + i as u64) * 100,
                line: first + i as u64 + 1,
            };
            let mut rec = None;
            let mut hit = Hit::new(entry, b"\n", &mut rec, Format::Json, &ctx);
            sink.matched(&mut agg, &mut hit, &source).unwrap();
        }
        agg
    }

    /// The report `stats --json` prints for `agg`.
    fn printed(agg: &Agg) -> String {
        let opts = ReportOptions {
            top: 10,
            interval: None,
            window: (None, None),
            now_ns: 0,
            by: vec!["user_id".into()],
            value: Some("duration_ms".into()),
            perf: Some("duration_ms".into()),
            rate_warn: 5.0,
            rate_crit: 10.0,
            paths: vec!["app.jsonl".into()],
            min_confidence: 99.0,
        };
        let mut text = serde_json::to_string_pretty(&report::build(agg, &opts)).unwrap();
        text.push_str(&format!("\ncounts {:?}", agg.counts));
        text
    }

    #[test]
    fn partials_encoded_decoded_and_merged_give_the_direct_merge() {
        let sink = spec().sink(TimeCtx::utc_now_year(), 0).unwrap();
        let lines = lines();
        let cuts = [0, 700, 701, 1900, lines.len()];
        let parts = || {
            cuts.windows(2)
                .map(|w| fold(&sink, &lines[w[0]..w[1]], w[0] as u64))
        };
        let mut direct = Agg::new(&sink);
        parts().for_each(|p| direct.merge(p));
        let mut travelled = Agg::new(&sink);
        for (n, p) in parts().enumerate() {
            let batch = row(n as u32, &p).unwrap();
            let back = read(&[batch], 1);
            // Each row read alone is split 0 of one only when it is split 0.
            assert_eq!(back.is_ok(), n == 0);
            travelled.merge(decode(&encode(&p).unwrap()).unwrap());
        }
        let want = printed(&direct);
        assert_eq!(printed(&travelled), want);
        // What the lines hold, counted apart: 1 in 97 without a time, 1 in 7 FATAL,
        // 1 in 5 of service db; a far-off duration in the sketches (a far bin).
        assert_eq!(travelled.total, 3000);
        assert_eq!(
            travelled.untimed,
            (0..3000).filter(|i| i % 97 == 0).count() as u64
        );
        assert_eq!(
            travelled.counts,
            vec![
                (0..3000).filter(|i| i % 7 == 5).count() as u64,
                (0..3000).filter(|i| i % 5 == 1).count() as u64
            ]
        );
        assert!(want.contains("\"max\": 1e+23"), "{want}");
        assert!(want.contains("\"p95\""), "{want}");
    }

    #[test]
    fn the_rows_of_every_split_are_read_in_split_order_and_nothing_else() {
        let sink = spec().sink(TimeCtx::utc_now_year(), 0).unwrap();
        let lines = lines();
        let a = fold(&sink, &lines[..10], 0);
        let b = fold(&sink, &lines[10..30], 10);
        // Sent in any order, read in split order.
        let rows = [row(1, &b).unwrap(), row(0, &a).unwrap()];
        let back = read(&rows, 2).unwrap();
        assert_eq!(
            back.iter().map(|a| a.total).collect::<Vec<_>>(),
            vec![a.total, b.total]
        );
        let err = |r: Result<Vec<Agg>>| r.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            err(read(&rows[..1], 2)),
            "cluster stats: a partial aggregate: split 0 did not come back"
        );
        let twice = [row(0, &a).unwrap(), row(0, &a).unwrap()];
        assert_eq!(
            err(read(&twice, 1)),
            "cluster stats: a partial aggregate: split 0 came twice"
        );
        assert_eq!(
            err(read(&rows, 1)),
            "cluster stats: a partial aggregate: no split numbered 1"
        );
        assert!(decode(b"\xff\x00").is_err());
    }
}
