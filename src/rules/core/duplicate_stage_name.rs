//! Two stages with the same name.

use foldhash::HashMap;

use crate::model::Stage;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

pub static META: RuleMeta = RuleMeta {
    code: "DuplicateStageName",
    aliases: &["DL3024"],
    summary: "Two stages share a name (names are case-insensitive)",
    docs: "## What\nTwo `FROM ... AS NAME` lines with the same name, ignoring case.\n\n\
## Why\nReferences become ambiguous: `FROM NAME` picks the latest stage defined before it, \
while `COPY --from=NAME` and `--target NAME` pick the last one in the file.\n\n\
## Example\n```dockerfile\nFROM node:22 AS build\nFROM node:22-slim AS Build\n```\n\n\
## Fix\nGive each stage its own name.",
    severity: Severity::Error,
    category: Category::Stages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let stages = &ctx.model.stages;
    // The first stage of each name, filled in text order.
    let mut first_named: HashMap<&str, &Stage> = HashMap::default();
    for s in stages {
        let (Some(name), Some(range)) = (&s.name, s.name_range) else {
            continue;
        };
        let first = *first_named.entry(name.as_str()).or_insert(s);
        if first.index != s.index {
            acc.push(
                &META,
                range,
                format!(
                    "duplicate stage name `{name}`: stage {} already has it",
                    first.index
                ),
            )
            .related(
                first.name_range.unwrap_or(first.base_range),
                "first defined here",
            );
        }
    }
}
