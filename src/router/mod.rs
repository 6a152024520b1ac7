//! A learned router: from a table of queries with their text and the
//! outcomes of a weak and a strong model, learn the probability that a
//! query needs the strong model (the weak one fails where the strong one
//! passes), and score new text with it.
//!
//! `features` turns text into a fixed-length vector (tokenizer counts,
//! hashed n-grams, structural cues); `train` fits and cross-validates;
//! `model` is the versioned model file and `Router::score`; `metrics`
//! ROC AUC and operating points; `texts` reads a table's text column;
//! `plan` writes a measured operating point into a scenario's classifier
//! plan. Pure: no files, terminal or clap (callers hand over bytes and
//! text). No message here names a command-line flag.

pub mod features;
pub mod metrics;
pub mod model;
pub mod plan;
pub mod texts;
pub mod train;

pub use model::{ModelError, Router};
pub use train::{train, Examples, Provenance, TrainError, TrainOptions, Trained};

#[cfg(test)]
mod tests;
