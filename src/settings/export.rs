//! Settings of `cost export prices` and `cost export sql`.

use crate::cli::{ExportPricesArgs, ExportSqlArgs, GlobalArgs};
use crate::export::sql::Request;
use crate::export::table::TABLES;
use crate::output::Printer;
use crate::pricing::Catalog;
use crate::report::Format;

/// `cost export prices`: which table, in which file format.
pub struct ExportPricesSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    /// `prices` or `aliases`.
    pub table: &'static str,
    /// Parquet (`-o *.parquet`), else CSV.
    pub parquet: bool,
}

impl ExportPricesSettings {
    pub fn resolve(
        _args: &ExportPricesArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<ExportPricesSettings> {
        let table = match global.table.as_deref() {
            None => TABLES[0],
            Some(name) => TABLES.into_iter().find(|t| *t == name).ok_or_else(|| {
                anyhow::anyhow!(
                    "--table {name}: `cost export prices` writes the tables {}\n  hint: {}",
                    TABLES.join(" and "),
                    crate::suggest::did_you_mean(&crate::suggest::closest(name, TABLES, 1))
                        .trim_end()
                )
            })?,
        };
        if matches!(global.format, Format::Json | Format::Markdown) {
            anyhow::bail!(
                "--format {}: `cost export prices` writes CSV, or Parquet when -o ends in .parquet\n  hint: drop --format, or use --format csv",
                if global.format == Format::Json { "json" } else { "markdown" }
            );
        }
        let parquet = global.out.as_ref().is_some_and(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
        });
        if parquet && global.format == Format::Csv {
            anyhow::bail!(
                "--format csv with -o {}: a .parquet file holds Parquet\n  hint: name the file .csv, or drop --format csv",
                global.out.as_ref().map_or(String::new(), |p| p.display().to_string())
            );
        }
        Ok(ExportPricesSettings {
            printer: super::printer(global),
            catalog: super::catalog(global)?,
            table,
            parquet,
        })
    }
}

/// `cost export sql`: the dialect, the usage table's layout and name.
pub struct ExportSqlSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    pub request: Request,
}

impl ExportSqlSettings {
    pub fn resolve(args: &ExportSqlArgs, global: &GlobalArgs) -> anyhow::Result<ExportSqlSettings> {
        let name = args.usage_table.trim();
        let valid = !name.is_empty()
            && name
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !valid {
            anyhow::bail!(
                "--usage-table {:?}: not a table name\n  hint: letters, digits and `_`, optionally qualified (`db.schema.table`)",
                args.usage_table
            );
        }
        Ok(ExportSqlSettings {
            printer: super::printer(global),
            catalog: super::catalog(global)?,
            request: Request {
                dialect: args.dialect,
                shape: args.log_shape,
                usage_table: name.to_string(),
            },
        })
    }
}
