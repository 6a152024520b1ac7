//! The accept loop: each connection is served by hyper-util's server
//! (HTTP/1.1, and HTTP/2 with prior knowledge) with the gateway's router
//! as its service, until told to stop; then the listener closes, idle
//! connections close, and the loop returns once the requests in flight
//! have been answered.
//!
//! `axum::serve` does the same, but it makes the router again for every
//! connection (`Router::with_state` rebuilds its route table, 2.3 KB a
//! connection) and leaves Nagle's algorithm on, which can hold a streamed
//! event back until the client acknowledges the one before. Here the
//! router is made once and cloned (a reference count), and `TCP_NODELAY`
//! is set on each connection.

use std::io;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How long to wait before accepting again when the process is out of
/// file descriptors (or another error not of one connection): the
/// connections in flight free some meanwhile.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Serves `app` on `listener` until `stop` fires (or its sender is
/// dropped), then stops gracefully.
pub async fn serve(listener: TcpListener, app: Router, mut stop: oneshot::Receiver<()>) {
    // No timer: with one, hyper arms a 30 s deadline for every request
    // head, and 256 concurrent streams took 0.3 to 0.4 ms longer to their
    // first event (BENCHMARKS.md, "The binary's pages").
    let builder = Builder::new(TokioExecutor::new());
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if one_connection(&e) => continue,
            Err(_) => {
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                    _ = &mut stop => break,
                }
            }
        };
        // Best effort: a socket that refuses it still works, only slower.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's own failure (a client gone, a malformed
            // head) ends that connection only; hyper has answered what
            // it could.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// An accept error of one connection (it was reset before it could be
/// taken), after which the next is accepted at once.
fn one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
