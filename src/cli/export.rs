//! Arguments of `cost export`: the price book as a table, and SQL that
//! prices a usage table inside a database.

use clap::{Args, Subcommand};

use crate::export::sql::dialect::Dialect;
use crate::export::sql::shape::Shape;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The catalog as a flat table (one row per model × component ×
    /// long-context tier × service tier × price period × time-of-day
    /// window, exact decimal prices), or its alias table (`--table
    /// aliases`): CSV, or Parquet when `-o` ends in `.parquet`.
    #[command(after_help = super::examples::EXPORT_PRICES)]
    Prices(ExportPricesArgs),
    /// SQL views that price a usage table with cost's rules (the price book
    /// inlined): `cost_priced` per row, `cost_daily` per model and day,
    /// `cost_unpriced` what could not be priced and why.
    #[command(after_help = super::examples::EXPORT_SQL)]
    Sql(ExportSqlArgs),
}

#[derive(Debug, Args)]
pub struct ExportPricesArgs {}

#[derive(Debug, Args)]
pub struct ExportSqlArgs {
    /// The SQL dialect (DuckDB and Spark are tested on their engines; the
    /// others are checked by a parser only).
    #[arg(long, value_enum)]
    pub dialect: Dialect,

    /// The usage table's layout: generic (cost's own counts and the fast /
    /// regional options), openai or anthropic (flattened usage objects),
    /// litellm (LiteLLM_SpendLogs), otel (GenAI spans, attributes as columns).
    #[arg(long, value_enum, default_value = "generic")]
    pub log_shape: Shape,

    /// The usage table (or view) the SQL reads.
    #[arg(long, default_value = "usage", value_name = "TABLE")]
    pub usage_table: String,
}
