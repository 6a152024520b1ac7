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
use cost::gateway::{Api, Endpoint};
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
        let ledger =
            Arc::new(SqliteLedger::open(&ledger_path, accounts(), jiff::Timestamp::now()).unwrap());
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
        let spent = ledger.spent(&day).unwrap();
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
        // The server's last tasks may still hold it for a moment; once it
        // is ours alone, dropping it stops it (flush, leases handed back).
        let mut ledger = ledger;
        loop {
            match Arc::try_unwrap(ledger) {
                Ok(only) => break drop(only),
                Err(shared) => ledger = shared,
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let reopened =
            SqliteLedger::open(&ledger_path, accounts(), jiff::Timestamp::now()).unwrap();
        assert_eq!(
            reopened.spent(&day).unwrap(),
            spent,
            "the ledger survives a restart"
        );
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

/// The same boundary per user tag: tags read from the request's `user`
/// field, every tag with its own budget (a named tag with a larger one),
/// 1,000 requests at once across three tags. Each tag gets exactly the
/// requests its budget admits, and no tag's spend passes its limit.
#[allow(clippy::too_many_lines)] // one boundary scenario, read whole
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_at_each_tags_boundary() {
    use cost::gateway::config::{TagConfig, TagSource};
    use cost::gateway::tag::handle_tagged;
    bounded(async {
        let catalog = Catalog::builtin().unwrap().with_snapshot();
        let mini = catalog.lookup("gpt-4o-mini").unwrap().clone();
        let mut body = chat("hi");
        let counted = Encoding::O200k.count_chat(body["messages"].as_array().unwrap());
        let now = jiff::Timestamp::now();
        let worst = worst_case(&mini, counted, Some(100), ServiceTier::Standard, now).unwrap();
        body["mock_usage"] = json!({"prompt": counted, "output": 100});
        let fits = |n: i128| Money::from_picos(worst.picos() * n + worst.picos() / 2);
        let each = Limits {
            per_day: Some(fits(100)),
            per_month: None,
        };
        let vip = Limits {
            per_day: None,
            per_month: Some(fits(150)),
        };
        let dir = tempfile::tempdir().unwrap();
        let mut accounts = Accounts {
            each_tag: each,
            ..Accounts::default()
        };
        accounts.tags.insert("vip".into(), vip);
        let ledger = Arc::new(
            SqliteLedger::open(
                &dir.path().join("tags.sqlite"),
                accounts,
                jiff::Timestamp::now(),
            )
            .unwrap(),
        );
        let shared_ledger: Arc<dyn Ledger> = ledger.clone();
        let h = start("router", move |rt| {
            rt.ledger = shared_ledger;
            rt.config.tags = Some(TagConfig {
                from: vec![TagSource::Header("x-cost-tag".into()), TagSource::User],
                each,
                named: [("vip".to_string(), vip)].into_iter().collect(),
            });
        })
        .await;
        let mut headers = HeaderMap::new();
        headers.insert("authorization", format!("Bearer {KEY}").parse().unwrap());
        let tags = ["alice", "bob", "vip"];
        let tasks: Vec<_> = (0..REQUESTS)
            .map(|i| {
                let tag = tags[i % 3];
                let mut b = body.clone();
                b["user"] = json!(tag);
                let (shared, headers, bytes) = (
                    h.gw.shared.clone(),
                    headers.clone(),
                    bytes::Bytes::from(b.to_string()),
                );
                tokio::spawn(async move {
                    let r = handle_tagged(shared, Endpoint::Chat, headers, bytes, false).await;
                    (tag, r.status().as_u16())
                })
            })
            .collect();
        let mut ok = std::collections::BTreeMap::new();
        for t in tasks {
            let (tag, status) = t.await.unwrap();
            match status {
                200 => *ok.entry(tag).or_insert(0) += 1,
                429 => {}
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(ok.get("alice"), Some(&100));
        assert_eq!(ok.get("bob"), Some(&100));
        assert_eq!(ok.get("vip"), Some(&150));
        let day = now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
        let month = day[..7].to_string();
        for (tag, window, n, limit) in [
            ("alice", &day, 100, fits(100)),
            ("bob", &day, 100, fits(100)),
            ("vip", &month, 150, fits(150)),
        ] {
            let spent = ledger
                .spent(&Bucket {
                    scope: format!("tag:{tag}"),
                    window: window.clone(),
                })
                .unwrap();
            assert_eq!(spent, Money::from_picos(worst.picos() * n), "{tag}");
            assert!(spent <= limit, "{tag}");
        }
        let lines = log_lines(&h.log, REQUESTS).await;
        let refused: Vec<&Value> = lines
            .iter()
            .filter(|l| l["outcome"] == "over_budget")
            .collect();
        assert_eq!(refused.len(), REQUESTS - 350);
        assert!(refused
            .iter()
            .all(|l| l["error"].as_str().unwrap().contains("budget `tag:")));
        assert_eq!(
            ledger.open_holds().unwrap(),
            0,
            "every hold settled or released"
        );
        h.gw.stop().await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_over_budget_is_a_429_and_a_bad_tag_a_400_in_the_clients_format() {
    use cost::gateway::config::{TagConfig, TagSource};
    bounded(async {
        let tiny = Limits {
            per_day: Some(Money::from_picos(1)),
            per_month: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts {
            each_tag: tiny,
            ..Accounts::default()
        };
        let ledger: Arc<dyn Ledger> =
            Arc::new(SqliteLedger::open(&dir.path().join("t.sqlite"), accounts, jiff::Timestamp::now()).unwrap());
        let h = start("claude", move |rt| {
            rt.ledger = ledger;
            rt.config.tags = Some(TagConfig {
                from: vec![TagSource::Header("x-cost-tag".into()), TagSource::Metadata("user_id".into())],
                each: tiny,
                named: std::collections::BTreeMap::new(),
            });
        })
        .await;
        let body = json!({"model": "auto", "max_tokens": 10, "metadata": {"user_id": "u-42"}, "messages": [{"role": "user", "content": "hi"}]});
        let r = client().post(h.url("/v1/messages")).header("x-api-key", KEY).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 429);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["type"], "rate_limit_error");
        assert!(e["error"]["message"].as_str().unwrap().contains("budget `tag:u-42`"));
        let untagged = json!({"model": "auto", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]});
        let r = client().post(h.url("/v1/messages")).header("x-api-key", KEY).json(&untagged).send().await.unwrap();
        assert_eq!(r.status(), 200, "a request with no tag has no tag budget");
        let r = client().post(h.url("/v1/messages")).header("x-api-key", KEY).header("x-cost-tag", "x".repeat(200)).json(&untagged).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let e: Value = r.json().await.unwrap();
        assert!(e["error"]["message"].as_str().unwrap().contains("longer than 128 bytes"));
        assert_eq!(h.mock.calls().len(), 1, "only the untagged request went upstream");
    })
    .await;
}
