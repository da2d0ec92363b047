//! Fixture helpers: a Dockerfile with a `$0` cursor and marker lines.
//!
//! A marker line is a line of only spaces and `^` carets followed by a
//! label; it marks the columns of the line above it (the nearest line that
//! is not a marker). Marker lines are removed before analysis.
//!
//! ```text
//! FROM golang AS build
//!                ^^^^^ def
//! ```
#![allow(dead_code)]

use std::sync::Arc;

use berth::ide::{Analysis, Settings};
use berth::text::TextRange;

pub struct Fixture {
    pub text: String,
    pub cursor: Option<u32>,
    pub marks: Vec<(TextRange, String)>,
}

fn is_marker(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('^')
        && line
            .chars()
            .take_while(|&c| c == ' ' || c == '^')
            .any(|c| c == '^')
}

pub fn parse(fixture: &str) -> Fixture {
    let fixture = fixture.strip_prefix('\n').unwrap_or(fixture);
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut last_line_start = 0usize;
    for line in fixture.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if is_marker(content) {
            let start = content.find('^').unwrap();
            let len = content[start..].chars().take_while(|&c| c == '^').count();
            let label = content[start + len..].trim().to_string();
            marks.push((
                TextRange::from_usize(last_line_start + start, last_line_start + start + len),
                label,
            ));
            continue;
        }
        last_line_start = text.len();
        text.push_str(line);
    }
    let cursor = text.find("$0").map(|c| {
        text.replace_range(c..c + 2, "");
        // Marks after the cursor on the same text shift left by two.
        for (r, _) in &mut marks {
            if r.start as usize > c {
                r.start -= 2;
                r.end -= 2;
            }
        }
        c as u32
    });
    Fixture {
        text,
        cursor,
        marks,
    }
}

pub fn analysis(text: &str) -> Analysis {
    Analysis::from_text(text, Arc::new(Settings::default()))
}

pub fn analysis_with(text: &str, settings: Settings) -> Analysis {
    Analysis::from_text(text, Arc::new(settings))
}

/// Render ranges into the text for readable failure messages.
pub fn show(text: &str, r: TextRange) -> String {
    format!("{:?} `{}`", r, r.slice(text))
}

/// The diagnostics of rule `code` must be exactly the ranges marked with
/// `code` (other marks are ignored). The rule is enabled even when it is
/// off by default.
pub fn check_rule(code: &str, fixture: &str) {
    check_rule_with(Settings::default(), code, fixture)
}

pub fn check_rule_with(mut settings: Settings, code: &str, fixture: &str) {
    settings.rules.enable.push(code.to_string());
    let f = parse(fixture);
    let a = analysis_with(&f.text, settings);
    let mut got: Vec<String> = a
        .diagnostics()
        .iter()
        .filter(|d| d.code == code)
        .map(|d| show(&f.text, d.range))
        .collect();
    let mut want: Vec<String> = f
        .marks
        .iter()
        .filter(|(_, l)| l == code)
        .map(|(r, _)| show(&f.text, *r))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{code} in:\n{}", f.text);
}

/// The messages of rule `code` on `text`, one per line, for snapshots.
pub fn rule_messages(code: &str, text: &str) -> String {
    let mut settings = Settings::default();
    settings.rules.enable.push(code.to_string());
    analysis_with(text, settings)
        .diagnostics()
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            format!(
                "{} `{}`: {}",
                d.severity.as_str(),
                d.range.slice(text),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Apply assist `id` at the fixture's `$0` cursor (or on the range marked
/// `sel`) and compare with `after`. Also checks what every assist must
/// keep: the result has no syntax error, and no diagnostic of severity
/// warning or above appears that the input did not have (by code).
pub fn check_assist(id: &str, before: &str, after: &str) {
    let f = parse(before);
    let range = selection(&f);
    let a = analysis(&f.text);
    let assists = a.assists(range);
    let Some(assist) = assists.iter().find(|x| x.id == id) else {
        let ids: Vec<_> = assists.iter().map(|x| x.id).collect();
        panic!(
            "assist {id} not offered at {range:?} (offered: {ids:?}) in:\n{}",
            f.text
        );
    };
    let result = assist
        .change
        .apply(&f.text)
        .expect("the assist's edits apply");
    let after = after.strip_prefix('\n').unwrap_or(after);
    assert_eq!(result, after, "assist {id} on:\n{}", f.text);
    assert_keeps_quality(&f.text, &result);
}

/// Assist `id` is not offered at the fixture's cursor or selection.
pub fn check_no_assist(id: &str, before: &str) {
    let f = parse(before);
    let a = analysis(&f.text);
    let offered = a.assists(selection(&f));
    assert!(
        offered.iter().all(|x| x.id != id),
        "assist {id} offered in:\n{}",
        f.text
    );
}

fn selection(f: &Fixture) -> berth::text::TextRange {
    match f.marks.iter().find(|(_, l)| l == "sel") {
        Some((r, _)) => *r,
        None => berth::text::TextRange::empty(f.cursor.expect("fixture has $0 or a `sel` mark")),
    }
}

/// `after` parses without syntax errors and has no warning-or-worse
/// diagnostic code that `before` did not have as often.
pub fn assert_keeps_quality(before: &str, after: &str) {
    use berth::rules::{Category, Severity};
    // An assist's result may hold snippet placeholders for the editor
    // (`${1:/srv/dist}`); the file the user keeps has their text.
    let after = &without_snippet_placeholders(after);
    let serious = |text: &str| {
        let mut codes: Vec<&'static str> = analysis(text)
            .diagnostics()
            .iter()
            .filter(|d| d.severity <= Severity::Warning)
            .map(|d| d.code)
            .collect();
        codes.sort();
        codes
    };
    let syntax: Vec<String> = analysis(after)
        .diagnostics()
        .iter()
        .filter(|d| berth::rules::find(d.code).is_some_and(|r| r.meta.category == Category::Syntax))
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(
        syntax.is_empty(),
        "result has syntax errors {syntax:?}:\n{after}"
    );
    let mut old = serious(before);
    for code in serious(after) {
        match old.iter().position(|c| *c == code) {
            Some(i) => {
                old.remove(i);
            }
            None => panic!("result adds a {code} diagnostic:\n{after}"),
        }
    }
}

/// `text` with LSP snippet placeholders replaced by their default text:
/// `${1:x}` by `x`, `${1}` and `$1` by nothing (Dockerfile variables do
/// not start with a digit).
pub fn without_snippet_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let braced = after.strip_prefix('{');
        let body = braced.unwrap_or(after);
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            out.push('$');
            rest = after;
            continue;
        }
        let tail = &body[digits..];
        match braced {
            None => rest = tail,
            Some(_) => match tail.strip_prefix(':').and_then(|t| t.split_once('}')) {
                Some((default, more)) => {
                    out.push_str(default);
                    rest = more;
                }
                None => rest = tail.strip_prefix('}').unwrap_or(tail),
            },
        }
    }
    out.push_str(rest);
    out
}

/// A small deterministic generator (xorshift), so random tests replay
/// from their seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `i` clamped to `text` and moved down to a character boundary.
pub fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The `*.Dockerfile` files of `dir`, sorted (none if it is missing).
pub fn dockerfiles(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "Dockerfile"));
    v.sort();
    v
}

/// Where two long dumps first differ: the line number and twenty lines
/// of each around it.
pub fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    let around = |t: &str| {
        t.lines()
            .skip(line.saturating_sub(10))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {line}\n--- left ---\n{}\n--- right ---\n{}",
        around(a),
        around(b)
    )
}

/// The Dockerfiles of ../shared/corpus. Empty, after saying the test is
/// skipped, in a clone without ../shared; under CI its absence fails.
pub fn corpus_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let files = dockerfiles(&dir);
    if files.is_empty() {
        if std::env::var_os("CI").is_some() {
            panic!("../shared/corpus is missing under CI");
        }
        eprintln!("SKIPPED: ../shared/corpus not found beside the repository");
    }
    files
}
