//! A stage that copies or mounts from itself.

use crate::model::Resolution;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "StageSelfReference",
    aliases: &["DL3023"],
    summary: "`COPY --from` or `--mount from=` names the stage it is in",
    docs: "## What\n`COPY --from=X` or `RUN --mount=from=X` inside the stage X itself (by name or \
index).\n\n## Why\nA stage cannot read its own result while it is being built: BuildKit \
fails with a circular dependency.\n\n## Example\n```dockerfile\nFROM alpine AS app\n\
COPY --from=app /a /b\n```\n\n## Fix\nCopy from the stage that produces the files, or use \
a plain `RUN cp` inside the stage.",
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
    let m = ctx.model;
    for r in &m.refs {
        if let Resolution::SelfRef(s) = r.resolution {
            let stage = &m.stages[s];
            acc.push(
                &META,
                r.range,
                format!(
                    "stage `{}` refers to itself: BuildKit fails with a circular dependency",
                    stage.display_name()
                ),
            )
            .related(
                stage.name_range.unwrap_or(stage.base_range),
                "the stage is defined here",
            );
        }
    }
}
