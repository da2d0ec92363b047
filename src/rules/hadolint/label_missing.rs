//! DL3049: an image lacks a label the label schema requires.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::{chain, image_stages, label_pairs, stage_instructions};

pub static META: RuleMeta = RuleMeta {
    code: "DL3049",
    aliases: &[],
    summary: "A label required by the label schema is missing",
    docs: "## What\nAn image that does not set a label listed in the configured label schema \
(hadolint's `label-schema`). Silent when no schema is configured.\n\n\
## Why\nA label schema is a team's contract for image metadata (source repository, version, \
owner, licence...). An image without one of them escapes inventory, scanning or support \
processes that rely on it.\n\n\
berth checks the stages that can become an image (the target and every stage no other \
stage builds on or copies from); a label set in a stage it is built `FROM` counts. hadolint \
reaches nearly the same result by other means, but also reports a base stage when the child \
that labels it has its own `AS` name.\n\n\
## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nCMD [\"sh\"]\n```\n\n\
## Fix\nAdd the label: `LABEL org.opencontainers.image.source=\"https://github.com/org/app\"`.",
    severity: Severity::Info,
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
    let schema = &ctx.config.label_schema;
    if schema.is_empty() {
        return;
    }
    let m = ctx.model;
    // Per stage: the label keys it sets.
    let keys: Vec<Vec<String>> = (0..m.stages.len())
        .map(|s| {
            stage_instructions(m, s)
                .iter()
                .filter(|i| i.kind == Keyword::Label)
                .flat_map(|i| label_pairs(i, m.escape))
                .map(|p| p.key)
                .collect()
        })
        .collect();
    for (s, image) in image_stages(m).into_iter().enumerate() {
        if !image {
            continue;
        }
        let Some(from) = m.instructions.get(m.stages[s].from) else {
            continue;
        };
        for (label, _) in schema {
            if !chain(m, s).any(|st| keys[st].iter().any(|k| k == label)) {
                acc.push(
                    &META,
                    from.range,
                    format!("label `{label}` is missing: the label schema requires it"),
                );
            }
        }
    }
}
