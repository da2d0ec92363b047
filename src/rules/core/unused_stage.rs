//! Stages the target does not need.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, Tag};

pub static META: RuleMeta = RuleMeta {
    code: "UnusedStage",
    aliases: &[],
    summary: "A stage the target stage does not need (BuildKit skips it)",
    docs: "## What\nA stage that the target (the last stage, or the one given with `--target`) \
neither builds on nor copies or mounts from, directly or through other stages.\n\n\
## Why\nBuildKit does not build it at all, so its `RUN` steps never run. That is fine for a \
stage meant for `--target` (tests, dev images), and a mistake when the stage was meant to \
feed the final image.\n\n## Example\n```dockerfile\nFROM golang AS build\n\
RUN go build -o /app .\nFROM alpine\nCOPY app /app\n```\n\n## Fix\nCopy from it \
(`COPY --from=build /app /app`), remove it, or build it with `--target`. Shown as a faded \
hint in editors; off in `berth check` unless enabled.",
    severity: Severity::Hint,
    category: Category::Stages,
    default: Default::EditorOnly,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let Some(target) = m.target else { return };
    let describe = |i: usize| match &m.stages[i].name {
        Some(n) => format!("`{n}` (stage {i})"),
        None => format!("stage {i}"),
    };
    let target_name = describe(target);
    for s in &m.stages {
        if m.reachable.get(s.index).copied().unwrap_or(true) {
            continue;
        }
        let range = s.name_range.unwrap_or(s.base_range);
        acc.push(
            &META,
            range,
            format!(
                "{} is not needed by the target {target_name}: BuildKit will not build it",
                describe(s.index)
            ),
        )
        .tag(Tag::Unnecessary);
    }
}
