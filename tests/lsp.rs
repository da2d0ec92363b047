//! Drives the real `berth` binary over stdio, as an editor would.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod lsp_client;

use lsp_client::{Client, TIMEOUT};

impl Client {
    fn initialize(&mut self, encodings: &[&str]) -> Value {
        self.initialize_with(json!({
                    "general": { "positionEncodings": encodings },
                    "textDocument": { "publishDiagnostics": { "versionSupport": true } }
        }))
    }
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": pos(l1, c1), "end": pos(l2, c2)})
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Line 3 holds an emoji before the stage reference, so its columns differ
/// between UTF-8 and UTF-16; line endings are CRLF.
const TEXT: &str = "FROM golang:1.23 AS builder\r\nLABEL note=\"🚢\" \r\nFROM scratch\r\nCOPY --chown=🚢 --from=buidler /app /app\r\n";

fn session(encoding: &str) {
    // Width of 🚢 in the negotiated unit.
    let e = if encoding == "utf-8" { 4 } else { 2 };
    let typo = 21 + e; // "COPY --chown=" (13) + emoji + " --from=" (8)
    let mut c = Client::start(&["lsp"]);
    let init = c.initialize(&[encoding]);
    assert_eq!(init["capabilities"]["positionEncoding"], encoding);
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);

    let uri = "file:///tmp/berth-test/Dockerfile";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    let d = c.diagnostics(uri, 1);
    let found = d.iter().find(|d| d["code"] == "UndefinedStage");
    let found = found.unwrap_or_else(|| panic!("no UndefinedStage in {d:?}"));
    assert_eq!(found["range"], range(3, typo, 3, typo + 7));
    assert_eq!(
        found["relatedInformation"][0]["location"]["range"],
        range(0, 20, 0, 27)
    );
    assert_eq!(found["data"]["aliases"], json!(["DL3022"]));

    // Replace the emoji on line 1 with two emoji (positions in the encoding).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": range(1, 12, 1, 12 + e), "text": "⚓🚢"}
        ]}),
    );
    // Fix the typo in two keystrokes: "buidler" → "builer" → "builder".
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": range(3, typo + 3, 3, typo + 5), "text": "l"}
        ]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [
            {"range": range(3, typo + 4, 3, typo + 4), "text": "d"}
        ]}),
    );
    // A request sent right after the changes sees all of them.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos(3, typo + 3)}),
    );
    let link = &def[0];
    assert_eq!(link["targetUri"], uri);
    assert_eq!(link["targetSelectionRange"], range(0, 20, 0, 27));
    assert_eq!(link["originSelectionRange"], range(3, typo, 3, typo + 7));

    let d4 = c.diagnostics(uri, 4);
    assert!(
        !codes(&d4).contains(&"UndefinedStage".to_string()),
        "{d4:?}"
    );

    // Completion after `--from=` on a new line; the half-typed COPY is an error.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [
            {"range": range(4, 0, 4, 0), "text": "COPY --from="}
        ]}),
    );
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos(4, 12)}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["builder"]);
    let d5 = c.diagnostics(uri, 5);
    assert_eq!(codes(&d5), ["InvalidArguments"], "{d5:?}");

    // The whole text as the server sees it, checked through a definition
    // on the emoji line's neighbour: line 1 kept its CRLF and two emoji.
    let emoji2 = if encoding == "utf-8" { 7 } else { 3 };
    let past_end = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos(1, 12 + emoji2 + 50)}),
    );
    assert_eq!(past_end, Value::Null);

    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn utf16_session() {
    session("utf-16");
}

#[test]
fn utf8_session() {
    session("utf-8");
}

#[test]
fn stdio_flag_starts_the_server_and_positions_are_clamped() {
    let mut c = Client::start(&["--stdio"]);
    let init = c.initialize(&[]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let uri = "untitled:Untitled-1";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "", "version": 7, "text": "FROM alpine:3.20\nRUN echo hi\n"}}),
    );
    assert!(c.diagnostics(uri, 7).is_empty());
    // Positions past the end of a line and of the file.
    for p in [pos(0, 500), pos(99, 0), pos(1, u32::MAX)] {
        c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": p}),
        );
    }
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 8}, "contentChanges": [
            {"range": range(5, 3, 9, 9), "text": "\nCMD [\"sh\"]"}
        ]}),
    );
    assert!(c.diagnostics(uri, 8).is_empty());
    // A request about a document that is not open answers, with nothing.
    let r = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///nope"}, "position": pos(0, 0)}),
    );
    assert_eq!(r, Value::Null);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut c = Client::start(&["lsp"]);
    c.initialize(&["utf-16"]);
    c.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = c.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1));
            return;
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_panicking_handler_answers_with_an_error_and_the_server_keeps_serving() {
    let mut c = Client::start_with(&["lsp"], &[("BERTH_DEBUG_PANIC", "1")]);
    c.initialize(&["utf-16"]);
    let bad = "file:///tmp/berth-test/bad/Dockerfile";
    let good = "file:///tmp/berth-test/good/Dockerfile";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": bad, "languageId": "dockerfile", "version": 1,
            "text": "# berth-debug-panic\nFROM alpine AS a\nCOPY --from=a x y\n"}}),
    );
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": good, "languageId": "dockerfile", "version": 1,
            "text": "FROM alpine AS a\nFROM alpine\nCOPY --from=a x y\n"}}),
    );
    let id = c.request_async(
        "textDocument/definition",
        json!({"textDocument": {"uri": bad}, "position": pos(2, 12)}),
    );
    let resp = c.response(id);
    assert_eq!(resp["error"]["code"], -32603, "{resp}");
    // The server is still alive and answers the next request.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": good}, "position": pos(2, 12)}),
    );
    assert_eq!(def[0]["targetSelectionRange"], range(0, 15, 0, 16));
    assert_eq!(c.shutdown_and_exit(), 0);
}
