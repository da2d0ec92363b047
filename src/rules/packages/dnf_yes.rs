//! DL3038: `dnf install` without `-y`.

use crate::rules::packages::util::{has_opt, span, subcommand, RPM_OPTS};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3038",
    aliases: &[],
    summary: "dnf install without -y",
    docs: "## What\n`dnf install` or `microdnf install` (also `groupinstall`, `localinstall`) \
without `-y` / `--assumeyes`.\n\n\
## Why\ndnf asks for confirmation before installing; a build has no terminal to answer, so \
the command fails.\n\n\
## Example\n```dockerfile\nFROM fedora:40\nRUN dnf install httpd && dnf clean all\n```\n\n\
## Fix\n`dnf install -y httpd`. microdnf is checked like dnf, as hadolint does (recent \
microdnf versions accept `-y` and ignore it).",
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
    for (_, cmd) in ctx.commands_named(&["dnf", "microdnf"]) {
        if !matches!(cmd.program(), "dnf" | "microdnf") {
            continue;
        }
        let Some(sub) = subcommand(cmd, RPM_OPTS).filter(|s| {
            matches!(
                s.value.as_str(),
                "install" | "groupinstall" | "localinstall"
            )
        }) else {
            continue;
        };
        if !has_opt(cmd, "y", &["assumeyes"]) {
            acc.push(
                &META,
                span(cmd, sub),
                format!(
                    "`{} {}` will stop at its confirmation prompt: add `-y`",
                    cmd.program(),
                    sub.value
                ),
            );
        }
    }
}
