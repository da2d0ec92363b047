//! DL3007: a base image tagged `latest`.

use crate::model::Base;
use crate::rules::core::invalid_base_image_reference;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};
use crate::text::TextRange;

use super::split_image;

pub static META: RuleMeta = RuleMeta {
    code: "DL3007",
    aliases: &[],
    summary: "FROM an image tagged `latest`",
    docs: "## What\nA `FROM` image with the tag `latest` and no digest (`FROM node:latest`).\n\n\
## Why\n`latest` is not a version: it moves each time the image is published, so the same \
Dockerfile builds on different bases over time, and a major upgrade arrives unannounced. \
With a digest (`node:latest@sha256:...`) the image is pinned and nothing is reported.\n\n\
## Example\n```dockerfile\nFROM node:latest\n```\n\n\
## Fix\nPin a release tag: `FROM node:22-bookworm-slim`.",
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
    for s in &ctx.model.stages {
        if !matches!(s.base, Base::Image(_) | Base::Variable) {
            continue;
        }
        // BuildKit refuses the name outright: InvalidBaseImageReference says so.
        if invalid_base_image_reference::refused(s) {
            continue;
        }
        let parts = split_image(&s.base_text);
        let Some((colon, "latest")) = parts.tag else {
            continue;
        };
        if parts.digest.is_some() {
            continue;
        }
        // Underline `:latest` when the word is written on one line.
        let range = if s.base_range.len() as usize == s.base_text.len() {
            let start = s.base_range.start + colon as u32;
            TextRange::new(start, start + ":latest".len() as u32)
        } else {
            s.base_range
        };
        acc.push(
            &META,
            range,
            format!(
                "`latest` moves whenever `{}` is republished: pin a release tag, e.g. `{}:<version>`",
                parts.name, parts.name
            ),
        );
    }
}
