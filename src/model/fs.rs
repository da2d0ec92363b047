//! What is knowable about each stage's filesystem, from the Dockerfile
//! alone (no registry, no build context): pure and linear in the file.
//!
//! Per stage: whether it is built on `scratch` (directly or through
//! `FROM <stage>`), the WORKDIR, USER and SHELL in effect at each
//! instruction, ENV values, and the paths COPY/ADD wrote. A stage's
//! filesystem is *closed* while it is exactly what the Dockerfile put
//! there: a `scratch` chain with no RUN, no ONBUILD trigger and no
//! destination that depends on an unknown value. Only in a closed stage
//! can a path be known to be absent ([`Knowledge::No`]); anywhere else an
//! absent path is [`Knowledge::Unknown`].
//!
//! BuildKit facts this follows (frontend/dockerfile/dockerfile2llb):
//! - a relative COPY/ADD destination is joined to the WORKDIR; `.` and a
//!   trailing `/` make it a directory (`pathRelativeToWorkingDir`);
//! - `COPY --from` sources are normalised against `/` of the source stage,
//!   not its WORKDIR (`dispatchCopy`: `system.NormalizePath("/", src)`);
//! - a directory source copies its *contents* (`CopyDirContentsOnly`), so
//!   what lands below a destination is never known from the Dockerfile;
//! - `scratch` gets `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`
//!   and WORKDIR `/`; WORKDIR creates its directory;
//! - a stage built `FROM <stage>` runs that stage's ONBUILD triggers first.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Arc;

use super::{Base, Form, ImageRef, Model, RefKind, Resolution, StageRef, VarKind};
use crate::syntax::Keyword;
use crate::text::TextRange;

/// The PATH BuildKit gives a `scratch` stage (and Docker a container
/// whose image sets none).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Top-level directories a Linux base image may hold (FHS and friends):
/// nothing about them can be concluded without the image.
pub const SYSTEM_DIRS: &[&str] = &[
    "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt", "nix",
    "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knowledge {
    Yes,
    No,
    Unknown,
}

/// Where a COPY/ADD source comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The build context.
    Context,
    /// `--from=<stage>`.
    Stage(usize),
    /// `--from=<image>`.
    Image(String),
    /// A heredoc (`COPY <<EOF /dest`).
    Heredoc,
    /// An ADD URL or git reference.
    Remote,
    /// `--from` that BuildKit rejects (variable, later stage, self).
    Unknown,
}

#[derive(Clone, Debug)]
pub struct Source {
    pub origin: Origin,
    /// Absolute and normalised from the origin's root (the context root
    /// for context sources); the text as written for heredocs and URLs;
    /// `None` when it depends on variables.
    pub path: Option<String>,
    pub range: TextRange,
    /// Contains `*`, `?` or `[`.
    pub wildcard: bool,
}

/// A COPY or ADD.
#[derive(Clone, Debug)]
pub struct Copied {
    pub instruction: usize,
    pub stage: usize,
    pub kind: Keyword,
    pub sources: Vec<Source>,
    /// Absolute destination; `None` when not knowable (variables, or a
    /// relative destination under an unknown WORKDIR).
    pub dest: Option<String>,
    pub dest_range: TextRange,
    /// The destination is a directory receiving the sources: it ends in
    /// `/` (or is `.`), or there are several sources.
    pub into_dir: bool,
    /// `--parents`: sources keep their parent directories.
    pub parents: bool,
}

impl Copied {
    /// The paths this copy names: the destination itself for one source
    /// into a non-directory destination, else `dest/<base name>` of each
    /// source without wildcards. A directory source would spread its
    /// contents instead, so these are likely, not certain.
    pub fn entries(&self) -> Vec<String> {
        let Some(dest) = &self.dest else {
            return Vec::new();
        };
        if !self.into_dir && !self.parents {
            return vec![dest.clone()];
        }
        self.sources
            .iter()
            .filter(|s| !s.wildcard && !self.parents)
            .filter_map(|s| match s.origin {
                Origin::Remote => None,
                _ => {
                    let p = s.path.as_deref()?;
                    let base = p.rsplit('/').next().filter(|b| !b.is_empty())?;
                    Some(join(dest, base))
                }
            })
            .collect()
    }
}

#[derive(Clone, Debug, Default)]
struct StageFs {
    /// Stage indices from the chain's root to this stage.
    chain: Vec<usize>,
    scratch: bool,
    /// The first instruction from which this stage's own contents are
    /// unknowable (its FROM when based on an image).
    opened_at: Option<usize>,
    /// Own COPY/ADD, as indices into `Fs::copies`.
    copies: Vec<usize>,
    /// Own WORKDIR instructions and the directories they create.
    workdirs: Vec<(usize, Option<Arc<str>>)>,
    /// Own RUN instructions.
    runs: Vec<usize>,
}

/// The per-stage filesystem model.
#[derive(Clone, Debug, Default)]
pub struct Fs {
    stages: Vec<StageFs>,
    copies: Vec<Copied>,
    /// Per instruction: the WORKDIR in effect (for WORKDIR, the new one),
    /// shared by the instructions it spans.
    workdir: Vec<Option<Arc<str>>>,
    /// Per instruction: the USER instruction in effect.
    user: Vec<Option<usize>>,
    /// Per instruction: the exec-form SHELL instruction in effect.
    shell: Vec<Option<usize>>,
}

impl Fs {
    pub fn new(m: &Model) -> Fs {
        let n = m.instructions.len();
        let mut fs = Fs {
            stages: Vec::with_capacity(m.stages.len()),
            copies: Vec::new(),
            workdir: vec![None; n],
            user: vec![None; n],
            shell: vec![None; n],
        };
        // Per instruction: its `--from` reference.
        let mut copy_from: Vec<Option<u32>> = vec![None; n];
        for (at, r) in m.refs.iter().enumerate().rev() {
            if r.kind == RefKind::CopyFrom {
                if let Some(slot) = copy_from.get_mut(r.instruction) {
                    *slot = Some(at as u32);
                }
            }
        }
        for s in &m.stages {
            let parent = match s.base {
                Base::Stage(b) if b < s.index => Some(b),
                _ => None,
            };
            let mut st = StageFs::default();
            let (mut wd, mut user, mut shell) = match parent {
                Some(p) => {
                    let ps = &fs.stages[p];
                    st.chain = ps.chain.clone();
                    st.scratch = ps.scratch;
                    let last = m.stages[p].instructions.end.saturating_sub(1);
                    (
                        fs.workdir.get(last).cloned().flatten(),
                        fs.user.get(last).copied().flatten(),
                        fs.shell.get(last).copied().flatten(),
                    )
                }
                None => {
                    st.scratch = s.base == Base::Scratch;
                    let wd = match &s.base {
                        Base::Scratch => Some(Arc::from("/")),
                        // `FROM golang:${V}`: a build argument may name
                        // another variant (or image).
                        Base::Image(_) if s.base_text.contains('$') => None,
                        Base::Image(img) => image_workdir(img).map(Arc::from),
                        _ => None,
                    };
                    (wd, None, None)
                }
            };
            st.chain.push(s.index);
            if !st.scratch {
                st.opened_at = Some(s.from);
            }
            // The base stage's ONBUILD triggers run here first.
            if let Some(p) = parent {
                let triggers = m.instructions[m.stages[p].instructions.clone()]
                    .iter()
                    .any(|i| i.kind == Keyword::Onbuild);
                if triggers {
                    st.opened_at.get_or_insert(s.from);
                }
            }
            let si = s.index;
            fs.stages.push(st);
            for i in s.instructions.clone() {
                let ins = &m.instructions[i];
                match ins.kind {
                    Keyword::Workdir => {
                        let new = ins
                            .args
                            .first()
                            .and_then(|w| fs.expand_cow(m, i, &w.value))
                            .and_then(|v| {
                                let v = unquote(&v)?;
                                if v.starts_with('/') {
                                    normalize("/", v)
                                } else {
                                    normalize(wd.as_deref()?, v)
                                }
                            })
                            .map(Arc::from);
                        let st = &mut fs.stages[si];
                        if new.is_none() {
                            st.opened_at.get_or_insert(i);
                        }
                        st.workdirs.push((i, new.clone()));
                        wd = new;
                    }
                    Keyword::User => user = Some(i),
                    Keyword::Shell if ins.form == Form::Exec => shell = Some(i),
                    Keyword::Run => {
                        let st = &mut fs.stages[si];
                        st.runs.push(i);
                        st.opened_at.get_or_insert(i);
                    }
                    Keyword::Copy | Keyword::Add => {
                        let from = copy_from[i].map(|r| &m.refs[r as usize]);
                        let c = copied(&fs, m, i, si, wd.as_deref(), from);
                        let n = fs.copies.len();
                        let st = &mut fs.stages[si];
                        if c.dest.is_none() {
                            st.opened_at.get_or_insert(i);
                        }
                        st.copies.push(n);
                        fs.copies.push(c);
                    }
                    _ => {}
                }
                fs.workdir[i] = wd.clone();
                fs.user[i] = user;
                fs.shell[i] = shell;
            }
        }
        fs
    }

    /// This model for a text where one RUN instruction, `run`, changed and
    /// the instructions after it moved by `delta` bytes (see
    /// [`Fs::survives`]): nothing here depends on a RUN's text, only on
    /// where RUN instructions are.
    pub fn moved_after(mut self, run: usize, delta: i64) -> Fs {
        if delta != 0 {
            for c in self.copies.iter_mut().filter(|c| c.instruction > run) {
                c.dest_range = c.dest_range.shifted(delta);
                for s in &mut c.sources {
                    s.range = s.range.shifted(delta);
                }
            }
        }
        self
    }

    /// Whether this model, built for a text whose instruction `at` was a
    /// RUN of its stage, holds for `m` where that instruction changed and
    /// nothing else did: it is still a RUN (not an ONBUILD trigger, which
    /// the stages built on it read), and the stages and instructions are as
    /// many as before.
    pub fn survives(&self, m: &Model, at: usize) -> bool {
        let was_run = |st: &StageFs| st.runs.binary_search(&at).is_ok();
        self.workdir.len() == m.instructions.len()
            && self.stages.len() == m.stages.len()
            && m.instructions.get(at).is_some_and(|i| {
                i.kind == Keyword::Run
                    && i.stage
                        .and_then(|s| self.stages.get(s))
                        .is_some_and(was_run)
            })
    }

    /// Built on `scratch`, directly or through `FROM <stage>`.
    pub fn stage_is_scratch(&self, stage: usize) -> bool {
        self.stages.get(stage).is_some_and(|s| s.scratch)
    }

    /// The stages `stage` is built on, from the root to itself.
    pub fn chain(&self, stage: usize) -> &[usize] {
        self.stages.get(stage).map_or(&[], |s| s.chain.as_slice())
    }

    /// The WORKDIR in effect at an instruction (after it, for WORKDIR);
    /// `None` when set by a base image or by an unknown value.
    pub fn workdir_at(&self, instruction: usize) -> Option<&str> {
        self.workdir.get(instruction)?.as_deref()
    }

    /// The WORKDIR at the end of a stage.
    pub fn workdir_end(&self, m: &Model, stage: usize) -> Option<&str> {
        let last = m.stages.get(stage)?.instructions.end.checked_sub(1)?;
        self.workdir_at(last)
    }

    /// The USER instruction in effect at an instruction, if any.
    pub fn user_at(&self, instruction: usize) -> Option<usize> {
        *self.user.get(instruction)?
    }

    /// The program and arguments of the shell used by shell-form
    /// instructions at `instruction` (`/bin/sh -c` unless SHELL says).
    pub fn shell_at<'m>(&self, m: &'m Model, instruction: usize) -> Vec<&'m str> {
        match self.shell.get(instruction).copied().flatten() {
            Some(s) => m.instructions[s]
                .args
                .iter()
                .map(|w| w.value.as_str())
                .collect(),
            None => vec!["/bin/sh", "-c"],
        }
    }

    /// The SHELL instruction in effect, if any.
    pub fn shell_instruction_at(&self, instruction: usize) -> Option<usize> {
        *self.shell.get(instruction)?
    }

    /// The stage's own COPY/ADD instructions.
    pub fn copied_paths(&self, stage: usize) -> impl Iterator<Item = &Copied> + '_ {
        self.stages
            .get(stage)
            .map(|s| s.copies.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(move |&c| &self.copies[c])
    }

    /// Every COPY/ADD of the stage and the stages it is built on.
    pub fn chain_copies(&self, stage: usize) -> impl Iterator<Item = &Copied> + '_ {
        self.chain(stage)
            .iter()
            .flat_map(move |&s| self.copied_paths(s))
    }

    /// The stage's own RUN instructions.
    pub fn runs(&self, stage: usize) -> &[usize] {
        self.stages.get(stage).map_or(&[], |s| s.runs.as_slice())
    }

    /// Whether the filesystem is exactly what the Dockerfile wrote, before
    /// `limit` (an instruction index; `usize::MAX` for the stage's end).
    pub fn is_closed(&self, stage: usize, limit: usize) -> bool {
        self.chain(stage).iter().all(|&s| {
            let opened = self.stages[s].opened_at;
            match opened {
                None => true,
                Some(at) => s == stage && at >= limit,
            }
        }) && self.stages.get(stage).is_some()
    }

    /// Whether `path` (absolute) exists at the end of `stage`.
    pub fn may_exist(&self, stage: usize, path: &str) -> Knowledge {
        self.may_exist_before(stage, usize::MAX, path)
    }

    /// Whether `path` (absolute) exists in `stage` just before instruction
    /// `limit` runs.
    pub fn may_exist_before(&self, stage: usize, limit: usize, path: &str) -> Knowledge {
        let Some(p) = normalize("/", path) else {
            return Knowledge::Unknown;
        };
        if p == "/" {
            return Knowledge::Yes;
        }
        let mut below = false;
        for &s in self.chain(stage) {
            let st = &self.stages[s];
            let own = |i: usize| s != stage || i < limit;
            for &c in &st.copies {
                let c = &self.copies[c];
                if !own(c.instruction) {
                    continue;
                }
                if let Some(d) = &c.dest {
                    if is_within(d, &p) {
                        return Knowledge::Yes;
                    }
                    if is_within(&p, d) {
                        below = true;
                    }
                }
            }
            for (i, d) in &st.workdirs {
                if own(*i) && d.as_deref().is_some_and(|d| is_within(d, &p)) {
                    return Knowledge::Yes;
                }
            }
        }
        if below || !self.is_closed(stage, limit) {
            Knowledge::Unknown
        } else {
            Knowledge::No
        }
    }

    /// The directories of PATH at an instruction of a `scratch`-based
    /// stage (ENV PATH followed, `$PATH` expanded); `None` when not known.
    pub fn path_dirs_at(&self, m: &Model, instruction: usize) -> Option<Vec<String>> {
        let v = self.expand(m, instruction, "$PATH")?;
        Some(
            v.split(':')
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// Expand `$NAME` and `${NAME}` in `text` with the ENV values in effect
    /// before instruction `at` (following `FROM <stage>`). `None` when a
    /// value is not known: an ARG (a build argument may override it), a
    /// variable the base image may set, or a `${NAME:-x}` modifier.
    pub fn expand(&self, m: &Model, at: usize, text: &str) -> Option<String> {
        let stage = m.instructions.get(at)?.stage?;
        expand_depth(self, m, stage, at, text, 0, &Cell::new(EXPAND_REFERENCES))
    }

    /// [`Fs::expand`], borrowing `text` when it names no variable.
    fn expand_cow<'t>(&self, m: &Model, at: usize, text: &'t str) -> Option<Cow<'t, str>> {
        if text.contains('$') {
            self.expand(m, at, text).map(Cow::Owned)
        } else {
            m.instructions.get(at)?.stage?;
            Some(Cow::Borrowed(text))
        }
    }

    /// [`Fs::expand`] at the end of a stage.
    pub fn expand_at_end(&self, m: &Model, stage: usize, text: &str) -> Option<String> {
        let end = m.stages.get(stage)?.instructions.end;
        expand_depth(self, m, stage, end, text, 0, &Cell::new(EXPAND_REFERENCES))
    }

    /// Whether a stage's chain runs any RUN (or ONBUILD trigger).
    pub fn chain_runs(&self, stage: usize) -> bool {
        self.chain(stage)
            .iter()
            .any(|&s| !self.stages[s].runs.is_empty())
    }
}

/// How many references one expansion may look up, values of values
/// included, before it gives up: ENV values that each name the previous
/// one many times would otherwise expand exponentially many ("billion
/// laughs"). Paths in real files name a handful.
const EXPAND_REFERENCES: usize = 1_000;

/// The longest result an expansion builds before it gives up.
const EXPAND_BYTES: usize = 1 << 16;

/// `text` with its variables expanded before instruction `at` of `stage`,
/// spending `budget` (references left to look up). With [`lookup`] this
/// recurses into ENV values at most 8 levels deep.
fn expand_depth(
    fs: &Fs,
    m: &Model,
    stage: usize,
    at: usize,
    text: &str,
    depth: usize,
    budget: &Cell<usize>,
) -> Option<String> {
    if !text.contains('$') {
        return Some(text.to_string());
    }
    if depth > 8 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(b) = after.strip_prefix('{') {
            let end = b.find('}')?;
            (&b[..end], end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        budget.set(budget.get().checked_sub(1)?);
        out.push_str(&lookup(fs, m, stage, at, name, depth, budget)?);
        if out.len() > EXPAND_BYTES {
            return None;
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// The value of variable `name` before instruction `at` of `stage`.
fn lookup(
    fs: &Fs,
    m: &Model,
    stage: usize,
    at: usize,
    name: &str,
    depth: usize,
    budget: &Cell<usize>,
) -> Option<String> {
    // Declarations of the chain, latest first.
    let chain = fs.chain(stage);
    let before = m.decls.partition_point(|d| d.instruction < at);
    let decl = m.decls[..before]
        .iter()
        .rev()
        .filter(|d| d.name == name)
        .find(|d| d.stage.is_some_and(|s| chain.contains(&s)));
    match decl {
        Some(d) if d.kind == VarKind::Env => {
            let v = d.value.as_deref().unwrap_or("");
            let s = d.stage.unwrap_or(stage);
            expand_depth(fs, m, s, d.instruction, v, depth + 1, budget)
        }
        Some(_) => None,
        None if fs.stage_is_scratch(stage) => Some(if name == "PATH" {
            DEFAULT_PATH.to_string()
        } else {
            String::new()
        }),
        None => None,
    }
}

/// The COPY/ADD at instruction `i`.
fn copied(
    fs: &Fs,
    m: &Model,
    i: usize,
    stage: usize,
    wd: Option<&str>,
    from: Option<&StageRef>,
) -> Copied {
    let ins = &m.instructions[i];
    let origin = match from {
        None if ins.flag("from").is_some() => Origin::Unknown,
        None => Origin::Context,
        Some(r) => match r.resolution {
            Resolution::Stage(s) => Origin::Stage(s),
            Resolution::Image => Origin::Image(r.text.clone()),
            _ => Origin::Unknown,
        },
    };
    let (srcs, dest) = match ins.args.split_last() {
        Some((d, s)) => (s, Some(d)),
        None => (&[][..], None),
    };
    let sources = srcs
        .iter()
        .map(|w| {
            let v = w.value.as_str();
            let heredoc = v.starts_with("<<") && !ins.heredocs.is_empty();
            let remote = ins.kind == Keyword::Add && origin == Origin::Context && is_remote(v);
            let origin = if heredoc {
                Origin::Heredoc
            } else if remote {
                Origin::Remote
            } else {
                origin.clone()
            };
            let path = match origin {
                Origin::Heredoc | Origin::Remote => Some(v.to_string()),
                _ => fs.expand_cow(m, i, v).and_then(|v| {
                    let v = unquote(&v).filter(|v| !is_windows_path(v))?;
                    normalize("/", v)
                }),
            };
            Source {
                origin,
                path,
                range: w.range,
                wildcard: v.contains(['*', '?', '[']),
            }
        })
        .collect::<Vec<_>>();
    let raw = dest.map(|d| d.value.as_str()).unwrap_or("");
    let into_dir = sources.len() > 1
        || raw.ends_with('/')
        || raw == "."
        || raw.ends_with("/.")
        || raw.is_empty();
    let dest_path = fs.expand_cow(m, i, raw).and_then(|v| {
        let v = unquote(&v)?;
        if is_windows_path(v) {
            None
        } else if v.starts_with('/') {
            normalize("/", v)
        } else {
            normalize(wd?, v)
        }
    });
    Copied {
        instruction: i,
        stage,
        kind: ins.kind,
        sources,
        dest: if dest.is_some() { dest_path } else { None },
        dest_range: dest.map_or(ins.args_range, |d| d.range),
        into_dir,
        parents: ins
            .flag("parents")
            .is_some_and(|f| f.value.as_deref().is_none_or(|v| v != "false")),
    }
}

/// `C:\\app`, `c:/app`, `dir\\file`: a Windows path (not modelled).
fn is_windows_path(v: &str) -> bool {
    v.contains('\\') || v.get(1..2) == Some(":")
}

fn is_remote(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("git@")
        || l.starts_with("git://")
        || l.contains(".git#")
        || l.ends_with(".git")
}

/// Strip one pair of surrounding quotes; `None` when quotes remain inside.
fn unquote(v: &str) -> Option<&str> {
    let t = if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    };
    (!t.contains(['"', '\''])).then_some(t)
}

/// `rel` resolved against the absolute directory `base`, with `.` and `..`
/// resolved and no trailing slash (`/` stays `/`). `None` for an empty
/// path or one with variables left.
pub fn normalize(base: &str, rel: &str) -> Option<String> {
    if rel.contains('$') {
        return None;
    }
    // Already absolute and normal: most paths in a Dockerfile.
    if rel.starts_with('/')
        && rel.len() > 1
        && !rel.ends_with('/')
        && !rel[1..].split('/').any(|s| matches!(s, "" | "." | ".."))
    {
        return Some(rel.to_string());
    }
    let joined_base = if rel.starts_with('/') { "" } else { base };
    let mut out = String::with_capacity(rel.len() + joined_base.len() + 1);
    for seg in joined_base.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            // Drop the last segment (nothing above `/`).
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// `dir/name` for an absolute normalised `dir`.
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether `inner` is `outer` or below it (both normalised).
pub fn is_within(inner: &str, outer: &str) -> bool {
    outer == "/"
        || inner == outer
        || (inner.starts_with(outer) && inner.as_bytes().get(outer.len()) == Some(&b'/'))
}

/// Whether an image is one of Docker Hub's official images, by name
/// (`golang`, `library/golang`, `docker.io/library/golang`).
pub fn official_name(img: &ImageRef) -> Option<&str> {
    let hub = match img.registry.as_deref() {
        None => true,
        Some(r) => r == "docker.io" || r == "index.docker.io" || r == "registry-1.docker.io",
    };
    if !hub {
        return None;
    }
    let repo = img.repository.as_str();
    let name = repo.strip_prefix("library/").unwrap_or(repo);
    (!name.contains('/')).then_some(name)
}

/// Tokens of a tag split at `-`.
fn tag_says_windows(img: &ImageRef) -> bool {
    img.tag.as_deref().is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("windowsservercore") || t.contains("nanoserver")
    })
}

/// The WORKDIR an official image's config sets ("/" when it sets none),
/// for the images whose Dockerfiles are known here; `None` otherwise.
pub fn image_workdir(img: &ImageRef) -> Option<&'static str> {
    if tag_says_windows(img) {
        return None;
    }
    Some(match official_name(img)? {
        "golang" => "/go",
        "php" | "wordpress" => "/var/www/html",
        "composer" => "/app",
        "httpd" => "/usr/local/apache2",
        "tomcat" => "/usr/local/tomcat",
        "rust" | "node" | "python" | "debian" | "ubuntu" | "alpine" | "busybox" | "nginx"
        | "fedora" | "centos" | "rockylinux" | "almalinux" | "archlinux" | "amazonlinux" => "/",
        _ => return None,
    })
}

/// Official images whose root holds only the usual system directories
/// and their WORKDIR (no `/docker-entrypoint.d`, `/data`, `/afs`...).
const PLAIN_ROOT: &[&str] = &[
    "rust", "golang", "node", "python", "debian", "ubuntu", "alpine", "busybox",
];

/// Whether a top-level directory `/name` may exist in an image: system
/// directories always may; otherwise only images whose root is known to be
/// plain (see [`PLAIN_ROOT`]) can say no, unless it is their WORKDIR.
pub fn image_top_dir(img: &ImageRef, name: &str) -> Knowledge {
    if SYSTEM_DIRS.contains(&name) {
        return Knowledge::Unknown;
    }
    let plain = official_name(img).is_some_and(|n| PLAIN_ROOT.contains(&n));
    match image_workdir(img) {
        Some(wd) if plain => {
            let top = wd.trim_start_matches('/').split('/').next().unwrap_or("");
            if top == name {
                Knowledge::Yes
            } else {
                Knowledge::No
            }
        }
        _ => Knowledge::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(text: &str) -> (Model, Fs) {
        let m = Model::build(text);
        let f = Fs::new(&m);
        (m, f)
    }

    #[test]
    fn normalises_paths() {
        assert_eq!(
            normalize("/app", "x/../y/./z/").as_deref(),
            Some("/app/y/z")
        );
        assert_eq!(normalize("/app", "/a//b").as_deref(), Some("/a/b"));
        assert_eq!(normalize("/", "..").as_deref(), Some("/"));
        assert_eq!(normalize("/a/b", "../../../x").as_deref(), Some("/x"));
        assert_eq!(normalize("/app/sub", "../..").as_deref(), Some("/"));
        assert_eq!(normalize("/a/b/c", "../d/..").as_deref(), Some("/a/b"));
        assert_eq!(normalize("/ab/cd", "../e").as_deref(), Some("/ab/e"));
        assert_eq!(normalize("/app", ".").as_deref(), Some("/app"));
        assert_eq!(normalize("/app/", "").as_deref(), Some("/app"));
        assert_eq!(normalize("/", "$X"), None);
        assert!(is_within("/app/x", "/app"));
        assert!(is_within("/app", "/app"));
        assert!(!is_within("/apple", "/app"));
        assert!(is_within("/x", "/"));
    }

    #[test]
    fn scratch_through_stage_chains() {
        let (_, f) =
            fs("FROM scratch AS a\nFROM a AS b\nFROM alpine:3 AS c\nFROM c\nFROM $X\nFROM b\n");
        assert!(f.stage_is_scratch(0));
        assert!(f.stage_is_scratch(1));
        assert!(!f.stage_is_scratch(2));
        assert!(!f.stage_is_scratch(3));
        assert!(!f.stage_is_scratch(4));
        assert!(f.stage_is_scratch(5));
        assert_eq!(f.chain(5), &[0, 1, 5]);
    }

    #[test]
    fn workdir_resolves_and_inherits() {
        let (m, f) = fs(
            "ARG V=1.23\nFROM scratch AS a\nCOPY x y\nWORKDIR app\nWORKDIR ../srv/./w\n\
             FROM a\nCOPY z .\nFROM ghcr.io/me/base:1\nCOPY a b\nWORKDIR rel\nWORKDIR /abs\n\
             ENV D=/data\nWORKDIR $D/x\nARG A=/a\nWORKDIR $A\nFROM golang:1.23\nCOPY . .\n\
             FROM golang:$V\nCOPY . .\n",
        );
        let wd = |i: usize| f.workdir_at(i + 1).map(str::to_string);
        assert_eq!(wd(0).as_deref(), Some("/"));
        assert_eq!(wd(1).as_deref(), Some("/"));
        assert_eq!(wd(2).as_deref(), Some("/app"));
        assert_eq!(wd(3).as_deref(), Some("/srv/w"));
        assert_eq!(wd(5).as_deref(), Some("/srv/w"), "inherited through FROM a");
        assert_eq!(wd(7), None, "the image's WORKDIR is not known here");
        assert_eq!(wd(8), None, "relative to an unknown WORKDIR");
        assert_eq!(wd(9).as_deref(), Some("/abs"));
        assert_eq!(wd(11).as_deref(), Some("/data/x"), "ENV expanded");
        assert_eq!(wd(13), None, "an ARG may be overridden");
        assert_eq!(wd(15).as_deref(), Some("/go"), "golang sets WORKDIR /go");
        assert_eq!(wd(17), None, "a build argument may name a Windows variant");
        assert_eq!(f.workdir_end(&m, 1), Some("/srv/w"));
    }

    #[test]
    fn copies_record_destinations_and_origins() {
        let (_, f) = fs(
            "FROM golang:1.23 AS build\nWORKDIR /src\nRUN go build -o /out/app\n\
             FROM scratch\nWORKDIR /app\nCOPY --from=build out/app .\nCOPY a b /etc/\n\
             COPY --from=build /out/app bin/server\nADD https://x.io/f.tgz /opt/\n\
             COPY <<EOF /etc/motd\nhi\nEOF\n",
        );
        let c: Vec<&Copied> = f.copied_paths(1).collect();
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].sources[0].origin, Origin::Stage(0));
        assert_eq!(c[0].sources[0].path.as_deref(), Some("/out/app"));
        assert_eq!(c[0].dest.as_deref(), Some("/app"));
        assert!(c[0].into_dir);
        assert_eq!(c[0].entries(), ["/app/app"]);
        assert_eq!(c[1].entries(), ["/etc/a", "/etc/b"]);
        assert_eq!(c[1].sources[0].origin, Origin::Context);
        assert_eq!(c[2].dest.as_deref(), Some("/app/bin/server"));
        assert_eq!(c[2].entries(), ["/app/bin/server"]);
        assert_eq!(c[3].sources[0].origin, Origin::Remote);
        assert_eq!(c[4].sources[0].origin, Origin::Heredoc);
        assert_eq!(c[4].dest.as_deref(), Some("/etc/motd"));
    }

    #[test]
    fn knowledge_in_closed_and_open_stages() {
        let (m, f) = fs("FROM alpine:3 AS tools\n\
             FROM scratch AS app\nCOPY --from=tools /bin/busybox /bin/\nCOPY conf/ /etc/app/\n\
             FROM app AS more\nRUN [\"/bin/busybox\", \"true\"]\nCOPY x /x\n");
        use Knowledge::*;
        assert_eq!(f.may_exist(0, "/bin/sh"), Unknown, "an image");
        assert_eq!(f.may_exist(1, "/bin"), Yes);
        assert_eq!(
            f.may_exist(1, "/bin/busybox"),
            Unknown,
            "below a destination"
        );
        assert_eq!(f.may_exist(1, "/bin/sh"), Unknown);
        assert_eq!(f.may_exist(1, "/usr/bin/env"), No);
        assert_eq!(f.may_exist(1, "/etc/app"), Yes);
        assert_eq!(f.may_exist(1, "/"), Yes);
        // Before the RUN of `more`, its filesystem is still closed.
        let run = m.stages[2].instructions.start + 1;
        assert_eq!(f.may_exist_before(2, run, "/usr/bin/env"), No);
        assert_eq!(f.may_exist_before(2, run, "/x"), No);
        assert_eq!(f.may_exist(2, "/usr/bin/env"), Unknown, "a RUN ran");
        assert_eq!(f.may_exist(2, "/x"), Yes);
    }

    #[test]
    fn unknown_destinations_and_onbuild_open_the_stage() {
        let (_, f) = fs("FROM scratch\nARG D\nCOPY x $D\n");
        assert_eq!(f.may_exist(0, "/bin/sh"), Knowledge::Unknown);
        let (_, f) = fs("FROM scratch\nENV D=/opt\nCOPY x $D/\n");
        assert_eq!(f.may_exist(0, "/bin/sh"), Knowledge::No);
        assert_eq!(f.may_exist(0, "/opt"), Knowledge::Yes);
        let (_, f) = fs("FROM scratch AS a\nONBUILD COPY x /bin/sh\nFROM a\n");
        assert_eq!(f.may_exist(0, "/bin/sh"), Knowledge::No);
        assert_eq!(f.may_exist(1, "/bin/sh"), Knowledge::Unknown);
    }

    #[test]
    fn user_shell_and_path() {
        let (m, f) = fs(
            "FROM scratch AS a\nUSER 1000\nSHELL [\"/busybox/sh\", \"-c\"]\n\
             ENV PATH=/busybox:$PATH\nFROM a\nCMD x\n",
        );
        assert_eq!(f.user_at(5), Some(1));
        assert_eq!(f.shell_at(&m, 5), ["/busybox/sh", "-c"]);
        assert_eq!(f.shell_at(&m, 1), ["/bin/sh", "-c"]);
        let dirs = f.path_dirs_at(&m, 5).unwrap();
        assert_eq!(dirs[0], "/busybox");
        assert_eq!(dirs.len(), 7);
        let (m, f) = fs("FROM debian:12\nCMD x\n");
        assert_eq!(f.path_dirs_at(&m, 1), None, "the image sets PATH");
    }

    #[test]
    fn image_facts() {
        let img = ImageRef::parse("golang:1.23");
        assert_eq!(image_workdir(&img), Some("/go"));
        assert_eq!(image_top_dir(&img, "go"), Knowledge::Yes);
        assert_eq!(image_top_dir(&img, "app"), Knowledge::No);
        assert_eq!(image_top_dir(&img, "usr"), Knowledge::Unknown);
        let nginx = ImageRef::parse("nginx:1.27");
        assert_eq!(
            image_top_dir(&nginx, "docker-entrypoint.d"),
            Knowledge::Unknown
        );
        let mine = ImageRef::parse("ghcr.io/me/builder:1");
        assert_eq!(image_top_dir(&mine, "app"), Knowledge::Unknown);
        assert_eq!(
            image_workdir(&ImageRef::parse("golang:1.23-windowsservercore")),
            None
        );
    }

    #[test]
    fn broken_input_does_not_panic() {
        for text in [
            "",
            "COPY a b\n",
            "FROM\nCOPY\nWORKDIR\n",
            "FROM scratch\nCOPY --from= a\nWORKDIR ${\n",
            "FROM scratch\nENV A=$A\nWORKDIR $A\n",
        ] {
            let (_, f) = fs(text);
            let _ = f.may_exist(0, "/x");
            let _ = f.workdir_at(3);
        }
    }
}
