//! Drives a replay: for each input, detect its format and shape, stream its
//! lines through the shape's parser into tallies, in parallel across
//! `threads` workers for JSON lines (Claude Code sessions and CSV run on
//! one: the first needs a global dedup, the second its own framing, since a
//! quoted CSV field may span lines).

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use serde_json::Value;

use super::api;
use super::detect::{self, LogFormat, LogShape};
pub use super::error::ReplayError;
use super::generic::Mapping;
use super::litellm;
use super::otel;
use super::read::{Chunk, Chunker, Input};
use super::record::{BadField, BadLine, Record};
use super::row::{json_field, Row};
use super::tally::{Fields, NoFields, Tally, TallyOptions};

/// How to read the inputs.
#[derive(Debug, Clone)]
pub struct Reading {
    pub format: Option<LogFormat>,
    pub shape: Option<LogShape>,
    /// The column mapping for the generic shape (unmapped keys fall back to
    /// common column names).
    pub mapping: Mapping,
    pub threads: usize,
}

/// What was read from one input.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSummary {
    pub name: String,
    pub format: LogFormat,
    pub shape: LogShape,
    pub gzip: bool,
    pub lines: u64,
}

/// Parses one JSON line in the file's shape.
enum LineParser {
    Api(LogShape),
    LiteLlm,
    Generic(Box<Mapping>),
    /// Many spans to a line (`process_spans`).
    Otel,
}

impl LineParser {
    fn parse<'l>(&self, line: &'l [u8]) -> Result<Option<Record<'l>>, BadField> {
        match self {
            LineParser::Api(shape) => api::parse_line(line, *shape),
            LineParser::Otel => unreachable!("OTLP lines are parsed span by span"),
            LineParser::LiteLlm | LineParser::Generic(_) => {
                let value: Value = serde_json::from_slice(line).map_err(|e| {
                    let message = if e.is_eof() {
                        "the line ends in the middle of a JSON value (truncated?)".to_string()
                    } else if e.is_syntax() {
                        format!("not valid JSON: {}", super::envelope::readable(&e))
                    } else {
                        super::envelope::readable(&e)
                    };
                    BadField::new("line", message)
                })?;
                let Value::Object(map) = value else {
                    return Err(BadField::new("line", "not a JSON object"));
                };
                let row = Row::Json(&map);
                match self {
                    LineParser::Generic(m) => m.parse_row(&row),
                    _ => litellm::parse_row(&row),
                }
            }
        }
    }
}

struct JsonLine<'a>(&'a [u8]);

impl Fields for JsonLine<'_> {
    fn field(&self, path: &str) -> Option<String> {
        json_field(self.0, path)
    }
}

/// Replays every input into one tally. `progress` is told the bytes read.
pub fn replay<'c>(
    inputs: Vec<Input>,
    reading: &Reading,
    opts: &'c TallyOptions<'c>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Tally<'c>, Vec<FileSummary>), ReplayError> {
    let threads = reading.threads.max(1);
    let mut tallies: Vec<Tally<'c>> = (0..threads).map(|i| Tally::new(opts, i == 0)).collect();
    let mut files = Vec::new();
    let mut base = 0;
    for (index, input) in inputs.into_iter().enumerate() {
        for t in &mut tallies {
            t.file_index = index;
        }
        let size = input.size.unwrap_or(0);
        let summary = replay_one(input, reading, &mut tallies, &|read| progress(base + read))?;
        base += size;
        files.push(summary);
        if let Some(err) = first_error(&mut tallies) {
            return Err(ReplayError::Bad(err));
        }
    }
    let mut all = tallies.remove(0);
    for t in tallies {
        all.merge(t);
    }
    all.finish();
    Ok((all, files))
}

fn first_error(tallies: &mut [Tally]) -> Option<BadLine> {
    tallies
        .iter_mut()
        .filter_map(|t| t.first_error.take())
        .min_by_key(|(file, bad)| (*file, bad.line))
        .map(|(_, bad)| bad)
}

fn replay_one(
    input: Input,
    reading: &Reading,
    tallies: &mut [Tally],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileSummary, ReplayError> {
    let name = input.name.clone();
    let read_error = |source: io::Error| ReplayError::Read {
        file: name.clone(),
        source,
    };
    let mut chunker = Chunker::new(input.reader);
    let Some(first) = chunker.next_chunk().map_err(read_error)? else {
        return Ok(FileSummary {
            name: input.name,
            format: reading.format.unwrap_or(LogFormat::Jsonl),
            shape: reading.shape.unwrap_or(LogShape::OpenAi),
            gzip: input.gzip,
            lines: 0,
        });
    };
    progress(chunker.read);
    let format = reading
        .format
        .unwrap_or_else(|| detect::format_of(&first.bytes));
    if format == LogFormat::Csv {
        let shape = reading.shape;
        if let Some(
            s @ (LogShape::OpenAi
            | LogShape::Anthropic
            | LogShape::ClaudeCode
            | LogShape::Otel
            | LogShape::Gemini
            | LogShape::Cohere
            | LogShape::Gateway),
        ) = shape
        {
            return Err(ReplayError::NotJson {
                file: name,
                shape: s,
            });
        }
        let rest = io::Cursor::new(first.bytes).chain(chunker.into_rest());
        let (shape, lines) =
            super::csv_log::replay_csv(rest, &name, shape, &reading.mapping, &mut tallies[0])?;
        return Ok(FileSummary {
            name,
            format,
            shape,
            gzip: input.gzip,
            lines,
        });
    }
    let (shape, told_by) = jsonl_shape(reading, &first.bytes, &name)?;
    let parser = match shape {
        LogShape::LiteLlm => LineParser::LiteLlm,
        LogShape::Otel => LineParser::Otel,
        LogShape::Generic => {
            let keys = first_keys(&first.bytes, told_by);
            let mapping =
                reading
                    .mapping
                    .clone()
                    .resolve(&keys)
                    .map_err(|e| ReplayError::Columns {
                        bad: e.bad.at(&name, told_by.unwrap_or(first.first_line)),
                        missing: e.missing,
                    })?;
            LineParser::Generic(Box::new(mapping))
        }
        s => LineParser::Api(s),
    };
    let workers = if shape == LogShape::ClaudeCode {
        1
    } else {
        tallies.len()
    };
    let mut lines = 0;
    let mut next = Some(first);
    {
        let mut pull = || -> io::Result<Option<Chunk>> {
            if let Some(c) = next.take() {
                lines = c.first_line;
                return Ok(Some(c));
            }
            let c = chunker.next_chunk()?;
            progress(chunker.read);
            if let Some(c) = &c {
                lines = c.first_line;
            }
            Ok(c)
        };
        run_chunks(&mut pull, &mut tallies[..workers], &parser, &name).map_err(read_error)?;
    }
    Ok(FileSummary {
        name,
        format,
        shape,
        gzip: input.gzip,
        lines: lines.saturating_sub(1) + 1,
    })
}

/// The shape of JSON lines as given, else as told by a line of the head
/// (and which line told it).
fn jsonl_shape(
    reading: &Reading,
    head: &[u8],
    file: &str,
) -> Result<(LogShape, Option<u64>), ReplayError> {
    if let Some(shape) = reading.shape {
        return Ok((shape, None));
    }
    let detected = detect::jsonl_shape(head).map_err(|why| ReplayError::UnknownShape {
        file: file.to_string(),
        why,
    })?;
    Ok((detected.shape, Some(detected.line)))
}

/// The keys of the line the shape was told from (else of the first JSON
/// object), for resolving a generic mapping.
fn first_keys(head: &[u8], told_by: Option<u64>) -> Vec<String> {
    let skip = told_by.map_or(0, |n| n.saturating_sub(1)) as usize;
    head.split(|b| *b == b'\n')
        .skip(skip)
        .find_map(|l| match serde_json::from_slice::<Value>(l) {
            Ok(Value::Object(map)) => Some(map.keys().cloned().collect()),
            _ => None,
        })
        .unwrap_or_default()
}

fn process(tally: &mut Tally, chunk: &Chunk, parser: &LineParser, file: &str) -> bool {
    if matches!(parser, LineParser::Otel) {
        return process_spans(tally, chunk, file);
    }
    for (n, line) in chunk.lines() {
        match parser.parse(line) {
            Ok(Some(record)) => {
                if !tally.check_timing(&record, file, n) {
                    return false;
                }
                if tally.needs_fields() {
                    tally.record(record, file, &JsonLine(line));
                } else {
                    tally.record(record, file, &NoFields);
                }
            }
            Ok(None) => tally.skipped += 1,
            Err(bad) => {
                let bad = super::record::not_utf8(line).unwrap_or(bad);
                if !tally.bad_line(bad.at(file, n)) {
                    return false;
                }
            }
        }
    }
    true
}

/// OTLP lines: every span of a line is a record (or a bad one) of that line.
fn process_spans(tally: &mut Tally, chunk: &Chunk, file: &str) -> bool {
    for (n, line) in chunk.lines() {
        let mut go_on = true;
        let parsed = otel::for_each_span(line, &mut |span, fields| {
            go_on = match span {
                Ok(Some(record)) => {
                    let ok = tally.check_timing(&record, file, n);
                    if ok {
                        tally.record(record, file, fields);
                    }
                    ok
                }
                Ok(None) => {
                    tally.skipped += 1;
                    true
                }
                Err(bad) => tally.bad_line(bad.at(file, n)),
            };
            go_on
        });
        if let Err(bad) = parsed {
            let bad = super::record::not_utf8(line).unwrap_or(bad);
            go_on = tally.bad_line(bad.at(file, n));
        }
        if !go_on {
            return false;
        }
    }
    true
}

fn run_chunks(
    pull: &mut dyn FnMut() -> io::Result<Option<Chunk>>,
    tallies: &mut [Tally],
    parser: &LineParser,
    file: &str,
) -> io::Result<()> {
    if tallies.len() == 1 {
        while let Some(chunk) = pull()? {
            if !process(&mut tallies[0], &chunk, parser, file) {
                break;
            }
        }
        return Ok(());
    }
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<Chunk>(tallies.len() * 2);
    let rx = Arc::new(Mutex::new(rx));
    std::thread::scope(|scope| {
        for tally in tallies.iter_mut() {
            let rx = Arc::clone(&rx);
            let stop = &stop;
            scope.spawn(move || loop {
                let chunk = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => return,
                };
                let Ok(chunk) = chunk else { return };
                if !stop.load(Ordering::Relaxed) && !process(tally, &chunk, parser, file) {
                    stop.store(true, Ordering::Relaxed);
                }
            });
        }
        let mut result = Ok(());
        while !stop.load(Ordering::Relaxed) {
            match pull() {
                Ok(Some(chunk)) => {
                    if tx.send(chunk).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(tx);
        result
    })
}
