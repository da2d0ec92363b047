//! `COPY`/`ADD` of a build-context path that is not in the context.

use crate::model::context::{context_sources, Lookup};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "CopySourceMissing",
    aliases: &[],
    summary: "`COPY`/`ADD` of a path the build context does not have",
    docs: "## What\nA `COPY` or `ADD` source read from the build context (no `--from`, not a URL, \
not a heredoc) that names a path, or a wildcard pattern, matching nothing in the context. The \
context is the Dockerfile's folder unless configured (`--context DIR` on the command line, \
`berth.context` in the editor).\n\n\
## Why\nThe build fails at that instruction with \"failed to compute cache key: ... not \
found\", after every earlier step has run. The usual causes are a typo, a file that is not \
committed or generated yet, or a context other than the one the Dockerfile expects.\n\n\
berth skips sources with variables it cannot expand, and reports nothing when the context \
is larger than it lists (20,000 entries) or a symbolic link is on the way.\n\n\
## Example\n```dockerfile\nFROM python:3.12-slim\nCOPY requirments.txt .\n```\n\n\
## Fix\nCorrect the path (berth suggests the closest existing name), create the file, or \
build with the context the Dockerfile is written for.",
    severity: Severity::Warning,
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
    let Some(bc) = ctx.config.context.as_deref() else {
        return;
    };
    if bc.truncated {
        return;
    }
    let fs = ctx.fs();
    for s in context_sources(ctx.model, fs) {
        let Lookup::Missing {
            parent,
            missing,
            suggestion,
        } = bc.lookup(&s.rel, s.source.wildcard)
        else {
            continue;
        };
        let mut msg = if s.source.wildcard && s.rel.contains(['*', '?', '[']) {
            format!("No path in the build context matches `{}`", s.rel)
        } else if parent.is_empty() {
            format!("`{missing}` is not in the build context")
        } else if missing.contains('/') || bc.entry(&parent).is_some_and(|e| !bc.is_dir(&e.path)) {
            format!(
                "`{}` is not in the build context: `{parent}` is a file",
                s.rel
            )
        } else {
            format!(
                "`{}` is not in the build context: `{parent}/` has no `{missing}`",
                s.rel
            )
        };
        if let Some(sug) = suggestion {
            msg.push_str(&format!("; did you mean `{sug}`?"));
        }
        acc.push(&META, s.source.range, msg);
    }
}
