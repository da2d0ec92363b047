//! DL3048: a label key that does not follow Docker's key format.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

use super::{label_pairs, labels};

pub static META: RuleMeta = RuleMeta {
    code: "DL3048",
    aliases: &[],
    summary: "Invalid label key",
    docs: "## What\nA `LABEL` key outside Docker's recommended format: lower-case letters, \
digits, `.`, `-`, `_` and `/`; starting with a letter and ending with a letter or digit; no \
`..` or `--`; not in the namespaces Docker reserves (`com.docker.`, `io.docker.`, \
`org.dockerproject.`).\n\n\
## Why\nTools that read labels (registries, scanners, orchestrators) expect reverse-DNS keys \
such as `org.opencontainers.image.source`. Keys in other shapes are easy to mistype and \
collide with other tools' keys; the reserved namespaces belong to Docker.\n\n\
## Example\n```dockerfile\nFROM alpine:3.20\nLABEL Maintainer=\"ops@example.com\"\n```\n\n\
## Fix\nUse a lower-case, namespaced key: `LABEL org.opencontainers.image.authors=\"ops@example.com\"`.",
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

/// What is wrong with `key`, if anything (hadolint's checks, in its order).
fn problem(key: &str) -> Option<&'static str> {
    let first = key.chars().next();
    let last = key.chars().next_back();
    if !first.is_some_and(|c| c.is_ascii_lowercase()) {
        return Some("it must start with a lower-case letter");
    }
    if !last.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("it must end with a lower-case letter or a digit");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_/".contains(c))
    {
        return Some("only lower-case letters, digits, `.`, `-`, `_` and `/` are allowed");
    }
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| key.starts_with(p))
    {
        return Some("the namespace is reserved by Docker");
    }
    if key.contains("..") || key.contains("--") {
        return Some("`..` and `--` are not allowed");
    }
    None
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in labels(ctx.model) {
        for p in label_pairs(ins, ctx.model.escape) {
            if let Some(why) = problem(&p.key) {
                acc.push(
                    &META,
                    p.key_range,
                    format!("invalid label key `{}`: {why}", p.key),
                );
            }
        }
    }
}
