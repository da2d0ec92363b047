//! AptListsInShippedStage (DL3009): `apt-get update` without removing
//! /var/lib/apt/lists, in a stage whose filesystem is kept.

use crate::model::{Form, Instruction};
use crate::rules::packages::util::{cache_mount_covers, operands, stage_is_kept, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::shell::Command;
use crate::syntax::{Joined, Keyword};
use crate::text::{TextEdit, TextSize};

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
tmpfs mount of a directory above it, such as `/var/lib/apt`, is fine too).\n\n\
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
        if cache_mount_covers(ins, &["/var/lib/apt/lists"]) {
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

/// Append the cleanup at the end of a plain shell-form RUN (no heredoc),
/// where it runs exactly when what comes before it succeeded. From the
/// last `apt-get update` to the end, the script must be a chain of simple
/// commands joined by `&&`, `;` or pipes (redirections allowed), so that
/// `&& rm ...` chains onto it (after a trailing `;`, the command without
/// `&&`). No fix is offered (the finding stays) when the cleanup would
/// never run or would change what the script means: after a command that
/// ends the shell (`exit`, `exec` with a command, `return`, `logout`),
/// after an `||` alternative (`|| true`, `|| exit 0`: `&&` would bind to
/// the whole alternative), a background `&`, or a compound command
/// (subshell, group, `if`, loop), whose end the cleanup cannot follow.
fn cleanup_edit(ctx: &Ctx, ins: &Instruction) -> Option<TextEdit> {
    if ins.kind != Keyword::Run || ins.form != Form::Shell || !ins.heredocs.is_empty() {
        return None;
    }
    let scripts = ctx.scripts(ins.index);
    let [script] = scripts else { return None };
    if script.has_error {
        return None;
    }
    // The script's own commands, not those inside another command's words
    // (`$(...)`): in source order, a command inside another follows it.
    let mut outer: Vec<&Command> = Vec::new();
    for c in &script.commands {
        if outer
            .last()
            .is_some_and(|o| o.range.contains_range(c.range))
        {
            continue;
        }
        outer.push(c);
    }
    let from = outer.iter().rposition(|c| is_update(c))?;
    let tail = &outer[from..];
    if tail.iter().any(|c| ends_shell(c)) {
        return None;
    }
    let j = &ins.joined;
    let at = |offset| joined_offset(j, offset);
    for pair in tail.windows(2) {
        let gap = j
            .text
            .get(at(pair[0].range.end)?..at(pair[1].range.start)?)?;
        // Two commands have an operator between them.
        if plain_gap(gap)? == Ending::Open {
            return None;
        }
    }
    let last = tail.last()?;
    let body_end = ins.args_range.start + ins.args_range.slice(ctx.text).trim_end().len() as u32;
    let rest = j.text.get(at(last.range.end)?..at(body_end)?)?;
    match plain_gap(rest)? {
        // After the last command or its redirections.
        Ending::Open => Some(TextEdit::insert(
            body_end,
            " && rm -rf /var/lib/apt/lists/*",
        )),
        Ending::Semicolon => Some(TextEdit::insert(body_end, " rm -rf /var/lib/apt/lists/*")),
        Ending::Operator => None,
    }
}

/// A builtin that ends the shell: nothing after it runs. `exec` with only
/// redirections (`exec >log`) does not.
fn ends_shell(c: &Command) -> bool {
    match c.name.value.as_str() {
        "exit" | "return" | "logout" => true,
        "exec" => !c.args.is_empty(),
        _ => false,
    }
}

/// The offset in the joined text of a Dockerfile offset inside it.
fn joined_offset(j: &Joined, offset: TextSize) -> Option<usize> {
    let pieces = j.pieces();
    let i = pieces
        .partition_point(|(_, r)| r.start <= offset)
        .checked_sub(1)?;
    let (at, r) = pieces[i];
    (offset <= r.end).then(|| (at + (offset - r.start)) as usize)
}

/// How the text between two simple commands, or after the last one, ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// Nothing, or redirections: the next command would need `&&`.
    Open,
    /// A `;` last.
    Semicolon,
    /// `&&` or a pipe last: the list goes on.
    Operator,
}

/// Read the text between simple commands: `Some` when it holds only
/// blanks, `&&`, `;`, pipes and redirections with plain targets (`>
/// /dev/null`, `2>&1`); `None` for anything else (`||`, a background `&`,
/// `;;`, parentheses, braces, keywords, quotes).
fn plain_gap(gap: &str) -> Option<Ending> {
    let b = gap.as_bytes();
    let mut i = 0;
    let mut ending = Ending::Open;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if gap[i..].starts_with("&&") {
            i += 2;
            ending = Ending::Operator;
        } else if gap[i..].starts_with("||") || gap[i..].starts_with(";;") {
            return None;
        } else if c == b';' {
            i += 1;
            ending = Ending::Semicolon;
        } else if c == b'|' {
            i += if gap[i..].starts_with("|&") { 2 } else { 1 };
            ending = Ending::Operator;
        } else {
            // A redirection: an optional descriptor, the operator, and a
            // target word (attached or after blanks).
            let digits = b[i..].iter().take_while(|d| d.is_ascii_digit()).count();
            let op_start = i + digits;
            let op_len = b[op_start..]
                .iter()
                .take_while(|d| matches!(d, b'<' | b'>' | b'&' | b'|'))
                .count();
            let op = &gap[op_start..op_start + op_len];
            if !matches!(op, ">" | ">>" | "<" | ">&" | "<&" | "&>" | "&>>" | ">|") {
                return None;
            }
            i = op_start + op_len;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let word = b[i..]
                .iter()
                .take_while(|d| !d.is_ascii_whitespace() && !b";&|<>()'\"`\\".contains(d))
                .count();
            if word == 0 {
                return None;
            }
            i += word;
            ending = Ending::Open;
        }
    }
    Some(ending)
}
