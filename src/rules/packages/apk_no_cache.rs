//! DL3019: `apk add` without `--no-cache`.

use crate::rules::packages::apk_pin::APK_OPTS;
use crate::rules::packages::util::{cache_mount_covers, has_opt, span, subcommand};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "DL3019",
    aliases: &[],
    summary: "apk add without --no-cache",
    docs: "## What\n`apk add` without `--no-cache`, in a `RUN` without a cache or tmpfs mount of \
apk's cache (`/var/cache/apk`, its link `/etc/apk/cache`, or a directory above them).\n\n\
## Why\nWithout it apk keeps the downloaded index in `/var/cache/apk` inside the layer; \
`--no-cache` fetches the index on the fly and leaves nothing behind, so neither \
`apk update` nor `rm -rf /var/cache/apk/*` is needed.\n\n\
## Example\n```dockerfile\nFROM alpine:3.20\nRUN apk update && apk add curl\n```\n\n\
## Fix\n`RUN apk add --no-cache curl`, or keep the cache out of the image with \
`RUN --mount=type=cache,target=/var/cache/apk apk add curl`.",
    severity: Severity::Info,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

/// apk's cache: a cache mount there is the better answer to the finding
/// (the index is kept between builds and never enters the image).
const CACHE_DIRS: &[&str] = &["/var/cache/apk", "/etc/apk/cache"];

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands_named(&["apk"]) {
        let Some(sub) = subcommand(cmd, APK_OPTS).filter(|s| s.value == "add") else {
            continue;
        };
        if has_opt(cmd, "", &["no-cache"]) || cache_mount_covers(ins, CACHE_DIRS) {
            continue;
        }
        acc.push(
            &META,
            span(cmd, sub),
            "`apk add` leaves its index in /var/cache/apk: add `--no-cache`",
        )
        .fix(
            "Add `--no-cache`",
            Safety::Safe,
            vec![TextEdit::insert(sub.range.end, " --no-cache")],
        );
    }
}
