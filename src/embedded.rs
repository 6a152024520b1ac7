//! The price sheets and scenarios shipped in `pricing/` and `scenarios/`,
//! compiled into the binary (see `build.rs`). Each entry is (file name, text).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The catalog snapshot's bundles (`pricing/snapshot/`, made by
/// `cargo run --example catalog_snapshot`; see `pricing::snapshot`).
pub const SNAPSHOT_LITELLM: &[u8] = include_bytes!("../pricing/snapshot/litellm-1.110.2.sheets.gz");
pub const SNAPSHOT_GENAI_PRICES: &[u8] =
    include_bytes!("../pricing/snapshot/genai-prices-47df840.sheets.gz");
