//! `cost router train` and `cost router eval`: read the table's outcomes
//! and text, label each query, then train (and write the model file) or
//! score (and hand `cost eval`'s machinery a threshold router).

use std::time::Instant;

use anyhow::{anyhow, bail, Context as _};

use crate::eval::evaluate::evaluate;
use crate::eval::{load, Loaded, OutcomeTable, TableSpec, TokenPricer};
use crate::output::write_atomically;
use crate::router::features::EmbeddingSpec;
use crate::router::metrics::{operating_point, roc_auc};
use crate::router::plan::set_operating_point;
use crate::router::texts::{in_order, read_texts};
use crate::router::train::{data_hash, out_of_fold_scores, strong_needed};
use crate::router::{train as fit, Examples, Provenance, Router};
use crate::settings::eval::load_hint;
use crate::settings::{RouterEvalSettings, RouterTrainSettings};
use crate::source::read_bytes;
use crate::views;
use crate::views::router::{RouterMeasures, ScoreOrigin};

pub fn train(s: &RouterTrainSettings) -> anyhow::Result<()> {
    let (bytes, file) = read_bytes(&s.table)?;
    let loaded = load(&bytes, &file, &s.spec, None, load_hint)?;
    let (texts, labels) = examples(
        &bytes,
        &file,
        &s.spec,
        &loaded.table,
        &s.text,
        (&s.weak, &s.strong),
        s.pass,
    )?;
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let started = Instant::now();
    let mut options = s.options.clone();
    let embeddings = match &mut options.features.embedding {
        Some(spec) => {
            let e = embeddings(spec, &texts)?;
            spec.dim = e.first().map_or(0, Vec::len);
            s.printer.note(&format!(
                "{} embeddings of length {} from {} ({})",
                e.len(),
                spec.dim,
                spec.url,
                spec.model
            ));
            Some(e)
        }
        None => None,
    };
    let provenance = Provenance {
        text_column: s.text.clone(),
        weak: s.weak.clone(),
        strong: s.strong.clone(),
        pass: s.pass,
    };
    let examples = Examples {
        texts: &texts,
        labels: &labels,
        embeddings: embeddings.as_deref(),
    };
    let trained = fit(examples, &options, &provenance)
        .map_err(|e| anyhow!("{file}: {e}\n  hint: check --weak, --strong and --pass: the router learns the queries the weak model fails and the strong one passes, so the table needs some of both kinds"))?;
    let json = trained.router.to_json();
    match &s.printer.output {
        Some(path) => write_atomically(path, json.as_bytes())?,
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), json.as_bytes())?,
    }
    for note in views::router::train_notes(&trained.router, started.elapsed().as_secs_f64()) {
        s.printer.note(&note);
    }
    if let Some(path) = &s.printer.output {
        s.printer.note(&format!("wrote {}", path.display()));
    }
    Ok(())
}

pub fn eval(s: &RouterEvalSettings) -> anyhow::Result<()> {
    let (model_bytes, model_file) = read_bytes(&s.router)?;
    let router = std::str::from_utf8(&model_bytes)
        .map_err(|_| anyhow!("not UTF-8 text"))
        .and_then(|text| Router::from_json(text).map_err(anyhow::Error::from))
        .map_err(|e| anyhow!("{model_file}: {e}\n  hint: pass a file written by `cost router train` of this version, unedited (or train it again)"))?;
    let (bytes, file) = read_bytes(&s.eval.table)?;
    let mut pricer = s.eval.row_pricer();
    let pricer = pricer.as_mut().map(|p| p as &mut dyn TokenPricer);
    let mut loaded = load(&bytes, &file, &s.eval.spec, pricer, load_hint)?;
    let t = &router.body.training;
    let text_column = s.text.as_deref().unwrap_or(&t.text_column);
    let (texts, labels) = examples(
        &bytes,
        &file,
        &s.eval.spec,
        &loaded.table,
        text_column,
        (&t.weak, &t.strong),
        t.pass,
    )?;
    drop(bytes);
    let priced_as = s.eval.fill_costs(&mut loaded.table)?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let embeddings = match router.embedding() {
        Some(spec) => Some(embeddings(spec, &refs)?),
        None => None,
    };
    let examples = Examples {
        texts: &refs,
        labels: &labels,
        embeddings: embeddings.as_deref(),
    };
    let (scores, origin) = if data_hash(examples) == t.data_sha256 {
        (
            out_of_fold_scores(examples, &router).map_err(|e| anyhow!("{file}: {e}"))?,
            ScoreOrigin::OutOfFold,
        )
    } else {
        let scores: Result<Vec<f64>, _> = refs
            .iter()
            .enumerate()
            .map(|(i, text)| router.score_with(text, embeddings.as_ref().map(|e| e[i].as_slice())))
            .collect();
        (
            scores.map_err(|e| anyhow!("{file}: {e}"))?,
            ScoreOrigin::HeldOut,
        )
    };
    let measures = RouterMeasures {
        file: &model_file,
        router: &router,
        origin,
        roc_auc: roc_auc(&scores, &labels),
        point: operating_point(&scores, &labels, s.threshold),
        threshold: s.threshold,
        positives: labels.iter().filter(|l| **l).count(),
        queries: labels.len(),
    };
    if let Some((from, to)) = &s.scenario {
        write_plan(s, &measures, (from, to), &file)?;
    }
    loaded.table.router = Some(scores);
    report(s, &loaded, &priced_as, &measures, &file)
}

fn report(
    s: &RouterEvalSettings,
    loaded: &Loaded,
    priced_as: &[crate::eval::costs::PricedAs],
    measures: &RouterMeasures,
    file: &str,
) -> anyhow::Result<()> {
    let t = &loaded.table;
    let training = &measures.router.body.training;
    let mut options = s.eval.options(t)?;
    options.weak = Some(t.find_model(&training.weak)?);
    options.strong = Some(t.find_model(&training.strong)?);
    let evaluation = evaluate(t, &options);
    for warning in views::eval::warnings(t, &evaluation) {
        s.eval.printer.warn(&warning);
    }
    let name = format!(
        "{} ({})",
        measures.file,
        measures.origin.key().replace('_', "-")
    );
    let context = views::eval::EvalInputs {
        file,
        spec: &s.eval.spec,
        source: &s.eval.costs,
        priced_as,
        date: s.eval.price_date(),
        options: &options,
        router_column: Some(&name),
        curves: s.eval.curves,
        ungrouped_queries: None,
    };
    let report = views::eval::build(loaded, &evaluation, &context);
    s.eval
        .printer
        .emit(&views::router::with_router(report, measures))
}

/// Each text's embedding from the endpoint `spec` names.
fn embeddings(spec: &EmbeddingSpec, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
    crate::embed::fetch_blocking(spec, texts, EMBED_TIMEOUT).map_err(|e| {
        anyhow!("{e}\n  hint: the router's embedding feature needs its endpoint reachable, with --embed-key-env naming a variable that holds the key")
    })
}

/// How long one batch of embeddings may take.
const EMBED_TIMEOUT: std::time::Duration = std::time::Duration::from_mins(2);

/// Each query's text (table order) and whether it needs the strong model.
fn examples(
    bytes: &[u8],
    file: &str,
    spec: &TableSpec,
    table: &OutcomeTable,
    text: &str,
    (weak, strong): (&str, &str),
    pass: f64,
) -> anyhow::Result<(Vec<String>, Vec<bool>)> {
    let by_id = read_texts(bytes, file, spec, text)?;
    let texts = in_order(table.queries.iter(), &by_id).map_err(|id| {
        anyhow!("{file}: query `{id}` has no text in column `{text}`\n  hint: every query the router scores needs its text; fill the column or leave such rows out with --where")
    })?;
    let texts = texts.into_iter().map(String::from).collect();
    let weak = table.find_model(weak).context("the weak model")?;
    let strong = table.find_model(strong).context("the strong model")?;
    if weak == strong {
        bail!("the weak and the strong model are the same");
    }
    Ok((texts, strong_needed(table, weak, strong, pass)))
}

fn write_plan(
    s: &RouterEvalSettings,
    m: &RouterMeasures,
    (from, to): (&std::path::Path, &std::path::Path),
    table: &str,
) -> anyhow::Result<()> {
    let Some(point) = m.point else {
        bail!("{table}: TPR and FPR need both positive and negative queries");
    };
    let (bytes, name) = read_bytes(from)?;
    let text = String::from_utf8(bytes).map_err(|_| anyhow!("{name}: not UTF-8 text"))?;
    let origin = format!(
        "tpr and fpr measured by `cost router eval` ({}, {} scores on {table}, {} queries, threshold {})",
        m.file,
        m.origin.key().replace('_', "-"),
        m.queries,
        m.threshold
    );
    let updated = set_operating_point(&text, &s.plan, point.tpr, point.fpr, &origin)
        .map_err(|e| anyhow!("{name}: {e}\n  hint: name a two-class classifier plan with --plan, e.g. [[plans]] name = \"{}\" routes = {{ easy = \"WEAK\", hard = \"STRONG\" }} positive = \"hard\"", s.plan))?;
    write_atomically(to, updated.as_bytes())?;
    s.eval.printer.note(&format!(
        "wrote {}: plan `{}` has tpr {:.4} and fpr {:.4}",
        to.display(),
        s.plan,
        point.tpr,
        point.fpr
    ));
    Ok(())
}
