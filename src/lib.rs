//! `cost`: LLM inference economics.
//!
//! Layers (see `docs/ARCHITECTURE.md`): `cli` holds clap types; `settings`
//! resolves them once per command; `commands` wire settings to the engine
//! and `views` build the report; `pricing` and `scenario` load and validate
//! data files into domain types; `engine`, `replay` and `eval` are pure
//! computation over those; `report` renders one report model in every
//! format; `output` owns stdout and stderr.

pub mod cli;
pub mod commands;
pub mod embed;
mod embedded;
pub mod engine;
pub mod eval;
pub mod export;
pub mod gateway;
pub mod html;
pub mod human;
pub mod memory;
pub mod money;
pub mod net;
pub mod output;
pub mod plot;
pub mod pricing;
pub mod replay;
pub mod report;
pub mod router;
pub mod scenario;
pub mod selfhost;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod tokenizer;
pub mod validation;
pub mod views;

use clap::CommandFactory;

use cli::{Cli, Command};
pub use commands::GateFailed;

/// Runs a parsed command line. A `GateFailed` error means exit 1; any other
/// error is a usage or input error (exit 2).
pub fn run(cli: &Cli) -> anyhow::Result<()> {
    if cli.global.format == report::Format::Focus && !matches!(cli.command, Command::Replay(_)) {
        anyhow::bail!(
            "--format focus is for `cost replay` only: FOCUS rows are the billed charges of a usage log\n  hint: use --format csv or json here, or `cost replay LOG --format focus`"
        );
    }
    match &cli.command {
        Command::Compare(args) => {
            commands::compare::run(&settings::CompareSettings::resolve(args, &cli.global)?)
        }
        Command::Models(args) => {
            commands::models::run(&settings::ModelsSettings::resolve(args, &cli.global)?)
        }
        Command::Estimate(args) => {
            commands::estimate::run(&settings::EstimateSettings::resolve(args, &cli.global)?)
        }
        Command::Route(args) => {
            commands::route::run(&settings::RouteSettings::resolve(args, &cli.global)?)
        }
        Command::Breakeven(args) => {
            commands::breakeven::run(&settings::BreakevenSettings::resolve(args, &cli.global)?)
        }
        Command::Sweep(args) => {
            commands::sweep::run(&settings::SweepSettings::resolve(args, &cli.global)?)
        }
        Command::Frontier(args) => {
            commands::frontier::run(&settings::FrontierSettings::resolve(args, &cli.global)?)
        }
        Command::Simulate(args) => {
            commands::simulate::run(&settings::SimulateSettings::resolve(args, &cli.global)?)
        }
        Command::Eval(args) => match settings::RouterEvalSettings::from_eval(args, &cli.global) {
            Some(learned) => commands::router::eval(&learned?),
            None => commands::eval::run(&settings::EvalSettings::resolve(args, &cli.global)?),
        },
        Command::Scenarios(args) => {
            commands::scenarios::run(&settings::ScenariosSettings::resolve(args, &cli.global)?)
        }
        Command::Init(args) => {
            commands::init::run(&settings::InitSettings::resolve(args, &cli.global)?)
        }
        Command::Man(args) => {
            commands::man::run(&settings::ManSettings::resolve(args, &cli.global))
        }
        Command::Router { command } => match command {
            cli::RouterCommand::Train(args) => {
                commands::router::train(&settings::RouterTrainSettings::resolve(args, &cli.global)?)
            }
            cli::RouterCommand::Eval(args) => {
                commands::router::eval(&settings::RouterEvalSettings::resolve(args, &cli.global)?)
            }
        },
        Command::Diff(args) => {
            commands::diff::run(&settings::DiffSettings::resolve(args, &cli.global)?)
        }
        Command::Validate(args) => {
            commands::validate::run(&settings::ValidateSettings::resolve(args, &cli.global)?)
        }
        Command::Pricing { command } => match command {
            cli::PricingCommand::Import(args) => {
                commands::pricing::import(&settings::ImportSettings::resolve(args, &cli.global)?)
            }
        },
        Command::Replay(args) => {
            commands::replay::run(&settings::ReplaySettings::resolve(args, &cli.global)?)
        }
        Command::Tokens(args) => {
            commands::tokens::run(&settings::TokensSettings::resolve(args, &cli.global)?)
        }
        Command::Gateway(args) => {
            commands::gateway::load_tokenizer();
            commands::gateway::run(settings::GatewaySettings::resolve(args, &cli.global)?)
        }
        Command::Sensitivity(args) => {
            commands::sensitivity::run(&settings::SensitivitySettings::resolve(args, &cli.global)?)
        }
        Command::Report(args) => {
            commands::report::run(&settings::ReportSettings::resolve(args, &cli.global)?)
        }
        Command::Export { command } => match command {
            cli::ExportCommand::Prices(args) => commands::export::prices(
                &settings::ExportPricesSettings::resolve(args, &cli.global)?,
            ),
            cli::ExportCommand::Sql(args) => {
                commands::export::sql(&settings::ExportSqlSettings::resolve(args, &cli.global)?)
            }
        },
        Command::Completions { shell } => {
            // Generate into memory: a closed pipe must be an error, not a panic.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "cost", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
            Ok(())
        }
    }
}
