//! DL3044: an ENV value that refers to a variable set in the same ENV.

use foldhash::HashMap;

use crate::model::VarKind;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3044",
    aliases: &[],
    summary: "ENV refers to a variable the same ENV defines",
    docs: "## What\nAn `ENV` instruction with several pairs where one value uses a variable \
that another pair of the same instruction sets (`ENV A=/opt B=$A/bin`), and no earlier \
ARG or ENV in scope defines it.\n\n\
## Why\nBuildKit expands every value of an `ENV` before it sets any of them, so `$A` is the \
value `A` had *before* the instruction (usually empty), not `/opt`. The result looks right \
and is wrong.\n\n\
A variable referring to itself (`ENV PATH=/opt/bin:$PATH`) is fine, and so is a use \
before the pair that sets the name (`ENV B=$A A=1` reads as the old `A`). Differences from \
hadolint: it also reports that last case; and an earlier declaration only counts when it \
is in scope for the stage (hadolint accepts a declaration anywhere above, even in another \
stage, where the value is still empty).\n\n\
## Example\n```dockerfile\nFROM debian:12\nENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH\n```\n\n\
## Fix\nSplit the instruction: `ENV APP_HOME=/opt/app` then `ENV PATH=$APP_HOME/bin:$PATH`.",
    severity: Severity::Error,
    category: Category::Variables,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let mut d = 0;
    while d < m.decls.len() {
        // The declarations of one ENV instruction are contiguous.
        let ins = m.decls[d].instruction;
        let end = m.decls[d..]
            .iter()
            .position(|x| x.instruction != ins)
            .map_or(m.decls.len(), |p| d + p);
        let pairs = &m.decls[d..end];
        d = end;
        if pairs.len() < 2 || pairs[0].kind != VarKind::Env {
            continue;
        }
        // The first pair of each name (pairs are in text order).
        let mut first_of: HashMap<&str, usize> = HashMap::default();
        for (i, p) in pairs.iter().enumerate() {
            first_of.entry(p.name.as_str()).or_insert(i);
        }
        // Uses are in instruction order.
        let first = m.uses.partition_point(|u| u.instruction < ins);
        let uses = m.uses[first..].iter().take_while(|u| u.instruction == ins);
        for u in uses.filter(|u| u.decl.is_none()) {
            // The pair whose value holds the use: the last one starting
            // before it.
            let own = pairs.partition_point(|p| p.name_range.start <= u.range.start);
            let Some(own) = own.checked_sub(1).filter(|&i| {
                pairs[i]
                    .value_range
                    .is_some_and(|r| r.contains_range(u.range))
            }) else {
                continue;
            };
            let Some(other) = first_of
                .get(u.name.as_str())
                .filter(|&&i| i < own)
                .map(|&i| &pairs[i])
            else {
                continue;
            };
            acc.push(
                &META,
                u.range,
                format!(
                    "`{}` is expanded before this ENV sets `{}`: it gets the value from before (the base image's, or empty); set `{}` in an ENV of its own first",
                    u.range.slice(ctx.text),
                    u.name,
                    u.name
                ),
            )
            .related(other.name_range, format!("`{}` is set here", u.name));
        }
    }
}
