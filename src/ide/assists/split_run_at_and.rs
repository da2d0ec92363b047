//! `split_run_at_and`: a single-line shell-form RUN chaining commands with
//! `&&` becomes one command per continuation line (`&& \` at line ends).
//! Only the whitespace around top-level `&&` changes, so the script is the
//! same; `&&` inside quotes, `$(...)`, `(...)` or `${...}` stays put.

use crate::model::Instruction;
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

use super::merge_run_layers::{eol, plain_run};
use super::{Assist, AssistCtx, AssistKind, SourceChange};

/// Offsets of the top-level `&&` in `body`; `None` when it has a shell
/// comment or an unclosed quote.
fn top_level_ands(body: &str) -> Option<Vec<usize>> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => i += 1,
            b'\'' | b'"' | b'`' => {
                i += 1;
                while i < b.len() && b[i] != c {
                    if c != b'\'' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= b.len() {
                    return None;
                }
            }
            b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => return None,
            b'(' => depth += 1,
            b'{' if i > 0 && b[i - 1] == b'$' => depth += 1,
            b')' | b'}' if depth > 0 => depth -= 1,
            b'&' if b.get(i + 1) == Some(&b'&') => {
                if depth == 0 {
                    out.push(i);
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    Some(out)
}

fn single_line_run<'a>(ctx: &'a AssistCtx) -> Option<&'a Instruction> {
    let r = ctx.range;
    let ins =
        ctx.model.instructions.iter().find(|i| {
            i.kind == Keyword::Run && i.range.touches(r.start) && i.range.touches(r.end)
        })?;
    let src = ins.range.slice(ctx.text);
    (plain_run(ctx, ins) && !src.contains('\n')).then_some(ins)
}

pub(super) fn split_run_at_and(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let Some(ins) = single_line_run(ctx) else {
        return;
    };
    let text = ctx.text;
    let body_range = ins.args_range;
    let body = body_range.slice(text);
    let Some(ands) = top_level_ands(body) else {
        return;
    };
    match ands.last() {
        Some(&p) if !body[p + 2..].trim().is_empty() => {}
        _ => return,
    }
    let line_start = text[..ins.range.start as usize]
        .rfind('\n')
        .map_or(0, |p| p + 1);
    let lead = &text[line_start..ins.range.start as usize];
    let lead = if lead.trim().is_empty() { lead } else { "" };
    let new = format!(" && {}{}{lead}    ", ctx.model.escape as char, eol(text));
    let base = body_range.start as usize;
    let edits = ands
        .iter()
        .map(|&p| {
            let s = body[..p].trim_end().len();
            let e = p + 2 + (body[p + 2..].len() - body[p + 2..].trim_start().len());
            TextEdit::replace(TextRange::from_usize(base + s, base + e), new.clone())
        })
        .collect();
    out.push(Assist {
        id: "split_run_at_and",
        label: "Split RUN at &&".into(),
        kind: AssistKind::RefactorRewrite,
        target: ins.range,
        change: SourceChange {
            edits,
            is_snippet: false,
        },
    });
}
