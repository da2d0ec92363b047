//! A reference to a stage defined later in the file.

use crate::model::Resolution;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "StageForwardReference",
    aliases: &["DL3022"],
    summary: "`--from` names a stage defined later in the file",
    docs: "## What\n`COPY --from=X` or `RUN --mount=from=X` where stage X comes after the \
current stage (or `--from=N` with a later index). When a name is used twice, `--from` \
means the last stage with that name.\n\n## Why\nBuildKit builds stages in file order and \
fails: \"cannot copy from stage, it needs to be defined before current stage\".\n\n\
## Example\n```dockerfile\nFROM alpine\nCOPY --from=build /app /app\n\
FROM golang AS build\n```\n\n## Fix\nMove the stage before the one that uses it.",
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
        if let Resolution::LaterStage(s) = r.resolution {
            let stage = &m.stages[s];
            acc.push(
                &META,
                r.range,
                format!(
                    "stage `{}` is defined after stage `{}`: BuildKit needs it defined before it is used",
                    stage.display_name(),
                    m.stages[r.stage].display_name()
                ),
            )
            .related(stage.name_range.unwrap_or(stage.base_range), "defined here");
        }
    }
}
