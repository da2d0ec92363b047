//! DL1001: an inline `# hadolint ignore=...` pragma.

use crate::rules::{pragmas, Acc, Category, Ctx, Default, PragmaKind, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL1001",
    aliases: &[],
    summary: "Inline ignore pragma (`# hadolint ignore=...`)",
    docs: "## What\nA `# hadolint ignore=CODE` (or `# berth ignore=CODE`) comment that silences rules \
on the next instruction.\n\n\
## Why\nSome teams want every exception recorded in one place (the configuration file) rather \
than scattered through Dockerfiles, where they are easy to add and never revisited. The rule \
is off by default, as in hadolint: turn it on if that is your policy. Global pragmas \
(`# hadolint global ignore=...`) are not reported, as in hadolint.\n\n\
## Example\n```dockerfile\nFROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n```\n\n\
## Fix\nFix the finding, or move the exception to the configuration (`ignored:` in \
`.hadolint.yaml`).",
    severity: Severity::Info,
    category: Category::Style,
    default: Default::Off,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for p in pragmas(ctx.model, ctx.text) {
        if p.kind == PragmaKind::Ignore {
            acc.push(
                &META,
                p.range,
                "inline ignore pragma: fix the finding, or record the exception in the configuration instead",
            );
        }
    }
}
