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

/// Run `f` on its own thread with a 2 MiB stack (the size of the threads
/// `berth check` and the language server analyse on, smaller than the main
/// thread's); fail if it panics or has not finished after `limit`.
fn within<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .name(what.into())
        .stack_size(2 << 20)
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
fn one_stage_of_many_instructions_and_comments() {
    // The syntax tree is read with each node's neighbours at hand: asking
    // tree-sitter for a node's previous sibling walks down from the root,
    // which made reading a long stage quadratic.
    let mut text = String::from("FROM debian\n");
    for i in 0..30_000 {
        text.push_str(&format!(
            "# note {i}\n# more\nENV A{i}=x \\\n  # inside\n  y\n"
        ));
    }
    run("30,000 instructions, 90,000 comments, one stage", text, 20);
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

#[path = "../fuzz/targets.rs"]
mod targets;

/// How deep the nesting tests nest: far past any fixed limit the analysis
/// keeps, and deep enough that one stack frame per level overflows a
/// 2 MiB stack in a release build and more so in a debug build.
const DEEP: usize = 10_000;

/// The constructs that nest: (name, what opens a level, what closes it).
/// Each is tried unclosed (the opener repeated) and closed (the openers,
/// then the closers).
const NESTINGS: &[(&str, &str, &str)] = &[
    ("${a:-", "${a:-", "}"),
    ("${a:+", "${a:+", "}"),
    ("${a#", "${a#", "}"),
    ("$(", "$(echo ", ")"),
    ("\"$(", "\"$(", ")\""),
    ("`", "`", "`"),
    ("\"", "\"", "\""),
    ("'", "'", "'"),
    ("$((", "$((", "))"),
    ("((", "((", "))"),
    ("(", "(", ")"),
    ("{ ", "{ ", "; }"),
    ("if", "if true; then ", "; fi"),
    ("<<E", "$(cat <<E\n", "\nE\n)"),
    ("[", "[", "]"),
    ("{", "{", "}"),
    ("[{\"a\":", "[{\"a\":", "}]"),
];

/// A Dockerfile with `deep` in an instruction of the given kind.
fn in_instruction(kind: &str, deep: &str) -> String {
    match kind {
        "FROM" => format!("FROM a{deep}\nRUN true\n"),
        "LABEL" => format!("FROM a\nLABEL x={deep}\n"),
        "ENV" => format!("FROM a\nENV x={deep}\nENV y {deep}\n"),
        "ARG" => format!("ARG x={deep}\nFROM a:$x\nARG y={deep}\n"),
        "COPY" => format!("FROM a\nCOPY --chown={deep} {deep} /x\nCOPY {deep}\n"),
        "ADD" => format!("FROM a\nADD {deep} /x\n"),
        "RUN" => format!("FROM a\nRUN echo {deep}\nRUN {deep}\n"),
        "RUN heredoc" => {
            format!("FROM a\nRUN <<EOF\necho {deep}\nEOF\nRUN cat <<EOF\n{deep}\nEOF\n")
        }
        "CMD" => format!("FROM a\nCMD {deep}\n"),
        "ENTRYPOINT" => format!("FROM a\nENTRYPOINT {deep}\n"),
        "USER" => format!("FROM a\nUSER {deep}\n"),
        "WORKDIR" => format!("FROM a\nWORKDIR /{deep}\n"),
        "EXPOSE" => format!("FROM a\nEXPOSE {deep}\n"),
        "HEALTHCHECK" => format!("FROM a\nHEALTHCHECK CMD {deep}\n"),
        "ONBUILD" => format!("FROM a\nONBUILD RUN {deep}\nONBUILD ENV x={deep}\n"),
        _ => unreachable!("{kind}"),
    }
}

const KINDS: &[&str] = &[
    "FROM",
    "LABEL",
    "ENV",
    "ARG",
    "COPY",
    "ADD",
    "RUN",
    "RUN heredoc",
    "CMD",
    "ENTRYPOINT",
    "USER",
    "WORKDIR",
    "EXPOSE",
    "HEALTHCHECK",
    "ONBUILD",
];

/// Every instruction kind with every nesting construct, unclosed and
/// closed, `DEEP` levels deep.
fn deep_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for kind in KINDS {
        for (name, open, close) in NESTINGS {
            let unclosed = open.repeat(DEEP);
            let closed = format!("{unclosed}x{}", close.repeat(DEEP));
            out.push((
                format!("{kind} with {name} unclosed"),
                in_instruction(kind, &unclosed),
            ));
            out.push((
                format!("{kind} with {name} closed"),
                in_instruction(kind, &closed),
            ));
        }
    }
    out
}

/// Nothing in the analysis recurses as deep as the text nests: the whole
/// analysis and every request (the fuzz targets' bodies: diagnostics,
/// every IDE request at offsets spread over the text, formatting; and
/// fix-all) run on a thread with a 2 MiB stack, the size of the
/// threads `berth check` and the language server analyse on. A recursion
/// proportional to the input overflows that stack, which aborts this test
/// binary with "has overflowed its stack" and names the case's thread.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "minutes in a debug build; .ci/run runs this file in release"
)]
fn deep_nesting_in_every_instruction_on_a_small_stack() {
    // Requests at a few offsets spread over each text: enough to land
    // inside the nesting, few enough for a debug build (the assists
    // parse a RUN of 10,000 nested commands again at every offset).
    let probes = if cfg!(debug_assertions) { 3 } else { 6 };
    let (tx, rx) = channel();
    // BERTH_DEEP_ONLY=text runs only the cases whose name holds it.
    let only = std::env::var("BERTH_DEEP_ONLY").unwrap_or_default();
    let texts: Vec<_> = (deep_texts().into_iter())
        .filter(|(what, _)| what.contains(&only))
        .collect();
    let n = texts.len();
    std::thread::Builder::new()
        .name("deep nesting".into())
        .stack_size(2 << 20)
        .spawn(move || {
            for (what, text) in texts {
                let start = Instant::now();
                let bytes = text.as_bytes();
                targets::parse_and_diagnose(bytes);
                targets::ide_everywhere_step(bytes, bytes.len() / probes + 1);
                // Fix-all and the requests `exercise` makes.
                exercise(text, probes);
                println!("{what}: {:?}", start.elapsed());
                if tx.send(what).is_err() {
                    return;
                }
            }
        })
        .unwrap();
    // Each case in turn under the watchdog (the slowest, a RUN of 10,000
    // nested `if`s, takes seconds in release).
    for done in 0..n {
        match rx.recv_timeout(LIMIT) {
            Ok(_) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!(
                    "case {} of {n} still running after {LIMIT:?}: a hang or a quadratic scan",
                    done + 1
                )
            }
            Err(_) => panic!("the analysis panicked after {done} of {n} cases"),
        }
    }
}

/// `berth check` on the same texts, as a child process reading stdin:
/// it ends with an exit code (findings or none), never killed by a signal
/// (a stack overflow aborts with SIGABRT).
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "minutes in a debug build; .ci/run runs this file in release"
)]
fn deep_nesting_does_not_kill_berth_check() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut killed = Vec::new();
    for (what, text) in deep_texts() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .args(["check", "--no-shellcheck", "--no-fail", "-q", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run berth");
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
        let out = within(&what, LIMIT, move || child.wait_with_output().unwrap());
        let _ = writer.join();
        if out.status.code().is_none() {
            killed.push(format!(
                "{what}: {:?}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        killed.is_empty(),
        "berth check died:\n{}",
        killed.join("\n")
    );
}

/// Variable references are followed `MAX_NESTING` levels deep; past that
/// the model notes, once per instruction, that the rest is not analysed,
/// and the references it did find are kept.
#[test]
fn variable_nesting_past_the_limit_is_noted() {
    use berth::model::{build_codes::NESTING_TOO_DEEP, Model};
    use berth::syntax::words::MAX_NESTING;
    let nested = |depth: usize| {
        let mut v = String::from("x");
        for i in (0..depth).rev() {
            v = format!("${{v{i}:-{v}}}");
        }
        v
    };
    let notes = |m: &Model| {
        m.problems
            .iter()
            .filter(|p| p.code == NESTING_TOO_DEEP)
            .count()
    };
    let m = Model::build(&format!("FROM a\nLABEL x={}\n", nested(MAX_NESTING + 1)));
    assert_eq!(notes(&m), 0);
    assert_eq!(m.uses.len(), MAX_NESTING + 1);
    let text = format!(
        "ARG a={deep}\nFROM a{deep}\nLABEL x={deep} y={deep}\nENV e={deep}\nRUN echo {deep}\n",
        deep = nested(MAX_NESTING + 2)
    );
    let m = Model::build(&text);
    assert_eq!(notes(&m), 5, "one note per instruction: {:?}", m.problems);
    for p in m.problems.iter().filter(|p| p.code == NESTING_TOO_DEEP) {
        let last = format!("${{v{MAX_NESTING}:-");
        assert!(p.range.slice(&text).starts_with(&last), "{p:?}");
    }
    // The 7,000-deep unclosed case that overflowed the stack.
    let m = Model::build(&format!("FROM a\nLABEL x={}\n", "${a:-".repeat(7_000)));
    assert_eq!(notes(&m), 1);
}

/// Commands are listed `MAX_SUBSTITUTION_DEPTH` command substitutions
/// deep; a script nested deeper is marked as read with an error, so rules
/// that need every command stay careful.
#[test]
fn command_substitutions_are_followed_to_a_fixed_depth() {
    use berth::model::Model;
    use berth::shell::{run_scripts, MAX_SUBSTITUTION_DEPTH};
    let script = |depth: usize| {
        let text = format!(
            "FROM a\nRUN {}x{}\n",
            "echo $(".repeat(depth),
            ")".repeat(depth)
        );
        let m = Model::build(&text);
        run_scripts(&m, &text, &m.instructions[1]).remove(0)
    };
    let s = script(MAX_SUBSTITUTION_DEPTH);
    assert_eq!(s.commands.len(), MAX_SUBSTITUTION_DEPTH + 1);
    assert!(!s.has_error);
    let s = script(MAX_SUBSTITUTION_DEPTH + 1);
    assert_eq!(s.commands.len(), MAX_SUBSTITUTION_DEPTH + 1);
    assert!(s.has_error);
}

/// Values that name the previous variable many times ("billion laughs"):
/// eight levels of 40 references each would expand 40^8 references. The
/// expansions (FROM lines with global ARGs; ENV values in paths the rules
/// resolve) give up after a fixed number of references instead.
#[test]
fn exponential_variable_expansion() {
    let mut text = String::from("ARG A0=\n");
    for k in 1..8 {
        text.push_str(&format!("ARG A{k}={}\n", format!("$A{}", k - 1).repeat(40)));
    }
    text.push_str("FROM x${A7}\n");
    run("ARG billion laughs", text, 20);
    let mut text = String::from("FROM scratch\nENV A0=\n");
    for k in 1..9 {
        text.push_str(&format!("ENV A{k}={}\n", format!("$A{}", k - 1).repeat(40)));
    }
    text.push_str("COPY x /${A8}\nWORKDIR /${A8}\nRUN ls ${A8}\n");
    run("ENV billion laughs", text, 20);
}

/// `ONBUILD ONBUILD ...` 100,000 times: the trigger is lexed one level
/// deep (BuildKit refuses a chained ONBUILD), so neither lexing nor
/// dropping the instruction recurses once per keyword.
#[test]
fn repeated_onbuild_keywords() {
    let text = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(100_000));
    run("100,000 ONBUILD keywords", text, 4);
}
