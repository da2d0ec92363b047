//! The MAINTAINER instruction.

use crate::rules::{
    Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, Tag, RUN_COPY_ADD,
};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

pub static META: RuleMeta = RuleMeta {
    code: "MaintainerDeprecated",
    aliases: &["DL4000"],
    summary: "MAINTAINER is deprecated: use a label",
    docs: "## What\nA `MAINTAINER` instruction.\n\n\
## Why\n`MAINTAINER` is deprecated. Image metadata such as the author belongs in labels, \
where tools look for it (`org.opencontainers.image.authors`).\n\n\
hadolint reports DL4000 as an error; berth reports it as a warning, as BuildKit does.\n\n\
## Example\n```dockerfile\nFROM alpine\nMAINTAINER Jane Doe <jane@example.com>\n```\n\n\
## Fix\n```dockerfile\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n```",
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
        if ins.kind != Keyword::Maintainer {
            continue;
        }
        let author = ins.args.first().map(|w| w.value.trim()).unwrap_or("");
        let label = if author.is_empty() {
            "LABEL org.opencontainers.image.authors=\"...\"".to_string()
        } else {
            format!(
                "LABEL org.opencontainers.image.authors=\"{}\"",
                author.replace('"', "\\\"")
            )
        };
        let range = TextRange::new(
            ins.keyword.range.start,
            ins.logical_end.max(ins.keyword.range.end),
        );
        let d = acc
            .push(
                &META,
                range,
                format!("MAINTAINER is deprecated: use `{label}`"),
            )
            .tag(Tag::Deprecated);
        // No fix inside ONBUILD (the range is the sub-instruction's) or
        // without an author to keep.
        if !author.is_empty() && ins.kind == Keyword::Maintainer {
            let label = label.replace('$', "\\$");
            d.fix(
                format!("Replace with `{label}`"),
                Safety::Safe,
                vec![TextEdit::replace(range, label)],
            );
        }
    }
}
