//! References, highlight, rename, symbols, folding and selection ranges
//! over stdio against the real binary.

mod lsp_client;

use std::path::Path;

use lsp_client::Client;
use serde_json::{json, Value};

const DOC: &str = "\
# build
# stage
FROM golang:1.22 AS build
ARG V=1
RUN echo $V && \\
    go build
FROM alpine
COPY --from=build /a /a
COPY --from=0 /b /b
";

fn start() -> Client {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({
        "textDocument": { "foldingRange": { "lineFoldingOnly": true } }
    }));
    c
}

fn open(c: &mut Client, uri: &str, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    c.diagnostics(uri, 1);
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

#[test]
fn navigation_requests_on_an_inline_document() {
    let mut c = start();
    let uri = "file:///tmp/nav/Dockerfile";
    open(&mut c, uri, DOC);

    let mut p = at(uri, 2, 22);
    p["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", p.clone());
    let ranges: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["range"])
        .collect();
    assert_eq!(
        ranges,
        [
            &range(2, 20, 2, 25),
            &range(7, 12, 7, 17),
            &range(8, 12, 8, 13)
        ]
    );
    p["context"] = json!({"includeDeclaration": false});
    assert_eq!(
        c.request("textDocument/references", p)
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let hl = c.request("textDocument/documentHighlight", at(uri, 4, 10));
    assert_eq!(
        hl,
        json!([{"range": range(3, 4, 3, 5), "kind": 3}, {"range": range(4, 10, 4, 11), "kind": 2}])
    );

    let prep = c.request("textDocument/prepareRename", at(uri, 7, 14));
    assert_eq!(
        prep,
        json!({"range": range(7, 12, 7, 17), "placeholder": "build"})
    );
    let id = c.request_async("textDocument/prepareRename", at(uri, 2, 1));
    let err = c.response(id);
    let msg = err["error"]["message"].as_str().unwrap();
    assert!(msg.contains("`FROM` is an instruction keyword"), "{err}");
    let mut p = at(uri, 2, 22);
    p["newName"] = json!("Compile");
    let id = c.request_async("textDocument/rename", p);
    let err = c.response(id);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("lower case"),
        "{err}"
    );

    let mut p = at(uri, 2, 22);
    p["newName"] = json!("compile");
    let edit = c.request("textDocument/rename", p);
    assert_eq!(
        edit,
        json!({"changes": {uri: [
            {"range": range(2, 20, 2, 25), "newText": "compile"},
            {"range": range(7, 12, 7, 17), "newText": "compile"},
        ]}})
    );
    let note = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert_eq!(note["params"]["type"], 3);
    assert_eq!(
        note["params"]["message"],
        "1 reference by index or variable (e.g. --from=0) left unchanged"
    );

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let outline: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let children: Vec<&str> = s["children"]
                .as_array()
                .map(|v| v.iter().map(|c| c["name"].as_str().unwrap()).collect())
                .unwrap_or_default();
            format!(
                "{} ({}) {:?}",
                s["name"].as_str().unwrap(),
                s["kind"],
                children
            )
        })
        .collect();
    assert_eq!(
        outline,
        [
            r#"build (2) ["ARG V=1", "RUN echo $V && go build"]"#,
            r#"stage 1 (2) ["COPY /a /a", "COPY /b /b"]"#,
        ]
    );
    assert_eq!(symbols[0]["selectionRange"], range(2, 20, 2, 25));

    let folds = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        folds,
        json!([
            {"startLine": 0, "endLine": 1, "kind": "comment"},
            {"startLine": 2, "endLine": 5, "kind": "region"},
            {"startLine": 4, "endLine": 5, "kind": "region"},
            {"startLine": 6, "endLine": 8, "kind": "region"},
        ])
    );

    let sel = c.request(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": uri}, "positions": [{"line": 5, "character": 8}, {"line": 0, "character": 0}]}),
    );
    let sel = sel.as_array().unwrap();
    assert_eq!(sel.len(), 2);
    assert_eq!(sel[0]["range"], range(5, 7, 5, 12));
    assert_eq!(sel[0]["parent"]["range"], range(5, 4, 5, 12));
    let mut outer = &sel[0];
    while !outer["parent"].is_null() {
        outer = &outer["parent"];
    }
    assert_eq!(outer["range"], range(0, 0, 9, 0));

    let ws = c.request("workspace/symbol", json!({"query": "bld"}));
    let names: Vec<&str> = ws
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["build"]);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn folding_with_characters_when_the_client_allows_it() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    let uri = "file:///tmp/nav/chars.Dockerfile";
    open(&mut c, uri, "FROM a\nRUN x \\\n  y\n");
    let folds = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        folds,
        json!([
            {"startLine": 0, "startCharacter": 0, "endLine": 2, "endCharacter": 3, "kind": "region"},
            {"startLine": 1, "startCharacter": 0, "endLine": 2, "endCharacter": 3, "kind": "region"},
        ])
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn navigation_on_an_example_file() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/node-multi.Dockerfile");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let mut c = start();
    let uri = "file:///tmp/nav/node-multi.Dockerfile";
    open(&mut c, uri, &text);
    // `FROM node:lts-slim AS build` and `COPY --from=build`.
    let mut p = at(uri, 1, 23);
    p["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", p);
    let ranges: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["range"])
        .collect();
    assert_eq!(ranges, [&range(1, 22, 1, 27), &range(13, 12, 13, 17)]);
    let mut p = at(uri, 13, 13);
    p["newName"] = json!("builder");
    let edit = c.request("textDocument/rename", p);
    assert_eq!(edit["changes"][uri].as_array().unwrap().len(), 2);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["build", "runtime"]);
    assert_eq!(symbols[1]["children"].as_array().unwrap().len(), 5);
    let folds = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        folds,
        json!([
            {"startLine": 1, "endLine": 7, "kind": "region"},
            {"startLine": 10, "endLine": 18, "kind": "region"},
        ])
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}
