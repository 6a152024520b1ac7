//! Interning for the outcome table's builder: query ids, model names and
//! per-query labels (a category, a routing group) become small integers
//! once, as rows stream in, through a fast hash.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::table::{Categories, Clash};

/// Query ids, model names and labels, interned once per row: hashed a word
/// at a time with a multiply and rotate (FxHash, rustc's hasher) and a
/// final mix, far cheaper per key than the default SipHash. The keys come
/// from the user's own file, so there is no adversary to resist.
pub(super) type Interned = HashMap<Box<str>, u32, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
pub(super) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ (rest.len() as u64) << 56);
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        // The multiply only carries low input bits upwards; ids that differ
        // in their last bytes ("q1", "q2") need the high bits folded down,
        // since the table indexes buckets by the low ones.
        let h = (self.0 ^ (self.0 >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^ (h >> 32)
    }
}

/// A text label per query (a category, a routing group), interned, that
/// must not change within a query.
#[derive(Debug, Default, Clone)]
pub(super) struct Labels {
    index: Interned,
    names: Vec<String>,
    of_query: Vec<u32>,
    /// The line that set each query's label; 0 while unset.
    line: Vec<u32>,
}

impl Labels {
    pub(super) fn push_query(&mut self) {
        self.of_query.push(u32::MAX);
        self.line.push(0);
    }

    pub(super) fn set(&mut self, q: u32, name: &str, line: u32) -> Result<(), Clash> {
        let q = q as usize;
        let c = if let Some(&c) = self.index.get(name) {
            c
        } else {
            let c = self.names.len() as u32;
            self.index.insert(name.into(), c);
            self.names.push(name.to_string());
            c
        };
        if self.line[q] == 0 {
            self.of_query[q] = c;
            self.line[q] = line;
            Ok(())
        } else if self.of_query[q] == c {
            Ok(())
        } else {
            Err(Clash::Inconsistent {
                first_line: self.line[q],
                first: self.names[self.of_query[q] as usize].clone(),
            })
        }
    }

    /// The labels of the kept queries.
    pub(super) fn keep(&self, complete: &[bool]) -> Categories {
        Categories {
            names: self.names.clone(),
            of_query: self
                .of_query
                .iter()
                .zip(complete)
                .filter(|(_, c)| **c)
                .map(|(x, _)| *x)
                .collect(),
        }
    }
}
