//! A FROM image that is no valid image reference: BuildKit fails the build.

use crate::model::{closest, Base, ImageRef, RefErrorKind, Stage};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "InvalidBaseImageReference",
    aliases: &[],
    summary: "FROM an image name that is not a valid image reference (BuildKit fails)",
    docs: "## What\nA `FROM` image that BuildKit cannot read as an image reference, after \
expanding the ARGs declared before the first `FROM`: upper case in the repository name \
(`FROM Ubuntu:22.04`, `FROM REPLACE-ME`), a path component that is not lower-case letters \
and digits joined by `.`, `_`, `__` or dashes, a registry that is no host name, IP address \
or `[IPv6]` with an optional port, a tag that is not a letter, digit or `_` followed by at \
most 127 of those, `.` or `-`, a digest that is not `sha256:` (or `sha384:`, `sha512:`) \
followed by the right number of lower-case hex digits, a repository name over 255 \
characters, or a name that expands to nothing.\n\n\
## Why\nBuildKit parses the base image with the reference grammar of \
`github.com/distribution/reference` before it pulls anything, and stops with an error such \
as `failed to parse stage name \"REPLACE-ME\": invalid reference format: repository name \
(library/REPLACE-ME) must be lowercase`. Only `scratch`, written in lower case, is no \
reference. An image given by a variable whose value is not known here (`FROM $BASE` with no \
default) is not reported; with a default, the expanded name is checked.\n\n\
## Example\n```dockerfile\nFROM Ubuntu:22.04\n```\n\n\
## Fix\nWrite the repository in lower case (`FROM ubuntu:22.04`; registries such as \
`ghcr.io` are case-insensitive, repository paths are not), replace a placeholder with a \
real image, and check the tag and digest. When upper case is the only problem, a fix \
lower-cases the repository.",
    severity: Severity::Error,
    category: Category::Syntax,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

/// Whether BuildKit refuses stage `s`'s base image as a reference (the
/// expansion known, not a stage, not `scratch`).
pub(crate) fn refused(s: &Stage) -> bool {
    match s.base {
        Base::Image(_) => ImageRef::validate(&s.base_expanded).is_err(),
        // BuildKit compares with `scratch` exactly; `Scratch` is parsed.
        Base::Scratch => s.base_expanded != "scratch",
        _ => false,
    }
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for s in &m.stages {
        if !refused(s) {
            continue;
        }
        let text = s.base_expanded.as_str();
        let Err(e) = ImageRef::validate(text) else {
            continue;
        };
        let written = s.base_text == s.base_expanded;
        let what = if written {
            format!("`{text}` is not a valid image reference")
        } else if text.is_empty() {
            format!("`{}` expands to an empty image name", s.base_text)
        } else {
            format!(
                "`{}` expands to `{text}`, which is not a valid image reference",
                s.base_text
            )
        };
        let buildkit = if e.kind == RefErrorKind::Empty {
            format!("base name ({}) should not be blank", s.base_text)
        } else {
            format!("failed to parse stage name \"{text}\": {}", e.buildkit)
        };
        let reason = if e.kind == RefErrorKind::Empty {
            String::new()
        } else {
            format!(": {}", e.reason())
        };
        // A near miss of an earlier stage's name (`FROM Builder`): FROM
        // matches stage names exactly as written.
        let earlier = m.stages[..s.index].iter().filter_map(|e| e.name.as_deref());
        let near = closest(text, earlier);
        let hint = match near {
            Some(n) => format!("; did you mean the stage `{n}`?"),
            None => String::new(),
        };
        let d = acc.push(
            &META,
            s.base_range,
            format!("{what}{reason}{hint} (BuildKit: {buildkit})"),
        );
        if let Some(n) = near {
            if let Some(stage) = m.stages[..s.index]
                .iter()
                .rev()
                .find(|e| e.name.as_deref() == Some(n))
            {
                d.related(
                    stage.name_range.unwrap_or(stage.base_range),
                    format!("stage `{n}` is defined here"),
                );
            }
        }
        // Edits only when the word is written as it reads (no variable,
        // quote or continuation in it).
        if !written || s.base_range.len() as usize != text.len() {
            continue;
        }
        match (near, e.kind, e.range) {
            (Some(n), _, _) => {
                d.fix(
                    format!("Change to the stage `{n}`"),
                    Safety::Unsafe,
                    vec![TextEdit::replace(s.base_range, n)],
                );
            }
            (None, RefErrorKind::Uppercase, Some(r)) => {
                let fixed = format!(
                    "{}{}{}",
                    &text[..r.start],
                    text[r.clone()].to_lowercase(),
                    &text[r.end..]
                );
                if ImageRef::validate(&fixed).is_ok() {
                    d.fix(
                        format!("Lower-case the repository: `{fixed}`"),
                        Safety::Unsafe,
                        vec![TextEdit::replace(s.base_range, &fixed)],
                    );
                }
            }
            _ => {}
        }
    }
}
