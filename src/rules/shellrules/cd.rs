//! DL3003: `cd` in a RUN instead of WORKDIR.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3003",
    aliases: &[],
    summary: "cd in RUN instead of WORKDIR",
    docs: "## What\n`cd` in a `RUN`.\n\n\
## Why\nA `cd` only lasts until the end of its `RUN`, so every later instruction starts again \
from the `WORKDIR`; chains of `cd dir && ... && cd ..` are easy to get wrong. `WORKDIR` \
states the directory once, for every following instruction, and creates it if needed.\n\n\
## Example\n```dockerfile\nFROM golang:1.23\nCOPY . /src\nRUN cd /src && go build -o /app .\n```\n\n\
## Fix\n```dockerfile\nWORKDIR /src\nRUN go build -o /app .\n```\nA `cd` inside a subshell \
or for one command (`(cd vendor && make)`) is reported as well, as in hadolint; ignore it \
with a pragma when it is what you mean. berth also checks `ONBUILD RUN`.",
    severity: Severity::Warning,
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
    for (_, cmd) in ctx.commands_named(&["cd"]) {
        if cmd.program() == "cd" {
            let msg = match cmd.args.first() {
                Some(dir) if dir.is_static && dir.value.starts_with('/') => format!(
                    "use `WORKDIR {}` instead of `cd` (the directory only lasts for this RUN)",
                    dir.value
                ),
                _ => "use WORKDIR to change directory (a `cd` only lasts for this RUN)".to_string(),
            };
            acc.push(&META, cmd.name.range, msg);
        }
    }
}
