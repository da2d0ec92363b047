//! DL3001: commands that make no sense in an image build.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3001",
    aliases: &[],
    summary: "command that makes no sense in a container build",
    docs: "## What\nA `RUN` that runs an interactive or system-management command: `ssh`, \
`vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`.\n\n\
## Why\nA build step has no terminal, no init system and no long-running processes: an \
editor waits forever, `service x start` starts something that dies with the step, and \
`ps`, `top` or `free` describe the build container, not the one that will run.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN service nginx start\n```\n\n\
## Fix\nStart services from `CMD`/`ENTRYPOINT`, edit files with `COPY` or `sed`, and drop \
diagnostics that only describe the build. (hadolint's message also names `ifconfig`, but \
its check does not include it; neither does berth's.)",
    severity: Severity::Info,
    category: Category::Shell,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

const POINTLESS: &[&str] = &[
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (_, cmd) in ctx.commands_named(POINTLESS) {
        let prog = cmd.program();
        if POINTLESS.contains(&prog) {
            acc.push(
                &META,
                cmd.name.range,
                format!("`{prog}` makes no sense in an image build step"),
            );
        }
    }
}
