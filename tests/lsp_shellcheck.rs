//! ShellCheck in the language server under a burst of edits: one ShellCheck
//! run per document at a time, and the latest version checked when it ends
//! (not every version in turn), with a fake `shellcheck` that counts its
//! runs and takes its time.

#![cfg(unix)]

mod lsp_client;
mod support;

use lsp_client::Client;
use serde_json::{json, Value};
use support::TempDir;

/// A `shellcheck` that notes each run in `count`, takes 0.4 s, and reports
/// one finding whose message is the last line of the script it was given
/// (the RUN's command, after berth's 10-line prelude).
fn slow_counting_fake(t: &TempDir) -> (String, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let count = t.path().join("runs");
    let bin = t.path().join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("shellcheck");
    let body = format!(
        r#"#!/bin/sh
echo run >> '{}'
script=$(tail -n 1 | tr -d '"\\')
sleep 0.4
echo "{{\"comments\":[{{\"file\":\"-\",\"line\":11,\"endLine\":11,\"column\":1,\"endColumn\":2,\"level\":\"warning\",\"code\":9999,\"message\":\"$script\"}}]}}"
"#,
        count.display()
    );
    std::fs::write(&fake, body).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    (format!("{}:/usr/bin:/bin", bin.display()), count)
}

fn runs(count: &std::path::Path) -> usize {
    std::fs::read_to_string(count).map_or(0, |s| s.lines().count())
}

/// The ShellCheck finding of a publication for `version`, if it has one.
fn finding(msg: &Value, uri: &str, version: i64) -> Option<String> {
    if msg["method"] != "textDocument/publishDiagnostics"
        || msg["params"]["uri"] != uri
        || msg["params"]["version"] != version
    {
        return None;
    }
    msg["params"]["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == "SC9999")
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_burst_of_edits_runs_shellcheck_on_the_latest_version_only() {
    let t = TempDir::new("lsp-sc-burst");
    let (path, count) = slow_counting_fake(&t);
    let mut c = Client::start_with(&["lsp"], &[("PATH", path.as_str())]);
    c.initialize_with(json!({}));
    let uri = "untitled:burst";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
            "text": "FROM alpine:3.20\nRUN echo start\n"}}),
    );
    let first = c.wait_for("ShellCheck on v1", |m| finding(m, uri, 1).is_some());
    assert_eq!(finding(&first, uri, 1).as_deref(), Some("echo start"));
    assert_eq!(runs(&count), 1);

    // Twenty keystrokes at the end of the RUN, each one once the rules'
    // diagnostics of the one before are in: much faster than one run.
    let typed = "abcdefghijklmnopqrst";
    for (i, ch) in typed.chars().enumerate() {
        let col = "RUN echo start".len() + i;
        let version = 2 + i as i64;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": 1, "character": col},
                    "end": {"line": 1, "character": col}}, "text": ch.to_string()}]}),
        );
        c.diagnostics(uri, version);
    }
    let last = 1 + typed.len() as i64;
    let msg = c.wait_for("ShellCheck on the last version", |m| {
        finding(m, uri, last).is_some()
    });
    assert_eq!(finding(&msg, uri, last), Some(format!("echo start{typed}")));
    // The first keystroke's version, then the last: two runs after the
    // first (a third only if the burst outlasted a run on a slow machine).
    let after = runs(&count) - 1;
    assert!(
        (1..=3).contains(&after),
        "{after} ShellCheck runs for {} edits",
        typed.len()
    );
    c.shutdown_and_exit();
}
