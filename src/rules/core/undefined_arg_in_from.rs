//! A FROM line using a variable no global ARG declares.

use crate::model::{closest, is_platform_arg, UseContext};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "UndefinedArgInFrom",
    aliases: &[],
    summary: "FROM uses a variable that no ARG before the first FROM declares",
    docs: "## What\nA `$VAR` in a `FROM` line (image or `--platform`) that is neither declared by \
an `ARG` before the first `FROM` nor one of BuildKit's predefined platform ARGs.\n\n\
## Why\nOnly global ARGs are visible in FROM lines: the variable expands to an empty string \
unless passed with `--build-arg`, which usually leaves an invalid image name.\n\n\
## Example\n```dockerfile\nFROM node:${NODE_VERSION}-alpine\n```\n\n## Fix\nDeclare it \
before the first FROM, with a default: `ARG NODE_VERSION=22`.",
    severity: Severity::Warning,
    category: Category::Variables,
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
    for u in &m.uses {
        if u.context != UseContext::From || u.decl.is_some() {
            continue;
        }
        if is_platform_arg(&u.name) {
            continue;
        }
        let globals = m.global_args().map(|d| d.name.as_str());
        let hint = closest(&u.name, globals)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_else(|| {
                format!(
                    "; declare it before the first FROM: `ARG {}=<default>`",
                    u.name
                )
            });
        acc.push(
            &META,
            u.name_range,
            format!("FROM uses `{}`, which no global ARG declares{hint}", u.name),
        );
    }
}
