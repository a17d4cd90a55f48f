//! Runs the `tokengate` binary the way a user does and captures what it says.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The sample tokens' claims: issued 2026-01-01T00:00:00Z, checked an hour later.
pub const NOW: u64 = 1_767_229_200;
pub const ISS: &str = "https://issuer.tokengate.test";
pub const AUD: &str = "door-17";

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", self.stdout))
    }

    /// Asserts a rejection: exit 1, `{"active": false}` on stdout, and exactly one stderr line,
    /// the reason.
    pub fn assert_rejected(&self, reason: &str) {
        assert_eq!(self.code, 1, "{self:#?}");
        assert_eq!(
            self.json(),
            serde_json::json!({"active": false}),
            "{self:#?}"
        );
        assert_eq!(
            self.stderr,
            format!("tokengate: rejected: {reason}\n"),
            "{self:#?}"
        );
    }

    /// Asserts exit 2 with one stderr line that contains `fragment`.
    pub fn assert_usage(&self, fragment: &str) {
        assert_eq!(self.code, 2, "{self:#?}");
        assert!(self.stderr.contains(fragment), "{self:#?}");
        assert!(self.stdout.is_empty(), "{self:#?}");
    }

    /// Asserts that stderr is exactly one line.
    pub fn assert_one_stderr_line(&self) {
        assert_eq!(self.stderr.lines().count(), 1, "{self:#?}");
        assert!(self.stderr.ends_with('\n'), "{self:#?}");
    }
}

/// The workspace root (the tokengate repository).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

/// A file of the library's sample data, as a path relative to the workspace root.
pub fn data(relative: &str) -> String {
    format!("tests/data/{relative}")
}

/// A sample token's text.
pub fn token(name: &str) -> String {
    std::fs::read_to_string(root().join(data(&format!("tokens/{name}.jwt"))))
        .expect("sample token")
        .trim()
        .to_owned()
}

/// Runs `tokengate ARGS` in the workspace root with `stdin` on standard input.
pub fn cli_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokengate"))
        .args(args)
        .current_dir(root())
        // The --url tests talk to a loopback server: no proxy in between.
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tokengate");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    // Write from a thread so a child that stops reading cannot block the test.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("wait for tokengate");
    let _ = writer.join();
    Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `tokengate ARGS` with empty standard input.
pub fn cli(args: &[&str]) -> Run {
    cli_with_stdin(args, b"")
}

/// A fresh directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes `contents` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write fixture");
    path.to_str().expect("UTF-8 path").to_owned()
}

/// Mints a token with the CLI's `mint`, asserting success.
pub fn mint(args: &[&str]) -> String {
    let mut all = vec!["mint"];
    all.extend_from_slice(args);
    let run = cli(&all);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.is_empty(), "{run:#?}");
    run.stdout.trim().to_owned()
}

/// The decoded payload segment of a token, as text.
pub fn payload_text(token: &str) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    let payload = token.split('.').nth(1).expect("three segments");
    String::from_utf8(Base64UrlUnpadded::decode_vec(payload).expect("base64url")).expect("UTF-8")
}

/// The member names of a JSON object, in order.
pub fn member_names(value: &Value) -> Vec<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}
