//! The two DataFusion functions that decide a term with the local engine's own
//! matcher, for the terms DataFusion has no exact equivalent of (see
//! docs/DISTRIBUTED.md, "Translation"):
//!
//! - `covet_text_N(raw)`: a word, phrase, regex or `OR` of words over the entry's raw
//!   bytes (`TextTerm::is_match`: bytes, not UTF-8; ASCII case folding for ASCII
//!   literals; colour codes stripped on a miss).
//! - `covet_field_N(raw, format)`: a field test that needs the record (metadata paths,
//!   tags, ranges over text fields): the entry is parsed by its format and the test run
//!   by `query::eval::field_matches`, so lookup and value typing are the local ones.
//!
//! Each instance carries its compiled term, so each gets its own name (`_N`): two
//! instances never compare equal, and a plan never merges two different terms.

use std::any::Any;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BooleanArray};
use datafusion::arrow::datatypes::{DataType, UInt32Type};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::col;

use crate::cluster::rows::Formats;
use crate::format::timestamp::TimeCtx;
use crate::query::compile::{Target, Test, TextTerm};
use crate::query::eval::field_matches;

/// A fresh number for a function's name.
fn next_id() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What a function decides for one row.
#[derive(Debug)]
enum Decide {
    Text(TextTerm),
    Field {
        target: Target,
        test: Test,
        formats: Formats,
        ctx: TimeCtx,
    },
}

#[derive(Debug)]
struct Covet {
    name: String,
    signature: Signature,
    decide: Decide,
}

/// `covet_text_N(raw)`.
pub fn text(term: &TextTerm) -> Expr {
    let f = Covet {
        name: format!("covet_text_{}", next_id()),
        signature: Signature::exact(vec![DataType::Binary], Volatility::Immutable),
        decide: Decide::Text(term.clone()),
    };
    ScalarUDF::new_from_impl(f).call(vec![col("raw")])
}

/// `covet_field_N(raw, format)`.
pub fn field(target: &Target, test: &Test, formats: &Formats, ctx: TimeCtx) -> Expr {
    let f = Covet {
        name: format!("covet_field_{}", next_id()),
        signature: Signature::exact(
            vec![DataType::Binary, DataType::UInt32],
            Volatility::Immutable,
        ),
        decide: Decide::Field {
            target: target.clone(),
            test: test.clone(),
            formats: formats.clone(),
            ctx,
        },
    };
    ScalarUDF::new_from_impl(f).call(vec![col("raw"), col("format")])
}

impl ScalarUDFImpl for Covet {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let raw = arrays[0].as_binary::<i32>();
        let out: BooleanArray = match &self.decide {
            Decide::Text(term) => (0..raw.len())
                .map(|i| Some(!raw.is_null(i) && term.is_match(raw.value(i))))
                .collect(),
            Decide::Field {
                target,
                test,
                formats,
                ctx,
            } => {
                let codes = arrays[1].as_primitive::<UInt32Type>();
                let mut out = Vec::with_capacity(raw.len());
                for i in 0..raw.len() {
                    let format = formats.get(codes.value(i)).ok_or_else(|| {
                        DataFusionError::Internal(format!("no format numbered {}", codes.value(i)))
                    })?;
                    let rec = format.parse(raw.value(i), ctx);
                    out.push(Some(field_matches(&rec, target, test)));
                }
                out.into_iter().collect()
            }
        };
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}
