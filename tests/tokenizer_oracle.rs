//! `cost` counts tokens with the `tiktoken` crate (compact tables, so the
//! gateway stays small). This checks it token for token against
//! `tiktoken-rs`, a port of OpenAI's own implementation, on real prompts and
//! on random text built from the characters pre-tokenizers split on.

use cost::tokenizer::Encoding;
use proptest::prelude::*;

const ENCODINGS: [Encoding; 2] = [Encoding::O200k, Encoding::Cl100k];

fn oracle(encoding: Encoding, text: &str) -> u64 {
    let bpe = match encoding {
        Encoding::O200k => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100k => tiktoken_rs::cl100k_base_singleton(),
    };
    bpe.encode_ordinary(text).len() as u64
}

/// Real text: GSM8K questions and answers (RouteLLM's fixture), this
/// repository's README (prose, tables, shell, TOML) and the gateway's code.
#[test]
fn real_text_counts_match_the_oracle() {
    let root = env!("CARGO_MANIFEST_DIR");
    for path in [
        "tests/fixtures/routellm/gsm8k.csv",
        "README.md",
        "src/gateway/translate/stream.rs",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{path}")).unwrap();
        for encoding in ENCODINGS {
            let (ours, theirs) = (encoding.count(&text), oracle(encoding, &text));
            assert_eq!(ours, theirs, "{path} in {}", encoding.name());
            assert!(ours > 1_000, "{path}: {ours} tokens");
        }
    }
}

/// Pieces where the two encodings' pre-tokenizers differ or are subtle:
/// contractions in both cases, digits in other scripts, every kind of
/// space and line break, combining marks, emoji sequences, CJK, and a
/// special token's text (counted as ordinary text).
const PIECES: &[&str] = &[
    "a",
    "Z",
    "é",
    "É",
    "ß",
    "ñ",
    "中",
    "文",
    "日本",
    "한",
    "Ж",
    "ж",
    "ا",
    "ग",
    "😀",
    "👍🏽",
    "\u{200d}",
    "1",
    "9",
    "０",
    "٣",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "\u{a0}",
    "\u{3000}",
    "'s",
    "'S",
    "'re",
    "'LL",
    "'t",
    "’s",
    ".",
    ",",
    "!",
    "?",
    "-",
    "_",
    "/",
    "\\",
    "(",
    "{",
    "}",
    "$",
    "%",
    "\"",
    "`",
    "…",
    "—",
    "\u{301}",
    "x̃",
    "<|endoftext|>",
    "the",
    "The",
    "THE",
    " word",
    " Word",
    "123456",
    "  x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_text_counts_match_the_oracle(
        picks in proptest::collection::vec(0..PIECES.len(), 0..48)
    ) {
        let text: String = picks.iter().map(|&i| PIECES[i]).collect();
        for encoding in ENCODINGS {
            prop_assert_eq!(encoding.count(&text), oracle(encoding, &text), "{:?}", text);
        }
    }
}
