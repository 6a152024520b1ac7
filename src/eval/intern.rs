//! Interning for the outcome table's builder: query ids, model names and
//! per-query labels (a category, a routing group) become small integers
//! once, as rows stream in, through a fast hash. Query ids, one per query
//! (millions of them), are kept end to end in one string and found again
//! through a table of their positions, so interning one allocates nothing.

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

/// Hashes `bytes` as `Interned` does.
fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// Query ids in the order they were first seen, end to end in one string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
}

impl Ids {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Id `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// The ids whose `keep` flag is set, in order.
    pub fn keep(&self, keep: &[bool]) -> Ids {
        self.iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(id, _)| id)
            .collect()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Ids {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Ids {
        let mut ids = Ids::default();
        for id in iter {
            ids.push(id.as_ref());
        }
        ids
    }
}

/// Query ids interned: `Ids` and an open-addressing table (linear probing,
/// at most 5/8 full) of their indices. A slot holds the top 32 bits of the
/// id's hash and its index + 1 (0 is an empty slot), so growing the table
/// never reads an id again. Rows of one query usually come together, so
/// the last id interned is checked before hashing.
#[derive(Debug, Clone, Default)]
pub(super) struct Interner {
    pub(super) ids: Ids,
    slots: Vec<u64>,
    last: Option<u32>,
}

impl Interner {
    /// The index of `id` and whether it is new (then it is added).
    pub(super) fn intern(&mut self, id: &str) -> (u32, bool) {
        if let Some(last) = self.last {
            if self.ids.get(last as usize) == id {
                return (last, false);
            }
        }
        if (self.ids.len() + 1) * 8 > self.slots.len() * 5 {
            self.grow();
        }
        let tag = hash(id.as_bytes()) >> 32;
        let mask = self.slots.len() - 1;
        let mut at = tag as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                let q = self.ids.len() as u32;
                self.ids.push(id);
                self.slots[at] = (tag << 32) | u64::from(q + 1);
                self.last = Some(q);
                return (q, true);
            }
            if slot >> 32 == tag {
                let q = (slot as u32) - 1;
                if self.ids.get(q as usize) == id {
                    self.last = Some(q);
                    return (q, false);
                }
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mut slots = vec![0u64; size];
        let mask = size - 1;
        for &slot in self.slots.iter().filter(|&&s| s != 0) {
            let mut at = (slot >> 32) as usize & mask;
            while slots[at] != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = slot;
        }
        self.slots = slots;
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
        // The query's later rows: compared without hashing.
        if self.line[q] != 0 && self.names[self.of_query[q] as usize] == name {
            return Ok(());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_gets_one_index_however_often_and_wherever_it_comes_back() {
        let mut interner = Interner::default();
        // Enough ids to grow the table several times; ids that are
        // prefixes of others, and the empty id.
        let ids: Vec<String> = (0..5000).map(|i| format!("q{i}")).collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(interner.intern(id), (i as u32, true));
            assert_eq!(interner.intern(id), (i as u32, false), "again at once");
        }
        for (i, id) in ids.iter().enumerate().rev() {
            assert_eq!(interner.intern(id), (i as u32, false), "{id} later");
        }
        assert_eq!(interner.intern(""), (5000, true));
        assert_eq!(interner.intern("q1"), (1, false));
        assert_eq!(interner.ids.len(), 5001);
        assert_eq!(interner.ids.get(12), "q12");
        assert_eq!(interner.ids.get(5000), "");
        let kept = interner.ids.keep(&[false, true, true]);
        assert_eq!(kept.iter().collect::<Vec<_>>(), ["q1", "q2"]);
    }
}
