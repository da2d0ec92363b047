//! DL3035: `zypper dist-upgrade`.

use crate::rules::packages::util::{span, subcommand, ZYPPER_OPTS};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3035",
    aliases: &[],
    summary: "zypper dist-upgrade in a RUN",
    docs: "## What\n`zypper dist-upgrade` (`zypper dup`) in a `RUN`.\n\n\
## Why\nA distribution upgrade inside an image build moves the whole system to whatever the \
repositories hold that day: large layers and builds that cannot be reproduced. The base \
image is the place to choose the distribution version.\n\n\
## Example\n```dockerfile\nFROM opensuse/tumbleweed\nRUN zypper -n dist-upgrade\n```\n\n\
## Fix\nUse a newer base image tag, or install the specific packages you need with \
`zypper install`.",
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
        if let Some(sub) = subcommand(cmd, ZYPPER_OPTS)
            .filter(|s| matches!(s.value.as_str(), "dist-upgrade" | "dup"))
        {
            acc.push(
                &META,
                span(cmd, sub),
                "do not upgrade the distribution in a build: pick a newer base image instead",
            );
        }
    }
}
