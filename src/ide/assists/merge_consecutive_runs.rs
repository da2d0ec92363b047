//! `merge_consecutive_runs`: two or more consecutive shell-form RUNs with
//! the same flags become one RUN, the bodies joined with `&&` (the fix
//! DL3059 asks for).
//!
//! Joining must not change what runs:
//! - a body with a top-level `;`, `||` or `&` is wrapped in `{ ...; }`,
//!   so that `a || b` stays one step (`x && a || b` would run `b` when `x`
//!   fails); a pipeline needs nothing, `|` binds tighter than `&&`;
//! - a body that changes the shell's state (`cd`, `export`, `set`, a bare
//!   assignment, `exit`, `exec`, ...) is wrapped in `( ... )` unless it is
//!   the last one: a separate RUN starts a fresh shell, so the next body
//!   must not see that state;
//! - `set -e` does not work inside a group that is not the last of an
//!   `&&` list (POSIX ignores it there), so a body that turns it on, or any
//!   grouped body under a `SHELL` with `-e`, is only taken as the last one;
//! - a body with a shell comment (`make # build`) is not merged: the
//!   comment would swallow what follows on the joined line.

use crate::model::Instruction;
use crate::text::{TextEdit, TextRange};

use super::convert_cmd_form::effective_shell;
use super::merge_run_layers::{body, merged_edit, plain_run, run_group};
use super::{Assist, AssistCtx, AssistKind, SourceChange};

/// What the top level of a (joined, one-line) body holds.
#[derive(Default, Debug)]
struct Shape {
    /// A `;`, `||` or `&` outside quotes and nesting (not a final `;`).
    ops: bool,
    /// The body ends with a top-level `;`.
    trailing_semicolon: bool,
    /// The body ends with a top-level `&` (`{ a &; }` would not parse).
    trailing_amp: bool,
}

/// Scan a body; `None` when it holds a shell comment or quotes that do
/// not close.
fn shape(body: &str) -> Option<Shape> {
    let b = body.as_bytes();
    let mut out = Shape::default();
    let mut depth = 0i32;
    let mut i = 0usize;
    let word_start =
        |i: usize| i == 0 || b[i - 1].is_ascii_whitespace() || b";&|(".contains(&b[i - 1]);
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => i += 1,
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                if i >= b.len() {
                    return None;
                }
            }
            b'"' | b'`' => {
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= b.len() {
                    return None;
                }
            }
            b'#' if word_start(i) => return None,
            b'(' => depth += 1,
            b'{' if i > 0 && b[i - 1] == b'$' => depth += 1,
            b')' | b'}' if depth > 0 => depth -= 1,
            b')' => out.ops = true, // `case` patterns: be safe
            b';' if depth == 0 => {
                if body[i + 1..].trim().is_empty() {
                    out.trailing_semicolon = true;
                } else {
                    out.ops = true;
                }
            }
            // A pipeline binds tighter than `&&`: `a | b && c` is fine.
            b'|' if depth == 0 && b.get(i + 1) == Some(&b'|') => {
                out.ops = true;
                i += 1;
            }
            b'&' if depth == 0 => {
                if b.get(i + 1) == Some(&b'&') {
                    i += 1;
                } else if b.get(i + 1) != Some(&b'>') && (i == 0 || !b"<>".contains(&b[i - 1])) {
                    out.ops = true;
                    out.trailing_amp = body[i + 1..].trim().is_empty();
                }
            }
            _ => {}
        }
        i += 1;
    }
    Some(out)
}

/// Builtins whose effect would leak into the next body.
const STATEFUL: &[&str] = &[
    "cd", "pushd", "popd", "export", "unset", "set", "shopt", "umask", "source", ".", "exit",
    "exec", "alias", "unalias", "readonly", "trap", "ulimit", "declare", "typeset", "local",
    "eval", "shift", "hash",
];

fn eligible(ctx: &AssistCtx, ins: &Instruction) -> bool {
    plain_run(ctx, ins)
        && ins
            .args
            .first()
            .is_some_and(|w| shape(&w.raw).is_some() && body(ins).is_some())
}

/// Whether these words turn errexit on (`-e`, `-eux`, `-o errexit`).
fn errexit<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let mut after_o = false;
    for w in words {
        if after_o && w == "errexit" {
            return true;
        }
        after_o = w == "-o";
        if let Some(f) = w.strip_prefix('-') {
            if !f.starts_with('-') && f.contains('e') && f.chars().all(|c| c.is_ascii_alphabetic())
            {
                return true;
            }
        }
    }
    false
}

/// The body as written (continuations kept), ready to join.
fn joinable(ctx: &AssistCtx, ins: &Instruction, last: bool) -> Option<String> {
    let (joined, script) = body(ins)?;
    let sh = shape(&joined)?;
    let mut src = ins.args_range.slice(ctx.text).trim_end().to_string();
    if sh.trailing_semicolon {
        // `a; \` + newline + `;`: drop the `;` and the continuation before it.
        let esc = ctx.model.escape as char;
        let mut t = src.strip_suffix(';')?.trim_end();
        while let Some(rest) = t.strip_suffix(esc) {
            t = rest.trim_end();
        }
        src = t.to_string();
    }
    let stateful = script
        .commands
        .iter()
        .any(|c| c.name.value.is_empty() || STATEFUL.contains(&c.program()));
    if !last {
        let sets_e = script
            .commands
            .iter()
            .any(|c| c.program() == "set" && errexit(c.args.iter().map(|a| a.value.as_str())));
        let shell_e = effective_shell(ctx.model, ins.index)
            .is_some_and(|sh| errexit(sh.args.iter().map(|a| a.value.as_str())));
        if sets_e || (shell_e && (sh.ops || stateful)) {
            return None;
        }
    }
    Some(if stateful && !last {
        format!("( {src} )")
    } else if sh.ops && sh.trailing_amp {
        format!("{{ {src} }}")
    } else if sh.ops {
        format!("{{ {src}; }}")
    } else {
        src
    })
}

pub(super) fn merge_consecutive_runs(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let Some(runs) = run_group(ctx, |i| eligible(ctx, i)) else {
        return;
    };
    let mut commands = Vec::new();
    for (n, r) in runs.iter().enumerate() {
        match joinable(ctx, r, n + 1 == runs.len()) {
            Some(c) => commands.push(c),
            None => return,
        }
    }
    let e = merged_edit(ctx, &runs, &commands, true);
    let target = TextRange::new(e.range.start, e.range.end);
    out.push(Assist {
        id: "merge_consecutive_runs",
        label: format!("Merge {} consecutive RUNs", runs.len()),
        kind: AssistKind::RefactorRewrite,
        target,
        change: SourceChange {
            edits: vec![TextEdit::replace(e.range, e.text)],
            is_snippet: false,
        },
    });
}
