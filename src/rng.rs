//! The crate's one seeded generator (splitmix64) and the draws it offers. Every stream is
//! derived from the user's seed and a stable key (a URN, an LA code), so one setting's or one
//! authority's draws do not depend on which others are being built.

/// splitmix64 with helpers for uniform, weighted and exponential draws. The state is public so
/// that `Rng(seed)` starts a stream, exactly as [`Rng::new`] does.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// A generator started from `seed`.
    #[cfg(any(test, feature = "testing"))]
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator for the stream named `key` under `seed` (FNV-1a of the key, mixed in).
    pub fn derive(seed: u64, key: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let mut r = Rng(seed ^ h.rotate_left(17));
        r.next();
        r
    }

    /// Next 64 random bits.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        splitmix64(&mut self.0)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A random element of a non-empty slice.
    #[cfg(any(test, feature = "testing"))]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Uniform in [0, 1), from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A standard normal draw (Box–Muller, from two 53-bit uniforms; the first never 0).
    pub fn normal(&mut self) -> f64 {
        let u1 = ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let u2 = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// A whole number in `lo..=hi`.
    pub fn int(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(u64::from(hi - lo + 1)) as u32
    }

    /// True with probability `p`, comparing all 64 bits scaled to [0, 1].
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() as f64 / u64::MAX as f64) < p
    }

    /// True with probability `p`, when a [`unit`](Self::unit) draw falls below it (the
    /// synthesiser's coin: the same draw as `unit`, so not the same stream as [`chance`](Self::chance)).
    pub fn unit_below(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// An index drawn with probability proportional to `weights` (linear scan); `None` when
    /// every weight is zero.
    pub fn weighted(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        if total <= 0.0 {
            return None;
        }
        let mut x = self.unit() * total;
        let mut last = None;
        for (i, w) in weights.iter().enumerate() {
            if *w > 0.0 {
                last = Some(i);
                if x < *w {
                    return Some(i);
                }
                x -= w;
            }
        }
        last
    }

    /// A value rounded up or down at random so that its expectation is `x` (x >= 0).
    pub fn round_stochastic(&mut self, x: f64) -> u32 {
        let floor = x.floor();
        floor as u32 + u32::from(self.unit_below(x - floor))
    }
}

/// One step of splitmix64: advances `state` and returns the next 64 random bits.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Cumulative weights for repeated O(log n) draws from one distribution.
#[derive(Clone, Debug, Default)]
pub struct WeightedIndex {
    cumulative: Vec<f64>,
}

impl WeightedIndex {
    /// Builds the index; negative weights count as zero.
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                acc += w.max(0.0);
                acc
            })
            .collect();
        WeightedIndex { cumulative }
    }

    /// True when every weight is zero.
    pub fn is_empty(&self) -> bool {
        self.cumulative.last().is_none_or(|t| *t <= 0.0)
    }

    /// Draws an index; `None` when every weight is zero.
    pub fn draw(&self, rng: &mut Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        if total <= 0.0 {
            return None;
        }
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|c| *c <= x);
        Some(i.min(self.cumulative.len() - 1))
    }
}

/// Splits `total` into whole parts proportional to `weights` by the largest-remainder method
/// (ties to the lower index), so the parts add up to `total` exactly.
pub fn largest_remainder(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum <= 0.0 {
        let mut out = vec![0; weights.len()];
        out[0] = total;
        return out;
    }
    let quotas: Vec<f64> = weights
        .iter()
        .map(|w| w.max(0.0) / sum * total as f64)
        .collect();
    let mut parts: Vec<u64> = quotas.iter().map(|q| q.floor() as u64).collect();
    let mut left = total.saturating_sub(parts.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = quotas[a] - quotas[a].floor();
        let rb = quotas[b] - quotas[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        if weights[i] > 0.0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_adds_up() {
        let p = largest_remainder(10, &[1.0, 1.0, 1.0]);
        assert_eq!(p.iter().sum::<u64>(), 10);
        assert_eq!(p, vec![4, 3, 3]);
        assert_eq!(largest_remainder(5, &[0.0, 2.0]), vec![0, 5]);
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..3).map(|_| Rng::derive(1, "x").next()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::derive(1, "x").next(), Rng::derive(1, "y").next());
    }

    #[test]
    fn weighted_index_skips_zero_weights() {
        let w = WeightedIndex::new([0.0, 2.0, 0.0]);
        let mut r = Rng::new(3);
        for _ in 0..50 {
            assert_eq!(w.draw(&mut r), Some(1));
        }
    }
}
