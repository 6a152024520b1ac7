#!/usr/bin/env python3
"""The computations of `cost eval` on a long-format outcome table, written
with pandas and numpy as a data scientist would, to time `cost eval`
against (BENCHMARKS.md, "Eval"). Not part of the tool.

    python3 scripts/eval_pandas_baseline.py TABLE.csv [--fixed-costs M=USD ...]

TABLE.csv has the columns of `examples/gen_outcomes.rs`: query, model,
score, cost, p_strong, category. Without --fixed-costs each row's `cost` is
used (per-query costs); with it, every query of a model costs the given USD
(the `cost` column is still read, as `cost eval --cost-per-query` reads the
whole table). It computes what `cost eval TABLE --cost cost --router-score
p_strong` (or `--cost-per-query ...`) computes, with the same definitions:

- per model: mean quality, share passed (score >= 0.5), $/query, total $;
- the oracle (best score, the cheapest of equals) and its unsolved queries;
- the zero router (non-decreasing convex hull of the single models);
- on the pair (weak = cheapest, strong = best): random, RouteLLM's optimal
  (at most c strong calls), the threshold router on p_strong, and binormal
  synthetic-AUC routers at 0.6, 0.7, 0.8, 0.9; each with APGR, CPT(50%),
  CPT(80%), AIQ over its own hull and the saving against the best model on
  its own curve and mixed with the single models;
- a weak-then-strong cascade with a perfect verifier.

It prints the figures as JSON, so they can be checked against `cost eval
--format json`.
"""

import argparse
import json
from statistics import NormalDist

import numpy as np
import pandas as pd

PASS = 0.5
AUCS = [0.6, 0.7, 0.8, 0.9]


def ndch(cost, quality):
    """Vertices of the non-decreasing convex hull, cheapest first."""
    order = np.lexsort((-quality, cost))
    c, q = cost[order], quality[order]
    # Keep only points better than every cheaper one.
    rising = q > np.maximum.accumulate(np.concatenate(([-np.inf], q[:-1])))
    c, q = c[rising], q[rising]
    hull = []
    for x, y in zip(c.tolist(), q.tolist()):
        while len(hull) >= 2:
            (ax, ay), (bx, by) = hull[-2], hull[-1]
            if (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0:
                hull.pop()
            else:
                break
        hull.append((x, y))
    return np.array(hull)


def mean_over(hull, lo, hi):
    """AIQ: mean of the hull over [lo, hi], flat right of its last vertex."""
    if hull[0, 0] > lo + 1e-12 * abs(lo):
        return None
    xs = np.unique(np.concatenate(([lo, hi], hull[:, 0].clip(lo, hi))))
    ys = np.interp(xs, hull[:, 0], hull[:, 1])
    return float(np.trapezoid(ys, xs) / (hi - lo))


def cost_on_curve(cost, quality, target):
    """Cheapest cost on the curve (linear between points) reaching target."""
    eps = 1e-12 * max(1.0, abs(target))
    reached = quality >= target - eps
    best = cost[reached].min() if reached.any() else np.inf
    a_c, a_q, b_c, b_q = cost[:-1], quality[:-1], cost[1:], quality[1:]
    lo_c = np.where(a_q < b_q, a_c, b_c)
    lo_q = np.minimum(a_q, b_q)
    hi_c = np.where(a_q < b_q, b_c, a_c)
    hi_q = np.maximum(a_q, b_q)
    cross = (lo_q < target - eps) & (target < hi_q)
    if cross.any():
        t = (target - lo_q[cross]) / (hi_q[cross] - lo_q[cross])
        best = min(best, (lo_c[cross] + t * (hi_c[cross] - lo_c[cross])).min())
    return None if best == np.inf else float(best)


def pair_metrics(share, quality, qw, qs):
    pgr = (quality - qw) / (qs - qw)
    apgr = float(np.trapezoid(pgr, share))

    def cpt(x):
        hit = np.nonzero(pgr >= x)[0]
        if len(hit) == 0:
            return None
        i = hit[0]
        if i == 0:
            return float(share[0])
        t = (x - pgr[i - 1]) / (pgr[i] - pgr[i - 1])
        return float(share[i - 1] + t * (share[i] - share[i - 1]))

    return apgr, cpt(0.5), cpt(0.8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("table")
    ap.add_argument("--fixed-costs", action="append", default=[], metavar="M=USD")
    args = ap.parse_args()

    df = pd.read_csv(args.table)
    if args.fixed_costs:
        fixed = {k: float(v) for k, v in (a.split("=", 1) for a in args.fixed_costs)}
        df["cost"] = df["model"].map(fixed)
    scores = df.pivot(index="query", columns="model", values="score")
    costs = df.pivot(index="query", columns="model", values="cost")
    if scores.isna().any().any():
        raise SystemExit("a model has no outcome for some query")
    router = df.groupby("query", sort=True)["p_strong"].first().reindex(scores.index)
    models = list(scores.columns)
    S, C = scores.to_numpy(float), costs.to_numpy(float)
    n = len(S)

    quality, mean_cost = S.mean(axis=0), C.mean(axis=0)
    per_model = {
        m: {
            "quality": float(quality[i]),
            "passed": float((S[:, i] >= PASS).mean()),
            "cost_per_query_usd": float(mean_cost[i]),
            "total_cost_usd": float(C[:, i].sum()),
        }
        for i, m in enumerate(models)
    }
    # Oracle: best score, the cheapest of equals.
    best_score = S.max(axis=1, keepdims=True)
    pick = np.where(S == best_score, C, np.inf).argmin(axis=1)
    rows = np.arange(n)
    o_score, o_cost = S[rows, pick], C[rows, pick]
    oracle = {
        "quality": float(o_score.mean()),
        "cost_per_query_usd": float(o_cost.mean()),
        "unsolved_queries": int((o_score < PASS).sum()),
    }
    zero = ndch(mean_cost, quality)
    lo, hi = float(mean_cost.min()), float(mean_cost.max())
    best = int(np.lexsort((mean_cost, -quality))[0])
    weak = int(np.lexsort((-quality, mean_cost))[0])
    target, base_cost = float(quality[best]), float(mean_cost[best])
    sw, ss, cw, cs = S[:, weak], S[:, best], C[:, weak], C[:, best]
    qw, qs = float(quality[weak]), float(quality[best])
    singles = np.column_stack((mean_cost, quality))

    def measure(share, cost, qual):
        apgr, cpt50, cpt80 = pair_metrics(share, qual, qw, qs)
        own = ndch(cost, qual)
        mixed = ndch(np.concatenate((cost, singles[:, 0])), np.concatenate((qual, singles[:, 1])))
        own_c = cost_on_curve(cost, qual, target)
        mixed_c = cost_on_curve(mixed[:, 0], mixed[:, 1], target)
        saving = lambda c: None if c is None else 1.0 - c / base_cost
        return {
            "apgr": apgr, "cpt50": cpt50, "cpt80": cpt80,
            "aiq": mean_over(own, lo, hi),
            "savings_share": saving(own_c), "mixed_savings_share": saving(mixed_c),
        }

    def prefix_curve(order, ties_end):
        gain = np.concatenate(([0.0], np.cumsum(ss[order] - sw[order])))
        extra = np.concatenate(([0.0], np.cumsum(cs[order] - cw[order])))
        k = np.concatenate(([0], ties_end + 1))
        return k / n, (cw.sum() + extra[k]) / n, (sw.sum() + gain[k]) / n

    routers = {}
    routers["random"] = measure(np.array([0.0, 1.0]), np.array([cw.mean(), cs.mean()]), np.array([qw, qs]))
    # RouteLLM's optimal: only queries where strong gains, most first.
    g, x = ss - sw, cs - cw
    pos = np.nonzero(g > 0)[0]
    order = pos[np.lexsort((x[pos], -g[pos]))]
    share, cost, qual = prefix_curve(order, np.arange(len(order)))
    share, cost, qual = np.append(share, 1.0), np.append(cost, cost[-1]), np.append(qual, qual[-1])
    routers["optimal"] = measure(share, cost, qual)
    # Threshold router: highest p_strong first, ties together.
    r = router.to_numpy(float)
    order = np.argsort(-r, kind="stable")
    rs = r[order]
    ends = np.nonzero(np.append(rs[1:] != rs[:-1], True))[0]
    routers["threshold"] = measure(*prefix_curve(order, ends))
    # Synthetic binormal AUC routers over the queries where strong scores higher.
    positive = ss > sw
    h_pos, h_neg = positive.sum(), (~positive).sum()
    gp, gn = g[positive].sum(), g[~positive].sum()
    xp, xn = x[positive].sum(), x[~positive].sum()
    nd = NormalDist()
    fpr = (np.arange(401) / 400.0) ** 2
    for auc in AUCS:
        d = np.sqrt(2.0) * nd.inv_cdf(auc)
        tpr = np.array([0.0 if f <= 0 else 1.0 if f >= 1 else nd.cdf(d + nd.inv_cdf(f)) for f in fpr])
        share = (tpr * h_pos + fpr * h_neg) / n
        qual = qw + (tpr * gp + fpr * gn) / n
        cost = cw.mean() + (tpr * xp + fpr * xn) / n
        routers[f"synthetic AUC {auc}"] = measure(share, cost, qual)
    # Weak-then-strong cascade, perfect verifier.
    escalate = sw < PASS
    cascade = {
        "quality": float(np.where(escalate, ss, sw).mean()),
        "cost_per_query_usd": float((cw + np.where(escalate, cs, 0.0)).mean()),
        "strong_share": float(escalate.mean()),
    }
    print(json.dumps({
        "queries": n, "models": per_model, "oracle": oracle,
        "zero_router_aiq": mean_over(zero, lo, hi), "routers": routers, "cascade": cascade,
    }, indent=1))


if __name__ == "__main__":
    main()
