//! `convert_cmd_form`: CMD / ENTRYPOINT between shell form and exec form.
//!
//! Shell → exec: a single plain command (quotes are fine, their values are
//! used) becomes `["prog", "arg"]`; anything using the shell (`$`, `&&`,
//! pipes, redirections, globs, ...) becomes `["sh", "-c", "..."]` (or the
//! stage's `SHELL` with the script appended), so it keeps running the same.
//!
//! A CMD under an ENTRYPOINT, and an ENTRYPOINT with a CMD, are left
//! alone: CMD's form decides the entrypoint's arguments, and a shell-form
//! ENTRYPOINT ignores CMD.
//!
//! Exec → shell: the words joined, single-quoted where the shell would
//! change them. Only offered when the stage sets a POSIX `SHELL`: without
//! one the shell form raises JSONArgsRecommended (a warning), and an
//! assist must not add warnings.

use crate::model::{Base, Form, Instruction, Model};
use crate::shell::{self, Dialect};
use crate::syntax::{words::json_string, Keyword};
use crate::text::TextEdit;

use super::merge_run_layers::body;
use super::{Assist, AssistCtx, AssistKind, SourceChange};

/// The `SHELL` in effect for instruction `at`, following `FROM <stage>`.
pub(super) fn effective_shell(m: &Model, at: usize) -> Option<&Instruction> {
    let mut stage = m.instructions.get(at)?.stage?;
    let mut bound = at;
    loop {
        let s = &m.stages[stage];
        let range = s.instructions.start..bound.min(s.instructions.end).max(s.instructions.start);
        if let Some(sh) = m.instructions[range]
            .iter()
            .rev()
            .find(|i| i.kind == Keyword::Shell)
        {
            return Some(sh);
        }
        match s.base {
            Base::Stage(b) if b < stage => {
                stage = b;
                bound = usize::MAX;
            }
            _ => return None,
        }
    }
}

/// Whether the stage of `at` (or a stage it is built on) has a `kind`
/// instruction. Under an ENTRYPOINT, CMD's form decides the entrypoint's
/// arguments (`sh -c ...` or the words); a shell-form ENTRYPOINT ignores
/// CMD. Either way converting changes what runs.
fn has_kind(m: &Model, at: usize, kind: Keyword) -> bool {
    let Some(mut stage) = m.instructions.get(at).and_then(|i| i.stage) else {
        return false;
    };
    loop {
        let s = &m.stages[stage];
        if m.instructions[s.instructions.clone()]
            .iter()
            .any(|i| i.kind == kind)
        {
            return true;
        }
        match s.base {
            Base::Stage(b) if b < stage => stage = b,
            _ => return false,
        }
    }
}

fn json_array(words: &[String]) -> String {
    let inner: Vec<String> = words.iter().map(|w| json_string(w)).collect();
    format!("[{}]", inner.join(", "))
}

/// Characters that mean shell syntax outside quotes.
const SHELL_CHARS: &[u8] = b"$&|;<>()*?[]{}~`#!";

/// Whether `body` uses the shell: a special character outside single or
/// double quotes, or `$`/`` ` `` inside double quotes.
fn uses_shell(body: &str) -> bool {
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    match b[i] {
                        b'\\' => i += 1,
                        b'$' | b'`' => return true,
                        _ => {}
                    }
                    i += 1;
                }
            }
            c if SHELL_CHARS.contains(&c) => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// A word as the shell must see it to get `w` back.
fn shell_quote(w: &str) -> String {
    let plain = !w.is_empty()
        && w.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&c));
    if plain {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

fn to_exec(ctx: &AssistCtx, ins: &Instruction) -> Option<String> {
    let (joined, script) = body(ins)?;
    let trimmed = joined.trim();
    let single = script.commands.len() == 1 && {
        let c = &script.commands[0];
        c.env.is_empty()
            && !c.name.value.is_empty()
            && c.name.is_static
            && c.args.iter().all(|a| a.is_static)
            && (c.range.end - c.range.start) as usize == trimmed.len()
    };
    if single && !uses_shell(trimmed) {
        let c = &script.commands[0];
        let words: Vec<String> = std::iter::once(&c.name)
            .chain(&c.args)
            .map(|a| a.value.clone())
            .collect();
        return Some(json_array(&words));
    }
    let mut words: Vec<String> = match effective_shell(ctx.model, ins.index) {
        Some(sh) if sh.form == Form::Exec => sh.args.iter().map(|a| a.value.clone()).collect(),
        Some(_) => return None,
        None => vec!["sh".into(), "-c".into()],
    };
    words.push(trimmed.to_string());
    Some(json_array(&words))
}

fn to_shell(ctx: &AssistCtx, ins: &Instruction) -> Option<String> {
    if effective_shell(ctx.model, ins.index).is_none() || ins.args.is_empty() {
        return None;
    }
    let words: Vec<String> = ins.args.iter().map(|a| shell_quote(&a.value)).collect();
    Some(words.join(" "))
}

pub(super) fn convert_cmd_form(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let r = ctx.range;
    let Some(ins) = ctx.model.instructions.iter().find(|i| {
        matches!(i.kind, Keyword::Cmd | Keyword::Entrypoint)
            && i.range.touches(r.start)
            && i.range.touches(r.end)
    }) else {
        return;
    };
    if !ins.heredocs.is_empty()
        || ins.args_range.is_empty()
        || (ins.kind == Keyword::Cmd && has_kind(ctx.model, ins.index, Keyword::Entrypoint))
        || (ins.kind == Keyword::Entrypoint && has_kind(ctx.model, ins.index, Keyword::Cmd))
        || !matches!(shell::dialect(ctx.model, ins.index), Dialect::Posix { .. })
    {
        return;
    }
    let (new, label) = match ins.form {
        Form::Shell => (to_exec(ctx, ins), "Convert to exec form (JSON array)"),
        Form::Exec => (to_shell(ctx, ins), "Convert to shell form"),
    };
    let Some(new) = new else { return };
    out.push(Assist {
        id: "convert_cmd_form",
        label: label.into(),
        kind: AssistKind::RefactorRewrite,
        target: ins.range,
        change: SourceChange {
            edits: vec![TextEdit::replace(ins.args_range, new)],
            is_snippet: false,
        },
    });
}
