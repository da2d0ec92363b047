//! DL4006: a pipe in RUN without `pipefail`.

use crate::model::{Base, Form, Instruction, Model};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::{Command, Script};
use crate::syntax::Keyword;

pub static META: RuleMeta = RuleMeta {
    code: "DL4006",
    aliases: &[],
    summary: "RUN with a pipe and no pipefail",
    docs: "## What\nA `RUN` with a pipe (`a | b`) when the `SHELL` in effect does not set \
`-o pipefail`: the default `/bin/sh -c`, or a `SHELL` without it.\n\n\
## Why\nA pipeline's exit status is the last command's: in \
`curl -fsSL https://example.com/install.sh | sh` a failed download still \"succeeds\" and the \
build carries on with a broken step. With `pipefail` any failing command fails the step.\n\n\
## Example\n```dockerfile\nFROM debian:12\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg\n```\n\n\
## Fix\nBefore the `RUN`: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (on Alpine, \
where bash is not installed: `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`). \
A `SHELL` of bash, zsh, ash or ksh with `-o pipefail` silences the rule for the rest of the \
stage and for the stages built `FROM` it (BuildKit inherits `SHELL` that way; hadolint \
forgets it at every `FROM`). A `set -o pipefail` in the `RUN` before the first pipe is \
accepted too, where hadolint still reports. `ONBUILD RUN` is not checked (the shell of the \
image that triggers it is not known), nor are PowerShell or cmd stages.",
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

/// The exec-form SHELL in effect for instruction `at`, following
/// `FROM <stage>`.
fn shell_in_effect(m: &Model, at: usize) -> Option<&Instruction> {
    let mut stage = m.instructions.get(at)?.stage?;
    let mut bound = at;
    for _ in 0..=m.stages.len() {
        let s = m.stages.get(stage)?;
        let range = s.instructions.start..bound.min(s.instructions.end);
        if let Some(shell) = m
            .instructions
            .get(range)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|i| i.kind == Keyword::Shell && i.form == Form::Exec)
        {
            return Some(shell);
        }
        match s.base {
            Base::Stage(b) if b < stage => {
                stage = b;
                bound = usize::MAX;
            }
            _ => return None,
        }
    }
    None
}

fn has_pipefail(words: &[&str]) -> bool {
    let o = words.iter().any(|w| {
        w.strip_prefix('-')
            .is_some_and(|b| !b.starts_with('-') && b.contains('o'))
    });
    o && words.contains(&"pipefail")
}

fn shell_sets_pipefail(shell: &Instruction) -> bool {
    let words: Vec<&str> = shell.args.iter().map(|a| a.value.as_str()).collect();
    let prog = words
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    matches!(prog, "bash" | "zsh" | "ash" | "ksh" | "mksh") && has_pipefail(&words)
}

fn sets_pipefail(cmd: &Command) -> bool {
    cmd.program() == "set" && {
        let words: Vec<&str> = cmd.args.iter().map(|a| a.value.as_str()).collect();
        has_pipefail(&words)
    }
}

/// The first command of the first pipeline that runs before any
/// `set -o pipefail` of the script.
fn unprotected_pipe(script: &Script) -> Option<&Command> {
    if !script.has_pipeline {
        return None;
    }
    for c in &script.commands {
        if sets_pipefail(c) && !c.in_pipeline {
            return None;
        }
        if c.in_pipeline {
            return Some(c);
        }
    }
    None
}

fn on_alpine(m: &Model, at: usize) -> bool {
    let mut stage = m.instructions.get(at).and_then(|i| i.stage);
    for _ in 0..=m.stages.len() {
        let Some(s) = stage.and_then(|s| m.stages.get(s)) else {
            return false;
        };
        match &s.base {
            Base::Stage(b) if *b < s.index => stage = Some(*b),
            Base::Image(img) => return img.repository.contains("alpine"),
            _ => return false,
        }
    }
    false
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for ins in &m.instructions {
        if ins.kind != Keyword::Run {
            continue;
        }
        let Some(cmd) = ctx.scripts(ins.index).iter().find_map(unprotected_pipe) else {
            continue;
        };
        if shell_in_effect(m, ins.index).is_some_and(shell_sets_pipefail) {
            continue;
        }
        let shell = if on_alpine(m, ins.index) {
            r#"SHELL ["/bin/ash", "-eo", "pipefail", "-c"]"#
        } else {
            r#"SHELL ["/bin/bash", "-o", "pipefail", "-c"]"#
        };
        acc.push(
            &META,
            cmd.name.range,
            format!(
                "if `{}` fails, the pipe hides it (only the last command's status counts): \
add `{shell}` before this RUN",
                cmd.program()
            ),
        );
    }
}
