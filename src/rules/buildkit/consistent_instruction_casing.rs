//! Instruction keywords cased unlike the rest of the file.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "ConsistentInstructionCasing",
    aliases: &[],
    summary: "Instruction keywords should all be upper case or all lower case",
    docs: "## What\nAn instruction keyword written in mixed case (`Run`), or in the case that the \
minority of the file's keywords use.\n\n\
## Why\nKeywords are case-insensitive, but one style reads better. As BuildKit does, berth \
counts the keywords written all upper case and all lower case in the stages (FROM lines \
and the instructions after them); the larger group sets the style (a tie means upper \
case). Every keyword that does not follow it is reported. ARGs before the first FROM are \
neither counted nor checked, as in BuildKit.\n\n\
## Example\n```dockerfile\nFROM alpine\nrun echo hello\nRUN echo world\n```\n\n\
## Fix\nRewrite the keyword in the file's style: `RUN echo hello`.",
    severity: Severity::Warning,
    category: Category::Style,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let staged = || {
        ctx.model
            .instructions
            .iter()
            .filter(|i| i.stage.is_some() && i.kind != Keyword::Unknown)
    };
    let (mut lower, mut upper) = (0usize, 0usize);
    for ins in staged() {
        let kw = ins.keyword.value.as_bytes();
        if !kw.iter().any(u8::is_ascii_uppercase) {
            lower += 1;
        } else if !kw.iter().any(u8::is_ascii_lowercase) {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    for ins in staged() {
        let kw = ins.keyword.value.as_str();
        let fits = if majority_lower {
            !kw.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            !kw.bytes().any(|b| b.is_ascii_lowercase())
        };
        if fits {
            continue;
        }
        let (want, style) = if majority_lower {
            (kw.to_ascii_lowercase(), "lower")
        } else {
            (kw.to_ascii_uppercase(), "upper")
        };
        if kw != want {
            acc.push(
                &META,
                ins.keyword.range,
                format!(
                    "`{kw}` does not match the file's keyword style ({style} case): write `{want}`"
                ),
            )
            .fix(
                format!("Write `{want}`"),
                Safety::Safe,
                vec![TextEdit::replace(ins.keyword.range, want.clone())],
            );
        }
    }
}
