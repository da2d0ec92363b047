//! DL4005: `ln` over /bin/sh instead of SHELL.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL4005",
    aliases: &[],
    summary: "ln of /bin/sh instead of SHELL",
    docs:
        "## What\nAn `ln` command with `/bin/sh` as an argument (`ln -sf /bin/bash /bin/sh`).\n\n\
## Why\nReplacing `/bin/sh` changes the shell of every program in the image that calls \
`system()` or `sh -c`, not just of the build, and package scripts written for dash may \
behave differently. The `SHELL` instruction changes the shell of the following `RUN`, `CMD` \
and `ENTRYPOINT` instructions only.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n```\n\n\
## Fix\n`SHELL [\"/bin/bash\", \"-c\"]`.",
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
    for (_, cmd) in ctx.commands_named(&["ln"]) {
        if let Some(sh) = cmd.args.iter().find(|a| a.value == "/bin/sh") {
            acc.push(
                &META,
                sh.range,
                "do not replace /bin/sh: use the SHELL instruction to change the shell of RUN",
            );
        }
    }
}
