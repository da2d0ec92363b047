//! DL3021: COPY of several sources to a destination without a trailing `/`.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::drop_quotes;

pub static META: RuleMeta = RuleMeta {
    code: "DL3021",
    aliases: &[],
    summary: "COPY with several sources to a destination not ending in `/`",
    docs:
        "## What\nA `COPY` with more than one source whose destination does not end with `/`.\n\n\
## Why\nSeveral sources can only go into a directory. Docker's reference requires the \
destination to end with `/` in that case; the legacy builder refuses the instruction, and a \
reader cannot tell whether `/app` is meant as a file or a folder.\n\n\
A Windows destination ending with `\\` (`C:\\app\\`) is a folder too (hadolint only \
accepts `/`).\n\n\
## Example\n```dockerfile\nFROM node:22\nCOPY package.json package-lock.json /app\n```\n\n\
## Fix\nEnd the destination with a slash: `COPY package.json package-lock.json /app/`.",
    severity: Severity::Error,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in ctx
        .model
        .instructions
        .iter()
        .filter(|i| i.kind == Keyword::Copy)
    {
        let Some((dest, sources)) = ins.args.split_last() else {
            continue;
        };
        if sources.len() < 2 {
            continue;
        }
        let d = drop_quotes(&dest.value);
        if d.ends_with('/') || d.ends_with('\\') {
            continue;
        }
        acc.push(
            &META,
            dest.range,
            format!(
                "{} sources are copied into a directory: end the destination with `/` (`{d}/`)",
                sources.len()
            ),
        );
    }
}
