//! DL3008: `apt-get install` of a package without a version.

use crate::rules::packages::util::{check_package, has_word, operands, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3008",
    aliases: &[],
    summary: "apt-get install without a pinned package version",
    docs: "## What\nA package named in `apt-get install` without a version (`curl` rather than \
`curl=7.88.1-10+deb12u5`).\n\n\
## Why\nThe build installs whatever version the archive has that day: two builds of the same \
Dockerfile can differ, and a new upstream release can break the image without any change to \
the Dockerfile.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN apt-get update && apt-get install -y curl\n```\n\n\
## Fix\nPin each package: `apt-get install -y curl=7.88.1-10+deb12u5`. Names with `=`, a path \
(`./pkg.deb`, `foo/bookworm-backports`) or a `.deb` file count as pinned, as in hadolint; \
berth underlines each unpinned package rather than the whole RUN. The value of `-t` / \
`--target-release`, `-o` and `-c` is not a package.",
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

pub(crate) const APT_OPTS: ValueOpts = ValueOpts {
    short: "toc",
    long: &["target-release", "default-release", "option", "config-file"],
};

fn pinned(p: &str) -> bool {
    p.contains('=') || p.contains('/') || p.ends_with(".deb")
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands_named(&["apt-get"]) {
        if cmd.program() != "apt-get" || !has_word(cmd, "install") {
            continue;
        }
        let ops = operands(cmd, APT_OPTS);
        let Some(at) = ops.iter().position(|a| a.value == "install") else {
            continue;
        };
        for p in ops[at + 1..].iter().filter(|p| p.value != "install") {
            check_package(ctx, acc, &META, ins.index, p, &pinned, &|n| {
                format!("`{n}=<version>`")
            });
        }
    }
}
