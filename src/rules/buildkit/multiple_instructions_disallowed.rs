//! More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, Tag, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "MultipleInstructionsDisallowed",
    aliases: &["DL4003", "DL4004", "DL3012"],
    summary: "More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage",
    docs: "## What\nA stage with several `CMD`, several `ENTRYPOINT` or several `HEALTHCHECK` \
instructions. Every one but the last is reported.\n\n\
## Why\nAn image has one command, one entrypoint and one health check: each instruction \
replaces the previous one, so only the last of each kind has any effect. The others \
mislead the reader. A stage built `FROM` another stage may override the base's `CMD`: \
only instructions of one stage are compared.\n\n\
berth follows BuildKit and marks the instructions that are overridden. hadolint marks \
the later ones instead: DL4003 (CMD, a warning), DL4004 (ENTRYPOINT, an error) and DL3012 \
(HEALTHCHECK, an error); any of those codes silences this rule.\n\n\
## Example\n```dockerfile\nFROM alpine\nCMD [\"echo\", \"one\"]\nCMD [\"echo\", \"two\"]\n```\n\n\
## Fix\nKeep only the last instruction of each kind, or merge what the earlier ones did \
into it.",
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
    let m = ctx.model;
    for st in &m.stages {
        let stage_ins = &m.instructions[st.instructions.clone()];
        // An instruction BuildKit rejects is reported as such, not counted.
        let valid = |i: &&crate::model::Instruction| {
            !m.problems.iter().any(|p| i.range.contains_range(p.range))
        };
        for kind in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            // The kind first: `valid` scans every problem of the file.
            let of_kind = || stage_ins.iter().filter(|i| i.kind == kind).filter(valid);
            let Some(last) = of_kind().next_back() else {
                continue;
            };
            let kw = kind.name();
            for ins in of_kind().filter(|i| i.index != last.index) {
                let range = TextRange::new(
                    ins.keyword.range.start,
                    ins.logical_end.max(ins.keyword.range.end),
                );
                acc.push(
                    &META,
                    range,
                    format!(
                        "this {kw} has no effect: a later {kw} in the same stage replaces it; remove it or merge it into the last one"
                    ),
                )
                .related(
                    last.keyword.range,
                    format!("the {kw} that takes effect"),
                )
                .tag(Tag::Unnecessary);
            }
        }
    }
}
