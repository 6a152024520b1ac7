//! Load errors that one of the caller's options fixes: the loader names
//! the remedy, the caller words its hint (a command line names its flags),
//! so no message in `eval` names a flag.

/// An option of the caller's that fixes a load error, for its hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Evaluate only the queries every model answered.
    AllowMissing,
    /// Allowing missing outcomes left no query.
    NothingComplete,
    /// What a score cell may hold.
    ScoreForm,
    /// Declare the score range, or filter rows out.
    ScoreRange,
    /// Add a column to the query id.
    QueryIds,
}

/// Words the hint of a `Remedy` (a command line names its flags).
pub type Explain = fn(Remedy) -> String;

/// Hints that name no option, for callers without flags.
pub fn plain(remedy: Remedy) -> String {
    match remedy {
        Remedy::AllowMissing => "every model needs an outcome for every query; add the rows, or allow missing outcomes to evaluate only the queries every model answered",
        Remedy::NothingComplete => "allowing missing outcomes keeps only complete queries, and none is",
        Remedy::ScoreForm => "scores are numbers on the score range, or true/false for a correct flag",
        Remedy::ScoreRange => "declare the score range (MT-Bench judge scores are 1..10), or filter such rows out",
        Remedy::QueryIds => "each (query, model) pair appears once; average repeated runs first, or add the run to the query id columns",
    }
    .to_string()
}
