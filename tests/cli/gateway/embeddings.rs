//! A learned router with an embedding feature, against a local mock of an
//! OpenAI-compatible embeddings endpoint. The table's label is a hash of
//! each query's text that no text feature can learn, and the mock's
//! embedding carries it: trained with the embedding, the router separates
//! the queries out of fold; trained on text alone, it cannot. The model
//! file records the endpoint and the key's variable, never the key; eval
//! and the gateway ask the same endpoint; an unreachable endpoint or an
//! unset key variable is a clear error (exit 2).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{json, Value};

use super::{bounded, chat, client, log_lines, mock, runtime, KEY};
use crate::Cost;

/// The hidden label: one bit of a mixed FNV-1a hash of the text.
fn hidden(text: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 29;
    (h >> 17) & 1 == 1
}

fn text(i: usize) -> String {
    format!("Question {i}: what is the answer?")
}

/// A wide table: the weak model fails exactly the hidden positives.
fn table(dir: &std::path::Path) -> String {
    let mut csv = String::from("id,prompt,weak,strong\n");
    for i in 0..80 {
        let t = text(i);
        csv += &format!("q{i},{t},{},1\n", u8::from(!hidden(&t)));
    }
    let path = dir.join("outcomes.csv");
    std::fs::write(&path, csv).unwrap();
    path.to_str().unwrap().to_string()
}

/// Each call's authorization header and number of inputs.
type Seen = Vec<(Option<String>, usize)>;

#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Seen>>);

/// Embeds each input as (hidden, 1 - hidden, 0.25); records the
/// authorization header and the batch size.
async fn embeddings(
    State(calls): State<Calls>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> axum::Json<Value> {
    let inputs: Vec<String> = body["input"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_string());
    calls.0.lock().unwrap().push((auth, inputs.len()));
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let h = f32::from(u8::from(hidden(t)));
            json!({"index": i, "embedding": [h, 1.0 - h, 0.25]})
        })
        .collect();
    axum::Json(json!({"object": "list", "data": data, "model": body["model"]}))
}

/// The mock on its own thread and runtime, for as long as the test runs.
fn start_mock() -> (SocketAddr, Calls) {
    let calls = Calls::default();
    let state = calls.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new()
                .route("/v1/embeddings", post(embeddings))
                .with_state(state);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().unwrap(), calls)
}

fn train(table: &str, out: &str, embed: Option<SocketAddr>) -> Cost {
    let mut cost = Cost::new()
        .args(["router", "train", table, "--wide", "--query", "id"])
        .args(["--models", "weak,strong", "--text", "prompt"])
        .args(["--weak", "weak", "--strong", "strong", "-o", out]);
    if let Some(addr) = embed {
        cost = cost
            .args(["--embed-url", &format!("http://{addr}/v1/embeddings")])
            .args([
                "--embed-model",
                "mock-embed",
                "--embed-key-env",
                "EMBED_TEST_KEY",
            ]);
    }
    cost
}

fn roc_auc(model: &str) -> f64 {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    file["validation"]["roc_auc"].as_f64().unwrap()
}

#[test]
fn an_embedding_teaches_what_the_text_cannot_and_the_key_stays_out_of_the_file() {
    let (addr, calls) = start_mock();
    let dir = tempfile::tempdir().unwrap();
    let table = table(dir.path());
    let (with, without) = (
        dir.path().join("with.json").to_str().unwrap().to_string(),
        dir.path()
            .join("without.json")
            .to_str()
            .unwrap()
            .to_string(),
    );
    train(&table, &with, Some(addr))
        .env("EMBED_TEST_KEY", "sk-embed-secret")
        .stderr_only_notes()
        .stderr_contains("80 embeddings")
        .run();
    train(&table, &without, None).stderr_only_notes().run();
    assert!(roc_auc(&with) > 0.95, "{}", roc_auc(&with));
    assert!(roc_auc(&without) < 0.8, "{}", roc_auc(&without));
    let file = std::fs::read_to_string(&with).unwrap();
    assert!(!file.contains("sk-embed-secret"));
    let spec: Value =
        serde_json::from_str::<Value>(&file).unwrap()["features"]["embedding"].clone();
    assert_eq!(spec["key_env"], "EMBED_TEST_KEY");
    assert_eq!(spec["model"], "mock-embed");
    assert_eq!(spec["dim"], 3);
    // 80 texts in batches of at most 96: one call, with the key as a bearer token.
    assert_eq!(
        *calls.0.lock().unwrap(),
        vec![(Some("Bearer sk-embed-secret".to_string()), 80)]
    );
    // `eval` asks the endpoint again and scores out of fold.
    let json = Cost::new()
        .args(["router", "eval", &with, &table, "--wide", "--query", "id"])
        .args(["--models", "weak,strong"])
        .args([
            "--cost-per-query",
            "weak=0.0001",
            "--cost-per-query",
            "strong=0.01",
        ])
        .env("EMBED_TEST_KEY", "sk-embed-secret")
        .run_json();
    assert_eq!(json["router_scores"], "out_of_fold");
    assert!(json["roc_auc"].as_f64().unwrap() > 0.95);
    assert_eq!(calls.0.lock().unwrap().len(), 2);
}

#[test]
fn an_unset_key_or_an_unreachable_endpoint_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let table = table(dir.path());
    let out = dir.path().join("r.json").to_str().unwrap().to_string();
    let (addr, _calls) = start_mock();
    train(&table, &out, Some(addr))
        .status(2)
        .stderr_contains("environment variable EMBED_TEST_KEY (the embeddings API key) is not set")
        .run();
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    train(&table, &out, Some(closed))
        .env("EMBED_TEST_KEY", "k")
        .status(2)
        .stderr_contains(format!("embeddings API http://{closed}/v1/embeddings"))
        .run();
    assert!(
        !std::path::Path::new(&out).exists(),
        "nothing is written on failure"
    );
}

/// The gateway asks the endpoint once per request for the routing text's
/// embedding and routes on the score; the score is logged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_scores_with_the_embedding_of_each_request() {
    let (addr, calls) = start_mock();
    let dir = tempfile::tempdir().unwrap();
    let table = table(dir.path());
    let model = dir.path().join("router.json");
    let model_s = model.to_str().unwrap().to_string();
    let t = table.clone();
    tokio::task::spawn_blocking(move || {
        train(&t, &model_s, Some(addr))
            .env("EMBED_TEST_KEY", "sk-embed-secret")
            .stderr_only_notes()
            .run();
    })
    .await
    .unwrap();
    let trained = std::fs::read_to_string(&model).unwrap();
    let cfg = super::learned::config(dir.path(), &trained, "0.5");
    let (hard, easy) = {
        let hard = (0..80).map(text).find(|t| hidden(t)).unwrap();
        let easy = (0..80).map(text).find(|t| !hidden(t)).unwrap();
        (hard, easy)
    };
    bounded(async {
        let (mock_addr, _mock) = mock::start().await;
        let log = dir.path().join("requests.jsonl");
        let ledger = dir.path().join("ledger.sqlite");
        let rt = runtime("router", mock_addr, &log, &ledger, &["--config", &cfg]);
        let gw = cost::gateway::serve(rt, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        for prompt in [&hard, &easy] {
            let r = client()
                .post(format!("http://{}/v1/chat/completions", gw.addr))
                .bearer_auth(KEY)
                .json(&chat(prompt))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let lines = log_lines(&log, 2).await;
        let class_of = |m: &str| {
            lines
                .iter()
                .find(|l| l["model"] == m)
                .map(|l| l["class"].clone())
        };
        assert_eq!(class_of("gpt-4o"), Some(json!("hard")), "{lines:?}");
        assert_eq!(class_of("gpt-4o-mini"), Some(json!("easy")), "{lines:?}");
        assert!(lines.iter().all(|l| l["router_score"].is_f64()));
    })
    .await;
    // One call to train, then one per request.
    assert_eq!(calls.0.lock().unwrap().len(), 3);
}

#[test]
fn an_embeddings_url_that_is_not_http_or_without_a_model_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let table = table(dir.path());
    let out = dir.path().join("r.json").to_str().unwrap().to_string();
    train(&table, &out, None)
        .args([
            "--embed-url",
            "ftp://example.test/embed",
            "--embed-model",
            "m",
        ])
        .status(2)
        .stderr_contains("--embed-url ftp://example.test/embed: not an http:// or https:// URL")
        .run();
    train(&table, &out, None)
        .args(["--embed-url", "http://127.0.0.1:9/v1/embeddings"])
        .status(2)
        .stderr_contains("--embed-model")
        .run();
    assert!(!std::path::Path::new(&out).exists());
}
