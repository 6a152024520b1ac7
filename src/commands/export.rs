//! `cost export prices` and `cost export sql`: the price book of the
//! catalog, as a table file or as SQL, written to stdout or `-o FILE`.

use crate::export::book::Book;
use crate::export::parquet::to_parquet;
use crate::export::sql::generate;
use crate::export::table::{aliases, prices as price_table, to_csv};
use crate::settings::{ExportPricesSettings, ExportSqlSettings};

pub fn prices(settings: &ExportPricesSettings) -> anyhow::Result<()> {
    let book = Book::of(&settings.catalog);
    let table = if settings.table == "aliases" {
        aliases(&book)
    } else {
        price_table(&book)
    };
    let bytes = if settings.parquet {
        to_parquet(&table)?
    } else {
        to_csv(&table)?
    };
    settings.printer.emit_bytes(&bytes)
}

pub fn sql(settings: &ExportSqlSettings) -> anyhow::Result<()> {
    let book = Book::of(&settings.catalog);
    settings
        .printer
        .emit_text(&generate(&book, &settings.request))
}
