//! DL3050: a label outside the label schema, with strict labels on.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

use super::{label_pairs, labels, schema_kind};

pub static META: RuleMeta = RuleMeta {
    code: "DL3050",
    aliases: &[],
    summary: "A label that the label schema does not list (strict labels)",
    docs: "## What\nWith strict labels on (hadolint's `strict-labels: true`), a `LABEL` key that \
the configured label schema does not list. Silent unless strict labels are on.\n\n\
## Why\nA strict schema keeps image metadata to the agreed set: an unknown key is often a \
typo of a schema key (`org.opencontainers.image.sorce`) or metadata nobody maintains.\n\n\
berth reports each unknown key; hadolint reports the instruction once.\n\n\
## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.source: url}, strict-labels: true\nFROM alpine:3.20\nLABEL team=payments\n```\n\n\
## Fix\nRemove the label, correct its key, or add it to the schema.",
    severity: Severity::Info,
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
    if !ctx.config.strict_labels {
        return;
    }
    let schema = &ctx.config.label_schema;
    for ins in labels(ctx.model) {
        for p in label_pairs(ins, ctx.model.escape) {
            if schema_kind(schema, &p.key).is_none() {
                acc.push(
                    &META,
                    p.key_range,
                    format!(
                        "label `{}` is not in the label schema: remove it or add it to the schema",
                        p.key
                    ),
                );
            }
        }
    }
}
