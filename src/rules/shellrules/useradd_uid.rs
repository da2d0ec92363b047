//! DL3046: `useradd` with a high UID and without `-l`.

use crate::model::vars_visible;
use crate::rules::packages::util::{has_opt, opt_values, shell_vars};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3046",
    aliases: &[],
    summary: "useradd with a high UID and without -l",
    docs: "## What\n`useradd -u <uid>` with a UID of six digits or more (100000 and up), \
without `-l` / `--no-log-init`.\n\n\
## Why\n`useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files \
indexed by UID: for a high UID they become sparse files of gigabytes, which the layer stores \
in full.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN useradd -u 123456 app\n```\n\n\
## Fix\n`useradd --no-log-init -u 123456 app` (or `-l`). berth reads the UID from `-u`, \
`--uid` and `--uid=`, and resolves a variable from the ARG or ENV default in scope; \
hadolint only reads `-u` and counts the characters of the word, so it reports \
`-u ${UID}` whatever its value.",
    severity: Severity::Warning,
    category: Category::Shell,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

fn high(uid: &str) -> bool {
    uid.len() > 5 && uid.bytes().all(|b| b.is_ascii_digit())
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for (ins, cmd) in ctx.commands_named(&["useradd"]) {
        if cmd.program() != "useradd" || has_opt(cmd, "l", &["no-log-init"]) {
            continue;
        }
        for (value, arg) in opt_values(cmd, 'u', "uid") {
            let uid = if value.contains('$') {
                // `$UID` or `${UID}` alone: its declared default.
                let mut names = shell_vars(&value);
                let (Some(name), None) = (names.next(), names.next()) else {
                    continue;
                };
                let bare = value.trim_matches(['$', '{', '}', '"']);
                if bare != name {
                    continue;
                }
                let visible = vars_visible(m, ins.index);
                let Some(v) = visible
                    .iter()
                    .filter_map(|&d| m.decls.get(d))
                    .find(|d| d.name == name)
                    .and_then(|d| d.value.clone())
                else {
                    continue;
                };
                v
            } else {
                value
            };
            if high(&uid) {
                acc.push(
                    &META,
                    arg.range,
                    format!(
                        "UID {uid} without `--no-log-init`: useradd writes sparse lastlog and \
faillog files of gigabytes into the layer; add `-l`"
                    ),
                );
            }
        }
    }
}
