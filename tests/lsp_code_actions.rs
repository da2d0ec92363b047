//! `textDocument/codeAction` against the real `berth` binary over stdio:
//! apply the returned WorkspaceEdit as an editor would, and check the
//! diagnostic it fixes is gone.

use serde_json::{json, Value};

mod lsp_client;

use lsp_client::Client;

impl Client {
    fn initialize(&mut self, document_changes: bool) -> Value {
        self.initialize_with(json!({
                    "textDocument": { "publishDiagnostics": { "versionSupport": true } },
                    "workspace": { "workspaceEdit": { "documentChanges": document_changes } }
        }))
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The byte offset of an LSP (UTF-16) position.
fn offset(text: &str, p: &Value) -> usize {
    let (line, col) = (
        p["line"].as_u64().unwrap() as usize,
        p["character"].as_u64().unwrap() as usize,
    );
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Apply LSP text edits (on the same original text) as an editor does.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = text.to_string();
    for (s, e, t) in spans.into_iter().rev() {
        out.replace_range(s..e, &t);
    }
    out
}

fn open(c: &mut Client, uri: &str, text: &str) -> Vec<Value> {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    c.diagnostics(uri, 1)
}

fn change(c: &mut Client, uri: &str, version: i64, text: &str) -> Vec<Value> {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
    c.diagnostics(uri, version)
}

#[test]
fn quick_fix_with_document_changes_removes_the_diagnostic() {
    let mut c = Client::start(&["lsp"]);
    let caps = c.initialize(true);
    let kinds = &caps["capabilities"]["codeActionProvider"]["codeActionKinds"];
    for k in [
        "quickfix",
        "refactor.rewrite",
        "source.fixAll",
        "source.fixAll.berth",
    ] {
        assert!(kinds.as_array().unwrap().contains(&json!(k)), "{kinds}");
    }
    let uri = "file:///tmp/berth-ca/Dockerfile";
    // The emoji makes UTF-16 columns differ from bytes.
    let text = "FROM alpine:3.20\nLABEL note=\"🚢\"\nRUN apk add curl\n";
    let diags = open(&mut c, uri, text);
    let d = diags
        .iter()
        .find(|d| d["code"] == "DL3019")
        .expect("DL3019")
        .clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "DL3019")
        .unwrap_or_else(|| panic!("no quick fix for DL3019: {actions}"))
        .clone();
    assert_eq!(fix["isPreferred"], true, "{fix}");
    let doc_edit = &fix["edit"]["documentChanges"][0];
    assert_eq!(doc_edit["textDocument"]["version"], 1);
    let fixed = apply(text, doc_edit["edits"].as_array().unwrap());
    assert_eq!(
        fixed,
        "FROM alpine:3.20\nLABEL note=\"🚢\"\nRUN apk add --no-cache curl\n"
    );
    let after = change(&mut c, uri, 2, &fixed);
    assert!(!codes(&after).contains(&"DL3019".to_string()), "{after:?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn fix_all_with_plain_changes_removes_every_safe_finding() {
    let mut c = Client::start(&["lsp"]);
    c.initialize(false);
    let uri = "file:///tmp/berth-ca/fixall.Dockerfile";
    let text = "FROM alpine:3.20 as build\nRUN apk add curl\nENV HOME_DIR /srv\n";
    let before = open(&mut c, uri, text);
    for code in ["FromAsCasing", "DL3019", "LegacyKeyValueFormat"] {
        assert!(codes(&before).contains(&code.to_string()), "{before:?}");
    }
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let actions = actions.as_array().unwrap();
    let quick = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix"]}
        }),
    );
    let quick = quick.as_array().unwrap();
    assert!(quick.len() >= 2, "{quick:?}");
    assert!(quick.iter().all(|a| a["kind"] == "quickfix"), "{quick:?}");
    assert!(
        quick.iter().all(|a| a["edit"]["changes"][uri].is_array()),
        "{quick:?}"
    );
    assert!(
        actions.iter().all(|a| a["kind"] == "source.fixAll.berth"),
        "{actions:?}"
    );
    let edits = actions[0]["edit"]["changes"][uri].as_array().unwrap();
    let fixed = apply(text, edits);
    assert_eq!(
        fixed,
        "FROM alpine:3.20 AS build\nRUN apk add --no-cache curl\nENV HOME_DIR=/srv\n"
    );
    let after = change(&mut c, uri, 2, &fixed);
    for code in ["FromAsCasing", "DL3019", "LegacyKeyValueFormat"] {
        assert!(!codes(&after).contains(&code.to_string()), "{after:?}");
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}
