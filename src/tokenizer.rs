//! Counting tokens with real BPE tokenizers: OpenAI's `o200k_base` and
//! `cl100k_base` encodings from the `tiktoken` crate, whose vocabularies are
//! compiled into the binary (no network at run time). It holds them in
//! compact tables, so the gateway, which loads `o200k_base` to count every
//! prompt, stays small; `tests/tokenizer_oracle.rs` checks it token for token
//! against `tiktoken-rs`. For models whose
//! tokenizer is not public, a count is an *estimate*: the `o200k_base` count
//! times a ratio. No public source states such a ratio for Claude, Gemini or
//! the others, so the ratio is 1.0 and labelled an unverified assumption.
//! `prompts` counts and prices whole prompts with these.
//!
//! Adversarial text: the BPE merges each piece of the encoding's
//! pre-tokenizer (a run of letters, of spaces, of symbols) as a whole, and a
//! piece of megabytes (20 MB of letters without a space) took minutes and a
//! gigabyte. A run of one kind of character is therefore cut every
//! `MAX_RUN_BYTES` before encoding (`stretches`): text without such a run
//! (any prose, code or JSON) is encoded in one call and counted exactly as
//! tiktoken counts it; a pathological run is counted as pieces of at most
//! that length, which can differ from the uncut count by a few tokens per
//! cut, and time and memory stay linear in the input.

pub mod prompts;

use serde_json::Value;
use tiktoken::CoreBpe;

use crate::pricing::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Encoding {
    O200k,
    Cl100k,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200k => "o200k_base",
            Encoding::Cl100k => "cl100k_base",
        }
    }

    pub fn from_name(name: &str) -> Option<Encoding> {
        match name {
            "o200k_base" => Some(Encoding::O200k),
            "cl100k_base" => Some(Encoding::Cl100k),
            _ => None,
        }
    }

    fn bpe(self) -> &'static CoreBpe {
        // Both vocabularies are compiled in (the crate features), so the
        // lookup cannot miss.
        tiktoken::get_encoding(self.name()).expect("the vocabulary is compiled in")
    }

    /// Loads the encoding's tables now (about 0.1 s for `o200k_base`,
    /// BENCHMARKS.md "Tokens") rather than at the first count.
    pub fn load(self) {
        self.bpe();
    }

    /// Tokens of plain text (special-token text counts as ordinary text).
    pub fn count(self, text: &str) -> u64 {
        let bpe = self.bpe();
        stretches(text).map(|s| bpe.count(s) as u64).sum()
    }

    /// Tokens of a chat prompt, following OpenAI's cookbook recipe for
    /// current chat models: 3 tokens per message, the tokens of each
    /// string field (role, content, name; +1 for a name), and 3 tokens that
    /// prime the reply. Array contents count their `text` parts.
    pub fn count_chat(self, messages: &[Value]) -> u64 {
        let mut n = 3;
        for message in messages {
            n += 3;
            let Some(map) = message.as_object() else {
                continue;
            };
            for (key, value) in map {
                match value {
                    Value::String(s) => n += self.count(s) + u64::from(key == "name"),
                    Value::Array(parts) => {
                        for part in parts {
                            if let Some(text) = part.get("text").and_then(Value::as_str) {
                                n += self.count(text);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        n
    }
}

/// The longest run of letters, of whitespace or of other symbols that is
/// encoded as one stretch (bytes). Far above any word, indentation or rule
/// line, so ordinary text is never cut.
pub const MAX_RUN_BYTES: usize = 4096;

/// The kinds of character whose runs the pre-tokenizer keeps in one piece.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Letter,
    Space,
    Symbol,
    /// Digits: the pre-tokenizer splits them in threes anyway.
    Digit,
}

fn kind(c: char) -> Kind {
    if c.is_whitespace() {
        Kind::Space
    } else if c.is_numeric() {
        Kind::Digit
    } else if c.is_alphabetic() {
        Kind::Letter
    } else {
        Kind::Symbol
    }
}

/// `text` in stretches, cut inside every run of one kind of character each
/// time the run reaches `MAX_RUN_BYTES`: one stretch when there is no such
/// run.
fn stretches(text: &str) -> impl Iterator<Item = &str> {
    let mut cuts = Vec::new();
    let (mut run_kind, mut run_start) = (None, 0);
    for (i, c) in text.char_indices() {
        let k = kind(c);
        if run_kind != Some(k) {
            (run_kind, run_start) = (Some(k), i);
        } else if k != Kind::Digit && i - run_start >= MAX_RUN_BYTES {
            cuts.push(i);
            run_start = i;
        }
    }
    cuts.push(text.len());
    let mut from = 0;
    cuts.into_iter().map(move |to| {
        let stretch = &text[from..to];
        from = to;
        stretch
    })
}

/// How a model's token count is obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Counting {
    pub encoding: Encoding,
    /// Model tokens per token of `encoding`.
    pub ratio: f64,
    /// Exact: the model's published tokenizer. Otherwise an estimate.
    pub exact: bool,
    pub basis: String,
}

/// The tokenizer a model uses, or the documented estimate for it.
pub fn counting(model: &Model) -> Counting {
    if let Some(encoding) = model.tokenizer.as_deref().and_then(Encoding::from_name) {
        return Counting {
            encoding,
            ratio: 1.0,
            exact: true,
            basis: format!("{} (the price sheet names it)", encoding.name()),
        };
    }
    if model.provider == "openai" {
        return Counting {
            encoding: Encoding::O200k,
            ratio: 1.0,
            exact: false,
            basis: "o200k_base, assumed: OpenAI's current encoding, not stated for this model"
                .into(),
        };
    }
    Counting {
        encoding: Encoding::O200k,
        ratio: 1.0,
        exact: false,
        basis: "estimate: tokenizer not public; o200k_base count × 1.0 (no public ratio found; an unverified assumption)".into(),
    }
}

impl Counting {
    pub fn tokens(&self, counted: u64) -> u64 {
        (counted as f64 * self.ratio).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_counts_of_both_encodings() {
        // Checked against OpenAI's tiktoken 0.14 on the same strings.
        assert_eq!(Encoding::O200k.count("hello world"), 2);
        assert_eq!(Encoding::Cl100k.count("hello world"), 2);
        assert_eq!(Encoding::Cl100k.count("tiktoken is great!"), 6);
        assert_eq!(Encoding::O200k.count(""), 0);
    }

    #[test]
    fn ordinary_text_is_one_stretch_and_a_long_run_is_cut() {
        let prose = "Hello, world! ".repeat(10_000);
        assert_eq!(stretches(&prose).count(), 1);
        let digits = "1".repeat(3 * MAX_RUN_BYTES);
        assert_eq!(stretches(&digits).count(), 1);
        let run = format!("say {} done", "é".repeat(MAX_RUN_BYTES));
        let parts: Vec<&str> = stretches(&run).collect();
        assert_eq!(parts.concat(), run);
        assert_eq!(parts.len(), 2);
        // Each stretch holds at most one cut run and the text around it.
        assert!(parts
            .iter()
            .all(|p| p.len() <= MAX_RUN_BYTES + " done".len()));
    }

    /// What the chunking protects: the count of ordinary text is unchanged,
    /// and a run of a megabyte of letters is counted in linear time.
    #[test]
    fn a_long_run_of_letters_is_counted_quickly_and_ordinary_text_exactly() {
        let text = "The quick brown fox jumps over the lazy dog. ".repeat(2000);
        let bpe = Encoding::O200k.bpe();
        assert_eq!(Encoding::O200k.count(&text), bpe.count(&text) as u64);
        let mut state = 7_u64;
        let letters: String = (0..1_000_000)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                char::from(b'a' + (state >> 59) as u8 % 26)
            })
            .collect();
        let start = std::time::Instant::now();
        let n = Encoding::O200k.count(&letters);
        let took = start.elapsed();
        // A debug build on a shared machine; release: see BENCHMARKS.md.
        assert!(took < std::time::Duration::from_secs(20), "{took:?}");
        // Random letters are short tokens: between 1 and 8 letters each.
        assert!((125_000..=1_000_000).contains(&n), "{n}");
    }

    #[test]
    fn chat_messages_add_the_cookbook_overheads() {
        let messages: Vec<Value> = serde_json::from_str(
            r#"[{"role":"system","content":"You are terse."},{"role":"user","content":"hello world"}]"#,
        )
        .unwrap();
        let e = Encoding::O200k;
        let expected =
            3 + 2 * 3 + e.count("system") + e.count("You are terse.") + e.count("user") + 2;
        assert_eq!(e.count_chat(&messages), expected);
    }
}
