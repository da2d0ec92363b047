//! The build context over stdio: the server registers a file watcher,
//! reports `COPY missing.txt .`, drops the diagnostic once the file exists
//! and the client says so (`workspace/didChangeWatchedFiles`), reports
//! `CopyIgnoredFile` once `.dockerignore` excludes it, and links sources
//! to their files (`textDocument/documentLink`).

mod lsp_client;
mod support;

use serde_json::{json, Value};

use lsp_client::Client;
use support::TempDir;

fn file_uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn watched_file_changes_update_context_diagnostics() {
    if cfg!(windows) {
        return;
    }
    let dir = TempDir::new("lsp-context");
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let text = "FROM alpine:3.20\nCOPY missing.txt present.txt /app/\n";
    let dockerfile = dir.write("Dockerfile", text);
    dir.write("present.txt", "x\n");
    let uri = file_uri(&std::fs::canonicalize(&dockerfile).unwrap());

    let mut c = Client::start(&["lsp"]);
    let init = c.initialize_with(json!({
        "textDocument": { "publishDiagnostics": { "versionSupport": true } },
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
    }));
    assert_eq!(
        init["capabilities"]["documentLinkProvider"]["resolveProvider"],
        json!(false)
    );
    let reg = c.wait_for("the watcher registration", |m| {
        m["method"] == "client/registerCapability"
            && m["params"]["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"
    });
    assert_eq!(
        reg["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        json!("**/*")
    );
    c.send(json!({"jsonrpc": "2.0", "id": reg["id"].clone(), "result": null}));

    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    let d = c.diagnostics(&uri, 1);
    let missing: Vec<&Value> = d
        .iter()
        .filter(|d| d["code"] == "CopySourceMissing")
        .collect();
    assert_eq!(missing.len(), 1, "{d:?}");
    assert_eq!(
        missing[0]["message"],
        "`missing.txt` is not in the build context"
    );
    assert_eq!(
        missing[0]["range"],
        json!({"start": {"line": 1, "character": 5}, "end": {"line": 1, "character": 16}})
    );

    // Links: the image's registry page, then the existing source only, as
    // a file: URI inside the context.
    let links = c.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(links[0]["target"], "https://hub.docker.com/_/alpine");
    let links = Value::Array(links.as_array().unwrap()[1..].to_vec());
    assert_eq!(
        links,
        json!([{
            "range": {"start": {"line": 1, "character": 17}, "end": {"line": 1, "character": 28}},
            "target": file_uri(&root.join("present.txt")),
            "tooltip": "present.txt in the build context"
        }])
    );

    // The file appears: the diagnostic goes.
    let created = dir.write("missing.txt", "x\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&created), "type": 1}]}),
    );
    let d = c.diagnostics(&uri, 1);
    assert!(
        !codes(&d).contains(&"CopySourceMissing".to_string()),
        "{d:?}"
    );
    assert!(!codes(&d).contains(&"CopyIgnoredFile".to_string()), "{d:?}");

    // .dockerignore now excludes it: BuildKit's CopyIgnoredFile.
    let ignore = dir.write(".dockerignore", "missing.txt\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&ignore), "type": 1}]}),
    );
    let d = c.diagnostics(&uri, 1);
    let ignored: Vec<&Value> = d
        .iter()
        .filter(|d| d["code"] == "CopyIgnoredFile")
        .collect();
    assert_eq!(ignored.len(), 1, "{d:?}");
    assert_eq!(
        ignored[0]["message"],
        "Attempting to Copy file \"missing.txt\" that is excluded by .dockerignore"
    );

    // Editing the ignore file (type 2, changed) counts too.
    std::fs::write(&ignore, "# nothing ignored\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&ignore), "type": 2}]}),
    );
    let d = c.diagnostics(&uri, 1);
    assert!(!codes(&d).contains(&"CopyIgnoredFile".to_string()), "{d:?}");

    // A change outside the context changes nothing and answers nothing.
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///nonexistent-dir/x", "type": 2}]}),
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn untitled_documents_have_no_context() {
    let mut c = Client::start(&["lsp"]);
    c.initialize_with(json!({}));
    let uri = "untitled:Untitled-1";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
            "text": "FROM alpine:3.20\nCOPY missing.txt .\n"}}),
    );
    let d = c.diagnostics(uri, 1);
    assert!(
        !codes(&d).contains(&"CopySourceMissing".to_string()),
        "{d:?}"
    );
    let links = c.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    // Only the image's registry page: nothing points into a context.
    assert_eq!(links.as_array().map(|l| l.len()), Some(1), "{links:?}");
    assert_eq!(links[0]["target"], "https://hub.docker.com/_/alpine");
    assert_eq!(c.shutdown_and_exit(), 0);
}
