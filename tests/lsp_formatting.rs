//! `textDocument/formatting` and `rangeFormatting` against the real
//! `berth` binary over stdio, in UTF-16 positions, with a non-ASCII line
//! before the edits so that byte and UTF-16 columns differ.

use serde_json::{json, Value};

mod lsp_client;

use lsp_client::Client;

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

/// Apply LSP text edits (all on the original text) as an editor does.
fn apply(text: &str, edits: &Value) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("an array of edits")
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

const TEXT: &str = "from alpine:3.20 as build\nlabel note=\"héllo wörld\"   \nrun apk add curl \\\n  && true  \ncopy  --from=build /a /b";

#[test]
fn formatting_and_range_formatting_over_stdio() {
    let mut c = Client::start(&["lsp"]);
    let init = c.initialize_with(json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["documentFormattingProvider"], json!(true));
    assert_eq!(caps["documentRangeFormattingProvider"], json!(true));
    let uri = "file:///tmp/fmt/Dockerfile";
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": TEXT } }),
    );
    let opts = json!({ "tabSize": 2, "insertSpaces": true });

    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": opts }),
    );
    assert_eq!(
        apply(TEXT, &edits),
        "FROM alpine:3.20 AS build\nLABEL note=\"héllo wörld\"\nRUN apk add curl \\\n    && true\nCOPY --from=build /a /b\n"
    );

    // Lines 2-3 (0-based 1..3): the LABEL and the RUN's first line.
    let edits = c.request(
        "textDocument/rangeFormatting",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 1, "character": 3 }, "end": { "line": 2, "character": 5 } },
            "options": opts,
        }),
    );
    assert_eq!(
        apply(TEXT, &edits),
        "from alpine:3.20 as build\nLABEL note=\"héllo wörld\"\nRUN apk add curl \\\n    && true\ncopy  --from=build /a /b"
    );

    // An unknown document answers nothing, and the server keeps going.
    let none = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": "file:///tmp/fmt/other" }, "options": opts }),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(c.shutdown_and_exit(), 0);
}
