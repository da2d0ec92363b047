//! Shell-form CMD and ENTRYPOINT.

use crate::model::Form;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::TextEdit;

use super::util::chain;

pub static META: RuleMeta = RuleMeta {
    code: "JSONArgsRecommended",
    aliases: &["DL3025"],
    summary: "CMD and ENTRYPOINT should use the JSON (exec) form",
    docs: "## What\nA `CMD` or `ENTRYPOINT` in shell form (`CMD node server.js`) in a stage \
that never sets `SHELL`.\n\n\
## Why\nThe shell form runs the command as `/bin/sh -c \"...\"`: the shell is PID 1 and does \
not forward signals, so `docker stop` cannot stop the program gracefully and waits for the \
timeout before killing it.\n\n\
A `SHELL` instruction in the stage (or in a stage it is built `FROM`) silences the rule, \
as in BuildKit: choosing a shell says the shell form is intended. hadolint's DL3025 \
ignores `SHELL` and also reports shell-form `HEALTHCHECK CMD`; berth follows BuildKit.\n\n\
## Example\n```dockerfile\nFROM node:22-slim\nCMD node server.js\n```\n\n\
## Fix\nUse the exec form: `CMD [\"node\", \"server.js\"]`. If you need shell features \
(variables, `&&`, pipes), put them in a script and run the script in exec form; or, if \
the shell form is intended, say so with a `SHELL` instruction.",
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
    for ins in &m.instructions {
        if !matches!(ins.kind, Keyword::Cmd | Keyword::Entrypoint) || ins.form != Form::Shell {
            continue;
        }
        let Some(stage) = ins.stage else { continue };
        if ins.args.is_empty() && ins.heredocs.is_empty() {
            continue; // a syntax error, reported elsewhere
        }
        let shell_set = chain(m, stage).any(|s| {
            let st = &m.stages[s];
            let end = if s == stage {
                ins.index
            } else {
                st.instructions.end
            };
            m.instructions[st.instructions.start..end.max(st.instructions.start)]
                .iter()
                .any(|i| i.kind == Keyword::Shell)
        });
        if shell_set {
            continue;
        }
        let kw = ins.kind.name();
        let range = if ins.args_range.is_empty() {
            ins.keyword.range
        } else {
            ins.args_range
        };
        let d = acc.push(
            &META,
            range,
            format!(
                "{kw} in shell form runs under `/bin/sh -c`, which does not pass signals on to the program: write it as a JSON array, e.g. `{kw} [\"executable\", \"arg\"]`"
            ),
        );
        // Unsafe: no shell any more, and an exec-form ENTRYPOINT receives
        // CMD as arguments where the shell form ignored them.
        if let Some(json) = plain_exec_form(ctx.text, ins) {
            d.fix(
                format!("Write `{kw} {json}`"),
                Safety::Unsafe,
                vec![TextEdit::replace(ins.args_range, json.clone())],
            );
        }
    }
}

/// The exec form of a shell-form instruction whose command uses no shell
/// syntax at all (`/app --port 8080` → `["/app", "--port", "8080"]`): then
/// the words are exactly what `sh -c` would run, and the program becomes
/// PID 1 and gets signals. (Wrapping in `["sh", "-c", "..."]` would keep
/// sh in between.) `None` when the command needs a shell.
pub(crate) fn plain_exec_form(text: &str, ins: &crate::model::Instruction) -> Option<String> {
    let words: Vec<&str> = ins
        .args_range
        .slice(text)
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    let plain = ins.heredocs.is_empty()
        && !words.is_empty()
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c))
        });
    plain.then(|| {
        format!(
            "[{}]",
            words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}
