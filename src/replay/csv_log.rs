//! Replaying a CSV log: the csv reader does its own framing (a quoted
//! field may span lines), so a CSV log runs on one worker, row by row,
//! through the LiteLLM parser or a generic mapping.

use std::io::{self, Read};

use super::detect::{self, LogShape};
use super::error::ReplayError;
use super::generic::Mapping;
use super::litellm;
use super::record::{BadField, BadLine};
use super::row::{Headers, Row};
use super::tally::{Fields, Tally};

struct CsvRow<'a>(Row<'a>);

impl Fields for CsvRow<'_> {
    fn field(&self, path: &str) -> Option<String> {
        self.0.text(path).map(std::borrow::Cow::into_owned)
    }
}

pub(super) fn replay_csv(
    reader: impl Read,
    file: &str,
    shape: Option<LogShape>,
    mapping: &Mapping,
    tally: &mut Tally,
) -> Result<(LogShape, u64), ReplayError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let (headers, shape, generic) = header(&mut csv, file, shape, mapping)?;
    let mut record = csv::StringRecord::new();
    let mut last_line = 1;
    loop {
        let more = match csv.read_record(&mut record) {
            Ok(more) => more,
            Err(err) => {
                let line = err.position().map_or(last_line + 1, csv::Position::line);
                if let csv::ErrorKind::Io(e) = err.kind() {
                    return Err(ReplayError::Read {
                        file: file.to_string(),
                        source: io::Error::new(e.kind(), e.to_string()),
                    });
                }
                let message = match err.kind() {
                    csv::ErrorKind::Utf8 { err: e, .. } => format!(
                        "field {}, byte {} of the field, is not valid UTF-8 (save the log as UTF-8)",
                        e.field() + 1,
                        e.valid_up_to() + 1
                    ),
                    _ => err.to_string(),
                };
                let bad = BadField::new("line", message).at(file, line);
                if !tally.bad_line(bad) {
                    break;
                }
                last_line = line;
                continue;
            }
        };
        if !more {
            break;
        }
        let line = record.position().map_or(last_line + 1, csv::Position::line);
        last_line = line;
        if record.len() != headers.names.len() {
            let bad = BadField::new(
                "line",
                format!(
                    "{} fields, but the header has {} columns",
                    record.len(),
                    headers.names.len()
                ),
            )
            .at(file, line);
            if !tally.bad_line(bad) {
                break;
            }
            continue;
        }
        let row = Row::Csv {
            headers: &headers,
            record: &record,
        };
        let parsed = match &generic {
            Some(m) => m.parse_row(&row),
            None => litellm::parse_row(&row),
        };
        match parsed {
            Ok(Some(r)) => {
                if !tally.check_timing(&r, file, line) {
                    break;
                }
                tally.record(
                    r,
                    file,
                    &CsvRow(Row::Csv {
                        headers: &headers,
                        record: &record,
                    }),
                );
            }
            Ok(None) => tally.skipped += 1,
            Err(bad) => {
                if !tally.bad_line(bad.at(file, line)) {
                    break;
                }
            }
        }
    }
    Ok((shape, last_line))
}

/// The header, the shape it implies (unless given) and, for the generic
/// shape, the mapping resolved against it.
fn header<R: Read>(
    csv: &mut csv::Reader<R>,
    file: &str,
    shape: Option<LogShape>,
    mapping: &Mapping,
) -> Result<(Headers, LogShape, Option<Mapping>), ReplayError> {
    let bad_header = |e: csv::Error| ReplayError::Columns {
        bad: BadLine {
            file: file.to_string(),
            line: 1,
            field: "header".into(),
            message: e.to_string(),
        },
        missing: None,
    };
    let headers = Headers::new(
        csv.headers()
            .map_err(bad_header)?
            .iter()
            .map(str::to_string)
            .collect(),
    );
    let shape = shape.unwrap_or_else(|| detect::csv_shape(&headers));
    let generic = match shape {
        LogShape::Generic => {
            Some(
                mapping
                    .clone()
                    .resolve(&headers.names)
                    .map_err(|e| ReplayError::Columns {
                        bad: e.bad.at(file, 1),
                        missing: e.missing,
                    })?,
            )
        }
        _ => None,
    };
    Ok((headers, shape, generic))
}
