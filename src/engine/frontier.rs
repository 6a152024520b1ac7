//! The cost-quality frontier (RouterBench, Hu et al., arXiv 2403.12031; see
//! `docs/routing-math.md`): the non-decreasing convex hull (NDCH)
//! of (cost, quality) points. Any point on a hull segment is reachable by
//! randomly mixing its two endpoints, so a plan below the hull is beaten by
//! a mix of other plans at the same cost. The hull of single models alone is
//! the "zero router": a router is only worth something above it.

/// A plan (or model) as a point: cost per request in USD, quality in 0..1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub cost: f64,
    pub quality: f64,
}

/// Indices of the points on the non-decreasing convex hull, cheapest first.
/// Sort by cost; drop points no better than a cheaper one; keep the upper
/// convex hull (Andrew's monotone chain). Exact duplicates keep the first.
pub fn hull(points: &[Point]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].cost.is_finite() && points[i].quality.is_finite())
        .collect();
    order.sort_by(|&a, &b| {
        points[a]
            .cost
            .total_cmp(&points[b].cost)
            .then(points[b].quality.total_cmp(&points[a].quality))
            .then(a.cmp(&b))
    });
    let mut rising: Vec<usize> = Vec::new();
    for i in order {
        if rising
            .last()
            .is_none_or(|&last| points[i].quality > points[last].quality)
        {
            rising.push(i);
        }
    }
    let mut upper: Vec<usize> = Vec::new();
    for i in rising {
        while upper.len() >= 2 {
            let (a, b) = (
                points[upper[upper.len() - 2]],
                points[upper[upper.len() - 1]],
            );
            let c = points[i];
            // Drop b if it lies on or below the segment a-c.
            let cross = (b.cost - a.cost) * (c.quality - a.quality)
                - (b.quality - a.quality) * (c.cost - a.cost);
            if cross >= 0.0 {
                upper.pop();
            } else {
                break;
            }
        }
        upper.push(i);
    }
    upper
}

/// The hull's quality at `cost`: linear between vertices, flat to the right
/// of the dearest, `None` left of the cheapest.
pub fn quality_at(points: &[Point], hull: &[usize], cost: f64) -> Option<f64> {
    let first = points[*hull.first()?];
    if cost < first.cost {
        return None;
    }
    for pair in hull.windows(2) {
        let (a, b) = (points[pair[0]], points[pair[1]]);
        if cost <= b.cost {
            let t = if b.cost > a.cost {
                (cost - a.cost) / (b.cost - a.cost)
            } else {
                1.0
            };
            return Some(a.quality + t * (b.quality - a.quality));
        }
    }
    hull.last().map(|&i| points[i].quality)
}

/// The cheapest cost at which the hull reaches `quality`, if it ever does.
pub fn cost_for(points: &[Point], hull: &[usize], quality: f64) -> Option<f64> {
    let first = points[*hull.first()?];
    if quality <= first.quality {
        return Some(first.cost);
    }
    for pair in hull.windows(2) {
        let (a, b) = (points[pair[0]], points[pair[1]]);
        if quality <= b.quality {
            let t = (quality - a.quality) / (b.quality - a.quality);
            return Some(a.cost + t * (b.cost - a.cost));
        }
    }
    None
}

/// A point that dominates point `i`: no dearer, no worse, better in one.
/// Ties go to the cheapest, then the best.
pub fn dominator(points: &[Point], i: usize) -> Option<usize> {
    let p = points[i];
    (0..points.len())
        .filter(|&j| j != i)
        .filter(|&j| {
            let q = points[j];
            q.cost <= p.cost && q.quality >= p.quality && (q.cost < p.cost || q.quality > p.quality)
        })
        .min_by(|&a, &b| {
            points[a]
                .cost
                .total_cmp(&points[b].cost)
                .then(points[b].quality.total_cmp(&points[a].quality))
        })
}

/// AIQ (RouterBench): the mean of the hull's quality over [c_min, c_max],
/// by exact integration of the piecewise-linear hull. `None` if the hull
/// does not cover c_min or the range is empty.
pub fn aiq(points: &[Point], hull: &[usize], c_min: f64, c_max: f64) -> Option<f64> {
    if c_max.partial_cmp(&c_min) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let mut knots: Vec<f64> = vec![c_min, c_max];
    knots.extend(
        hull.iter()
            .map(|&i| points[i].cost)
            .filter(|c| *c > c_min && *c < c_max),
    );
    knots.sort_by(f64::total_cmp);
    let mut area = 0.0;
    for w in knots.windows(2) {
        let (a, b) = (
            quality_at(points, hull, w[0])?,
            quality_at(points, hull, w[1])?,
        );
        area += (w[1] - w[0]) * (a + b) / 2.0;
    }
    Some(area / (c_max - c_min))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cost: f64, quality: f64) -> Point {
        Point { cost, quality }
    }

    #[test]
    fn a_dominated_model_falls_off_the_hull() {
        let pts = [p(1.0, 0.5), p(2.0, 0.4), p(3.0, 0.9)];
        assert_eq!(hull(&pts), vec![0, 2]);
        assert_eq!(dominator(&pts, 1), Some(0));
        assert_eq!(dominator(&pts, 2), None);
    }

    #[test]
    fn a_point_below_the_chord_of_its_neighbours_is_not_on_the_hull() {
        // (2, 0.6) lies below the segment from (1, 0.5) to (3, 0.9) at 0.7.
        let pts = [p(1.0, 0.5), p(2.0, 0.6), p(3.0, 0.9)];
        assert_eq!(hull(&pts), vec![0, 2]);
        assert_eq!(
            dominator(&pts, 1),
            None,
            "not dominated, only beaten by a mix"
        );
        assert!((quality_at(&pts, &[0, 2], 2.0).unwrap() - 0.7).abs() < 1e-12);
    }

    #[test]
    fn the_hull_extends_flat_to_the_right_and_not_to_the_left() {
        let pts = [p(1.0, 0.5), p(3.0, 0.9)];
        let h = hull(&pts);
        assert_eq!(quality_at(&pts, &h, 10.0), Some(0.9));
        assert_eq!(quality_at(&pts, &h, 0.5), None);
        assert!((cost_for(&pts, &h, 0.7).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(cost_for(&pts, &h, 0.95), None);
    }

    #[test]
    fn aiq_integrates_the_hull() {
        let pts = [p(0.0, 0.0), p(1.0, 1.0)];
        let h = hull(&pts);
        assert!((aiq(&pts, &h, 0.0, 1.0).unwrap() - 0.5).abs() < 1e-12);
        assert!((aiq(&pts, &h, 0.0, 2.0).unwrap() - 0.75).abs() < 1e-12);
    }
}
