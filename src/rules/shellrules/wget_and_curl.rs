//! DL4001: both wget and curl in one stage.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "DL4001",
    aliases: &[],
    summary: "both wget and curl used in one stage",
    docs: "## What\n`RUN` instructions of one stage that use `wget` and others (or the same) \
that use `curl`. Once both have been used, every `RUN` of the stage that uses either is \
reported, as in hadolint.\n\n\
## Why\nTwo download tools do the same job: the image carries both (and their libraries), \
and the scripts are harder to read and to secure consistently.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN curl -fsSLO https://example.com/a.tar.gz\nRUN wget -q https://example.com/b.tar.gz\n```\n\n\
## Fix\nPick one tool for the stage (often the one the base image already has) and use it \
everywhere.",
    severity: Severity::Warning,
    category: Category::Shell,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for stage in &m.stages {
        // Plain RUNs, then ONBUILD RUNs (they run in another build).
        for onbuild in [false, true] {
            // First use of each tool: [curl, wget].
            let mut first: [Option<TextRange>; 2] = [None, None];
            for ins in m
                .instructions
                .get(stage.instructions.clone())
                .unwrap_or(&[])
            {
                if (ins.kind == Keyword::Onbuild) != onbuild {
                    continue;
                }
                let mut here: Option<(usize, TextRange)> = None;
                for cmd in ctx
                    .scripts(ins.index)
                    .iter()
                    .flat_map(|s| s.commands.iter())
                {
                    let tool = match cmd.program() {
                        "curl" => 0,
                        "wget" => 1,
                        _ => continue,
                    };
                    first[tool].get_or_insert(cmd.name.range);
                    here.get_or_insert((tool, cmd.name.range));
                }
                let (Some((tool, range)), Some(_), Some(_)) = (here, first[0], first[1]) else {
                    continue;
                };
                let (this, other) = if tool == 0 {
                    ("curl", "wget")
                } else {
                    ("wget", "curl")
                };
                let other_at = first[1 - tool].unwrap_or(range);
                acc.push(
                    &META,
                    range,
                    format!("this stage uses both `{this}` and `{other}`: use one of them"),
                )
                .related(other_at, format!("`{other}` is used here"));
            }
        }
    }
}
