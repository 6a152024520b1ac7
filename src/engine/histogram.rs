//! Equal-width histograms of simulated bills, shared by every plan shown
//! together so their bars line up.

/// `bins` equal bins from `low`, each `width` wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bins {
    pub low: f64,
    pub width: f64,
    pub bins: usize,
}

impl Bins {
    /// Bins over the range of all `samples` (each sorted ascending). A
    /// range of one value gets a tiny positive width, so every value lands
    /// in the first bin.
    pub fn spanning(samples: &[&[f64]], bins: usize) -> Bins {
        let low = samples
            .iter()
            .filter_map(|s| s.first())
            .copied()
            .fold(f64::INFINITY, f64::min);
        let high = samples
            .iter()
            .filter_map(|s| s.last())
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let width = if high > low {
            (high - low) / bins as f64
        } else {
            low.abs().max(1.0) * 1e-6
        };
        Bins { low, width, bins }
    }

    /// How many values fall in each bin (the top edge belongs to the last).
    pub fn counts(&self, values: &[f64]) -> Vec<u64> {
        let mut counts = vec![0u64; self.bins];
        for v in values {
            let i = (((v - self.low) / self.width) as usize).min(self.bins - 1);
            counts[i] += 1;
        }
        counts
    }

    /// The lower and upper edge of bin `i`.
    pub fn edges(&self, i: usize) -> (f64, f64) {
        (
            self.low + self.width * i as f64,
            self.low + self.width * (i + 1) as f64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cover_every_value_once() {
        let a = [1.0, 2.0, 3.0];
        let b = [2.0, 5.0];
        let bins = Bins::spanning(&[&a, &b], 4);
        assert_eq!(bins.low, 1.0);
        assert_eq!(bins.width, 1.0);
        assert_eq!(bins.counts(&a), vec![1, 1, 1, 0]);
        assert_eq!(
            bins.counts(&b),
            vec![0, 1, 0, 1],
            "the top edge is in the last bin"
        );
        assert_eq!(bins.edges(3), (4.0, 5.0));
    }

    #[test]
    fn a_single_value_has_a_bin() {
        let a = [7.0, 7.0];
        let bins = Bins::spanning(&[&a], 3);
        assert!(bins.width > 0.0);
        assert_eq!(bins.counts(&a), vec![2, 0, 0]);
    }
}
