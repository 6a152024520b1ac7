//! Settings of `cost router train` and `cost router eval`. Train reads a
//! table like `cost eval` (without costs: they play no part in the label);
//! eval takes every `cost eval` flag, since it runs `cost eval` on the
//! router's scores.

use std::path::PathBuf;

use anyhow::bail;

use super::EvalSettings;
use crate::cli::{GlobalArgs, RouterEvalArgs, RouterTrainArgs};
use crate::eval::{CostColumns, Layout, TableFormat, TableSpec};
use crate::output::Printer;
use crate::router::features::FeatureConfig;
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
        Ok(RouterTrainSettings {
            printer: super::printer(global),
            table: args.table.clone(),
            spec: spec(args)?,
            text: args.text.clone(),
            weak: args.weak.clone(),
            strong: args.strong.clone(),
            pass: args.pass_score,
            options: TrainOptions {
                features: FeatureConfig {
                    hash_bits: args.hash_bits,
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

fn spec(args: &RouterTrainArgs) -> anyhow::Result<TableSpec> {
    let format = args.input_format.unwrap_or_else(|| {
        match args.table.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson") => {
                TableFormat::Jsonl
            }
            _ => TableFormat::Csv,
        }
    });
    let layout = if args.wide {
        if args.models.is_empty() {
            bail!("--wide needs --models: the score column of each model, e.g. --models gpt4=gpt4_correct,mixtral=mixtral_correct");
        }
        Layout::Wide {
            models: args
                .models
                .iter()
                .map(|m| (m.0.name.clone(), m.0.value.clone()))
                .collect(),
        }
    } else {
        if !args.models.is_empty() {
            bail!("--models names the score columns of a wide table\n  hint: add --wide, or name the long table's model column with --model");
        }
        Layout::Long {
            model: args.model.clone(),
            score: args.score.clone(),
        }
    };
    let query = if args.query.is_empty() && !args.wide {
        vec!["query".to_string()]
    } else {
        args.query.clone()
    };
    Ok(TableSpec {
        format,
        layout,
        query,
        cost: CostColumns::None,
        range: args.score_range,
        filters: args.filters.clone(),
        router: None,
        category: None,
        group: None,
        allow_missing: args.allow_missing,
    })
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
    pub fn resolve(
        args: &RouterEvalArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<RouterEvalSettings> {
        if !(0.0..=1.0).contains(&args.threshold) {
            bail!(
                "--threshold {}: must be between 0 and 1 (the router's score is a probability)",
                args.threshold
            );
        }
        let e = &args.eval;
        if e.router_score.is_some() {
            bail!("--router-score names a score column; `cost router eval` scores the table with the router file\n  hint: use `cost eval --router-score COL` for a column of scores");
        }
        if e.group.is_some() {
            bail!("--group is not supported by `cost router eval`: the router scores each query's own text");
        }
        if e.weak.is_some() || e.strong.is_some() {
            bail!("--weak and --strong come from the router file: it measures the pair it was trained on\n  hint: leave them out, or train another router with `cost router train --weak M --strong M`");
        }
        Ok(RouterEvalSettings {
            eval: EvalSettings::resolve(e, global)?,
            router: args.router.clone(),
            text: args.text.clone(),
            threshold: args.threshold,
            scenario: args.scenario.clone().zip(args.scenario_out.clone()),
            plan: args.plan.clone(),
        })
    }
}
