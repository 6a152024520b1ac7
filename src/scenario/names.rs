//! Names a scenario refers to that must resolve: models, service tiers and
//! class names. Shared by the class and plan loaders so both reject a bad name
//! with the same message.

use crate::pricing::ServiceTier;
use crate::source::{KeyPath, Problem};

/// Resolves a model name written at a key to its catalog id, or says why not.
pub type ModelResolver<'a> = dyn Fn(&str, &KeyPath) -> Result<String, Problem> + 'a;

pub fn service_tier(name: Option<&str>, at: &KeyPath) -> Result<Option<ServiceTier>, Problem> {
    name.map(|t| {
        ServiceTier::from_key(t).ok_or_else(|| {
            Problem::new(at.key("tier"), format!("unknown service tier `{t}`"))
                .hint("use standard, batch, flex or priority")
        })
    })
    .transpose()
}

pub fn unknown_class(name: &str, at: &KeyPath, classes: &[&str]) -> Problem {
    Problem::new(at.clone(), format!("unknown class `{name}`")).hint(format!(
        "{}classes in this scenario: {}",
        crate::suggest::did_you_mean(&crate::suggest::closest(name, classes.iter().copied(), 3)),
        classes.join(", ")
    ))
}
