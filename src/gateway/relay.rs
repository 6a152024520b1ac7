//! A streamed answer passed through event by event: each SSE event goes to
//! the client the moment it is complete, while its usage is read on the
//! way (OpenAI's final usage chunk, which the relay removes again when the
//! gateway asked for it and the client did not; Anthropic's
//! `message_start` and `message_delta`; the Responses API's
//! `response.completed`). A cross-provider stream is converted on the way
//! (`translate::stream`), each upstream event into the client's events at
//! once, its usage read from the upstream's own events. When the stream
//! ends, stalls or
//! the client goes away, the attempt is priced and logged: a client that
//! leaves early is charged what was generated until then, counted by the
//! tokenizer where the provider had not yet reported usage.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use serde_json::Value;

use super::budget::Hold;
use super::client;
use super::close::{close_attempt, Closed, End};
use super::price::{prompt_for, AnthropicStreamUsage, Usage};
use super::proxy::{Ctx, Shared};
use super::responses;
use super::sse::{data, Splitter};
use super::translate::responses_stream::MessagesToResponses;
use super::translate::stream::{ChatToMessages, Convert, MessagesToChat};
use super::{Api, Endpoint};
use crate::pricing::bill::Request;
use crate::tokenizer::Encoding;

type Upstream = Pin<Box<dyn Stream<Item = Result<Bytes, client::Error>> + Send>>;

pub struct Relay {
    shared: Arc<Shared>,
    ctx: Arc<Ctx>,
    attempt: u32,
    model: String,
    hold: Option<Hold>,
    strip_usage: bool,
    upstream: Upstream,
    splitter: Splitter,
    convert: Option<Convert>,
    openai_usage: Option<Usage>,
    anthropic: AnthropicStreamUsage,
    /// Tokens of the answer text relayed so far (`o200k_base`).
    counted_output: u64,
    first_event: Option<Instant>,
    done: bool,
}

impl Relay {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        shared: Arc<Shared>,
        ctx: Arc<Ctx>,
        attempt: u32,
        model: String,
        hold: Hold,
        strip_usage: bool,
        upstream: impl Stream<Item = Result<Bytes, client::Error>> + Send + 'static,
    ) -> Relay {
        let convert = converter(&ctx, strip_usage);
        Relay {
            shared,
            ctx,
            attempt,
            model,
            hold: Some(hold),
            strip_usage,
            upstream: Box::pin(upstream),
            splitter: Splitter::default(),
            convert,
            openai_usage: None,
            anthropic: AnthropicStreamUsage::default(),
            counted_output: 0,
            first_event: None,
            done: false,
        }
    }

    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    pub fn into_stream(self) -> impl Stream<Item = io::Result<Bytes>> + Send {
        futures_util::stream::unfold(self, |mut r| async move {
            r.next_out().await.map(|item| (item, r))
        })
    }

    async fn next_out(&mut self) -> Option<io::Result<Bytes>> {
        let timeout = self.shared.rt.config.timeout;
        loop {
            if self.done {
                return None;
            }
            match tokio::time::timeout(timeout, self.upstream.next()).await {
                Err(_) => {
                    self.finished("timeout", Some("the stream stalled")).await;
                    return Some(Err(io::Error::other("upstream stream stalled")));
                }
                Ok(Some(Err(e))) => {
                    let why = e.to_string();
                    self.finished("stream_error", Some(&why)).await;
                    return Some(Err(io::Error::other("upstream stream failed")));
                }
                Ok(None) => {
                    let mut out = BytesMut::new();
                    if let Some(rest) = self.splitter.rest() {
                        self.pass(&rest, &mut out);
                    }
                    if let Some(c) = &mut self.convert {
                        let mut text = String::new();
                        c.end(&mut text);
                        out.extend_from_slice(text.as_bytes());
                    }
                    self.finished("ok", None).await;
                    return (!out.is_empty()).then(|| Ok(out.freeze()));
                }
                Ok(Some(Ok(chunk))) => {
                    let events = self.splitter.push(&chunk);
                    // The common case, one event passed on as it came: no copy.
                    if let [event] = events.as_slice() {
                        if self.convert.is_none() {
                            if self.inspect(event).is_some() {
                                return Some(Ok(event.clone()));
                            }
                            continue;
                        }
                    }
                    let mut out = BytesMut::new();
                    for event in &events {
                        self.pass(event, &mut out);
                    }
                    if !out.is_empty() {
                        return Some(Ok(out.freeze()));
                    }
                }
            }
        }
    }

    /// Appends what the client gets of one upstream event to `out`.
    fn pass(&mut self, event: &Bytes, out: &mut BytesMut) {
        let Some(payload) = self.inspect(event) else {
            return;
        };
        match &mut self.convert {
            None => out.extend_from_slice(event),
            Some(c) => {
                let mut text = String::new();
                match payload {
                    Payload::Done => c.event(None, &mut text),
                    Payload::Json(v) => c.event(Some(&v), &mut text),
                    Payload::Other => {}
                }
                out.extend_from_slice(text.as_bytes());
            }
        }
    }

    /// Reads one event's usage and text; `None`: the event is not passed on.
    fn inspect(&mut self, event: &[u8]) -> Option<Payload> {
        self.first_event.get_or_insert_with(Instant::now);
        let Some(payload) = data(event) else {
            return Some(Payload::Other);
        };
        if payload == b"[DONE]" {
            return Some(Payload::Done);
        }
        let Ok(v) = serde_json::from_slice::<Value>(&payload) else {
            return Some(Payload::Other);
        };
        let count = |s: Option<&str>| s.map_or(0, |t| Encoding::O200k.count(t));
        match self.ctx.upstream {
            Endpoint::Chat => {
                if v.get("usage").is_some_and(Value::is_object) {
                    self.openai_usage = super::price::usage_of(Api::OpenAi, &payload);
                    let no_choices = v
                        .get("choices")
                        .and_then(Value::as_array)
                        .is_none_or(Vec::is_empty);
                    if self.strip_usage && no_choices && self.convert.is_none() {
                        return None;
                    }
                }
                if let Some(choices) = v.get("choices").and_then(Value::as_array) {
                    for c in choices {
                        self.counted_output +=
                            count(c.pointer("/delta/content").and_then(Value::as_str));
                    }
                }
            }
            Endpoint::Responses => {
                if let Some(u) = responses::stream_usage(&v) {
                    self.openai_usage = Some(u);
                }
                self.counted_output += count(responses::delta_text(&v));
            }
            Endpoint::Messages => {
                self.anthropic.event(&v);
                if v.get("type").and_then(Value::as_str) == Some("content_block_delta") {
                    let d = v.get("delta");
                    let text = d
                        .and_then(|d| d.get("text").or_else(|| d.get("thinking")))
                        .and_then(Value::as_str);
                    self.counted_output += count(text);
                }
            }
        }
        Some(Payload::Json(v))
    }

    /// Prices and logs the attempt, once, and waits until the ledger and
    /// the log hold it (before the client sees the stream end).
    async fn finished(&mut self, outcome: &str, error: Option<&str>) {
        if let Some(closed) = self.finish(outcome, error) {
            closed.written().await;
        }
    }

    /// Prices the attempt and queues its settlement and log line, once.
    fn finish(&mut self, outcome: &str, error: Option<&str>) -> Option<Closed> {
        if self.done {
            return None;
        }
        self.done = true;
        let shared = self.shared.clone();
        let model = shared.rt.catalog.get(&self.model)?;
        let reported = match self.ctx.upstream {
            Endpoint::Chat | Endpoint::Responses => self.openai_usage.clone(),
            Endpoint::Messages => self.anthropic.usage().filter(|_| self.anthropic.finished()),
        };
        let (usage, source) = if let Some(u) = reported {
            (u, "upstream")
        } else {
            // The provider did not get to report usage: what was seen.
            let partial = self.anthropic.usage();
            let mut request = partial.as_ref().map_or(
                Request {
                    input: prompt_for(model, self.ctx.counted_prompt),
                    ..Request::default()
                },
                |u| u.request,
            );
            request.output = request.output.max(self.counted_output);
            let served_model = partial.and_then(|u| u.served_model);
            (
                Usage {
                    request,
                    served_model,
                },
                "estimated",
            )
        };
        let ttft = self
            .first_event
            .map(|t| t.duration_since(self.ctx.started).as_secs_f64());
        Some(close_attempt(
            &shared,
            &self.ctx,
            self.attempt,
            model,
            self.hold.take(),
            End {
                usage: Some((&usage, source)),
                outcome,
                status: Some(200),
                ttft_s: ttft,
                error,
            },
        ))
    }
}

/// What an upstream event's `data:` holds.
enum Payload {
    Json(Value),
    Done,
    Other,
}

/// The stream converter a cross-provider request needs.
fn converter(ctx: &Ctx, strip_usage: bool) -> Option<Convert> {
    match (ctx.endpoint, ctx.upstream) {
        (Endpoint::Chat, Endpoint::Messages) => Some(Convert::ToChat(MessagesToChat::new(
            !strip_usage,
            ctx.ts.as_second(),
        ))),
        (Endpoint::Messages, Endpoint::Chat) => {
            Some(Convert::ToMessages(ChatToMessages::default()))
        }
        (Endpoint::Responses, Endpoint::Messages) => Some(Convert::ToResponses(Box::new(
            MessagesToResponses::new(ctx.ts.as_second()),
        ))),
        _ => None,
    }
}

impl Drop for Relay {
    /// The client went away mid-stream: what it consumed is still paid for.
    fn drop(&mut self) {
        // Nothing waits here: the ledger writes the log line once it has
        // committed the settlement.
        drop(self.finish("client_disconnected", None));
    }
}
