//! `ENV key value` and `LABEL key value`.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

pub static META: RuleMeta = RuleMeta {
    code: "LegacyKeyValueFormat",
    aliases: &[],
    summary: "`ENV key value` / `LABEL key value`: use `key=value`",
    docs: "## What\nAn `ENV` or `LABEL` in the legacy form with a space between key and value: \
`ENV key value`.\n\n\
## Why\nThe legacy form is deprecated. It sets one variable to the whole rest of the line, \
spaces and quotes included, which is easy to misread: `ENV A 1 B 2` sets `A` to `1 B 2`.\n\n\
As in BuildKit, `ARG` is not concerned: `ARG a b` declares two arguments.\n\n\
## Example\n```dockerfile\nENV JAVA_HOME /opt/java\nLABEL maintainer jane@example.com\n```\n\n\
## Fix\nUse `key=value`, quoting a value with spaces: `ENV JAVA_HOME=/opt/java`, \
`ENV OPTS=\"-Xmx1g -Xms1g\"`. On a continued value, mind that spaces at the start of \
continuation lines are kept inside the quotes.",
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
        if !matches!(ins.kind, Keyword::Env | Keyword::Label) {
            continue;
        }
        let Some(first) = ins.args.first() else {
            continue;
        };
        if first.value.contains('=') || ins.args.len() < 2 {
            continue; // key=value form, or a syntax error reported elsewhere
        }
        let kw = ins.kind.name();
        let key = &first.value;
        let value = ins
            .args_range
            .slice(ctx.text)
            .get(first.raw.len()..)
            .unwrap_or("")
            .trim();
        let spaced = value.contains(char::is_whitespace) && !value.starts_with('"');
        let suggestion = if value.len() > 40 || value.contains('\n') {
            if spaced {
                format!("{kw} {key}=\"<value>\"")
            } else {
                format!("{kw} {key}=<value>")
            }
        } else if spaced {
            format!("{kw} {key}=\"{}\"", value.replace('"', "\\\""))
        } else {
            format!("{kw} {key}={value}")
        };
        let d = acc.push(
            &META,
            first.range,
            format!("`{kw} {key} <value>` is the legacy form: write `{suggestion}`"),
        );
        // Rewrite only a one-line value without quotes or escapes, where
        // `key="value"` means exactly the same.
        let plain = !value.is_empty()
            && first.raw == first.value
            && !value.contains(['"', '\'', '\\', '`', '\n', '\r']);
        if plain {
            let new = if value.contains(char::is_whitespace) {
                format!("{key}=\"{value}\"")
            } else {
                format!("{key}={value}")
            };
            let end = first.range.start as usize
                + ctx.text[first.range.start as usize..ins.args_range.end as usize]
                    .trim_end()
                    .len();
            d.fix(
                format!("Write `{kw} {new}`"),
                Safety::Safe,
                vec![TextEdit::replace(
                    TextRange::from_usize(first.range.start as usize, end),
                    new.clone(),
                )],
            );
        }
    }
}
