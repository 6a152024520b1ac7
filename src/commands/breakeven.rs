//! `cost breakeven SCENARIO --deploy MODEL@ID`: build vs buy.

use anyhow::Context as _;

use super::{side_file, svg};
use crate::cli::BreakevenVary;
use crate::engine::evaluate;
use crate::selfhost::analysis::{at, price_on};
use crate::selfhost::montecarlo::p_cheaper;
use crate::selfhost::{analyse, ApiPlan, Basis};
use crate::settings::BreakevenSettings;
use crate::views::breakeven::{chart, report, Extras};

/// Volumes the chart draws when no `--vary volume` is given.
const CHART_POINTS: usize = 200;

pub fn run(st: &BreakevenSettings) -> anyhow::Result<()> {
    let inputs = &st.inputs;
    let (s, ctx, w, policy) = (&inputs.scenario, inputs.context(), &st.workload, &st.policy);
    let d = st
        .data
        .deployment_named(&st.deploy)
        .context("the deployment was checked")?;
    let plans = s
        .plans
        .iter()
        .map(|p| {
            Ok(ApiPlan {
                name: p.name.clone(),
                per_request: evaluate(s, p, &ctx)?.per_request,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let a = analyse(d, st.basis, w, policy, &plans)
        .with_context(|| format!("--deploy {}", st.deploy))?;
    let api: Vec<f64> = plans.iter().map(|p| p.per_request.value()).collect();
    let volume_dist = s.variation.volume.as_ref();
    let p = p_cheaper(
        d,
        st.basis,
        a.chosen.row,
        w,
        policy,
        &api,
        st.draws.with_volume(volume_dist),
    );
    let volumes: Vec<f64> = if let Some(BreakevenVary::Volume(v)) = &st.vary {
        v.clone()
    } else {
        let flips = a
            .versus
            .iter()
            .filter_map(|v| v.breakeven)
            .map(|b| b.requests_per_day);
        let top = flips.fold(2.0 * w.requests_per_day, f64::max) * 1.25;
        (0..=CHART_POINTS)
            .map(|i| top * i as f64 / CHART_POINTS as f64)
            .collect()
    };
    let curve: Vec<_> = volumes
        .iter()
        .map(|v| {
            at(
                d,
                a.price,
                a.chosen.clone(),
                &w.with_volume(*v),
                policy,
                &plans,
            )
        })
        .collect();
    let bases = if matches!(st.vary, Some(BreakevenVary::Basis)) {
        let priced = Basis::ALL.into_iter().filter_map(|b| price_on(d, b).ok());
        priced
            .map(|price| at(d, price, a.chosen.clone(), w, policy, &plans))
            .collect()
    } else {
        vec![]
    };
    let plot = side_file(st.plot.as_deref(), || svg(&chart(s, &d.id, &curve)))?;
    let extras = Extras {
        p_cheaper: p,
        trials: st.draws.trials,
        volume: if matches!(st.vary, Some(BreakevenVary::Volume(_))) {
            curve
        } else {
            vec![]
        },
        bases,
        peak_source: &st.peak_source,
        price_date: inputs.date.to_string(),
    };
    inputs
        .printer
        .emit_with(&report(s, &a, &extras), plot.as_ref())
}
