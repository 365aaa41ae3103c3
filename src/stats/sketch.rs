//! A mergeable quantile sketch (DDSketch, Masson et al., VLDB 2019) for `--value`
//! percentiles and the duration test behind `performance_degradation`.
//!
//! Every value lands in a logarithmic bin `ceil(log_gamma(|v|))` with
//! `gamma = (1 + a) / (1 - a)`, so any quantile comes back within relative error `a`
//! (1 %) of the sample value at that rank, whatever the range of the input, and two
//! sketches merge by adding their bins: chunks are summarised in parallel and merged in
//! order without keeping the values. Count, sum, min and max are exact; only exact
//! zeros go to the zero bucket (subnormals still get a bin).
//!
//! Bins live in a dense window of at most `MAX_BINS` (a factor of more than 1e17 in
//! range), where adding is one array increment; a bin outside the window (a far
//! outlier, `1e23` among durations) goes to a sparse map instead of being folded into
//! its neighbours, which is what once turned p50 of {1,2,3,4,1e23} into 164448. Memory
//! per sketch: the window (16 KiB at most) plus one map entry per distinct far bin,
//! and there are at most ~75,000 bins over the whole `f64` range.
//!
//! Not used: the `sketches-ddsketch` crate (fine, but it has no cheap "count above x"
//! for the binomial test and allocates its stores eagerly per sketch; this one is a
//! few hundred lines and empty sketches cost nothing).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Relative accuracy of quantiles.
pub const ALPHA: f64 = 0.01;
/// Largest number of bins per sign in the dense window.
const MAX_BINS: usize = 2048;

/// One store of log bins (for the positive or the negated negative values).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Store {
    /// The dense window: `bins[i]` counts bin `offset + i`.
    bins: Vec<u64>,
    offset: i32,
    /// Bins outside the window, never overlapping it.
    far: BTreeMap<i32, u64>,
}

impl Store {
    fn add(&mut self, idx: i32, n: u64) {
        if self.bins.is_empty() {
            self.bins.push(n);
            self.offset = idx;
            self.absorb_far();
            return;
        }
        if let Some(pos) = self.position(idx) {
            self.bins[pos] += n;
            return;
        }
        if self.widen_to(idx) {
            let pos = (idx - self.offset) as usize;
            self.bins[pos] += n;
        } else {
            *self.far.entry(idx).or_insert(0) += n;
        }
    }

    /// Where bin `idx` is in the window, if it is inside.
    #[inline]
    fn position(&self, idx: i32) -> Option<usize> {
        let pos = usize::try_from(i64::from(idx) - i64::from(self.offset)).ok()?;
        (pos < self.bins.len()).then_some(pos)
    }

    /// Grows the window to hold `idx` if it stays within `MAX_BINS`; false otherwise.
    fn widen_to(&mut self, idx: i32) -> bool {
        let len = self.bins.len();
        if idx < self.offset {
            let need = (i64::from(self.offset) - i64::from(idx)) as usize;
            if len + need > MAX_BINS {
                return false;
            }
            // Headroom below, so a run of lower values does not copy every time.
            let grow = need.max(64).min(MAX_BINS - len);
            let mut bins = Vec::with_capacity(grow + len + 64);
            bins.resize(grow, 0);
            bins.extend_from_slice(&self.bins);
            self.bins = bins;
            self.offset -= grow as i32;
        } else {
            let pos = (i64::from(idx) - i64::from(self.offset)) as usize;
            if pos >= MAX_BINS {
                return false;
            }
            self.bins.resize(pos + 1, 0);
        }
        self.absorb_far();
        true
    }

    /// Moves the far bins that the (grown) window now covers into it.
    fn absorb_far(&mut self) {
        if self.far.is_empty() {
            return;
        }
        let hi = self.offset + self.bins.len() as i32;
        let inside: Vec<i32> = self.far.range(self.offset..hi).map(|(&i, _)| i).collect();
        for idx in inside {
            if let Some(n) = self.far.remove(&idx) {
                self.bins[(idx - self.offset) as usize] += n;
            }
        }
    }

    /// Every non-empty bin, lowest index first.
    fn bins_ascending(&self) -> impl DoubleEndedIterator<Item = (i32, u64)> + '_ {
        let below = self.far.range(..self.offset);
        let above = self.far.range(self.offset..);
        let dense = self
            .bins
            .iter()
            .enumerate()
            .map(move |(i, &n)| (self.offset + i as i32, n));
        below
            .map(|(&i, &n)| (i, n))
            .chain(dense)
            .chain(above.map(|(&i, &n)| (i, n)))
            .filter(|&(_, n)| n > 0)
    }

    fn merge(&mut self, other: &Store) {
        for (idx, n) in other.bins_ascending() {
            self.add(idx, n);
        }
    }
}

/// A DDSketch: quantiles within 1 % relative error, exact count/sum/min/max.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Sketch {
    pos: Store,
    neg: Store,
    zeros: u64,
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
}

fn ln_gamma() -> f64 {
    ((1.0 + ALPHA) / (1.0 - ALPHA)).ln()
}

/// The bin of a positive finite value.
fn index_of(v: f64) -> i32 {
    (v.ln() / ln_gamma()).ceil() as i32
}

/// The value a bin stands for: the point within relative error `ALPHA` of both ends
/// of `(gamma^(idx-1), gamma^idx]`. Computed through `exp` so that the highest bins
/// give infinity (then clamped to the maximum) rather than a wrong finite value.
fn value_of(idx: i32) -> f64 {
    let gamma = (1.0 + ALPHA) / (1.0 - ALPHA);
    (f64::from(idx) * ln_gamma() + (2.0 / (gamma + 1.0)).ln()).exp()
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Adds one value; NaN and infinities are ignored.
    pub fn add(&mut self, v: f64) {
        if !v.is_finite() {
            return;
        }
        if self.count == 0 {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        self.count += 1;
        self.sum += v;
        if v > 0.0 {
            self.pos.add(index_of(v), 1);
        } else if v < 0.0 {
            self.neg.add(index_of(-v), 1);
        } else {
            self.zeros += 1;
        }
    }

    pub fn merge(&mut self, other: &Sketch) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = other.clone();
            return;
        }
        self.pos.merge(&other.pos);
        self.neg.merge(&other.neg);
        self.zeros += other.zeros;
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    /// The `q` quantile (0..=1): the sample value of rank `floor(q * (count - 1))`
    /// (0-based, ascending), within relative error [`ALPHA`].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let q = q.clamp(0.0, 1.0);
        let rank = (q * (self.count - 1) as f64).floor() as u64;
        let mut seen = 0u64;
        // Most negative first: the highest bins of the negated store.
        for (idx, n) in self.neg.bins_ascending().rev() {
            seen += n;
            if seen > rank {
                return Some(self.clamp(-value_of(idx)));
            }
        }
        seen += self.zeros;
        if seen > rank {
            return Some(self.clamp(0.0));
        }
        for (idx, n) in self.pos.bins_ascending() {
            seen += n;
            if seen > rank {
                return Some(self.clamp(value_of(idx)));
            }
        }
        Some(self.max)
    }

    /// A bin's value moved inside `[min, max]`, which only brings it closer to the
    /// sample values in that bin.
    fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.min, self.max)
    }

    /// How many values are above `x` (counting whole bins above `x`'s bin; positive
    /// `x` only, as durations are).
    pub fn count_above(&self, x: f64) -> u64 {
        let all = self.pos.bins_ascending();
        if x <= 0.0 {
            return all.map(|(_, n)| n).sum();
        }
        let idx = index_of(x);
        all.filter(|&(i, _)| i > idx).map(|(_, n)| n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(values: &mut [f64], q: f64) -> f64 {
        values.sort_by(f64::total_cmp);
        values[(q * (values.len() - 1) as f64).floor() as usize]
    }

    #[test]
    fn quantiles_within_relative_error() {
        let mut rng = 12345u64;
        let mut values = Vec::new();
        let mut s = Sketch::new();
        for _ in 0..50_000 {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = ((rng >> 33) % 60_000 + 1) as f64;
            values.push(v);
            s.add(v);
        }
        for q in [0.0, 0.5, 0.95, 0.99, 1.0] {
            let want = exact(&mut values, q);
            let got = s.quantile(q).unwrap();
            assert!((got - want).abs() <= want * 0.0201, "q{q}: {got} vs {want}");
        }
        assert_eq!(s.count(), 50_000);
        assert_eq!(s.min(), Some(exact(&mut values, 0.0)));
        assert_eq!(s.max(), Some(exact(&mut values, 1.0)));
    }

    #[test]
    fn merge_equals_one_sketch() {
        let mut all = Sketch::new();
        let mut a = Sketch::new();
        let mut b = Sketch::new();
        for i in 0..10_000 {
            let v = (i % 977) as f64 * 1.5 - 10.0;
            all.add(v);
            if i % 3 == 0 {
                a.add(v)
            } else {
                b.add(v)
            }
        }
        a.merge(&b);
        for q in [0.01, 0.25, 0.5, 0.9, 0.99] {
            assert_eq!(a.quantile(q), all.quantile(q), "q{q}");
        }
        assert_eq!(a.count(), all.count());
        assert_eq!(a.count_above(100.0), all.count_above(100.0));
    }

    #[test]
    fn wide_ranges_stay_bounded() {
        let mut s = Sketch::new();
        let mut values = Vec::new();
        let mut v = 1e-6;
        while v < 1e15 {
            s.add(v);
            values.push(v);
            v *= 1.001;
        }
        assert!(s.pos.bins.len() <= MAX_BINS);
        assert_within_alpha(&s, &mut values, "1e-6..1e15");
        assert_eq!(Sketch::new().quantile(0.5), None);
    }

    /// Exact rank value, the same convention as `Sketch::quantile`, written apart.
    fn rank_value(sorted: &[f64], q: f64) -> f64 {
        let n = sorted.len() as f64;
        let rank = (q * (n - 1.0)).floor() as usize;
        sorted[rank]
    }

    /// Relative accuracy with a margin for rounding at bin edges only (an off-by-one
    /// bin would be off by about `2 * ALPHA`).
    fn within(got: f64, want: f64) -> bool {
        (got - want).abs() <= want.abs() * (ALPHA * (1.0 + 1e-9))
    }

    const QS: [f64; 11] = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0];

    fn assert_within_alpha(s: &Sketch, values: &mut [f64], what: &str) {
        values.sort_by(f64::total_cmp);
        for q in QS {
            let want = rank_value(values, q);
            let got = s.quantile(q).unwrap();
            assert!(within(got, want), "{what}: q{q}: {got} vs exact {want}");
        }
    }

    fn sketch_of(values: &[f64]) -> Sketch {
        let mut s = Sketch::new();
        values.iter().for_each(|&v| s.add(v));
        s
    }

    /// A small deterministic generator for uniform (0, 1).
    struct Lcg(u64);
    impl Lcg {
        fn unit(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }
        fn normal(&mut self) -> f64 {
            let (u, v) = (self.unit(), self.unit());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }
    }

    #[test]
    fn the_reported_outlier_case() {
        let mut values = vec![1.0, 2.0, 3.0, 4.0, 1e23];
        let s = sketch_of(&values);
        let p50 = s.quantile(0.5).unwrap();
        assert!(within(p50, 3.0), "p50 {p50}");
        assert_within_alpha(&s, &mut values, "{1,2,3,4,1e23}");
    }

    #[test]
    fn skewed_heavy_tailed_and_outlier_inputs() {
        let mut rng = Lcg(7);
        let lognormal: Vec<f64> = (0..20_000)
            .map(|_| (3.0 + 2.5 * rng.normal()).exp())
            .collect();
        // Pareto with shape 0.5: infinite mean, values up to ~1e15.
        let pareto: Vec<f64> = (0..20_000).map(|_| rng.unit().powf(-1.0 / 0.5)).collect();
        let mut outliers: Vec<f64> = (0..20_000).map(|i| 100.0 + (i % 50) as f64).collect();
        for i in 0..200 {
            outliers[i * 97] = if i % 2 == 0 { 1e300 } else { 1e-300 };
        }
        let mixed_signs: Vec<f64> = (0..20_000)
            .map(|i| match i % 5 {
                0 => 0.0,
                1 => -(rng.unit() * 1e6),
                2 => -(rng.unit() * 1e-6),
                3 => rng.unit().powf(-4.0),
                _ => f64::MIN_POSITIVE * rng.unit(),
            })
            .collect();
        let extremes = vec![
            f64::MAX,
            -f64::MAX,
            5e-324,
            -5e-324,
            0.0,
            1.0,
            f64::MAX / 3.0,
        ];
        for (what, mut values) in [
            ("lognormal", lognormal),
            ("pareto", pareto),
            ("outliers", outliers),
            ("mixed signs", mixed_signs),
            ("extremes", extremes),
        ] {
            let s = sketch_of(&values);
            assert_within_alpha(&s, &mut values, what);
            // Merging halves gives the same answers (and so the same accuracy).
            let (a, b) = values.split_at(values.len() / 3);
            let mut m = sketch_of(b);
            m.merge(&sketch_of(a));
            for q in QS {
                assert_eq!(m.quantile(q), s.quantile(q), "{what} merged q{q}");
            }
        }
    }

    #[test]
    fn count_above_counts_far_bins() {
        let s = sketch_of(&[1.0, 2.0, 3.0, 1e23, 1e-30]);
        assert_eq!(s.count_above(10.0), 1);
        assert_eq!(s.count_above(0.5), 4);
        assert_eq!(s.count_above(0.0), 5);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// For any finite values, every quantile is within `ALPHA` of the exact
        /// rank value, and a merge of two parts answers as one sketch does.
        #[test]
        fn any_finite_values_keep_the_relative_accuracy(
            mut values in proptest::collection::vec(
                proptest::num::f64::NORMAL
                    | proptest::num::f64::SUBNORMAL
                    | proptest::num::f64::ZERO
                    | proptest::num::f64::NEGATIVE
                    | proptest::num::f64::POSITIVE,
                1..300,
            ),
            split in 0usize..300,
        ) {
            let s = sketch_of(&values);
            let split = split.min(values.len());
            let mut m = sketch_of(&values[..split]);
            m.merge(&sketch_of(&values[split..]));
            values.sort_by(f64::total_cmp);
            for q in QS {
                let want = rank_value(&values, q);
                let got = s.quantile(q).unwrap();
                proptest::prop_assert!(within(got, want), "q{}: {} vs exact {}", q, got, want);
                proptest::prop_assert_eq!(m.quantile(q), Some(got));
            }
        }
    }
}
