//! Build vs buy: what self-hosting an open-weight model costs and at what
//! volume it beats the API. Data (`hardware/*.toml`: GPUs and dated
//! $/GPU-hour prices on a named basis; `deployments/*.toml`: measured
//! throughput rows) is validated at load against the memory-bandwidth
//! roofline; the formulas are pure functions over it. Nothing here opens
//! a file, prints or knows about clap.

pub mod analysis;
pub mod economics;
mod file;
pub mod fleet;
pub mod load;
pub mod model;
pub mod montecarlo;
pub mod roofline;
#[cfg(test)]
pub mod testing;

pub use analysis::{analyse, Analysis, AnalysisError, ApiPlan};
pub use load::{shipped, SelfHostData};
pub use model::{Basis, Deployment, Gpu, GpuPrice, Precision};
