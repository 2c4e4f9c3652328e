//! Integration tests of the generator and of the generated crates.
//!
//! The library part holds the models generated from every valid spec in `fixtures/` (by
//! `build.rs`), so that the generator's output for each feature is compiled, linted and
//! exercised by the tests in `tests/`.

/// One module per fixture spec, named after the file.
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

pub mod qs;

/// Copies `from` (a folder or a file) to `to`, for tests that set up a project of their own.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// The resident set of this process, in bytes (Linux), for the tests that read long streams.
pub fn resident() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux's /proc");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kb * 1024
}

/// Real servers the tests start on loopback (Prism, uvicorn) and stop when dropped.
pub mod server {
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    /// A server on 127.0.0.1 run by a child process, killed when dropped (also when a test fails).
    pub struct LocalServer {
        child: Child,
        /// `http://127.0.0.1:<port>`.
        pub url: String,
    }

    impl Drop for LocalServer {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// The workspace root.
    pub fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
    }

    /// `program` from the environment variable `var`, else `default` under the workspace root;
    /// a missing program fails the test with `install`, the way to get it. Never a skip.
    pub fn tool(var: &str, default: &str, install: &str) -> PathBuf {
        let path = std::env::var_os(var)
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join(default));
        assert!(path.exists(), "missing {}: {install}", path.display());
        path
    }

    impl LocalServer {
        /// Starts `command` with a free port as `{port}` in its arguments, and waits until the
        /// port accepts connections; what it writes goes to a log shown if it exits early.
        pub fn start(program: &Path, args: &[String], what: &str, limit: Duration) -> LocalServer {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let log = std::env::temp_dir().join(format!("{what}-{port}.log"));
            let args = args.iter().map(|a| a.replace("{port}", &port.to_string()));
            let child = Command::new(program)
                .args(args)
                .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
                .stderr(Stdio::from(
                    std::fs::File::create(log.with_extension("err")).unwrap(),
                ))
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
            let mut server = LocalServer {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            let start = Instant::now();
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Ok(Some(status)) = server.child.try_wait() {
                    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
                    panic!(
                        "{what} exited ({status}): {}{}",
                        read(&log),
                        read(&log.with_extension("err"))
                    );
                }
                assert!(
                    start.elapsed() < limit,
                    "{what} did not start within {limit:?}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            server
        }
    }
}
