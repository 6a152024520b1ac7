//! The learned router end to end on tables whose answer is known: a keyword
//! that decides, the same file from the same data, cross-validation that
//! never lets a query score itself, and model files that are refused when
//! edited or of another version.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::metrics::roc_auc;
use super::model::ModelError;
use super::train::{assign_folds, out_of_fold_scores};
use super::*;

fn provenance() -> Provenance {
    Provenance {
        text_column: "prompt".into(),
        weak: "weak".into(),
        strong: "strong".into(),
        pass: 0.5,
    }
}

/// 120 queries; those with the word "integral" need the strong model.
fn keyword_table() -> (Vec<String>, Vec<bool>) {
    let topics = [
        "river", "garden", "market", "castle", "engine", "library", "forest", "violin",
    ];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    (0..120)
        .map(|i| {
            let hard = i % 3 == 0;
            let (a, b) = (topics[rng.gen_range(0..8)], topics[rng.gen_range(0..8)]);
            let text = if hard {
                format!("Explain the {a} and the integral of the {b}.")
            } else {
                format!("Explain the {a} and the {b}.")
            };
            (text, hard)
        })
        .unzip()
}

fn trained(texts: &[String], labels: &[bool]) -> Trained {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    train(
        Examples {
            texts: &refs,
            labels,
            embeddings: None,
        },
        &TrainOptions::default(),
        &provenance(),
    )
    .unwrap()
}

#[test]
fn a_keyword_that_decides_is_learned() {
    let (texts, labels) = keyword_table();
    let t = trained(&texts, &labels);
    assert!(roc_auc(&t.out_of_fold, &labels).unwrap() > 0.95);
    assert!(t.router.body.validation.roc_auc > 0.95);
    let hard = t
        .router
        .score("Explain the harbor and the integral of the museum.");
    let easy = t.router.score("Explain the harbor and the museum.");
    assert!(hard > 0.5 && easy < 0.5, "hard {hard}, easy {easy}");
}

#[test]
fn the_same_data_gives_the_same_file() {
    let (texts, labels) = keyword_table();
    let (a, b) = (trained(&texts, &labels), trained(&texts, &labels));
    assert_eq!(a.router.to_json(), b.router.to_json());
    // serde_json parses floats to within an ulp (no `float_roundtrip`):
    // a loaded file scores as its model did, to far below any threshold.
    let again = Router::from_json(&a.router.to_json()).unwrap();
    for text in &texts {
        assert!((again.score(text) - a.router.score(text)).abs() < 1e-12);
    }
}

#[test]
fn out_of_fold_scores_repeat_what_training_reported() {
    let (texts, labels) = keyword_table();
    let t = trained(&texts, &labels);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let again = out_of_fold_scores(
        Examples {
            texts: &refs,
            labels: &labels,
            embeddings: None,
        },
        &t.router,
    )
    .unwrap();
    assert_eq!(again, t.out_of_fold);
}

/// Every query has a word of its own and a coin-flip label: a model that
/// has seen a query memorises its word, one that has not can only guess.
/// In-sample scores separate the labels; out-of-fold scores must not, or a
/// query was scored by a model trained on it.
#[test]
fn no_query_scores_itself() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let (texts, labels): (Vec<String>, Vec<bool>) = (0..200)
        .map(|i| {
            let word: String = (0..8)
                .map(|_| char::from(b'a' + rng.gen_range(0..26)))
                .collect();
            (
                format!("Tell me about {word} number {i}."),
                rng.gen_bool(0.4),
            )
        })
        .unzip();
    // A light penalty, so that a model that sees a query memorises it.
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let options = TrainOptions {
        l2: 0.01,
        features: super::features::FeatureConfig {
            hash_bits: 8,
            ..Default::default()
        },
        ..TrainOptions::default()
    };
    let t = train(
        Examples {
            texts: &refs,
            labels: &labels,
            embeddings: None,
        },
        &options,
        &provenance(),
    )
    .unwrap();
    let in_sample: Vec<f64> = texts.iter().map(|q| t.router.score(q)).collect();
    // The separation, whichever way calibration turned it (Platt's slope
    // is negative when out-of-fold margins lean the wrong way, as they may
    // on coin flips).
    let separation = |scores: &[f64]| (roc_auc(scores, &labels).unwrap() - 0.5).abs();
    let seen = separation(&in_sample);
    assert!(
        seen > 0.4,
        "in-sample |AUC - 0.5| {seen}: the test must be able to see leakage"
    );
    let held_out = separation(&t.out_of_fold);
    assert!(
        held_out < 0.15,
        "out-of-fold |AUC - 0.5| {held_out}: a query saw itself"
    );
}

#[test]
fn folds_are_stratified_and_seeded() {
    let labels: Vec<bool> = (0..50).map(|i| i % 5 == 0).collect();
    let folds = assign_folds(&labels, 5, 1);
    for k in 0..5 {
        let positives = (0..50).filter(|&i| folds[i] == k && labels[i]).count();
        assert_eq!(positives, 2);
    }
    assert_eq!(folds, assign_folds(&labels, 5, 1));
    assert_ne!(folds, assign_folds(&labels, 5, 2));
}

#[test]
fn classes_without_examples_are_refused() {
    let texts = ["a", "b", "c", "d", "e", "f"];
    let none = train(
        Examples {
            texts: &texts,
            labels: &[false; 6],
            embeddings: None,
        },
        &TrainOptions::default(),
        &provenance(),
    );
    assert!(matches!(none, Err(TrainError::NoPositives { queries: 6 })));
    let few = train(
        Examples {
            texts: &texts,
            labels: &[true, false, false, false, false, false],
            embeddings: None,
        },
        &TrainOptions::default(),
        &provenance(),
    );
    assert!(matches!(few, Err(TrainError::TooFew { positives: 1, .. })));
}

#[test]
fn edited_or_foreign_model_files_are_refused() {
    let (texts, labels) = keyword_table();
    let json = trained(&texts, &labels).router.to_json();
    let edited = json.replacen("\"seed\": 17", "\"seed\": 18", 1);
    assert_eq!(
        Router::from_json(&edited).unwrap_err(),
        ModelError::Checksum
    );
    let newer = json.replacen("\"version\": 1", "\"version\": 2", 1);
    assert!(matches!(
        Router::from_json(&newer),
        Err(ModelError::Version { .. })
    ));
    let other = json.replacen("cost-router", "something-else", 1);
    assert!(matches!(
        Router::from_json(&other),
        Err(ModelError::Format(_))
    ));
    let unsigned = json.replacen("\"sha256\"", "\"sha\"", 1);
    assert_eq!(
        Router::from_json(&unsigned).unwrap_err(),
        ModelError::NoChecksum
    );
}
