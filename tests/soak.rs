//! A long typing session against the real server: memory must stay flat.
//!
//! Every keystroke inside a RUN makes a new script text, and every cache
//! keyed by such texts grew with the session until they were bounded in
//! bytes (a 300-line RUN typed into 3,000 times took the server from 8.5 MB
//! to 528 MB). This test types into a large RUN one character at a time,
//! waits for each version's diagnostics as an editor would, and reads the
//! server's resident set from `/proc` (Linux only; elsewhere it says it was
//! skipped).

mod lsp_client;

use lsp_client::Client;
use serde_json::json;

/// The server's resident set in KiB, from `/proc/PID/status`.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A Dockerfile with one RUN of `lines` continued lines, in the middle of
/// a two-stage build; the line to type into is `lines / 2 + 2`.
fn large_run(lines: usize) -> String {
    let mut s = String::from("FROM debian:bookworm AS build\nRUN apt-get update \\\n");
    for i in 0..lines {
        s.push_str(&format!(
            "    && echo \"step {i} of the build\" > /tmp/step-{i}.txt \\\n"
        ));
    }
    s.push_str("    && true\nFROM scratch\nCOPY --from=build /tmp /tmp\n");
    s
}

/// RSS in KiB after the first diagnostics, and then after each quarter of
/// `keystrokes` characters typed one by one at `line`/`col` (0-based, in
/// a RUN), each version's diagnostics awaited as an editor would.
fn type_into(text: &str, line: usize, col: usize, keystrokes: usize) -> (u64, Vec<u64>) {
    let mut c = Client::start(&["lsp"]);
    c.send(
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "processId": null, "rootUri": null, "capabilities": {},
            "initializationOptions": {"shellcheck": false},
        }}),
    );
    c.response(0);
    c.notify("initialized", json!({}));
    let uri = "untitled:soak";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    c.diagnostics(uri, 1);
    let pid = c.child.id();
    let fresh = rss_kib(pid).unwrap();
    let mut samples = Vec::new();
    for k in 0..keystrokes {
        let version = k as i64 + 2;
        let at = json!({"line": line, "character": col + k});
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": at, "end": at}, "text": "x"}
            ]}),
        );
        c.diagnostics(uri, version);
        if (k + 1) % (keystrokes / 4) == 0 {
            samples.push(rss_kib(pid).unwrap());
        }
    }
    eprintln!(
        "RSS: fresh {fresh} KiB, then every quarter of {keystrokes} keystrokes {samples:?} KiB"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
    (fresh, samples)
}

#[test]
fn typing_in_a_large_run_holds_a_flat_rss() {
    if rss_kib(std::process::id()).is_none() {
        eprintln!("SKIPPED typing_in_a_large_run_holds_a_flat_rss: no /proc here to read RSS");
        return;
    }
    // Debug builds are slower per keystroke; the growth showed in either.
    let keystrokes: usize = if cfg!(debug_assertions) { 1_200 } else { 3_000 };
    let (fresh, samples) = type_into(&large_run(300), 152, "    && echo \"".len(), keystrokes);
    let last = *samples.last().unwrap();
    assert!(
        last <= 2 * fresh,
        "RSS grew from {fresh} KiB to {last} KiB over {keystrokes} keystrokes: {samples:?}"
    );
    // Flat: the second half of the session adds little to the first.
    let half = samples[1];
    assert!(
        last <= half + fresh / 4,
        "RSS still growing in the second half: {samples:?} (fresh {fresh} KiB)"
    );
}

/// The figure, for the notes and BENCHMARKS.md (minutes in a
/// release build): `cargo test --release --test soak -- --ignored
/// --nocapture`. 20,000 keystrokes in a RUN of the 3,015-line corpus file.
#[test]
#[ignore = "a measurement of several minutes; run by hand"]
fn measure_rss_over_20000_keystrokes_in_3000_lines() {
    let path = std::path::Path::new("../shared/corpus/large-3000-lines.Dockerfile");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!(
            "SKIPPED: {} is not here (it is beside the clone in CI)",
            path.display()
        );
        return;
    };
    // Line 25 is `\tapt-get update; \` inside a RUN.
    let (fresh, samples) = type_into(&text, 24, 1, 20_000);
    let last = *samples.last().unwrap();
    assert!(last <= 2 * fresh, "{fresh} KiB → {samples:?} KiB");
}
