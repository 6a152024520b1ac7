//! `cost eval` and `cost router eval` (the same report, with the learned
//! router's measures as more fields).

use super::{usd, BASELINE};
use crate::report::shape::{Field, Shape, TableShape};
use crate::views::eval as eval_view;

fn fields() -> Vec<Field> {
    let count = Field::number;
    vec![
        Field::text("table", "the outcome table read"),
        count("queries", "queries evaluated (items, with `--group`)"),
        // The report also has a `models` field (the number of models), but
        // the `models` table comes after it under the same key, so a JSON
        // reader keeps only the table: the schema describes what is read.
        count("rows", "rows read"),
        count("rows_filtered_out", "rows left out by the filters"),
        count(
            "queries_dropped",
            "queries dropped for lack of a row for every model",
        ),
        Field::text("score_range", "the range of the score column, `LOW..HIGH`"),
        Field::number("pass_score", "the score at or above which an answer passes"),
        Field::text("weak", "the weak model of the routed pair").nullable(),
        Field::text("strong", "the strong model of the routed pair").nullable(),
        BASELINE,
        Field::number(
            "baseline_quality",
            "the baseline model's quality (pass rate)",
        ),
        usd(
            "baseline_cost_per_query_usd",
            "the baseline model's mean cost of a query, USD",
        ),
        usd(
            "aiq_min_cost_usd",
            "the low end of the cost range AIQ is averaged over, USD",
        ),
        usd(
            "aiq_max_cost_usd",
            "the high end of the cost range AIQ is averaged over, USD",
        ),
        count("oracle_unsolved_queries", "queries no model passes"),
        Field::text("group", "the column items are grouped by (`--group`)").nullable(),
        Field::text(
            "curve_protocol",
            "`continuous` or `routellm` (`--protocol`)",
        ),
        Field::text(
            "price_date",
            "the price date, when the catalog priced anything",
        )
        .nullable(),
    ]
}

fn tables() -> Vec<TableShape> {
    vec![
        TableShape::new("models", "one row per model", eval_view::model_columns()),
        TableShape::new(
            "routers",
            "one row per router, with its metrics",
            eval_view::router_columns(),
        ),
        TableShape::new(
            "oracle_mix",
            "where the oracle (the cheapest passing model per query) sends queries",
            eval_view::oracle_columns(),
        ),
        TableShape::new(
            "categories",
            "with `--category`: per category and model",
            eval_view::category_columns(),
        )
        .sometimes(),
        TableShape::new(
            "curves",
            "with `--curves`: points of each router's curve (at most 201 each)",
            eval_view::curve_columns(),
        )
        .sometimes(),
    ]
}

pub fn eval() -> Shape {
    Shape {
        command: "eval",
        meaning: "routers evaluated on an outcome table (per query and model: score and cost) against the models, the oracle and a baseline",
        fields: fields(),
        tables: tables(),
    }
}

pub fn router_eval() -> Shape {
    let mut fields = fields();
    fields.extend([
        Field::text("router_file", "the router model file (`cost router train`)"),
        Field::text(
            "router_scores",
            "`out_of_fold` (the router's training table, scored by cross-validation) or `held_out`",
        ),
        Field::number(
            "positives",
            "queries where the weak model fails and the strong one passes",
        ),
        Field::number("positive_share", "positives as a fraction of the queries"),
        Field::number("roc_auc", "the router's ROC AUC at detecting positives").nullable(),
        Field::number(
            "threshold",
            "the score at or above which a query goes to the strong model",
        ),
        Field::number(
            "tpr",
            "share of positives sent to the strong model at the threshold",
        )
        .nullable(),
        Field::number(
            "fpr",
            "share of the other queries sent to the strong model at the threshold",
        )
        .nullable(),
        Field::number(
            "threshold_strong_share",
            "share of all queries sent to the strong model at the threshold",
        )
        .nullable(),
    ]);
    Shape {
        command: "router eval",
        meaning: "`cost eval`'s report on a table, its threshold router scored by a learned router, with the router's own measures",
        fields,
        tables: tables(),
    }
}
