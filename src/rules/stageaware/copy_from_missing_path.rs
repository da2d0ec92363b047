//! `COPY --from=<stage> SRC` where SRC cannot exist in that stage.

use crate::model::fs::{self, Fs, Knowledge, Origin};
use crate::model::{Base, Model, VarKind};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::text::TextRange;

use super::common::{self, LineRange};

pub static META: RuleMeta = RuleMeta {
    code: "CopyFromMissingPath",
    aliases: &[],
    summary: "`COPY --from=<stage>` of a path that stage cannot contain",
    docs: "## What\n`COPY --from=<stage> SRC ...` where berth can show that SRC does not exist in \
the source stage:\n\n\
- the stage is built on `scratch` with no `RUN`, so it holds exactly what its `COPY`/`ADD` \
wrote, and SRC is not there;\n\
- SRC is relative: BuildKit resolves `--from` sources from the root `/` of the source stage, \
*not* its `WORKDIR`, and nothing in that stage creates the top directory SRC then names;\n\
- SRC is where a `cargo build` would have put its output had it run in another directory: \
`cargo build` writes `./target/<profile>/` under the `WORKDIR` it runs in;\n\
- SRC is absolute, the stage sets a `WORKDIR` elsewhere, and nothing in it creates the top \
directory SRC names (`WORKDIR /usr/src/app` in the build stage, `COPY --from=build /app/dist`).\n\n\
## Why\nThe build fails late, after the expensive build stage, with \"failed to compute cache \
key: ... not found\" (a wildcard that matches nothing copies nothing, silently). Relative \
`--from` paths are a classic trap: `WORKDIR /src` in the build stage does not make \
`COPY --from=build app .` read `/src/app`.\n\n\
berth only reports what it can prove from the Dockerfile. In a stage built on an image, or \
after a `RUN`, a path is unknowable unless the top directory it names is one the image does \
not have (berth knows the layout of a few official images: `golang`, `rust`, `node`, \
`python`, `debian`, `alpine`...) and nothing in the stage (`WORKDIR`, `COPY`, `ENV`, `ARG`, a \
`RUN` argument, a `cd`) mentions it.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o app .\n\nFROM alpine:3.20\nCOPY --from=build app /usr/local/bin/app\n```\n\n\
## Fix\nUse the absolute path in the source stage: `COPY --from=build /src/app /usr/local/bin/app`.",
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
    if !m
        .refs
        .iter()
        .any(|r| r.kind == crate::model::RefKind::CopyFrom)
    {
        return;
    }
    let fs = ctx.fs();
    for stage in 0..m.stages.len() {
        for c in fs.copied_paths(stage) {
            if c.kind != Keyword::Copy || c.parents {
                continue;
            }
            for src in &c.sources {
                let Origin::Stage(from) = src.origin else {
                    continue;
                };
                let Some(path) = src.path.as_deref() else {
                    continue;
                };
                let raw = m.instructions[c.instruction]
                    .args
                    .iter()
                    .find(|w| w.range == src.range)
                    .map(|w| w.value.as_str())
                    .unwrap_or(path);
                check_source(ctx, acc, fs, from, src.range, raw, path, src.wildcard);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_source(
    ctx: &Ctx,
    acc: &mut Acc,
    fs: &Fs,
    from: usize,
    range: TextRange,
    raw: &str,
    path: &str,
    wildcard: bool,
) {
    let m = ctx.model;
    let label = common::stage_label(m, from);
    // The part of the path before any wildcard.
    let fixed = if wildcard {
        let cut = path.find(['*', '?', '[']).unwrap_or(path.len());
        match path[..cut].rfind('/') {
            Some(0) | None => return,
            Some(i) => &path[..i],
        }
    } else {
        path
    };
    let relative = !raw.starts_with('/');
    let workdir = fs.workdir_end(m, from);
    let top = fixed
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    // A closed (scratch, no RUN) stage: what it holds is known.
    if fs.is_closed(from, usize::MAX) {
        if fs.may_exist(from, fixed) == Knowledge::No {
            let mut msg = if wildcard {
                format!(
                    "`{raw}` matches nothing: {fixed} does not exist in stage {label}, which is built on scratch with no RUN, and no COPY or ADD put anything there (BuildKit copies nothing for a wildcard without matches)"
                )
            } else {
                format!(
                    "{fixed} does not exist in stage {label}: it is built on scratch with no RUN, and no COPY or ADD put anything there"
                )
            };
            if relative {
                if let Some(wd) = workdir.filter(|w| *w != "/") {
                    msg.push_str(&format!(
                        "; note that relative `--from` paths start at `/` of the stage, not at its WORKDIR {wd}"
                    ));
                }
            }
            let d = acc.push(&META, range, msg);
            for (r, note) in common::copy_notes(m, fs, from) {
                d.related(r, note);
            }
        }
        return;
    }
    if top.is_empty() || fixed == "/" {
        return;
    }
    // Relative: resolved from `/`, where nothing in the stage creates the
    // top directory.
    if relative {
        let Some(wd) = workdir.filter(|w| *w != "/") else {
            return;
        };
        if !top_dir_absent(ctx, fs, from, top, false) {
            return;
        }
        let want = fs::normalize(wd, raw).unwrap_or_default();
        let msg = format!(
            "BuildKit reads `--from` paths from `/` of stage {label}, not from its WORKDIR {wd}: this copies {path}, and nothing in that stage creates /{top}; write `{want}`"
        );
        let d = acc.push(&META, range, msg);
        if let Some(w) = last_workdir(m, fs, from) {
            d.related(w, format!("stage {label} works in {wd}"));
        }
        return;
    }
    // Cargo output copied from where `cargo build` did not run.
    if let Some(found) = cargo_output(ctx, fs, from, path) {
        if top_dir_absent(ctx, fs, from, top, true) {
            let wd = found.cwd.as_str();
            let why_wd = if last_workdir(m, fs, from).is_some() {
                "its WORKDIR".to_string()
            } else {
                let root = fs.chain(from).first().copied().unwrap_or(from);
                format!(
                    "the WORKDIR of `{}`: the stage sets none",
                    m.stages[root].base_expanded
                )
            };
            let msg = format!(
                "{path} is not created in stage {label}: `cargo build` runs in {wd} ({why_wd}) and writes its output to {}; copy `{}`, or set `WORKDIR` in stage {label} before its `COPY`",
                found.target_dir, found.actual
            );
            let d = acc.push(&META, range, msg);
            d.related(found.range, "cargo builds here");
        }
        return;
    }
    // Absolute, under a top directory the stage never received, while the
    // stage works elsewhere (a WORKDIR it sets): the usual mix-up of paths
    // between stages.
    let Some(w) = last_workdir(m, fs, from) else {
        return;
    };
    let Some(wd) = workdir else { return };
    if top_dir_absent(ctx, fs, from, top, false) {
        let msg = format!(
            "{path} does not exist in stage {label}: it works in {wd}, and nothing in it creates /{top} (no WORKDIR, COPY, ADD, ENV or RUN mentions it, and its base image has no such directory)"
        );
        acc.push(&META, range, msg)
            .related(w, format!("stage {label} works in {wd}"));
    }
}

/// The range of the last WORKDIR of the stage's chain.
fn last_workdir(m: &Model, fs: &Fs, stage: usize) -> Option<TextRange> {
    fs.chain(stage)
        .iter()
        .flat_map(|&s| m.instructions[m.stages[s].instructions.clone()].iter())
        .rfind(|i| i.kind == Keyword::Workdir)
        .map(|i| i.range_without_heredocs())
}

/// Whether `/top` is certainly absent from `stage`: its base image does
/// not have it (or it is scratch), no WORKDIR or COPY/ADD destination of
/// the chain is in it (or spreads a directory's contents into `/`, unless
/// `context_root_ok` and it is the build context), no ENV/ARG value and no
/// RUN argument names it, and every RUN can be read (shell form, no `cd`).
fn top_dir_absent(ctx: &Ctx, fs: &Fs, stage: usize, top: &str, context_root_ok: bool) -> bool {
    let m = ctx.model;
    if fs::SYSTEM_DIRS.contains(&top) || top.starts_with('.') {
        return false;
    }
    let chain = fs.chain(stage);
    let Some(&root) = chain.first() else {
        return false;
    };
    let base_ok = match &m.stages[root].base {
        Base::Scratch => true,
        Base::Image(img) if !m.stages[root].base_text.contains('$') => {
            fs::image_top_dir(img, top) == Knowledge::No
        }
        _ => false,
    };
    if !base_ok {
        return false;
    }
    let dir = format!("/{top}");
    for c in fs.chain_copies(stage) {
        let Some(d) = c.dest.as_deref() else {
            return false;
        };
        if fs::is_within(d, &dir) {
            return false;
        }
        if d == "/" {
            let from_context = c.sources.iter().all(|s| s.origin == Origin::Context);
            if !(context_root_ok && from_context) {
                return false;
            }
        }
    }
    for &s in chain {
        for ins in &m.instructions[m.stages[s].instructions.clone()] {
            match ins.kind {
                Keyword::Onbuild | Keyword::Volume => return false,
                Keyword::Workdir => match fs.workdir_at(ins.index) {
                    Some(w) if !fs::is_within(w, &dir) => {}
                    _ => return false,
                },
                Keyword::Run => {
                    let scripts = ctx.scripts(ins.index);
                    if scripts.is_empty() {
                        return false;
                    }
                    // Redirections and strings are not in the command
                    // model: any mention of the directory counts.
                    let cwd_root = fs.workdir_at(ins.index) == Some("/");
                    if common::run_texts(ctx.text, ins).any(|t| names_dir(t, top, cwd_root)) {
                        return false;
                    }
                    for sc in scripts {
                        if sc.has_error {
                            return false;
                        }
                        for cmd in &sc.commands {
                            if cmd.program() == "cd" || cmd.program() == "pushd" {
                                return false;
                            }
                            for a in std::iter::once(&cmd.name).chain(&cmd.args) {
                                if !a.is_static && a.raw.trim_start_matches('"').starts_with('$') {
                                    return false;
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for d in &m.decls {
        if d.stage.is_some_and(|s| chain.contains(&s))
            && d.value.as_deref().is_some_and(|v| names_dir(v, top, true))
        {
            return false;
        }
    }
    true
}

/// Whether a text names the directory `/top` (or `top` relative to `/`
/// when `relative_too`), as a whole path component.
fn names_dir(text: &str, top: &str, relative_too: bool) -> bool {
    for (i, _) in text.match_indices(top) {
        let before = text[..i].chars().next_back();
        let after = text[i + top.len()..].chars().next();
        let ends = after.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'));
        if !ends {
            continue;
        }
        match before {
            Some('/') => return true,
            None => return relative_too,
            Some(c) if relative_too && (c.is_whitespace() || "=\"':;&|<>(`".contains(c)) => {
                return true
            }
            _ => {}
        }
    }
    false
}

struct CargoOutput {
    cwd: String,
    target_dir: String,
    actual: String,
    range: TextRange,
}

/// When `path` is `<dir>/target/<profile>/<rest>` and every `cargo build`
/// of the stage's chain ran in one known directory other than `<dir>`,
/// with nothing that moves its output: where the file really is.
fn cargo_output(ctx: &Ctx, fs: &Fs, stage: usize, path: &str) -> Option<CargoOutput> {
    let m = ctx.model;
    let i = path.find("/target/")?;
    let (dir, rest) = (&path[..i], &path[i + "/target/".len()..]);
    let profile = rest.split('/').next()?;
    if !matches!(profile, "release" | "debug") || rest.len() <= profile.len() + 1 {
        return None;
    }
    let chain = fs.chain(stage);
    // Variables that move cargo's output.
    if m.decls.iter().any(|d| {
        d.stage.is_some_and(|s| chain.contains(&s))
            && (d.name.starts_with("CARGO_") && d.name.contains("TARGET"))
            && matches!(d.kind, VarKind::Env | VarKind::Arg)
    }) {
        return None;
    }
    let mut cwd: Option<String> = None;
    let mut at = None;
    for &s in chain {
        for ins in &m.instructions[m.stages[s].instructions.clone()] {
            if ins.kind != Keyword::Run {
                continue;
            }
            let scripts = ctx.scripts(ins.index);
            if scripts.is_empty() {
                return None;
            }
            for sc in scripts {
                if sc.has_error {
                    return None;
                }
                for cmd in &sc.commands {
                    if !CARGO_SAFE.contains(&cmd.program()) {
                        return None;
                    }
                    if cmd.program() != "cargo" {
                        continue;
                    }
                    if cmd.env.iter().any(|(k, _)| k.starts_with("CARGO_")) {
                        return None;
                    }
                    let sub = cmd.subcommand();
                    if sub != Some("build") && sub != Some("b") {
                        continue;
                    }
                    if cmd.args.iter().any(|a| !a.is_static)
                        || cmd.has_flag(None, &["target-dir", "manifest-path", "target"])
                        || cmd.args.iter().any(|a| a.value.starts_with("-Z"))
                    {
                        return None;
                    }
                    let release = cmd.has_flag(Some('r'), &["release"]);
                    if release != (profile == "release") {
                        return None;
                    }
                    let wd = fs.workdir_at(ins.index)?.to_string();
                    match &cwd {
                        Some(c) if *c != wd => return None,
                        _ => cwd = Some(wd),
                    }
                    at.get_or_insert(TextRange::new(cmd.name.range.start, cmd.range.end));
                }
            }
        }
    }
    let cwd = cwd?;
    let built = fs::normalize(&cwd, "target")?;
    if fs::is_within(path, &built) || dir.is_empty() && cwd == "/" {
        return None;
    }
    let target_dir = format!("{built}/{profile}/");
    let actual = format!("{built}/{rest}");
    Some(CargoOutput {
        cwd,
        target_dir,
        actual,
        range: at?,
    })
}

/// Programs that cannot run cargo behind berth's back (no build scripts,
/// no Makefiles) nor move its output without naming the path.
const CARGO_SAFE: &[&str] = &[
    "cargo",
    "rustup",
    "rustc",
    "apk",
    "apt-get",
    "apt",
    "yum",
    "dnf",
    "microdnf",
    "mkdir",
    "rm",
    "echo",
    "touch",
    "cp",
    "mv",
    "ln",
    "strip",
    "chmod",
    "chown",
    "ls",
    "true",
    "set",
    "export",
    "useradd",
    "adduser",
    "addgroup",
    "groupadd",
    "update-ca-certificates",
];
