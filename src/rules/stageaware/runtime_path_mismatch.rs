//! CMD/ENTRYPOINT naming a path where a COPY did not put the files.

use crate::model::fs::{self, Copied, Fs, Knowledge, Origin};
use crate::model::{Base, Form};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::common::{self, LineRange};

pub static META: RuleMeta = RuleMeta {
    code: "RuntimePathMismatch",
    aliases: &[],
    summary: "CMD/ENTRYPOINT names a path where the COPY that brought the files did not put them",
    docs: "## What\nAn exec-form `CMD` or `ENTRYPOINT` of the final stage names an absolute path \
that lies inside a `COPY` *source*, while that `COPY` put the files somewhere else:\n\n\
- `COPY --from=build /app/.output .` under `WORKDIR /app` copies the *contents* of \
`/app/.output` into `/app/`, so `/app/.output/index.mjs` is `/app/index.mjs` in the image;\n\
- `COPY --from=build /out/server /usr/local/bin/` puts the file at `/usr/local/bin/server`, \
not `/out/server`;\n\
- `COPY dist /srv` copies what is *in* `dist`, so `/srv/dist/main.js` does not exist.\n\n\
## Why\nA directory source is copied by its contents, never as the directory itself: the \
container starts and fails with \"Cannot find module\" or \"no such file or directory\".\n\n\
berth reports this only when nothing else can have put the file there: no other `COPY`/`ADD` \
writes that path, no `RUN` of the final stage (or the stages it is built on) could create \
it (package installs, user and permission commands are fine), and the path is not a \
system directory a base image could provide (`/usr`, `/etc`, `/opt`...) unless the stage is \
built on `scratch`.\n\n\
## Example\n```dockerfile\nFROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\n\
RUN npm ci && npm run build\n\nFROM node:22-slim\nWORKDIR /app\n\
COPY --from=build /app/.output .\nCMD [\"node\", \"/app/.output/index.mjs\"]\n```\n\n\
## Fix\nName the path where the file is (`/app/index.mjs`), or copy the directory to a \
destination of the same name: `COPY --from=build /app/.output ./.output`.",
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
    let Some(target) = m.target else { return };
    let fs = ctx.fs();
    let e = common::effective(m, fs, target);
    for i in [e.entrypoint, e.cmd].into_iter().flatten() {
        let ins = &m.instructions[i];
        if ins.form != Form::Exec || ins.stage != Some(target) {
            continue;
        }
        for w in &ins.args {
            let p = w.value.as_str();
            if !p.starts_with('/') || p.contains(['$', '*', '?', '\\']) || p.ends_with('/') {
                continue;
            }
            let Some(p) = fs::normalize("/", p) else {
                continue;
            };
            if let Some((c, actual)) = mismatch(ctx, fs, target, &p) {
                let msg = match c.sources.first().map(|s| &s.origin) {
                    Some(Origin::Context) => format!(
                        "{p} does not exist: COPY copies what is inside a directory, not the directory itself, so the files are in {}/ and this is {actual}",
                        c.dest.as_deref().unwrap_or("")
                    ),
                    origin => {
                        let from = match origin {
                            Some(Origin::Stage(s)) => {
                                format!("stage {}", common::stage_label(m, *s))
                            }
                            Some(Origin::Image(i)) => format!("image `{i}`"),
                            _ => "the source".to_string(),
                        };
                        let copy = m.instructions[c.instruction].range_without_heredocs();
                        format!(
                            "{p} is where the files were in {from}; `{}` put them in {}, so this file is {actual}",
                            copy.slice(ctx.text).trim(),
                            c.dest.as_deref().unwrap_or("")
                        )
                    }
                };
                acc.push(&META, w.range, msg).related(
                    m.instructions[c.instruction].range_without_heredocs(),
                    format!("copies into {}", c.dest.as_deref().unwrap_or("")),
                );
            }
        }
    }
}

/// The COPY whose source contains `p` and where `p` really landed, when
/// nothing else can have created `p`.
fn mismatch<'f>(ctx: &Ctx, fs: &'f Fs, stage: usize, p: &str) -> Option<(&'f Copied, String)> {
    let m = ctx.model;
    let scratch = fs.stage_is_scratch(stage);
    let top = p.trim_start_matches('/').split('/').next().unwrap_or("");
    if !scratch {
        if POPULATED_DIRS.contains(&top) && !p.starts_with("/usr/src/") {
            return None;
        }
        if let Some(&root) = fs.chain(stage).first() {
            if let Base::Image(img) = &m.stages[root].base {
                if fs::image_top_dir(img, top) == Knowledge::Yes {
                    return None;
                }
            }
        }
    }
    let mut found: Option<(&Copied, String)> = None;
    for c in fs.chain_copies(stage) {
        let dest = c.dest.as_deref()?;
        // `p` is a directory the copy created on its way.
        if fs::is_within(dest, p) {
            return None;
        }
        if c.kind != Keyword::Copy || c.parents {
            // An ADD may unpack an archive anywhere below its destination.
            if fs::is_within(p, dest) {
                return None;
            }
            continue;
        }
        match landing(c, dest, p) {
            Landing::Here => return None,
            Landing::Elsewhere(actual) => {
                found.get_or_insert((c, actual));
            }
            Landing::NotFromHere => {}
        }
    }
    for &s in fs.chain(stage) {
        for ins in &m.instructions[m.stages[s].instructions.clone()] {
            if ins.kind == Keyword::Workdir
                && fs.workdir_at(ins.index).is_none_or(|w| fs::is_within(w, p))
            {
                return None;
            }
        }
    }
    let (c, actual) = found?;
    // A RUN may have created it.
    for &s in fs.chain(stage) {
        for &r in fs.runs(s) {
            if !run_is_harmless(ctx, r, p, c) {
                return None;
            }
        }
    }
    Some((c, actual))
}

enum Landing {
    /// This copy may have written `p`.
    Here,
    /// `p` names a file of this copy's source, which the copy put at
    /// this other path.
    Elsewhere(String),
    NotFromHere,
}

/// What COPY `c` (to absolute `dest`) did with the file `p` names.
fn landing(c: &Copied, dest: &str, p: &str) -> Landing {
    let mut out = Landing::NotFromHere;
    for s in &c.sources {
        let src = match s.path.as_deref() {
            Some(src)
                if !s.wildcard
                    && matches!(
                        s.origin,
                        Origin::Context | Origin::Stage(_) | Origin::Image(_)
                    ) =>
            {
                src
            }
            _ => {
                if fs::is_within(p, dest) {
                    return Landing::Here;
                }
                continue;
            }
        };
        let name = src.rsplit('/').next().unwrap_or("");
        // A file source lands at `dest`, or `dest/<name>` in a directory.
        let file_at = if c.into_dir {
            fs::join(dest, name)
        } else {
            dest.to_string()
        };
        if p == file_at || p == fs::join(dest, name) {
            return Landing::Here;
        }
        match s.origin {
            Origin::Context => {
                if !fs::is_within(p, dest) {
                    continue;
                }
                if name.is_empty() {
                    // `COPY . /srv`: the whole context.
                    return Landing::Here;
                }
                // `COPY dist /srv` and `/srv/dist/x`: the context would need
                // `dist/dist/x`.
                let nested = fs::join(dest, name);
                if fs::is_within(p, &nested) {
                    let rel = p[nested.len()..].trim_start_matches('/');
                    out = Landing::Elsewhere(fs::join(dest, rel));
                } else {
                    return Landing::Here;
                }
            }
            _ if src == "/" => {
                // The whole filesystem of a stage: anything may be below.
                if fs::is_within(p, dest) {
                    return Landing::Here;
                }
            }
            _ => {
                let in_src = fs::is_within(p, src);
                let in_dest = fs::is_within(p, dest);
                if in_dest {
                    // `p` may come from `src/<p below dest>`, unless that
                    // repeats the part of `src` below `dest`
                    // (`/app/.output` copied into `/app`, `p` =
                    // `/app/.output/x`).
                    let dest_above_src = fs::is_within(src, dest) && src != dest;
                    if !(in_src && dest_above_src) {
                        return Landing::Here;
                    }
                }
                if in_src {
                    let rel = p[src.len()..].trim_start_matches('/');
                    let actual = if rel.is_empty() {
                        file_at
                    } else {
                        fs::join(dest, rel)
                    };
                    if actual != p {
                        out = Landing::Elsewhere(actual);
                    }
                }
            }
        }
    }
    out
}

/// Top-level directories where base images keep files (`/srv`, `/mnt`,
/// `/media` and `/tmp` exist but are empty in base images).
const POPULATED_DIRS: &[&str] = &[
    "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "nix", "opt", "proc",
    "root", "run", "sbin", "sys", "usr", "var",
];

/// Programs a final stage runs that do not create application files.
const HARMLESS: &[&str] = &[
    "apt-get",
    "apt",
    "apk",
    "yum",
    "dnf",
    "microdnf",
    "zypper",
    "dpkg",
    "rpm",
    "useradd",
    "adduser",
    "addgroup",
    "groupadd",
    "usermod",
    "chown",
    "chmod",
    "chgrp",
    "rm",
    "echo",
    "set",
    "export",
    "true",
    "update-ca-certificates",
    "ln",
    "mkdir",
    "pip",
    "pip3",
    "locale-gen",
    "setcap",
    "sed",
    "cat",
    "ls",
    "test",
    "[",
];

/// Whether RUN `r` cannot have created `p`: every command is a harmless
/// program and no argument names the part of `p` below the copy's
/// destination.
fn run_is_harmless(ctx: &Ctx, r: usize, p: &str, c: &Copied) -> bool {
    let scripts = ctx.scripts(r);
    let Some(ins) = ctx.model.instructions.get(r) else {
        return false;
    };
    if scripts.is_empty() {
        return false;
    }
    // The path components that make `p` differ from where the files are.
    let dest = c.dest.as_deref().unwrap_or("/");
    let tail: Vec<&str> = p
        .strip_prefix(dest)
        .unwrap_or(p)
        .split('/')
        .filter(|x| !x.is_empty())
        .collect();
    // Redirections are not in the command model: read the text.
    if common::run_texts(ctx.text, ins).any(|t| t.contains(p) || tail.iter().any(|x| t.contains(x)))
    {
        return false;
    }
    scripts.iter().all(|sc| {
        !sc.has_error
            && sc
                .commands
                .iter()
                .all(|cmd| cmd.name.value.is_empty() || HARMLESS.contains(&cmd.program()))
    })
}
