//! DL3004: `sudo` in a RUN.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3004",
    aliases: &[],
    summary: "sudo in RUN",
    docs: "## What\n`sudo` in a `RUN`.\n\n\
## Why\nBuild steps run as the current `USER`; `sudo` adds a setuid binary and a sudoers \
policy to the image, may prompt for a password or refuse to run without a terminal, and \
makes the privileges of each step hard to follow.\n\n\
## Example\n```dockerfile\nFROM ubuntu:24.04\nUSER app\nRUN sudo apt-get update\n```\n\n\
## Fix\nSwitch users explicitly: `USER root` before the privileged steps and `USER app` \
after them. To drop privileges at run time, use `gosu` or `su-exec` in the entrypoint.",
    severity: Severity::Error,
    category: Category::Shell,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (_, cmd) in ctx.commands_named(&["sudo"]) {
        if cmd.program() == "sudo" {
            acc.push(
                &META,
                cmd.name.range,
                "do not use `sudo` in a build: switch with `USER root` (and back) instead",
            );
        }
    }
}
