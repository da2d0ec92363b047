//! Adversarial inputs: huge, deep, broken and odd texts. Each must be
//! analysed (parse, model, every diagnostic, fix-all, and the ide requests
//! at a spread of offsets) without a panic and within a generous time
//! bound, enforced by a watchdog thread rather than a tight wall-clock
//! assertion. The limits are several times what the slowest case needs
//! (the 50,000-line RUN: ~5 s in release, ~20-60 s in a debug build while
//! the rest of the test suite shares the 2 cores); the quadratic scans
//! these cases found took minutes, and a hang never ends.

use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use berth::ide::{fix_all_detailed, Analysis, Settings};
use berth::text::{PositionEncoding, TextRange};

/// Run `f` on its own thread (with the main thread's default stack); fail
/// if it panics or has not finished after `limit`.
fn within<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .name(what.into())
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    match rx.recv_timeout(limit) {
        Ok(v) => {
            println!("{what}: {:?}", start.elapsed());
            v
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: still running after {limit:?} (a hang or a quadratic scan)")
        }
        Err(_) => panic!("{what}: panicked"),
    }
}

const LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 150 } else { 30 });

/// Everything a client may ask of a text, at `probes` offsets spread over
/// it (and its two ends). Returns the diagnostics' codes.
fn exercise(text: String, probes: usize) -> Vec<&'static str> {
    let a = Analysis::from_text(&text, Arc::new(Settings::default()));
    let codes: Vec<&'static str> = a.diagnostics().iter().map(|d| d.code).collect();
    let len = text.len();
    let idx = a.line_index();
    let mut offsets: Vec<usize> = (0..=probes).map(|i| len * i / probes.max(1)).collect();
    offsets.push(len);
    for off in offsets {
        let mut off = off.min(len);
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let o = off as u32;
        let _ = a.definition(o);
        let _ = a.hover(o);
        let _ = a.completions(o);
        let _ = a.assists(TextRange::empty(o));
        // Inside a \r\n break both offsets share one position.
        let mid_crlf = off > 0 && text[..off].ends_with('\r') && text[off..].starts_with('\n');
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let lc = idx.line_col(o, enc);
            let back = idx.offset(lc, enc);
            assert!(
                back == o || (mid_crlf && back == o - 1),
                "round trip at {off} ({enc:?})"
            );
        }
    }
    let _ = a.assists(TextRange::from_usize(0, len));
    let fixed = fix_all_detailed(&a, true);
    assert!(fixed.text.len() < len * 2 + 1024);
    let _ = a.document().tree();
    codes
}

fn run(what: &str, text: String, probes: usize) -> Vec<&'static str> {
    within(what, LIMIT, move || exercise(text, probes))
}

#[test]
fn one_megabyte_single_line() {
    let text = format!("FROM alpine\nRUN echo {}", "a".repeat(1 << 20));
    run("1 MB RUN line", text, 50);
    let text = format!("FROM {}", "b".repeat(1 << 20));
    run("1 MB FROM line", text, 50);
}

#[test]
fn one_megabyte_env_line() {
    let words = "x=${y} ".repeat((1 << 20) / 7);
    run("1 MB ENV line", format!("FROM a\nENV {words}"), 50);
}

#[test]
fn one_hundred_thousand_stages() {
    // Each stage builds on the previous one: a 100,000-deep stage chain.
    let mut text = String::from("FROM alpine AS s0\n");
    for i in 1..100_000 {
        text.push_str(&format!(
            "FROM s{} AS s{i}\nCOPY --from=s{} /a /a\n",
            i - 1,
            i / 2
        ));
    }
    run("100,000 chained stages", text, 50);
}

#[test]
fn fifty_thousand_line_run() {
    let mut text = String::from("FROM debian\nRUN apt-get update \\\n");
    for i in 0..50_000 {
        text.push_str(&format!("    && echo line{i} \\\n"));
    }
    text.push_str("    && true\n");
    run("50,000-line RUN", text, 50);
    let mut text = String::from("FROM debian\nRUN <<EOF\n");
    for i in 0..50_000 {
        text.push_str(&format!("echo line{i} \"$HOME\"\n"));
    }
    text.push_str("EOF\n");
    run("50,000-line RUN heredoc", text, 50);
}

#[test]
fn deeply_nested_variable_defaults() {
    let depth = 1000;
    let mut v = String::from("end");
    for i in 0..depth {
        v = format!("${{v{i}:-{v}}}");
    }
    let text = format!("ARG A={v}\nFROM alpine:{v}\nENV B={v}\nRUN echo {v}\nCOPY {v} /x\n");
    run("1000-deep ${a:-${b:-...}}", text, 200);
    // Unclosed, too.
    let text = format!("FROM alpine\nENV B={}\n", "${a:-".repeat(depth));
    run("1000 unclosed ${a:-", text, 100);
}

#[test]
fn unterminated_heredocs() {
    let mut text = String::from("FROM alpine\nRUN <<EOF cat <<EOT\n");
    for _ in 0..20_000 {
        text.push_str("echo never ends\n");
    }
    let codes = run("unterminated heredoc", text, 100);
    assert!(!codes.is_empty(), "an unterminated heredoc is reported");
    run(
        "heredoc marker at the end of the file",
        "FROM a\nRUN <<".into(),
        10,
    );
    run(
        "heredoc marker quoted, unclosed",
        "FROM a\nRUN <<\"EOF".into(),
        10,
    );
}

#[test]
fn unclosed_json_arrays() {
    for text in [
        "FROM a\nCMD [\"sh\", \"-c\"\n",
        "FROM a\nCMD [\"sh\n",
        "FROM a\nENTRYPOINT [\n",
        "FROM a\nSHELL [\"pwsh\", \n",
        "FROM a\nCOPY [\"a\", \"b\"\n",
        "FROM a\nRUN [\"\\\n",
    ] {
        run(&format!("{text:?}"), text.to_string(), 20);
    }
    let deep = format!("FROM a\nCMD {}\"x\"", "[".repeat(10_000));
    run("10,000 open brackets", deep, 50);
}

#[test]
fn nul_bytes() {
    run(
        "NUL bytes",
        "FROM a\0b AS c\0\nRUN \0echo\0 x\n\0\0\0".into(),
        30,
    );
    run("only NUL bytes", "\0".repeat(100_000), 30);
}

#[test]
fn utf8_bom() {
    let codes = run(
        "BOM",
        "\u{feff}FROM alpine AS build\nRUN echo hi\n".into(),
        30,
    );
    assert!(
        !codes
            .iter()
            .any(|c| *c == "UnknownInstruction" || *c == "syntax"),
        "a BOM is not part of the first instruction: {codes:?}"
    );
    run("BOM only", "\u{feff}".into(), 5);
    run("two BOMs", "\u{feff}\u{feff}FROM a\n".into(), 5);
}

#[test]
fn cr_only_line_endings() {
    let text =
        "FROM alpine AS build\rRUN echo hi \\\r    && true\rCOPY --from=build / /\r".to_string();
    run("CR-only line endings", text, 60);
    run("many CRs", "\r".repeat(200_000), 30);
    run(
        "mixed breaks",
        "FROM a\r\n\rRUN x\n\r\u{2028}\u{85}ENV a=b\r".into(),
        30,
    );
}

#[test]
fn ten_megabyte_file() {
    let mut text = String::from("FROM alpine AS base\n");
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!(
            "RUN echo {i} && apt-get install -y curl\nENV V{i}=${{V{}:-x}}\n",
            i / 2
        ));
        i += 1;
    }
    let codes = run("10 MB file", text, 20);
    // Over the checking limit: one diagnostic says so, no rule ran.
    assert_eq!(codes, ["FileTooLarge"]);
}
