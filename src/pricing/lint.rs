//! Checks on a model that loads but looks wrong: prices not verified for a
//! long time, cache reads dearer than input, tiers that go the wrong way.
//! These are warnings (`cost validate`), not load errors: a sheet may be
//! right to break them (a negotiated price), but someone should look.

use jiff::civil::Date;

use super::model::{Model, Part, ServiceTier};
use crate::pricing::bill::rates_for;

#[derive(Debug, Clone, PartialEq)]
pub struct Lint {
    /// A stable name of the check (`stale`, `cache-above-input`, ...).
    pub check: &'static str,
    /// The key inside the model the finding is about (`verified`, `prices`).
    pub key: &'static str,
    pub message: String,
}

pub fn lint(model: &Model, today: Date, max_age_days: i64) -> Vec<Lint> {
    let mut out = Vec::new();
    let age = i64::from((today - model.verified).get_days());
    if age > max_age_days {
        out.push(Lint {
            check: "stale",
            key: "verified",
            message: format!(
                "`{}` prices were verified {age} days ago ({}), more than the {max_age_days}-day limit",
                model.id, model.verified
            ),
        });
    }
    for period in &model.periods {
        let when = period
            .from
            .map(|f| format!(" (period from {f})"))
            .unwrap_or_default();
        let bands = std::iter::once(None).chain(period.long_context.iter().map(|t| Some(t.above)));
        for above in bands {
            let prompt = above.map_or(1, |a| a + 1);
            let band = above
                .map(|a| format!(" above {a} tokens"))
                .unwrap_or_default();
            let Ok((standard, _, _)) = rates_for(model, period, prompt, ServiceTier::Standard)
            else {
                continue;
            };
            for tier in [
                ServiceTier::Standard,
                ServiceTier::Batch,
                ServiceTier::Flex,
                ServiceTier::Priority,
            ] {
                let Ok((rates, _, _)) = rates_for(model, period, prompt, tier) else {
                    continue;
                };
                if rates.effective(Part::CacheRead) > rates.input {
                    out.push(Lint {
                        check: "cache-above-input",
                        key: "prices",
                        message: format!(
                            "`{}` {} cache read price {} is above its input price {}{band}{when}",
                            model.id,
                            tier.key(),
                            rates.effective(Part::CacheRead),
                            rates.input
                        ),
                    });
                }
                let cheaper = rates.input < standard.input || rates.output < standard.output;
                let dearer = rates.input > standard.input || rates.output > standard.output;
                let wrong = match tier {
                    ServiceTier::Standard => false,
                    ServiceTier::Batch | ServiceTier::Flex => dearer,
                    ServiceTier::Priority => cheaper,
                };
                if wrong {
                    out.push(Lint {
                        check: "tier-direction",
                        key: "prices",
                        message: format!(
                            "`{}` {} prices{band} are {} than standard{when}",
                            model.id,
                            tier.key(),
                            if dearer { "higher" } else { "lower" }
                        ),
                    });
                }
            }
            if let Some(a) = above {
                if let Some(t) = period.long_context.iter().find(|t| t.above == a) {
                    for part in Part::TOKENS {
                        if t.rates.effective(part) < period.base.effective(part) {
                            out.push(Lint {
                                check: "tier-lowers-price",
                                key: "prices",
                                message: format!(
                                    "`{}` long-context {} price above {a} tokens is lower than below it{when}",
                                    model.id,
                                    part.key()
                                ),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}
