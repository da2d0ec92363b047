//! The server adapts to what the client says it can do, and reports to it:
//! the startup `window/logMessage` (version, encoding, settings), progress
//! around the first check of a long document, `$/setTrace` + `$/logTrace`,
//! plain-text hover and completion documentation for clients without
//! markdown. Driven over stdio against the real binary.

mod lsp_client;
mod support;

use lsp_client::Client;
use serde_json::{json, Value};

fn open(c: &mut Client, uri: &str, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
}

fn initialize(c: &mut Client, capabilities: Value, options: Value) {
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities,
               "initializationOptions": options}),
    );
    c.notify("initialized", json!({}));
}

/// A Dockerfile of `n` lines, long enough for a progress report.
fn long_dockerfile(n: usize) -> String {
    let mut s = String::from("FROM alpine:3.20 AS build\n");
    for i in 1..n {
        s.push_str(&format!("ENV V{i}={i}\n"));
    }
    s
}

#[test]
fn startup_log_names_version_encoding_and_settings() {
    let mut c = Client::start(&["lsp"]);
    initialize(
        &mut c,
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]},
               "textDocument": {"hover": {"contentFormat": ["plaintext"]}}}),
        json!({"target": "build", "shellcheck": false, "rules": {"DL3008": "off"}}),
    );
    let log = c.wait_for("startup log", |m| m["method"] == "window/logMessage");
    assert_eq!(log["params"]["type"], 3, "{log}");
    assert_eq!(
        log["params"]["message"],
        format!(
            "berth {} ready (position encoding utf-8; settings: target build, shellcheck off, \
             rules: DL3008=off; hover plain text, progress off)",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn settings_changes_are_logged() {
    let mut c = Client::start(&["lsp"]);
    initialize(&mut c, json!({}), Value::Null);
    c.wait_for("startup log", |m| m["method"] == "window/logMessage");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"berth": {"rules": {"UnusedStage": "error"}}}}),
    );
    let log = c.wait_for("settings log", |m| m["method"] == "window/logMessage");
    assert_eq!(
        log["params"]["message"],
        "berth: settings: target: the last stage, shellcheck on, rules: UnusedStage=error"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn progress_around_the_first_check_of_a_long_document() {
    let mut c = Client::start(&["lsp"]);
    initialize(
        &mut c,
        json!({"window": {"workDoneProgress": true}}),
        json!({"shellcheck": false}),
    );
    let uri = "untitled:long";
    open(&mut c, uri, &long_dockerfile(2500));
    let create = c.wait_for("workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    c.send(json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let begin = c.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    assert_eq!(begin["params"]["token"], token);
    assert_eq!(begin["params"]["value"]["title"], "berth: checking");
    assert_eq!(begin["params"]["value"]["message"], "long (2500 lines)");
    c.diagnostics(uri, 1);
    let end = c.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    assert_eq!(end["params"]["token"], token);

    // A short document is checked without a report.
    open(&mut c, "untitled:short", "FROM alpine\n");
    c.diagnostics("untitled:short", 1);
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:short"},
        "position": {"line": 0, "character": 0}}),
    );
    assert!(
        !c.backlog.iter().any(|m| m["method"] == "$/progress"),
        "{:?}",
        c.backlog
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn no_progress_for_a_client_without_work_done_progress() {
    let mut c = Client::start(&["lsp"]);
    initialize(&mut c, json!({}), json!({"shellcheck": false}));
    let uri = "untitled:long";
    open(&mut c, uri, &long_dockerfile(2500));
    c.diagnostics(uri, 1);
    // Anything the server sent before the answer to a later request.
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri},
        "position": {"line": 0, "character": 0}}),
    );
    let progress: Vec<_> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "$/progress" || m["method"] == "window/workDoneProgress/create")
        .collect();
    assert!(progress.is_empty(), "{progress:?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn set_trace_turns_log_trace_on_and_off() {
    let mut c = Client::start(&["lsp"]);
    initialize(&mut c, json!({}), json!({"shellcheck": false}));
    c.notify("$/setTrace", json!({"value": "verbose"}));
    open(&mut c, "untitled:a", "FROM alpine\n");
    let t = c.wait_for("logTrace", |m| m["method"] == "$/logTrace");
    assert_eq!(t["params"]["message"], "first check of untitled:a");
    let verbose = t["params"]["verbose"].as_str().unwrap();
    assert!(
        verbose.starts_with("1 lines, ") && verbose.ends_with(" ms"),
        "{verbose}"
    );

    c.notify("$/setTrace", json!({"value": "messages"}));
    open(&mut c, "untitled:b", "FROM alpine\n");
    let t = c.wait_for("logTrace", |m| m["method"] == "$/logTrace");
    assert_eq!(t["params"]["message"], "first check of untitled:b");
    assert!(t["params"].get("verbose").is_none_or(Value::is_null), "{t}");

    c.notify("$/setTrace", json!({"value": "off"}));
    open(&mut c, "untitled:c", "FROM alpine\n");
    c.diagnostics("untitled:c", 1);
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:c"},
        "position": {"line": 0, "character": 0}}),
    );
    assert!(
        !c.backlog.iter().any(|m| m["method"] == "$/logTrace"),
        "{:?}",
        c.backlog
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

const PRAGMA: &str = "FROM alpine\n# hadolint ignore=DL3022\nRUN echo hi\n";

fn hover_with(capabilities: Value) -> Value {
    let mut c = Client::start(&["lsp"]);
    initialize(&mut c, capabilities, json!({"shellcheck": false}));
    open(&mut c, "untitled:h", PRAGMA);
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:h"}, "position": {"line": 1, "character": 20}}),
    );
    assert_eq!(c.shutdown_and_exit(), 0);
    h
}

#[test]
fn hover_is_plain_text_for_a_client_without_markdown() {
    let h = hover_with(json!({"textDocument": {"hover": {"contentFormat": ["plaintext"]}}}));
    assert_eq!(h["contents"]["kind"], "plaintext");
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("UndefinedStage: "), "{text}");
    assert!(
        !text.contains("**") && !text.contains("```") && !text.contains("## "),
        "{text}"
    );

    let h = hover_with(
        json!({"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}),
    );
    assert_eq!(h["contents"]["kind"], "markdown");
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.starts_with("**UndefinedStage**: "), "{md}");
}

#[test]
fn completion_without_snippets_or_markdown() {
    let mut c = Client::start(&["lsp"]);
    initialize(
        &mut c,
        json!({"textDocument": {"completion": {"completionItem": {
            "snippetSupport": false, "documentationFormat": ["plaintext"]}}}}),
        json!({"shellcheck": false}),
    );
    let uri = "untitled:c";
    open(
        &mut c,
        uri,
        "FROM alpine AS build\nFROM scratch\nCOPY --from=\n",
    );
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 12}}),
    );
    let items = items.as_array().expect("a list of items");
    let labels: Vec<_> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"build"), "{labels:?}");
    for item in items {
        assert_ne!(item["insertTextFormat"], 2, "{item}");
        if let Some(doc) = item.get("documentation") {
            assert_eq!(doc["kind"], "plaintext", "{item}");
        }
    }
    // Keyword documentation at the start of a line, in plain text.
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 0}}),
    );
    for item in items.as_array().unwrap() {
        assert_ne!(item["insertTextFormat"], 2, "{item}");
        if let Some(doc) = item.get("documentation") {
            assert_eq!(doc["kind"], "plaintext", "{item}");
            assert!(!doc["value"].as_str().unwrap().contains("**"), "{item}");
        }
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn progress_around_the_first_shellcheck_run() {
    if !support::shellcheck_installed("progress_around_the_first_shellcheck_run") {
        return;
    }
    let mut c = Client::start(&["lsp"]);
    initialize(
        &mut c,
        json!({"window": {"workDoneProgress": true}}),
        Value::Null,
    );
    let uri = "untitled:sc";
    open(&mut c, uri, "FROM alpine\nRUN echo $1\n");
    let create = c.wait_for("workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    c.send(json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let begin = c.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    assert_eq!(begin["params"]["value"]["title"], "berth: ShellCheck");
    c.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    // ShellCheck's findings follow for the same version.
    c.wait_for("ShellCheck diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["source"] == "shellcheck"))
    });
    // The second document runs ShellCheck without a report.
    open(&mut c, "untitled:sc2", "FROM alpine\nRUN echo $2\n");
    c.wait_for("ShellCheck diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == "untitled:sc2"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["source"] == "shellcheck"))
    });
    assert!(
        !c.backlog.iter().any(|m| m["method"] == "$/progress"),
        "{:?}",
        c.backlog
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}
