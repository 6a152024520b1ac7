//! The upstream over TLS, as the providers' APIs are reached: the real
//! `cost gateway` process in front of the mock served over rustls, with
//! ALPN offering HTTP/2 and HTTP/1.1, for `localhost` under a test CA
//! (`tests/fixtures/tls`, made by its `make.sh`). The gateway trusts the CA
//! through `SSL_CERT_FILE`, which replaces the system's roots. Whole and
//! streamed answers come back and are priced, and every call reached the
//! mock as HTTP/2; without the CA the certificate is refused, no call
//! reaches the mock and nothing is charged.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::Version;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{json, Value};

use super::process::Gateway;
use super::translate::{chat_text, data_events};
use super::{bounded, chat, client, config_vars, kernel_price, log_lines, mock, money, KEY};

fn tls_fixture(name: &str) -> String {
    crate::fixture(&format!("tls/{name}"))
}

/// The mock's routes over TLS on 127.0.0.1:0, with the HTTP version of
/// every request it served.
async fn start_tls() -> (SocketAddr, mock::Mock, Arc<Mutex<Vec<Version>>>) {
    let certs = CertificateDer::pem_file_iter(tls_fixture("localhost.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls_fixture("localhost.key")).unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let recorded = mock::Mock::default();
    let versions = Arc::new(Mutex::new(Vec::new()));
    let seen = versions.clone();
    let app = mock::app(&recorded).layer(axum::middleware::map_request(move |req: Request| {
        seen.lock().unwrap().push(req.version());
        async move { req }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                // A handshake the client refuses ends that connection only.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let _ = Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                    .await;
            });
        }
    });
    (addr, recorded, versions)
}

/// `cost gateway` on the fixture scenario with the mock at
/// `https://localhost:PORT`, trusting the roots in `roots`.
fn spawn(upstream: SocketAddr, dir: &std::path::Path, roots: &str) -> Gateway {
    let mut args: Vec<OsString> = [
        "gateway".to_string(),
        crate::fixture("gateway/scenario.toml"),
        "--plan".into(),
        "router".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--upstream".into(),
        format!("openai=https://localhost:{}", upstream.port()),
    ]
    .into_iter()
    .map(Into::into)
    .collect();
    for (flag, file) in [("--ledger", "ledger.sqlite"), ("--log", "requests.jsonl")] {
        args.push(flag.into());
        args.push(dir.join(file).into());
    }
    let mut vars = config_vars();
    vars.push(("SSL_CERT_FILE", roots.to_string()));
    Gateway::spawn(&args, &vars)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_come_over_tls_and_http2_priced_as_over_plain_http() {
    bounded(async {
        let (upstream, recorded, versions) = start_tls().await;
        let dir = tempfile::tempdir().unwrap();
        let gw = spawn(upstream, dir.path(), &tls_fixture("ca.pem"));
        let url = format!("http://{}/v1/chat/completions", gw.addr);

        let mut whole = chat("hi");
        whole["mock_usage"] = json!({"prompt": 40, "output": 7});
        let resp = client()
            .post(&url)
            .bearer_auth(KEY)
            .json(&whole)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["usage"]["completion_tokens"], 7);

        let mut streamed = whole.clone();
        streamed["stream"] = json!(true);
        let text = client()
            .post(&url)
            .bearer_auth(KEY)
            .json(&streamed)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
        assert_eq!(chat_text(&data_events(&text)), "Hello world");

        let lines = log_lines(&dir.path().join("requests.jsonl"), 2).await;
        for line in &lines {
            assert_eq!(line["outcome"], "ok", "{line}");
            assert_eq!(line["usage"]["output"], 7);
            assert_eq!(money(&line["cost_usd"]), kernel_price(line));
        }
        assert_eq!(recorded.calls().len(), 2);
        assert_eq!(
            *versions.lock().unwrap(),
            [Version::HTTP_2, Version::HTTP_2],
            "the gateway took HTTP/2 where the upstream offered it"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_certificate_not_trusted_is_refused_and_not_charged() {
    bounded(async {
        let (upstream, recorded, _) = start_tls().await;
        let dir = tempfile::tempdir().unwrap();
        // Roots that do not include the test CA: the mock's own leaf
        // certificate is not a CA.
        let gw = spawn(upstream, dir.path(), &tls_fixture("localhost.pem"));
        let resp = client()
            .post(format!("http://{}/v1/chat/completions", gw.addr))
            .bearer_auth(KEY)
            .json(&chat("hi"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 502);
        let e: Value = resp.json().await.unwrap();
        let message = e["error"]["message"].as_str().unwrap();
        assert!(message.contains("certificate"), "{message}");
        assert!(
            recorded.calls().is_empty(),
            "no request got past the handshake"
        );
        let lines = log_lines(&dir.path().join("requests.jsonl"), 1).await;
        for line in &lines {
            assert_ne!(line["outcome"], "ok", "{line}");
            // No usage, so no cost: nothing was billed.
            assert!(
                line.get("usage").is_none() && line.get("cost_usd").is_none(),
                "{line}"
            );
            assert!(
                line["error"].as_str().unwrap().contains("certificate"),
                "{line}"
            );
        }
    })
    .await;
}
