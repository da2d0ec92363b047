//! DL3027: `apt` in a RUN.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "DL3027",
    aliases: &[],
    summary: "apt used instead of apt-get or apt-cache",
    docs: "## What\nThe `apt` command in a `RUN`.\n\n\
## Why\n`apt` is the interactive front end: its output and behaviour are meant for people \
and may change between releases (it warns \"apt does not have a stable CLI interface\"). \
Scripts should use `apt-get` and `apt-cache`, whose interface is stable.\n\n\
## Example\n```dockerfile\nFROM ubuntu:24.04\nRUN apt update && apt install -y curl\n```\n\n\
## Fix\nUse `apt-get` (`apt-get update && apt-get install -y curl`) or `apt-cache` for \
queries.",
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
    for (_, cmd) in ctx.commands_named(&["apt"]) {
        if cmd.program() == "apt" {
            let d = acc.push(
                &META,
                cmd.name.range,
                "`apt` has no stable command-line interface: use `apt-get` (or `apt-cache`)",
            );
            // Only a plain `apt` word can be rewritten in place (not `"apt"`
            // or `/usr/bin/apt`).
            if cmd.name.raw == "apt" {
                d.fix(
                    "Replace `apt` with `apt-get`",
                    Safety::Safe,
                    vec![TextEdit::replace(cmd.name.range, "apt-get")],
                );
            }
        }
    }
}
