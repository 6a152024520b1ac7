//! How well scores separate positives (queries that need the strong model)
//! from the rest: ROC AUC, log loss, Brier score, and the true and false
//! positive rates of a threshold. Pure functions over scores and labels.

/// ROC AUC as the Mann-Whitney statistic: the chance that a random positive
/// scores above a random negative, ties counting half (Hanley & McNeil,
/// Radiology 143, 1982). `None` without both classes.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let positives = labels.iter().filter(|l| **l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Mid-ranks of tied runs, summed over the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mid * order[i..=j].iter().filter(|&&k| labels[k]).count() as f64;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// Mean negative log-likelihood of probabilities (clipped to 1e-15..1-1e-15).
pub fn log_loss(probs: &[f64], labels: &[bool]) -> f64 {
    let sum: f64 = probs
        .iter()
        .zip(labels)
        .map(|(p, l)| {
            let p = p.clamp(1e-15, 1.0 - 1e-15);
            if *l {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .sum();
    sum / probs.len().max(1) as f64
}

/// Mean squared error of probabilities (Brier, 1950).
pub fn brier(probs: &[f64], labels: &[bool]) -> f64 {
    let sum: f64 = probs
        .iter()
        .zip(labels)
        .map(|(p, l)| (p - f64::from(u8::from(*l))).powi(2))
        .sum();
    sum / probs.len().max(1) as f64
}

/// A threshold's operating point: a query goes to the strong model when
/// its score is at least the threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperatingPoint {
    pub threshold: f64,
    /// P(sent to strong | strong needed).
    pub tpr: f64,
    /// P(sent to strong | not needed).
    pub fpr: f64,
    /// Share of all queries sent to the strong model.
    pub strong_share: f64,
}

/// `None` without both classes.
pub fn operating_point(scores: &[f64], labels: &[bool], threshold: f64) -> Option<OperatingPoint> {
    let (mut tp, mut fp, mut p) = (0usize, 0usize, 0usize);
    for (s, l) in scores.iter().zip(labels) {
        let strong = *s >= threshold;
        p += usize::from(*l);
        tp += usize::from(strong && *l);
        fp += usize::from(strong && !*l);
    }
    let n = labels.len() - p;
    if p == 0 || n == 0 {
        return None;
    }
    Some(OperatingPoint {
        threshold,
        tpr: tp as f64 / p as f64,
        fpr: fp as f64 / n as f64,
        strong_share: (tp + fp) as f64 / labels.len() as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_is_one_for_a_perfect_order_and_half_for_ties() {
        let labels = [false, false, true, true];
        assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &labels), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &labels), Some(0.0));
        assert_eq!(roc_auc(&[0.5; 4], &labels), Some(0.5));
        // One positive below one negative out of four pairs.
        assert_eq!(roc_auc(&[0.1, 0.6, 0.5, 0.9], &labels), Some(0.75));
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), None);
    }

    #[test]
    fn operating_points_count_both_classes() {
        let labels = [false, false, true, true];
        let op = operating_point(&[0.1, 0.6, 0.5, 0.9], &labels, 0.55).unwrap();
        assert_eq!((op.tpr, op.fpr, op.strong_share), (0.5, 0.5, 0.5));
        let all = operating_point(&[0.1, 0.6, 0.5, 0.9], &labels, 0.0).unwrap();
        assert_eq!((all.tpr, all.fpr), (1.0, 1.0));
    }

    #[test]
    fn losses_reward_confident_right_answers() {
        let labels = [true, false];
        assert!(log_loss(&[0.9, 0.1], &labels) < log_loss(&[0.6, 0.4], &labels));
        assert!((brier(&[1.0, 0.0], &labels)).abs() < 1e-12);
    }
}
