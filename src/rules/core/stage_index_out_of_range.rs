//! `--from=N` with no stage N.

use crate::model::Resolution;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "StageIndexOutOfRange",
    aliases: &[],
    summary: "`COPY --from=N` with no stage N",
    docs: "## What\n`COPY --from=N` where N is not the index of a stage (stages count from 0).\n\n\
## Why\nBuildKit fails with \"invalid stage index\".\n\n## Example\n```dockerfile\n\
FROM golang AS build\nFROM alpine\nCOPY --from=2 /app /app\n```\n\n## Fix\nUse the stage's \
name: `--from=build` survives reordering.",
    severity: Severity::Error,
    category: Category::Stages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let n = ctx.model.stages.len();
    for r in &ctx.model.refs {
        if let Resolution::IndexOutOfRange(_) = r.resolution {
            acc.push(
                &META,
                r.range,
                format!(
                    "there is no stage {}: this Dockerfile has {n} stage{} (0 to {})",
                    r.text,
                    if n == 1 { "" } else { "s" },
                    n.saturating_sub(1)
                ),
            );
        }
    }
}
