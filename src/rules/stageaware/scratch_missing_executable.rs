//! An exec-form program that a `scratch` stage does not contain.

use crate::model::fs::{Fs, Knowledge};
use crate::model::{Base, Form};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::common::{self, Lookup};

pub static META: RuleMeta = RuleMeta {
    code: "ScratchMissingExecutable",
    aliases: &[],
    summary: "Exec-form ENTRYPOINT/CMD/RUN of a `scratch` stage names a program nothing copied in",
    docs:
        "## What\nIn a stage built on `scratch` (directly, or `FROM` a stage that is), the program \
of an exec-form `ENTRYPOINT`, `CMD` (when no `ENTRYPOINT` is set), `HEALTHCHECK CMD` or `RUN` \
is a path that no `COPY`/`ADD` of the stage put there. A name without `/` is looked up in \
`PATH` (`/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` unless `ENV PATH` \
changes it); a relative path is resolved against the `WORKDIR`.\n\n\
## Why\n`scratch` is empty: the only files are the ones the Dockerfile copied. The container \
fails to start (`exec: \"app\": executable file not found in $PATH`, or `no such file or \
directory`), and a `RUN` fails the build. berth stays silent when the program may be there: \
below a copied directory (`COPY --from=build /out/ /app/` may put anything in `/app/`), after \
a `RUN`, or when a path depends on a build argument.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS build\nWORKDIR /app\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o main\n\nFROM scratch\nCOPY --from=build /app/main /main\n\
ENTRYPOINT [\"run\", \"main.go\"]\n```\n\n\
## Fix\nName the program where it was copied: `ENTRYPOINT [\"/main\"]`. A `scratch` image has \
no `go`, `node` or shell: ship a static binary and start it by its absolute path.",
    severity: Severity::Warning,
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
    if !m.stages.iter().any(|s| s.base == Base::Scratch) {
        return;
    }
    let fs = ctx.fs();
    // Exec-form RUN: the filesystem just before it.
    for s in &m.stages {
        if !fs.stage_is_scratch(s.index) || common::is_wasm_stage(m, fs, s.index) {
            continue;
        }
        for ins in &m.instructions[s.instructions.clone()] {
            if ins.kind != Keyword::Run || ins.form != Form::Exec {
                continue;
            }
            let Some(exe) = ins.args.first() else {
                continue;
            };
            let found = common::find_executable(
                fs,
                s.index,
                ins.index,
                &exe.value,
                fs.workdir_at(ins.index),
                fs.path_dirs_at(m, ins.index),
            );
            let found = found.filter(|(_, how)| !common::mount_provides(ins, how, &exe.value));
            if let Some((Knowledge::No, how)) = found {
                report(ctx, acc, fs, s.index, ins.index, 0, &how, "the build fails");
            }
        }
    }
    // ENTRYPOINT / CMD / HEALTHCHECK in effect in each final stage.
    let mut verdicts: Vec<(usize, usize, usize, bool, Option<Lookup>)> = Vec::new();
    for leaf in common::leaves(m) {
        let e = common::effective(m, fs, leaf);
        let mut progs: Vec<(usize, usize)> = Vec::new(); // (instruction, word index)
        match (e.entrypoint, e.cmd) {
            (Some(ep), _) if m.instructions[ep].form == Form::Exec => progs.push((ep, 0)),
            (None, Some(cmd)) if m.instructions[cmd].form == Form::Exec => {
                progs.push((cmd, 0));
            }
            _ => {}
        }
        if let Some(h) = e.healthcheck {
            let ins = &m.instructions[h];
            if ins.form == Form::Exec
                && ins
                    .args
                    .first()
                    .is_some_and(|t| t.value.eq_ignore_ascii_case("CMD"))
            {
                progs.push((h, 1));
            }
        }
        for (i, w) in progs {
            let Some(exe) = m.instructions[i].args.get(w) else {
                continue;
            };
            let found = if fs.stage_is_scratch(leaf) && !common::is_wasm_stage(m, fs, leaf) {
                common::find_executable(
                    fs,
                    leaf,
                    usize::MAX,
                    &exe.value,
                    fs.workdir_end(m, leaf),
                    common::path_at_end(m, fs, leaf),
                )
            } else {
                None
            };
            match found {
                Some((Knowledge::No, how)) => verdicts.push((i, w, leaf, true, Some(how))),
                _ => verdicts.push((i, w, leaf, false, None)),
            }
        }
    }
    verdicts.sort_by_key(|v| (v.0, v.2));
    let mut k = 0;
    while k < verdicts.len() {
        let i = verdicts[k].0;
        let n = verdicts[k..].iter().take_while(|v| v.0 == i).count();
        let group = &verdicts[k..k + n];
        k += n;
        if group.iter().all(|v| v.3) {
            let (_, w, leaf, _, how) = &group[0];
            if let Some(how) = how {
                report(
                    ctx,
                    acc,
                    fs,
                    *leaf,
                    i,
                    *w,
                    how,
                    "the container fails to start",
                );
            }
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
    word: usize,
    how: &Lookup,
    outcome: &str,
) {
    let m = ctx.model;
    let ins = &m.instructions[i];
    let Some(exe) = ins.args.get(word) else {
        return;
    };
    let name = &exe.value;
    let copies = common::copy_notes(m, fs, stage);
    let (what, error) = match how {
        Lookup::Path(p) if p == name => (
            format!("`{name}` is not in this scratch stage"),
            format!("exec {name}: no such file or directory"),
        ),
        Lookup::Path(p) => (
            format!("`{name}` ({p}, relative to the WORKDIR) is not in this scratch stage"),
            format!("exec {name}: no such file or directory"),
        ),
        Lookup::InPath(dirs) => (
            format!(
                "`{name}` is looked up in PATH ({}), and nothing was copied there in this scratch stage",
                dirs.join(":")
            ),
            format!("exec: \"{name}\": executable file not found in $PATH"),
        ),
    };
    let hint = match copies.len() {
        0 => "copy the program in with `COPY --from=<build stage>`".to_string(),
        _ => "name the copied program by its absolute path".to_string(),
    };
    let msg = format!("{what}: {outcome} with `{error}`; {hint}");
    let root = common::root_from_range(m, fs, stage).filter(|_| copies.is_empty());
    let d = acc.push(&META, exe.range, msg);
    for (r, note) in copies {
        d.related(r, note);
    }
    if let Some(r) = root {
        d.related(r, "the stage starts from an empty filesystem here");
    }
}
