//! DL3067: COPY of a whole filesystem from another stage or image.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::drop_quotes;

pub static META: RuleMeta = RuleMeta {
    code: "DL3067",
    aliases: &[],
    summary: "COPY --from of the entire filesystem `/` to `/`",
    docs: "## What\nA `COPY --from=<stage or image>` that copies `/` to `/`: the whole \
filesystem of the other stage over this one.\n\n\
## Why\nIt copies everything: package databases, caches, `/etc`, the toolchain the \
multi-stage build was meant to leave behind. The image is as large as the source stage, \
and files of this stage are silently overwritten.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS build\nRUN go build -o /out/app .\n\
FROM gcr.io/distroless/static\nCOPY --from=build / /\n```\n\n\
## Fix\nCopy only what the image needs: `COPY --from=build /out/app /app`.",
    severity: Severity::Warning,
    category: Category::Stages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in ctx
        .model
        .instructions
        .iter()
        .filter(|i| i.kind == Keyword::Copy)
    {
        let Some(from) = ins.flag("from") else {
            continue;
        };
        let Some((dest, sources)) = ins.args.split_last() else {
            continue;
        };
        if drop_quotes(&dest.value) != "/" {
            continue;
        }
        for src in sources.iter().filter(|s| drop_quotes(&s.value) == "/") {
            acc.push(
                &META,
                src.range,
                format!(
                    "copies the whole filesystem of `{}` over this one: copy only the paths the image needs",
                    from.value.as_deref().unwrap_or("")
                ),
            );
        }
    }
}
