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

/// A request or a response with an id the framework cannot hold (not an
/// integer of 64 bits, a string or null) is refused, never the end of the
/// session: a request is answered with -32600 and `"id": null`, a
/// response is dropped. Ids that are valid at the edges still work.
#[test]
fn invalid_request_ids_are_refused_and_the_session_goes_on() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    open(&mut c, "FROM alpine AS build\nFROM build\n");
    let hover = r#""method":"textDocument/hover","params":{"textDocument":{"uri":"file:///tmp/berth-protocol/Dockerfile"},"position":{"line":0,"character":0}}"#;
    let bad_ids = [
        "1.5",
        "true",
        r#"{"a":1}"#,
        "[1]",
        "9223372036854775808",
        "-9223372036854775809",
        "1e3",
        "1.0",
    ];
    let mut refused = 0;
    for id in bad_ids {
        // A request, and a notification that carries an id.
        for body in [
            format!(r#"{{"jsonrpc":"2.0","id":{id},{hover}}}"#),
            format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"initialized","params":{{}}}}"#),
        ] {
            write!(c.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
            c.stdin.flush().unwrap();
            let answer = c.wait_for(&format!("the refusal of {body}"), |m| {
                m.get("id") == Some(&Value::Null) && m.get("method").is_none()
            });
            assert_eq!(error_code(&answer), Some(-32600), "{body}: {answer}");
            refused += 1;
        }
        // A response: dropped without an answer.
        let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#);
        write!(c.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        c.stdin.flush().unwrap();
        // The server still answers.
        let r = c.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 6}}),
        );
        assert!(r.is_array(), "{r}");
    }
    assert_eq!(refused, 2 * bad_ids.len());
    // The ids at the edges of what is valid are answered with themselves.
    for id in [
        json!("a string id"),
        json!(-5),
        json!(i64::MAX),
        json!(i64::MIN),
    ] {
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}});
        c.send(msg);
        let answer = c.wait_for(&format!("the answer to id {id}"), |m| {
            m.get("id") == Some(&id) && m.get("method").is_none()
        });
        assert!(answer.get("result").is_some(), "{answer}");
    }
    assert!(
        c.backlog
            .iter()
            .all(|m| !(m.get("id") == Some(&Value::Null) && m.get("method").is_none())),
        "a dropped response was answered: {:?}",
        c.backlog
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// After a header block the server cannot use (a length that is not a
/// number, negative, too large, or missing; garbage between messages,
/// with or without line breaks) the server finds the next valid
/// `Content-Length` header, even one written straight after the bad
/// body, and answers what follows.
#[test]
fn broken_framing_resynchronises_at_the_next_header() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    open(&mut c, "FROM alpine AS build\nFROM build\n");
    let garbage: [&[u8]; 9] = [
        b"Content-Length: abc\r\n\r\n{}",
        b"Content-Length: -5\r\n\r\n{}",
        b"Content-Length: 99999999999999999999999\r\n\r\n{}",
        b"Content-Length: 4294967296000\r\n\r\n{}",
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}",
        b"\x00\xff garbage without a line break ",
        b"garbage\r\nmore garbage\r\n\r\n",
        b"Content-Length abc\r\n\r\n{\"jsonrpc\":\"2.0\"}\r\n",
        b"content-length: 7\r\n\r\n{not js",
    ];
    for g in garbage {
        c.stdin.write_all(g).unwrap();
        let id = c.request_async(
            "textDocument/definition",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 6}}),
        );
        let answer = c.response(id);
        assert!(
            answer["result"].is_array(),
            "after {:?}: {answer}",
            String::from_utf8_lossy(g)
        );
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// `shutdown` and `exit` written together, without waiting for the answer
/// to `shutdown`: the answer still comes, and the exit code is 0, whether
/// the client keeps stdin open after `exit` (editors do) or closes it.
#[test]
fn shutdown_then_exit_at_once_exits_with_zero() {
    for close_stdin in [false, true] {
        let mut c = Client::start(&["lsp"]);
        c.initialize_with(json!({}));
        open(&mut c, "FROM alpine\n");
        let shutdown = json!({"jsonrpc": "2.0", "id": 9000, "method": "shutdown"}).to_string();
        let exit = json!({"jsonrpc": "2.0", "method": "exit"}).to_string();
        let both = format!(
            "Content-Length: {}\r\n\r\n{shutdown}Content-Length: {}\r\n\r\n{exit}",
            shutdown.len(),
            exit.len()
        );
        c.stdin.write_all(both.as_bytes()).unwrap();
        c.stdin.flush().unwrap();
        let Client {
            mut child,
            stdin,
            rx,
            ..
        } = c;
        if close_stdin {
            drop(stdin);
        } else {
            // Kept open until the end of this iteration.
            std::mem::forget(stdin);
        }
        let deadline = Instant::now() + TIMEOUT;
        let code = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        };
        assert_eq!(code, 0, "exit code with stdin closed: {close_stdin}");
        let answered = rx
            .try_iter()
            .any(|m| m["id"] == 9000 && m.get("result") == Some(&Value::Null));
        assert!(
            answered,
            "no answer to shutdown (stdin closed: {close_stdin})"
        );
    }
}

/// Every request on a generated document of about 3 MB (past the size
/// limit, so modelled but not checked) with thousands of stages answers
/// in a bounded size, and the server keeps answering. (Each answer is
/// awaited under the client's watchdog; nothing is timed.)
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "a 3 MB document takes minutes in a debug build; .ci/run runs this file in release"
)]
fn requests_on_a_huge_document_answer_in_bounded_size() {
    const BOUND: usize = 2 << 20;
    let mut text = String::from("ARG BASE=alpine\nARG V=1\n");
    let mut i = 0;
    while text.len() < 3_000_000 {
        text.push_str(&format!(
            "FROM ${{BASE}}:${{V}} AS s{i}\n# one\n# two\nRUN echo $V && \\\n    apt-get install -y curl\nCOPY --from=s0 /a /b\nCOPY --from=0 /a /b\nENV A{i}=1 B=2\n"
        ));
        i += 1;
    }
    let lines = text.lines().count();
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    open(&mut c, &text);
    let doc = json!({"uri": URI});
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
    // Each stage is 8 lines, from line 2 on. In the first FROM, `s0` is at
    // character 21 and `V` at 15; the last stage's `COPY --from=s0` is 5
    // lines after its FROM, with thousands of stages to complete after
    // `--from=`.
    let on_stage = json!({"line": 2, "character": 22});
    let on_var = json!({"line": 2, "character": 15});
    let last_copy = 2 + 8 * (i - 1) + 5;
    let positions: Vec<Value> = (0..lines)
        .step_by(20)
        .map(|l| json!({"line": l, "character": 2}))
        .collect();
    let requests = [
        ("textDocument/documentSymbol", json!({"textDocument": doc})),
        ("textDocument/codeLens", json!({"textDocument": doc})),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": doc}),
        ),
        (
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": doc, "previousResultId": "1"}),
        ),
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": doc, "range": whole}),
        ),
        ("textDocument/foldingRange", json!({"textDocument": doc})),
        (
            "textDocument/selectionRange",
            json!({"textDocument": doc, "positions": positions}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": doc, "range": whole}),
        ),
        ("textDocument/documentLink", json!({"textDocument": doc})),
        (
            "textDocument/references",
            json!({"textDocument": doc, "position": on_stage, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/references",
            json!({"textDocument": doc, "position": on_var, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/documentHighlight",
            json!({"textDocument": doc, "position": on_stage}),
        ),
        (
            "textDocument/documentHighlight",
            json!({"textDocument": doc, "position": on_var}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": doc, "position": {"line": last_copy, "character": 12}}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": doc, "position": {"line": 2, "character": 7}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        (
            "textDocument/rangeFormatting",
            json!({"textDocument": doc, "range": whole, "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": doc, "position": on_stage}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": doc, "position": on_var}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": doc, "position": {"line": last_copy, "character": 13}}),
        ),
        (
            "textDocument/prepareRename",
            json!({"textDocument": doc, "position": on_stage}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": doc, "position": on_stage, "newName": "zz"}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": doc, "position": on_var, "newName": "ZZ"}),
        ),
        ("workspace/symbol", json!({"query": ""})),
        (
            "textDocument/signatureHelp",
            json!({"textDocument": doc, "position": {"line": last_copy, "character": 8}}),
        ),
    ];
    for (method, params) in requests {
        let id = c.request_async(method, params);
        let answer = c.response(id);
        let size = answer.to_string().len();
        assert!(size < BOUND, "{method} answered {size} bytes");
        // Refusing a rename of thousands of places is an answer too.
        if !method.contains("ename") {
            assert!(answer.get("error").is_none(), "{method}: {answer}");
        }
        // Bounded, not empty: the features that find something here say it.
        let found = match &answer["result"] {
            Value::Array(items) => !items.is_empty(),
            Value::Object(o) => o
                .values()
                .any(|v| v.as_array().is_none_or(|a| !a.is_empty())),
            _ => false,
        };
        let must_find = [
            "documentSymbol",
            "codeLens",
            "semanticTokens/full",
            "foldingRange",
            "selectionRange",
            "inlayHint",
            "documentLink",
            "references",
            "documentHighlight",
            "completion",
            "hover",
            "definition",
            "workspace/symbol",
        ];
        if must_find.iter().any(|m| method.ends_with(m)) {
            assert!(found, "{method} found nothing: {answer}");
        }
    }
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": {"line": 0, "character": 1}}),
    );
    assert!(r.is_object(), "{r}");
    assert_eq!(c.shutdown_and_exit(), 0);
}
