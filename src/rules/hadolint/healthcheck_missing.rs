//! DL3057: an image without a HEALTHCHECK.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::{chain, image_stages, stage_instructions};

pub static META: RuleMeta = RuleMeta {
    code: "DL3057",
    aliases: &[],
    summary: "An image without a HEALTHCHECK",
    docs: "## What\nAn image with no `HEALTHCHECK` instruction, neither in its stage nor in the \
stages it is built `FROM`. `HEALTHCHECK NONE` counts: it states that no check is wanted. \
Off by default, as in hadolint.\n\n\
## Why\nWithout a health check, Docker and Swarm only know whether the process is running, \
not whether it answers; a hung server stays \"up\". (Kubernetes ignores HEALTHCHECK and uses \
its own probes, which is why the rule is off by default.)\n\n\
berth checks the stages that can become an image: the target and every stage no other \
stage builds on or copies from. hadolint reports every stage without a health check in its \
chain, builder stages included, which nobody runs as a container.\n\n\
## Example\n```dockerfile\nFROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n```\n\n\
## Fix\nAdd a check, e.g. `HEALTHCHECK CMD curl -fs http://localhost/ || exit 1`, or \
`HEALTHCHECK NONE` when the image deliberately has none.",
    severity: Severity::Info,
    category: Category::BestPractice,
    default: Default::Off,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let has: Vec<bool> = (0..m.stages.len())
        .map(|s| {
            stage_instructions(m, s)
                .iter()
                .any(|i| i.kind == Keyword::Healthcheck)
        })
        .collect();
    for (s, image) in image_stages(m).into_iter().enumerate() {
        if !image || chain(m, s).any(|st| has[st]) {
            continue;
        }
        let Some(from) = m.instructions.get(m.stages[s].from) else {
            continue;
        };
        acc.push(
            &META,
            from.range,
            format!(
                "image `{}` has no HEALTHCHECK: add `HEALTHCHECK CMD <command>` (or `HEALTHCHECK NONE`)",
                m.stages[s].display_name()
            ),
        );
    }
}
