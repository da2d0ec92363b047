//! `FROM` and `AS` cased differently.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "FromAsCasing",
    aliases: &[],
    summary: "The `AS` keyword should be cased like `FROM`",
    docs: "## What\nA `FROM` line whose `AS` keyword is not cased like `FROM`: `FROM x as y` \
or `from x AS y`.\n\n\
## Why\nKeywords may be written in either case, but mixing styles in one line reads badly. \
When `FROM` itself is mixed case (`From`), this rule stays silent and \
ConsistentInstructionCasing reports the keyword instead, as BuildKit does.\n\n\
## Example\n```dockerfile\nFROM node:22 as build\n```\n\n\
## Fix\nMatch the case of `FROM`: `FROM node:22 AS build`, or `from node:22 as build`.",
    severity: Severity::Warning,
    category: Category::Style,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for s in &m.stages {
        let (Some(as_range), Some(ins)) = (s.as_range, m.instructions.get(s.from)) else {
            continue;
        };
        let from = ins.keyword.value.as_str();
        let as_kw = as_range.slice(ctx.text);
        let (want, style) = if from == from.to_ascii_uppercase() {
            (as_kw.to_ascii_uppercase(), "upper")
        } else if from == from.to_ascii_lowercase() {
            (as_kw.to_ascii_lowercase(), "lower")
        } else {
            continue;
        };
        if as_kw != want {
            acc.push(
                &META,
                as_range,
                format!(
                    "`{as_kw}` does not match the case of `{from}`: write `{want}` ({style} case)"
                ),
            )
            .fix(
                format!("Write `{want}`"),
                Safety::Safe,
                vec![TextEdit::replace(as_range, want.clone())],
            );
        }
    }
}
