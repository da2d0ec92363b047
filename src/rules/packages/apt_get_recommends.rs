//! DL3015: `apt-get install` without `--no-install-recommends`.

use crate::rules::packages::apt_get_pin::APT_OPTS;
use crate::rules::packages::util::{has_opt, has_word, span, subcommand};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "DL3015",
    aliases: &[],
    summary: "apt-get install without --no-install-recommends",
    docs: "## What\n`apt-get install` without `--no-install-recommends` (or \
`-o APT::Install-Recommends=false`).\n\n\
## Why\nBy default apt also installs every package the named ones merely recommend: \
documentation, optional tools, sometimes hundreds of megabytes the image never uses.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN apt-get update && apt-get install -y python3\n```\n\n\
## Fix\n`apt-get install -y --no-install-recommends python3`, and add explicitly the \
recommended packages you do need.",
    severity: Severity::Info,
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
    for (_, cmd) in ctx.commands_named(&["apt-get"]) {
        let Some(sub) = subcommand(cmd, APT_OPTS).filter(|s| s.value == "install") else {
            continue;
        };
        if has_opt(cmd, "", &["no-install-recommends"])
            || has_word(cmd, "APT::Install-Recommends=false")
            || has_word(cmd, "APT::Install-Recommends=0")
        {
            continue;
        }
        acc.push(
            &META,
            span(cmd, sub),
            "`apt-get install` also installs recommended packages: add `--no-install-recommends`",
        )
        // Unsafe: the image gets fewer packages, and something may have
        // relied on a recommended one.
        .fix(
            "Add `--no-install-recommends` (installs fewer packages)",
            Safety::Unsafe,
            vec![TextEdit::insert(sub.range.end, " --no-install-recommends")],
        );
    }
}
