//! Routing units. A table may record one row per turn of a multi-turn
//! item, while a router decides once per item: RouteLLM routes MT-Bench per
//! question, both turns to the same model, and scores it by the mean over
//! the turns (`MTBench.evaluate` in `routellm/evals/benchmarks.py`).
//! Grouping turns the table into one of items: an item's score on a model
//! is the mean of its rows' scores, its cost their sum, its router score
//! their mean, its category that of its first row.

use super::table::{Categories, OutcomeTable};

/// The table with one query per group (in order of first appearance).
pub fn by_group(t: &OutcomeTable, groups: &Categories) -> OutcomeTable {
    let g = groups.names.len();
    let mut rows = vec![0usize; g];
    let mut first = vec![usize::MAX; g];
    for (q, &k) in groups.of_query.iter().enumerate() {
        let k = k as usize;
        rows[k] += 1;
        first[k] = first[k].min(q);
    }
    // Groups left without queries (every row dropped) disappear.
    let mut order: Vec<usize> = (0..g).filter(|&k| rows[k] > 0).collect();
    order.sort_by_key(|&k| first[k]);
    let mut slot = vec![usize::MAX; g];
    for (i, &k) in order.iter().enumerate() {
        slot[k] = i;
    }
    let of = |q: usize| slot[groups.of_query[q] as usize];
    let sums = |v: &[f64]| {
        let mut out = vec![0.0; order.len()];
        for (q, x) in v.iter().enumerate() {
            out[of(q)] += x;
        }
        out
    };
    let means = |v: &[f64]| {
        let mut out = sums(v);
        for (i, x) in out.iter_mut().enumerate() {
            *x /= rows[order[i]] as f64;
        }
        out
    };
    OutcomeTable {
        models: t.models.clone(),
        queries: order.iter().map(|&k| groups.names[k].as_str()).collect(),
        scores: t.scores.iter().map(|s| means(s)).collect(),
        costs: t.costs.iter().map(|c| sums(c)).collect(),
        router: t.router.as_deref().map(means),
        categories: t.categories.as_ref().map(|c| Categories {
            names: c.names.clone(),
            of_query: order.iter().map(|&k| c.of_query[first[k]]).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_scores_the_mean_of_its_turns_and_costs_their_sum() {
        // Two questions × two turns; question b's rows come first.
        let t = OutcomeTable {
            models: vec!["m".into()],
            queries: ["b/1", "a/1", "b/2", "a/2"].into_iter().collect(),
            scores: vec![vec![0.2, 1.0, 0.4, 0.5]],
            costs: vec![vec![0.1, 0.2, 0.3, 0.4]],
            router: Some(vec![0.0, 1.0, 1.0, 0.0]),
            categories: None,
        };
        let groups = Categories {
            names: vec!["b".into(), "a".into()],
            of_query: vec![0, 1, 0, 1],
        };
        let items = by_group(&t, &groups);
        assert_eq!(items.queries.iter().collect::<Vec<_>>(), ["b", "a"]);
        assert!((items.scores[0][0] - 0.3).abs() < 1e-12);
        assert!((items.scores[0][1] - 0.75).abs() < 1e-12);
        assert!((items.costs[0][0] - 0.4).abs() < 1e-12);
        assert!((items.costs[0][1] - 0.6).abs() < 1e-12);
        assert_eq!(items.router, Some(vec![0.5, 0.5]));
    }
}
