//! DL3059: consecutive RUN instructions of one command each.

use crate::model::{Form, Instruction};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub static META: RuleMeta = RuleMeta {
    code: "DL3059",
    aliases: &[],
    summary: "Consecutive RUN instructions that could be one",
    docs: "## What\nA `RUN` right after another `RUN` (comments between them do not count) when \
both run a single command and have the same flags (`--mount`, `--network`, `--security`).\n\n\
## Why\nEach `RUN` makes a layer. Two single commands in a row (`RUN apt-get update` then \
`RUN apt-get install ...`) are usually one step split by accident: merged, the image has one \
layer less and the steps cannot go out of sync in the build cache.\n\n\
As in hadolint, a `RUN` that already chains several commands (`a && b`, `a; b`, a pipe) is \
taken as a deliberate split and not reported, nor is a `RUN` with different flags. Exec \
form counts as one command; in a PowerShell or cmd stage, commands are counted by their \
`;`, `&&`, `|` separators.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n```\n\n\
## Fix\nMerge them: `RUN apt-get update && apt-get install -y --no-install-recommends curl`.",
    severity: Severity::Info,
    category: Category::Style,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

/// The simple commands a RUN runs. Exec form runs one; a shell-form RUN
/// in a PowerShell or cmd stage counts its `;`, `&`, `|` separators (as
/// hadolint does, which reads every RUN as bash).
fn commands(ctx: &Ctx, ins: &Instruction) -> usize {
    let scripts = ctx.scripts(ins.index);
    if !scripts.is_empty() {
        return scripts
            .iter()
            .flat_map(|s| &s.commands)
            .filter(|c| !c.name.value.is_empty())
            .count();
    }
    if ins.form == Form::Exec {
        return 1;
    }
    let text = ins.args.first().map_or("", |w| w.raw.as_str());
    // Non-blank pieces between `;`, `&`, `|` outside quotes.
    let mut quote = None;
    let mut pieces = 0;
    let mut blank = true;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                blank = false;
            }
            None if matches!(c, ';' | '&' | '|') => {
                pieces += usize::from(!blank);
                blank = true;
            }
            None => blank &= c.is_whitespace(),
        }
    }
    (pieces + usize::from(!blank)).max(1)
}

fn flags(ins: &Instruction) -> Vec<(&str, Option<&str>)> {
    let mut f: Vec<_> = ins
        .flags
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_deref()))
        .collect();
    f.sort_unstable();
    f
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let ins = &ctx.model.instructions;
    for pair in ins.windows(2) {
        let [prev, cur] = pair else { continue };
        if prev.kind != Keyword::Run || cur.kind != Keyword::Run {
            continue;
        }
        if flags(prev) != flags(cur) || commands(ctx, prev) > 1 || commands(ctx, cur) > 1 {
            continue;
        }
        acc.push(
            &META,
            cur.keyword.range,
            "this RUN follows another RUN of one command: merge them with `&&` to save a layer",
        )
        .related(prev.keyword.range, "the previous RUN");
    }
}
