//! Parse, run, map the outcome to an exit code: 0 ok, 1 a gate failed,
//! 2 usage or input error. A closed pipe (`cost ... | head`) exits 0 quietly.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc, tuned to hand memory back at once (`cost::memory`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes the allocator before the first allocation (the runtime's own,
/// before `main`), so that its first arena is made with the same options as
/// every later one: set in `main`, the first arena kept the defaults and
/// the gateway's resident set was 6 to 16 MiB larger (BENCHMARKS.md).
/// Elsewhere than Linux (no `.init_array`), `main` tunes it.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn tune() {
        cost::memory::tune();
    }
    tune
};

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    cost::memory::tune();
    let cli = cost::cli::Cli::parse();
    match cost::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<cost::GateFailed>().is_some() => {
            eprintln!("gate failed: {}", shown(&err.to_string()));
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("error: {}", shown(&chain(&err)));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes, each once.
fn chain(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// Longest line of a message, in characters: an error quoting its input
/// (a 10 MB model id, a line of a log) shows the start and how much is left.
const MAX_LINE: usize = 400;

/// A message as it may reach a terminal: control characters escaped, each
/// line clipped.
fn shown(message: &str) -> String {
    message
        .split('\n')
        .map(|line| cost::human::clip(&cost::human::printable(line, false), MAX_LINE).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
