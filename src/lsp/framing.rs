//! A guard between stdin and the LSP framework: the framework's reader
//! ends the session on the first body that is not a JSON-RPC message
//! (tokio-util stops a framed stream after a decode error). This reads
//! the Content-Length framing itself, forwards well-formed messages
//! unchanged, and logs and drops the rest, so one bad message costs only
//! itself.

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

/// Copy messages from `input` to `output` until `input` ends or the
/// framing cannot be followed any more.
pub(super) async fn forward(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        // Headers, up to an empty line.
        let mut len: Option<Option<usize>> = None;
        let mut saw_header = false;
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line).await {
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
        if input.read_exact(&mut body).await.is_err() {
            return;
        }
        if !is_message(&body) {
            let shown: String = String::from_utf8_lossy(&body).chars().take(80).collect();
            eprintln!("berth: dropped a message that is not JSON-RPC: {shown:?}");
            continue;
        }
        let header = format!("Content-Length: {len}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

/// Messages written to the client without the framework's help: the
/// framework turns every outgoing message into a `serde_json::Value`
/// first, which for a publication of hundreds of diagnostics costs more
/// than computing them. Set once by `lsp::run`.
static DIRECT: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Vec<u8>>> =
    std::sync::OnceLock::new();

/// Whether [`send_direct`] can be used.
pub(super) fn direct() -> bool {
    DIRECT.get().is_some()
}

/// Send a message body already serialised. Returns false when there is no
/// direct channel.
pub(super) fn send_direct(body: &[u8]) -> bool {
    DIRECT.get().is_some_and(|tx| tx.send(frame(body)).is_ok())
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Write to `output`, one whole message at a time, the framework's
/// messages (read from `framework`, the other end of its writer) and the
/// direct ones, in the order they come. Ends when both are done.
pub(super) fn start_output(
    framework: impl AsyncRead + Unpin + Send + 'static,
    mut output: impl AsyncWrite + Unpin + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let _ = DIRECT.set(tx.clone());
    // The framework's stream cut into whole messages; an empty one when it
    // ends (the session is over: the writer stops there).
    tokio::spawn(async move {
        let mut input = BufReader::new(framework);
        while let Some(body) = read_frame(&mut input).await {
            if tx.send(frame(&body)).is_err() {
                return;
            }
        }
        let _ = tx.send(Vec::new());
    });
    tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            if msg.is_empty() {
                break;
            }
            if output.write_all(&msg).await.is_err() {
                return;
            }
            // Flush when nothing else is waiting: one write per burst.
            if rx.is_empty() && output.flush().await.is_err() {
                return;
            }
        }
        let _ = output.flush().await;
    })
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
