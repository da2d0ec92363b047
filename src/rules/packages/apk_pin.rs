//! DL3018: `apk add` of a package without a version.

use crate::rules::packages::util::{check_package, operands, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3018",
    aliases: &[],
    summary: "apk add without a pinned package version",
    docs: "## What\nA package named in `apk add` without a version constraint.\n\n\
## Why\nThe build installs whatever the Alpine repository holds that day, so two builds of \
one Dockerfile can differ.\n\n\
## Example\n```dockerfile\nFROM alpine:3.20\nRUN apk add --no-cache curl\n```\n\n\
## Fix\nPin it: `curl=8.9.1-r1`, or allow patch updates with `curl~8.9`. Constraints with \
`=`, `~`, `>`, `<` and local `.apk` files count as pinned. The name given to `--virtual` \
(`-t`) and the URL of `--repository` (`-X`) are not packages.",
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

pub(crate) const APK_OPTS: ValueOpts = ValueOpts {
    short: "tXp",
    long: &[
        "virtual",
        "repository",
        "root",
        "repositories-file",
        "keys-dir",
        "arch",
        "cache-dir",
    ],
};

fn pinned(p: &str) -> bool {
    p.contains(['=', '~', '>', '<']) || p.ends_with(".apk")
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands_named(&["apk"]) {
        let ops = operands(cmd, APK_OPTS);
        if ops.first().is_none_or(|s| s.value != "add") {
            continue;
        }
        for p in ops.iter().skip(1) {
            check_package(ctx, acc, &META, ins.index, p, &pinned, &|n| {
                format!("`{n}=<version>`")
            });
        }
    }
}
