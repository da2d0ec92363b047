//! AptListsInShippedStage (DL3009): `apt-get update` without removing
//! /var/lib/apt/lists, in a stage whose filesystem is kept.

use crate::model::{Form, Instruction};
use crate::rules::packages::util::{cache_mount_with, operands, stage_is_kept, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::shell::Command;
use crate::syntax::Keyword;
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "AptListsInShippedStage",
    aliases: &["DL3009"],
    summary: "apt package lists left in a stage that ships or is built upon",
    docs: "## What\nA `RUN` that runs `apt-get update` (or `apt update`, `aptitude update`) and \
does not remove `/var/lib/apt/lists` in the same `RUN`, in a stage whose filesystem is kept: \
the stage that is built (the last one, or `--target`), a stage it is built `FROM`, or a stage \
another stage is built `FROM`.\n\n\
## Why\nThe package lists are tens of megabytes the image never needs at run time. They are \
only worth removing where the layer survives: a build stage that is only copied from \
(`COPY --from=build`) never ships its lists, so berth, like hadolint, stays silent there.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n```\n\n\
## Fix\nEnd the same `RUN` with `rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`, apt 2.7+), or keep the lists out of the \
image with a cache mount: `RUN --mount=type=cache,target=/var/lib/apt/lists ...` (a cache or \
tmpfs mount of `/var/lib/apt` together with one of `/var/cache/apt` is fine too).\n\n\
Differences from hadolint: hadolint accepts any `rm -rf` as the cleanup (`rm -rf /tmp/x` \
too); berth wants an `rm` of `/var/lib/apt/lists` (or `/var/lib/apt`) after the update. \
hadolint also reports a stage whose `FROM` line is identical to the last one's; berth \
decides with the stage graph.",
    severity: Severity::Info,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn is_update(cmd: &Command) -> bool {
    matches!(cmd.program(), "apt-get" | "apt" | "aptitude")
        && operands(cmd, ValueOpts::NONE)
            .first()
            .is_some_and(|a| a.value == "update")
}

fn removes_lists(cmd: &Command) -> bool {
    // `apt-get dist-clean` (apt 2.7+) removes the lists too.
    if matches!(cmd.program(), "apt-get" | "apt")
        && operands(cmd, ValueOpts::NONE)
            .first()
            .is_some_and(|a| matches!(a.value.as_str(), "dist-clean" | "distclean"))
    {
        return true;
    }
    cmd.program() == "rm"
        && operands(cmd, ValueOpts::NONE).iter().any(|a| {
            let p = a.value.trim_end_matches('/');
            p.starts_with("/var/lib/apt/lists") || p == "/var/lib/apt" || p == "/var/lib/apt/*"
        })
}

fn is_install(c: &Command) -> bool {
    matches!(c.program(), "apt-get" | "apt" | "aptitude")
        && operands(c, ValueOpts::NONE).first().is_some_and(|a| {
            matches!(
                a.value.as_str(),
                "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" | "source"
            )
        })
}

fn installs_after_last_update(ctx: &Ctx, index: usize) -> bool {
    let mut after_update = false;
    let mut installs = false;
    for c in ctx.scripts(index).iter().flat_map(|s| s.commands.iter()) {
        if is_update(c) {
            after_update = true;
            installs = false;
        } else if after_update && is_install(c) {
            installs = true;
        }
    }
    installs
}

/// A later RUN in this stage, or in a stage built on it, installs with apt
/// without its own update: it needs the lists this RUN leaves.
fn later_install_relies_on_lists(ctx: &Ctx, index: usize) -> bool {
    let m = ctx.model;
    let Some(stage) = m.instructions[index].stage else {
        return false;
    };
    let descends = |s: usize| {
        let mut cur = s;
        loop {
            if cur == stage {
                return true;
            }
            match m.stages[cur].base {
                crate::model::Base::Stage(b) if b < cur => cur = b,
                _ => return false,
            }
        }
    };
    m.instructions[index + 1..]
        .iter()
        .filter(|i| i.stage.is_some_and(descends))
        .any(|i| {
            let commands: Vec<&Command> = ctx
                .scripts(i.index)
                .iter()
                .flat_map(|s| s.commands.iter())
                .collect();
            let first_install = commands.iter().position(|c| is_install(c));
            let first_update = commands.iter().position(|c| is_update(c));
            match (first_install, first_update) {
                (Some(inst), Some(upd)) => inst < upd,
                (Some(_), None) => true,
                _ => false,
            }
        })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for ins in &m.instructions {
        let Some(stage) = ins.stage else { continue };
        // An ONBUILD trigger runs in the image built FROM this one: kept.
        if ins.kind != Keyword::Onbuild && !stage_is_kept(ctx, stage) {
            continue;
        }
        if cache_mount_with(ins, "/var/lib/apt/lists")
            || (cache_mount_with(ins, "/var/lib/apt") && cache_mount_with(ins, "/var/cache/apt"))
        {
            continue;
        }
        // The cleanup may be in any script of the RUN (a heredoc body too),
        // after the last update.
        let mut last_update = None;
        let mut cleaned_after = false;
        for s in ctx.scripts(ins.index) {
            for c in &s.commands {
                if is_update(c) {
                    last_update = Some(c);
                    cleaned_after = false;
                } else if last_update.is_some() && removes_lists(c) {
                    cleaned_after = true;
                }
            }
        }
        let Some(update) = last_update else { continue };
        if cleaned_after {
            continue;
        }
        let first_update = ctx
            .scripts(ins.index)
            .iter()
            .flat_map(|s| s.commands.iter())
            .find(|c| is_update(c))
            .unwrap_or(update);
        let word = operands(first_update, ValueOpts::NONE)
            .first()
            .map(|a| a.range)
            .unwrap_or(first_update.name.range);
        let shipped = if ins.kind == Keyword::Onbuild {
            "an ONBUILD trigger runs in the image built from this one"
        } else if ctx.ships(stage) {
            "the stage ships in the image"
        } else {
            "the stage is built upon"
        };
        let d = acc.push(
            &META,
            first_update.name.range.cover(word),
            format!(
                "the apt package lists stay in this layer ({shipped}): end this RUN \
with `rm -rf /var/lib/apt/lists/*` or use `--mount=type=cache,target=/var/lib/apt/lists`"
            ),
        );
        // Removing the lists is only harmless when this RUN installs after
        // its update and nothing later relies on the lists: otherwise the
        // fix would break the build (merge the RUNs instead).
        if !installs_after_last_update(ctx, ins.index)
            || later_install_relies_on_lists(ctx, ins.index)
        {
            continue;
        }
        if let Some(edit) = cleanup_edit(ctx, ins) {
            d.fix(
                "Append `&& rm -rf /var/lib/apt/lists/*`",
                Safety::Safe,
                vec![edit],
            );
        }
    }
}

/// Append the cleanup at the end of a plain shell-form RUN (no heredoc):
/// only when its last command ends the text, so that `&&` chains onto the
/// whole script (a trailing `;` gets the command without `&&`).
fn cleanup_edit(ctx: &Ctx, ins: &Instruction) -> Option<TextEdit> {
    if ins.kind != Keyword::Run || ins.form != Form::Shell || !ins.heredocs.is_empty() {
        return None;
    }
    let scripts = ctx.scripts(ins.index);
    let [script] = scripts else { return None };
    if script.has_error {
        return None;
    }
    let last = script.commands.iter().map(|c| c.range.end).max()?;
    let text = ins.args_range.slice(ctx.text);
    let body = text.trim_end();
    let end = ins.args_range.start + body.len() as u32;
    if end == last {
        Some(TextEdit::insert(end, " && rm -rf /var/lib/apt/lists/*"))
    } else if body.ends_with(';')
        && !body.ends_with(";;")
        && ctx.text[last as usize..end as usize].trim() == ";"
    {
        Some(TextEdit::insert(end, " rm -rf /var/lib/apt/lists/*"))
    } else {
        None
    }
}
