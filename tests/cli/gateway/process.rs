//! The real `cost gateway` binary as a child process: started with given
//! arguments and environment, its address read from what it says on
//! stderr, its later notes kept for the test, and killed when dropped.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A gateway child process, killed when dropped.
pub struct Gateway {
    child: Child,
    /// Where it listens (`127.0.0.1:PORT`).
    pub addr: String,
    /// Its stderr, line by line, from the first.
    pub notes: mpsc::Receiver<String>,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Gateway {
    /// `cost ARGS` with `vars` set, once it says where it listens (at most
    /// 20 s).
    pub fn spawn(args: &[OsString], vars: &[(&str, String)]) -> Gateway {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cost"));
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (var, value) in vars {
            cmd.env(var, value);
        }
        let mut child = cmd.spawn().expect("the cost binary starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut gw = Gateway {
            child,
            addr: String::new(),
            notes: rx,
        };
        let mut seen = Vec::new();
        loop {
            let line = gw
                .notes
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("the gateway did not start: {seen:?}"));
            if let Some(rest) = line.split("listening on http://").nth(1) {
                gw.addr = rest.split_whitespace().next().unwrap().to_string();
                break;
            }
            seen.push(line);
        }
        // What it said before listening comes first, then the rest.
        let (tx, rx) = mpsc::channel();
        for l in seen {
            tx.send(l).unwrap();
        }
        let old = std::mem::replace(&mut gw.notes, rx);
        std::thread::spawn(move || {
            while let Ok(l) = old.recv() {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        gw
    }

    /// Stops it as Ctrl-C or SIGTERM would, and waits (at most 20 s) for
    /// it to exit 0.
    pub fn terminate(mut self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill(1) runs");
        assert!(sent.success(), "kill -TERM: {sent}");
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("the gateway's status") {
                assert!(status.success(), "stopped with {status}");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the gateway did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
