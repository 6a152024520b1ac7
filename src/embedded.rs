//! The price sheets and scenarios shipped in `pricing/` and `scenarios/`,
//! compiled into the binary (see `build.rs`). Each entry is (file name, text).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
