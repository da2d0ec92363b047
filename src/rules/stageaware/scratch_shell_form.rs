//! Shell-form instructions in a stage that has no shell.

use crate::model::fs::{Fs, Knowledge};
use crate::model::Model;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::text::TextRange;

use super::common::{self, Lookup};

pub static META: RuleMeta = RuleMeta {
    code: "ScratchShellForm",
    aliases: &[],
    summary: "Shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK in a `scratch` stage that has no shell",
    docs: "## What\nA shell-form `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` in a stage built \
on `scratch` (directly, or `FROM` a stage that is), when nothing copied the shell into it: \
`/bin/sh`, or the program `SHELL` names.\n\n\
## Why\nShell form means `/bin/sh -c \"<command>\"`. `scratch` is an empty filesystem, so there \
is no `/bin/sh` unless a `COPY`/`ADD` put one there. A `RUN` then fails the build, and a \
`CMD`/`ENTRYPOINT`/`HEALTHCHECK` fails when the container starts, both with \"no such file or \
directory\". berth only reports what it can prove: when a `COPY` writes a directory whose \
contents it cannot see (`COPY --from=busybox /bin /bin`), or a `RUN` has run, it stays silent.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\
FROM scratch\nCOPY --from=build /out/app /app\nCMD /app --port 8080\n```\n\n\
## Fix\nUse the exec form, which runs the program directly: `CMD [\"/app\", \"--port\", \"8080\"]`. \
If you need a shell, copy one in (`COPY --from=busybox:1.36-musl /bin/busybox /bin/sh`) or \
build on a small image such as `alpine` or `busybox`.",
    severity: Severity::Error,
    category: Category::Stages,
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
    if !m
        .stages
        .iter()
        .any(|s| s.base == crate::model::Base::Scratch)
    {
        return;
    }
    let fs = ctx.fs();
    // RUN: the filesystem just before it.
    for s in &m.stages {
        if !fs.stage_is_scratch(s.index) || common::is_wasm_stage(m, fs, s.index) {
            continue;
        }
        for ins in &m.instructions[s.instructions.clone()] {
            if ins.kind != Keyword::Run || !common::is_shell_form(ins) {
                continue;
            }
            let shell = fs.shell_at(m, ins.index);
            let prog = shell.first().copied().unwrap_or("/bin/sh");
            let path = fs.path_dirs_at(m, ins.index);
            let found = common::find_executable(
                fs,
                s.index,
                ins.index,
                prog,
                fs.workdir_at(ins.index),
                path,
            );
            let found = found.filter(|(_, how)| !common::mount_provides(ins, how, prog));
            if let Some((Knowledge::No, how)) = found {
                report(
                    ctx,
                    acc,
                    fs,
                    s.index,
                    ins.index,
                    prog,
                    &how,
                    "the build fails",
                );
            }
        }
    }
    // CMD, ENTRYPOINT, HEALTHCHECK: the filesystem of every stage they end
    // up in.
    let leaves = common::leaves(m);
    let mut verdicts: Vec<(usize, usize, bool)> = Vec::new(); // (instruction, leaf, missing)
    for &leaf in &leaves {
        let e = common::effective(m, fs, leaf);
        let runtime: Vec<usize> = match (e.entrypoint, e.cmd) {
            // A shell-form ENTRYPOINT ignores CMD.
            (Some(ep), Some(cmd)) if !common::is_shell_form(&m.instructions[ep]) => {
                vec![ep, cmd]
            }
            (Some(ep), _) => vec![ep],
            (None, Some(cmd)) => vec![cmd],
            (None, None) => vec![],
        };
        let runtime = runtime.into_iter().chain(e.healthcheck);
        for i in runtime {
            let ins = &m.instructions[i];
            let shell_form = match ins.kind {
                Keyword::Healthcheck => {
                    ins.args
                        .first()
                        .is_some_and(|t| t.value.eq_ignore_ascii_case("CMD"))
                        && ins.form == crate::model::Form::Shell
                        && ins.args.len() > 1
                }
                // With an exec-form ENTRYPOINT, a CMD is only arguments.
                Keyword::Cmd if e.entrypoint.is_some_and(|ep| ep != i) => false,
                _ => common::is_shell_form(ins),
            };
            if !shell_form {
                continue;
            }
            let shell = fs.shell_at(m, i);
            let prog = shell.first().copied().unwrap_or("/bin/sh");
            let missing = fs.stage_is_scratch(leaf)
                && !common::is_wasm_stage(m, fs, leaf)
                && matches!(
                    common::find_executable(
                        fs,
                        leaf,
                        usize::MAX,
                        prog,
                        fs.workdir_end(m, leaf),
                        common::path_at_end(m, fs, leaf),
                    ),
                    Some((Knowledge::No, _))
                );
            verdicts.push((i, leaf, missing));
        }
    }
    verdicts.sort_unstable();
    let mut k = 0;
    while k < verdicts.len() {
        let i = verdicts[k].0;
        let group: Vec<_> = verdicts[k..].iter().take_while(|v| v.0 == i).collect();
        k += group.len();
        if group.iter().all(|v| v.2) {
            let leaf = group[0].1;
            let shell = fs.shell_at(m, i);
            let prog = shell.first().copied().unwrap_or("/bin/sh");
            let how = match prog.contains('/') {
                true => Lookup::Path(prog.to_string()),
                false => Lookup::InPath(common::path_at_end(m, fs, leaf).unwrap_or_default()),
            };
            report(
                ctx,
                acc,
                fs,
                leaf,
                i,
                prog,
                &how,
                "the container fails to start",
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    ctx: &Ctx,
    acc: &mut Acc,
    fs: &Fs,
    stage: usize,
    i: usize,
    prog: &str,
    how: &Lookup,
    outcome: &str,
) {
    let m: &Model = ctx.model;
    let ins = &m.instructions[i];
    let range = args_range(ins);
    let where_ = match how {
        Lookup::Path(p) if p == prog => format!("`{prog}`"),
        Lookup::Path(p) => format!("`{prog}` ({p})"),
        Lookup::InPath(dirs) => format!("`{prog}` in PATH ({})", dirs.join(":")),
    };
    let kw = if ins.kind == Keyword::Healthcheck {
        "HEALTHCHECK CMD"
    } else {
        ins.kind.name()
    };
    let fix = if ins.kind == Keyword::Run {
        "write it in exec form (`RUN [\"/path/to/program\", \"arg\"]`) or copy a shell into the stage".to_string()
    } else {
        format!(
            "write it in exec form (`{kw} [\"/path/to/program\", \"arg\"]`), which needs no shell"
        )
    };
    let msg = format!(
        "shell-form {kw} runs `{} -c ...`, but this stage is built on scratch and nothing copied {where_} into it: {outcome} with \"no such file or directory\"; {fix}",
        prog
    );
    let d = acc.push(&META, range, msg);
    if let Some(r) = common::root_from_range(m, fs, stage) {
        d.related(r, "the stage starts from an empty filesystem here");
    }
    if let Some(sh) = fs.shell_instruction_at(i) {
        d.related(m.instructions[sh].args_range, "the SHELL in effect");
    }
}

/// The command text (for HEALTHCHECK, what follows `CMD`).
fn args_range(ins: &crate::model::Instruction) -> TextRange {
    if ins.kind == Keyword::Healthcheck {
        if let Some(w) = ins.args.get(1) {
            return w.range;
        }
    }
    if ins.args_range.is_empty() {
        ins.keyword.range
    } else {
        ins.args_range
    }
}
