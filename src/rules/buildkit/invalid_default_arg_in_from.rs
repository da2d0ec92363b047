//! A FROM image that is invalid with the global ARGs' default values.

use crate::model::{is_platform_arg, Model};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
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
reported by UndefinedArgInFrom instead (BuildKit reports both).\n\n\
## Example\n```dockerfile\nARG TAG\nFROM busybox:${TAG}\n```\n\n\
## Fix\nGive the ARG a default (`ARG TAG=1.36`), or a fallback in the reference \
(`FROM busybox:${TAG:-1.36}`).",
    severity: Severity::Warning,
    category: Category::Variables,
    default: Default::On,
};

pub const RULE: Rule = Rule { meta: &META, check };

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

/// Expand `text` as BuildKit expands a FROM image with the defaults;
/// `None` when the result cannot be known.
fn expand(m: &Model, text: &str, before: usize, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    let escape = m.escape;
    let refs = scan(text, escape);
    // Top-level references only: nested ones sit inside another's range.
    let mut top: Vec<&words::VarRef> = Vec::new();
    for r in &refs {
        if top.last().is_none_or(|t| r.range.start >= t.range.end) {
            top.push(r);
        }
    }
    let mut next = top.into_iter().peekable();
    let b = text.as_bytes();
    let mut out = String::new();
    let mut quote: Option<u8> = None;
    let mut pos = 0;
    while pos < b.len() {
        if let Some(r) = next.peek() {
            if r.range.start as usize == pos && quote != Some(b'\'') {
                let value = match lookup(m, &r.name, before) {
                    Some(v) => Some(expand(m, &v, before, depth + 1)?),
                    None => None,
                };
                let word = || {
                    r.word_range
                        .map(|w| w.slice(text).to_string())
                        .unwrap_or_default()
                };
                let set_non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
                let piece = match r.modifier.as_deref() {
                    None => value.unwrap_or_default(),
                    Some(":-") if set_non_empty => value.unwrap_or_default(),
                    Some(":-") => expand(m, &word(), before, depth + 1)?,
                    Some("-") => match value {
                        Some(v) => v,
                        None => expand(m, &word(), before, depth + 1)?,
                    },
                    Some(":+") if set_non_empty => expand(m, &word(), before, depth + 1)?,
                    Some(":+") => String::new(),
                    Some("+") => match value {
                        Some(_) => expand(m, &word(), before, depth + 1)?,
                        None => String::new(),
                    },
                    _ => return None,
                };
                out.push_str(&piece);
                pos = (r.range.end as usize).max(pos + 1);
                next.next();
                continue;
            }
        }
        let c = b[pos];
        match (c, quote) {
            (b'\'', None) | (b'"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (e, q) if e == escape && q != Some(b'\'') && pos + 1 < b.len() => {
                pos += 1;
                let ch = text[pos..].chars().next()?;
                out.push(ch);
                pos += ch.len_utf8();
                continue;
            }
            _ => {
                let ch = text[pos..].chars().next()?;
                out.push(ch);
                pos += ch.len_utf8();
                continue;
            }
        }
        pos += 1;
    }
    Some(out)
}
