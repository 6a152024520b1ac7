//! Settings of `cost gateway`: the scenario and plan, the `[gateway]`
//! table (the scenario's, or `--config`), upstream URLs (`--upstream`
//! over the table's) and every secret read from the environment variables
//! the table names. Nothing secret is ever printed: errors name variables.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context as _};

use crate::cli::{GatewayArgs, GlobalArgs};
use crate::gateway::budget::Accounts;
use crate::gateway::classify::{Embedder, Rules};
use crate::gateway::config::{self, GatewayConfig};
use crate::gateway::ledger::SqliteLedger;
use crate::gateway::log::LogSink;
use crate::gateway::{Api, Runtime, Upstream};
use crate::output::Printer;
use crate::scenario::load::{builtin, builtin_names, load_scenario, ScenarioError};
use crate::source::Source;

pub struct GatewaySettings {
    pub printer: Printer,
    pub listen: SocketAddr,
    /// Threads serving requests (`None`: one per core).
    pub threads: Option<usize>,
    pub runtime: Runtime,
    /// Said on stderr at start (e.g. holds a crash left open).
    pub notes: Vec<String>,
}

/// The default base URLs of the providers' APIs.
fn default_url(api: Api) -> &'static str {
    match api {
        Api::OpenAi => "https://api.openai.com",
        Api::Anthropic => "https://api.anthropic.com",
    }
}

impl GatewaySettings {
    pub fn resolve(args: &GatewayArgs, global: &GlobalArgs) -> anyhow::Result<GatewaySettings> {
        GatewaySettings::resolve_with(args, global, &|var| std::env::var(var).ok())
    }

    /// As `resolve`, reading secrets through `env` (tests pass their own).
    pub fn resolve_with(
        args: &GatewayArgs,
        global: &GlobalArgs,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<GatewaySettings> {
        let catalog = super::catalog(global)?;
        let source = scenario_source(&args.scenario)?;
        let scenario = load_scenario(&source, &catalog)?;
        let Some(plan) = scenario.plan(&args.plan) else {
            let known: Vec<&str> = scenario.plans.iter().map(|p| p.name.as_str()).collect();
            return Err(super::no_such_plan(&args.plan, &scenario.name, &known));
        };
        if let Some(hosted) = plan.models().into_iter().find(|m| scenario.is_hosted(m)) {
            anyhow::bail!(
                "{}: plan `{}` sends traffic to the self-hosted deployment `{hosted}`, and `cost gateway` forwards only to the OpenAI and Anthropic APIs\n  hint: serve it by a plan of API models; `cost compare`, `route`, `simulate` and `breakeven` price hybrid plans",
                source.name,
                plan.name
            );
        }
        let config_source = match &args.config {
            Some(path) => Source::read(path)?,
            None => source.clone(),
        };
        let config = config::load(&config_source, &scenario, plan, &catalog)?;
        let keys = config
            .keys
            .iter()
            .map(|k| {
                Ok((
                    k.name.clone(),
                    secret(env, &k.env, &format!("gateway key `{}`", k.name))?,
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let upstreams = upstreams(&config, &args.upstream, env)?;
        let mut accounts = Accounts {
            total: config.total,
            ..Accounts::default()
        };
        for k in &config.keys {
            accounts.keys.insert(k.name.clone(), k.limits);
        }
        if let Some(t) = &config.tags {
            accounts.each_tag = t.each;
            accounts.tags = t.named.clone().into_iter().collect();
        }
        let ledger = SqliteLedger::open(&args.ledger, accounts, jiff::Timestamp::now())
            .with_context(|| format!("cannot open the spend ledger {}", args.ledger.display()))?;
        let recovered = ledger.recovered();
        let mut notes = Vec::new();
        if recovered.records > 0 {
            notes.push(format!(
                "cost gateway: {} budget lease(s) were open when the last run stopped; counted as spent in full (${} in the largest budget window); see table crashed_holds in {}",
                recovered.records,
                recovered.largest,
                args.ledger.display()
            ));
        }
        let log = args
            .log
            .as_deref()
            .map(|p| {
                LogSink::open(p)
                    .with_context(|| format!("cannot open the request log {}", p.display()))
            })
            .transpose()?;
        let embedder = match &config.embedding {
            Some(spec) => Some(Embedder {
                key: spec
                    .key_env
                    .as_deref()
                    .map(|var| secret(env, var, &format!("the embeddings API {}", spec.url)))
                    .transpose()?,
                spec: spec.clone(),
            }),
            None => None,
        };
        let classifier = Box::new(Rules {
            classes: config.classes.clone(),
            rules: config.rules.clone(),
            default_class: config.default_class,
            embedder,
        });
        Ok(GatewaySettings {
            printer: super::printer(global),
            listen: args.listen,
            threads: args.threads.map(usize::from),
            runtime: Runtime {
                classes: scenario.classes.clone(),
                config,
                catalog,
                classifier,
                keys,
                upstreams,
                ledger: Arc::new(ledger),
                log,
            },
            notes,
        })
    }
}

fn scenario_source(name: &str) -> anyhow::Result<Source> {
    let path = Path::new(name);
    if name == "-" || path.exists() {
        return Ok(Source::read(path)?);
    }
    builtin(name).ok_or_else(|| {
        ScenarioError::UnknownName {
            name: name.to_string(),
            known: builtin_names(),
        }
        .into()
    })
}

fn secret(env: &dyn Fn(&str) -> Option<String>, var: &str, what: &str) -> anyhow::Result<String> {
    match env(var) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => bail!("{what}: environment variable `{var}` is not set\n  hint: export {var}=... before starting the gateway (secrets never go on the command line)"),
    }
}

/// Base URL and key per API: `--upstream API=URL`, else the table's `url`,
/// else the provider's public endpoint.
fn upstreams(
    config: &GatewayConfig,
    flags: &[String],
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<BTreeMap<Api, Upstream>> {
    let mut urls: BTreeMap<Api, String> = BTreeMap::new();
    for flag in flags {
        let Some((name, url)) = flag.split_once('=') else {
            bail!(
                "--upstream {flag}: expected API=URL, e.g. --upstream openai=http://127.0.0.1:9000"
            );
        };
        let Some(api) = Api::from_key(name) else {
            bail!("--upstream {flag}: unknown API `{name}`\n  hint: expected openai or anthropic");
        };
        urls.insert(api, url.to_string());
    }
    let mut out = BTreeMap::new();
    for api in [Api::OpenAi, Api::Anthropic] {
        let spec = config.upstreams.get(&api).cloned().unwrap_or_default();
        let given = urls
            .remove(&api)
            .or(spec.url)
            .unwrap_or_else(|| default_url(api).to_string());
        let key = spec
            .key_env
            .as_deref()
            .map(|var| secret(env, var, &format!("the {} upstream", api.key())))
            .transpose()?;
        let upstream = Upstream::new(&given, key).map_err(|why| {
            anyhow!(
                "the {} upstream's URL `{}` {why}\n  hint: give it as --upstream {}=https://host[:port]",
                api.key(),
                crate::gateway::shown_url(&given),
                api.key()
            )
        })?;
        out.insert(api, upstream);
    }
    Ok(out)
}
