//! Tail probabilities for the insight tests: the binomial upper tail and the
//! two-sided normal p-value. Upper tails are summed from the observed count upwards in
//! log space, so tiny p-values (1e-30) stay accurate instead of cancelling to zero.

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative).
pub fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// P(X >= k) for X ~ Binomial(n, p). Returns 1 when k <= n p (not a tail).
pub fn binomial_sf(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 || (k as f64) <= n as f64 * p {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let (kf, nf) = (k as f64, n as f64);
    let ln_pmf = ln_gamma(nf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(nf - kf + 1.0)
        + kf * p.ln()
        + (nf - kf) * (1.0 - p).ln();
    let mut term = ln_pmf.exp();
    let mut sum = term;
    let ratio = p / (1.0 - p);
    let mut i = k;
    while i < n && term > sum * 1e-17 {
        term *= (n - i) as f64 / (i + 1) as f64 * ratio;
        sum += term;
        i += 1;
    }
    sum.min(1.0)
}

/// Two-sided p-value of a standard normal statistic `z`.
pub fn normal_two_sided(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// Complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn binomial_tail_matches_direct_sum() {
        // P(X >= 8 | n = 10, p = 0.5) = (45 + 10 + 1) / 1024
        assert!(close(binomial_sf(8, 10, 0.5), 56.0 / 1024.0, 1e-9));
        // All of n in a fraction f: f^n.
        assert!(close(binomial_sf(6, 6, 0.25), 0.25f64.powi(6), 1e-9));
        assert_eq!(binomial_sf(3, 10, 0.5), 1.0);
    }

    /// ln(n!) by summing logarithms: no Lanczos, no recurrence.
    fn ln_fact(n: u64) -> f64 {
        (2..=n).map(|i| (i as f64).ln()).sum()
    }

    /// ln(sum exp(terms)), largest term first.
    fn log_sum_exp(terms: &[f64]) -> f64 {
        let m = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln()
    }

    /// P(X >= k), X ~ Bin(n, p): every term of the tail summed in log space.
    fn binomial_direct(k: u64, n: u64, p: f64) -> f64 {
        let terms: Vec<f64> = (k..=n)
            .map(|i| {
                ln_fact(n) - ln_fact(i) - ln_fact(n - i)
                    + i as f64 * p.ln()
                    + (n - i) as f64 * (1.0 - p).ln()
            })
            .collect();
        log_sum_exp(&terms).exp()
    }

    #[test]
    fn binomial_tails_match_an_independent_sum() {
        // (k, n, p), from the centre to extreme tails.
        let cases = [
            (8, 10, 0.5),
            (30, 100, 0.2),
            (12, 60, 0.1),
            (52, 260, 0.1),
            (80, 260, 0.1),
            (250, 3000, 0.05),
            (400, 3000, 0.05),
            (100, 1000, 0.01),
            (1000, 1000, 0.5),
            (7, 7, 0.25),
            (5, 20_000, 0.0001),
        ];
        for (k, n, p) in cases {
            let (got, want) = (binomial_sf(k, n, p), binomial_direct(k, n, p));
            assert!(
                close(got, want, 1e-9),
                "Bin({n}, {p}) >= {k}: {got:e} vs {want:e}"
            );
        }
        // 2^-1000, and the extreme tail still far from zero.
        assert!(close(binomial_sf(1000, 1000, 0.5), 2f64.powi(-1000), 1e-9));
        assert!(binomial_sf(100, 1000, 0.01) > 0.0);
    }

    #[test]
    fn normal_tails_match_published_values() {
        // Two-sided p for z (standard normal tables; Abramowitz & Stegun 26.2).
        let table = [
            (0.674_490, 0.5),
            (1.644_854, 0.1),
            (1.959_964, 0.05),
            (2.575_829, 0.01),
            (3.290_527, 0.001),
            (3.890_592, 1e-4),
            (4.417_173, 1e-5),
            (5.0, 5.733_031e-7),
            (6.0, 1.973_175e-9),
            (8.0, 1.244_192e-15),
        ];
        for (z, p) in table {
            assert!(
                close(normal_two_sided(z), p, 1e-5),
                "z {z}: {:e} vs {p:e}",
                normal_two_sided(z)
            );
            assert!(close(normal_two_sided(-z), p, 1e-5), "z -{z}");
        }
    }

    #[test]
    fn normal_p_values() {
        assert!(close(normal_two_sided(1.959_964), 0.05, 1e-4));
        assert!(close(normal_two_sided(-3.290_527), 0.001, 1e-3));
        assert!(normal_two_sided(0.0) > 0.999);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
    }
}
