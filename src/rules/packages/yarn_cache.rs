//! DL3060: `yarn install` without `yarn cache clean`, in a kept stage.

use crate::rules::packages::util::{cache_mount_covers, operands, stage_is_kept, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Keyword;

pub static META: RuleMeta = RuleMeta {
    code: "DL3060",
    aliases: &[],
    summary: "yarn install without yarn cache clean",
    docs: "## What\nA `RUN` that runs `yarn install` with no `yarn cache clean` after it, in a \
stage whose filesystem is kept (the stage that is built, a stage it is built `FROM`, or a \
stage another stage is built `FROM`).\n\n\
## Why\nyarn (v1) keeps every downloaded package in its global cache; in the image that copy \
is dead weight. A build stage that is only copied from does not ship its cache, so it is \
not reported (as in hadolint).\n\n\
## Example\n```dockerfile\nFROM node:22-slim\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n```\n\n\
## Fix\n`RUN yarn install --frozen-lockfile && yarn cache clean`, or keep the cache out of the \
image with `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install ...`.",
    severity: Severity::Info,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

fn sub(cmd: &Command) -> Option<Vec<&str>> {
    (cmd.program() == "yarn").then(|| {
        operands(cmd, ValueOpts::NONE)
            .into_iter()
            .map(|a| a.value.as_str())
            .collect()
    })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in &ctx.model.instructions {
        let Some(stage) = ins.stage else { continue };
        let scripts = ctx.scripts(ins.index);
        if scripts.is_empty() {
            continue;
        }
        let mut pending: Option<&Command> = None;
        for c in scripts.iter().flat_map(|s| s.commands.iter()) {
            match sub(c).as_deref() {
                Some(["install", ..]) => pending = pending.or(Some(c)),
                Some(["cache", "clean", ..]) => pending = None,
                _ => {}
            }
        }
        let Some(cmd) = pending else { continue };
        // Looked at only for a RUN that installs: they parse flags and
        // walk the stages.
        if cache_mount_covers(ins, &["~/.cache/yarn"])
            || (ins.kind != Keyword::Onbuild && !stage_is_kept(ctx, stage))
        {
            continue;
        }
        let range = operands(cmd, ValueOpts::NONE)
            .first()
            .map_or(cmd.name.range, |s| cmd.name.range.cover(s.range));
        acc.push(
            &META,
            range,
            "yarn's package cache stays in this layer: end this RUN with `&& yarn cache clean`",
        );
    }
}
