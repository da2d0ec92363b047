//! DL3014: `apt-get install` without `-y`.

use crate::rules::packages::apt_get_pin::APT_OPTS;
use crate::rules::packages::util::{count_opt, has_opt, has_word, span, subcommand};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "DL3014",
    aliases: &[],
    summary: "apt-get install without -y",
    docs: "## What\n`apt-get install` without `-y` (`--yes`, `--assume-yes`, or quiet level 2: \
`-qq`, `-q -q`, `-q=2`, which implies yes).\n\n\
## Why\nA build has no terminal to answer apt's \"Do you want to continue?\" prompt: without \
`-y` apt-get aborts as soon as it would install more than the packages named.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN apt-get update && apt-get install curl\n```\n\n\
## Fix\nAdd `-y`: `apt-get install -y curl`.",
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
    for (_, cmd) in ctx.commands_named(&["apt-get"]) {
        let Some(sub) = subcommand(cmd, APT_OPTS).filter(|s| s.value == "install") else {
            continue;
        };
        let yes = has_opt(cmd, "y", &["yes", "assume-yes", "qq"])
            || count_opt(cmd, "q", &[]) >= 2
            || count_opt(cmd, "", &["quiet"]) >= 2
            || has_word(cmd, "-q=2")
            || has_word(cmd, "--quiet=2");
        if !yes {
            acc.push(
                &META,
                span(cmd, sub),
                "`apt-get install` will stop at its confirmation prompt: add `-y`",
            )
            .fix(
                "Add `-y`",
                Safety::Safe,
                vec![TextEdit::insert(sub.range.end, " -y")],
            );
        }
    }
}
