//! Writes a price-book table as a Parquet file with the low-level column
//! writer (no Arrow): text as UTF-8 strings, dates as DATE, counts as INT64,
//! flags as BOOLEAN and money as DECIMAL(38,18), exact, so DuckDB, Spark
//! and every warehouse read prices without a float in between. One row
//! group, uncompressed: the book is a few thousand rows.

use std::sync::Arc;

use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int32Type,
    Int64Type,
};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::book::unix_day;
use super::table::{Cell, Kind, Table};

/// Picodollars to the DECIMAL(38,18) unscaled integer.
const PICO_TO_SCALE_18: i128 = 1_000_000;

fn schema(table: &Table) -> String {
    let mut out = format!("message {} {{\n", table.name);
    for (name, kind) in &table.columns {
        let ty = match kind {
            Kind::Text => "BYTE_ARRAY",
            Kind::Date => "INT32",
            Kind::Int => "INT64",
            Kind::Usd => "FIXED_LEN_BYTE_ARRAY (16)",
            Kind::Bool => "BOOLEAN",
        };
        let logical = match kind {
            Kind::Text => " (UTF8)",
            Kind::Date => " (DATE)",
            Kind::Usd => " (DECIMAL(38,18))",
            Kind::Int | Kind::Bool => "",
        };
        out += &format!("  OPTIONAL {ty} {name}{logical};\n");
    }
    out + "}\n"
}

/// The table as the bytes of a Parquet file.
pub fn to_parquet(table: &Table) -> anyhow::Result<Vec<u8>> {
    let schema = Arc::new(parse_message_type(&schema(table))?);
    let props = Arc::new(WriterProperties::builder().build());
    let mut buf = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buf, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let kind = table.columns[index].1;
        let cells = table.rows.iter().map(|r| &r[index]);
        let defs: Vec<i16> = cells.clone().map(|c| i16::from(*c != Cell::Null)).collect();
        match kind {
            Kind::Text => {
                let v: Vec<ByteArray> = cells
                    .filter(|c| **c != Cell::Null)
                    .map(|c| ByteArray::from(c.text().into_bytes()))
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&v, Some(&defs[..]), None)?;
            }
            Kind::Date => {
                let v: Vec<i32> = cells
                    .filter_map(|c| match c {
                        Cell::Date(d) => Some(unix_day(*d) as i32),
                        _ => None,
                    })
                    .collect();
                column
                    .typed::<Int32Type>()
                    .write_batch(&v, Some(&defs[..]), None)?;
            }
            Kind::Int => {
                let v: Vec<i64> = cells
                    .filter_map(|c| match c {
                        Cell::Int(n) => Some(*n),
                        _ => None,
                    })
                    .collect();
                column
                    .typed::<Int64Type>()
                    .write_batch(&v, Some(&defs[..]), None)?;
            }
            Kind::Usd => {
                let v: Vec<FixedLenByteArray> = cells
                    .filter_map(|c| match c {
                        Cell::Usd(m) => Some(FixedLenByteArray::from(
                            (m.picos() * PICO_TO_SCALE_18).to_be_bytes().to_vec(),
                        )),
                        _ => None,
                    })
                    .collect();
                column
                    .typed::<FixedLenByteArrayType>()
                    .write_batch(&v, Some(&defs[..]), None)?;
            }
            Kind::Bool => {
                let v: Vec<bool> = cells
                    .filter_map(|c| match c {
                        Cell::Bool(b) => Some(*b),
                        _ => None,
                    })
                    .collect();
                column
                    .typed::<BoolType>()
                    .write_batch(&v, Some(&defs[..]), None)?;
            }
        }
        column.close()?;
        index += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn a_table_round_trips_with_its_row_count_and_nulls() {
        let table = Table {
            name: "t",
            columns: vec![("a", Kind::Text), ("p", Kind::Usd), ("n", Kind::Int)],
            rows: vec![
                vec![
                    Cell::Text("x".into()),
                    Cell::Usd(crate::money::Money::from_picos(2_500_000)),
                    Cell::Null,
                ],
                vec![Cell::Null, Cell::Null, Cell::Int(3)],
            ],
        };
        let bytes = to_parquet(&table).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
        let schema = reader.metadata().file_metadata().schema_descr();
        assert_eq!(schema.num_columns(), 3);
        assert_eq!(schema.column(1).type_precision(), 38);
        assert_eq!(schema.column(1).type_scale(), 18);
    }
}
