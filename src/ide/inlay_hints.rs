//! Inlay hints: what BuildKit will read where the text does not say it.
//!
//! - after a `$VAR` / `${VAR}` in a FROM line, the value it expands to with
//!   the global ARG defaults (`FROM golang:${GO}` shows `= 1.23`);
//! - after a stage index (`COPY --from=0`), the stage's name (`: builder`);
//! - after `FROM ... AS name`, the stage index (`#0`), when asked for.

use std::collections::HashMap;

use crate::model::{expand, Model, UseContext, VarDecl};
use crate::text::{TextRange, TextSize};

use super::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlayKind {
    /// A value (`= 1.23`).
    Type,
    /// A name or index (`: builder`, `#0`).
    Parameter,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (before the character at this offset).
    pub offset: TextSize,
    pub label: String,
    pub kind: InlayKind,
    pub padding_left: bool,
    pub padding_right: bool,
    pub tooltip: Option<String>,
}

/// Which hints a client wants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlayHintConfig {
    /// `#N` after each `FROM ... AS name`.
    pub stage_index: bool,
}

/// Longest value shown; longer ones are cut with `…`.
const MAX_LABEL: usize = 40;

fn shorten(v: &str) -> String {
    if v.chars().count() <= MAX_LABEL {
        return v.to_string();
    }
    let mut s: String = v.chars().take(MAX_LABEL - 1).collect();
    s.push('…');
    s
}

/// The global ARG declarations by name, each name's in source order: a
/// FROM line's value is looked up there, not by a walk over every
/// declaration of the file (one per FROM line, quadratic in a generated
/// file).
type Globals<'m> = HashMap<&'m str, Vec<&'m VarDecl>>;

fn globals(m: &Model) -> Globals<'_> {
    let mut map: Globals = HashMap::new();
    for d in m.decls.iter().filter(|d| d.stage.is_none()) {
        map.entry(d.name.as_str()).or_default().push(d);
    }
    map
}

/// The value of `text` (one variable reference) in a FROM line of
/// instruction `at`: global ARG defaults declared before it.
fn expand_in_from(m: &Model, globals: &Globals, text: &str, at: usize) -> Option<String> {
    let lookup = |name: &str| {
        let decls = globals.get(name)?;
        let before = decls.partition_point(|d| d.instruction < at);
        before.checked_sub(1).map(|i| decls[i].value.clone())
    };
    expand(text, m.escape, &lookup, 0)
}

/// Whether the character at `offset` continues a word (so the hint wants
/// a space after it).
fn word_follows(text: &str, offset: TextSize) -> bool {
    text.get(offset as usize..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| !c.is_whitespace())
}

/// Hints whose position lies in `range` (both ends included).
pub fn inlay_hints(a: &Analysis, range: TextRange, config: InlayHintConfig) -> Vec<InlayHint> {
    let m = a.model();
    let text = a.text();
    let mut out = Vec::new();
    let wanted = |o: TextSize| range.touches(o);

    // Variable values in FROM lines, top-level references only (a default
    // value's own references are part of the outer one).
    let mut from_uses: Vec<_> = m
        .uses
        .iter()
        .filter(|u| u.context == UseContext::From)
        .collect();
    from_uses.sort_by_key(|u| (u.range.start, std::cmp::Reverse(u.range.end)));
    let globals = globals(m);
    let mut covered_to: TextSize = 0;
    for u in from_uses {
        if u.range.start < covered_to {
            continue;
        }
        covered_to = u.range.end;
        if !wanted(u.range.end) {
            continue;
        }
        let Some(value) = expand_in_from(m, &globals, u.range.slice(text), u.instruction) else {
            continue;
        };
        let label = if value.is_empty() {
            "= \"\"".to_string()
        } else {
            format!("= {}", shorten(&value))
        };
        out.push(InlayHint {
            offset: u.range.end,
            label,
            kind: InlayKind::Type,
            padding_left: true,
            padding_right: word_follows(text, u.range.end),
            tooltip: Some(format!(
                "`{}` expands to `{value}` (global ARG default)",
                u.range.slice(text)
            )),
        });
    }

    for r in &m.refs {
        if !r.by_index || !wanted(r.range.end) {
            continue;
        }
        let Some(s) = r.target_stage().and_then(|s| m.stages.get(s)) else {
            continue;
        };
        let Some(name) = &s.name else { continue };
        out.push(InlayHint {
            offset: r.range.end,
            label: format!(": {name}"),
            kind: InlayKind::Parameter,
            padding_left: false,
            padding_right: word_follows(text, r.range.end),
            tooltip: None,
        });
    }

    if config.stage_index {
        for s in &m.stages {
            let Some(r) = s.name_range else { continue };
            if !wanted(r.end) {
                continue;
            }
            out.push(InlayHint {
                offset: r.end,
                label: format!("#{}", s.index),
                kind: InlayKind::Parameter,
                padding_left: true,
                padding_right: word_follows(text, r.end),
                tooltip: Some(format!("stage index: `--from={}` names it too", s.index)),
            });
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}

impl Analysis {
    /// Inlay hints positioned inside `range`.
    pub fn inlay_hints(&self, range: TextRange, config: InlayHintConfig) -> Vec<InlayHint> {
        inlay_hints(self, range, config)
    }
}
