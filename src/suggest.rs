//! "Did you mean ...?": the names nearest to a mistyped one, for every
//! lookup that fails (model ids, scenario and plan names, columns,
//! providers). One similarity measure and one threshold everywhere, and a
//! bound on the work: a name longer than any real one is not compared.

/// Names longer than this are not compared (no id is this long; a
/// megabyte of text must not cost seconds of string distance).
const MAX_LEN: usize = 256;

/// Similarity (Jaro-Winkler, case-insensitive) a candidate must reach.
const THRESHOLD: f64 = 0.8;

/// Up to `n` candidates nearest to `name`, best first, each once; ties
/// keep the candidates' order.
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    if name.len() > MAX_LEN {
        return Vec::new();
    }
    let needle = name.to_lowercase();
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .into_iter()
        .filter(|c| c.len() <= MAX_LEN)
        .enumerate()
        .map(|(i, c)| (strsim::jaro_winkler(&needle, &c.to_lowercase()), i, c))
        .filter(|(score, _, _)| *score >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<&str> = Vec::new();
    for (_, _, c) in scored {
        if !out.contains(&c) {
            out.push(c);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// `did you mean `a` or `b`? ` (with a trailing space), or nothing.
pub fn did_you_mean(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("did you mean `{one}`? "),
        [init @ .., last] => format!(
            "did you mean {} or `{last}`? ",
            init.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_found_best_first() {
        let names = ["support-bot", "default", "rag", "coding-agent"];
        assert_eq!(closest("suport-bot", names, 3), vec!["support-bot"]);
        assert_eq!(closest("DEFAULT", names, 3), vec!["default"]);
        assert!(closest("zzzz", names, 3).is_empty());
    }

    #[test]
    fn huge_names_are_not_compared() {
        let long = "a".repeat(10_000_000);
        assert!(closest(&long, ["a", "aa"], 3).is_empty());
    }

    #[test]
    fn hints_read_as_a_sentence() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(did_you_mean(&["a"]), "did you mean `a`? ");
        assert_eq!(
            did_you_mean(&["a", "b", "c"]),
            "did you mean `a`, `b` or `c`? "
        );
    }
}
