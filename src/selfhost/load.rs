//! Reads hardware and deployment files into validated data, refusing what
//! cannot be true: a price without a basis or date, a model whose weights
//! do not fit its replica, a row whose concurrency's KV cache does not fit,
//! a row faster than the memory-bandwidth roofline (`roofline.rs`). Errors
//! name the file, line and key.

use super::file::{DeploymentEntry, DeploymentsFile, HardwareFile, PriceEntry, RowEntry};
use super::model::{
    Basis, Deployment, Gpu, GpuPrice, KvLayout, OpenModel, Precision, Provenance, Row,
};
use super::roofline;
use crate::money::Money;
use crate::source::{InputError, KeyPath, Problem, Source};

/// Every GPU and deployment known: the shipped files, then the user's.
#[derive(Debug, Clone, Default)]
pub struct SelfHostData {
    pub gpus: Vec<Gpu>,
    pub deployments: Vec<Deployment>,
}

impl SelfHostData {
    /// Adds a hardware file; a later file with the same id replaces the GPU.
    pub fn add_hardware(&mut self, source: &Source) -> Result<(), InputError> {
        let file: HardwareFile =
            toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
        let gpu = gpu(file, &source.name).map_err(|p| p.in_source(source))?;
        self.gpus.retain(|g| g.id != gpu.id);
        self.gpus.push(gpu);
        Ok(())
    }

    /// Adds a deployments file (one model, its deployments); GPUs must be loaded first.
    pub fn add_deployments(&mut self, source: &Source) -> Result<(), InputError> {
        let file: DeploymentsFile =
            toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
        let model = model(&file).map_err(|p| p.in_source(source))?;
        for (i, entry) in file.deployments.into_iter().enumerate() {
            let d = self
                .deployment(&model, entry, i, &source.name)
                .map_err(|p| p.in_source(source))?;
            self.deployments.retain(|x| x.id != d.id);
            self.deployments.push(d);
        }
        Ok(())
    }

    pub fn deployment_named(&self, id: &str) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.id == id)
    }

    fn deployment(
        &self,
        model: &OpenModel,
        e: DeploymentEntry,
        i: usize,
        origin: &str,
    ) -> Result<Deployment, Problem> {
        let at = KeyPath::root().key("deployments").index(i);
        let Some(gpu) = self.gpus.iter().find(|g| g.id == e.gpu) else {
            let known: Vec<&str> = self.gpus.iter().map(|g| g.id.as_str()).collect();
            return Err(Problem::new(
                at.key("gpu"),
                format!("no GPU `{}` in the hardware files", e.gpu),
            )
            .hint(format!(
                "{}known GPUs: {}",
                crate::suggest::did_you_mean(&crate::suggest::closest(
                    &e.gpu,
                    known.iter().copied(),
                    3
                )),
                known.join(", ")
            )));
        };
        let precision = Precision::parse(&e.precision).ok_or_else(|| {
            Problem::new(
                at.key("precision"),
                format!("unknown precision `{}`", e.precision),
            )
            .hint("use fp4, fp8 or bf16")
        })?;
        if e.gpus == 0 {
            return Err(Problem::new(
                at.key("gpus"),
                "a replica needs at least one GPU",
            ));
        }
        let quality_delta = match (e.quality_delta, e.quality_source) {
            (None, None) => None,
            (Some(q), Some(src)) if q.is_finite() && (-1.0..=1.0).contains(&q) => Some((q, src)),
            (Some(q), Some(_)) => {
                return Err(Problem::new(
                    at.key("quality_delta"),
                    format!("quality delta {q} is outside -1..1"),
                )
                .hint("a difference of success rates, e.g. -0.012 for 1.2 points lost"))
            }
            (Some(_), None) => {
                return Err(Problem::new(
                    at.key("quality_delta"),
                    "a quality delta needs `quality_source`",
                )
                .hint("the URL of the evaluation that measured it; leave both out when none does"))
            }
            (None, Some(_)) => {
                return Err(Problem::new(
                    at.key("quality_source"),
                    "`quality_source` without a `quality_delta`",
                ))
            }
        };
        let mut d = Deployment {
            id: format!("{}@{}", model.id, e.id),
            model: model.clone(),
            gpu: gpu.clone(),
            gpus: e.gpus,
            engine: e.engine,
            precision,
            parallelism: e.parallelism,
            rows: Vec::new(),
            quality_delta,
            origin: origin.to_string(),
        };
        if roofline::free_memory(&d) <= 0.0 {
            return Err(Problem::new(
                at.key("gpus"),
                format!(
                    "{} at {} needs {:.1} GB for its weights; {} x {} holds {:.1} GB",
                    model.name,
                    precision.key(),
                    roofline::weight_bytes(model, precision) / 1e9,
                    e.gpus,
                    gpu.id,
                    roofline::replica_memory(&d) / 1e9
                ),
            )
            .hint("the model does not fit in the replica's memory: use more GPUs per replica or a smaller precision"));
        }
        if e.rows.is_empty() {
            return Err(Problem::new(
                at.key("rows"),
                "a deployment needs at least one measured row",
            ));
        }
        for (j, r) in e.rows.into_iter().enumerate() {
            let row = row(r, j, &e.source, e.kind.as_ref(), &at.key("rows").index(j))?;
            check_row(&d, &row, &at.key("rows").index(j))?;
            d.rows.push(row);
        }
        Ok(d)
    }
}

fn date(value: &str, key: KeyPath) -> Result<String, Problem> {
    let ok = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        matches!(parts.as_slice(), [y, m] | [y, m, _] if y.len() == 4 && m.len() == 2)
            && s.chars().all(|c| c.is_ascii_digit() || c == '-')
            && (parts.len() == 2 || parts[2].len() == 2)
    };
    if ok(value) {
        Ok(value.to_string())
    } else {
        Err(Problem::new(key, format!("`{value}` is not a date"))
            .hint("write YYYY-MM-DD, or YYYY-MM when the source gives only a month"))
    }
}

fn gpu(f: HardwareFile, origin: &str) -> Result<Gpu, Problem> {
    let root = KeyPath::root();
    for (key, v) in [
        ("memory_gb", f.memory_gb),
        ("bandwidth_tb_s", f.bandwidth_tb_s),
    ] {
        if !(v.is_finite() && v > 0.0) {
            return Err(Problem::new(
                root.key(key),
                format!("{key} = {v} must be a positive number"),
            ));
        }
    }
    let stated: Vec<&str> = [
        ("memory_gb", true),
        ("bandwidth_tb_s", true),
        ("bf16_dense_tflops", f.bf16_dense_tflops.is_some()),
        ("fp8_dense_tflops", f.fp8_dense_tflops.is_some()),
        ("fp4_dense_tflops", f.fp4_dense_tflops.is_some()),
        ("power_w", f.power_w.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, on)| on.then_some(k))
    .collect();
    let mut spec_sources = Vec::new();
    for (i, s) in f.spec_sources.iter().enumerate() {
        let provenance = Provenance {
            url: s.url.clone(),
            date: date(&s.date, root.key("spec_sources").index(i).key("date"))?,
            needs_recheck: s.needs_recheck.clone(),
            kind: s.kind.clone(),
        };
        spec_sources.push((s.fields.clone(), provenance));
    }
    for key in stated {
        if !f
            .spec_sources
            .iter()
            .any(|s| s.fields.iter().any(|x| x == key))
        {
            return Err(
                Problem::new(root.key(key), format!("`{key}` has no source")).hint(
                    "add it to the `fields` of a `[[spec_sources]]` entry with its url and date",
                ),
            );
        }
    }
    let prices = f
        .prices
        .into_iter()
        .enumerate()
        .map(|(i, p)| price(p, &root.key("prices").index(i)))
        .collect::<Result<_, _>>()?;
    Ok(Gpu {
        id: f.id,
        name: f.name,
        memory_gb: f.memory_gb,
        bandwidth_tb_s: f.bandwidth_tb_s,
        bf16_dense_tflops: f.bf16_dense_tflops,
        fp8_dense_tflops: f.fp8_dense_tflops,
        fp4_dense_tflops: f.fp4_dense_tflops,
        power_w: f.power_w,
        spec_sources,
        prices,
        origin: origin.to_string(),
    })
}

fn price(p: PriceEntry, at: &KeyPath) -> Result<GpuPrice, Problem> {
    let bases = || Basis::ALL.map(Basis::key).join(", ");
    let Some(basis_text) = p.basis else {
        return Err(Problem::new(at.clone(), "this price has no `basis`")
            .hint(format!("a $/GPU-hour figure means nothing without what it pays for: add `basis = ` one of {}", bases())));
    };
    let basis = Basis::parse(&basis_text).ok_or_else(|| {
        Problem::new(at.key("basis"), format!("unknown basis `{basis_text}`"))
            .hint(format!("use one of {}", bases()))
    })?;
    let usd = p.usd_per_gpu_hour;
    let per_gpu_hour = Money::from_usd(usd)
        .filter(|m| *m > Money::ZERO)
        .ok_or_else(|| {
            Problem::new(
                at.key("usd_per_gpu_hour"),
                format!("{usd} is not a positive dollar amount"),
            )
        })?;
    let Some(d) = p.date else {
        return Err(Problem::new(at.clone(), "this price has no `date`")
            .hint("add `date = \"YYYY-MM-DD\"`: when the source stated the price"));
    };
    let Some(url) = p.source.filter(|s| !s.trim().is_empty()) else {
        return Err(Problem::new(at.clone(), "this price has no `source`")
            .hint("add `source = \"https://...\"`: where the price is published"));
    };
    Ok(GpuPrice {
        per_gpu_hour,
        basis,
        provider: p.provider,
        region: p.region.unwrap_or_else(|| "not stated".into()),
        note: p.note,
        provenance: Provenance {
            url,
            date: date(&d, at.key("date"))?,
            needs_recheck: p.needs_recheck,
            kind: p.kind,
        },
    })
}

fn model(f: &DeploymentsFile) -> Result<OpenModel, Problem> {
    let m = &f.model;
    let at = KeyPath::root().key("model");
    if !(m.total_params_b > 0.0 && m.active_params_b > 0.0 && m.active_params_b <= m.total_params_b)
    {
        return Err(Problem::new(
            at.key("active_params_b"),
            "parameter counts must be positive, active at most total",
        ));
    }
    let kv = match (m.kv_heads, m.head_dim, m.kv_latent_dim) {
        (Some(kv_heads), Some(head_dim), None) => KvLayout::Heads { kv_heads, head_dim },
        (None, None, Some(dim)) => KvLayout::Latent { dim },
        _ => {
            return Err(Problem::new(
                at.clone(),
                "state the KV cache as `kv_heads` and `head_dim`, or as `kv_latent_dim` (MLA)",
            )
            .hint("the roofline needs the KV bytes per token"))
        }
    };
    Ok(OpenModel {
        id: m.id.clone(),
        name: m.name.clone(),
        total_params_b: m.total_params_b,
        active_params_b: m.active_params_b,
        layers: m.layers,
        kv,
        provenance: Provenance {
            url: m.source.clone(),
            date: date(&m.date, at.key("date"))?,
            needs_recheck: m.needs_recheck.clone(),
            kind: None,
        },
    })
}

fn row(
    r: RowEntry,
    index: usize,
    source: &str,
    kind: Option<&String>,
    at: &KeyPath,
) -> Result<Row, Problem> {
    if !(r.output_tps_per_gpu.is_finite() && r.output_tps_per_gpu > 0.0) {
        return Err(Problem::new(
            at.key("output_tps_per_gpu"),
            "must be a positive number of tokens per second",
        ));
    }
    let offline = r.offline.unwrap_or(false);
    if !offline && r.itl_ms.is_none() {
        return Err(Problem::new(at.clone(), "this row states neither `itl_ms` nor `offline = true`")
            .hint("throughput means nothing without the speed each user sees: add the inter-token latency, or mark a max-throughput run `offline = true`"));
    }
    let Some(d) = r.date else {
        return Err(
            Problem::new(at.clone(), "this row has no `date`").hint("add `date = \"YYYY-MM-DD\"`")
        );
    };
    Ok(Row {
        input_tokens: r.input_tokens,
        output_tokens: r.output_tokens,
        output_tps_per_gpu: r.output_tps_per_gpu,
        concurrency: r.concurrency,
        offline,
        itl_ms: r.itl_ms,
        ttft_ms: r.ttft_ms,
        note: r.note,
        provenance: Provenance {
            url: r.source.unwrap_or_else(|| source.to_string()),
            date: date(&d, at.key("date"))?,
            needs_recheck: r.needs_recheck,
            kind: kind.cloned(),
        },
        index,
    })
}

/// The row must be physically possible on its replica.
fn check_row(d: &Deployment, row: &Row, at: &KeyPath) -> Result<(), Problem> {
    if let (false, Some(c), Some(x), Some(y)) = (
        row.offline,
        row.concurrency,
        row.input_tokens,
        row.output_tokens,
    ) {
        let need = roofline::kv_for(d, f64::from(c), (x + y) as f64);
        let free = roofline::free_memory(d);
        if need > free {
            return Err(Problem::new(
                at.key("concurrency"),
                format!(
                    "{c} sequences of {} tokens need {:.1} GB of KV cache; {:.1} GB is left after the weights",
                    x + y,
                    need / 1e9,
                    free / 1e9
                ),
            )
            .hint("an interactive row's concurrency must fit in memory; a queued run is `offline = true`"));
        }
    }
    let bound = roofline::decode_bound(d, row);
    if row.output_tps_per_gpu > bound {
        return Err(Problem::new(
            at.key("output_tps_per_gpu"),
            format!(
                "{} tok/s per GPU is above the memory-bandwidth roofline of {:.0} tok/s per GPU for {} at {} on {} x {}",
                row.output_tps_per_gpu,
                bound,
                d.model.name,
                d.precision.key(),
                d.gpus,
                d.gpu.id
            ),
        )
        .hint("check the figure's units (per GPU, not per node; output tokens only) and the GPU count"));
    }
    Ok(())
}

/// The shipped hardware and deployments (compiled into the binary).
pub fn shipped() -> Result<SelfHostData, InputError> {
    let mut data = SelfHostData::default();
    for (name, text) in crate::embedded::HARDWARE {
        data.add_hardware(&Source::embedded(&format!("hardware/{name}"), text))?;
    }
    for (name, text) in crate::embedded::DEPLOYMENTS {
        data.add_deployments(&Source::embedded(&format!("deployments/{name}"), text))?;
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_loads() {
        let data = shipped().unwrap();
        for id in [
            "h100",
            "h200",
            "b200",
            "gb200",
            "mi300x",
            "mi355x",
            "l40s",
            "a100-80gb",
        ] {
            let g = data
                .gpus
                .iter()
                .find(|g| g.id == id)
                .unwrap_or_else(|| panic!("{id}"));
            assert!(!g.prices.is_empty(), "{id} has no price");
        }
        for model in [
            "llama-3.1-8b",
            "llama-3.3-70b",
            "gpt-oss-20b",
            "gpt-oss-120b",
            "deepseek-r1",
            "qwen3-235b-a22b",
        ] {
            assert!(
                data.deployments.iter().any(|d| d.model.id == model),
                "{model}"
            );
        }
        assert!(data.deployment_named("gpt-oss-120b@h200-fp8").is_some());
    }

    fn gpus() -> SelfHostData {
        let mut data = SelfHostData::default();
        data.add_hardware(&Source::embedded(
            "h100.toml",
            crate::embedded::HARDWARE
                .iter()
                .find(|(n, _)| *n == "h100.toml")
                .unwrap()
                .1,
        ))
        .unwrap();
        data
    }

    #[test]
    fn a_price_without_a_basis_is_refused_at_its_line() {
        let text = "id = \"x\"\nname = \"X\"\nmemory_gb = 80.0\nbandwidth_tb_s = 3.35\n[[spec_sources]]\nfields = [\"memory_gb\", \"bandwidth_tb_s\"]\nurl = \"https://example.com\"\ndate = \"2026-01-01\"\n\n[[prices]]\nusd_per_gpu_hour = 2.0\nprovider = \"p\"\ndate = \"2026-01-01\"\nsource = \"https://example.com\"\n";
        let err = SelfHostData::default()
            .add_hardware(&Source::embedded("x.toml", text))
            .unwrap_err();
        assert_eq!(err.key, "prices[0]");
        assert!(err.message.contains("no `basis`"), "{}", err.message);
        assert_eq!(err.line, Some(10));
    }

    #[test]
    fn a_row_above_the_roofline_is_refused() {
        // 70B FP8 on 1 x H100 at concurrency 1: bound 3.35e12 / 71.46e9 = 46.9 tok/s.
        let text = "[model]\nid = \"m\"\nname = \"M\"\ntotal_params_b = 70.6\nactive_params_b = 70.6\nlayers = 80\nkv_heads = 8\nhead_dim = 128\nsource = \"s\"\ndate = \"2026-01-01\"\n\n[[deployments]]\nid = \"d\"\ngpu = \"h100\"\ngpus = 1\nengine = \"e\"\nprecision = \"fp8\"\nparallelism = \"TP1\"\nsource = \"s\"\n\n[[deployments.rows]]\ninput_tokens = 5000\noutput_tokens = 500\nconcurrency = 1\nitl_ms = 5.0\noutput_tps_per_gpu = 200.0\ndate = \"2026-01-01\"\n";
        let err = gpus()
            .add_deployments(&Source::embedded("d.toml", text))
            .unwrap_err();
        assert_eq!(err.key, "deployments[0].rows[0].output_tps_per_gpu");
        assert!(err.message.contains("roofline"), "{}", err.message);
        assert_eq!(err.line, Some(26));
    }

    #[test]
    fn a_model_too_big_for_its_replica_is_refused() {
        let text = "[model]\nid = \"m\"\nname = \"M\"\ntotal_params_b = 70.6\nactive_params_b = 70.6\nlayers = 80\nkv_heads = 8\nhead_dim = 128\nsource = \"s\"\ndate = \"2026-01-01\"\n\n[[deployments]]\nid = \"d\"\ngpu = \"h100\"\ngpus = 1\nengine = \"e\"\nprecision = \"bf16\"\nparallelism = \"TP1\"\nsource = \"s\"\n\n[[deployments.rows]]\noutput_tps_per_gpu = 10.0\noffline = true\ndate = \"2026-01-01\"\n";
        let err = gpus()
            .add_deployments(&Source::embedded("d.toml", text))
            .unwrap_err();
        assert_eq!(err.key, "deployments[0].gpus");
        assert!(err.message.contains("141.2 GB"), "{}", err.message);
    }
}
