//! BuildKit's `CopyIgnoredFile`: a COPY/ADD source `.dockerignore` leaves
//! out of the context.

use crate::model::context::{context_sources, EntryKind};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub static META: RuleMeta = RuleMeta {
    code: "CopyIgnoredFile",
    aliases: &[],
    summary: "`COPY`/`ADD` of a file `.dockerignore` excludes",
    docs: "## What\nA `COPY` or `ADD` source from the build context that the `.dockerignore` \
file excludes (`<Dockerfile>.dockerignore` beside the Dockerfile wins over `.dockerignore` \
at the context root, as in BuildKit).\n\n\
## Why\nThe client does not send excluded files, so the build fails with \"not found\" (or, \
for a directory, copies less than it seems to).\n\n\
BuildKit's check (\"Attempting to Copy file ... that is excluded by .dockerignore\") reports \
a source when a pattern matches it or one of its parent directories, and stays silent when \
the file has exception patterns (`!path`). berth does the same, and with exceptions it still \
reports a source that is a file of the context and is excluded once the exceptions are \
applied. Wildcard sources are not checked.\n\n\
## Example\n`.dockerignore`:\n```\n*.env\n```\n```dockerfile\nFROM alpine\nCOPY prod.env /etc/app/\n```\n\n\
## Fix\nRemove the pattern from `.dockerignore` (or add an exception `!prod.env`), or stop \
copying the file.",
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
    let ig = &bc.ignore;
    if ig.is_empty() {
        return;
    }
    let exceptions = ig.has_exclusions();
    let fs = ctx.fs();
    for s in context_sources(ctx.model, fs) {
        if s.source.wildcard {
            continue;
        }
        let hit = if s.rel == "." {
            // The root is only "ignored" when everything at it is.
            !exceptions
                && ig
                    .patterns
                    .iter()
                    .any(|p| matches!(p.text.as_str(), "*" | "**" | "**/*"))
        } else if exceptions {
            bc.entry(&s.rel)
                .is_some_and(|e| e.kind == EntryKind::File && ig.excludes(&s.rel))
        } else {
            ig.patterns.iter().any(|p| p.matches_or_parent(&s.rel))
        };
        if hit {
            let cmd = if s.kind == Keyword::Add {
                "Add"
            } else {
                "Copy"
            };
            acc.push(
                &META,
                s.source.range,
                format!(
                    "Attempting to {cmd} file \"{}\" that is excluded by .dockerignore",
                    s.rel
                ),
            );
        }
    }
}
