//! DL3047: `wget` without a progress option.

use crate::rules::packages::util::{has_opt, has_word};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "DL3047",
    aliases: &[],
    summary: "wget without a progress option",
    docs: "## What\n`wget` without `--progress=...`, `-q`/`--quiet`, `-nv`/`--no-verbose`, or a \
log file (`-o`, `-a`).\n\n\
## Why\nWithout a terminal wget falls back to a dot progress display that writes a line for \
every few kilobytes: downloading a large file floods the build log with thousands of \
lines.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN wget https://example.com/big.tar.gz\n```\n\n\
## Fix\n`wget -q ...`, `wget -nv ...` or `wget --progress=dot:giga ...`.",
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

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (_, cmd) in ctx.commands_named(&["wget"]) {
        let quiet = has_opt(
            cmd,
            "qoa",
            &[
                "progress",
                "quiet",
                "output-file",
                "append-output",
                "no-verbose",
            ],
        ) || has_word(cmd, "-nv");
        if !quiet {
            acc.push(
                &META,
                cmd.name.range,
                "wget without a progress option floods the build log: add `-q`, `-nv` or \
`--progress=dot:giga`",
            )
            // `--progress=dot:giga` keeps errors and a coarse progress in the
            // log (unlike `-q`), and hadolint accepts it.
            .fix(
                "Add `--progress=dot:giga`",
                Safety::Safe,
                vec![TextEdit::insert(cmd.name.range.end, " --progress=dot:giga")],
            );
        }
    }
}
