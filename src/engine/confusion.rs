//! A classifier router's accuracy as a confusion matrix
//! (`docs/routing-math.md`): TPR/FPR for two classes, or a
//! binormal ROC known only by its AUC, where negatives score N(0, 1) and
//! positives N(d', 1) with d' = sqrt(2) * Phi^-1(AUC), so that
//! TPR = Phi(d' + Phi^-1(FPR)).

use statrs::distribution::{ContinuousCDF, Normal};

use crate::scenario::{Accuracy, OperatingPoint};

fn std_normal() -> Normal {
    Normal::standard()
}

/// d' of a binormal ROC with equal variances.
pub fn d_prime(auc: f64) -> f64 {
    std::f64::consts::SQRT_2 * std_normal().inverse_cdf(auc)
}

/// TPR at `fpr` on the binormal ROC of `auc`.
pub fn binormal_tpr(auc: f64, fpr: f64) -> f64 {
    if fpr <= 0.0 {
        return if auc >= 1.0 { 1.0 } else { 0.0 };
    }
    if fpr >= 1.0 || auc >= 1.0 {
        return 1.0;
    }
    std_normal().cdf(d_prime(auc) + std_normal().inverse_cdf(fpr))
}

/// The FPR at which the classifier sends `share` of all traffic (a fraction
/// `h` of it positive) to the positive class's model. Strong share
/// h * TPR(f) + (1 - h) * f rises monotonically in f, so bisect.
pub fn fpr_for_share(auc: f64, h: f64, share: f64) -> f64 {
    let strong = |f: f64| h * binormal_tpr(auc, f) + (1.0 - h) * f;
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if strong(mid) < share {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The (TPR, FPR) a two-class accuracy works at, given the positive class's share `h`.
pub fn operating_point(auc: f64, at: OperatingPoint, h: f64) -> (f64, f64) {
    let fpr = match at {
        OperatingPoint::Fpr(f) => f,
        OperatingPoint::Threshold(t) => 1.0 - std_normal().cdf(t),
        OperatingPoint::StrongShare(s) => fpr_for_share(auc, h, s),
    };
    let tpr = match at {
        OperatingPoint::Threshold(t) if auc < 1.0 => 1.0 - std_normal().cdf(t - d_prime(auc)),
        _ => binormal_tpr(auc, fpr),
    };
    (tpr, fpr)
}

/// P(predicted j | true k) for every class, rows by true class.
/// `shares` are the classes' traffic shares (an AUC operating point set by
/// strong share depends on them).
pub fn confusion(accuracy: &Accuracy, shares: &[f64]) -> Vec<Vec<f64>> {
    let two = |positive: usize, tpr: f64, fpr: f64| {
        let negative = 1 - positive;
        let mut m = vec![vec![0.0; 2]; 2];
        m[positive][positive] = tpr;
        m[positive][negative] = 1.0 - tpr;
        m[negative][positive] = fpr;
        m[negative][negative] = 1.0 - fpr;
        m
    };
    match accuracy {
        Accuracy::Confusion(rows) => rows.clone(),
        Accuracy::Rates { positive, tpr, fpr } => two(*positive, *tpr, *fpr),
        Accuracy::Auc { positive, auc, at } => {
            let (tpr, fpr) = operating_point(*auc, *at, shares[*positive]);
            two(*positive, tpr, fpr)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_0_8_at_fpr_0_1_gives_the_worked_example_tpr() {
        // docs/routing-math.md (classifier routers): TPR 0.464.
        assert!((binormal_tpr(0.8, 0.1) - 0.464).abs() < 5e-4);
    }

    #[test]
    fn auc_one_half_is_the_diagonal() {
        for f in [0.0, 0.1, 0.5, 0.9, 1.0] {
            assert!((binormal_tpr(0.5, f) - f).abs() < 1e-9);
        }
    }

    #[test]
    fn threshold_and_fpr_agree() {
        let (tpr_t, fpr_t) =
            operating_point(0.8, OperatingPoint::Threshold(1.281_551_565_544_600_4), 0.2);
        assert!((fpr_t - 0.1).abs() < 1e-9);
        assert!((tpr_t - binormal_tpr(0.8, 0.1)).abs() < 1e-9);
    }

    #[test]
    fn strong_share_is_hit_exactly() {
        let (tpr, fpr) = operating_point(0.8, OperatingPoint::StrongShare(0.3), 0.2);
        assert!((0.2 * tpr + 0.8 * fpr - 0.3).abs() < 1e-9);
    }
}
