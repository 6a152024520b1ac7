//! Criterion benchmark of `Router::score`, the per-request cost of a
//! learned router: features (tokenizer count, hashed word and character
//! n-grams, structural cues) and the calibrated linear score, on a short
//! (GSM8K-sized) and a long (2,000-character) prompt. The router is
//! trained here on the first 300 GSM8K prompts of the shipped fixture.

use std::hint::black_box;

use cost::router::{train, Examples, Provenance, TrainOptions};
use criterion::{criterion_group, criterion_main, Criterion};

fn gsm8k(n: usize) -> (Vec<String>, Vec<bool>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/routellm/gsm8k.csv"
    );
    let mut reader = csv::Reader::from_path(path).expect("the GSM8K fixture");
    reader
        .records()
        .take(n)
        .map(|r| {
            let r = r.expect("a GSM8K row");
            (r[1].to_string(), &r[2] == "false" && &r[3] == "true")
        })
        .unzip()
}

fn benches(c: &mut Criterion) {
    let (texts, labels) = gsm8k(300);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let provenance = Provenance {
        text_column: "prompt".into(),
        weak: "mixtral".into(),
        strong: "gpt4".into(),
        pass: 0.5,
    };
    let router = train(
        Examples {
            texts: &refs,
            labels: &labels,
            embeddings: None,
        },
        &TrainOptions::default(),
        &provenance,
    )
    .expect("training on 300 GSM8K prompts")
    .router;
    let short = texts[0].clone();
    let long: String = texts.iter().flat_map(|t| t.chars()).take(2000).collect();
    let mut group = c.benchmark_group("router");
    group.bench_function(
        format!("score a {}-character prompt", short.chars().count()),
        |b| {
            b.iter(|| router.score(black_box(&short)));
        },
    );
    group.bench_function("score a 2000-character prompt", |b| {
        b.iter(|| router.score(black_box(&long)));
    });
    group.finish();
}

criterion_group!(router, benches);
criterion_main!(router);
