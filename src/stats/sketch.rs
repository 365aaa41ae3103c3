//! A mergeable quantile sketch (DDSketch, Masson et al., VLDB 2019) for `--value`
//! percentiles and the duration test behind `performance_degradation`.
//!
//! Every value lands in a logarithmic bin `ceil(log_gamma(v))` with
//! `gamma = (1 + a) / (1 - a)`, so any quantile comes back within relative error `a`
//! (1 %) of a true sample value, and two sketches merge by adding their bins: chunks are
//! summarised in parallel and merged in order without keeping the values. Count, sum,
//! min and max are exact. Bins are a dense array with an offset; past `MAX_BINS` the
//! lowest bins are folded together (the low quantiles lose accuracy first, which the
//! p50/p95/p99 shown never touch in practice).
//!
//! Not used: the `sketches-ddsketch` crate (fine, but it has no cheap "count above x"
//! for the binomial test and allocates its stores eagerly per sketch; this one is ~150
//! lines and empty sketches cost nothing).

/// Relative accuracy of quantiles.
const ALPHA: f64 = 0.01;
/// Largest number of bins per sign before the lowest are folded.
const MAX_BINS: usize = 2048;
/// Values with a smaller magnitude count as zero.
const MIN_MAGNITUDE: f64 = 1e-9;

/// One store of log bins (for the positive or the negated negative values).
#[derive(Debug, Clone, Default)]
struct Store {
    bins: Vec<u64>,
    offset: i32,
}

impl Store {
    fn add(&mut self, idx: i32, n: u64) {
        if self.bins.is_empty() {
            self.bins.push(n);
            self.offset = idx;
            return;
        }
        let mut idx = idx;
        if idx < self.offset {
            let need = (self.offset - idx) as usize;
            if self.bins.len() + need > MAX_BINS {
                // Fold: the value joins the lowest bin kept.
                idx = self.offset;
            } else {
                // Headroom below, so a run of lower values does not copy every time.
                let grow = need.max(64).min(MAX_BINS - self.bins.len());
                let idx_low = self.offset - grow as i32;
                let mut bins = Vec::with_capacity(grow + self.bins.len() + 64);
                bins.resize(grow, 0);
                bins.extend_from_slice(&self.bins);
                self.bins = bins;
                self.offset = idx_low;
            }
        }
        let pos = (idx - self.offset) as usize;
        if pos >= self.bins.len() {
            self.bins.resize(pos + 1, 0);
            if self.bins.len() > MAX_BINS {
                let fold = self.bins.len() - MAX_BINS;
                let low: u64 = self.bins[..=fold].iter().sum();
                self.bins.drain(..fold);
                self.bins[0] = low;
                self.offset += fold as i32;
            }
            let pos = (idx - self.offset) as usize;
            self.bins[pos] += n;
        } else {
            self.bins[pos] += n;
        }
    }

    fn merge(&mut self, other: &Store) {
        let Some(first) = other.bins.iter().position(|&n| n > 0) else {
            return;
        };
        let last = other.bins.iter().rposition(|&n| n > 0).unwrap_or(first);
        // Make room for the whole range once (folding as `add` does), then add bin by bin.
        self.add(other.offset + first as i32, 0);
        self.add(other.offset + last as i32, 0);
        let base = other.offset + first as i32;
        for (i, &n) in other.bins[first..=last].iter().enumerate() {
            if n == 0 {
                continue;
            }
            let idx = base + i as i32;
            match usize::try_from(idx - self.offset) {
                Ok(pos) if pos < self.bins.len() => self.bins[pos] += n,
                _ => self.add(idx, n),
            }
        }
    }
}

/// A DDSketch: quantiles within 1 % relative error, exact count/sum/min/max.
#[derive(Debug, Clone, Default)]
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

fn index_of(v: f64) -> i32 {
    (v.ln() / ln_gamma()).ceil() as i32
}

fn value_of(idx: i32) -> f64 {
    let gamma = (1.0 + ALPHA) / (1.0 - ALPHA);
    2.0 * gamma.powi(idx) / (gamma + 1.0)
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
        if v > MIN_MAGNITUDE {
            self.pos.add(index_of(v), 1);
        } else if v < -MIN_MAGNITUDE {
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

    /// The `q` quantile (0..=1), within 1 % of a value of the sample.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let q = q.clamp(0.0, 1.0);
        let rank = (q * (self.count - 1) as f64).floor() as u64;
        let mut seen = 0u64;
        for (i, &n) in self.neg.bins.iter().enumerate().rev() {
            seen += n;
            if seen > rank {
                let v = -value_of(self.neg.offset + i as i32);
                return Some(v.clamp(self.min, self.max));
            }
        }
        seen += self.zeros;
        if seen > rank {
            return Some(0.0f64.clamp(self.min, self.max));
        }
        for (i, &n) in self.pos.bins.iter().enumerate() {
            seen += n;
            if seen > rank {
                let v = value_of(self.pos.offset + i as i32);
                return Some(v.clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// How many values are above `x` (counting whole bins above `x`'s bin; positive
    /// `x` only, as durations are).
    pub fn count_above(&self, x: f64) -> u64 {
        if x <= MIN_MAGNITUDE {
            return self.pos.bins.iter().sum();
        }
        let idx = index_of(x);
        self.pos
            .bins
            .iter()
            .enumerate()
            .filter(|(i, _)| self.pos.offset + *i as i32 > idx)
            .map(|(_, n)| n)
            .sum()
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
        let mut v = 1e-6;
        while v < 1e15 {
            s.add(v);
            v *= 1.001;
        }
        assert!(s.pos.bins.len() <= MAX_BINS);
        let p99 = s.quantile(0.99).unwrap();
        assert!(p99 > 1e14 * 0.5, "{p99}");
        assert_eq!(Sketch::new().quantile(0.5), None);
    }
}
