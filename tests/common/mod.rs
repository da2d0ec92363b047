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
