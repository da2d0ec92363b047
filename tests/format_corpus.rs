//! Formatting every file of ../shared/corpus (real Dockerfiles written by
//! others): idempotent, meaning-preserving, and no new findings.
//!
//! "The same meaning" is this projection of the model being equal before
//! and after formatting:
//! - the escape character and the parser directives (name, value);
//! - per instruction (ONBUILD's trigger included): its kind, its flags
//!   (name and value after quote processing), and its arguments: for
//!   shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK, the shell's simple commands
//!   (each word as written, after BuildKit's line joining; tree-sitter-bash
//!   decides where words end) plus the command text with all whitespace
//!   removed (so an operator or a character that changed is seen too); for
//!   every other instruction, each word's value after BuildKit's splitting
//!   and quote processing (exec-form JSON strings, ENV/LABEL pairs...);
//! - the heredocs (name and exact body text);
//! - the stages (name, base as written) and the parse-time problems (codes).
//!
//! Whitespace between words is therefore free to change; whitespace inside
//! a word (quoted, escaped) is not. Diagnostics: no code of severity warning
//! or worse may be reported more often after formatting than before.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use berth::ide::format::formatted;
use berth::ide::{Analysis, Settings};
use berth::model::{Form, Instruction, Model};
use berth::rules::Severity;
use berth::shell::{dialect, Dialect};
use berth::syntax::words::split_quoted_words;
use berth::syntax::Keyword;

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("SKIPPED: ../shared absent");
        return None;
    }
    let mut out = Vec::new();
    for sub in [dir.clone(), dir.join("snippets")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".Dockerfile") || name.ends_with(".df") {
                out.push(p);
            }
        }
    }
    out.sort();
    Some(out)
}

#[derive(Debug, PartialEq, Eq)]
struct Ins {
    kind: Keyword,
    flags: Vec<(String, Option<String>)>,
    words: Vec<String>,
    shell: Option<(Vec<Vec<String>>, String)>,
    heredocs: Vec<(String, String)>,
    onbuild: Option<Box<Ins>>,
}

#[derive(Debug, PartialEq, Eq)]
struct Projection {
    escape: u8,
    directives: Vec<(String, String)>,
    instructions: Vec<Ins>,
    stages: Vec<(Option<String>, String)>,
    problems: Vec<&'static str>,
}

fn ins(m: &Model, text: &str, i: &Instruction) -> Ins {
    let posix = matches!(dialect(m, i.index), Dialect::Posix { .. });
    let escape = m.escape;
    let shell_form = i.form == Form::Shell
        && matches!(
            i.kind,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        );
    let (words, shell) = match i.args.last() {
        _ if i.kind == Keyword::Onbuild => (Vec::new(), None), // the trigger is compared
        Some(w) if shell_form => {
            let span = (w.joined.0 as usize, w.joined.1 as usize);
            let script = berth::shell::parse(&i.joined, span.0, span.1);
            let commands = if script.has_error || !posix {
                // PowerShell, cmd, or what tree-sitter-bash cannot parse:
                // BuildKit's own word splitting decides where words end.
                vec![split_quoted_words(&i.joined, span, escape)
                    .into_iter()
                    .map(|w| w.raw)
                    .collect()]
            } else {
                script
                    .commands
                    .iter()
                    .map(|c| {
                        let mut v: Vec<String> =
                            c.env.iter().map(|(k, x)| format!("{k}={x}")).collect();
                        v.push(c.name.raw.clone());
                        v.extend(c.args.iter().map(|a| a.raw.clone()));
                        v
                    })
                    .collect()
            };
            let compact: String = w.value.split_whitespace().collect();
            let head = i.args[..i.args.len() - 1]
                .iter()
                .map(|w| w.value.clone())
                .collect();
            (head, Some((commands, compact)))
        }
        _ if i.kind == Keyword::From => (
            i.args
                .iter()
                .enumerate()
                .map(|(k, w)| match k {
                    // BuildKit reads `AS` in any case.
                    1 if w.value.eq_ignore_ascii_case("as") => "AS".to_string(),
                    _ => w.value.clone(),
                })
                .collect(),
            None,
        ),
        _ => (i.args.iter().map(|w| w.value.clone()).collect(), None),
    };
    Ins {
        kind: i.kind,
        flags: i
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect(),
        words,
        shell,
        heredocs: i
            .heredocs
            .iter()
            .map(|h| (h.name.clone(), h.body.slice(text).to_string()))
            .collect(),
        onbuild: i.onbuild.as_ref().map(|s| Box::new(ins(m, text, s))),
    }
}

fn project(text: &str) -> Projection {
    let m = Model::build(text);
    Projection {
        escape: m.escape,
        directives: m
            .directives
            .iter()
            .map(|d| (d.name.clone(), d.value.clone()))
            .collect(),
        instructions: m.instructions.iter().map(|i| ins(&m, text, i)).collect(),
        stages: m
            .stages
            .iter()
            .map(|s| (s.name.clone(), s.base_text.clone()))
            .collect(),
        problems: m.problems.iter().map(|p| p.code).collect(),
    }
}

fn serious_codes(text: &str) -> HashMap<&'static str, usize> {
    let a = Analysis::from_text(text, Arc::new(Settings::default()));
    let mut out = HashMap::new();
    for d in a.diagnostics() {
        if d.severity <= Severity::Warning {
            *out.entry(d.code).or_default() += 1;
        }
    }
    out
}

#[test]
fn formatting_the_corpus_is_idempotent_and_keeps_its_meaning() {
    let Some(files) = corpus_files() else {
        return;
    };
    let mut changed = 0;
    let mut failures = Vec::new();
    let mut slowest = (std::time::Duration::ZERO, String::new(), 0);
    for p in &files {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let t = std::time::Instant::now();
        let once = formatted(&text);
        let spent = t.elapsed();
        if spent > slowest.0 {
            slowest = (spent, name.clone(), text.lines().count());
        }
        if once == text {
            continue;
        }
        changed += 1;
        let twice = formatted(&once);
        if twice != once {
            failures.push(format!("{name}: not idempotent"));
            continue;
        }
        if project(&text) != project(&once) {
            let (a, b) = (project(&text), project(&once));
            let at = a
                .instructions
                .iter()
                .zip(&b.instructions)
                .position(|(x, y)| x != y);
            let detail = match at {
                Some(i) => format!("{:?}\n  vs {:?}", a.instructions[i], b.instructions[i]),
                None => "directives, stages or problems differ".to_string(),
            };
            failures.push(format!("{name}: meaning changed: {detail}"));
            continue;
        }
        let (before, after) = (serious_codes(&text), serious_codes(&once));
        for (code, n) in &after {
            if before.get(code).copied().unwrap_or(0) < *n {
                failures.push(format!("{name}: new {code} after formatting"));
            }
        }
    }
    eprintln!(
        "formatting changed {changed} of {} corpus files; slowest: {} ({} lines) in {:?}",
        files.len(),
        slowest.1,
        slowest.2,
        slowest.0
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        changed > 0,
        "the corpus has unformatted files: is the formatter running?"
    );
}
