//! A stage name written with upper-case letters.

use crate::model::valid_stage_name;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "StageNameCasing",
    aliases: &[],
    summary: "Stage names should be lower case",
    docs: "## What\nA `FROM ... AS Name` whose stage name contains upper-case letters.\n\n\
## Why\nBuildKit lower-cases stage names, so `AS Builder` defines `builder`. Writing them in \
lower case keeps them apart from instruction keywords and avoids surprises: \
`FROM Builder` does not refer to the stage (it names an image), while \
`COPY --from=Builder` does.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS BuildBase\n```\n\n\
## Fix\nWrite the name in lower case, here and where it is referred to: \
`FROM golang:1.23 AS build-base`.",
    severity: Severity::Warning,
    category: Category::Style,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for s in &ctx.model.stages {
        let Some(range) = s.name_range else { continue };
        let written = range.slice(ctx.text);
        // An invalid name is an error of its own (InvalidStageName).
        let lower = written.to_lowercase();
        if valid_stage_name(&lower) && written != lower {
            // The name and every reference that resolves to this stage;
            // references that do not resolve keep what they mean.
            let mut edits = vec![TextEdit::replace(range, lower.clone())];
            for r in &ctx.model.refs {
                let t = r.range.slice(ctx.text);
                if r.target_stage() == Some(s.index)
                    && !r.by_index
                    && t != lower
                    && t.eq_ignore_ascii_case(&lower)
                {
                    edits.push(TextEdit::replace(r.range, lower.clone()));
                }
            }
            acc.push(
                &META,
                range,
                format!("stage name `{written}` should be lower case: write `{lower}`"),
            )
            .fix(
                format!("Rename the stage to `{lower}`"),
                Safety::Safe,
                edits,
            );
        }
    }
}
