//! `cost router eval`: `cost eval`'s report on the table, its threshold
//! router scored by the learned router, plus the router's own measures
//! (ROC AUC, the operating point's TPR and FPR) as summary fields; and the
//! notes `cost router train` prints about the model it wrote.

use crate::report::{Report, Value};
use crate::router::metrics::OperatingPoint;
use crate::router::Router;

/// Where the scores came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreOrigin {
    /// The router's training table: every query scored by the fold model that never saw it.
    OutOfFold,
    /// Another table: every query scored by the final model.
    HeldOut,
}

impl ScoreOrigin {
    pub fn key(self) -> &'static str {
        match self {
            ScoreOrigin::OutOfFold => "out_of_fold",
            ScoreOrigin::HeldOut => "held_out",
        }
    }
}

pub struct RouterMeasures<'a> {
    pub file: &'a str,
    pub router: &'a Router,
    pub origin: ScoreOrigin,
    pub roc_auc: Option<f64>,
    pub point: Option<OperatingPoint>,
    pub threshold: f64,
    pub positives: usize,
    pub queries: usize,
}

/// `cost eval`'s report, retitled, with the router's fields and notes.
pub fn with_router(mut report: Report, m: &RouterMeasures) -> Report {
    report.command = "router eval";
    report.title = report.title.replacen("cost eval:", "cost router eval:", 1);
    let t = &m.router.body.training;
    report.fields.extend([
        ("router_file", Value::from(m.file)),
        ("router_scores", m.origin.key().into()),
        ("positives", Value::Count(m.positives as u64)),
        (
            "positive_share",
            (m.positives as f64 / m.queries.max(1) as f64).into(),
        ),
        ("roc_auc", m.roc_auc.into()),
        ("threshold", m.threshold.into()),
        ("tpr", m.point.map(|p| p.tpr).into()),
        ("fpr", m.point.map(|p| p.fpr).into()),
        (
            "threshold_strong_share",
            m.point.map(|p| p.strong_share).into(),
        ),
    ]);
    report.notes.push(match m.origin {
        ScoreOrigin::OutOfFold => format!(
            "router scores: this is the router's training table (same data sha256), so each query is scored by the {}-fold cross-validation model that never saw it (out-of-fold, seed {})",
            t.folds, t.seed
        ),
        ScoreOrigin::HeldOut => "router scores: the table is not the router's training data (its sha256 differs), so every query is scored by the trained model".into(),
    });
    report.notes.push(format!(
        "positives: queries where `{}` fails and `{}` passes (score ≥ {}), which the router is trained to detect; TPR and FPR: shares of positives and of the other queries scored at least the threshold {} (sent to the strong model)",
        t.weak, t.strong, t.pass, m.threshold
    ));
    report
}

/// What `cost router train` says about the file it wrote (stderr).
pub fn train_notes(router: &Router, seconds: f64) -> Vec<String> {
    let t = &router.body.training;
    let v = &router.body.validation;
    vec![
        format!(
            "trained on {} queries, {} positive ({:.1}%: `{}` fails where `{}` passes), in {seconds:.1} s",
            t.queries,
            t.positives,
            100.0 * v.positive_share,
            t.weak,
            t.strong
        ),
        format!(
            "{}: ROC AUC {:.3}, log loss {:.4}, Brier {:.4}",
            v.protocol, v.roc_auc, v.log_loss, v.brier
        ),
    ]
}
