//! DL3028: `gem install` of a gem without a version.

use crate::rules::packages::util::{check_package, has_opt, operands, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3028",
    aliases: &[],
    summary: "gem install without a pinned version",
    docs: "## What\nA gem named in `gem install` without a version.\n\n\
## Why\nRubyGems installs the newest release at build time: rebuilding can pull a new major \
version.\n\n\
## Example\n```dockerfile\nFROM ruby:3.3\nRUN gem install bundler\n```\n\n\
## Fix\n`gem install bundler:2.5.16`, or `gem install bundler -v 2.5.16` (a command with \
`-v`/`--version` is fine). berth knows which `gem install` options take a value \
(`--install-dir`, `--source`...); hadolint skips the word after every option, so it misses \
`gem install --no-document rails`.",
    severity: Severity::Warning,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

const GEM_OPTS: ValueOpts = ValueOpts {
    short: "vsinPgp",
    long: &[
        "version",
        "source",
        "install-dir",
        "bindir",
        "trust-policy",
        "file",
        "platform",
        "http-proxy",
        "build-root",
        "target-rbconfig",
        "config-file",
    ],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands_named(&["gem"]) {
        let ops = operands(cmd, GEM_OPTS);
        if ops
            .first()
            .is_none_or(|s| s.value != "install" && s.value != "i")
        {
            continue;
        }
        if has_opt(cmd, "v", &["version"]) {
            continue;
        }
        let before_dashes = cmd
            .args
            .iter()
            .find(|a| a.value == "--")
            .map_or(u32::MAX, |a| a.range.start);
        for p in ops.iter().skip(1) {
            if p.range.start >= before_dashes {
                continue;
            }
            check_package(ctx, acc, &META, ins.index, p, &|g| g.contains(':'), &|n| {
                format!("`{n}:<version>`")
            });
        }
    }
}
