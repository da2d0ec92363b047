//! The server's two ends of stdio, each on a thread of its own.
//!
//! Input: a guard between stdin and the LSP framework. The framework's
//! reader ends the session on the first body that is not a JSON-RPC
//! message (tokio-util stops a framed stream after a decode error). The
//! guard reads the Content-Length framing itself, forwards well-formed
//! messages unchanged, and logs and drops the rest, so one bad message
//! costs only itself.
//!
//! Output: one writer for the framework's messages and for the
//! publications serialised without it (see [`send_direct`]).
//!
//! Both are plain threads doing blocking IO: tokio's stdin and stdout run
//! every read and write on its blocking pool, which adds a thread hand-off
//! on each side of every keystroke.

use std::io::{BufRead, IoSlice, Write};
use std::sync::mpsc;
use std::sync::OnceLock;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// Larger bodies end the session (no editor sends a 1 GiB message).
const MAX_BODY: usize = 1 << 30;

/// Whether `body` is a JSON-RPC message the framework can decode: an
/// object with `"jsonrpc": "2.0"` and a method, or an id with a result or
/// an error.
fn is_message(body: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(m)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    m.get("jsonrpc").and_then(|v| v.as_str()) == Some("2.0")
        && (m.get("method").is_some_and(|v| v.is_string())
            || (m.contains_key("id") && (m.contains_key("result") || m.contains_key("error"))))
}

/// Read messages from stdin on a thread of its own and write the
/// well-formed ones to `output` (the framework's input) with `runtime`.
/// `output` is dropped, and so the framework sees the end, when stdin ends
/// or its framing cannot be followed any more.
pub(super) fn start_input(
    runtime: tokio::runtime::Handle,
    mut output: impl AsyncWrite + Unpin + Send + 'static,
) {
    let spawned = std::thread::Builder::new()
        .name("berth-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            forward(stdin.lock(), |body| {
                let header = header(body.len());
                runtime.block_on(async {
                    output.write_all(header.as_bytes()).await?;
                    output.write_all(body).await?;
                    output.flush().await
                })
            });
        });
    if let Err(e) = spawned {
        eprintln!("berth: cannot start the input thread: {e}");
    }
}

/// Pass each well-formed message body of `input` to `deliver`, until
/// `input` ends, the framing cannot be followed any more, or `deliver`
/// fails.
fn forward(mut input: impl BufRead, mut deliver: impl FnMut(&[u8]) -> std::io::Result<()>) {
    let mut line = Vec::new();
    loop {
        // Headers, up to an empty line.
        let mut len: Option<Option<usize>> = None;
        let mut saw_header = false;
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if saw_header {
                    break;
                }
                continue; // stray blank lines between messages
            }
            saw_header = true;
            if let Some((name, value)) = text.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    len = Some(value.trim().parse::<usize>().ok());
                }
            }
        }
        let len = match len {
            Some(Some(n)) if n <= MAX_BODY => n,
            Some(Some(n)) => {
                eprintln!("berth: a message of {n} bytes is too large; closing the session");
                return;
            }
            _ => {
                eprintln!("berth: dropped a message without a valid Content-Length header");
                continue;
            }
        };
        let mut body = vec![0; len];
        if input.read_exact(&mut body).is_err() {
            return;
        }
        if !is_message(&body) {
            let shown: String = String::from_utf8_lossy(&body).chars().take(80).collect();
            eprintln!("berth: dropped a message that is not JSON-RPC: {shown:?}");
            continue;
        }
        if deliver(&body).is_err() {
            return;
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
            if tx.send(body).is_err() {
                return;
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
