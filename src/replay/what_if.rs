//! What-if pricing of logged traffic: the same requests re-priced on another
//! model (same tokens, same tier), or under a scenario plan that routes
//! each request by its class (the plan's tier, when it names one, replaces
//! the logged tier). A log records neither answers nor their quality, so
//! only plans that route by class can be replayed: cascades and oracles
//! decide per request from outcomes a log does not hold.
//!
//! `WhatIfTarget` is the owned, validated choice (models by catalog id);
//! `WhatIf` binds it to the catalog for the tally. Pure: no I/O.

use super::class_rules::{Assigned, ClassChoice, ClassRuleError, ClassRules};
use crate::pricing::bill::Request;
use crate::pricing::catalog::UnknownModel;
use crate::pricing::{Catalog, Model, ServiceTier};
use crate::scenario::{PlanKind, Scenario};

/// A scenario plan's routes, checked against the scenario and the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRoutes {
    pub plan: String,
    /// The scenario as the user named it (a file, `-` or a built-in name).
    pub scenario: String,
    pub classes: Vec<String>,
    /// The catalog id of the model serving each class.
    pub models: Vec<String>,
    /// The plan's service tier, overriding the logged one.
    pub tier: Option<ServiceTier>,
    pub rules: ClassRules,
}

/// What to re-price the traffic as, with models by catalog id.
#[derive(Debug, Clone, PartialEq)]
pub enum WhatIfTarget {
    Nothing,
    /// Every request on this catalog model.
    As(String),
    Plan(PlanRoutes),
}

/// A what-if bound to the catalog its models come from.
pub enum WhatIf<'c> {
    Nothing,
    /// Every request re-priced on this model, same tokens, same tier.
    As(&'c Model),
    Plan(Route<'c>),
}

/// A scenario plan applied to logged traffic.
pub struct Route<'c> {
    pub routes: &'c PlanRoutes,
    /// The model serving each class.
    pub models: Vec<&'c Model>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("scenario `{scenario}` has no such plan (its plans: {})", .known.join(", "))]
    NoPlan {
        scenario: String,
        known: Vec<String>,
    },
    #[error("a cascade or oracle plan decides by answer quality, which a usage log does not record\n  hint: replay a plan with `model` or `routes`")]
    DecidesByQuality,
    #[error(transparent)]
    Classes(#[from] ClassRuleError),
    #[error(transparent)]
    UnknownModel(#[from] UnknownModel),
}

/// The routes of `plan` in `scenario` (named `scenario_name` by the user),
/// with classes assigned as `choice` says.
pub fn plan_routes(
    scenario: &Scenario,
    scenario_name: &str,
    plan: &str,
    choice: &ClassChoice,
    catalog: &Catalog,
) -> Result<PlanRoutes, PlanError> {
    let Some(p) = scenario.plan(plan) else {
        return Err(PlanError::NoPlan {
            scenario: scenario.name.clone(),
            known: scenario.plans.iter().map(|p| p.name.clone()).collect(),
        });
    };
    // A log says which class a request was; a classifier plan is replayed
    // with its routes as a perfect classifier would apply them.
    if matches!(p.kind, PlanKind::Cascade(_) | PlanKind::Oracle(_)) {
        return Err(PlanError::DecidesByQuality);
    }
    let classes: Vec<String> = scenario.classes.iter().map(|c| c.name.clone()).collect();
    let models = (0..classes.len())
        .map(|k| {
            catalog
                .lookup(p.model_for(k).unwrap_or_default())
                .map(|m| m.id.clone())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PlanRoutes {
        plan: p.name.clone(),
        scenario: scenario_name.to_string(),
        classes,
        models,
        tier: p.tier,
        rules: choice.rules(scenario)?,
    })
}

impl WhatIfTarget {
    /// Binds the target to `catalog`, which must be the catalog its ids
    /// were resolved in.
    pub fn bind<'c>(&'c self, catalog: &'c Catalog) -> WhatIf<'c> {
        let model = |id: &str| catalog.lookup(id).expect("resolved from this catalog");
        match self {
            WhatIfTarget::Nothing => WhatIf::Nothing,
            WhatIfTarget::As(id) => WhatIf::As(model(id)),
            WhatIfTarget::Plan(routes) => WhatIf::Plan(Route {
                routes,
                models: routes.models.iter().map(|id| model(id)).collect(),
            }),
        }
    }
}

impl<'c> WhatIf<'c> {
    /// The class field the rules read, if any.
    pub fn class_field(&self) -> Option<&str> {
        match self {
            WhatIf::Plan(route) => route.routes.rules.field(),
            _ => None,
        }
    }

    /// The number of classes a plan routes (0 without a plan).
    pub fn classes(&self) -> usize {
        match self {
            WhatIf::Plan(route) => route.routes.classes.len(),
            _ => 0,
        }
    }

    /// Where a logged request goes in the what-if: its class (under a
    /// plan) and the model and request to price it as. `class_value` is
    /// the request's class field, when the rules read one.
    pub fn reprice(
        &self,
        request: Request,
        class_value: Option<&str>,
    ) -> (Option<Assigned>, Option<(&'c Model, Request)>) {
        match self {
            WhatIf::Nothing => (None, None),
            WhatIf::As(target) => (None, Some((*target, request))),
            WhatIf::Plan(route) => {
                let rules = &route.routes.rules;
                let value = rules.field().and(class_value);
                let assigned = rules.assign(request.prompt(), value);
                let mut routed = request;
                if let Some(t) = route.routes.tier {
                    routed.tier = t;
                }
                (Some(assigned), Some((route.models[assigned.class], routed)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::class_rules::tests::default_scenario;

    #[test]
    fn a_routed_plan_sends_each_class_to_its_model() {
        let (catalog, s) = default_scenario();
        let choice = ClassChoice::Field {
            field: "team".into(),
            map: vec!["search=hard".parse().unwrap()],
        };
        let routes = plan_routes(&s, "default", "routed", &choice, &catalog).unwrap();
        assert_eq!(routes.classes, ["easy", "hard"]);
        let target = WhatIfTarget::Plan(routes);
        let what_if = target.bind(&catalog);
        assert_eq!(what_if.class_field(), Some("team"));
        let request = Request {
            input: 100,
            output: 10,
            ..Request::default()
        };
        let (class, priced) = what_if.reprice(request, Some("search"));
        assert_eq!(class.unwrap().class, 1);
        let (model, routed) = priced.unwrap();
        assert_eq!(model.id, target_model(&target, 1));
        assert_eq!(routed.input, 100);
    }

    fn target_model(target: &WhatIfTarget, k: usize) -> String {
        match target {
            WhatIfTarget::Plan(r) => r.models[k].clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn plans_that_need_answer_quality_or_do_not_exist_are_refused() {
        let (catalog, s) = default_scenario();
        let err = plan_routes(&s, "default", "nope", &ClassChoice::Nearest, &catalog).unwrap_err();
        assert!(matches!(err, PlanError::NoPlan { .. }), "{err}");
        assert!(
            err.to_string().contains("its plans: all-frontier, routed"),
            "{err}"
        );
    }

    #[test]
    fn as_another_model_keeps_the_request() {
        let (catalog, _) = default_scenario();
        let target = WhatIfTarget::As("gpt-4o".into());
        let what_if = target.bind(&catalog);
        let request = Request {
            input: 7,
            ..Request::default()
        };
        let (class, priced) = what_if.reprice(request, None);
        assert!(class.is_none());
        assert_eq!(priced.unwrap().1, request);
        assert!(WhatIfTarget::Nothing
            .bind(&catalog)
            .reprice(request, None)
            .1
            .is_none());
    }
}
