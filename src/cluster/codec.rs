//! covet-logs' plan nodes through Ballista's extension codecs: the logical codec
//! carries `LogTable` (the client's plan, decoded by the scheduler), the physical one
//! `LogScanExec` (the scheduler's stage plans, decoded by each executor). Each node is
//! its `ScanSpec` as JSON, behind a one-byte tag; every other node goes to Ballista's
//! own codecs (its shuffle readers and writers, file formats), so the two wrap them.
//! The client, the scheduler and the executors all install these (`logical`,
//! `physical`).

use std::sync::Arc;

use ballista_core::serde::{BallistaLogicalExtensionCodec, BallistaPhysicalExtensionCodec};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::common::{DataFusionError, Result, TableReference};
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{Extension, LogicalPlan, ScalarUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionContext;
use datafusion_proto::logical_plan::LogicalExtensionCodec;
use datafusion_proto::physical_plan::PhysicalExtensionCodec;

use crate::cluster::table::{LogScanExec, LogTable, ScanSpec};

/// The tag of a node of ours (the JSON follows), and of one of Ballista's.
const OURS: u8 = b'C';
const THEIRS: u8 = 0;

fn encode_spec(spec: &ScanSpec, projection: Option<&Vec<usize>>, buf: &mut Vec<u8>) -> Result<()> {
    buf.push(OURS);
    serde_json::to_writer(buf, &(spec, projection))
        .map_err(|e| DataFusionError::Internal(format!("covet-logs scan: {e}")))
}

fn decode_spec(buf: &[u8]) -> Result<(ScanSpec, Option<Vec<usize>>)> {
    serde_json::from_slice(buf)
        .map_err(|e| DataFusionError::Internal(format!("covet-logs scan: {e}")))
}

/// The logical codec of the client and the scheduler.
pub fn logical() -> Arc<dyn LogicalExtensionCodec> {
    Arc::new(Logical(BallistaLogicalExtensionCodec::default()))
}

/// The physical codec of the scheduler and the executors.
pub fn physical() -> Arc<dyn PhysicalExtensionCodec> {
    Arc::new(Physical(BallistaPhysicalExtensionCodec::default()))
}

#[derive(Debug)]
struct Logical(BallistaLogicalExtensionCodec);

impl LogicalExtensionCodec for Logical {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[LogicalPlan],
        ctx: &SessionContext,
    ) -> Result<Extension> {
        self.0.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.0.try_encode(node, buf)
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &SessionContext,
    ) -> Result<Arc<dyn TableProvider>> {
        match buf.split_first() {
            Some((&OURS, json)) => {
                let (spec, _) = decode_spec(json)?;
                Ok(Arc::new(LogTable {
                    spec: Arc::new(spec),
                }))
            }
            Some((_, rest)) => self
                .0
                .try_decode_table_provider(rest, table_ref, schema, ctx),
            None => Err(DataFusionError::Internal("an empty table provider".into())),
        }
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        if let Some(table) = node.as_any().downcast_ref::<LogTable>() {
            return encode_spec(&table.spec, None, buf);
        }
        buf.push(THEIRS);
        self.0.try_encode_table_provider(table_ref, node, buf)
    }

    fn try_decode_file_format(
        &self,
        buf: &[u8],
        ctx: &SessionContext,
    ) -> Result<Arc<dyn FileFormatFactory>> {
        self.0.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(
        &self,
        buf: &mut Vec<u8>,
        node: Arc<dyn FileFormatFactory>,
    ) -> Result<()> {
        self.0.try_encode_file_format(buf, node)
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        self.0.try_decode_udf(name, buf)
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.0.try_encode_udf(node, buf)
    }
}

#[derive(Debug)]
struct Physical(BallistaPhysicalExtensionCodec);

impl PhysicalExtensionCodec for Physical {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        registry: &dyn FunctionRegistry,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        match buf.split_first() {
            Some((&OURS, json)) => {
                let (spec, projection) = decode_spec(json)?;
                Ok(Arc::new(LogScanExec::new(Arc::new(spec), projection)))
            }
            Some((_, rest)) => self.0.try_decode(rest, inputs, registry),
            None => Err(DataFusionError::Internal("an empty plan node".into())),
        }
    }

    fn try_encode(&self, node: Arc<dyn ExecutionPlan>, buf: &mut Vec<u8>) -> Result<()> {
        if let Some(scan) = node.as_any().downcast_ref::<LogScanExec>() {
            return encode_spec(&scan.spec, scan.projection.as_ref(), buf);
        }
        buf.push(THEIRS);
        self.0.try_encode(node, buf)
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        self.0.try_decode_udf(name, buf)
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.0.try_encode_udf(node, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::table::Split;
    use crate::stats::agg::SinkSpec;

    fn spec() -> ScanSpec {
        ScanSpec {
            filter: crate::config::FilterSpec {
                text: "level:ERROR timeout".into(),
                flags: [vec![], vec!["api".into()], vec![]],
                case_sensitive: false,
                regex_words: false,
                tz: Some(0),
                year: 2024,
                now_ns: 5,
                window: (Some(1), None),
            },
            format: None,
            need_lines: true,
            max_entry: 1 << 20,
            chunk_size: 4096,
            sizes: true,
            splits: vec![Split {
                input: 1,
                path: "/logs/a.log".into(),
                range: Some((0, 100)),
                groups: Some((2, 4)),
                name: "a.log".into(),
                format: Some("cri/logback".into()),
            }],
            stats: Some(SinkSpec {
                by: vec!["user_id".into()],
                value: Some("duration_ms".into()),
                perf: Some("duration_ms".into()),
                current_from: Some(3),
                counts: vec!["level:FATAL".into()],
                case_sensitive: true,
                regex_words: false,
                unit: 1_000_000_000,
            }),
        }
    }

    #[test]
    fn a_scan_comes_back_from_the_physical_codec_as_it_went() {
        let node = Arc::new(LogScanExec::new(Arc::new(spec()), Some(vec![1])));
        let mut buf = Vec::new();
        physical().try_encode(node, &mut buf).unwrap();
        let ctx = SessionContext::new();
        let back = physical().try_decode(&buf, &[], &ctx).unwrap();
        let back = back.as_any().downcast_ref::<LogScanExec>().unwrap();
        assert_eq!(*back.spec, spec());
        assert_eq!(back.projection, Some(vec![1]));
    }

    #[test]
    fn a_table_comes_back_from_the_logical_codec_as_it_went() {
        let table = Arc::new(LogTable {
            spec: Arc::new(spec()),
        });
        let mut buf = Vec::new();
        let name = TableReference::bare("logs");
        logical()
            .try_encode_table_provider(&name, table, &mut buf)
            .unwrap();
        let ctx = SessionContext::new();
        let back = logical()
            .try_decode_table_provider(&buf, &name, crate::cluster::table::found_schema(), &ctx)
            .unwrap();
        let back = back.as_any().downcast_ref::<LogTable>().unwrap();
        assert_eq!(*back.spec, spec());
    }
}
