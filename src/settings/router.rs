//! Settings of `cost router train` and `cost router eval`. Train reads a
//! table like `cost eval` (without costs: they play no part in the label);
//! eval takes every `cost eval` flag, since it runs `cost eval` on the
//! router's scores.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::eval::table_spec;
use super::EvalSettings;
use crate::cli::{EvalArgs, GlobalArgs, RouterEvalArgs, RouterTrainArgs};
use crate::eval::TableSpec;
use crate::output::Printer;
use crate::router::features::{EmbeddingSpec, FeatureConfig};
use crate::router::TrainOptions;

pub struct RouterTrainSettings {
    pub printer: Printer,
    pub table: PathBuf,
    pub spec: TableSpec,
    pub text: String,
    pub weak: String,
    pub strong: String,
    pub pass: f64,
    pub options: TrainOptions,
}

impl RouterTrainSettings {
    pub fn resolve(
        args: &RouterTrainArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<RouterTrainSettings> {
        if args.weak == args.strong {
            bail!("--weak and --strong both name `{}`: the router learns when the strong model is needed over the weak one\n  hint: name two different models of the table", args.weak);
        }
        if args.folds < 2 {
            bail!(
                "--folds {}: cross-validation needs at least 2 folds (5 is usual)",
                args.folds
            );
        }
        if !(args.l2.is_finite() && args.l2 >= 0.0) {
            bail!("--l2 {}: the penalty is a number, 0 or more", args.l2);
        }
        if !(4..=20).contains(&args.hash_bits) {
            bail!(
                "--hash-bits {}: must be between 4 and 20 (10 gives 1,024 buckets per block)",
                args.hash_bits
            );
        }
        if !(0.0..=1.0).contains(&args.pass_score) {
            bail!("--pass {}: must be between 0 and 1", args.pass_score);
        }
        if let Some(url) = &args.embed_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!("--embed-url {url}: not an http:// or https:// URL\n  hint: give the embeddings endpoint's full URL, e.g. https://api.openai.com/v1/embeddings");
            }
        }
        // The length is set by the first answer.
        let embedding = args
            .embed_url
            .clone()
            .zip(args.embed_model.clone())
            .map(|(url, model)| EmbeddingSpec {
                url,
                model,
                key_env: args.embed_key_env.clone(),
                dim: 0,
            });
        Ok(RouterTrainSettings {
            printer: super::printer(global),
            table: args.input.table.clone(),
            spec: table_spec(&args.input)?,
            text: args.text.clone(),
            weak: args.weak.clone(),
            strong: args.strong.clone(),
            pass: args.pass_score,
            options: TrainOptions {
                features: FeatureConfig {
                    hash_bits: args.hash_bits,
                    embedding,
                    ..FeatureConfig::default()
                },
                folds: args.folds,
                seed: args.seed,
                l2: args.l2,
                ..TrainOptions::default()
            },
        })
    }
}

pub struct RouterEvalSettings {
    pub eval: EvalSettings,
    pub router: PathBuf,
    pub text: Option<String>,
    pub threshold: f64,
    /// The scenario to read and where its updated copy goes.
    pub scenario: Option<(PathBuf, PathBuf)>,
    pub plan: String,
}

impl RouterEvalSettings {
    /// `cost router eval FILE TABLE ...`.
    pub fn resolve(
        args: &RouterEvalArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<RouterEvalSettings> {
        if args.eval.router_file.is_some() {
            bail!("--router names the model file again: `cost router eval` takes it as its first argument\n  hint: leave out --router, or run `cost eval TABLE --router FILE`");
        }
        RouterEvalSettings::of_eval(&args.router, &args.eval, global)
    }

    /// `cost eval TABLE --router FILE ...`, the same command; `None` without `--router`.
    pub fn from_eval(
        args: &EvalArgs,
        global: &GlobalArgs,
    ) -> Option<anyhow::Result<RouterEvalSettings>> {
        let router = args.router_file.as_ref()?;
        Some(RouterEvalSettings::of_eval(router, args, global))
    }

    fn of_eval(
        router: &Path,
        e: &EvalArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<RouterEvalSettings> {
        let l = &e.learned;
        let threshold = l.threshold.unwrap_or(0.5);
        if !(0.0..=1.0).contains(&threshold) {
            bail!(
                "--threshold {threshold}: must be between 0 and 1 (the router's score is a probability)"
            );
        }
        if e.router_score.is_some() {
            bail!("--router-score names a score column; a learned router scores the table with its model file\n  hint: use `cost eval --router-score COL` for a column of scores, or --router FILE for a model file, not both");
        }
        if e.group.is_some() {
            bail!(
                "--group is not supported with a learned router: it scores each query's own text"
            );
        }
        if e.weak.is_some() || e.strong.is_some() {
            bail!("--weak and --strong come from the router file: it measures the pair it was trained on\n  hint: leave them out, or train another router with `cost router train --weak M --strong M`");
        }
        Ok(RouterEvalSettings {
            eval: EvalSettings::resolve_table(e, global)?,
            router: router.to_path_buf(),
            text: l.text.clone(),
            threshold,
            scenario: l.scenario.clone().zip(l.scenario_out.clone()),
            plan: l.plan.clone(),
        })
    }
}
