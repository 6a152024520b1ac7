//! The clap definition itself: conflicting names, bad defaults and the like
//! are caught here rather than at the first unlucky invocation.

use clap::CommandFactory;

#[test]
fn cli_definition_is_consistent() {
    cost::cli::Cli::command().debug_assert();
}
