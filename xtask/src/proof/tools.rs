//! Running the tools the tasks use: commands from the workspace root, `cargo test` with its
//! counts, the pinned Python and npm tools installed when their locks change.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: the parent of this crate's folder.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// How long each step of this run took, in order, and each test binary `cargo test` ran: what
/// [`time_table`] prints.
static TIMES: std::sync::Mutex<Times> = std::sync::Mutex::new(Times {
    steps: Vec::new(),
    tests: Vec::new(),
});

struct Times {
    /// Each step, with how deep inside another step it ran.
    steps: Vec<(String, f64, usize)>,
    tests: Vec<(String, f64)>,
}

/// How many [`timed`] steps are running now, one inside the other.
static DEPTH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn record(what: String, seconds: f64, test: bool) {
    let depth = DEPTH.load(std::sync::atomic::Ordering::Relaxed);
    if let Ok(mut times) = TIMES.lock() {
        match test {
            true => times.tests.push((what, seconds)),
            false => times.steps.push((what, seconds, depth)),
        }
    }
}

/// Where the time went: every step in order with its share of the whole, then the slowest
/// test binaries (their own run, after cargo built them).
pub fn time_table() -> String {
    let Ok(times) = TIMES.lock() else {
        return String::new();
    };
    // A step inside another is part of that one's time: shown under it, not added again.
    let total: f64 = times.steps.iter().filter(|s| s.2 == 0).map(|s| s.1).sum();
    let mut out = String::from("\n| step | seconds | share |\n|---|---:|---:|\n");
    for (what, seconds, depth) in &times.steps {
        let share = 100.0 * seconds / total.max(f64::EPSILON);
        let within = "↳ ".repeat(*depth);
        out.push_str(&format!(
            "| {within}{what} | {seconds:.1} | {share:.0}% |\n"
        ));
    }
    out.push_str(&format!("| total | {total:.1} | |\n"));
    let mut tests = times.tests.clone();
    tests.sort_by(|a, b| b.1.total_cmp(&a.1));
    out.push_str("\n| slowest test binaries | seconds |\n|---|---:|\n");
    for (what, seconds) in tests.iter().take(10) {
        out.push_str(&format!("| {what} | {seconds:.1} |\n"));
    }
    out
}

/// Runs one command from the workspace root; fails with its name when it fails.
pub fn exec(
    root: &Path,
    program: &str,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Result<(), String> {
    println!("\n==> {program} {}", args.join(" "));
    let started = std::time::Instant::now();
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let took = started.elapsed().as_secs_f64();
    let what = format!("{program} {}", args.first().unwrap_or(&""));
    println!("<== {what} ({took:.1} s)");
    record(what, took, false);
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs `step`, then prints how long `what` took.
pub fn timed<T>(what: &str, step: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    use std::sync::atomic::Ordering;
    let started = std::time::Instant::now();
    DEPTH.fetch_add(1, Ordering::Relaxed);
    let result = step();
    DEPTH.fetch_sub(1, Ordering::Relaxed);
    let took = started.elapsed().as_secs_f64();
    println!("<== {what} ({took:.1} s)");
    record(what.to_owned(), took, false);
    result
}

/// Creates `.cache/venv` with the pinned tools of `tools/requirements.lock` when the lock changed.
pub fn python_tools(root: &Path) -> Result<std::path::PathBuf, String> {
    let venv = root.join(".cache/venv");
    let lock = std::fs::read_to_string(root.join("tools/requirements.lock"))
        .map_err(|e| format!("cannot read tools/requirements.lock: {e}"))?;
    let stamp = venv.join("requirements.lock");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
        let venv_s = venv.to_string_lossy().into_owned();
        exec(root, "python3", &["-m", "venv", "--clear", &venv_s], &[])?;
        let pip = venv.join("bin/pip").to_string_lossy().into_owned();
        exec(
            root,
            &pip,
            &[
                "install",
                "--quiet",
                "--require-hashes",
                "-r",
                "tools/requirements.lock",
            ],
            &[],
        )?;
        std::fs::write(&stamp, lock)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(venv.join("bin"))
}

/// `npm ci` in `dir` (relative to the root) when its lock changed since the last install.
pub fn npm_ci(root: &Path, dir: &str) -> Result<(), String> {
    let lock = std::fs::read_to_string(root.join(dir).join("package-lock.json"))
        .map_err(|e| format!("cannot read {dir}/package-lock.json: {e}"))?;
    let stamp = root.join(dir).join("node_modules/.package-lock.stamp");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
        exec(
            root,
            "npm",
            &[
                "ci",
                "--prefix",
                dir,
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ],
            &[],
        )?;
        std::fs::write(&stamp, lock)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(())
}

/// Runs `cargo test` with `args`, echoing its output, and adds up its `test result:` lines.
pub fn cargo_test(
    root: &Path,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
) -> Result<(usize, usize), String> {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    println!("\n==> cargo test {}", args.join(" "));
    let started = std::time::Instant::now();
    let mut child = Command::new("cargo")
        .arg("test")
        .args(args)
        .envs(envs.iter().copied())
        .env("INSTA_UPDATE", "no")
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    // Cargo names each test binary on standard error before it runs it; its summary comes on
    // standard output.
    let stderr = child.stderr.take().expect("stderr is piped");
    let (names, binaries) = std::sync::mpsc::channel();
    let echo = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            let trimmed = line.trim_start();
            if let Some(name) = trimmed
                .strip_prefix("Running ")
                .or(trimmed.strip_prefix("Doc-tests "))
            {
                let _ = names.send(name.split(" (").next().unwrap_or(name).to_owned());
            }
        }
    });
    let (mut passed, mut failed) = (0, 0);
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines() {
        let line = line.map_err(|e| format!("cannot read cargo's output: {e}"))?;
        println!("{line}");
        if let Some((p, f)) = parse_result(&line) {
            passed += p;
            failed += f;
            let wait = std::time::Duration::from_secs(5);
            let binary = binaries.recv_timeout(wait).unwrap_or_default();
            record(binary, finished_in(&line).unwrap_or(0.0), true);
        }
    }
    let _ = echo.join();
    let status = child
        .wait()
        .map_err(|e| format!("cargo test failed: {e}"))?;
    let took = started.elapsed().as_secs_f64();
    println!("<== cargo test ({took:.1} s)");
    record(format!("cargo test {}", args.join(" ")), took, false);
    if !status.success() {
        println!("\ntests: {passed} passed, {failed} failed");
        return Err(format!("`cargo test {}` failed ({status})", args.join(" ")));
    }
    Ok((passed, failed))
}

/// The seconds a libtest `test result:` line says the binary ran.
fn finished_in(line: &str) -> Option<f64> {
    let seconds = line.split("finished in ").nth(1)?;
    seconds.trim().trim_end_matches('s').parse().ok()
}

/// The passed and failed counts of a libtest `test result:` line.
pub fn parse_result(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("test result: ")?;
    let count = |word: &str| {
        rest.split(['.', ';'])
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|n| n.trim().parse::<usize>().ok())
    };
    Some((count(" passed")?, count(" failed")?))
}

/// A markdown table cell of `text`: its first line, pipes escaped, cut at `limit` bytes.
pub fn cell_of(text: &str, limit: usize) -> String {
    let one_line = text.lines().next().unwrap_or("").replace('|', "\\|");
    if one_line.len() > limit {
        format!("{}…", &one_line[..one_line.floor_char_boundary(limit)])
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_libtest_summaries() {
        let ok = "test result: ok. 14 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(super::parse_result(ok), Some((14, 0)));
        let bad = "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(super::parse_result(bad), Some((1, 2)));
        assert_eq!(super::parse_result("running 3 tests"), None);
        assert_eq!(super::finished_in(ok), Some(0.0));
        let slow = "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 42.88s";
        assert_eq!(super::finished_in(slow), Some(42.88));
    }
}
