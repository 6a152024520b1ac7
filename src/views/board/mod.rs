//! The board report's content model: what `cost report` says, in order,
//! as plain data built from the same engine results and views the other
//! commands show (`build`). The HTML renderer (`crate::html`) only lays it
//! out; nothing here knows about markup.

mod actual;
mod answer;
mod build;
mod charts;
mod provenance;

pub use actual::{observe, Observed, ScaleError};
pub use build::{build, Inputs};
pub use charts::{Band, Bands, Bar, Bridge, Step, Tornado};

use crate::plot::Chart;
use crate::report::Table;

/// The whole report: a title, the answer first, then the sections.
#[derive(Debug, Clone)]
pub struct Board {
    pub title: String,
    /// The one-paragraph answer, as sentences.
    pub answer: Vec<String>,
    /// Short facts under the title (scenario, price date, volume).
    pub facts: Vec<(String, String)>,
    pub sections: Vec<Section>,
}

/// A section under its own heading.
#[derive(Debug, Clone)]
pub struct Section {
    /// The fragment id (`#plans`).
    pub id: &'static str,
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Text(String),
    /// A table with its caption.
    Table {
        caption: String,
        table: Table,
    },
    Figure(Figure),
    /// A list of notes.
    Notes(Vec<String>),
}

/// A chart with what a reader without the picture needs: a title, a
/// description, and the figures it draws as a text alternative.
#[derive(Debug, Clone)]
pub struct Figure {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub chart: ChartKind,
}

#[derive(Debug, Clone)]
pub enum ChartKind {
    /// An x-y chart drawn by `plot` (the frontier).
    Xy(Chart),
    Tornado(Tornado),
    Bands(Bands),
    /// The variance bridge of plan vs actual.
    Bridge(Bridge),
}
