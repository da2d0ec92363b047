//! DL3006: a base image without a tag.

use crate::model::Base;
use crate::rules::core::invalid_base_image_reference;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

use super::split_image;

pub static META: RuleMeta = RuleMeta {
    code: "DL3006",
    aliases: &[],
    summary: "FROM an image without an explicit tag",
    docs: "## What\nA `FROM` image with neither a tag nor a digest (`FROM debian`). Stage names, \
`scratch`, images given by a variable (`FROM ${BASE}`) and names BuildKit refuses as image \
references (InvalidBaseImageReference) are not reported.\n\n\
## Why\nWithout a tag the build pulls `latest`, whatever it is on the day: two builds of the \
same Dockerfile can get different bases, and a new major version can break the build or the \
application without any change on your side.\n\n\
Differences from hadolint: an image whose name holds a variable anywhere (`FROM org/${APP}`) \
is not reported (the variable may carry the tag); a registry with a port \
(`FROM localhost:5000/app`) is read as Docker does, so the image is untagged and reported \
(hadolint mistakes `5000/app` for a tag); `FROM <stage>` is recognised the way BuildKit \
resolves it.\n\n\
## Example\n```dockerfile\nFROM python\nCOPY app.py /app/\n```\n\n\
## Fix\nPin a tag (`FROM python:3.13-slim`), or a digest for fully reproducible builds \
(`FROM python:3.13-slim@sha256:...`).",
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
        if parts.tag.is_some() || parts.digest.is_some() || parts.name.contains('$') {
            continue;
        }
        let name = parts.name;
        acc.push(
            &META,
            s.base_range,
            format!(
                "`{name}` has no tag, so the build takes whatever `latest` is that day: pin one, e.g. `{name}:<version>`"
            ),
        );
    }
}
