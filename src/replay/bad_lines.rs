//! Bad lines (and bad timing fields) counted with `--skip-bad`: how many,
//! by field, and the first few, located. Worker threads each keep their own
//! and merge them at the end.

use std::collections::HashMap;

use super::record::BadLine;

/// Bad lines skipped with `--skip-bad`.
#[derive(Debug, Clone, Default)]
pub struct BadLines {
    pub count: u64,
    pub by_field: HashMap<String, u64>,
    /// The first few, by (file index, line).
    pub examples: Vec<(usize, BadLine)>,
}

pub const EXAMPLES: usize = 10;

impl BadLines {
    pub fn add(&mut self, file_index: usize, bad: BadLine) {
        self.count += 1;
        *self.by_field.entry(bad.field.clone()).or_default() += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push((file_index, bad));
        }
    }

    pub fn merge(&mut self, other: BadLines) {
        self.count += other.count;
        for (k, n) in other.by_field {
            *self.by_field.entry(k).or_default() += n;
        }
        self.examples.extend(other.examples);
        self.examples.sort_by_key(|(file, bad)| (*file, bad.line));
        self.examples.truncate(EXAMPLES);
    }
}
