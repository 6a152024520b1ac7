//! Training: features for every query, stratified k-fold cross-validation
//! for out-of-fold margins (no query is scored by a model that saw it),
//! Platt scaling fitted on those margins, and the final model fitted on
//! every query. The learner is L2-regularised logistic regression from
//! `linfa-logistic` (L-BFGS from a zero start: deterministic). Folds are
//! dealt from a seeded shuffle, so the same data and options give the same
//! model, bit for bit.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, Axis, ShapeBuilder};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::eval::OutcomeTable;

use super::features::{FeatureConfig, FeatureError, Featuriser, STRUCTURAL};
use super::metrics::{brier, log_loss, roc_auc};
use super::model::{
    hex, sigmoid, Calibration, ModelBody, ModelError, Router, Standardise, Training, Validation,
    FORMAT, VERSION,
};

/// The learner's options; stored in the model file.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    pub features: FeatureConfig,
    pub folds: usize,
    pub seed: u64,
    /// L2 penalty on the weights (linfa's `alpha`).
    pub l2: f64,
    pub max_iterations: u64,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            features: FeatureConfig::default(),
            folds: 5,
            seed: 17,
            l2: 1.0,
            max_iterations: 200,
        }
    }
}

/// The queries to learn from: their text (and embedding, for a router
/// configured with one) and whether each needs the strong model.
#[derive(Debug, Clone, Copy)]
pub struct Examples<'a> {
    pub texts: &'a [&'a str],
    pub labels: &'a [bool],
    pub embeddings: Option<&'a [Vec<f32>]>,
}

/// Names the model file records about its data.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub text_column: String,
    pub weak: String,
    pub strong: String,
    pub pass: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("no positive examples: on none of the {queries} queries does the weak model fail where the strong one passes, so there is nothing to learn")]
    NoPositives { queries: usize },
    #[error("no negative examples: on every one of the {queries} queries the weak model fails where the strong one passes")]
    NoNegatives { queries: usize },
    #[error("{positives} positive and {negatives} negative examples are too few for {folds} folds: each class needs at least one query per fold")]
    TooFew {
        positives: usize,
        negatives: usize,
        folds: usize,
    },
    #[error("{0} folds: cross-validation needs at least 2")]
    Folds(usize),
    #[error("the learner failed: {0}")]
    Learner(String),
    #[error(transparent)]
    Features(#[from] FeatureError),
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// A trained router and its out-of-fold scores (calibrated, table order).
#[derive(Debug, Clone)]
pub struct Trained {
    pub router: Router,
    pub out_of_fold: Vec<f64>,
}

/// The label of each query: the strong model is needed when the weak
/// one fails (normalised score below `pass`) and the strong one passes.
pub fn strong_needed(table: &OutcomeTable, weak: usize, strong: usize, pass: f64) -> Vec<bool> {
    table.scores[weak]
        .iter()
        .zip(&table.scores[strong])
        .map(|(w, s)| *w < pass && *s >= pass)
        .collect()
}

/// sha256 of the (text, label) pairs in order: each text's length (8 bytes,
/// little-endian), its UTF-8 bytes, then the label as one byte.
pub fn data_hash(examples: Examples<'_>) -> String {
    let mut h = Sha256::new();
    for (t, l) in examples.texts.iter().zip(examples.labels) {
        h.update((t.len() as u64).to_le_bytes());
        h.update(t.as_bytes());
        h.update([u8::from(*l)]);
    }
    hex(&h.finalize())
}

/// Every query's raw feature vector, one row each.
pub fn feature_matrix(
    featuriser: &Featuriser,
    texts: &[&str],
    embeddings: Option<&[Vec<f32>]>,
) -> Result<Array2<f64>, FeatureError> {
    if let Some(e) = embeddings {
        assert_eq!(e.len(), texts.len(), "one embedding per text");
    }
    let mut x = Array2::zeros((texts.len(), featuriser.dim()));
    for (i, (mut row, text)) in x.axis_iter_mut(Axis(0)).zip(texts).enumerate() {
        featuriser.write(
            text,
            embeddings.map(|e| e[i].as_slice()),
            row.as_slice_mut()
                .expect("rows of a fresh array are contiguous"),
        )?;
    }
    Ok(x)
}

/// Each query's fold, 0..k: positives and negatives shuffled apart and
/// dealt in turn, so every fold has its share of both.
pub fn assign_folds(labels: &[bool], folds: usize, seed: u64) -> Vec<usize> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut fold = vec![0; labels.len()];
    let mut next = 0;
    for class in [true, false] {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        members.shuffle(&mut rng);
        for i in members {
            fold[i] = next % folds;
            next += 1;
        }
    }
    fold
}

pub fn train(
    examples: Examples<'_>,
    options: &TrainOptions,
    provenance: &Provenance,
) -> Result<Trained, TrainError> {
    check(examples.labels, options.folds)?;
    let featuriser = Featuriser::new(&options.features)?;
    let x = feature_matrix(&featuriser, examples.texts, examples.embeddings)?;
    let all: Vec<usize> = (0..examples.labels.len()).collect();
    let (margins, fit) = rayon::join(
        || out_of_fold_margins(&x, examples.labels, options),
        || fit(&x, examples.labels, &all, options),
    );
    let (margins, fit) = (margins?, fit?);
    let (a, b) = platt(&margins, examples.labels)?;
    let out_of_fold: Vec<f64> = margins.iter().map(|m| sigmoid(a * m + b)).collect();
    let labels = examples.labels;
    let body = ModelBody {
        format: FORMAT.into(),
        version: VERSION,
        features: options.features.clone(),
        standardise: fit.standardise,
        weights: fit.weights,
        intercept: fit.intercept,
        calibration: Calibration {
            method: "platt (fitted on out-of-fold margins)".into(),
            a,
            b,
        },
        training: Training {
            learner: "linfa-logistic 0.8 (L2 logistic regression, L-BFGS)".into(),
            label: "strong needed: the weak model fails where the strong one passes".into(),
            text_column: provenance.text_column.clone(),
            weak: provenance.weak.clone(),
            strong: provenance.strong.clone(),
            pass: provenance.pass,
            queries: labels.len(),
            positives: labels.iter().filter(|l| **l).count(),
            data_sha256: data_hash(examples),
            folds: options.folds,
            seed: options.seed,
            l2: options.l2,
            max_iterations: options.max_iterations,
        },
        validation: Validation {
            protocol: format!(
                "{}-fold stratified cross-validation, seed {}",
                options.folds, options.seed
            ),
            roc_auc: roc_auc(&out_of_fold, labels).unwrap_or(0.5),
            log_loss: log_loss(&out_of_fold, labels),
            brier: brier(&out_of_fold, labels),
            positive_share: labels.iter().filter(|l| **l).count() as f64 / labels.len() as f64,
        },
    };
    Ok(Trained {
        router: Router::new(body)?,
        out_of_fold,
    })
}

/// The calibrated out-of-fold scores a trained router's options give on
/// these examples (what `train` reported, recomputed).
pub fn out_of_fold_scores(examples: Examples<'_>, router: &Router) -> Result<Vec<f64>, TrainError> {
    let t = &router.body.training;
    let options = TrainOptions {
        features: router.body.features.clone(),
        folds: t.folds,
        seed: t.seed,
        l2: t.l2,
        max_iterations: t.max_iterations,
    };
    check(examples.labels, options.folds)?;
    let x = feature_matrix(router.featuriser(), examples.texts, examples.embeddings)?;
    let margins = out_of_fold_margins(&x, examples.labels, &options)?;
    Ok(margins.iter().map(|m| router.calibrate(*m)).collect())
}

fn check(labels: &[bool], folds: usize) -> Result<(), TrainError> {
    if folds < 2 {
        return Err(TrainError::Folds(folds));
    }
    let positives = labels.iter().filter(|l| **l).count();
    let negatives = labels.len() - positives;
    if positives == 0 {
        return Err(TrainError::NoPositives {
            queries: labels.len(),
        });
    }
    if negatives == 0 {
        return Err(TrainError::NoNegatives {
            queries: labels.len(),
        });
    }
    if positives < folds || negatives < folds {
        return Err(TrainError::TooFew {
            positives,
            negatives,
            folds,
        });
    }
    Ok(())
}

/// Each query's margin from the model fitted on the other folds.
fn out_of_fold_margins(
    x: &Array2<f64>,
    labels: &[bool],
    options: &TrainOptions,
) -> Result<Vec<f64>, TrainError> {
    let fold = assign_folds(labels, options.folds, options.seed);
    let fitted: Vec<Fitted> = (0..options.folds)
        .into_par_iter()
        .map(|k| {
            let train: Vec<usize> = (0..labels.len()).filter(|&i| fold[i] != k).collect();
            fit(x, labels, &train, options)
        })
        .collect::<Result<_, _>>()?;
    Ok((0..labels.len())
        .map(|i| fitted[fold[i]].margin(x.row(i).as_slice().expect("rows are contiguous")))
        .collect())
}

/// A linear model: standardisation, weights and intercept.
struct Fitted {
    standardise: Standardise,
    weights: Vec<f64>,
    intercept: f64,
}

impl Fitted {
    fn margin(&self, raw: &[f64]) -> f64 {
        let s = &self.standardise;
        let mut m = self.intercept;
        for (i, (x, w)) in raw.iter().zip(&self.weights).enumerate() {
            let x = if i < STRUCTURAL.len() {
                (x - s.mean[i]) / s.scale[i]
            } else {
                *x
            };
            m += x * w;
        }
        m
    }
}

/// Fits on the rows `rows` of `x`: the structural cues standardised on
/// those rows alone, then the logistic regression (on a column-major copy).
fn fit(
    x: &Array2<f64>,
    labels: &[bool],
    rows: &[usize],
    options: &TrainOptions,
) -> Result<Fitted, TrainError> {
    let mut xs = Array2::zeros((rows.len(), x.ncols()).f());
    for (mut to, &i) in xs.axis_iter_mut(Axis(0)).zip(rows) {
        to.assign(&x.row(i));
    }
    let n = rows.len() as f64;
    let mut mean = Vec::with_capacity(STRUCTURAL.len());
    let mut scale = Vec::with_capacity(STRUCTURAL.len());
    for j in 0..STRUCTURAL.len() {
        let mut col = xs.column_mut(j);
        let m = col.sum() / n;
        let var = col.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n;
        let s = if var > 1e-24 { var.sqrt() } else { 1.0 };
        col.mapv_inplace(|v| (v - m) / s);
        mean.push(m);
        scale.push(s);
    }
    let y: Array1<bool> = rows.iter().map(|&i| labels[i]).collect();
    let (weights, intercept) = logistic(xs, y, options.l2, options.max_iterations)?;
    Ok(Fitted {
        standardise: Standardise {
            names: STRUCTURAL.iter().map(|s| (*s).to_string()).collect(),
            mean,
            scale,
        },
        weights,
        intercept,
    })
}

/// Weights and intercept of the log-odds of `true`.
fn logistic(
    x: Array2<f64>,
    y: Array1<bool>,
    l2: f64,
    iterations: u64,
) -> Result<(Vec<f64>, f64), TrainError> {
    let fitted = LogisticRegression::default()
        .alpha(l2)
        .max_iterations(iterations)
        .fit(&Dataset::new(x, y))
        .map_err(|e| TrainError::Learner(e.to_string()))?;
    // linfa calls the larger class "positive": flip so the log-odds are of `true`.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let weights = fitted.params().iter().map(|w| sign * w).collect();
    Ok((weights, sign * fitted.intercept()))
}

/// Platt's `a` and `b`: a one-feature logistic regression of the labels on
/// the margins (a tiny L2 penalty keeps a separable case finite).
fn platt(margins: &[f64], labels: &[bool]) -> Result<(f64, f64), TrainError> {
    let x = Array2::from_shape_vec((margins.len(), 1), margins.to_vec())
        .expect("one column per margin");
    let y: Array1<bool> = labels.iter().copied().collect();
    let (w, b) = logistic(x, y, 1e-3, 100)?;
    Ok((w[0], b))
}
