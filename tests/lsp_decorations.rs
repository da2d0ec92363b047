//! Semantic tokens, document links, inlay hints and code lenses from the
//! real `berth` binary over stdio.

use serde_json::{json, Value};

mod lsp_client;

use lsp_client::Client;

const URI: &str = "file:///tmp/berth-deco/Dockerfile";
const TEXT: &str =
    "ARG V=1\nFROM alpine:${V} AS build\nFROM scratch\nCOPY --from=0 [\"/ä\", \"/b\"]\n";

fn open(c: &mut Client) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    c.diagnostics(URI, 1);
}

fn doc() -> Value {
    json!({ "uri": URI })
}

#[test]
fn tokens_links_hints_and_lenses() {
    let mut c = Client::start(&["lsp"]);
    let init = c.initialize_with(json!({}));
    let caps = &init["capabilities"];
    let legend = &caps["semanticTokensProvider"]["legend"];
    assert_eq!(
        legend["tokenTypes"],
        json!([
            "keyword",
            "parameter",
            "class",
            "namespace",
            "variable",
            "string",
            "number",
            "comment",
            "macro",
            "decorator",
            "enumMember"
        ])
    );
    assert_eq!(
        legend["tokenModifiers"],
        json!(["declaration", "readonly", "defaultLibrary"])
    );
    assert_eq!(caps["semanticTokensProvider"]["range"], json!(true));
    assert_eq!(
        caps["semanticTokensProvider"]["full"],
        json!({"delta": true})
    );
    assert!(caps["documentLinkProvider"].is_object());
    assert_eq!(caps["inlayHintProvider"], json!(true));
    assert!(caps["codeLensProvider"].is_object());
    open(&mut c);

    // Hand-decoded (deltaLine, deltaStart, length, type, modifiers), UTF-16:
    #[rustfmt::skip]
    let want: &[u32] = &[
        0, 0, 3, 0, 0,  // `ARG` keyword
        0, 4, 1, 4, 1,  // `V` variable +declaration
        1, 0, 4, 0, 0,  // `FROM`
        0, 5, 7, 3, 0,  // `alpine:` namespace
        0, 7, 4, 4, 0,  // `${V}` variable
        0, 5, 2, 0, 0,  // `AS`
        0, 3, 5, 2, 1,  // `build` class +declaration
        1, 0, 4, 0, 0,  // `FROM`
        0, 5, 7, 3, 4,  // `scratch` namespace +defaultLibrary
        1, 0, 4, 0, 0,  // `COPY`
        0, 5, 6, 1, 0,  // `--from` parameter
        0, 7, 1, 6, 0,  // `0` number (a stage index)
        0, 3, 4, 5, 0,  // `"/ä"` string: 4 UTF-16 units
        0, 6, 4, 5, 0,  // `"/b"` string
    ];
    let full = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": doc()}),
    );
    assert_eq!(full["data"], json!(want));

    // Range: line 3 only.
    let range = c.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": doc(), "range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 99}}}),
    );
    assert_eq!(
        range["data"],
        json!([3, 0, 4, 0, 0, 0, 5, 6, 1, 0, 0, 7, 1, 6, 0, 0, 3, 4, 5, 0, 0, 6, 4, 5, 0])
    );

    let links = c.request("textDocument/documentLink", json!({"textDocument": doc()}));
    assert_eq!(
        links,
        json!([{
            "range": {"start": {"line": 1, "character": 5}, "end": {"line": 1, "character": 16}},
            "target": "https://hub.docker.com/_/alpine",
            "tooltip": "Open alpine on Docker Hub"
        }])
    );

    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc(), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}}}),
    );
    let short: Vec<Value> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            json!([
                h["position"]["line"],
                h["position"]["character"],
                h["label"],
                h["kind"]
            ])
        })
        .collect();
    assert_eq!(
        short,
        [json!([1, 16, "= 1", 1]), json!([3, 13, ": build", 2])]
    );

    let lenses = c.request("textDocument/codeLens", json!({"textDocument": doc()}));
    assert_eq!(
        lenses,
        json!([
            {
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 4}},
                "command": {
                    "title": "used by stage-1 (COPY --from)",
                    "command": "berth.showReferences",
                    "arguments": [
                        URI,
                        {"line": 1, "character": 0},
                        [{"uri": URI, "range": {"start": {"line": 3, "character": 12}, "end": {"line": 3, "character": 13}}}]
                    ]
                }
            },
            {
                "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 4}},
                "command": {"title": "final image", "command": ""}
            }
        ])
    );

    // Rename the stage: the delta replaces the one token that changed.
    let id = full["resultId"].as_str().unwrap().to_string();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"text": TEXT.replace("AS build", "AS builder")}]}),
    );
    c.diagnostics(URI, 2);
    let delta = c.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": doc(), "previousResultId": id}),
    );
    assert_eq!(
        delta["edits"],
        json!([{"start": 30, "deleteCount": 5, "data": [0, 3, 7, 2, 1]}])
    );
    assert_ne!(delta["resultId"], json!(id));
    // An id the server no longer knows: the full tokens.
    let stale = c.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": doc(), "previousResultId": "no-such-id"}),
    );
    assert_eq!(stale["data"].as_array().unwrap().len(), want.len());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn utf8_lengths_and_the_stage_index_setting() {
    let mut c = Client::start(&["lsp"]);
    c.request(
        "initialize",
        json!({
            "processId": null, "rootUri": null,
            "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
            "initializationOptions": {"inlayHints": {"stageIndex": true}}
        }),
    );
    c.notify("initialized", json!({}));
    open(&mut c);
    let full = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": doc()}),
    );
    let data = full["data"].as_array().unwrap();
    // `"/ä"` is 5 bytes long in UTF-8.
    assert_eq!(data[data.len() - 8], json!(5));
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc(), "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 99}}}),
    );
    let labels: Vec<&Value> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["label"])
        .collect();
    assert_eq!(labels, [&json!("= 1"), &json!("#0")]);
    assert_eq!(c.shutdown_and_exit(), 0);
}
