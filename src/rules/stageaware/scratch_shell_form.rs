//! Shell-form instructions in a stage that has no shell.

use crate::model::catalog::{self, ImageFacts, Os};
use crate::model::fs::{Fs, Knowledge};
use crate::model::Model;
use crate::rules::buildkit::json_args_recommended;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

use super::common::{self, Lookup};

pub static META: RuleMeta = RuleMeta {
    code: "ScratchShellForm",
    aliases: &[],
    summary: "Shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK in a stage that has no shell (`scratch`, distroless and other shell-less images)",
    docs: "## What\nA shell-form `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` in a stage built \
on `scratch` (directly, or `FROM` a stage that is), when nothing copied the shell into it: \
`/bin/sh`, or the program `SHELL` names. The same on an image that berth's catalog knows \
has no `/bin/sh` (the distroless images, `:debug` included, whose shell is \
`/busybox/sh`), unless a `SHELL` names another program, a `COPY`/`ADD` may have put one \
there, or a `RUN` ran.\n\n\
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
    let images = catalog::for_stages(m);
    let shellless: Vec<Option<&'static ImageFacts>> = images.iter().map(|f| shellless(f)).collect();
    if !m
        .stages
        .iter()
        .any(|s| s.base == crate::model::Base::Scratch)
        && shellless.iter().all(Option::is_none)
    {
        return;
    }
    let fs = ctx.fs();
    // RUN: the filesystem just before it.
    for s in &m.stages {
        let image = shellless[s.index];
        if image.is_none()
            && (!fs.stage_is_scratch(s.index) || common::is_wasm_stage(m, fs, s.index))
        {
            continue;
        }
        for ins in &m.instructions[s.instructions.clone()] {
            if ins.kind != Keyword::Run || !common::is_shell_form(ins) {
                continue;
            }
            if let Some(image) = image {
                if still_no_shell(m, fs, s.index, ins.index) {
                    let how = Lookup::Path("/bin/sh".into());
                    let base = Base::Image(image);
                    report(
                        ctx,
                        acc,
                        fs,
                        s.index,
                        ins.index,
                        "/bin/sh",
                        &how,
                        base,
                        "the build fails",
                    );
                }
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
                    Base::Scratch,
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
            if shellless[leaf].is_some() {
                verdicts.push((i, leaf, still_no_shell(m, fs, leaf, usize::MAX)));
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
            let base = match shellless[leaf] {
                Some(image) => Base::Image(image),
                None => Base::Scratch,
            };
            report(
                ctx,
                acc,
                fs,
                leaf,
                i,
                prog,
                &how,
                base,
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
    base: Base,
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
    let (built_on, root_note) = match base {
        Base::Scratch => (
            "built on scratch".to_string(),
            "the stage starts from an empty filesystem here".to_string(),
        ),
        Base::Image(f) => (
            format!("built on `{}`, an image without a shell,", f.repository),
            format!(
                "`{}` has no /bin/sh ({}, from {})",
                f.repository,
                os_name(f),
                f.source
            ),
        ),
    };
    let msg = format!(
        "shell-form {kw} runs `{} -c ...`, but this stage is {built_on} and nothing copied {where_} into it: {outcome} with \"no such file or directory\"; {fix}",
        prog
    );
    let d = acc.push(&META, range, msg);
    if let Some(r) = common::root_from_range(m, fs, stage) {
        d.related(r, root_note);
    }
    if let Some(sh) = fs.shell_instruction_at(i) {
        d.related(m.instructions[sh].args_range, "the SHELL in effect");
    }
    // The exec form needs no shell: offered when the command uses no shell
    // syntax (unsafe: an exec-form ENTRYPOINT takes CMD as arguments).
    if ins.kind != Keyword::Healthcheck {
        if let Some(json) = json_args_recommended::plain_exec_form(ctx.text, ins) {
            d.fix(
                format!("Write `{kw} {json}`"),
                Safety::Unsafe,
                vec![TextEdit::replace(ins.args_range, json)],
            );
        }
    }
}

/// What a stage without a shell is built on.
#[derive(Clone, Copy)]
enum Base {
    Scratch,
    /// An image the catalog knows has no `/bin/sh`.
    Image(&'static ImageFacts),
}

/// The image a stage is built on, when every catalogued family of it lacks
/// `/bin/sh`. Windows images are not meant: their shell form runs `cmd`.
fn shellless(families: &[&'static ImageFacts]) -> Option<&'static ImageFacts> {
    let none = catalog::all_have(families, |f| !f.has_shell && f.os != Os::Windows);
    none.then(|| families[0])
}

/// Whether nothing in the stage's chain before `limit` may have put a
/// shell at `/bin/sh`: no RUN (an exec-form one could), no SHELL naming
/// another program, no COPY/ADD whose destination could hold it.
fn still_no_shell(m: &Model, fs: &Fs, stage: usize, limit: usize) -> bool {
    let shell = if limit == usize::MAX {
        m.stages
            .get(stage)
            .and_then(|st| st.instructions.end.checked_sub(1))
            .and_then(|last| fs.shell_instruction_at(last))
    } else {
        fs.shell_instruction_at(limit)
    };
    shell.is_none() && !common::chain_may_write(fs, stage, limit, &["/bin/sh", "/usr/bin/sh"])
}

fn os_name(f: &ImageFacts) -> &'static str {
    match f.os {
        Os::Distroless => "distroless",
        Os::Windows => "Windows",
        Os::Busybox => "busybox",
        _ => "no shell",
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
