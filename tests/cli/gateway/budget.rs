//! Budgets under concurrency: 1,000 requests at once against a limit that
//! admits exactly N worst cases: exactly N are served, the rest get a 429,
//! and the ledger (which survives a restart) never exceeds the limit.

use std::sync::Arc;

use axum::http::HeaderMap;
use cost::gateway::budget::{Accounts, Bucket, Ledger};
use cost::gateway::config::Limits;
use cost::gateway::ledger::SqliteLedger;
use cost::gateway::price::worst_case;
use cost::gateway::proxy::handle;
use cost::gateway::Api;
use cost::money::Money;
use cost::pricing::bill::{price_at, Request};
use cost::pricing::{Catalog, ServiceTier};
use cost::tokenizer::Encoding;
use serde_json::{json, Value};

use super::{bounded, chat, client, log_lines, start, CAPPED_KEY, KEY};

const REQUESTS: usize = 1000;
const ADMITTED: i128 = 250;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_at_the_boundary_neither_overspend_nor_refuse_wrongly() {
    bounded(async {
        let catalog = Catalog::builtin().unwrap().with_snapshot();
        let mini = catalog.lookup("gpt-4o-mini").unwrap().clone();
        let mut body = chat("hi");
        let counted = Encoding::O200k.count_chat(body["messages"].as_array().unwrap());
        let now = jiff::Timestamp::now();
        let worst = worst_case(&mini, counted, Some(100), ServiceTier::Standard, now).unwrap();
        let actual = price_at(
            &mini,
            &Request {
                input: counted,
                output: 100,
                ..Request::default()
            },
            now,
        )
        .unwrap()
        .total;
        assert_eq!(
            worst, actual,
            "the mock answers at the worst case, so the admitted count is exact"
        );
        body["mock_usage"] = json!({"prompt": counted, "output": 100});
        let limit = Money::from_picos(worst.picos() * ADMITTED + worst.picos() / 2);
        let dir = tempfile::tempdir().unwrap();
        let ledger_path = dir.path().join("boundary.sqlite");
        let accounts = || Accounts {
            total: Limits {
                per_day: Some(limit),
                per_month: None,
            },
            ..Accounts::default()
        };
        let ledger = Arc::new(SqliteLedger::open(&ledger_path, accounts()).unwrap());
        let shared_ledger: Arc<dyn Ledger> = ledger.clone();
        let h = start("router", move |rt| rt.ledger = shared_ledger).await;
        let mut headers = HeaderMap::new();
        headers.insert("authorization", format!("Bearer {KEY}").parse().unwrap());
        let bytes = bytes::Bytes::from(body.to_string());
        let tasks: Vec<_> = (0..REQUESTS)
            .map(|_| {
                let (shared, headers, bytes) =
                    (h.gw.shared.clone(), headers.clone(), bytes.clone());
                tokio::spawn(async move {
                    handle(shared, Api::OpenAi, headers, bytes, false)
                        .await
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut ok = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                200 => ok += 1,
                429 => refused += 1,
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(
            (ok, refused),
            (ADMITTED as usize, REQUESTS - ADMITTED as usize)
        );
        let day = Bucket {
            scope: "total".into(),
            window: now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string(),
        };
        let spent = ledger.spent(&day);
        assert_eq!(spent, Money::from_picos(worst.picos() * ADMITTED));
        assert!(spent <= limit);
        let lines = log_lines(&h.log, REQUESTS).await;
        assert_eq!(
            lines.iter().filter(|l| l["outcome"] == "ok").count(),
            ADMITTED as usize
        );
        assert!(lines
            .iter()
            .filter(|l| l["outcome"] == "over_budget")
            .all(|l| l["error"].as_str().unwrap().contains("budget `total`")));
        h.gw.stop().await.unwrap();
        drop(ledger);
        let reopened = SqliteLedger::open(&ledger_path, accounts()).unwrap();
        assert_eq!(reopened.spent(&day), spent, "the ledger survives a restart");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_over_its_budget_gets_a_429_in_its_clients_format() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let body = json!({"model": "auto", "max_tokens": 4000, "messages": [{"role": "user", "content": "prove it"}]});
        let r = client().post(h.url("/v1/messages")).header("x-api-key", CAPPED_KEY).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 429);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["type"], "rate_limit_error");
        assert!(e["error"]["message"].as_str().unwrap().contains("budget `key:capped`"));
        let r = client().post(h.url("/v1/messages")).header("x-api-key", KEY).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 200, "another key is not bound by it");
        assert_eq!(h.mock.calls().len(), 1);
    })
    .await;
}
