//! placeholder
pub fn run(_: &crate::cli::TokensArgs, _: &crate::cli::GlobalArgs) -> anyhow::Result<()> {
    Ok(())
}
