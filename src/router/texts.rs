//! A table's query text, by query id: the column `cost router` learns
//! from, read beside the outcomes `eval::load` reads. Query ids are built
//! as the outcome loader builds them (the id columns joined with `/`, or
//! the line number in a wide table without id columns), so the two line
//! up. In JSON Lines the text may also be a list of chat messages: their
//! `content` strings (or `text` parts) joined by newlines.

use std::collections::HashMap;

use crate::eval::{TableFormat, TableSpec};
use crate::source::InputError;

/// Each query id's text, the first non-empty one its rows give.
pub fn read_texts(
    bytes: &[u8],
    file: &str,
    spec: &TableSpec,
    column: &str,
) -> Result<HashMap<String, String>, InputError> {
    match spec.format {
        TableFormat::Csv => csv_texts(bytes, file, &spec.query, column),
        TableFormat::Jsonl => jsonl_texts(bytes, file, &spec.query, column),
    }
}

fn error(file: &str, line: Option<usize>, key: &str, message: String, hint: String) -> InputError {
    InputError {
        file: file.to_string(),
        line,
        key: key.to_string(),
        message,
        hint: Some(hint),
    }
}

fn no_column(file: &str, column: &str, names: &[String], has: &str) -> InputError {
    let near = crate::suggest::closest(column, names.iter().map(String::as_str), 1);
    error(
        file,
        Some(1),
        column,
        format!("no text column `{column}`: a learned router needs each query's text"),
        format!(
            "{}{has}: {}",
            crate::suggest::did_you_mean(&near),
            names.join(", ")
        ),
    )
}

fn csv_texts(
    bytes: &[u8],
    file: &str,
    query: &[String],
    column: &str,
) -> Result<HashMap<String, String>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| {
            error(
                file,
                Some(1),
                "",
                format!("not a CSV header: {e}"),
                "the first line names the columns".into(),
            )
        })?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    let find = |name: &str| header.iter().position(|h| h == name);
    let text_at = find(column).ok_or_else(|| no_column(file, column, &header, "the header has"))?;
    let id_at: Vec<usize> = query.iter().filter_map(|q| find(q)).collect();
    let mut out = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(error(
                    file,
                    line,
                    "",
                    format!("unreadable CSV row: {e}"),
                    "every row has as many fields as the header; quote fields that contain commas"
                        .into(),
                ));
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        let cell =
            |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned();
        let id = if query.is_empty() {
            line.to_string()
        } else {
            id_at.iter().map(|&i| cell(i)).collect::<Vec<_>>().join("/")
        };
        let text = cell(text_at);
        if !text.is_empty() {
            out.entry(id).or_insert(text);
        }
    }
    Ok(out)
}

fn jsonl_texts(
    bytes: &[u8],
    file: &str,
    query: &[String],
    column: &str,
) -> Result<HashMap<String, String>, InputError> {
    use serde_json::Value;
    let mut out = HashMap::new();
    let mut first = true;
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let object: serde_json::Map<String, Value> = serde_json::from_slice(raw).map_err(|e| {
            error(
                file,
                Some(line),
                "",
                format!("not a JSON object: {e}"),
                "JSON Lines holds one object per line".into(),
            )
        })?;
        if first && !object.contains_key(column) {
            let mut keys: Vec<String> = object.keys().cloned().collect();
            keys.sort();
            return Err(no_column(file, column, &keys, "the first object has"));
        }
        first = false;
        let id = if query.is_empty() {
            line.to_string()
        } else {
            query
                .iter()
                .map(|q| match object.get(q) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(x)) => {
                        x.as_f64().map_or_else(String::new, |v| v.to_string())
                    }
                    Some(Value::Bool(b)) => b.to_string(),
                    _ => String::new(),
                })
                .collect::<Vec<_>>()
                .join("/")
        };
        let text = match object.get(column) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(messages)) => chat_text(messages),
            _ => String::new(),
        };
        if !text.is_empty() {
            out.entry(id).or_insert(text);
        }
    }
    Ok(out)
}

/// The text of each query, in the table's order; the first id without a
/// text is the error.
pub fn in_order<'a, 'q, S: std::hash::BuildHasher>(
    queries: impl IntoIterator<Item = &'q str>,
    by_id: &'a HashMap<String, String, S>,
) -> Result<Vec<&'a str>, String> {
    queries
        .into_iter()
        .map(|q| {
            by_id
                .get(q)
                .map(String::as_str)
                .ok_or_else(|| q.to_string())
        })
        .collect()
}

/// The text of chat messages: each one's `content` (a string, or the
/// `text` of its parts), joined by newlines.
fn chat_text(messages: &[serde_json::Value]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for m in messages {
        match m.get("content") {
            Some(serde_json::Value::String(s)) => parts.push(s),
            Some(serde_json::Value::Array(items)) => {
                parts.extend(
                    items
                        .iter()
                        .filter_map(|p| p.get("text").and_then(serde_json::Value::as_str)),
                );
            }
            _ => {}
        }
    }
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{CostColumns, Layout, ScoreRange};

    fn spec(format: TableFormat, query: &[&str]) -> TableSpec {
        TableSpec {
            format,
            layout: Layout::Wide { models: vec![] },
            query: query.iter().map(|q| (*q).to_string()).collect(),
            cost: CostColumns::None,
            range: ScoreRange::UNIT,
            filters: vec![],
            router: None,
            category: None,
            group: None,
            allow_missing: false,
        }
    }

    #[test]
    fn csv_ids_follow_the_outcome_loader() {
        let csv = b"id,prompt,ok\na,\"two\nlines\",1\nb,second,0\n";
        let by_id = read_texts(csv, "t.csv", &spec(TableFormat::Csv, &["id"]), "prompt").unwrap();
        assert_eq!(by_id["a"], "two\nlines");
        // Without id columns the id is the line a record starts on.
        let by_line = read_texts(csv, "t.csv", &spec(TableFormat::Csv, &[]), "prompt").unwrap();
        assert_eq!(by_line["2"], "two\nlines");
        assert_eq!(by_line["4"], "second");
    }

    #[test]
    fn jsonl_reads_chat_messages_and_numeric_ids() {
        let jsonl = br#"{"id":1,"messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"}]}]}"#;
        let t = read_texts(
            jsonl,
            "t.jsonl",
            &spec(TableFormat::Jsonl, &["id"]),
            "messages",
        )
        .unwrap();
        assert_eq!(t["1"], "be brief\nhi");
    }

    #[test]
    fn a_missing_text_column_names_the_columns_there_are() {
        let e = read_texts(
            b"id,promt\na,x\n",
            "t.csv",
            &spec(TableFormat::Csv, &["id"]),
            "prompt",
        )
        .unwrap_err();
        assert!(e.message.contains("no text column `prompt`"));
        assert!(e.hint.unwrap().contains("promt"));
    }
}
