//! DL3045: COPY to a relative destination with no WORKDIR set.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::{chain, drop_quotes, stage_instructions};

pub static META: RuleMeta = RuleMeta {
    code: "DL3045",
    aliases: &[],
    summary: "COPY to a relative destination without a WORKDIR",
    docs: "## What\nA `COPY` whose destination is relative (`COPY app.py app/`, `COPY . .`) in a \
stage where no `WORKDIR` has been set, neither earlier in the stage nor in the stages it is \
built `FROM`.\n\n\
## Why\nA relative destination is resolved against the working directory, which then comes \
from the base image: `/` for most, something else for others, and it can change when the \
base image does. Files land in a place the Dockerfile does not say.\n\n\
Absolute paths (`/app`, `C:\\app`, `c:/app`) and destinations starting with a variable \
are fine. Difference from hadolint: berth follows `FROM <stage>` as BuildKit resolves it; \
hadolint matches stages by image name, so a second `FROM debian:12` (without `AS`) wrongly \
inherits the WORKDIR of an earlier, unrelated `FROM debian:12` stage.\n\n\
## Example\n```dockerfile\nFROM python:3.13\nCOPY requirements.txt .\n```\n\n\
## Fix\nSet the directory first (`WORKDIR /app`), or copy to an absolute path.",
    severity: Severity::Warning,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[Keyword::Run],
    local_to: &[],
};

fn is_absolute(dest: &str) -> bool {
    let b = dest.as_bytes();
    dest.starts_with('/')
        || dest.starts_with('$')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let has_workdir: Vec<bool> = (0..m.stages.len())
        .map(|s| {
            stage_instructions(m, s)
                .iter()
                .any(|i| i.kind == Keyword::Workdir)
        })
        .collect();
    // Instructions before the first FROM, then each stage.
    let before = m.instructions.iter().take_while(|i| i.stage.is_none());
    let mut set = false;
    let mut current = None;
    for ins in before.chain(m.stages.iter().flat_map(|s| stage_instructions(m, s.index))) {
        if ins.stage != current {
            current = ins.stage;
            set = ins
                .stage
                .is_some_and(|s| chain(m, s).skip(1).any(|p| has_workdir[p]));
        }
        match ins.kind {
            Keyword::Workdir => set = true,
            Keyword::Copy if !set && ins.args.len() >= 2 => {
                let Some(dest) = ins.args.last() else {
                    continue;
                };
                let d = drop_quotes(&dest.value);
                if is_absolute(d) {
                    continue;
                }
                acc.push(
                    &META,
                    dest.range,
                    format!("`{d}` is relative and no WORKDIR is set in this stage: it depends on the base image's working directory; set `WORKDIR` first or use an absolute path"),
                );
            }
            _ => {}
        }
    }
}
