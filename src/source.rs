//! Every file `cost` reads goes through here: a path (or `-` for stdin) becomes
//! text plus a name to put in error messages, and a key path inside a TOML
//! document can be turned back into the line it was written on.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// The UTF-8 byte-order mark some editors (Excel, Notepad) put first: no
/// part of the text, accepted and dropped in every file `cost` reads.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` as text without a leading byte-order mark; invalid UTF-8 is an
/// error naming the line and the byte (1-based, in the line and in the
/// file) where it starts, never the bytes themselves.
pub fn utf8_str(bytes: &[u8]) -> Result<&str, NotUtf8> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        NotUtf8 {
            line: memchr::memchr_iter(b'\n', before).count() + 1,
            column: at - line_start + 1,
            offset: at,
        }
    })
}

/// `utf8_str`, owned.
pub fn utf8_text(mut bytes: Vec<u8>) -> Result<String, NotUtf8> {
    let located = utf8_str(&bytes).err();
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|_| {
        located.unwrap_or(NotUtf8 {
            line: 1,
            column: 1,
            offset: 0,
        })
    })
}

/// Where text stops being UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not UTF-8 text: line {line}, byte {column} of the line (byte offset {offset} in the file) is not valid UTF-8\n  hint: save the file as UTF-8")]
pub struct NotUtf8 {
    pub line: usize,
    /// 1-based, in bytes.
    pub column: usize,
    /// 0-based, in bytes from the start of the file (after a byte-order mark).
    pub offset: usize,
}

/// Whether a command-line argument names stdin.
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// Canonical paths of the files this process has read, so that an output
/// path naming one of them is refused (`cost compare s.toml -o s.toml`).
static READ: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Records that `path` was read (see `was_read`).
pub fn note_read(path: &Path) {
    if let Ok(canonical) = path.canonicalize() {
        if let Ok(mut read) = READ.lock() {
            read.push(canonical);
        }
    }
}

/// Whether `path` is a file this process has read (same canonical path).
pub fn was_read(path: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|canonical| READ.lock().is_ok_and(|read| read.contains(&canonical)))
}

/// The bytes of a file, or of stdin for `-`, with the name errors use
/// (`<stdin>` or the path). Every whole-file read goes through here.
pub fn read_bytes(path: &Path) -> Result<(Vec<u8>, String), SourceError> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| SourceError::new("<stdin>", e))?;
        return Ok((bytes, "<stdin>".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| SourceError::new(path.display(), e))?;
    note_read(path);
    Ok((bytes, path.display().to_string()))
}

/// Text loaded from a file, stdin or the binary itself, with the name errors use.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// The file it came from, if any (relative files are found beside it).
    pub path: Option<PathBuf>,
}

impl Source {
    pub fn embedded(name: &str, text: &str) -> Source {
        Source {
            name: format!("<built-in>/{name}"),
            text: text.to_string(),
            path: None,
        }
    }

    /// Reads a text file, or stdin for `-`.
    pub fn read(path: &Path) -> Result<Source, SourceError> {
        let (bytes, name) = read_bytes(path)?;
        let text = utf8_text(bytes).map_err(|e| {
            SourceError::new(
                &name,
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })?;
        Ok(Source {
            name,
            text,
            path: (path != Path::new("-")).then(|| path.to_path_buf()),
        })
    }

    /// The 1-based line on which the key at `path` is written, if it exists.
    pub fn line_of(&self, path: &KeyPath) -> Option<usize> {
        let doc = DeTable::parse(&self.text).ok()?;
        let mut table = doc.get_ref();
        let mut span = None;
        let mut segments = path.0.iter().peekable();
        while let Some(segment) = segments.next() {
            let Segment::Key(key) = segment else {
                return None;
            };
            let (k, value) = table.get_key_value(key.as_str())?;
            span = Some(k.span());
            let mut value = value;
            if let Some(Segment::Index(i)) = segments.peek() {
                let DeValue::Array(items) = value.get_ref() else {
                    return span.map(|s| self.line_at(s.start));
                };
                let item = items.get(*i)?;
                span = Some(item.span());
                value = item;
                segments.next();
            }
            match value.get_ref() {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        span.map(|s| self.line_at(s.start))
    }

    pub fn line_at(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        memchr::memchr_iter(b'\n', &self.text.as_bytes()[..end]).count() + 1
    }
}

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct SourceError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

impl SourceError {
    fn new(path: impl fmt::Display, source: std::io::Error) -> SourceError {
        SourceError {
            path: path.to_string(),
            source,
        }
    }
}

/// Expands a list of files and folders into the `.toml` files they hold,
/// folders sorted by file name so that later files override earlier ones
/// predictably.
pub fn toml_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SourceError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| SourceError::new(path.display(), e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// A key inside a document, e.g. `models[3].prices[0].input`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl KeyPath {
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> KeyPath {
        let mut path = self.clone();
        path.0.push(Segment::Key(key.to_string()));
        path
    }

    pub fn index(&self, index: usize) -> KeyPath {
        let mut path = self.clone();
        path.0.push(Segment::Index(index));
        path
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem found in a data file, before the file name and line are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub key: KeyPath,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(key: KeyPath, message: impl Into<String>) -> Problem {
        Problem {
            key,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    pub fn in_source(self, source: &Source) -> InputError {
        InputError {
            file: source.name.clone(),
            line: source.line_of(&self.key),
            key: self.key.to_string(),
            message: self.message,
            hint: self.hint,
        }
    }
}

/// A bad input file: which file, which line and key, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InputError {
    pub file: String,
    pub line: Option<usize>,
    pub key: String,
    pub message: String,
    pub hint: Option<String>,
}

impl InputError {
    /// A TOML syntax or type error, located by the parser.
    pub fn from_toml(source: &Source, err: &toml::de::Error) -> InputError {
        let line = err.span().map(|s| source.line_at(s.start));
        // serde names the Rust type; say what the file needs instead.
        let message = err
            .message()
            .trim()
            .replace("expected i64", "expected a whole number")
            .replace("expected u64", "expected a whole number")
            .replace("expected f64", "expected a number");
        let key = line
            .and_then(|l| source.text.lines().nth(l - 1))
            .and_then(|text| text.split_once('='))
            .map(|(k, _)| k.trim().trim_matches('"').to_string())
            .filter(|k| !k.is_empty() && !k.starts_with('['))
            .unwrap_or_default();
        let hint = unknown_key_hint(&message).or_else(|| {
            message.contains("whole number").then(|| {
                "token counts are whole numbers of tokens, e.g. `output = 350`".to_string()
            })
        });
        InputError {
            file: source.name.clone(),
            line,
            key,
            message,
            hint,
        }
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown
/// variant"), the nearest known names: the message already lists them all.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let near = crate::suggest::closest(name, known.iter().copied(), 3);
    (!near.is_empty()).then(|| crate::suggest::did_you_mean(&near).trim_end().to_string())
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_names_the_nearest_known_one() {
        let hint = unknown_key_hint(
            "unknown field `requets_per_day`, expected one of `requests_per_day`, `requests_per_month`, `days_per_month`",
        );
        let hint = hint.expect("a near key");
        assert!(
            hint.starts_with("did you mean `requests_per_day`"),
            "{hint}"
        );
        assert_eq!(
            unknown_key_hint("unknown field `zzz`, expected `name` or `share`"),
            None
        );
        assert_eq!(unknown_key_hint("invalid type: string"), None);
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_bad_utf8_is_located() {
        assert_eq!(
            utf8_text(b"\xEF\xBB\xBFa = 1\n".to_vec()).unwrap(),
            "a = 1\n"
        );
        let bad = utf8_text(b"\xEF\xBB\xBFa = 1\nb = \"Q\xFFZ\"\n".to_vec()).unwrap_err();
        assert_eq!(
            bad,
            NotUtf8 {
                line: 2,
                column: 7,
                offset: 12
            }
        );
        assert!(!bad.to_string().contains('Q'), "never echoes the text");
    }

    #[test]
    fn finds_the_line_of_a_nested_key_in_an_array_of_tables() {
        let source = Source::embedded(
            "t.toml",
            "name = \"x\"\n\n[[models]]\nid = \"a\"\n\n[[models]]\nid = \"b\"\n[[models.prices]]\ninput = 1\n",
        );
        let path = KeyPath::root()
            .key("models")
            .index(1)
            .key("prices")
            .index(0)
            .key("input");
        assert_eq!(source.line_of(&path), Some(9));
        assert_eq!(
            source.line_of(&KeyPath::root().key("models").index(1).key("id")),
            Some(7)
        );
        assert_eq!(source.line_of(&KeyPath::root().key("name")), Some(1));
    }

    #[test]
    fn inline_tables_locate_their_keys() {
        let source = Source::embedded(
            "t.toml",
            "[plans]\n\nroutes = { easy = \"a\", hard = \"b\" }\n",
        );
        let path = KeyPath::root().key("plans").key("routes").key("hard");
        assert_eq!(source.line_of(&path), Some(3));
    }
}
