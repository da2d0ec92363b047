//! `--from=$VAR`, which BuildKit does not expand.

use crate::model::{RefKind, Resolution};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "CopyFromVariable",
    aliases: &[],
    summary: "`COPY --from` with a variable",
    docs: "## What\n`COPY --from=$NAME` or `--from=${NAME}`.\n\n## Why\nBuildKit does not expand \
variables in `--from` and fails: \"variable expansion is not supported for --from\".\n\n\
## Example\n```dockerfile\nARG BASE=builder\nFROM alpine\nCOPY --from=$BASE /a /a\n```\n\n\
## Fix\nDefine a stage from the variable and copy from that stage:\n```dockerfile\n\
ARG BASE=builder\nFROM ${BASE} AS base\nFROM alpine\nCOPY --from=base /a /a\n```",
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
    for r in &ctx.model.refs {
        if r.resolution == Resolution::Variable && r.kind == RefKind::CopyFrom {
            acc.push(
                &META,
                r.range,
                "BuildKit does not expand variables in --from (buildah and podman do): define a stage `FROM ${VAR} AS name` and copy from it",
            );
        }
    }
}
