//! A model's context window and maximum output, checked against a request:
//! a prompt longer than the window or an output longer than the maximum is
//! a request the provider refuses, so it has no price. `estimate` stops on
//! it; the scenario commands flag the share of requests affected.

use crate::pricing::bill::Request;
use crate::pricing::Model;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error(
        "the prompt ({prompt} tokens) is longer than `{model}`'s context window ({window} tokens)"
    )]
    PromptTooLong {
        model: String,
        prompt: u64,
        window: u64,
    },
    #[error("the output ({output} tokens, reasoning included) is longer than `{model}`'s maximum output ({max} tokens)")]
    OutputTooLong {
        model: String,
        output: u64,
        max: u64,
    },
}

/// Checks one request against the model's stated limits (none stated: no check).
pub fn check(model: &Model, request: &Request) -> Result<(), LimitError> {
    if let Some(window) = model.context_window.filter(|w| request.prompt() > *w) {
        return Err(LimitError::PromptTooLong {
            model: model.id.clone(),
            prompt: request.prompt(),
            window,
        });
    }
    if let Some(max) = model.max_output.filter(|m| request.generated() > *m) {
        return Err(LimitError::OutputTooLong {
            model: model.id.clone(),
            output: request.generated(),
            max,
        });
    }
    Ok(())
}
