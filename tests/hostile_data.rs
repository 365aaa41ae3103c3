//! Hostile data, issue 10 cases 12, 15, 16 and 17: what a log's own content can do to
//! the answers and the memory of `fields`, `search --json`, `export` and `stats`.
//! Every expectation is computed here, from the bytes the test wrote.

mod util;

use serde_json::Value;

use util::Dir;

// ---------------------------------------------------------------------------------
// 17: `stats --value` percentiles keep the sketch's relative accuracy
// ---------------------------------------------------------------------------------

/// The sketch's stated relative accuracy (README: "within 1 %").
const ALPHA: f64 = 0.01;

fn stats_value(dir: &Dir, file: &str, field: &str) -> Value {
    let out = dir
        .command()
        .args(["stats", "--json", "--value", field, file])
        .run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stats --json is JSON");
    doc["value"].clone()
}

/// The value of rank `floor(q * (n - 1))` of the sorted values.
fn rank_value(sorted: &[f64], q: f64) -> f64 {
    sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
}

fn assert_percentiles(value: &Value, mut values: Vec<f64>, what: &str) {
    values.sort_by(f64::total_cmp);
    for (key, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
        let got = value[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: no {key}"));
        let want = rank_value(&values, q);
        assert!(
            (got - want).abs() <= want.abs() * ALPHA * (1.0 + 1e-9),
            "{what}: {key} = {got}, exact {want}"
        );
    }
    // min and max are exact; serde_json's default float reader may be 1 ulp off.
    for (key, want) in [("min", values[0]), ("max", values[values.len() - 1])] {
        let got = value[key].as_f64().unwrap_or(f64::NAN);
        assert!(
            (got - want).abs() <= want.abs() * 1e-15,
            "{what}: {key} {got} vs {want}"
        );
    }
    assert_eq!(value["count"].as_u64(), Some(values.len() as u64), "{what}");
}

fn value_log(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{{\"level\":\"info\",\"msg\":\"x\",\"d\":{v:e}}}\n"))
        .collect()
}

#[test]
fn stats_value_p50_of_small_values_with_a_huge_outlier() {
    let dir = Dir::new();
    let values = vec![1.0, 2.0, 3.0, 4.0, 1e23];
    dir.create("v.log", value_log(&values));
    let v = stats_value(&dir, "v.log", "d");
    // Was 164448: the low bins had been folded together to make room for 1e23.
    assert_percentiles(&v, values, "{1,2,3,4,1e23}");
}

#[test]
fn stats_value_percentiles_on_skewed_and_signed_inputs() {
    let dir = Dir::new();
    let mut seed = 99u64;
    let mut unit = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let heavy: Vec<f64> = (0..3000).map(|_| unit().powf(-3.0)).collect();
    let signed: Vec<f64> = (0..3000)
        .map(|i| match i % 4 {
            0 => 0.0,
            1 => -unit() * 1e9,
            2 => unit() * 1e-12,
            _ => unit() * 1e30,
        })
        .collect();
    for (what, values) in [("heavy tail", heavy), ("signed, tiny and huge", signed)] {
        dir.create("v.log", value_log(&values));
        let v = stats_value(&dir, "v.log", "d");
        assert_percentiles(&v, values, what);
    }
}
