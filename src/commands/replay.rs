//! `cost replay LOG...`: resolve the flags into reading settings and replay
//! options, stream the logs through `replay::run`, and shape the tally into
//! a report (groups, traffic split, unknown models, bad-line samples).

use std::collections::BTreeMap;

use anyhow::{bail, Context as _};

use crate::cli::{CompressionArg, GlobalArgs, InputFormatArg, ReplayArgs, ShapeArg};
use crate::human::human_count;
use crate::money::Money;
use crate::output::Printer;
use crate::replay::aggregate::{Dim, Totals};
use crate::replay::class_rules::{ClassRules, Rule};
use crate::replay::drive::{replay, FileSummary, Reading};
use crate::replay::generic::Mapping;
use crate::replay::read::{self, Compression};
use crate::replay::tally::{Route, Tally, TallyOptions, WhatIf};
use crate::replay::{LogFormat, LogShape};
use crate::report::{col, Column, Kind, Report, Table, Value};
use crate::scenario::Scenario;
use crate::settings;
use crate::source::Source;

/// Plain files at least this large get a progress bar (on a terminal).
const PROGRESS_BYTES: u64 = 16 << 20;

pub fn run(args: &ReplayArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let catalog = settings::catalog(global)?;
    let undated = settings::date(args.at, None);
    let dims: Vec<Dim> = args.by.iter().map(|d| Dim::parse(d.trim())).collect();
    let scenario = match &args.scenario {
        Some(name) => Some(settings::scenario(Some(name), &catalog)?),
        None => None,
    };
    let what_if = match (&args.as_model, &args.plan, &scenario) {
        (Some(m), _, _) => WhatIf::As(catalog.lookup(m).context("--as")?),
        (None, Some(plan), Some(s)) => WhatIf::Plan(route(args, plan, s, &catalog)?),
        _ => WhatIf::Nothing,
    };
    if dims.contains(&Dim::Class) && !matches!(what_if, WhatIf::Plan(_)) {
        bail!("--by class needs --plan and --scenario (classes come from the scenario)");
    }
    let opts = TallyOptions {
        catalog: &catalog,
        dims,
        undated,
        what_if,
        skip_bad: args.skip_bad,
    };
    let reading = Reading {
        format: args.input_format.map(|f| match f {
            InputFormatArg::Jsonl => LogFormat::Jsonl,
            InputFormatArg::Csv => LogFormat::Csv,
        }),
        shape: args.shape.map(shape),
        mapping: mapping(args)?,
        threads: match args.threads {
            Some(0) => bail!("--threads 0: need at least one thread"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        },
    };
    let compression = match args.compression {
        CompressionArg::Auto => Compression::Auto,
        CompressionArg::Gzip => Compression::Gzip,
        CompressionArg::None => Compression::None,
    };
    let inputs = args
        .logs
        .iter()
        .map(|p| read::open(p, compression))
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = inputs.iter().filter_map(|i| i.size).sum();
    let bar = (printer.progress() && total >= PROGRESS_BYTES).then(|| progress_bar(total));
    let (tally, files) = replay(inputs, &reading, &opts, &|read| {
        if let Some(bar) = &bar {
            bar.set_position(read);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if args.strict && !tally.unknown.is_empty() {
        bail!(
            "{} requests name models the catalog does not know: {}\n  hint: add a price sheet with --pricing, or drop --strict to count and list them",
            tally.unknown.values().map(|v| v.0).sum::<u64>(),
            unknown_list(&tally)
        );
    }
    let report = report(&tally, &files, &opts, args);
    warn(&printer, &tally);
    printer.emit(&report)
}

fn shape(arg: ShapeArg) -> LogShape {
    match arg {
        ShapeArg::Openai => LogShape::OpenAi,
        ShapeArg::Anthropic => LogShape::Anthropic,
        ShapeArg::ClaudeCode => LogShape::ClaudeCode,
        ShapeArg::Litellm => LogShape::LiteLlm,
        ShapeArg::Generic => LogShape::Generic,
    }
}

fn mapping(args: &ReplayArgs) -> anyhow::Result<Mapping> {
    let base = match &args.mapping {
        Some(path) => {
            let source = Source::read(path)?;
            toml::from_str::<Mapping>(&source.text)
                .map_err(|e| crate::source::InputError::from_toml(&source, &e))?
        }
        None => Mapping::default(),
    };
    Mapping::from_pairs(&args.map, base).map_err(|e| anyhow::anyhow!("--map {e}"))
}

fn route<'c>(
    args: &ReplayArgs,
    plan: &str,
    scenario: &Scenario,
    catalog: &'c crate::pricing::Catalog,
) -> anyhow::Result<Route<'c>> {
    let Some(p) = scenario.plan(plan) else {
        bail!(
            "--plan {plan}: scenario `{}` has no such plan (its plans: {})",
            scenario.name,
            scenario
                .plans
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let classes: Vec<String> = scenario.classes.iter().map(|c| c.name.clone()).collect();
    // A log says which class a request was; a rules plan is replayed
    // with its routes as a perfect rules would apply them. Cascades and
    // oracles decide per request from outcomes a log does not hold.
    if matches!(
        p.kind,
        crate::scenario::PlanKind::Cascade(_) | crate::scenario::PlanKind::Oracle(_)
    ) {
        bail!("--plan {plan}: a cascade or oracle plan decides by answer quality, which a usage log does not record\n  hint: replay a plan with `model` or `routes`");
    }
    let models = (0..classes.len())
        .map(|k| catalog.lookup(p.model_for(k).unwrap_or_default()))
        .collect::<Result<Vec<_>, _>>()?;
    let rule = if let Some(field) = &args.class_field {
        let mut values: BTreeMap<String, usize> = classes
            .iter()
            .enumerate()
            .map(|(k, c)| (c.clone(), k))
            .collect();
        for pair in &args.class_map {
            let Some((value, class)) = pair.split_once('=') else {
                bail!("--class-map `{pair}`: expected VALUE=CLASS");
            };
            let Some(k) = scenario.class_index(class.trim()) else {
                bail!(
                    "--class-map `{pair}`: scenario `{}` has no class `{class}` (its classes: {})",
                    scenario.name,
                    classes.join(", ")
                );
            };
            values.insert(value.trim().to_string(), k);
        }
        Rule::Field {
            field: field.clone(),
            values,
        }
    } else if !args.class_bounds.is_empty() {
        if args.class_bounds.len() + 1 != classes.len() || !args.class_bounds.is_sorted() {
            bail!(
                "--class-bounds: need {} ascending bounds for the {} classes of `{}` ({})",
                classes.len().saturating_sub(1),
                classes.len(),
                scenario.name,
                classes.join(", ")
            );
        }
        Rule::Bounds(args.class_bounds.clone())
    } else {
        Rule::Nearest
    };
    let prompts: Vec<u64> = scenario
        .classes
        .iter()
        .map(|c| c.request.prompt())
        .collect();
    Ok(Route {
        plan: p.name.clone(),
        classes,
        models,
        tier: p.tier,
        rules: ClassRules::new(rule, &prompts),
    })
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn unknown_list(tally: &Tally) -> String {
    let mut unknown: Vec<(&String, &(u64, u64))> = tally.unknown.iter().collect();
    unknown.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    unknown
        .iter()
        .map(|(m, (n, _))| format!("`{m}` ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn warn(printer: &Printer, tally: &Tally) {
    if !tally.unknown.is_empty() {
        printer.warn(&format!(
            "{} requests on unknown models are not in the totals: {}",
            tally.unknown.values().map(|v| v.0).sum::<u64>(),
            unknown_list(tally)
        ));
    }
    let unpriced: u64 = tally.unpriced.values().sum();
    if unpriced > 0 {
        printer.warn(&format!(
            "{unpriced} requests could not be priced and are not in the totals (see the notes)"
        ));
    }
    if tally.bad.count > 0 {
        printer.warn(&format!(
            "{} bad lines were skipped (see the notes)",
            tally.bad.count
        ));
    }
}

const fn usd(key: &'static str, header: &'static str) -> Column {
    col(key, header, Kind::Usd)
}

fn totals_columns(what_if: bool) -> Vec<Column> {
    let mut cols = vec![
        col("requests", "requests", Kind::Tokens),
        col("input_tokens", "input", Kind::Tokens),
        col("cache_read_tokens", "cache read", Kind::Tokens),
        col("cache_write_tokens", "cache write", Kind::Tokens),
        col("output_tokens", "output", Kind::Tokens),
        col("reasoning_tokens", "reasoning", Kind::Tokens),
        usd("cost_usd", "cost"),
        usd("logged_cost_usd", "logged"),
        usd("logged_difference_usd", "logged − cost"),
    ];
    if what_if {
        cols.push(usd("what_if_cost_usd", "what-if"));
        cols.push(usd("savings_usd", "saves"));
    }
    cols
}

fn totals_values(t: &Totals, what_if: bool) -> Vec<Value> {
    let priced = |m: Money, any: bool| if any { Value::Money(m) } else { Value::Empty };
    let mut row = vec![
        t.requests.into(),
        t.input.into(),
        t.cache_read.into(),
        t.cache_write.into(),
        t.output.into(),
        t.reasoning.into(),
        priced(t.cost, t.priced > 0),
        priced(t.logged, t.logged_requests > 0),
        t.logged_difference().map_or(Value::Empty, Value::Money),
    ];
    if what_if {
        row.push(priced(t.what_if, t.what_if_priced > 0));
        row.push(t.savings().map_or(Value::Empty, Value::Money));
    }
    row
}

fn report(tally: &Tally, files: &[FileSummary], opts: &TallyOptions, args: &ReplayArgs) -> Report {
    let what_if = !matches!(opts.what_if, WhatIf::Nothing);
    let mut columns: Vec<Column> = opts
        .dims
        .iter()
        .map(|d| {
            let key: &'static str = match d {
                Dim::Field(f) => Box::leak(f.clone().into_boxed_str()),
                other => Box::leak(other.name().to_string().into_boxed_str()),
            };
            col(key, key, Kind::Text)
        })
        .collect();
    columns.extend(totals_columns(what_if));
    let mut groups = Table::new("groups", columns);
    for (values, totals) in tally.groups.sorted() {
        let mut row: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
        row.extend(totals_values(totals, what_if));
        groups.push(row);
    }
    let all = tally.groups.total();
    let mut tables = vec![groups];
    if let WhatIf::Plan(route) = &opts.what_if {
        let mut columns = vec![
            col("class", "class", Kind::Text),
            col("model", "routed to", Kind::Text),
            col("share", "share", Kind::Percent),
        ];
        columns.extend(totals_columns(true));
        let mut split = Table::new("traffic_split", columns);
        for (k, class) in route.classes.iter().enumerate() {
            let t = &tally.classes[k].totals;
            let share = if all.requests > 0 {
                t.requests as f64 / all.requests as f64
            } else {
                0.0
            };
            let mut row: Vec<Value> = vec![
                class.clone().into(),
                route.models[k].id.clone().into(),
                share.into(),
            ];
            row.extend(totals_values(t, true));
            split.push(row);
        }
        tables.push(split);
    }
    if !tally.unknown.is_empty() {
        let mut t = Table::new(
            "unknown_models",
            vec![
                col("model", "unknown model", Kind::Text),
                col("requests", "requests", Kind::Tokens),
                col("tokens", "tokens", Kind::Tokens),
            ],
        );
        let mut rows: Vec<_> = tally.unknown.iter().collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        for (m, (n, tokens)) in rows {
            t.push(vec![m.clone().into(), (*n).into(), (*tokens).into()]);
        }
        tables.push(t);
    }
    if !tally.bad.examples.is_empty() {
        let mut t = Table::new(
            "bad_line_samples",
            vec![
                col("file", "file", Kind::Text),
                col("line", "line", Kind::Number),
                col("field", "field", Kind::Text),
                col("problem", "problem", Kind::Text),
            ],
        );
        for (_, bad) in &tally.bad.examples {
            t.push(vec![
                bad.file.clone().into(),
                bad.line.into(),
                bad.field.clone().into(),
                bad.message.clone().into(),
            ]);
        }
        tables.push(t);
    }
    let unknown_requests: u64 = tally.unknown.values().map(|v| v.0).sum();
    let unpriced: u64 = tally.unpriced.values().sum();
    let mut fields: Vec<(&'static str, Value)> = vec![
        ("files", (files.len() as u64).into()),
        (
            "shapes",
            files
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}{}",
                        f.name,
                        f.shape,
                        if f.gzip { " (gzip)" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
                .into(),
        ),
        ("requests", all.requests.into()),
        ("priced_requests", all.priced.into()),
        ("unknown_model_requests", unknown_requests.into()),
        ("unpriced_requests", unpriced.into()),
        ("skipped_lines", tally.skipped.into()),
        ("duplicate_records", tally.duplicates.into()),
        ("bad_lines", tally.bad.count.into()),
        ("cost_usd", Value::Money(all.cost)),
        (
            "logged_cost_usd",
            if all.logged_requests > 0 {
                Value::Money(all.logged)
            } else {
                Value::Empty
            },
        ),
        (
            "logged_difference_usd",
            all.logged_difference().map_or(Value::Empty, Value::Money),
        ),
    ];
    match &opts.what_if {
        WhatIf::Nothing => {}
        WhatIf::As(m) => fields.push(("what_if", format!("as {}", m.id).into())),
        WhatIf::Plan(r) => fields.push(("what_if", format!("plan {}", r.plan).into())),
    }
    if what_if {
        fields.push(("what_if_cost_usd", Value::Money(all.what_if)));
        fields.push((
            "savings_usd",
            all.savings().map_or(Value::Empty, Value::Money),
        ));
    }
    let mut title = format!(
        "cost replay: {} requests in {} file{}, ${} computed",
        human_count(all.requests as f64),
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        round_cents(all.cost)
    );
    if all.logged_requests > 0 {
        title.push_str(&format!(" (logged ${})", round_cents(all.logged)));
    }
    if let Some(s) = all.savings() {
        let verdict = if s >= Money::ZERO {
            format!("saves ${}", round_cents(s))
        } else {
            format!("costs ${} more", round_cents(Money::ZERO - s))
        };
        title.push_str(&format!(
            ", what-if ${} ({verdict})",
            round_cents(all.what_if)
        ));
    }
    Report {
        command: "replay",
        title,
        fields,
        tables,
        notes: notes(tally, &all, opts, args),
    }
}

/// Dollars for the title: cents, or four decimals below a dollar.
fn round_cents(m: Money) -> String {
    let v = m.usd().value();
    if v.abs() < 1.0 {
        format!("{v:.4}")
    } else {
        format!("{v:.2}")
    }
}

fn notes(tally: &Tally, all: &Totals, opts: &TallyOptions, args: &ReplayArgs) -> Vec<String> {
    let mut notes = vec![
        "each request is priced at the prices of its own UTC day and its logged service tier; cost, logged and what-if are exact sums".to_string(),
    ];
    if tally.undated > 0 {
        notes.push(format!(
            "{} requests carry no time and were priced as of {} (--at); their day is `(no date)`",
            tally.undated, opts.undated
        ));
    }
    if all.logged_requests > 0 {
        notes.push(format!(
            "logged = the cost the log states, over the {} requests that state one and that `cost` priced; logged − cost compares them request for request",
            all.logged_requests
        ));
    }
    if !tally.unknown.is_empty() {
        notes.push(format!(
            "{} requests on unknown models are NOT in the totals: {} (add a price sheet with --pricing; --strict makes this an error)",
            tally.unknown.values().map(|v| v.0).sum::<u64>(),
            unknown_list(tally)
        ));
    }
    let mut unpriced: Vec<_> = tally.unpriced.iter().collect();
    unpriced.sort();
    for (reason, n) in unpriced {
        notes.push(format!(
            "{n} requests not priced, so not in the totals: {reason}"
        ));
    }
    let mut what_if_unpriced: Vec<_> = tally.what_if_unpriced.iter().collect();
    what_if_unpriced.sort();
    for (reason, n) in what_if_unpriced {
        notes.push(format!(
            "{n} requests have no what-if price and are left out of what-if and saves: {reason}"
        ));
    }
    if tally.skipped > 0 {
        notes.push(format!(
            "{} lines are not billed requests and were skipped (no usage object, Claude Code's locally generated messages, LiteLLM cache hits)",
            tally.skipped
        ));
    }
    if tally.duplicates > 0 {
        notes.push(format!(
            "{} repeated Claude Code records of the same API call (message.id + requestId) were counted once, keeping the one with the most output tokens",
            tally.duplicates
        ));
    }
    if tally.bad.count > 0 {
        let mut by: Vec<_> = tally.bad.by_field.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        notes.push(format!(
            "{} bad lines skipped (--skip-bad), by field: {}; they are NOT in the totals",
            tally.bad.count,
            by.iter()
                .map(|(f, n)| format!("`{f}` {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    match &opts.what_if {
        WhatIf::Nothing => {}
        WhatIf::As(m) => notes.push(format!(
            "what-if: every priced request re-priced on {} with the same token counts, cache reads/writes and tier (its own long-context and tier prices apply); a different tokenizer would change the counts, which is not modelled",
            m.id
        )),
        WhatIf::Plan(r) => {
            let rule = match &r.rules.rule {
                Rule::Field { field, .. } => format!("by the value of `{field}`"),
                Rule::Bounds(b) => format!("by prompt size, bounds {}", b.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")),
                Rule::Nearest => "by the class whose prompt size is nearest on a log scale (the default heuristic; set --class-field or --class-bounds)".to_string(),
            };
            notes.push(format!(
                "what-if: plan `{}` of scenario `{}`; requests assigned to classes {rule}, then priced on the class's model with the same token counts{}",
                r.plan,
                args.scenario.as_deref().unwrap_or(""),
                r.tier.map(|t| format!(" on the {} tier", t.key())).unwrap_or_default()
            ));
            let fell: u64 = tally.classes.iter().map(|c| c.fell_back).sum();
            if fell > 0 {
                notes.push(format!("{fell} requests had a class field value naming no class and were assigned by the prompt-size heuristic"));
            }
        }
    }
    notes
}
