//! Hover, signature help and completion resolve over stdio, against the
//! real binary; a client that reads plain text gets plain text.

use serde_json::{json, Value};

mod lsp_client;

use lsp_client::Client;

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

const TEXT: &str = "ARG V=1.2\nFROM golang:${V} AS build\nRUN --mount=type=cache,target=/c go build\nFROM alpine\nCOPY --from=build /a /b\n";

fn open(c: &mut Client, uri: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    c.diagnostics(uri, 1);
}

#[test]
fn hover_signature_help_and_completion_resolve() {
    let mut c = Client::start(&["lsp"]);
    let init = c.initialize_with(json!({}));
    let caps = &init["capabilities"];
    assert_eq!(
        caps["signatureHelpProvider"]["triggerCharacters"],
        json!(["=", ","])
    );
    assert_eq!(caps["completionProvider"]["resolveProvider"], json!(true));
    let uri = "untitled:hover-more";
    open(&mut c, uri);

    // Stage name: a summary, with the range of the name.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(1, 22)}),
    );
    assert_eq!(h["contents"]["kind"], "markdown");
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.starts_with("**stage `build`** · stage 0 · line 2"),
        "{md}"
    );
    assert!(
        md.contains("- used by: `stage-1` (COPY --from, line 5)"),
        "{md}"
    );
    assert_eq!(h["range"], json!({"start": pos(1, 20), "end": pos(1, 25)}));
    // A variable in FROM.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(1, 14)}),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Value here: `1.2`"),
        "{h}"
    );

    // Signature help on a mount key.
    let s = c.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": uri}, "position": pos(2, 26)}),
    );
    let sig = &s["signatures"][0];
    let label = sig["label"].as_str().unwrap();
    assert!(
        label.starts_with("--mount=type=cache,target=<path>,id=<id>"),
        "{label}"
    );
    let active = s["activeParameter"].as_u64().unwrap() as usize;
    let offsets = &sig["parameters"][active]["label"];
    let (a, b) = (
        offsets[0].as_u64().unwrap() as usize,
        offsets[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&label[a..b], "target=<path>");
    // Outside a flag value: nothing.
    let s = c.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": uri}, "position": pos(2, 40)}),
    );
    assert_eq!(s, Value::Null);

    // Completion after `--from=`: the stage comes without docs, resolve adds them.
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos(4, 12)}),
    );
    let item = items[0].clone();
    assert_eq!(item["label"], "build");
    assert!(item.get("documentation").is_none(), "{item}");
    let resolved = c.request("completionItem/resolve", item);
    let doc = resolved["documentation"]["value"].as_str().unwrap();
    assert!(doc.starts_with("**stage `build`**"), "{doc}");

    // Keywords carry their docs at once.
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos(3, 0)}),
    );
    let from = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "FROM")
        .unwrap();
    assert!(from["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("FROM [--platform=<platform>]"));
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn a_plain_text_client_gets_plain_text() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({"textDocument": {
        "hover": {"contentFormat": ["plaintext"]},
        "completion": {"completionItem": {"documentationFormat": ["plaintext"]}}
    }}));
    let uri = "untitled:plain";
    open(&mut c, uri);
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(3, 7)}),
    );
    assert_eq!(h["contents"]["kind"], "plaintext");
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("image alpine\n"), "{text}");
    assert!(text.contains("repository: library/alpine"), "{text}");
    assert!(!text.contains('`') && !text.contains("**"), "{text}");
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos(4, 12)}),
    );
    let resolved = c.request("completionItem/resolve", items[0].clone());
    assert_eq!(resolved["documentation"]["kind"], "plaintext");
    assert_eq!(c.shutdown_and_exit(), 0);
}
