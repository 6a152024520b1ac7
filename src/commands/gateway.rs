//! `cost gateway`: load the tokenizer every request is counted with, start
//! the server on a runtime of `--threads` threads (one: a single-threaded
//! runtime), release the pages of the binary that only starting used, say
//! where it listens (stderr), and stop gracefully on Ctrl-C or SIGTERM.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::gateway::budget::Ledger;
use crate::gateway::log::LogSink;
use crate::gateway::serve;
use crate::output::Printer;
use crate::settings::GatewaySettings;
use crate::tokenizer::Encoding;

/// Loads the tokenizer every prompt is counted with (`o200k_base`), then
/// hands back the scratch memory loading it took. Called before the
/// settings are resolved: loading peaks about 30 MB above where it starts,
/// half of it scratch freed at once (`examples/tokenizer_memory.rs`), and
/// on top of the price sheets, the scenario and the code they touched that
/// moment was the gateway's resident peak (42 MiB; 32 MiB loaded first,
/// BENCHMARKS.md, "Gateway").
pub fn load_tokenizer() {
    Encoding::O200k.load();
    crate::memory::return_free_pages();
}

pub fn run(settings: GatewaySettings) -> anyhow::Result<()> {
    let mut builder = match settings.threads {
        Some(1) => tokio::runtime::Builder::new_current_thread(),
        Some(n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
        None => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = builder
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let printer = settings.printer.clone();
    let plan = settings.runtime.config.plan.clone();
    let models = settings.runtime.config.virtual_models().join(", ");
    for note in &settings.notes {
        printer.note(note);
    }
    let failures = Failures {
        ledger: settings.runtime.ledger.clone(),
        log: settings.runtime.log.clone(),
        seen: Arc::new(AtomicU64::new(0)),
        seen_lines: Arc::new(AtomicU64::new(0)),
        printer: printer.clone(),
    };
    runtime.block_on(async move {
        let watch = tokio::spawn(failures.clone().watch());
        let running = serve(settings.runtime, settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        // Started: the binary's pages that loading the scenario, the price
        // sheets and the vocabulary touched need not stay resident
        // (`crate::memory`).
        crate::memory::release_startup_pages();
        printer.note(&format!(
            "cost gateway: listening on http://{} (plan `{plan}`; virtual models: {models})",
            running.addr
        ));
        stop_signal().await;
        printer.note("cost gateway: stopping (requests in flight finish first)");
        let stopped = running.stop().await.context("the server failed");
        watch.abort();
        failures.check();
        stopped
    })
}

/// How often the spend ledger's and the request log's failed writes are
/// looked for.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// Says on stderr, at most once a second and once more at stop, when the
/// spend ledger or the request log refused writes: /metrics counts them,
/// but an operator must hear that spend is not being recorded.
#[derive(Clone)]
struct Failures {
    ledger: Arc<dyn Ledger>,
    log: Option<LogSink>,
    /// Failed ledger writes and log lines already told of.
    seen: Arc<AtomicU64>,
    seen_lines: Arc<AtomicU64>,
    printer: Printer,
}

impl Failures {
    async fn watch(self) {
        let mut tick = tokio::time::interval(WATCH_EVERY);
        loop {
            tick.tick().await;
            self.check();
        }
    }

    fn check(&self) {
        if let Some(c) = self.ledger.commits() {
            let before = self.seen.swap(c.failed, Ordering::Relaxed);
            if c.failed > before {
                self.printer
                    .warn(&failed_writes(c.failed - before, c.last_error.as_deref()));
            }
        }
        if let Some(log) = &self.log {
            let (lines, reason) = log.failed();
            let before = self.seen_lines.swap(lines, Ordering::Relaxed);
            if lines > before {
                self.printer
                    .warn(&failed_lines(lines - before, reason.as_deref()));
            }
        }
    }
}

fn failed_writes(n: u64, reason: Option<&str>) -> String {
    format!(
        "cost gateway: the spend ledger could not record {n} write{} ({}). \
         Calls it could not hold were refused; costs it could not settle stay held \
         at their worst case and are counted at the next start.\n  \
         hint: check the ledger file's disk and permissions; \
         cost_gateway_ledger_failed_writes_total on /metrics counts them",
        if n == 1 { "" } else { "s" },
        reason.unwrap_or("no reason given"),
    )
}

fn failed_lines(n: u64, reason: Option<&str>) -> String {
    format!(
        "cost gateway: the request log could not take {n} line{} ({}). \
         Their costs are in the spend ledger, but `cost replay` of the log will not count them.\n  \
         hint: check the log file's disk and permissions; \
         cost_gateway_log_failed_lines_total on /metrics counts them",
        if n == 1 { "" } else { "s" },
        reason.unwrap_or("no reason given"),
    )
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
