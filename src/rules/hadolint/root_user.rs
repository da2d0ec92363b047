//! DL3002: the image's last USER is root.

use crate::model::Model;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::{chain, image_stages, stage_instructions};

pub static META: RuleMeta = RuleMeta {
    code: "DL3002",
    aliases: &[],
    summary: "The last USER of an image is root",
    docs: "## What\nThe last `USER` instruction that applies to an image switches to `root` (or \
UID `0`), so containers of the image run as root.\n\n\
## Why\nA process running as root in a container is root on anything the container can reach \
(mounted volumes, a kernel bug, a misconfigured runtime). Switching to root for installation \
steps is fine; the image should end on an unprivileged user.\n\n\
berth checks the stages that can become an image: the target and every stage no other stage \
builds on or copies from, following `FROM <stage>` to the stage that set the user. hadolint \
checks the last USER of every stage, so it also reports a builder stage that ends as root but \
only feeds `COPY --from`, or a base stage whose child switches to another user; berth does not.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN useradd -r app\nUSER app\nRUN make\nUSER root\n```\n\n\
## Fix\nEnd the stage with an unprivileged user: `USER app` (or a numeric UID, `USER 10001`).",
    severity: Severity::Warning,
    category: Category::Security,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

/// hadolint's test: `root`, `0`, `root:*`, `0:*`.
fn is_root(user: &str) -> bool {
    user == "root" || user == "0" || user.starts_with("root:") || user.starts_with("0:")
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m: &Model = ctx.model;
    let mut reported = Vec::new();
    for (s, image) in image_stages(m).into_iter().enumerate() {
        if !image {
            continue;
        }
        let last = chain(m, s).find_map(|st| {
            stage_instructions(m, st)
                .iter()
                .rev()
                .find(|i| i.kind == Keyword::User)
                .map(|i| (st, i))
        });
        let Some((from, user)) = last else { continue };
        let Some(arg) = user.args.first() else {
            continue;
        };
        let name = arg.value.trim();
        if !is_root(name) || reported.contains(&user.index) {
            continue;
        }
        reported.push(user.index);
        let msg = if from == s {
            format!("the image runs as `{name}`: end the stage with an unprivileged user (`USER app` or a numeric UID)")
        } else {
            format!(
                "stage `{}` inherits `USER {name}` from stage `{}` and runs as root: switch to an unprivileged user at the end",
                m.stages[s].display_name(),
                m.stages[from].display_name()
            )
        };
        acc.push(&META, arg.range, msg);
    }
}
