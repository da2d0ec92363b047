//! DL3034: `zypper install` without a non-interactive switch.

use crate::rules::packages::util::{has_opt, span, subcommand, ZYPPER_OPTS};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3034",
    aliases: &[],
    summary: "zypper without a non-interactive switch",
    docs: "## What\n`zypper install` (`in`), `remove` (`rm`), `source-install` (`si`) or \
`patch` without `-n`/`--non-interactive` before the command or `-y`/`--no-confirm` after \
it.\n\n\
## Why\nzypper asks for confirmation; a build has no terminal to answer, so the command \
fails.\n\n\
## Example\n```dockerfile\nFROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean\n```\n\n\
## Fix\n`zypper --non-interactive install curl` or `zypper install -y curl`.",
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
    for (_, cmd) in ctx.commands_named(&["zypper"]) {
        let Some(sub) = subcommand(cmd, ZYPPER_OPTS).filter(|s| {
            matches!(
                s.value.as_str(),
                "install" | "in" | "remove" | "rm" | "source-install" | "si" | "patch"
            )
        }) else {
            continue;
        };
        if !has_opt(cmd, "ny", &["non-interactive", "no-confirm"]) {
            acc.push(
                &META,
                span(cmd, sub),
                format!(
                    "`zypper {}` will stop at its confirmation prompt: add `-y` (or `zypper -n`)",
                    sub.value
                ),
            );
        }
    }
}
