//! The scenario commands: `compare`, `route`, `sweep`, `frontier`,
//! `simulate`, `scenarios` and `diff`.

use super::{usd, BASELINE, GATE, PRICE_DATE, SCENARIO};
use crate::report::shape::{Field, Shape, TableShape};
use crate::report::Column;
use crate::views::{
    bands, compare as compare_view, diff as diff_view, figures, frontier as frontier_view, gates,
    route as route_view, scenarios as scenarios_view, simulate as simulate_view,
    sweep as sweep_view,
};

const REQUESTS_PER_DAY: Field = Field::number("requests_per_day", "requests a day");

/// Columns with the band columns after them (`--bands`, or a scenario
/// with distributions).
fn with_bands(mut columns: Vec<Column>) -> Vec<Column> {
    columns.extend(bands::columns());
    columns
}

fn gates_table() -> TableShape {
    TableShape::new(
        "gates",
        "with a gate (`--check`, `--fail-above-*`): each gate's limit, value and verdict",
        gates::columns(),
    )
    .sometimes()
}

pub fn compare() -> Shape {
    let (quality, index) = (
        compare_view::plan_columns(false),
        compare_view::plan_columns(true),
    );
    Shape {
        command: "compare",
        meaning: "every plan of a scenario (and \"all traffic to M\" rows): cost, savings against the baseline, quality and latency",
        fields: vec![
            SCENARIO,
            REQUESTS_PER_DAY,
            Field::number("requests_per_month", "requests a month: requests a day × days per month"),
            Field::number("days_per_month", "the days in a month (365.25 / 12 unless the scenario sets it)"),
            PRICE_DATE,
            BASELINE,
            usd("budget_usd_per_month", "with a monthly budget: its amount, USD").sometimes(),
            usd("budget_usd_per_day", "with a daily budget: its amount, USD").sometimes(),
            Field::text("budget_plan", "with a budget: the plan it applies to (null: every plan)")
                .sometimes()
                .nullable(),
            GATE.sometimes(),
        ],
        tables: vec![
            TableShape::variants(
                "plans",
                "one row per plan, cheapest first; `quality` and `quality_per_usd`, or (no per-class rates at all) `index` and `index_per_usd`; the band columns when bands are simulated",
                &[quality.clone(), index.clone(), with_bands(quality), with_bands(index)],
            ),
            TableShape::new(
                "classes",
                "per plan and class: the model, billed tokens and rates (what `cost diff` reads back)",
                compare_view::class_columns(),
            ),
            TableShape::new(
                "figures",
                "the provenance of every latency and quality figure the report uses",
                figures::columns(),
            ),
            gates_table(),
        ],
    }
}

pub fn route() -> Shape {
    let plans = route_view::plan_columns();
    Shape {
        command: "route",
        meaning: "per class of each routing plan where its requests go and what misroutes and escalations cost; per plan savings against the baseline and a random router, and the break-even points",
        fields: vec![SCENARIO, BASELINE, PRICE_DATE],
        tables: vec![
            TableShape::new(
                "classes",
                "one row per plan and class",
                route_view::class_columns(),
            ),
            TableShape::variants(
                "plans",
                "one row per plan; the band columns when bands are simulated",
                &[plans.clone(), with_bands(plans)],
            ),
        ],
    }
}

pub fn sweep() -> Shape {
    Shape {
        command: "sweep",
        meaning: "every plan's outcome at each value of one swept parameter (long format: one row per value and plan)",
        fields: vec![
            SCENARIO,
            Field::text("param", "the parameter swept (`--vary`)"),
            BASELINE,
            PRICE_DATE,
        ],
        tables: vec![TableShape::new(
            "rows",
            "one row per value and plan",
            sweep_view::columns(),
        )],
    }
}

pub fn frontier() -> Shape {
    Shape {
        command: "frontier",
        meaning: "every plan and single model on cost against quality: the frontier, what dominates what, and the zero-router comparison",
        fields: vec![SCENARIO, BASELINE, PRICE_DATE],
        tables: vec![TableShape::new(
            "points",
            "one row per plan or single model, cheapest first",
            frontier_view::columns(),
        )],
    }
}

pub fn simulate() -> Shape {
    Shape {
        command: "simulate",
        meaning: "Monte Carlo bands of each plan's daily and monthly bill, budget risk and latency percentiles; or, with `--histogram`, the distribution of the bill",
        fields: vec![
            SCENARIO,
            Field::number("trials", "simulated days"),
            Field::number("seed", "the random seed (`--seed`): the same seed gives the same numbers"),
            PRICE_DATE,
        ],
        tables: vec![
            TableShape::new(
                "plans",
                "without `--histogram`: one row per plan",
                simulate_view::plan_columns(),
            )
            .sometimes(),
            TableShape::new(
                "classes",
                "without `--histogram`: latency percentiles per plan and class",
                simulate_view::class_columns(),
            )
            .sometimes(),
            TableShape::new(
                "histogram",
                "with `--histogram`: one row per plan and bin",
                simulate_view::histogram_columns(),
            )
            .sometimes(),
        ],
    }
}

pub fn scenarios() -> Shape {
    Shape {
        command: "scenarios",
        meaning: "the built-in scenarios",
        fields: vec![],
        tables: vec![TableShape::new(
            "scenarios",
            "one row per built-in scenario",
            scenarios_view::columns(),
        )],
    }
}

pub fn diff() -> Shape {
    Shape {
        command: "diff",
        meaning: "what changed between two runs of a scenario (saved `compare` reports or scenario files), plan by plan, with the causes that add up to each change and the gates",
        fields: vec![
            Field::text("base", "the base side: a saved report or a scenario"),
            Field::text("head", "the head side: a saved report or a scenario"),
            SCENARIO,
            Field::text("base_price_date", "the base side's price date, YYYY-MM-DD").nullable(),
            Field::text("head_price_date", "the head side's price date, YYYY-MM-DD").nullable(),
            Field::text(
                "gate",
                "`passed` or `failed` when a gate applied (`--fail-above-*`), else null",
            )
            .nullable(),
        ],
        tables: vec![
            TableShape::new(
                "plans",
                "one row per declared plan of either side",
                diff_view::plan_columns(),
            ),
            TableShape::new(
                "causes",
                "the causes of each plan's change; they add up to its change",
                diff_view::cause_columns(),
            ),
            gates_table(),
        ],
    }
}
