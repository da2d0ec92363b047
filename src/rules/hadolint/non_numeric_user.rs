//! DL3066: USER with a user name instead of a numeric UID.

use crate::model::VarKind;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "DL3066",
    aliases: &[],
    summary: "USER with a name instead of a numeric UID",
    docs: "## What\nA `USER` whose user part (before any `:group`) is a name (`USER app`, \
`USER root`) rather than a numeric UID (`USER 10001`). A user given by a variable that an \
`ARG` declares is not reported, as in hadolint.\n\n\
## Why\nThe name is resolved inside the container from `/etc/passwd`; the host and the \
orchestrator only see numbers. Kubernetes' `runAsNonRoot` cannot verify a named user and \
refuses to start the pod, and a volume's ownership is only meaningful as a UID.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN useradd -r -u 10001 app\nUSER app\n```\n\n\
## Fix\nUse the UID (and GID) the user was created with: `USER 10001:10001`.",
    severity: Severity::Info,
    category: Category::Security,
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
    for ins in m.instructions.iter().filter(|i| i.kind == Keyword::User) {
        let Some(arg) = ins.args.first() else {
            continue;
        };
        let text = arg.value.as_str();
        let uid = text.split(':').next().unwrap_or("");
        if uid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // hadolint: a `$NAME` / `${NAME}` of any ARG declared above.
        let from_arg = text.contains('$')
            && m.decls
                .iter()
                .take_while(|d| d.instruction < ins.index)
                .any(|d| {
                    d.kind == VarKind::Arg
                        && (text.contains(&format!("${{{}}}", d.name))
                            || text.contains(&format!("${}", d.name)))
                });
        if from_arg {
            continue;
        }
        let range = if arg.range.len() as usize == text.len() {
            TextRange::new(arg.range.start, arg.range.start + uid.len() as u32)
        } else {
            arg.range
        };
        acc.push(
            &META,
            range,
            format!("`{uid}` is a user name, resolved only inside the container: use its numeric UID (`USER <uid>:<gid>`)"),
        );
    }
}
