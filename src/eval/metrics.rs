//! Pure metrics over an outcome table (`docs/routing-math.md`):
//! per-model quality and cost, the oracle, and the measures of a router on
//! a weak/strong pair — PGR, APGR and CPT on the strong-call axis (RouteLLM,
//! Ong et al., arXiv 2406.18665, section 4). The dollar axis (AIQ, the cost
//! of matching the baseline) is `dollar`. No I/O.

use super::table::OutcomeTable;
use crate::engine::frontier::Point;
use crate::money::Usd;

/// One model over every query of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelStats {
    pub model: String,
    /// Mean normalised score.
    pub quality: f64,
    pub mean_cost: Usd,
    pub total_cost: Usd,
    /// Share of queries with a score at or above the pass mark.
    pub passed: f64,
}

impl ModelStats {
    pub fn point(&self) -> Point {
        Point {
            cost: self.mean_cost.value(),
            quality: self.quality,
        }
    }

    /// Quality per dollar: successful queries per USD (quality / cost per query).
    pub fn quality_per_usd(&self) -> Option<f64> {
        (self.mean_cost.value() > 0.0).then(|| self.quality / self.mean_cost.value())
    }
}

pub fn model_stats(t: &OutcomeTable, pass: f64) -> Vec<ModelStats> {
    let n = t.n_queries() as f64;
    t.models
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let total: f64 = t.costs[m].iter().sum();
            ModelStats {
                model: name.clone(),
                quality: t.scores[m].iter().sum::<f64>() / n,
                mean_cost: Usd(total / n),
                total_cost: Usd(total),
                passed: t.scores[m].iter().filter(|&&s| s >= pass).count() as f64 / n,
            }
        })
        .collect()
}

/// The per-query oracle: each query to the model with the best score, the
/// cheapest of equals (RouterBench's oracle, Hu et al., arXiv 2403.12031).
/// On pass/fail tables that is the cheapest model that gets the query
/// right, and a query no model gets right goes to the cheapest model (all
/// score 0). On graded scores a query no model passes (normalised score
/// below `pass`) still goes to its best-scoring model, not the cheapest:
/// `pass` only counts such queries and what they cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Oracle {
    pub quality: f64,
    pub mean_cost: Usd,
    /// Queries sent to each model, in table order.
    pub mix: Vec<usize>,
    /// Queries on which no model reaches the pass mark.
    pub unsolved: usize,
    /// What the unsolved queries cost, in total.
    pub unsolved_cost: Usd,
    /// Queries the oracle sends to each model, as a per-query index.
    pub choice: Vec<u32>,
}

pub fn oracle(t: &OutcomeTable, pass: f64) -> Oracle {
    let n = t.n_queries();
    let mut mix = vec![0usize; t.models.len()];
    let (mut quality, mut cost, mut unsolved, mut unsolved_cost) = (0.0, 0.0, 0, 0.0);
    let mut choice = Vec::with_capacity(n);
    for q in 0..n {
        let mut best = 0;
        for m in 1..t.models.len() {
            let (s, c) = (t.scores[m][q], t.costs[m][q]);
            let (bs, bc) = (t.scores[best][q], t.costs[best][q]);
            if s > bs || (s == bs && c < bc) {
                best = m;
            }
        }
        mix[best] += 1;
        quality += t.scores[best][q];
        cost += t.costs[best][q];
        if t.scores[best][q] < pass {
            unsolved += 1;
            unsolved_cost += t.costs[best][q];
        }
        choice.push(best as u32);
    }
    Oracle {
        quality: quality / n as f64,
        mean_cost: Usd(cost / n as f64),
        mix,
        unsolved,
        unsolved_cost: Usd(unsolved_cost),
        choice,
    }
}

/// A point of a two-model router: the share of queries sent to the strong
/// model, and the mean cost (USD per query) and quality that share gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub strong_share: f64,
    pub cost: f64,
    pub quality: f64,
}

/// Performance gap recovered: (q - q_weak) / (q_strong - q_weak); `None`
/// when the two models score the same.
pub fn pgr(quality: f64, weak: f64, strong: f64) -> Option<f64> {
    let gap = strong - weak;
    (gap.abs() > 1e-12).then(|| (quality - weak) / gap)
}

/// APGR: the area under PGR as a function of the strong-call share, by
/// trapezoids over the curve's points (sorted by share, from 0 to 1).
pub fn apgr(curve: &[CurvePoint], weak: f64, strong: f64) -> Option<f64> {
    let mut area = 0.0;
    for w in curve.windows(2) {
        let (a, b) = (
            pgr(w[0].quality, weak, strong)?,
            pgr(w[1].quality, weak, strong)?,
        );
        area += (w[1].strong_share - w[0].strong_share) * (a + b) / 2.0;
    }
    Some(area)
}

/// CPT(x): the smallest strong-call share at which PGR reaches `x`, by
/// linear interpolation where the curve first crosses it.
pub fn cpt(curve: &[CurvePoint], weak: f64, strong: f64, x: f64) -> Option<f64> {
    let first = curve.first()?;
    let mut prev = (first.strong_share, pgr(first.quality, weak, strong)?);
    if prev.1 >= x {
        return Some(prev.0);
    }
    for p in &curve[1..] {
        let here = (p.strong_share, pgr(p.quality, weak, strong)?);
        if here.1 >= x {
            let t = (x - prev.1) / (here.1 - prev.1);
            return Some(prev.0 + t * (here.0 - prev.0));
        }
        prev = here;
    }
    None
}

/// One category's mean quality and cost for one model, or for the oracle.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    pub category: String,
    /// A table model, or `oracle`.
    pub model: String,
    pub queries: usize,
    pub quality: f64,
    pub mean_cost: Usd,
}

/// Per category (by name), every model's and the oracle's mean quality and
/// cost over that category's queries; empty without a category column.
pub fn by_category(t: &OutcomeTable, oracle: &Oracle) -> Vec<CategoryRow> {
    let Some(cats) = &t.categories else {
        return Vec::new();
    };
    let mut order: Vec<usize> = (0..cats.names.len()).collect();
    order.sort_by(|&a, &b| cats.names[a].cmp(&cats.names[b]));
    let mut rows = Vec::new();
    for c in order {
        let queries: Vec<usize> = (0..t.n_queries())
            .filter(|&q| cats.of_query[q] as usize == c)
            .collect();
        if queries.is_empty() {
            continue;
        }
        let k = queries.len() as f64;
        let mut row = |model: String, pick: &dyn Fn(usize) -> usize| {
            rows.push(CategoryRow {
                category: cats.names[c].clone(),
                model,
                queries: queries.len(),
                quality: queries.iter().map(|&q| t.scores[pick(q)][q]).sum::<f64>() / k,
                mean_cost: Usd(queries.iter().map(|&q| t.costs[pick(q)][q]).sum::<f64>() / k),
            });
        };
        for m in 0..t.models.len() {
            row(t.models[m].clone(), &|_| m);
        }
        row("oracle".into(), &|q| oracle.choice[q] as usize);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(scores: Vec<Vec<f64>>, costs: Vec<Vec<f64>>) -> OutcomeTable {
        let n = scores[0].len();
        OutcomeTable {
            models: (0..scores.len()).map(|m| format!("m{m}")).collect(),
            queries: (0..n).map(|q| format!("q{q}")).collect(),
            scores,
            costs,
            router: None,
            categories: None,
        }
    }

    #[test]
    fn categories_average_their_own_queries_and_the_oracle_picks_per_query() {
        let mut t = table(
            vec![vec![1.0, 0.0, 0.0], vec![1.0, 1.0, 0.0]],
            vec![vec![0.1, 0.1, 0.1], vec![1.0, 1.0, 1.0]],
        );
        t.categories = Some(crate::eval::table::Categories {
            names: vec!["hard".into(), "easy".into()],
            of_query: vec![1, 0, 0],
        });
        let rows = by_category(&t, &oracle(&t, 0.5));
        let names: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.category.as_str(), r.model.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("easy", "m0"),
                ("easy", "m1"),
                ("easy", "oracle"),
                ("hard", "m0"),
                ("hard", "m1"),
                ("hard", "oracle")
            ]
        );
        // hard = q1, q2: m1 solves q1 only; the oracle sends q1 to m1 and q2 (unsolved) to m0.
        let hard_oracle = &rows[5];
        assert_eq!(hard_oracle.queries, 2);
        assert!((hard_oracle.quality - 0.5).abs() < 1e-12);
        assert!((hard_oracle.mean_cost.value() - 0.55).abs() < 1e-12);
    }

    #[test]
    fn oracle_takes_the_cheapest_correct_model_and_charges_unsolved_at_the_cheapest() {
        // q0: both right -> cheap; q1: only strong -> strong; q2: neither -> cheap.
        let t = table(
            vec![vec![1.0, 0.0, 0.0], vec![1.0, 1.0, 0.0]],
            vec![vec![0.1, 0.1, 0.1], vec![1.0, 1.0, 1.0]],
        );
        let o = oracle(&t, 0.5);
        assert_eq!(o.mix, vec![2, 1]);
        assert!((o.quality - 2.0 / 3.0).abs() < 1e-12);
        assert!((o.mean_cost.value() - 1.2 / 3.0).abs() < 1e-12);
        assert_eq!(o.unsolved, 1);
        assert!((o.unsolved_cost.value() - 0.1).abs() < 1e-12);
    }

    #[test]
    fn on_graded_scores_an_unsolved_query_goes_to_its_best_scoring_model() {
        // q0: cheap 0.2, dear 0.4 (both below pass 0.5) -> dear, $1;
        // q1: cheap 0.9, dear 0.9 -> cheap (the cheaper of equals), $0.1.
        let t = table(
            vec![vec![0.2, 0.9], vec![0.4, 0.9]],
            vec![vec![0.1; 2], vec![1.0; 2]],
        );
        let o = oracle(&t, 0.5);
        assert_eq!(o.mix, vec![1, 1]);
        assert_eq!(o.choice, vec![1, 0]);
        assert!((o.quality - 0.65).abs() < 1e-12);
        assert_eq!(o.unsolved, 1);
        assert!((o.unsolved_cost.value() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn model_stats_are_means_and_totals() {
        let t = table(vec![vec![1.0, 0.0]], vec![vec![0.2, 0.4]]);
        let s = &model_stats(&t, 0.5)[0];
        assert_eq!(s.quality, 0.5);
        assert!((s.mean_cost.value() - 0.3).abs() < 1e-12);
        assert!((s.total_cost.value() - 0.6).abs() < 1e-12);
        assert!((s.quality_per_usd().unwrap() - 0.5 / 0.3).abs() < 1e-9);
    }

    #[test]
    fn cpt_interpolates_where_pgr_first_crosses() {
        let p = |s, q| CurvePoint {
            strong_share: s,
            cost: 0.0,
            quality: q,
        };
        // weak 0.6, strong 0.8: PGR 0, 0.25, 0.75, 1 at shares 0, 0.2, 0.4, 1.
        let curve = [p(0.0, 0.6), p(0.2, 0.65), p(0.4, 0.75), p(1.0, 0.8)];
        let cpt50 = cpt(&curve, 0.6, 0.8, 0.5).unwrap();
        assert!((cpt50 - 0.3).abs() < 1e-12, "{cpt50}");
        assert_eq!(cpt(&curve, 0.6, 0.8, 0.0), Some(0.0));
        assert_eq!(cpt(&curve, 0.6, 0.8, 1.5), None);
        assert_eq!(pgr(0.7, 0.7, 0.7), None);
    }
}
