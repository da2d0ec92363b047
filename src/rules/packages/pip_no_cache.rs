//! DL3042: `pip install` without `--no-cache-dir`.

use crate::model::vars_visible;
use crate::rules::packages::util::{cache_mount_covers, pip_install, truthy};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::shell::Script;
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "DL3042",
    aliases: &[],
    summary: "pip install without --no-cache-dir",
    docs: "## What\n`pip install` (or `python -m pip install`) without `--no-cache-dir`, unless \
pip's cache is already off or kept out of the image: `PIP_NO_CACHE_DIR` set to a true value \
(`1`, `true`, `on`, `yes`) by an `ENV` or `ARG` of the stage (or of the stage it is built \
`FROM`) or in the `RUN` itself, or a cache/tmpfs mount of pip's cache (`~/.cache/pip` of root or any user, or the `.cache` \
above it).\n\n\
## Why\npip keeps a copy of every downloaded wheel in `~/.cache/pip`; in an image that copy \
is dead weight in the layer.\n\n\
## Example\n```dockerfile\nFROM python:3.12-slim\nRUN pip install flask==3.0.3\n```\n\n\
## Fix\n`pip install --no-cache-dir flask==3.0.3`, `ENV PIP_NO_CACHE_DIR=1` once in the \
stage, or `RUN --mount=type=cache,target=/root/.cache/pip pip install ...` (the cache then \
speeds up rebuilds without entering the image). `pipx` and `pipenv` are not checked. \
Unlike hadolint, berth also honours an `ARG PIP_NO_CACHE_DIR=1` (the shell sees build \
arguments as variables).",
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

/// `PIP_NO_CACHE_DIR=1` set in the RUN: a prefix assignment, a bare
/// assignment or `export`.
fn set_in_run(scripts: &[Script]) -> bool {
    scripts.iter().flat_map(|s| s.commands.iter()).any(|c| {
        c.env
            .iter()
            .any(|(k, v)| k == "PIP_NO_CACHE_DIR" && truthy(v))
            || (matches!(c.program(), "export" | "declare" | "typeset")
                && c.args.iter().any(|a| {
                    a.value
                        .strip_prefix("PIP_NO_CACHE_DIR=")
                        .is_some_and(truthy)
                }))
    })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for ins in &m.instructions {
        let scripts = ctx.scripts(ins.index);
        if scripts.is_empty() {
            continue;
        }
        let mut set_by_decl = None;
        let mut exempt = None;
        for c in scripts.iter().flat_map(|s| s.commands.iter()) {
            let Some(args) = pip_install(c) else { continue };
            if c.program().contains("pipx") || args.iter().any(|a| a.value == "--no-cache-dir") {
                continue;
            }
            // Looked at only for a RUN that installs: it parses the flags.
            if *exempt.get_or_insert_with(|| {
                cache_mount_covers(ins, &["~/.cache/pip"]) || set_in_run(scripts)
            }) {
                break;
            }
            let set = *set_by_decl.get_or_insert_with(|| {
                vars_visible(m, ins.index).iter().any(|&d| {
                    m.decls.get(d).is_some_and(|d| {
                        d.name == "PIP_NO_CACHE_DIR" && d.value.as_deref().is_some_and(truthy)
                    })
                })
            });
            if set {
                break;
            }
            let install = args.iter().find(|a| a.value == "install");
            let range = install.map_or(c.name.range, |i| c.name.range.cover(i.range));
            let d = acc.push(
                &META,
                range,
                "pip keeps a cache of downloaded packages in the layer: add `--no-cache-dir`",
            );
            if let Some(i) = install {
                d.fix(
                    "Add `--no-cache-dir`",
                    Safety::Safe,
                    vec![TextEdit::insert(i.range.end, " --no-cache-dir")],
                );
            }
        }
    }
}
