//! The two file formats an outcome table comes in: CSV (a header, then
//! records split in place by `plain_csv`, or streamed as `ByteRecord`s when
//! the file quotes fields or ends lines with CR LF) and JSON Lines (one
//! object per line).
//! Each turns a row into cells in the loader's column order and hands it to
//! `Loader::row`; the first row (or header) must have every column asked for.

use std::collections::HashMap;

use super::cell::Cell;
use super::load::Loader;
use super::plain_csv::{plain, Split};
use crate::source::InputError;

impl Loader<'_, '_> {
    /// Reads CSV `bytes`: split in place when `try_plain` and the file
    /// allows it (`plain_csv`), else with the `csv` crate's reader.
    pub(super) fn csv(&mut self, bytes: &[u8], try_plain: bool) -> Result<Split, InputError> {
        // Fields are trimmed here, as `Trim::All` would, without the copy
        // of every record it makes.
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::Headers)
            .from_reader(bytes);
        let header = reader
            .byte_headers()
            .map_err(|e| self.error(Some(1), "", format!("not a CSV header: {e}"), None))?
            .clone();
        let header: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let mut position = Vec::with_capacity(self.names().len());
        for name in self.names() {
            match header.iter().position(|h| h == name) {
                Some(p) => position.push(p),
                None => return Err(self.unknown_column(name, &header, "the header has", Some(1))),
            }
        }
        if let Some(text) = plain(bytes).filter(|_| try_plain) {
            let start = reader.position();
            return self.plain_rows(
                text,
                start.byte() as usize,
                start.line() as u32,
                &position,
                header.len(),
            );
        }
        let mut record = csv::ByteRecord::new();
        // One allocation for every row's cells: an empty vector handed back
        // and forth keeps its capacity (in-place collect).
        let mut spare: Vec<Cell<'static>> = Vec::with_capacity(position.len());
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    return Err(self.error(
                        line,
                        "",
                        format!("unreadable CSV row: {e}"),
                        Some("every row has as many fields as the header; quote fields that contain commas".into()),
                    ));
                }
            }
            let line = record.position().map_or(0, csv::Position::line) as u32;
            let mut cells: Vec<Cell> = spare.into_iter().map(|_| Cell::Missing).collect();
            cells.extend(position.iter().map(|&p| match record.get(p) {
                None => Cell::Missing,
                Some(raw) => match raw.trim_ascii() {
                    b"" => Cell::Missing,
                    raw => std::str::from_utf8(raw).map_or(Cell::NotText, Cell::Text),
                },
            }));
            self.row(&cells, line)?;
            cells.clear();
            spare = cells.into_iter().map(|_| Cell::Missing).collect();
        }
        Ok(Split::Done)
    }

    pub(super) fn jsonl(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
            let line = (i + 1) as u32;
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let object: HashMap<String, serde_json::Value> =
                serde_json::from_slice(raw).map_err(|e| {
                    self.error(
                        Some(line as usize),
                        "",
                        format!("not a JSON object: {e}"),
                        Some("JSON Lines holds one object per line".into()),
                    )
                })?;
            if self.rows_read() == 0 {
                let mut keys: Vec<String> = object.keys().cloned().collect();
                keys.sort();
                if let Some(name) = self.names().iter().find(|n| !object.contains_key(*n)) {
                    return Err(self.unknown_column(
                        name,
                        &keys,
                        "the first object has",
                        Some(line as usize),
                    ));
                }
            }
            let cells: Vec<Cell> = self
                .names()
                .iter()
                .map(|n| match object.get(n.as_str()) {
                    None | Some(serde_json::Value::Null) => Cell::Missing,
                    Some(serde_json::Value::String(s)) if s.is_empty() => Cell::Missing,
                    Some(serde_json::Value::String(s)) => Cell::Text(s),
                    Some(serde_json::Value::Number(x)) => {
                        x.as_f64().map_or(Cell::NotText, Cell::Number)
                    }
                    Some(serde_json::Value::Bool(b)) => Cell::Bool(*b),
                    Some(_) => Cell::NotText,
                })
                .collect();
            self.row(&cells, line)?;
        }
        Ok(())
    }
}
