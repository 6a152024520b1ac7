//! The model file: versioned JSON holding everything needed to score a
//! query exactly as training did (the feature configuration, the
//! standardisation of the structural cues, the weights, the Platt
//! calibration), what it was trained on (the data's sha256 and size, the
//! text column, the weak and strong model) and how well it did on held-out
//! folds. Its last key, `sha256`, is the hash of everything before it
//! (written compactly), so an edited or damaged file is refused rather
//! than scored. The hash covers the body's bytes as written, ending
//! where the checksum line begins.
//!
//! `Router::score` is the one scoring function: a pure function of the text,
//! for `cost router eval` and for anything that routes live.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::features::{EmbeddingSpec, FeatureConfig, FeatureError, Featuriser, STRUCTURAL};

/// The `format` key of every model file.
pub const FORMAT: &str = "cost-router";
/// Bumped whenever the file's meaning changes; other versions are refused.
pub const VERSION: u32 = 1;

/// Per-feature `(x - mean) / scale` for the structural cues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standardise {
    pub names: Vec<String>,
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

/// Platt scaling (Platt, "Probabilistic Outputs for Support Vector
/// Machines", 1999): `p = 1 / (1 + exp(-(a * margin + b)))`, fitted on the
/// out-of-fold margins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub method: String,
    pub a: f64,
    pub b: f64,
}

/// What the router was trained on and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    pub learner: String,
    /// What a positive is: the strong model is needed.
    pub label: String,
    pub text_column: String,
    pub weak: String,
    pub strong: String,
    /// The pass mark on normalised scores (0..1).
    pub pass: f64,
    pub queries: usize,
    pub positives: usize,
    /// sha256 of the (text, label) pairs in table order.
    pub data_sha256: String,
    pub folds: usize,
    pub seed: u64,
    pub l2: f64,
    pub max_iterations: u64,
}

/// Out-of-fold measures of the calibrated score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    pub protocol: String,
    pub roc_auc: f64,
    pub log_loss: f64,
    pub brier: f64,
    pub positive_share: f64,
}

/// Everything in the file but its checksum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelBody {
    pub format: String,
    pub version: u32,
    pub features: FeatureConfig,
    pub standardise: Standardise,
    pub weights: Vec<f64>,
    pub intercept: f64,
    pub calibration: Calibration,
    pub training: Training,
    pub validation: Validation,
}

/// Why a model file cannot be used. Messages name the key at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("`format` is {0}, not \"cost-router\": this is not a router model file")]
    Format(String),
    #[error("`version` is {found}; this build of cost reads router model version {VERSION}")]
    Version { found: String },
    #[error("`sha256` is missing or not a string")]
    NoChecksum,
    #[error(
        "`sha256` does not match the file's contents: it was edited or damaged after training"
    )]
    Checksum,
    #[error("{0}")]
    Shape(String),
    #[error("`features`: {0}")]
    Features(#[from] FeatureError),
}

/// A loaded, checked router.
#[derive(Debug, Clone)]
pub struct Router {
    pub body: ModelBody,
    featuriser: Featuriser,
}

impl Router {
    pub fn new(body: ModelBody) -> Result<Router, ModelError> {
        let featuriser = Featuriser::new(&body.features)?;
        let s = &body.standardise;
        if s.mean.len() != STRUCTURAL.len()
            || s.scale.len() != STRUCTURAL.len()
            || s.names.iter().map(String::as_str).ne(STRUCTURAL)
        {
            return Err(ModelError::Shape(format!(
                "`standardise` must list the {} structural cues {}",
                STRUCTURAL.len(),
                STRUCTURAL.join(", ")
            )));
        }
        if s.scale.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
            return Err(ModelError::Shape(
                "`standardise.scale` holds a value that is not a positive number".into(),
            ));
        }
        if body.weights.len() != featuriser.dim() {
            return Err(ModelError::Shape(format!(
                "`weights` has {} values; the feature configuration needs {}",
                body.weights.len(),
                featuriser.dim()
            )));
        }
        let finite = body.weights.iter().all(|w| w.is_finite())
            && body.intercept.is_finite()
            && body.calibration.a.is_finite()
            && body.calibration.b.is_finite();
        if !finite {
            return Err(ModelError::Shape(
                "a weight or the calibration is not a finite number".into(),
            ));
        }
        Ok(Router { body, featuriser })
    }

    /// The calibrated probability that `text` needs the strong model, for
    /// a router trained on text alone.
    ///
    /// # Panics
    /// On a router trained with embeddings (`Router::embedding` is then
    /// `Some`): those are scored with `score_with`.
    pub fn score(&self, text: &str) -> f64 {
        self.score_with(text, None)
            .expect("Router::score is for routers without an embedding")
    }

    /// The calibrated probability that `text`, with its embedding when
    /// the router was trained with one, needs the strong model.
    pub fn score_with(&self, text: &str, embedding: Option<&[f32]>) -> Result<f64, FeatureError> {
        let mut v = self.featuriser.vector(text, embedding)?;
        self.standardise(&mut v);
        Ok(self.calibrate(self.margin(&v)))
    }

    /// Where this router's embeddings come from, if it uses them.
    pub fn embedding(&self) -> Option<&EmbeddingSpec> {
        self.body.features.embedding.as_ref()
    }

    /// The structural cues standardised in place.
    pub fn standardise(&self, v: &mut [f64]) {
        let s = &self.body.standardise;
        for (i, x) in v.iter_mut().take(STRUCTURAL.len()).enumerate() {
            *x = (*x - s.mean[i]) / s.scale[i];
        }
    }

    /// The linear model's log-odds before calibration.
    pub fn margin(&self, v: &[f64]) -> f64 {
        self.body.intercept
            + v.iter()
                .zip(&self.body.weights)
                .map(|(x, w)| x * w)
                .sum::<f64>()
    }

    pub fn calibrate(&self, margin: f64) -> f64 {
        let c = &self.body.calibration;
        sigmoid(c.a * margin + c.b)
    }

    pub fn featuriser(&self) -> &Featuriser {
        &self.featuriser
    }

    /// The file's bytes: the body as pretty JSON, then `sha256`, the hash
    /// of those body bytes (hashed as written, so a reader need not
    /// re-serialise floats to check it). Same body, same bytes.
    pub fn to_json(&self) -> String {
        let body = serde_json::to_string_pretty(&self.body).expect("a model body is plain data");
        let sum = hex(&Sha256::digest(body.as_bytes()));
        let open = body
            .strip_suffix("\n}")
            .expect("a pretty JSON object ends with a brace");
        format!("{open},\n  {CHECKSUM_KEY}\"{sum}\"\n}}\n")
    }

    /// Reads a model file: its format, version and checksum first, then its shape.
    pub fn from_json(text: &str) -> Result<Router, ModelError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ModelError::Json(e.to_string()))?;
        let serde_json::Value::Object(mut map) = value else {
            return Err(ModelError::Json("the file is not a JSON object".into()));
        };
        match map.get("format") {
            Some(serde_json::Value::String(f)) if f == FORMAT => {}
            other => {
                return Err(ModelError::Format(
                    other.map_or("missing".into(), ToString::to_string),
                ))
            }
        }
        match map.get("version") {
            Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
            other => {
                return Err(ModelError::Version {
                    found: other.map_or("missing".into(), ToString::to_string),
                })
            }
        }
        let Some(serde_json::Value::String(stated)) = map.remove("sha256") else {
            return Err(ModelError::NoChecksum);
        };
        let body = text
            .rfind(&format!(",\n  {CHECKSUM_KEY}"))
            .map(|at| format!("{}\n}}", &text[..at]))
            .ok_or(ModelError::Checksum)?;
        if hex(&Sha256::digest(body.as_bytes())) != stated {
            return Err(ModelError::Checksum);
        }
        let body: ModelBody = serde_path_to_error::deserialize(serde_json::Value::Object(map))
            .map_err(|e| ModelError::Shape(format!("`{}`: {}", e.path(), e.inner())))?;
        Router::new(body)
    }
}

/// How the checksum key is written, last in the file.
const CHECKSUM_KEY: &str = "\"sha256\": ";

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
