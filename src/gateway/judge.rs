//! A cascade stage's judge: once an answer has passed the cheap checks, a
//! judge model is asked whether it is good enough. The judge call is an
//! attempt of its own: reserved from the request's budgets at its worst
//! case, priced with the kernel, settled and logged (`outcome:
//! "judge_pass"`, `"judge_fail"` or `"judge_error"`, the judge's model),
//! and its cost counts in the request's `x-cost-total-usd`. A judge that
//! cannot answer rejects the answer, so the next (stronger) stage is
//! asked: a cascade errs towards quality, and the log says why.

use axum::http::HeaderMap;
use serde_json::Value;

use super::close::{close_attempt, reserve, End};
use super::decide::upstream_for;
use super::price::usage_of;
use super::proxy::{Ctx, Shared};
use super::upstream::whole;
use super::verify::{judge_request, judged, JudgeSpec, Reject};
use super::Endpoint;
use crate::money::Money;
use crate::tokenizer::Encoding;

/// The judge's verdict on `answer` to `question`, and what asking cost.
pub async fn ask(
    shared: &Shared,
    ctx: &Ctx,
    attempt: u32,
    spec: &JudgeSpec,
    question: &str,
    answer: &str,
) -> (Result<(), Reject>, Option<Money>) {
    let fail = |why: String| Err(Reject::Judge(why));
    let Some(model) = shared.rt.catalog.get(&spec.model) else {
        return (
            fail(format!("`{}` is not in the price sheets", spec.model)),
            None,
        );
    };
    let endpoint = match upstream_for(Endpoint::Chat, model) {
        Ok(e) => e,
        Err(why) => return (fail(why), None),
    };
    let body = judge_request(spec, endpoint, question, answer);
    let mut jctx = ctx.clone();
    jctx.upstream = endpoint;
    jctx.stream = false;
    jctx.shadow = false;
    jctx.counted_prompt = Encoding::O200k.count(&spec.instructions)
        + Encoding::O200k.count(question)
        + Encoding::O200k.count(answer);
    let hold = match reserve(shared, &jctx, model, Some(spec.max_tokens)).await {
        Ok(h) => h,
        Err(r) => return (fail(format!("not asked: {}", r.message)), None),
    };
    let bytes = bytes::Bytes::from(serde_json::to_vec(&body).expect("a JSON value serialises"));
    let (status, reply) = match whole(shared, &jctx, bytes, &HeaderMap::new()).await {
        Ok(answer) => answer,
        Err((status, why)) => {
            let end = End::failed("judge_error", status, Some(&why));
            close_attempt(shared, &jctx, attempt, model, Some(hold), end)
                .written()
                .await;
            return (Err(Reject::Judge(format!("the judge failed: {why}"))), None);
        }
    };
    let usage = usage_of(endpoint.api(), &reply);
    let value: Value = serde_json::from_slice(&reply).unwrap_or(Value::Null);
    let verdict = judged(spec, endpoint, &value);
    let why = verdict.as_ref().err().map(ToString::to_string);
    let cost = close_attempt(
        shared,
        &jctx,
        attempt,
        model,
        Some(hold),
        End {
            usage: usage.as_ref().map(|u| (u, "upstream")),
            outcome: if verdict.is_ok() {
                "judge_pass"
            } else {
                "judge_fail"
            },
            status: Some(status),
            ttft_s: None,
            error: why.as_deref(),
        },
    )
    .written()
    .await;
    (verdict, cost)
}
