//! DL3061: an instruction other than ARG before the first FROM.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub static META: RuleMeta = RuleMeta {
    code: "DL3061",
    aliases: &[],
    summary: "An instruction other than ARG before the first FROM",
    docs: "## What\nAn instruction before the first `FROM` that is not `ARG`. Only parser \
directives, comments and `ARG` may come before `FROM`.\n\n\
## Why\nBefore `FROM` there is no stage for the instruction to apply to: BuildKit stops with \
\"no build stage in current context\". Often the `FROM` line was deleted or moved by \
mistake.\n\n\
## Example\n```dockerfile\nLABEL org.opencontainers.image.source=\"https://github.com/org/app\"\nFROM alpine:3.20\n```\n\n\
## Fix\nMove the instruction below `FROM` (or add the missing `FROM`).",
    severity: Severity::Error,
    category: Category::Syntax,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in ctx
        .model
        .instructions
        .iter()
        .take_while(|i| i.stage.is_none())
    {
        if matches!(ins.kind, Keyword::Arg | Keyword::From) {
            continue;
        }
        acc.push(
            &META,
            ins.keyword.range,
            format!(
                "`{}` before the first FROM: only ARG may come before FROM; move it into a stage",
                ins.keyword.value
            ),
        );
    }
}
