//! A FROM image that is invalid with the global ARGs' default values.

use crate::model::{expand_with, is_platform_arg, Model, Unset};
use crate::rules::core::invalid_base_image_reference;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};
use crate::syntax::{words, Joined};
use crate::text::TextRange;

use super::util::valid_image_reference;

pub static META: RuleMeta = RuleMeta {
    code: "InvalidDefaultArgInFrom",
    aliases: &[],
    summary: "FROM image is invalid unless --build-arg is passed",
    docs: "## What\nA `FROM` whose image uses global ARGs and, with their default values (no \
`--build-arg`), expands to an empty or invalid image reference: `ARG TAG` then \
`FROM busybox:${TAG}` gives `busybox:`.\n\n\
## Why\nA Dockerfile should build as it is. Without a default the build fails unless every \
caller remembers the `--build-arg`.\n\n\
An ARG that may stay empty is fine when the reference is valid without it \
(`FROM busybox:stable${VARIANT}`). A variable that no global ARG declares at all is \
reported by UndefinedArgInFrom instead (BuildKit reports both); one whose every ARG has a \
default that gives an invalid name fails the build as written, and is reported by \
InvalidBaseImageReference instead.\n\n\
## Example\n```dockerfile\nARG TAG\nFROM busybox:${TAG}\n```\n\n\
## Fix\nGive the ARG a default (`ARG TAG=1.36`), or a fallback in the reference \
(`FROM busybox:${TAG:-1.36}`).",
    severity: Severity::Warning,
    category: Category::Variables,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

/// Values BuildKit gives its platform ARGs; only their shape matters here.
fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "TARGETPLATFORM" | "BUILDPLATFORM" => "linux/amd64",
        "TARGETOS" | "BUILDOS" => "linux",
        "TARGETARCH" | "BUILDARCH" => "amd64",
        "TARGETVARIANT" | "BUILDVARIANT" => "",
        "TARGETSTAGE" => "stage",
        _ => return None,
    })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for st in &m.stages {
        if !st.base_text.contains('$') {
            continue;
        }
        // Every variable has a default and the result is refused: the build
        // fails as written, which InvalidBaseImageReference reports.
        if invalid_base_image_reference::refused(st) {
            continue;
        }
        let text = st.base_range.slice(ctx.text);
        let refs = scan(text, m.escape);
        // Undeclared names are UndefinedArgInFrom's.
        let declared = |n: &str| {
            predefined(n).is_some()
                || m.global_args()
                    .any(|d| d.name == n && d.instruction < st.from)
        };
        if refs.iter().any(|r| !declared(&r.name)) {
            continue;
        }
        let Some(expanded) = expand(m, text, st.from, 0) else {
            continue;
        };
        if valid_image_reference(&expanded) {
            continue;
        }
        let unset: Vec<&str> = refs
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| lookup(m, n, st.from).is_none())
            .collect();
        let hint = match unset.first() {
            Some(n) => format!("; give `ARG {n}` a default value"),
            None => "; change the ARG defaults".to_string(),
        };
        let shown = if expanded.is_empty() {
            "an empty name".to_string()
        } else {
            format!("`{expanded}`")
        };
        let d = acc.push(
            &META,
            st.base_range,
            format!(
                "without --build-arg, `{text}` expands to {shown}, which is not a valid image reference{hint}"
            ),
        );
        for n in unset {
            if let Some(decl) = m
                .global_args()
                .filter(|g| g.name == n && g.instruction < st.from)
                .last()
            {
                d.related(
                    decl.name_range,
                    format!("`{n}` is declared here without a default"),
                );
            }
        }
    }
}

fn scan(text: &str, escape: u8) -> Vec<words::VarRef> {
    let j = Joined::new(text, vec![TextRange::from_usize(0, text.len())]);
    words::scan_vars(&j, (0, text.len()), escape)
}

/// The value of global ARG `name` before instruction `before`, with the
/// defaults only; `None` when it is not set.
fn lookup(m: &Model, name: &str, before: usize) -> Option<String> {
    let decl = m
        .global_args()
        .filter(|d| d.name == name && d.instruction < before && d.value.is_some())
        .last();
    match decl {
        Some(d) => d.value.clone(),
        None if is_platform_arg(name) => predefined(name).map(str::to_string),
        None => None,
    }
}

/// Expand `text` as BuildKit expands a FROM image with the defaults
/// (unset variables are empty); `None` when the result cannot be known.
fn expand(m: &Model, text: &str, before: usize, depth: usize) -> Option<String> {
    let lookup = |name: &str| lookup(m, name, before).map(Some);
    expand_with(text, m.escape, &lookup, Unset::Empty, depth)
}
