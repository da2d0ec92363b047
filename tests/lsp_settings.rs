//! The language server over stdio: hover on pragma codes, settings from
//! `initializationOptions` / `workspace/configuration` /
//! `didChangeConfiguration`, `.hadolint.yaml` per document, and ShellCheck
//! findings published with their version. The client follows tests/lsp.rs,
//! and also answers the server's `workspace/configuration` requests.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{shellcheck_installed, TempDir};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    backlog: Vec<Value>,
    /// What `workspace/configuration` answers for the `berth` section.
    config: Value,
    /// Server-to-client requests seen, by method.
    requests: Vec<Value>,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .arg("lsp")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("berth starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: Vec::new(),
            config: Value::Null,
            requests: Vec::new(),
        }
    }

    fn send(&mut self, msg: Value) {
        let body = serde_json::to_string(&msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Answer a server-to-client request.
    fn answer(&mut self, msg: &Value) {
        let result = match msg["method"].as_str() {
            Some("workspace/configuration") => {
                let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                Value::Array(vec![self.config.clone(); n])
            }
            _ => Value::Null,
        };
        self.requests.push(msg.clone());
        let id = msg["id"].clone();
        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }

    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => {
                    let is_request = msg.get("id").is_some() && msg.get("method").is_some();
                    if is_request {
                        self.answer(&msg);
                    }
                    if pred(&msg) {
                        return msg;
                    }
                    if !is_request {
                        self.backlog.push(msg);
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("server closed while waiting for {what}")
                }
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let resp = self.wait_for(&format!("response {id}"), |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        });
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    /// The next diagnostics for `uri` at `version` that satisfy `pred`.
    fn diagnostics_where(
        &mut self,
        uri: &str,
        version: i64,
        what: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let msg = self.wait_for(what, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
                && pred(m["params"]["diagnostics"].as_array().unwrap())
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}}),
        );
    }

    fn shutdown_and_exit(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn has(diags: &[Value], code: &str) -> bool {
    diags.iter().any(|d| d["code"] == code)
}

fn severity_of(diags: &[Value], code: &str) -> Option<i64> {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["severity"].as_i64())
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

const TYPO: &str = "FROM alpine:3.20 AS builder\nFROM scratch\n# hadolint ignore=DL3024\nCOPY --from=buidler /x /x\n";

#[test]
fn hover_on_a_pragma_code() {
    let mut c = Client::start(&[]);
    let init = c.initialize(json!({}), Value::Null);
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    let uri = "untitled:hover";
    c.open(
        uri,
        1,
        "FROM alpine\n# hadolint ignore=DL3022, sc2086\nRUN echo hi\n",
    );
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(1, 20)}),
    );
    assert_eq!(h["contents"]["kind"], "markdown");
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("**UndefinedStage**") && md.contains("## What"),
        "{md}"
    );
    assert_eq!(h["range"], json!({"start": pos(1, 18), "end": pos(1, 24)}));
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(1, 28)}),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("wiki/SC2086"),
        "{h}"
    );
    // Elsewhere: nothing.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(2, 5)}),
    );
    assert_eq!(h, Value::Null);
    c.shutdown_and_exit();
}

#[test]
fn settings_are_pulled_and_follow_changes() {
    let mut c = Client::start(&[]);
    c.config = json!({"rules": {"UndefinedStage": "off"}, "shellcheck": false});
    c.initialize(
        json!({"workspace": {"configuration": true,
            "didChangeConfiguration": {"dynamicRegistration": true}}}),
        json!({"rules": {"UndefinedStage": "error"}}),
    );
    // The server asks for the `berth` section after `initialized`.
    let req = c.wait_for("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    assert_eq!(req["params"]["items"][0]["section"], "berth");
    let reg = c
        .requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability");
    assert!(
        reg.is_some_and(
            |r| r["params"]["registrations"][0]["method"] == "workspace/didChangeConfiguration"
        ),
        "{:?}",
        c.requests
    );
    let uri = "untitled:pull";
    c.open(uri, 1, TYPO);
    c.diagnostics_where(uri, 1, "UndefinedStage off", |d| !has(d, "UndefinedStage"));
    // A change notice: the server asks again and re-publishes.
    c.config = json!({"berth": {"rules": {"UndefinedStage": "error"}}});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let d = c.diagnostics_where(uri, 1, "UndefinedStage error", |d| {
        severity_of(d, "UndefinedStage") == Some(1)
    });
    // The editor profile's hint is there too.
    assert!(has(&d, "UnusedStage"), "{:?}", codes(&d));
    c.shutdown_and_exit();
}

#[test]
fn pushed_settings_without_pull() {
    let mut c = Client::start(&[]);
    c.initialize(
        json!({}),
        json!({"berth": {"rules": {"UndefinedStage": "hint"}}}),
    );
    let uri = "untitled:push";
    c.open(uri, 1, TYPO);
    c.diagnostics_where(uri, 1, "hint from initializationOptions", |d| {
        severity_of(d, "UndefinedStage") == Some(4)
    });
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"berth": {"rules": {"DL3022": "off"}}}}),
    );
    c.diagnostics_where(uri, 1, "off after the change", |d| {
        !has(d, "UndefinedStage")
    });
    assert!(c
        .requests
        .iter()
        .all(|r| r["method"] != "workspace/configuration"));
    c.shutdown_and_exit();
}

#[test]
fn hadolint_yaml_beside_the_document() {
    let t = TempDir::new("lsp-cfg");
    t.write(".hadolint.yaml", "ignored: [DL3022]\n");
    t.write("bad/.hadolint.yaml", "ignored: [DL3022\n");
    let dir = t.path().to_str().unwrap().to_string();
    let mut c = Client::start(&[]);
    c.initialize(json!({}), json!({"shellcheck": false}));
    let good = format!("file://{dir}/svc/Dockerfile");
    c.open(&good, 1, TYPO);
    // Published (the editor's UnusedStage hint), without DL3022.
    let d = c.diagnostics_where(&good, 1, "ignored by the file", |d| has(d, "UnusedStage"));
    assert!(!has(&d, "UndefinedStage"), "{:?}", codes(&d));
    // The editor's setting wins over the file.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"UndefinedStage": "warning"}}}),
    );
    c.diagnostics_where(&good, 1, "the editor wins", |d| {
        severity_of(d, "UndefinedStage") == Some(2)
    });
    // A broken file: a warning naming it, and defaults.
    let bad = format!("file://{dir}/bad/Dockerfile");
    c.open(&bad, 3, TYPO);
    let msg = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert_eq!(msg["params"]["type"], 2, "{msg}");
    let text = msg["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("bad/.hadolint.yaml:2: not valid YAML") && text.contains("default"),
        "{text}"
    );
    c.diagnostics_where(&bad, 3, "defaults", |d| has(d, "UndefinedStage"));
    c.shutdown_and_exit();
}

#[test]
fn shellcheck_findings_are_published_with_the_version() {
    if !shellcheck_installed("shellcheck_findings_are_published_with_the_version") {
        return;
    }
    let mut c = Client::start(&[]);
    c.initialize(json!({}), Value::Null);
    let uri = "untitled:sc";
    // Unique text, so the result is not in the cache when the rules'
    // diagnostics are published first.
    let unique = format!("v{}", std::process::id());
    let text = format!("FROM alpine:3.20\nRUN echo ${unique} && \\\n  echo $x\n");
    c.open(uri, 1, &text);
    let d = c.diagnostics_where(uri, 1, "SC2086", |d| has(d, "SC2086"));
    let sc: Vec<&Value> = d.iter().filter(|d| d["code"] == "SC2086").collect();
    assert_eq!(sc.len(), 2, "{d:?}");
    let len = unique.len() as u32 + 1;
    assert_eq!(
        sc[0]["range"],
        json!({"start": pos(1, 9), "end": pos(1, 9 + len)})
    );
    assert_eq!(
        sc[1]["range"],
        json!({"start": pos(2, 7), "end": pos(2, 9)})
    );
    assert_eq!(sc[0]["source"], "shellcheck");
    assert_eq!(
        sc[0]["codeDescription"]["href"],
        "https://www.shellcheck.net/wiki/SC2086"
    );
    assert_eq!(sc[0]["severity"], 3);
    // A pragma before the RUN silences them in the next version.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": pos(1, 0), "end": pos(1, 0)}, "text": "# hadolint ignore=SC2086\n"}
        ]}),
    );
    let d = c.diagnostics_where(uri, 2, "v2", |_| true);
    assert!(!has(&d, "SC2086"), "{d:?}");
    // Without it again: the scripts are cached, so the first publish of
    // version 3 already has them.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": {"start": pos(1, 0), "end": pos(2, 0)}, "text": ""}
        ]}),
    );
    let d = c.diagnostics_where(uri, 3, "v3", |_| true);
    assert_eq!(
        d.iter().filter(|d| d["code"] == "SC2086").count(),
        2,
        "{d:?}"
    );
    // Turned off by a setting.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"shellcheck": false}}),
    );
    c.diagnostics_where(uri, 3, "no SC2086", |d| !has(d, "SC2086"));
    c.shutdown_and_exit();
}
