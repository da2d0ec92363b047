//! DL3051: a schema label with an empty value.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

use super::{label_pairs, labels, schema_kind};

pub static META: RuleMeta = RuleMeta {
    code: "DL3051",
    aliases: &[],
    summary: "A label of the label schema is empty",
    docs: "## What\nA `LABEL` whose key is in the configured label schema and whose value is \
empty (`LABEL org.opencontainers.image.version=\"\"`). Silent when no schema is configured.\n\n\
## Why\nAn empty value satisfies the letter of the schema (the label is there) but carries no \
information; it usually means a build argument that was not passed.\n\n\
## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=\"\"\n```\n\n\
## Fix\nGive the label its value, or remove it.",
    severity: Severity::Warning,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let schema = &ctx.config.label_schema;
    if schema.is_empty() {
        return;
    }
    for ins in labels(ctx.model) {
        for p in label_pairs(ins, ctx.model.escape) {
            if p.value.is_empty() && schema_kind(schema, &p.key).is_some() {
                acc.push(
                    &META,
                    p.range,
                    format!("label `{}` is empty: give it a value", p.key),
                );
            }
        }
    }
}
