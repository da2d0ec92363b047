//! DL3036: `zypper install` without `zypper clean` in the same RUN.

use crate::rules::packages::util::{
    cache_mount_covers, install_without_cleanup, is_sub, removes, span, subcommand, ZYPPER_OPTS,
};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3036",
    aliases: &[],
    summary: "zypper install without zypper clean",
    docs: "## What\nA `RUN` that runs `zypper install` (`in`) and no `zypper clean` (`cc`) after \
it.\n\n\
## Why\nzypper keeps repository metadata and downloaded packages in `/var/cache/zypp`; left \
in the layer they make the image larger for nothing.\n\n\
## Example\n```dockerfile\nFROM opensuse/leap:15.6\nRUN zypper install -y curl\n```\n\n\
## Fix\nEnd the same `RUN` with `&& zypper clean --all`, or use a cache mount: \
`RUN --mount=type=cache,target=/var/cache/zypp ...`.",
    severity: Severity::Warning,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    // Only an install can be reported.
    if !ctx.runs_any(&["zypper"]) {
        return;
    }
    for ins in &ctx.model.instructions {
        let scripts = ctx.scripts(ins.index);
        if scripts.is_empty() {
            continue;
        }
        let Some(cmd) = install_without_cleanup(
            scripts,
            |c| is_sub(c, &["zypper"], &["install", "in"], ZYPPER_OPTS),
            |c| {
                is_sub(c, &["zypper"], &["clean", "cc"], ZYPPER_OPTS)
                    || removes(c, &["/var/cache/zypp"])
            },
        ) else {
            continue;
        };
        // Looked at only for a RUN that installs: it parses the flags.
        if cache_mount_covers(ins, &["/var/cache/zypp"]) {
            continue;
        }
        let range = subcommand(cmd, ZYPPER_OPTS).map_or(cmd.name.range, |s| span(cmd, s));
        acc.push(
            &META,
            range,
            "zypper's cache stays in this layer: end this RUN with `&& zypper clean --all`",
        );
    }
}
