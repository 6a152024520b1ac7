use super::Cost;

/// All a CSV sweep of `routing-example` says on stderr.
const SWEEP_NOTE: &str =
    "note: savings are against the baseline plan `all-strong` at the same parameter value\n";

#[test]
fn sweep_writes_tidy_long_csv_with_a_row_per_value_and_plan() {
    let out = Cost::new()
        .args([
            "sweep",
            "routing-example",
            "--vary",
            "share:easy=0.5..0.9:0.1",
            "--format",
            "csv",
            "--at",
            "2026-11-28",
        ])
        .stderr(SWEEP_NOTE)
        .run()
        .stdout;
    let mut lines = out.lines();
    assert_eq!(lines.next().unwrap(), "param,value,plan,cost_per_request_usd,cost_per_day_usd,cost_per_month_usd,savings_share,quality,escalated,ttft_s,e2e_s");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5 * 7, "5 values x 7 plans");
    // all-weak costs the same at every share; the perfect router gets cheaper as easy grows.
    let router: Vec<f64> = rows
        .iter()
        .filter(|r| r.contains(",perfect-router,"))
        .map(|r| r.split(',').nth(3).unwrap().parse().unwrap())
        .collect();
    assert!(router.windows(2).all(|w| w[1] < w[0]), "{router:?}");
    let at_08 = rows
        .iter()
        .find(|r| r.starts_with("share:easy,0.8") && r.contains(",perfect-router,"))
        .unwrap();
    assert!(
        at_08.contains(",0.001054,")
            || at_08
                .split(',')
                .nth(3)
                .unwrap()
                .parse::<f64>()
                .unwrap()
                .sub_abs(0.001_054)
                < 1e-12,
        "{at_08}"
    );
}

trait SubAbs {
    fn sub_abs(self, other: f64) -> f64;
}
impl SubAbs for f64 {
    fn sub_abs(self, other: f64) -> f64 {
        (self - other).abs()
    }
}

#[test]
fn a_price_multiplier_scales_a_single_model_plan_linearly() {
    let out = Cost::new()
        .args([
            "sweep",
            "routing-example",
            "--vary",
            "price:gpt-4o=1..2:1",
            "--format",
            "csv",
            "--at",
            "2026-11-28",
        ])
        .stderr(SWEEP_NOTE)
        .run()
        .stdout;
    let strong: Vec<f64> = out
        .lines()
        .filter(|r| r.contains(",all-strong,"))
        .map(|r| r.split(',').nth(3).unwrap().parse().unwrap())
        .collect();
    assert_eq!(strong.len(), 2);
    assert!((strong[1] - 2.0 * strong[0]).abs() < 1e-12);
}

#[test]
fn auc_sweep_moves_only_auc_classifiers() {
    let out = Cost::new()
        .args([
            "sweep",
            "routing-example",
            "--vary",
            "auc=0.5..1:0.25",
            "--format",
            "csv",
        ])
        .stderr(SWEEP_NOTE)
        .run()
        .stdout;
    let tpr_plan: Vec<&str> = out
        .lines()
        .filter(|r| r.contains(",classifier-tpr,"))
        .map(|r| r.split(',').nth(3).unwrap())
        .collect();
    assert!(tpr_plan.windows(2).all(|w| w[0] == w[1]));
    let auc_plan: Vec<f64> = out
        .lines()
        .filter(|r| r.contains(",classifier-auc,"))
        .map(|r| r.split(',').nth(7).unwrap().parse().unwrap())
        .collect();
    assert!(
        auc_plan.windows(2).all(|w| w[1] > w[0]),
        "quality rises with AUC: {auc_plan:?}"
    );
}

#[test]
fn plot_writes_an_svg() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sweep.svg");
    Cost::new()
        .args([
            "sweep",
            "routing-example",
            "--vary",
            "fpr=0..0.5:0.05",
            "-q",
            "--plot",
        ])
        .arg(&path)
        .run();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(
        svg.starts_with("<svg")
            && svg.contains("USD per month")
            && svg.contains("all-strong (baseline)")
    );
}

#[test]
fn bad_vary_specs_are_input_errors() {
    assert!(Cost::new()
        .args(["sweep", "routing-example", "--vary", "share:medium=0..1"])
        .status(2)
        .run()
        .stderr
        .contains("unknown class `medium`"));
    assert!(Cost::new()
        .args(["sweep", "routing-example", "--vary", "colour=0..1"])
        .status(2)
        .run()
        .stderr
        .contains("unknown parameter"));
    assert!(Cost::new()
        .args(["sweep", "routing-example", "--vary", "fpr=0..2:0.5"])
        .status(2)
        .run()
        .stderr
        .contains("between 0 and 1"));
    assert!(Cost::new()
        .args(["sweep", "routing-example", "--vary", "price:gpt-4.5o=1..2"])
        .status(2)
        .run()
        .stderr
        .contains("unknown model"));
}
