//! Splits a server-sent-events byte stream into whole events as bytes
//! arrive, so each event is passed on the moment it is complete (never
//! the whole answer), and its `data:` payload can be read for usage.

use bytes::{Bytes, BytesMut};

#[derive(Debug, Default)]
pub struct Splitter {
    buf: BytesMut,
}

impl Splitter {
    /// Adds bytes and returns every event they complete (each with its
    /// blank-line terminator).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Bytes> {
        self.buf.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some(end) = event_end(&self.buf) {
            out.push(self.buf.split_to(end).freeze());
        }
        out
    }

    /// Whatever is left when the stream ends (an unterminated event).
    pub fn rest(&mut self) -> Option<Bytes> {
        (!self.buf.is_empty()).then(|| self.buf.split().freeze())
    }
}

/// The end of the first event in `buf` (just past its blank line).
fn event_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 1 < buf.len() {
        if buf[i] == b'\n' {
            if buf[i + 1] == b'\n' {
                return Some(i + 2);
            }
            if buf[i + 1] == b'\r' && buf.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

/// The joined `data:` lines of one event.
pub fn data(event: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for line in event.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(rest) = line.strip_prefix(b"data:") {
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            let d = out.get_or_insert_with(Vec::new);
            if !d.is_empty() {
                d.push(b'\n');
            }
            d.extend_from_slice(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_come_out_whole() {
        let mut s = Splitter::default();
        assert!(s.push(b"event: a\ndata: {\"x\"").is_empty());
        let out = s.push(b":1}\n\ndata: [DONE]\r\n\r\ndata: tail");
        assert_eq!(out.len(), 2);
        assert_eq!(data(&out[0]).unwrap(), b"{\"x\":1}");
        assert_eq!(data(&out[1]).unwrap(), b"[DONE]");
        assert_eq!(s.rest().unwrap().as_ref(), b"data: tail");
        assert_eq!(data(b": comment\n\n"), None);
    }
}
