//! The upstream HTTP client: hyper-util's pooled client (keep-alive
//! connections per host) over rustls with the `ring` provider and the
//! platform's certificate roots, HTTP/2 where the provider offers it by
//! ALPN and HTTP/1.1 otherwise. reqwest wraps this same client; on the
//! request path its layers above it cost about 28 µs at one request in
//! flight on the benchmark machine (BENCHMARKS.md "Gateway", the floor),
//! so the gateway calls the pool directly. Timeouts are the caller's
//! (`tokio::time::timeout` around each step), and no error names the URL.

use std::fmt;
use std::time::Duration;

use axum::http::{HeaderMap, Request, Uri};
use bytes::Bytes;
use futures_util::Stream;
use http_body_util::{BodyDataStream, BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls_platform_verifier::ConfigVerifierExt;

/// How long a new connection to a provider may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A provider's answer, its body still to be read.
pub type Answer = hyper::Response<Incoming>;

#[derive(Clone)]
pub struct Client(hyper_util::client::legacy::Client<HttpsConnector<HttpConnector>, Full<Bytes>>);

/// A transport failure: what kind, and why (never the URL, which may
/// carry a path or query the operator did not mean to log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub connect: bool,
    message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.connect {
            "cannot connect"
        } else {
            "transport error"
        };
        write!(f, "{kind}: {}", self.message)
    }
}

/// The error and its causes, outermost first (`client error (Connect):
/// tcp connect error: Connection refused (os error 111)`).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

impl From<hyper_util::client::legacy::Error> for Error {
    fn from(e: hyper_util::client::legacy::Error) -> Error {
        Error {
            connect: e.is_connect(),
            message: chain(&e),
        }
    }
}

impl From<hyper::Error> for Error {
    fn from(e: hyper::Error) -> Error {
        Error {
            connect: false,
            message: chain(&e),
        }
    }
}

impl Client {
    /// A client with its own pool; `http://` and `https://` URLs both.
    pub fn new() -> std::io::Result<Client> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let tls = rustls::ClientConfig::with_platform_verifier().map_err(std::io::Error::other)?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(CONNECT_TIMEOUT));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let pool = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .build(https);
        Ok(Client(pool))
    }

    /// POSTs `body` to `uri` with `headers`; resolves once the answer's
    /// status and headers have arrived.
    pub async fn post(&self, uri: &Uri, headers: HeaderMap, body: Bytes) -> Result<Answer, Error> {
        let mut req = Request::post(uri.clone())
            .body(Full::new(body))
            .expect("a POST to a parsed URI is a valid request");
        *req.headers_mut() = headers;
        Ok(self.0.request(req).await?)
    }
}

/// The whole body of an answer.
pub async fn whole(answer: Answer) -> Result<Bytes, Error> {
    Ok(answer.into_body().collect().await?.to_bytes())
}

/// The body of an answer, chunk by chunk as it arrives.
pub fn chunks(answer: Answer) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
    use futures_util::TryStreamExt;
    BodyDataStream::new(answer.into_body()).map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refused_connection_is_a_connect_error_without_the_url() {
        // A port nothing listens on: bind one, note it, close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let uri: Uri = format!("http://127.0.0.1:{port}/v1/secret-path?token=abc")
            .parse()
            .unwrap();
        let client = Client::new().unwrap();
        let Err(e) = client.post(&uri, HeaderMap::new(), Bytes::new()).await else {
            panic!("nothing listens on {port}");
        };
        assert!(e.connect, "{e}");
        let text = e.to_string();
        assert!(text.starts_with("cannot connect: "), "{text}");
        assert!(
            !text.contains("secret-path") && !text.contains("abc"),
            "{text}"
        );
    }
}
