//! DL3037: `zypper install` of a package without a version.

use crate::rules::packages::util::{check_package, operands, ZYPPER_OPTS};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3037",
    aliases: &[],
    summary: "zypper install without a pinned package version",
    docs: "## What\nA package named in `zypper install` (`in`) without a version constraint.\n\n\
## Why\nzypper installs the newest version in the repositories at build time: two builds of \
one Dockerfile can differ.\n\n\
## Example\n```dockerfile\nFROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean\n```\n\n\
## Fix\n`zypper install -y curl=8.6.0` (or a range with `>=`, `<`...). A `.rpm` file counts \
as pinned; the values of `--repo`, `--from` and `--type` are not packages.",
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

fn pinned(p: &str) -> bool {
    p.contains(['=', '>', '<']) || p.ends_with(".rpm")
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands_named(&["zypper"]) {
        let ops = operands(cmd, ZYPPER_OPTS);
        if ops
            .first()
            .is_none_or(|s| s.value != "install" && s.value != "in")
        {
            continue;
        }
        for p in ops.iter().skip(1) {
            check_package(ctx, acc, &META, ins.index, p, &pinned, &|n| {
                format!("`{n}=<version>`")
            });
        }
    }
}
