//! The fast path for the common CSV table: valid UTF-8 with no quote and no
//! carriage return, so that a record is a line and a field is what lies
//! between two commas. Rows are split in place, with no copy and no
//! allocation per row, and handed to `Loader::row` exactly as the `csv`
//! crate's reader hands them: the same trimmed cells and the same line
//! numbers (a record's line is where that reader stood after the previous
//! record, before any blank lines it skips). A row with the wrong number of
//! fields stops it: the caller reads the file again with the `csv` crate,
//! whose error names the row as it always has.

use super::cell::Cell;
use super::load::Loader;
use crate::source::InputError;

/// The file as text, if the plain split reads it as the `csv` crate would.
pub(super) fn plain(bytes: &[u8]) -> Option<&str> {
    if memchr::memchr2(b'"', b'\r', bytes).is_some() {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

/// How the plain split ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Split {
    /// Every row was read.
    Done,
    /// A row has another number of fields than the header: nothing read
    /// counts, read the file again with the `csv` crate.
    Ragged,
}

impl Loader<'_, '_> {
    /// The rows of `text` from byte `start` (where the header ended, the
    /// reader then on line `line`), `width` fields each; `position` picks
    /// the loader's columns out of them.
    pub(super) fn plain_rows(
        &mut self,
        text: &str,
        start: usize,
        mut line: u32,
        position: &[usize],
        width: usize,
    ) -> Result<Split, InputError> {
        let bytes = text.as_bytes();
        let mut fields: Vec<&str> = Vec::with_capacity(width);
        let mut cells: Vec<Cell> = Vec::with_capacity(position.len());
        let mut record_line = line;
        let (mut row_start, mut field_start) = (start, start);
        // One pass finds every comma and newline; the end of the text ends
        // a last line without a newline.
        let stops = memchr::memchr2_iter(b',', b'\n', &bytes[start..])
            .map(|i| start + i)
            .chain(std::iter::once(bytes.len()));
        for at in stops {
            if at < bytes.len() && bytes[at] == b',' {
                fields.push(text[field_start..at].trim_ascii());
                field_start = at + 1;
                continue;
            }
            line += 1;
            if at > row_start {
                fields.push(text[field_start..at].trim_ascii());
                if fields.len() != width {
                    return Ok(Split::Ragged);
                }
                cells.clear();
                cells.extend(position.iter().map(|&p| match fields[p] {
                    "" => Cell::Missing,
                    field => Cell::Text(field),
                }));
                self.row(&cells, record_line)?;
                record_line = line;
                fields.clear();
            }
            (row_start, field_start) = (at + 1, at + 1);
        }
        Ok(Split::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::super::load::{plain as no_hint, read};
    use super::super::spec::{CostColumns, Filter, Layout, ScoreRange, TableFormat, TableSpec};
    use super::plain;

    fn spec(allow_missing: bool) -> TableSpec {
        TableSpec {
            format: TableFormat::Csv,
            layout: Layout::Long {
                model: "model".into(),
                score: "score".into(),
            },
            query: vec!["query".into()],
            cost: CostColumns::Usd("cost".into()),
            range: ScoreRange::UNIT,
            filters: vec![Filter {
                column: "split".into(),
                value: "dev".into(),
                equal: false,
            }],
            router: Some("p".into()),
            category: Some("category".into()),
            group: None,
            allow_missing,
        }
    }

    /// Both readers give the same table, or the same error, for `csv`.
    fn same_both_ways(csv: &str, allow_missing: bool) {
        assert!(
            plain(csv.as_bytes()).is_some(),
            "not a plain table: {csv:?}"
        );
        let spec = spec(allow_missing);
        let split = read(csv.as_bytes(), "t.csv", &spec, None, no_hint, true);
        let crate_reader = read(csv.as_bytes(), "t.csv", &spec, None, no_hint, false);
        assert_eq!(split, crate_reader, "{csv:?}");
    }

    const HEADER: &str = "query,model,score,cost,p,category,split\n";

    #[test]
    fn a_plain_table_loads_as_the_csv_crate_reads_it() {
        // Blank lines (the crate numbers the next record oddly), padded
        // fields, a filtered row, rows of a query apart, no final newline.
        let body = "q1,a,1,0.1,0.5,x,test\n\n\nq1, b ,0,0.2,0.5,x,test\n\
                    q2,a,0,0.1,0.25,y,dev\nq3,a,1,0.1,0.75,y,test\nq3,b,1,0.2,0.75,y,test\n\
                    q2,a,1,0.1,0.25,y,test\nq2,b,0,0.2,0.25,y,test";
        same_both_ways(&format!("{HEADER}{body}"), false);
        same_both_ways(&format!("\u{feff}\n{HEADER}{body}\n\n"), false);
        // A missing score, dropped with allow_missing.
        same_both_ways(&format!("{HEADER}q1,a,1,0.1,0.5,x,test\nq1,b,,0.2,0.5,x,test\nq2,a,1,0.1,0.5,x,test\nq2,b,1,0.1,0.5,x,test\n"), true);
    }

    #[test]
    fn a_bad_plain_table_fails_as_the_csv_crate_reader_does() {
        for body in [
            // Ragged: the plain split gives up and the crate names the row.
            "q1,a,1,0.1,0.5,x,test\n\nq1,b,0,0.2\n",
            "q1,a,1,0.1,0.5,x,test,extra\n",
            // Errors met on the way, after blank lines.
            "q1,a,1,0.1,0.5,x,test\n\n\nq1,b,high,0.2,0.5,x,test\n",
            "q1,a,1,0.1,0.5,x,test\nq1,a,1,0.1,0.5,x,test\n",
            "q1,a,1,0.1,0.5,x,test\n\nq1,b,1,0.1,0.6,x,test\n",
            "q1,a,1,0.1,0.5,x,test\nq1,b,1,0.1,0.5,z,test\n",
            "q1,a,1,0.1,0.5,x,test\n ,b,1,0.1,0.5,x,test\n",
            "q1,a,1,-3,0.5,x,test\n",
            "q1,a,1,0.1,0.5,x,test\nq2,a,1,0.1,0.5,x,test\nq2,b,1,0.1,0.5,x,test\n",
            "q1,a,1,0.1,0.5,x,dev\n",
            "",
        ] {
            same_both_ways(&format!("{HEADER}{body}"), false);
        }
        same_both_ways("query,model,score\nq1,a,1\n", false);
    }

    #[test]
    fn quotes_carriage_returns_and_other_bytes_go_to_the_csv_crate() {
        assert_eq!(plain(b"a,b\n\"x\",1\n"), None);
        assert_eq!(plain(b"a,b\r\nx,1\r\n"), None);
        assert_eq!(plain(b"a,b\nx,\xff\n"), None);
        assert_eq!(plain(b"a,b\nx,1\n"), Some("a,b\nx,1\n"));
    }
}
