//! Stage names BuildKit reserves.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

pub static META: RuleMeta = RuleMeta {
    code: "ReservedStageName",
    aliases: &["DL3063"],
    summary: "A stage named `scratch` or `context`",
    docs: "## What\nA stage named `scratch` or `context`.\n\n\
## Why\n`scratch` is the empty image and `context` names the build context in \
`--from` and `--mount`: a stage with either name cannot be referred to reliably.\n\n\
## Example\n```dockerfile\nFROM alpine AS scratch\n```\n\n## Fix\nRename the stage.",
    severity: Severity::Warning,
    category: Category::Stages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for s in &ctx.model.stages {
        if let (Some(name), Some(range)) = (&s.name, s.name_range) {
            if name == "scratch" || name == "context" {
                acc.push(
                    &META,
                    range,
                    format!("`{name}` is a reserved name and cannot be used as a stage name"),
                );
            }
        }
    }
}
