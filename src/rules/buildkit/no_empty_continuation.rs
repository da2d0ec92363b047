//! Blank lines inside a continued instruction.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::{TextEdit, TextRange};

pub static META: RuleMeta = RuleMeta {
    code: "NoEmptyContinuation",
    aliases: &[],
    summary: "Empty line inside a continued instruction",
    docs: "## What\nA blank line between the lines of an instruction continued with `\\`.\n\n\
## Why\nBuildKit skips such lines today but has deprecated them: a future Dockerfile \
syntax will reject the file. A blank line also reads as the end of the instruction, which \
it is not.\n\n\
## Example\n```dockerfile\nRUN apt-get update && \\\n\n    apt-get install -y curl\n```\n\n\
## Fix\nRemove the blank line, or put a comment on it (comment lines are allowed).\n\n\
BuildKit reports one warning per instruction; berth marks each blank line.",
    severity: Severity::Warning,
    category: Category::Style,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let bytes = ctx.text.as_bytes();
    for ins in &ctx.model.instructions {
        for &line in &ins.empty_continuation_lines {
            // An empty line has no width: mark its line break instead.
            let at = line.end as usize;
            let brk = match bytes.get(at) {
                Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => 2,
                Some(b'\r') | Some(b'\n') => 1,
                _ => 0,
            };
            let whole = TextRange::from_usize(line.start as usize, at + brk);
            let range = if line.is_empty() { whole } else { line };
            acc.push(
                &META,
                range,
                format!(
                    "empty line inside the continued {} instruction: remove it (or make it a comment)",
                    ins.keyword.value.to_ascii_uppercase()
                ),
            )
            .fix("Remove the empty line", Safety::Safe, vec![TextEdit::delete(whole)]);
        }
    }
}
