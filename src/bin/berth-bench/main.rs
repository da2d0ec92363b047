//! End-to-end LSP benchmark: spawns stdio language servers (berth and the
//! peers that are installed), replays the same scripted session on each,
//! interleaved, and prints per-step latency percentiles, start → first
//! diagnostics, peak RSS, and each peer's ratio to berth.
//!
//! ```text
//! cargo build --release && target/release/berth-bench [options]
//!   --rounds R        sessions per server and input (default 2)
//!   -n N              requests per step and session (default 20)
//!   --input PATH      a Dockerfile to use (repeatable; default: a 60-line
//!                     multi-stage file, large-3000-lines, generated 5,000)
//!   --server NAME=CMD a server command line, split on spaces (repeatable;
//!                     default: berth, docker-langserver, tally); a NAME
//!                     starting with `berth` gets berth's options, so two
//!                     builds compare as `--server berth-old=... --server
//!                     berth=...`
//!   --shellcheck      let berth run ShellCheck too (off by default: the
//!                     peers run no external linter); berth's first
//!                     ShellCheck run on the opened file is waited for,
//!                     untimed, before the requests and keystrokes, so they
//!                     are measured as a moment after opening a file
//!   --timeout SECS    per-step timeout (default 20)
//! ```
//!
//! Speaks JSON-RPC over the server's stdin/stdout itself; nothing here
//! depends on berth's own LSP code.

mod gen;
mod positions;
use positions::{from_offsets, run_typing_offset};

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct ServerSpec {
    name: String,
    cmd: Vec<String>,
    init_options: Value,
}

struct Input {
    name: String,
    path: PathBuf,
    text: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum DiagMode {
    /// The server sends `textDocument/publishDiagnostics`.
    #[default]
    Push,
    /// The client asks with `textDocument/diagnostic`.
    Pull,
}

/// One JSON-RPC connection over a child's stdio.
struct Conn {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<(Instant, Value)>,
    next_id: i64,
    /// When the last message `wait` returned had been read whole: the
    /// time the server took, without this client's JSON parsing.
    arrived: Instant,
}

impl Conn {
    fn spawn(cmd: &[String]) -> std::io::Result<Conn> {
        let mut child = Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    match r.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line
                        .split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    {
                        len = v.1.trim().parse::<usize>().ok();
                    }
                }
                let Some(len) = len else { return };
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let at = Instant::now();
                if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                    if tx.send((at, v)).is_err() {
                        return;
                    }
                }
            }
        });
        Ok(Conn {
            child,
            stdin,
            rx,
            next_id: 1,
            arrived: Instant::now(),
        })
    }

    fn send(&mut self, v: &Value) -> std::io::Result<()> {
        let body = serde_json::to_vec(v).expect("JSON");
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len())?;
        self.stdin.write_all(&body)?;
        self.stdin.flush()
    }

    fn notify(&mut self, method: &str, params: Value) -> std::io::Result<()> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> std::io::Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok(id)
    }

    /// Wait for a message `want` accepts, answering the server's own
    /// requests on the way. `None` on timeout or a closed connection.
    fn wait(&mut self, timeout: Duration, mut want: impl FnMut(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (at, msg) = match self.rx.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            };
            if msg.get("method").is_some() && msg.get("id").is_some() {
                self.answer_server_request(&msg);
                continue;
            }
            if want(&msg) {
                self.arrived = at;
                return Some(msg);
            }
        }
    }

    fn wait_response(&mut self, id: i64, timeout: Duration) -> Option<Value> {
        self.wait(timeout, |m| {
            m.get("id").and_then(Value::as_i64) == Some(id) && m.get("method").is_none()
        })
    }

    fn answer_server_request(&mut self, msg: &Value) {
        let result = match msg["method"].as_str() {
            Some("workspace/configuration") => {
                let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                Value::Array(vec![Value::Null; n])
            }
            _ => Value::Null,
        };
        let _ = self.send(&json!({"jsonrpc": "2.0", "id": msg["id"], "result": result}));
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn close(mut self, timeout: Duration) {
        if let Ok(id) = self.request("shutdown", Value::Null) {
            self.wait_response(id, timeout);
            let _ = self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return;
                }
            }
        }
    }
}

/// Peak resident set size of a process, in KiB (`VmHWM`).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// LSP position (UTF-16) of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

type Samples = BTreeMap<String, Vec<Duration>>;

#[derive(Default)]
struct SessionResult {
    samples: Samples,
    mode: DiagMode,
    /// The server asked for whole-document changes (`TextDocumentSyncKind.Full`).
    full_sync: bool,
    /// How many diagnostics the first answer held, and the last keystroke's.
    first_count: Option<usize>,
    last_count: Option<usize>,
    /// Requests answered with an error (a method the server does not offer).
    refused: Vec<String>,
    rss_kib: Option<u64>,
    failure: Option<String>,
}

struct Opts {
    n: usize,
    timeout: Duration,
}

fn session(spec: &ServerSpec, input: &Input, o: &Opts) -> SessionResult {
    let mut res = SessionResult::default();
    if let Err(e) = run_session(spec, input, o, &mut res) {
        res.failure = Some(e);
    }
    res
}

fn run_session(
    spec: &ServerSpec,
    input: &Input,
    o: &Opts,
    res: &mut SessionResult,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("io: {e}");
    let t0 = Instant::now();
    let mut c = Conn::spawn(&spec.cmd).map_err(|e| format!("cannot start: {e}"))?;
    let root = input.path.parent().unwrap_or(Path::new("/"));
    let id = c
        .request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri_of(root),
                "workspaceFolders": [{"uri": uri_of(root), "name": "bench"}],
                "initializationOptions": spec.init_options,
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": {
                        "synchronization": {"didSave": false},
                        "publishDiagnostics": {"versionSupport": true, "relatedInformation": true},
                        "diagnostic": {"dynamicRegistration": false},
                        "completion": {"completionItem": {"snippetSupport": false}},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "definition": {"linkSupport": false}
                    },
                    "window": {"workDoneProgress": false}
                }
            }),
        )
        .map_err(io)?;
    let init = c
        .wait_response(id, o.timeout)
        .ok_or("no initialize response")?;
    if init["result"]["capabilities"]
        .get("diagnosticProvider")
        .is_some_and(|d| !d.is_null())
    {
        res.mode = DiagMode::Pull;
    }
    // `textDocumentSync` is a kind or an object with `change`; 1 = Full:
    // such a server takes the whole text on each change, and a range sent
    // to it would replace the document with the typed character.
    let sync = &init["result"]["capabilities"]["textDocumentSync"];
    res.full_sync = sync.as_i64().or_else(|| sync["change"].as_i64()) == Some(1);
    c.notify("initialized", json!({})).map_err(io)?;
    let uri = uri_of(&input.path);
    let mut text = input.text.clone();
    let mut version = 1;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}}),
    )
    .map_err(io)?;
    // A slow starter gets three times the step timeout for its first answer.
    let first =
        diagnostics(&mut c, res.mode, &uri, None, o.timeout * 3).ok_or("no first diagnostics")?;
    push(res, "start → first diagnostics", c.arrived - t0);
    res.first_count = count(&first);
    if spec.init_options["shellcheck"] == true {
        // ShellCheck runs as the server's child processes.
        if !children_done(c.pid(), o.timeout * 3) {
            return Err("ShellCheck still running long after opening".into());
        }
    }

    let doc = json!({"uri": uri});
    if let Some((from_start, _)) = from_offsets(&text) {
        let steps: [(&str, &str, usize); 3] = [
            (
                "completion after --from=",
                "textDocument/completion",
                from_start,
            ),
            (
                "definition on stage ref",
                "textDocument/definition",
                from_start + 1,
            ),
            ("hover on stage ref", "textDocument/hover", from_start + 1),
        ];
        for (step, method, at) in steps {
            let pos = position(&text, at.min(text.len()));
            for _ in 0..o.n {
                let t = Instant::now();
                let id = c
                    .request(method, json!({"textDocument": doc, "position": pos}))
                    .map_err(io)?;
                let answer = c
                    .wait_response(id, o.timeout)
                    .ok_or_else(|| format!("{step}: no response"))?;
                if let Some(e) = answer.get("error") {
                    // Not offered: no latency to speak of.
                    res.refused.push(format!("{step}: {}", e["message"]));
                    break;
                }
                push(res, step, c.arrived - t);
            }
        }
    }

    // Keystrokes: one character at a time inside a RUN, then inside the
    // value of the last `--from=`, waiting for each version's diagnostics.
    let typed = "abcdefghijklmnopqrstuvwxyz";
    let mut run_text = " --".to_string();
    run_text.extend(typed.chars().cycle().take(o.n.saturating_sub(3)));
    let from_text: String = typed.chars().cycle().take(o.n).collect();
    for (step, chars) in [
        ("keystroke → diagnostics in RUN", run_text),
        ("keystroke → diagnostics in --from=", from_text),
    ] {
        // Found in the current text: typing in the RUN moves what follows.
        let start = if step.ends_with("RUN") {
            Some(run_typing_offset(&text))
        } else {
            from_offsets(&text).map(|(_, end)| end)
        };
        let Some(mut at) = start else { continue };
        for ch in chars.chars().take(o.n) {
            let pos = position(&text, at);
            text.insert(at, ch);
            version += 1;
            let change = if res.full_sync {
                json!({"text": text})
            } else {
                json!({"range": {"start": pos, "end": pos}, "text": ch.to_string()})
            };
            let t = Instant::now();
            c.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [change]
                }),
            )
            .map_err(io)?;
            let d = diagnostics(&mut c, res.mode, &uri, Some(version), o.timeout)
                .ok_or_else(|| format!("{step}: no diagnostics for version {version}"))?;
            push(res, step, c.arrived - t);
            res.last_count = count(&d);
            at += ch.len_utf8();
        }
    }
    res.rss_kib = peak_rss_kib(c.pid());
    c.close(o.timeout);
    Ok(())
}

/// Wait for the diagnostics of `version` (push: the publication for that
/// version, or the next one when the server sends no version; pull: the
/// answer to a `textDocument/diagnostic` request).
fn diagnostics(
    c: &mut Conn,
    mode: DiagMode,
    uri: &str,
    version: Option<i64>,
    timeout: Duration,
) -> Option<Value> {
    match mode {
        DiagMode::Push => c.wait(timeout, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && match (version, m["params"]["version"].as_i64()) {
                    (Some(want), Some(got)) => got >= want,
                    _ => true,
                }
        }),
        DiagMode::Pull => {
            let id = c
                .request(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": uri}}),
                )
                .ok()?;
            c.wait_response(id, timeout)
        }
    }
}

/// Wait until process `pid` has had no child process for a moment (Linux
/// /proc; returns at once elsewhere). False on timeout.
fn children_done(pid: u32, timeout: Duration) -> bool {
    let has_children = || -> bool {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return false;
        };
        tasks.flatten().any(|t| {
            std::fs::read_to_string(t.path().join("children")).is_ok_and(|c| !c.trim().is_empty())
        })
    };
    let deadline = Instant::now() + timeout;
    let mut quiet = 0;
    while Instant::now() < deadline {
        if has_children() {
            quiet = 0;
        } else {
            quiet += 1;
            if quiet == 5 {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// The number of diagnostics in a publication or a pull answer (`None`
/// for an `unchanged` report).
fn count(msg: &Value) -> Option<usize> {
    msg["params"]["diagnostics"]
        .as_array()
        .or_else(|| msg["result"]["items"].as_array())
        .map(Vec::len)
}

fn push(res: &mut SessionResult, step: &str, d: Duration) {
    res.samples.entry(step.to_string()).or_default().push(d);
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 10.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.1}")
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

/// tally's PyPI package installs a Python launcher; the Go binary it runs
/// is in the package's `bin/` folder. Measure that binary (its RSS is the
/// server's).
fn tally_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TALLY") {
        return Some(PathBuf::from(p));
    }
    let venvs = [PathBuf::from("/tmp/venv-tally")];
    for venv in venvs {
        let Ok(libs) = std::fs::read_dir(venv.join("lib")) else {
            continue;
        };
        for py in libs.flatten() {
            let bin = py.path().join("site-packages/tally_cli/bin");
            let Ok(plats) = std::fs::read_dir(&bin) else {
                continue;
            };
            for plat in plats.flatten() {
                let exe = plat.path().join("tally");
                if plat
                    .file_name()
                    .to_string_lossy()
                    .starts_with("tally-linux")
                    && exe.is_file()
                {
                    return Some(exe);
                }
            }
        }
    }
    find_on_path("tally")
}

fn default_servers(berth: PathBuf, shellcheck: bool) -> Vec<ServerSpec> {
    let mut v = vec![ServerSpec {
        name: "berth".into(),
        cmd: vec![berth.display().to_string(), "lsp".into()],
        init_options: json!({"shellcheck": shellcheck}),
    }];
    let dls = std::env::var_os("DOCKER_LANGSERVER")
        .map(PathBuf::from)
        .or_else(|| find_on_path("docker-langserver"))
        .or_else(|| {
            let p = PathBuf::from("/tmp/peers/node_modules/.bin/docker-langserver");
            p.is_file().then_some(p)
        });
    match dls {
        Some(p) => v.push(ServerSpec {
            name: "docker-langserver".into(),
            cmd: vec![p.display().to_string(), "--stdio".into()],
            init_options: Value::Null,
        }),
        None => eprintln!("peer not found: docker-langserver (npm dockerfile-language-server-nodejs; or set DOCKER_LANGSERVER)"),
    }
    match tally_binary() {
        Some(p) => v.push(ServerSpec {
            name: "tally".into(),
            cmd: vec![p.display().to_string(), "lsp".into(), "--stdio".into()],
            init_options: Value::Null,
        }),
        None => eprintln!("peer not found: tally (PyPI tally-cli; or set TALLY)"),
    }
    v
}

fn default_inputs(dir: &Path) -> Vec<Input> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut v = Vec::new();
    for (name, file) in [
        ("multi-stage-59", "0540.Dockerfile"),
        ("large-3000", "large-3000-lines.Dockerfile"),
    ] {
        match std::fs::read_to_string(shared.join(file)) {
            Ok(text) => v.push(Input {
                name: name.into(),
                path: dir.join(file),
                text,
            }),
            Err(_) => eprintln!("input skipped: ../shared/corpus/{file} absent"),
        }
    }
    v.push(Input {
        name: "generated-5000".into(),
        path: dir.join("generated-5000.Dockerfile"),
        text: gen::generate(100),
    });
    v
}

fn usage() -> ! {
    eprintln!("usage: berth-bench [--rounds R] [-n N] [--input PATH]... [--server NAME=CMD]... [--shellcheck] [--timeout SECS] [--generate STAGES]");
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut rounds = 2;
    let mut o = Opts {
        n: 20,
        timeout: Duration::from_secs(20),
    };
    let mut inputs_given = Vec::new();
    let mut servers_given = Vec::new();
    let mut shellcheck = false;
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--rounds" => rounds = val().parse().unwrap_or_else(|_| usage()),
            "-n" => o.n = val().parse().unwrap_or_else(|_| usage()),
            "--timeout" => {
                o.timeout = Duration::from_secs(val().parse().unwrap_or_else(|_| usage()))
            }
            "--input" => inputs_given.push(PathBuf::from(val())),
            "--server" => servers_given.push(val()),
            "--shellcheck" => shellcheck = true,
            "--generate" => {
                // Print the generated file and stop.
                print!(
                    "{}",
                    gen::generate(val().parse().unwrap_or_else(|_| usage()))
                );
                return;
            }
            _ => usage(),
        }
    }
    let dir = std::env::temp_dir().join(format!("berth-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let inputs: Vec<Input> = if inputs_given.is_empty() {
        default_inputs(&dir)
    } else {
        inputs_given
            .iter()
            .map(|p| Input {
                name: p
                    .file_name()
                    .map_or("input".into(), |f| f.to_string_lossy().into()),
                path: dir.join(p.file_name().unwrap_or("input".as_ref())),
                text: std::fs::read_to_string(p)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display())),
            })
            .collect()
    };
    for i in &inputs {
        std::fs::write(&i.path, &i.text).expect("write input");
    }
    let servers: Vec<ServerSpec> = if servers_given.is_empty() {
        let berth = std::env::var_os("BERTH")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                std::env::current_exe()
                    .expect("current exe")
                    .with_file_name("berth")
            });
        if !berth.is_file() {
            eprintln!(
                "{} not found: run `cargo build --release` first (or set BERTH)",
                berth.display()
            );
            std::process::exit(2);
        }
        default_servers(berth, shellcheck)
    } else {
        servers_given
            .iter()
            .map(|s| {
                let (name, cmd) = s.split_once('=').unwrap_or_else(|| usage());
                ServerSpec {
                    name: name.into(),
                    cmd: cmd.split_whitespace().map(str::to_string).collect(),
                    init_options: if name.starts_with("berth") {
                        json!({"shellcheck": shellcheck})
                    } else {
                        Value::Null
                    },
                }
            })
            .collect()
    };
    println!(
        "berth-bench: {} rounds, n = {} per step, {} cores; servers: {}",
        rounds,
        o.n,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        servers
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let started = Instant::now();
    for input in &inputs {
        println!("\n## {} ({} lines)", input.name, input.text.lines().count());
        // Per server: step → samples; peak RSS over rounds; failures.
        let mut all: Vec<SessionResult> =
            servers.iter().map(|_| SessionResult::default()).collect();
        for _ in 0..rounds {
            // Interleaved: one session of each server per round.
            for (si, spec) in servers.iter().enumerate() {
                if all[si].failure.is_some() {
                    continue;
                }
                let r = session(spec, input, &o);
                let entry = &mut all[si];
                for (k, v) in r.samples {
                    entry.samples.entry(k).or_default().extend(v);
                }
                entry.rss_kib = entry.rss_kib.max(r.rss_kib);
                entry.failure = r.failure;
                entry.mode = r.mode;
                entry.full_sync = r.full_sync;
                entry.first_count = r.first_count;
                entry.last_count = r.last_count;
                entry.refused = r.refused;
            }
        }
        report(&servers, &mut all);
    }
    println!("\n(total {:.1} s)", started.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
}

fn report(servers: &[ServerSpec], all: &mut [SessionResult]) {
    for (spec, r) in servers.iter().zip(all.iter()) {
        let mode = match r.mode {
            DiagMode::Push => "push (publishDiagnostics)",
            DiagMode::Pull => "pull (textDocument/diagnostic)",
        };
        let sync = if r.full_sync { "full" } else { "incremental" };
        let n = |c: Option<usize>| c.map_or("-".to_string(), |c| c.to_string());
        let counts = format!(
            "{} diagnostics at first, {} after the keystrokes",
            n(r.first_count),
            n(r.last_count)
        );
        match &r.failure {
            Some(f) => println!(
                "{}: diagnostics by {mode}, {sync} sync; FAILED: {f}",
                spec.name
            ),
            None => println!(
                "{}: diagnostics by {mode}, {sync} sync; {counts}",
                spec.name
            ),
        }
        for e in &r.refused {
            println!("{}: refused {e}", spec.name);
        }
    }
    let mut steps: Vec<String> = Vec::new();
    for r in all.iter_mut() {
        for (k, v) in r.samples.iter_mut() {
            v.sort();
            if !steps.contains(k) {
                steps.push(k.clone());
            }
        }
    }
    let order = [
        "start → first diagnostics",
        "keystroke → diagnostics in RUN",
        "keystroke → diagnostics in --from=",
        "completion after --from=",
        "definition on stage ref",
        "hover on stage ref",
    ];
    steps.sort_by_key(|s| order.iter().position(|o| o == s).unwrap_or(order.len()));
    println!(
        "{:<36} {:<18} {:>5} {:>9} {:>9} {:>9}  ratio to berth (p50, p99)",
        "step", "server", "n", "p50 ms", "p95 ms", "p99 ms"
    );
    let base = servers.iter().position(|s| s.name == "berth");
    for step in &steps {
        let berth = base.and_then(|b| all[b].samples.get(step)).cloned();
        for (spec, r) in servers.iter().zip(all.iter()) {
            let Some(v) = r.samples.get(step) else {
                continue;
            };
            let (p50, p95, p99) = (
                percentile(v, 50.0),
                percentile(v, 95.0),
                percentile(v, 99.0),
            );
            let ratio = match &berth {
                Some(b) if spec.name != "berth" && !b.is_empty() => {
                    let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
                    format!(
                        "{:.1}x, {:.1}x",
                        r(p50, percentile(b, 50.0)),
                        r(p99, percentile(b, 99.0))
                    )
                }
                _ => String::new(),
            };
            println!(
                "{:<36} {:<18} {:>5} {:>9} {:>9} {:>9}  {}",
                step,
                spec.name,
                v.len(),
                ms(p50),
                ms(p95),
                ms(p99),
                ratio
            );
        }
    }
    let berth_rss = base.and_then(|b| all[b].rss_kib).filter(|&r| r > 0);
    for (spec, r) in servers.iter().zip(all.iter()) {
        let rss = &r.rss_kib.unwrap_or(0);
        let ratio = match berth_rss {
            Some(b) if spec.name != "berth" && *rss > 0 => {
                format!("  {:.1}x berth's", *rss as f64 / b as f64)
            }
            _ => String::new(),
        };
        println!(
            "{:<36} {:<18} {:>9.1} MiB{}",
            "peak RSS (VmHWM)",
            spec.name,
            *rss as f64 / 1024.0,
            ratio
        );
    }
}
