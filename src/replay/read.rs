//! Streams a log: a file or stdin (`-`), gzip-compressed or not (detected
//! from the magic bytes unless told), as chunks of whole lines with the
//! number of their first line. Memory is one chunk per worker in flight,
//! whatever the size of the log.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::source::{is_stdin, SourceError};

/// Bytes per chunk handed to a worker.
pub const CHUNK: usize = 4 << 20;
/// No line may be longer than this (a corrupt file, not a log line).
pub const MAX_LINE: usize = 256 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Auto,
    Gzip,
    None,
}

pub struct Input {
    /// The name errors use: the path, or `<stdin>`.
    pub name: String,
    pub reader: Box<dyn Read + Send>,
    /// The size on disk of a plain file (for progress).
    pub size: Option<u64>,
    pub gzip: bool,
}

pub fn open(path: &Path, compression: Compression) -> Result<Input, SourceError> {
    let (name, raw, size): (String, Box<dyn Read + Send>, Option<u64>) = if is_stdin(path) {
        ("<stdin>".into(), Box::new(io::stdin()), None)
    } else {
        let file = File::open(path).map_err(|e| source_error(path.display(), e))?;
        crate::source::note_read(path);
        let size = file.metadata().ok().map(|m| m.len());
        (path.display().to_string(), Box::new(file), size)
    };
    let mut buffered = BufReader::with_capacity(1 << 16, raw);
    let gzip = match compression {
        Compression::Gzip => true,
        Compression::None => false,
        Compression::Auto => buffered
            .fill_buf()
            .map_err(|e| source_error(&name, e))?
            .starts_with(&[0x1f, 0x8b]),
    };
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    Ok(Input {
        name,
        reader,
        size: if gzip { None } else { size },
        gzip,
    })
}

fn source_error(path: impl std::fmt::Display, source: io::Error) -> SourceError {
    SourceError {
        path: path.to_string(),
        source,
    }
}

/// Whole lines and the number of the first one.
#[derive(Debug)]
pub struct Chunk {
    pub first_line: u64,
    pub bytes: Vec<u8>,
}

impl Chunk {
    /// Non-blank lines with their numbers, without line terminators.
    pub fn lines(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let mut start = 0;
        let mut number = self.first_line;
        let bytes = &self.bytes[..];
        let mut ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
        std::iter::from_fn(move || loop {
            let end = ends.next()?;
            if start > bytes.len() {
                return None;
            }
            let mut line = &bytes[start..end];
            let n = number;
            start = end + 1;
            number += 1;
            if let [rest @ .., b'\r'] = line {
                line = rest;
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some((n, line));
        })
    }
}

/// Cuts a stream into chunks that end at a line end.
pub struct Chunker<R> {
    reader: R,
    carry: Vec<u8>,
    next_line: u64,
    done: bool,
    /// Whether the first chunk, which may open with a byte-order mark, is out.
    started: bool,
    /// Bytes read so far (for progress).
    pub read: u64,
}

impl<R: Read> Chunker<R> {
    pub fn new(reader: R) -> Chunker<R> {
        Chunker {
            reader,
            carry: Vec::new(),
            next_line: 1,
            done: false,
            started: false,
            read: 0,
        }
    }

    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        if self.done && self.carry.is_empty() {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        let mut target = CHUNK;
        loop {
            if !self.done {
                fill(
                    &mut self.reader,
                    &mut buf,
                    target,
                    &mut self.read,
                    &mut self.done,
                )?;
            }
            match memchr::memrchr(b'\n', &buf) {
                Some(last) if !self.done => {
                    self.carry = buf.split_off(last + 1);
                    break;
                }
                _ if self.done => break,
                _ => {
                    if buf.len() >= MAX_LINE {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "line {} is longer than {} MiB",
                                self.next_line,
                                MAX_LINE >> 20
                            ),
                        ));
                    }
                    target = buf.len() * 2;
                }
            }
        }
        if !self.started {
            // A UTF-8 byte-order mark (Windows editors write one) is no
            // part of the first line.
            self.started = true;
            if buf.starts_with(crate::source::BOM) {
                buf.drain(..crate::source::BOM.len());
            }
        }
        if buf.is_empty() {
            return Ok(None);
        }
        let chunk = Chunk {
            first_line: self.next_line,
            bytes: buf,
        };
        self.next_line += memchr::memchr_iter(b'\n', &chunk.bytes).count() as u64;
        Ok(Some(chunk))
    }

    /// The rest of the stream, starting with what was read but not yet
    /// handed out (for the CSV reader, which does its own framing).
    pub fn into_rest(self) -> impl Read {
        io::Cursor::new(self.carry).chain(self.reader)
    }
}

fn fill<R: Read>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    target: usize,
    read: &mut u64,
    done: &mut bool,
) -> io::Result<()> {
    let start = buf.len();
    buf.resize(target.max(start + 1), 0);
    let mut filled = start;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => {
                *done = true;
                break;
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    *read += (filled - start) as u64;
    buf.truncate(filled);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_at_line_ends_and_number_lines() {
        let text = b"a\r\n\nb\n  \nc".to_vec();
        let mut chunker = Chunker::new(&text[..]);
        let chunk = chunker.next_chunk().unwrap().unwrap();
        let lines: Vec<(u64, &[u8])> = chunk.lines().collect();
        assert_eq!(lines, vec![(1, &b"a"[..]), (3, &b"b"[..]), (5, &b"c"[..])]);
        assert!(chunker.next_chunk().unwrap().is_none());
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_line() {
        let text = b"\xEF\xBB\xBF{}\n\xEF\xBB\xBF{}".to_vec();
        let chunk = Chunker::new(&text[..]).next_chunk().unwrap().unwrap();
        let lines: Vec<(u64, &[u8])> = chunk.lines().collect();
        assert_eq!(lines, vec![(1, &b"{}"[..]), (2, &b"\xEF\xBB\xBF{}"[..])]);
    }

    #[test]
    fn gzip_is_detected_from_magic_bytes() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"hello\n").unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let mut input = open(&path, Compression::Auto).unwrap();
        assert!(input.gzip);
        let mut text = String::new();
        input.reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "hello\n");
    }
}
