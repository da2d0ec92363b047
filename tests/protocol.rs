//! Protocol abuse over stdio against the real binary: requests before
//! `initialize`, unknown methods and documents, positions past the end,
//! stale and skipped versions, cancellation, requests after `shutdown`,
//! exit codes, and broken framing.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod lsp_client;

use lsp_client::{Client, TIMEOUT};

const URI: &str = "file:///tmp/berth-protocol/Dockerfile";

fn error_code(resp: &Value) -> Option<i64> {
    resp["error"]["code"].as_i64()
}

fn exit_code(mut c: Client) -> i32 {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = c.child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn open(c: &mut Client, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    c.diagnostics(URI, 1);
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut c = Client::start(&["lsp"]);
    let id = c.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&c.response(id)), Some(-32002));
    c.initialize_with(json!({}));
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn unknown_methods_and_documents() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    let id = c.request_async("berth/noSuchMethod", json!({}));
    assert_eq!(error_code(&c.response(id)), Some(-32601));
    // A request on a document that was never opened answers nothing.
    let r = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///nowhere/Dockerfile"}, "position": {"line": 3, "character": 9}}),
    );
    assert_eq!(r, Value::Null);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn positions_past_the_end_of_a_line_or_the_file() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    open(&mut c, "FROM alpine AS build\nCOPY --from=build / /\n");
    for (line, character) in [
        (0, 500),
        (1, 10_000),
        (99, 0),
        (u32::MAX as i64, u32::MAX as i64),
    ] {
        let pos = json!({"line": line, "character": character});
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
        ] {
            let id = c.request_async(
                method,
                json!({"textDocument": {"uri": URI}, "position": pos}),
            );
            let resp = c.response(id);
            assert!(resp.get("error").is_none(), "{method} at {pos}: {resp}");
        }
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn stale_and_skipped_versions_are_applied_and_logged() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    open(&mut c, "FROM alpine\n");
    // Version 1 -> 5: skipped versions.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 5},
               "contentChanges": [{"text": "FROM alpine AS a\nCOPY --from=nope / /\n"}]}),
    );
    let log = c.wait_for("version log", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("from version 1 to 5"))
    });
    assert_eq!(log["params"]["type"], 2, "a warning");
    let diags = c.diagnostics(URI, 5);
    assert!(
        diags.iter().any(|d| d["code"] == "UndefinedStage"),
        "{diags:?}"
    );
    // 5 -> 3: a stale version; the text still wins.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3},
               "contentChanges": [{"text": "FROM alpine\n"}]}),
    );
    c.wait_for("stale log", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("from version 5 to 3"))
    });
    let diags = c.diagnostics(URI, 3);
    assert!(
        !diags.iter().any(|d| d["code"] == "UndefinedStage"),
        "{diags:?}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn cancel_request_is_harmless() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    open(&mut c, "FROM alpine AS build\nFROM build\n");
    let id = c.request_async(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 6}}),
    );
    c.notify("$/cancelRequest", json!({"id": id}));
    c.notify("$/cancelRequest", json!({"id": 12345}));
    let resp = c.response(id);
    // Either answered or cancelled (-32800), never anything else.
    assert!(
        resp.get("result").is_some() || error_code(&resp) == Some(-32800),
        "{resp}"
    );
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null() || r.is_object());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn requests_after_shutdown_are_invalid_and_exit_codes_follow_the_spec() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    let id = c.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&c.response(id)), Some(-32600));
    c.notify("exit", Value::Null);
    assert_eq!(exit_code(c), 0);

    // Exit without shutdown: 1.
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(exit_code(c), 1);
}

#[test]
fn malformed_json_and_bad_headers_do_not_stop_the_server() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    // A well-framed body that is not JSON, then one that is JSON but not a
    // message: the server answers a parse error or drops them, and keeps
    // serving.
    for body in ["{not json", "[1, 2", "{\"jsonrpc\": \"2.0\", \"id\": 77}"] {
        write!(c.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        c.stdin.flush().unwrap();
    }
    // An unknown header line and a header without a length.
    let body = r#"{"jsonrpc":"2.0","method":"$/noSuchNotification","params":{}}"#;
    write!(
        c.stdin,
        "X-Unknown: yes\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        body
    )
    .unwrap();
    c.stdin.flush().unwrap();
    open(&mut c, "FROM alpine\n");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null() || r.is_object());
    assert_eq!(c.shutdown_and_exit(), 0);
}
