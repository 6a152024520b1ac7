//! `cost gateway`: load the tokenizer every request is counted with, start
//! the server on a runtime of `--threads` threads (one: a single-threaded
//! runtime), say where it listens (stderr), and stop gracefully on Ctrl-C
//! or SIGTERM.

use anyhow::Context as _;

use crate::gateway::serve;
use crate::settings::GatewaySettings;
use crate::tokenizer::Encoding;

pub fn run(settings: GatewaySettings) -> anyhow::Result<()> {
    // Classification counts every prompt in `o200k_base`: load it before
    // the first request, then hand back the memory loading it used.
    Encoding::O200k.load();
    crate::memory::return_free_pages();
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
    runtime.block_on(async move {
        let running = serve(settings.runtime, settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        printer.note(&format!(
            "cost gateway: listening on http://{} (plan `{plan}`; virtual models: {models})",
            running.addr
        ));
        stop_signal().await;
        printer.note("cost gateway: stopping (requests in flight finish first)");
        running.stop().await.context("the server failed")
    })
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
