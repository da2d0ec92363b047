//! A comment right above FROM or ARG that is not a description of it.

use crate::model::VarKind;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "InvalidDefinitionDescription",
    aliases: &[],
    summary: "Comment above FROM/ARG does not start with the name it describes",
    docs: "## What\nA comment on the line right above a `FROM ... AS name` or an `ARG` whose \
first word is not the stage name or one of the ARG names.\n\n\
## Why\n`docker buildx build --call=outline` and `--call=targets` show the comment right \
above a stage or an ARG as its description when it starts with the name \
(`# VERSION sets the release to build`). A comment there in another shape shows up as a \
garbled description, or hides that the author meant one.\n\n\
BuildKit marks this check experimental (off unless enabled with \
`# check=experimental=InvalidDefinitionDescription`); berth shows it in the editor only. \
Like BuildKit's documentation says, an empty line between the comment and the \
instruction makes it an ordinary comment. berth also leaves pragma comments \
(`# hadolint ignore=...`, `# berth ...`) alone.\n\n\
## Example\n```dockerfile\n# the version to build\nARG VERSION=1.2\n```\n\n\
## Fix\nStart the comment with the name (`# VERSION is the version to build`), or put an \
empty line between the comment and the instruction.",
    severity: Severity::Warning,
    category: Category::Style,
    default: Default::Off,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for ins in &m.instructions {
        let names: Vec<&str> = match ins.kind {
            Keyword::From => {
                let Some(name) = ins.stage.and_then(|s| m.stages.get(s)?.name.as_deref()) else {
                    continue;
                };
                vec![name]
            }
            Keyword::Arg => m
                .decls
                .iter()
                .filter(|d| d.instruction == ins.index && d.kind == VarKind::Arg)
                .map(|d| d.name.as_str())
                .collect(),
            _ => continue,
        };
        if names.is_empty() {
            continue;
        }
        let Some(comment) = comment_above(ctx, ins.range.start) else {
            continue;
        };
        // BuildKit drops the one `#` and trims the rest.
        let body = comment.slice(ctx.text);
        let body = body.strip_prefix('#').unwrap_or(body).trim();
        if body.is_empty()
            || body.starts_with("hadolint ")
            || body.starts_with("hadolint\t")
            || body.starts_with("berth ")
        {
            continue;
        }
        let first = body.split(' ').next().unwrap_or("");
        if names.contains(&first) {
            continue;
        }
        let what = if ins.kind == Keyword::From {
            "stage"
        } else {
            "ARG"
        };
        let example = if names.len() == 1 { names[0] } else { "<name>" };
        acc.push(
            &META,
            comment,
            format!(
                "this comment is read as the description of {what} `{}`, but does not start with its name: write `# {example} <description>`, or put an empty line before the {}",
                names.join("`, `"),
                ins.kind.name()
            ),
        );
    }
}

/// The whole-line comment on the line right above offset `start`.
fn comment_above(ctx: &Ctx, start: u32) -> Option<TextRange> {
    let text = ctx.text;
    let line_start = text.get(..start as usize)?.rfind('\n')?;
    // `line_start` is the newline ending the previous line.
    let prev_end = if line_start > 0 && text.as_bytes().get(line_start - 1) == Some(&b'\r') {
        line_start - 1
    } else {
        line_start
    };
    let comments = &ctx.model.comments;
    let i = comments.partition_point(|c| (c.range.end as usize) < prev_end);
    let c = comments.get(i)?;
    (c.range.end as usize == prev_end && !c.in_continuation).then_some(c.range)
}
