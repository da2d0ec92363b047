//! `EXPOSE 80/TCP`.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::TextEdit;

use super::expose::ports;

pub static META: RuleMeta = RuleMeta {
    code: "ExposeProtoCasing",
    aliases: &[],
    summary: "EXPOSE protocol should be lower case",
    docs: "## What\nAn `EXPOSE` port whose protocol is not written in lower case: `80/TCP`.\n\n\
## Why\nThe protocol is case-insensitive for the build, which lower-cases it, but the \
written form then differs from what the image records and from what other tools print.\n\n\
## Example\n```dockerfile\nEXPOSE 53/UDP\n```\n\n## Fix\nWrite `EXPOSE 53/udp`.",
    severity: Severity::Warning,
    category: Category::Style,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in &ctx.model.instructions {
        if ins.kind != Keyword::Expose {
            continue;
        }
        for p in ports(ins) {
            let Some((proto, range)) = p.proto else {
                continue;
            };
            let lower = proto.to_ascii_lowercase();
            if proto != lower {
                acc.push(
                    &META,
                    range,
                    format!(
                        "protocol `{proto}` in `{}` should be lower case: write `{lower}`",
                        p.text
                    ),
                )
                .fix(
                    format!("Write `{lower}`"),
                    Safety::Safe,
                    vec![TextEdit::replace(range, lower.clone())],
                );
            }
        }
    }
}
