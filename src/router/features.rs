//! What the router sees of a query: a fixed-length vector computed in Rust
//! from the text alone, with no network and no downloaded weights.
//!
//! Three groups, in this order (and a fourth, optional):
//! - structural cues, a few numbers a reader would also notice: the real
//!   tokenizer's token count (`tokenizer::Encoding`), characters, lines,
//!   code blocks, maths, list items, question words, digits, non-ASCII
//!   letters (a cue to the language);
//! - hashed word n-grams (unigrams and bigrams of lower-cased words);
//! - hashed character n-grams (of the lower-cased text, spaces squeezed);
//! - optionally, the query's embedding from an embeddings API the user
//!   names (`EmbeddingSpec`), scaled to unit length. The vector is fetched
//!   by the caller (`crate::embed`); this module only places it, so the
//!   text features stay network-free.
//!
//! The n-grams use feature hashing (Weinberger et al., "Feature Hashing
//! for Large Scale Multitask Learning", ICML 2009): each n-gram's FNV-1a
//! hash picks one of `2^hash_bits` buckets and a sign, so the dimension is
//! fixed whatever the vocabulary, and no vocabulary is stored. Counts are
//! damped with `ln(1 + count)` and each hashed block is scaled to unit
//! length, so a long prompt does not outweigh a short one. FNV-1a is
//! spelled out here (not `std`'s hasher, whose output may change between
//! Rust releases): a model file must score the same text the same way on
//! every build.

use serde::{Deserialize, Serialize};

use crate::tokenizer::Encoding;

/// How features are computed; stored in the model file so scoring repeats
/// training exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureConfig {
    /// The tokenizer whose token count is a feature (`o200k_base`).
    pub tokenizer: String,
    /// Hashed buckets per n-gram block: `2^hash_bits`.
    pub hash_bits: u32,
    /// Word n-gram lengths, inclusive.
    pub word_ngrams: (usize, usize),
    /// Character n-gram lengths, inclusive.
    pub char_ngrams: (usize, usize),
    /// An embedding per query, appended after the hashed blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<EmbeddingSpec>,
}

/// Where a router's embeddings come from: an OpenAI-compatible
/// embeddings endpoint, its model, the environment variable holding its
/// key (the name only; never the key), and the vector's length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingSpec {
    /// The endpoint's full URL, e.g. `https://api.openai.com/v1/embeddings`.
    pub url: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_env: Option<String>,
    pub dim: usize,
}

/// The longest embedding a router takes.
pub const MAX_EMBEDDING_DIM: usize = 16_384;

impl Default for FeatureConfig {
    fn default() -> FeatureConfig {
        FeatureConfig {
            tokenizer: Encoding::O200k.name().to_string(),
            hash_bits: 10,
            word_ngrams: (1, 2),
            char_ngrams: (3, 5),
            embedding: None,
        }
    }
}

/// The structural cues, in vector order (their names go in the model file).
pub const STRUCTURAL: [&str; 12] = [
    "ln_tokens",
    "ln_chars",
    "ln_lines",
    "code_blocks",
    "maths_marks",
    "list_items",
    "question_words",
    "question_marks",
    "digit_share",
    "upper_share",
    "non_ascii_share",
    "ln_mean_word_chars",
];

const QUESTION_WORDS: [&str; 9] = [
    "what", "why", "how", "which", "who", "whom", "when", "where", "whose",
];

/// A feature configuration checked once: the tokenizer exists, the sizes
/// make sense.
#[derive(Debug, Clone)]
pub struct Featuriser {
    config: FeatureConfig,
    encoding: Encoding,
    buckets: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureError {
    #[error("unknown tokenizer `{0}` (known: o200k_base, cl100k_base)")]
    Tokenizer(String),
    #[error("hash_bits {0} is outside 4..=20")]
    HashBits(u32),
    #[error("n-gram lengths {0}..{1} are not 1 <= from <= to <= 8")]
    Ngrams(usize, usize),
    #[error("embedding length {0} is outside 1..={MAX_EMBEDDING_DIM}")]
    EmbeddingDim(usize),
    #[error("this router scores an embedding of each query (from {0}), and none was given")]
    NoEmbedding(String),
    #[error("an embedding of length {found} was given; this router was trained on length {dim}")]
    EmbeddingLength { found: usize, dim: usize },
    #[error("an embedding holds a value that is not a finite number")]
    EmbeddingValue,
    #[error("an embedding was given, but this router was trained without one")]
    UnexpectedEmbedding,
}

impl Featuriser {
    pub fn new(config: &FeatureConfig) -> Result<Featuriser, FeatureError> {
        let encoding = Encoding::from_name(&config.tokenizer)
            .ok_or_else(|| FeatureError::Tokenizer(config.tokenizer.clone()))?;
        if !(4..=20).contains(&config.hash_bits) {
            return Err(FeatureError::HashBits(config.hash_bits));
        }
        for (from, to) in [config.word_ngrams, config.char_ngrams] {
            if !(1 <= from && from <= to && to <= 8) {
                return Err(FeatureError::Ngrams(from, to));
            }
        }
        if let Some(e) = &config.embedding {
            if !(1..=MAX_EMBEDDING_DIM).contains(&e.dim) {
                return Err(FeatureError::EmbeddingDim(e.dim));
            }
        }
        Ok(Featuriser {
            config: config.clone(),
            encoding,
            buckets: 1 << config.hash_bits,
        })
    }

    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }

    /// The vector's length: the cues, the word and character blocks, then
    /// the embedding if there is one.
    pub fn dim(&self) -> usize {
        self.text_dim() + self.config.embedding.as_ref().map_or(0, |e| e.dim)
    }

    fn text_dim(&self) -> usize {
        STRUCTURAL.len() + 2 * self.buckets
    }

    /// The feature vector of `text` and its embedding (which a router
    /// trained with one needs, and one trained without refuses), written
    /// into `out` (length `dim()`).
    pub fn write(
        &self,
        text: &str,
        embedding: Option<&[f32]>,
        out: &mut [f64],
    ) -> Result<(), FeatureError> {
        debug_assert_eq!(out.len(), self.dim());
        let (text_part, embedding_part) = out.split_at_mut(self.text_dim());
        match (&self.config.embedding, embedding) {
            (None, None) => {}
            (None, Some(_)) => return Err(FeatureError::UnexpectedEmbedding),
            (Some(spec), None) => return Err(FeatureError::NoEmbedding(spec.url.clone())),
            (Some(spec), Some(e)) => {
                if e.len() != spec.dim {
                    return Err(FeatureError::EmbeddingLength {
                        found: e.len(),
                        dim: spec.dim,
                    });
                }
                if e.iter().any(|x| !x.is_finite()) {
                    return Err(FeatureError::EmbeddingValue);
                }
                for (to, x) in embedding_part.iter_mut().zip(e) {
                    *to = f64::from(*x);
                }
                unit_length(embedding_part);
            }
        }
        self.write_text(text, text_part);
        Ok(())
    }

    fn write_text(&self, text: &str, out: &mut [f64]) {
        out.fill(0.0);
        let (cues, hashed) = out.split_at_mut(STRUCTURAL.len());
        self.structural(text, cues);
        let (words_block, chars_block) = hashed.split_at_mut(self.buckets);
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let (w_from, w_to) = self.config.word_ngrams;
        for n in w_from..=w_to {
            for gram in words.windows(n) {
                let mut h = FNV_OFFSET ^ (n as u64);
                for (i, w) in gram.iter().enumerate() {
                    if i > 0 {
                        h = fnv(h, b" ");
                    }
                    h = fnv(h, w.as_bytes());
                }
                self.add(words_block, h);
            }
        }
        let squeezed: Vec<char> = squeeze(&lower);
        let (c_from, c_to) = self.config.char_ngrams;
        let mut buf = [0u8; 4];
        for n in c_from..=c_to {
            for gram in squeezed.windows(n) {
                let mut h = FNV_OFFSET ^ ((n as u64) << 8);
                for c in gram {
                    h = fnv(h, c.encode_utf8(&mut buf).as_bytes());
                }
                self.add(chars_block, h);
            }
        }
        damp_and_normalise(words_block);
        damp_and_normalise(chars_block);
    }

    /// The feature vector of `text` (and its embedding), allocated.
    pub fn vector(&self, text: &str, embedding: Option<&[f32]>) -> Result<Vec<f64>, FeatureError> {
        let mut out = vec![0.0; self.dim()];
        self.write(text, embedding, &mut out)?;
        Ok(out)
    }

    fn add(&self, block: &mut [f64], hash: u64) {
        let bucket = (hash as usize) & (self.buckets - 1);
        let sign = if hash >> 63 == 0 { 1.0 } else { -1.0 };
        block[bucket] += sign;
    }

    fn structural(&self, text: &str, out: &mut [f64]) {
        let tokens = self.encoding.count(text) as f64;
        let chars = text.chars().count().max(1) as f64;
        let lines = text.lines().count() as f64;
        let code_blocks = (text.matches("```").count() / 2) as f64;
        let maths = text
            .chars()
            .filter(|c| {
                matches!(
                    c,
                    '=' | '+' | '^' | '*' | '/' | '$' | '\\' | '∫' | '√' | '≤' | '≥'
                )
            })
            .count() as f64;
        let list_items = text
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                l.starts_with("- ")
                    || l.starts_with("* ")
                    || l.split_once(['.', ')']).is_some_and(|(head, _)| {
                        !head.is_empty()
                            && head.len() <= 2
                            && head.chars().all(|c| c.is_ascii_alphanumeric())
                    })
            })
            .count() as f64;
        let mut words = 0.0_f64;
        let mut word_chars = 0.0_f64;
        let mut question_words = 0.0_f64;
        for w in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            words += 1.0;
            word_chars += w.chars().count() as f64;
            if QUESTION_WORDS.iter().any(|q| q.eq_ignore_ascii_case(w)) {
                question_words += 1.0;
            }
        }
        let count = |f: fn(&char) -> bool| text.chars().filter(f).count() as f64;
        let values = [
            tokens.ln_1p(),
            chars.ln_1p(),
            lines.ln_1p(),
            code_blocks.ln_1p(),
            maths.ln_1p(),
            list_items.ln_1p(),
            question_words.ln_1p(),
            count(|c| *c == '?').ln_1p(),
            count(char::is_ascii_digit) / chars,
            count(|c| c.is_uppercase()) / chars,
            count(|c| c.is_alphabetic() && !c.is_ascii()) / chars,
            (word_chars / f64::max(words, 1.0)).ln_1p(),
        ];
        out.copy_from_slice(&values);
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `bytes`, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The text's characters with every run of whitespace as one space.
fn squeeze(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

fn damp_and_normalise(block: &mut [f64]) {
    for x in block.iter_mut() {
        *x = x.signum() * x.abs().ln_1p();
    }
    unit_length(block);
}

/// Scales a block to unit Euclidean length (a zero block stays zero).
fn unit_length(block: &mut [f64]) {
    let norm: f64 = block.iter().map(|x| x * x).sum();
    if norm > 0.0 {
        let scale = 1.0 / norm.sqrt();
        for x in block.iter_mut() {
            *x *= scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn featuriser() -> Featuriser {
        Featuriser::new(&FeatureConfig::default()).unwrap()
    }

    #[test]
    fn cues_count_what_a_reader_sees() {
        let f = featuriser();
        let v = f
            .vector("What is 2+2?\n```\ncode\n```\n- one\n- two", None)
            .unwrap();
        let at = |name: &str| v[STRUCTURAL.iter().position(|n| *n == name).unwrap()];
        assert!(
            (at("ln_tokens")
                - (Encoding::O200k.count("What is 2+2?\n```\ncode\n```\n- one\n- two") as f64)
                    .ln_1p())
            .abs()
                < 1e-12
        );
        assert!((at("code_blocks") - 1f64.ln_1p()).abs() < 1e-12);
        assert!((at("list_items") - 2f64.ln_1p()).abs() < 1e-12);
        assert!((at("question_words") - 1f64.ln_1p()).abs() < 1e-12);
        assert!((at("question_marks") - 1f64.ln_1p()).abs() < 1e-12);
    }

    #[test]
    fn hashed_blocks_have_unit_length_and_repeat_exactly() {
        let f = featuriser();
        let a = f
            .vector(
                "Find the degree of the field extension Q(sqrt(2)) over Q.",
                None,
            )
            .unwrap();
        let b = f
            .vector(
                "Find the degree of the field extension Q(sqrt(2)) over Q.",
                None,
            )
            .unwrap();
        assert_eq!(a, b);
        let n = STRUCTURAL.len();
        let words: f64 = a[n..n + 1024].iter().map(|x| x * x).sum();
        let chars: f64 = a[n + 1024..].iter().map(|x| x * x).sum();
        assert!((words - 1.0).abs() < 1e-9 && (chars - 1.0).abs() < 1e-9);
        assert_eq!(f.dim(), a.len());
    }

    #[test]
    fn different_words_land_in_different_buckets() {
        let f = featuriser();
        assert_ne!(
            f.vector("photosynthesis", None).unwrap(),
            f.vector("integral", None).unwrap()
        );
        let empty = f.vector("", None).unwrap();
        assert!(empty[STRUCTURAL.len()..].iter().all(|x| *x == 0.0));
    }

    #[test]
    fn an_embedding_is_placed_last_at_unit_length_and_checked() {
        let config = FeatureConfig {
            embedding: Some(EmbeddingSpec {
                url: "http://127.0.0.1:1/v1/embeddings".into(),
                model: "m".into(),
                key_env: None,
                dim: 2,
            }),
            ..FeatureConfig::default()
        };
        let f = Featuriser::new(&config).unwrap();
        let text_only = featuriser().vector("a question", None).unwrap();
        let v = f.vector("a question", Some(&[3.0, 4.0])).unwrap();
        assert_eq!(v.len(), text_only.len() + 2);
        assert_eq!(&v[..text_only.len()], &text_only[..]);
        // (3, 4) / 5: unit length.
        let tail = &v[text_only.len()..];
        assert!(
            (tail[0] - 0.6).abs() < 1e-12 && (tail[1] - 0.8).abs() < 1e-12,
            "{tail:?}"
        );
        assert_eq!(
            f.vector("q", None),
            Err(FeatureError::NoEmbedding(
                "http://127.0.0.1:1/v1/embeddings".into()
            ))
        );
        assert_eq!(
            f.vector("q", Some(&[1.0])),
            Err(FeatureError::EmbeddingLength { found: 1, dim: 2 })
        );
        assert_eq!(
            f.vector("q", Some(&[1.0, f32::NAN])),
            Err(FeatureError::EmbeddingValue)
        );
        assert_eq!(
            featuriser().vector("q", Some(&[1.0])),
            Err(FeatureError::UnexpectedEmbedding)
        );
    }

    #[test]
    fn bad_configurations_are_refused() {
        let bad = |c: FeatureConfig| Featuriser::new(&c).is_err();
        assert!(bad(FeatureConfig {
            tokenizer: "p50k".into(),
            ..FeatureConfig::default()
        }));
        assert!(bad(FeatureConfig {
            hash_bits: 30,
            ..FeatureConfig::default()
        }));
        assert!(bad(FeatureConfig {
            char_ngrams: (4, 2),
            ..FeatureConfig::default()
        }));
    }
}
