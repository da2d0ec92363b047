//! DL3030: `yum install` without `-y`.

use crate::rules::packages::util::{has_opt, span, subcommand, RPM_OPTS};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3030",
    aliases: &[],
    summary: "yum install without -y",
    docs: "## What\n`yum install` (or `groupinstall`, `localinstall`) without `-y` / \
`--assumeyes`.\n\n\
## Why\nyum asks for confirmation before installing; a build has no terminal to answer, so \
the command fails.\n\n\
## Example\n```dockerfile\nFROM centos:7\nRUN yum install httpd && yum clean all\n```\n\n\
## Fix\n`yum install -y httpd`.",
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
    for (_, cmd) in ctx.commands_named(&["yum"]) {
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
                    "`yum {}` will stop at its confirmation prompt: add `-y`",
                    sub.value
                ),
            );
        }
    }
}
