//! The server's two ends of stdio, each on a thread of its own.
//!
//! Input: a guard between stdin and the LSP framework. The framework's
//! reader ends the session on the first message it cannot decode
//! (tokio-util stops a framed stream after a decode error), and never
//! finds its way again after a header block it cannot read. The guard
//! reads the Content-Length framing itself and decodes every body with
//! the framework's own types, so what it forwards the framework reads:
//! - a well-formed message is forwarded unchanged;
//! - a request (anything with a `method`) the framework cannot decode,
//!   such as one whose id is not an integer of 64 bits, a string or null,
//!   is answered with -32600 (Invalid Request), with its id when that id
//!   is valid and `null` otherwise, as JSON-RPC 2.0 says;
//! - anything else (a response with such an id, a body that is not
//!   JSON-RPC) is logged to stderr and dropped;
//! - after a header block without a valid `Content-Length` (missing, not
//!   a number, negative, too large), or garbage between messages, the
//!   guard looks for the next line holding a valid `Content-Length`
//!   header, also inside a line (a bad body followed straight by the next
//!   header) and starts again there.
//!
//! So one bad message costs only itself.
//!
//! The guard also holds `exit` back until the answer to a `shutdown`
//! forwarded before it has been written: the framework cancels every
//! pending request on `exit`, and a `shutdown` written together with
//! `exit` would otherwise be cancelled before it ran, unanswered, and the
//! server would exit with 1 although the client asked to shut down.
//!
//! Output: one writer for the framework's messages and for the
//! publications serialised without it (see [`send_direct`]).
//!
//! Both are plain threads doing blocking IO: tokio's stdin and stdout run
//! every read and write on its blocking pool, which adds a thread hand-off
//! on each side of every keystroke.

use std::io::{BufRead, IoSlice, Read, Write};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Id, Request, Response};

/// Longer bodies are refused like a header without a length (no editor
/// sends a 1 GiB message).
const MAX_BODY: usize = 1 << 30;

/// The part of a header line the guard keeps: garbage without line breaks
/// keeps its last bytes only, which is where a header written straight
/// after it would be.
const MAX_LINE: usize = 1024;

/// How long `exit` waits for the answer to a `shutdown` sent before it.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// One message as the framework decodes it (its own type is private): a
/// response first, then a request or a notification. Decoding with the
/// framework's types is what makes the guard exact: it accepts exactly the
/// ids [`Id`] holds (integers that fit in an `i64`, strings, and null),
/// and refuses what the framework would fail on otherwise (a float or an
/// integer past `i64` as id, a duplicated key, another `jsonrpc`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    /// Decoded to be validated, then forwarded as it came.
    Response(#[allow(dead_code)] Response),
    Request(Request),
}

/// What the guard does with one body.
enum Verdict {
    Forward(Incoming),
    /// An invalid request: send this answer, forward nothing.
    Refuse(Vec<u8>),
    /// Log why and drop it.
    Drop(&'static str),
}

/// Whether `v` is an id the framework can hold.
fn valid_id(v: &serde_json::Value) -> bool {
    Id::deserialize(v).is_ok()
}

/// The answer -32600 (Invalid Request) with `id`.
fn invalid_request(id: &serde_json::Value, message: &str) -> Vec<u8> {
    let answer = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": -32600, "message": message},
    });
    answer.to_string().into_bytes()
}

fn judge(body: &[u8]) -> Verdict {
    // The common case costs one decoding, as the framework's own does.
    let decoded = serde_json::from_slice::<Incoming>(body);
    // A request without a method decodes as one named "" (the framework
    // defaults the field): keep dropping those, answer only explicit ones.
    let explicit = |m: &serde_json::Map<String, serde_json::Value>| m.contains_key("method");
    let value = match decoded {
        Ok(Incoming::Request(r)) if r.method().is_empty() => {
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(serde_json::Value::Object(m)) if explicit(&m) => {
                    return Verdict::Forward(Incoming::Request(r))
                }
                _ => return Verdict::Drop("a message without a method, result or error"),
            }
        }
        Ok(msg) => return Verdict::Forward(msg),
        Err(_) => serde_json::from_slice::<serde_json::Value>(body),
    };
    let Ok(serde_json::Value::Object(m)) = value else {
        return Verdict::Drop("a body that is not a JSON-RPC message");
    };
    let id = m.get("id");
    let id_ok = id.is_none_or(valid_id);
    if explicit(&m) {
        return Verdict::Refuse(if id_ok {
            invalid_request(id.unwrap_or(&serde_json::Value::Null), "Invalid request")
        } else {
            invalid_request(
                &serde_json::Value::Null,
                "Invalid request: the id must be an integer of 64 bits, a string or null",
            )
        });
    }
    if id.is_some() && (m.contains_key("result") || m.contains_key("error")) {
        return Verdict::Drop(if id_ok {
            "a malformed response"
        } else {
            "a response whose id is not an integer of 64 bits, a string or null"
        });
    }
    Verdict::Drop("a message without a method, result or error")
}

/// Read messages from stdin on a thread of its own and write the
/// well-formed ones to `output` (the framework's input) with `runtime`;
/// invalid requests are answered through [`send_direct`]. `output` is
/// dropped, and so the framework sees the end, when stdin ends.
pub(super) fn start_input(
    runtime: tokio::runtime::Handle,
    mut output: impl AsyncWrite + Unpin + Send + 'static,
) {
    let spawned = std::thread::Builder::new()
        .name("berth-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let deliver = |msg: &Incoming, body: &[u8]| {
                if let Incoming::Request(r) = msg {
                    match (r.method(), r.id()) {
                        ("shutdown", Some(id)) => SHUTDOWN.expect(id.clone()),
                        ("exit", _) => SHUTDOWN.wait(EXIT_WAIT),
                        _ => {}
                    }
                }
                let header = header(body.len());
                runtime.block_on(async {
                    output.write_all(header.as_bytes()).await?;
                    output.write_all(body).await?;
                    output.flush().await
                })
            };
            let refuse = |answer: Vec<u8>| {
                if !send_direct(answer) {
                    eprintln!("berth: cannot answer an invalid request");
                }
            };
            forward(stdin.lock(), deliver, refuse);
        });
    if let Err(e) = spawned {
        eprintln!("berth: cannot start the input thread: {e}");
    }
}

/// Read one line of `input` (up to and including `\n`, or to the end)
/// into `line`, keeping only its last [`MAX_LINE`] bytes. False at the end
/// of the input or on an error.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> bool {
    line.clear();
    let mut any = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if buf.is_empty() {
            return any;
        }
        any = true;
        let (n, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..n]);
        input.consume(n);
        if line.len() > 2 * MAX_LINE {
            line.drain(..line.len() - MAX_LINE);
        }
        if done {
            return true;
        }
    }
}

/// One line of a header block.
#[derive(Debug, PartialEq, Eq)]
enum HeaderLine {
    Blank,
    /// A `Content-Length` header, with its value if it is a valid length.
    Length(Option<usize>),
    /// Another header, or garbage.
    Other,
}

/// What `line` is. A `Content-Length` header is looked for anywhere in
/// the line, the last one winning: after a bad body the next header may
/// follow it without a line break.
fn header_line(line: &[u8]) -> HeaderLine {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        return HeaderLine::Blank;
    }
    const NAME: &[u8] = b"content-length";
    let Some(at) = line
        .windows(NAME.len())
        .rposition(|w| w.eq_ignore_ascii_case(NAME))
    else {
        return HeaderLine::Other;
    };
    let rest = line[at + NAME.len()..].trim_ascii_start();
    let Some(value) = rest.strip_prefix(b":") else {
        return HeaderLine::Other;
    };
    let value = value.trim_ascii();
    let len = (!value.is_empty() && value.iter().all(u8::is_ascii_digit))
        .then(|| std::str::from_utf8(value).ok()?.parse::<usize>().ok())
        .flatten()
        .filter(|&n| n <= MAX_BODY);
    HeaderLine::Length(len)
}

/// Pass each well-formed message of `input` to `deliver` with its body,
/// and the answer to each invalid request to `refuse`, until `input`
/// ends or `deliver` fails (the framework is gone).
fn forward(
    mut input: impl BufRead,
    mut deliver: impl FnMut(&Incoming, &[u8]) -> std::io::Result<()>,
    mut refuse: impl FnMut(Vec<u8>),
) {
    let mut line = Vec::new();
    loop {
        // Header lines up to a blank line after a valid Content-Length.
        // Other headers and garbage lines are skipped; a block that ends
        // without a valid length is dropped, and the search goes on.
        let mut len = None;
        let mut lines = 0;
        loop {
            if !read_line(&mut input, &mut line) {
                return;
            }
            match header_line(&line) {
                HeaderLine::Blank if lines == 0 => {} // between messages
                HeaderLine::Blank => match len {
                    Some(_) => break,
                    None => {
                        eprintln!(
                            "berth: dropped a header block without a valid Content-Length; \
                             looking for the next header"
                        );
                        lines = 0;
                    }
                },
                HeaderLine::Length(n) => {
                    len = n;
                    lines += 1;
                }
                HeaderLine::Other => lines += 1,
            }
        }
        let Some(len) = len else { continue };
        // Grown as the bytes come, not allocated whole up front: a header
        // may claim a gigabyte that never comes.
        let mut body = Vec::new();
        match input.by_ref().take(len as u64).read_to_end(&mut body) {
            Ok(n) if n == len => {}
            _ => return,
        }
        match judge(&body) {
            Verdict::Forward(msg) => {
                if deliver(&msg, &body).is_err() {
                    return;
                }
            }
            Verdict::Refuse(answer) => {
                let shown: String = String::from_utf8_lossy(&body).chars().take(80).collect();
                eprintln!("berth: answered an invalid request with an error: {shown:?}");
                refuse(answer);
            }
            Verdict::Drop(what) => {
                let shown: String = String::from_utf8_lossy(&body).chars().take(80).collect();
                eprintln!("berth: dropped {what}: {shown:?}");
            }
        }
    }
}

/// The `shutdown` request whose answer an `exit` waits for.
struct Awaited {
    id: Mutex<Option<Id>>,
    answered: Condvar,
}

static SHUTDOWN: Awaited = Awaited {
    id: Mutex::new(None),
    answered: Condvar::new(),
};

impl Awaited {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Id>> {
        self.id.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A `shutdown` request with `id` is being forwarded.
    fn expect(&self, id: Id) {
        *self.lock() = Some(id);
    }

    /// Whether `body`, written by the framework, answers the awaited
    /// request. Free when nothing is awaited (the common case).
    fn is_answer(&self, body: &[u8]) -> bool {
        let awaited = self.lock();
        let Some(id) = awaited.as_ref() else {
            return false;
        };
        serde_json::from_slice::<Response>(body).is_ok_and(|r| r.id() == id)
    }

    /// The awaited answer has been queued for the client.
    fn answered(&self) {
        *self.lock() = None;
        self.answered.notify_all();
    }

    /// Wait, at most `limit`, until the awaited answer is queued.
    fn wait(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        let mut awaited = self.lock();
        while awaited.is_some() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                eprintln!("berth: `shutdown` still unanswered; exiting anyway");
                *awaited = None;
                return;
            }
            awaited = match self.answered.wait_timeout(awaited, left) {
                Ok((guard, _)) => guard,
                Err(e) => e.into_inner().0,
            };
        }
    }
}

/// Messages written to the client without the framework's help: the
/// framework turns every outgoing message into a `serde_json::Value`
/// first, which for a publication of hundreds of diagnostics costs more
/// than computing them. Set once by [`start_output`].
static DIRECT: OnceLock<mpsc::Sender<Vec<u8>>> = OnceLock::new();

/// Whether [`send_direct`] can be used.
pub(super) fn direct() -> bool {
    DIRECT.get().is_some()
}

/// Queue a message body already serialised, from any thread. Returns false
/// when there is no direct channel.
pub(super) fn send_direct(body: Vec<u8>) -> bool {
    DIRECT.get().is_some_and(|tx| tx.send(body).is_ok())
}

/// Write to `output` on a thread of its own, one whole message at a time,
/// the framework's messages (read from `framework`, the other end of its
/// writer) and the direct ones, in the order they come. The thread ends
/// when the framework's stream does (the session is over) or `output`
/// fails; join it to know that what was queued before has been written.
/// The answer to an awaited `shutdown` releases the `exit` held back by
/// the input once it is queued.
pub(super) fn start_output(
    framework: impl AsyncRead + Unpin + Send + 'static,
    output: impl Write + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let writer = std::thread::Builder::new()
        .name("berth-stdout".into())
        .spawn(move || write_all_messages(rx, output))?;
    let _ = DIRECT.set(tx.clone());
    // The framework's stream cut into whole messages; an empty one when it
    // ends.
    tokio::spawn(async move {
        let mut input = BufReader::new(framework);
        while let Some(body) = read_frame(&mut input).await {
            let answers_shutdown = SHUTDOWN.is_answer(&body);
            if tx.send(body).is_err() {
                return;
            }
            if answers_shutdown {
                SHUTDOWN.answered();
            }
        }
        let _ = tx.send(Vec::new());
    });
    Ok(writer)
}

/// Frame and write each body `rx` yields until an empty one. `output` is
/// flushed after each message (it is meant to be unbuffered: the OS pipe).
fn write_all_messages(rx: mpsc::Receiver<Vec<u8>>, mut output: impl Write) {
    while let Ok(body) = rx.recv() {
        if body.is_empty() {
            break;
        }
        let header = header(body.len());
        if write_both(&mut output, header.as_bytes(), &body).is_err() || output.flush().is_err() {
            return;
        }
    }
}

/// The framing before a body of `len` bytes.
fn header(len: usize) -> String {
    format!("Content-Length: {len}\r\n\r\n")
}

/// `a` then `b`, in as few writes as the OS takes.
fn write_both(out: &mut impl Write, mut a: &[u8], mut b: &[u8]) -> std::io::Result<()> {
    while !a.is_empty() {
        let n = out.write_vectored(&[IoSlice::new(a), IoSlice::new(b)])?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        let from_a = n.min(a.len());
        a = &a[from_a..];
        b = &b[n - from_a..];
    }
    out.write_all(b)
}

/// One message body from a stream the framework wrote (well-formed).
async fn read_frame(input: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut len = None;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; len?];
    input.read_exact(&mut body).await.ok()?;
    Some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bodies `input` delivers and the answers it gets.
    fn run(input: &[u8]) -> (Vec<String>, Vec<serde_json::Value>) {
        let mut delivered = Vec::new();
        let mut answers = Vec::new();
        forward(
            input,
            |_, body| {
                delivered.push(String::from_utf8_lossy(body).into_owned());
                Ok(())
            },
            |answer| answers.push(serde_json::from_slice(&answer).unwrap()),
        );
        (delivered, answers)
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

    #[test]
    fn header_lines() {
        use HeaderLine::*;
        assert_eq!(header_line(b"\r\n"), Blank);
        assert_eq!(header_line(b"Content-Length: 12\r\n"), Length(Some(12)));
        assert_eq!(header_line(b"content-length:7"), Length(Some(7)));
        assert_eq!(header_line(b"{}Content-Length: 52\r\n"), Length(Some(52)));
        assert_eq!(
            header_line(b"Content-Length: 1Content-Length: 2\n"),
            Length(Some(2))
        );
        for bad in [
            "abc",
            "-5",
            "+5",
            "",
            "99999999999999999999999",
            "4294967296000",
            "5 x",
        ] {
            let line = format!("Content-Length: {bad}\r\n");
            assert_eq!(header_line(line.as_bytes()), Length(None), "{line:?}");
        }
        assert_eq!(header_line(b"Content-Length abc\r\n"), Other);
        assert_eq!(header_line(b"Content-Type: x\r\n"), Other);
    }

    #[test]
    fn framing_resynchronises_after_garbage() {
        let shapes = [
            "Content-Length: abc\r\n\r\n{}",
            "Content-Length: -1\r\n\r\n{}",
            "Content-Length: 99999999999999999999\r\n\r\n{}",
            "Content-Type: text/plain\r\n\r\n{}",
            "\u{0}garbage without a line break ",
            "garbage\r\n\r\n\r\nmore\r\n",
            "Content-Length: 3\r\n\r\n{x}",
        ];
        for shape in shapes {
            let input = format!("{}{shape}{}{}", framed(PING), framed(PING), framed(PING));
            let (delivered, answers) = run(input.as_bytes());
            assert_eq!(delivered, [PING, PING, PING], "{shape:?}");
            assert!(answers.is_empty());
        }
        // A very long garbage line keeps only its end, header included.
        let input = format!("{}{}", "x".repeat(100_000), framed(PING));
        assert_eq!(run(input.as_bytes()).0, [PING]);
    }

    #[test]
    fn ids_the_framework_cannot_hold_are_refused() {
        for id in [
            "1.5",
            "true",
            "{\"a\":1}",
            "[1]",
            "9223372036854775808",
            "-0",
            "1e2",
        ] {
            let request = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
            let response = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#);
            let input = format!("{}{}{}", framed(&request), framed(&response), framed(PING));
            let (delivered, answers) = run(input.as_bytes());
            assert_eq!(delivered, [PING], "{id}");
            assert_eq!(answers.len(), 1, "{id}");
            assert_eq!(answers[0]["id"], serde_json::Value::Null);
            assert_eq!(answers[0]["error"]["code"], -32600);
        }
        for id in [
            "9223372036854775807",
            "-9223372036854775808",
            "\"x\"",
            "null",
            "0",
        ] {
            let request = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
            let response = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#);
            let input = format!("{}{}", framed(&request), framed(&response));
            let (delivered, answers) = run(input.as_bytes());
            assert_eq!(delivered, [request, response], "{id}");
            assert!(answers.is_empty());
        }
        // Another invalid request with a valid id is refused with that id.
        let request = r#"{"jsonrpc":"2.0","id":7,"method":"a","method":"b"}"#;
        let (delivered, answers) = run(framed(request).as_bytes());
        assert!(delivered.is_empty());
        assert_eq!(answers[0]["id"], 7);
        // Not a message at all: dropped without an answer.
        for body in ["{not json", "[1]", r#"{"jsonrpc":"2.0","id":77}"#, "{}"] {
            assert_eq!(run(framed(body).as_bytes()), (vec![], vec![]), "{body}");
        }
    }
}
