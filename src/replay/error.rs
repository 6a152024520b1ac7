//! Why a replay stopped: a file that cannot be read, a shape that cannot be
//! told, or a bad line when bad lines are not to be skipped. The settings
//! layer adds the flags that fix each.

use std::io;

use super::detect::LogShape;
use super::record::BadLine;

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: io::Error,
    },
    /// The caller says how to name the shape.
    #[error("{file}: cannot tell the shape of this log: {why}")]
    UnknownShape {
        file: String,
        why: super::detect::Undetected,
    },
    #[error("{file}: the {shape} shape is JSON lines, but this file is CSV")]
    NotJson { file: String, shape: LogShape },
    /// A bad line stopped the run (bad lines were not to be skipped).
    #[error("{0}")]
    Bad(BadLine),
    /// The columns do not fit the mapping; `missing` is the key no column
    /// was found for.
    #[error("{bad}")]
    Columns {
        bad: BadLine,
        missing: Option<&'static str>,
    },
}
