//! Helpers shared by the stage-aware rules: executables in a stage's
//! filesystem, the CMD/ENTRYPOINT in effect, base images.

use crate::model::fs::{self, Fs, Knowledge};
use crate::model::{Base, Form, Instruction, Model};
use crate::syntax::Keyword;
use crate::text::TextRange;

/// Stages no later stage is built on (`FROM <stage>`): where a CMD or
/// ENTRYPOINT finally takes effect.
pub fn leaves(m: &Model) -> Vec<usize> {
    let mut is_base = vec![false; m.stages.len()];
    for s in &m.stages {
        if let Base::Stage(b) = s.base {
            if let Some(x) = is_base.get_mut(b) {
                *x = true;
            }
        }
    }
    (0..m.stages.len()).filter(|&s| !is_base[s]).collect()
}

/// The `FROM` line's base range of the stage a chain starts at.
pub fn root_from_range(m: &Model, fs: &Fs, stage: usize) -> Option<TextRange> {
    let root = *fs.chain(stage).first()?;
    Some(m.stages.get(root)?.base_range)
}

/// The instructions in effect at the end of a stage: ENTRYPOINT, CMD and
/// HEALTHCHECK, following `FROM <stage>`. BuildKit clears an inherited
/// CMD when a stage sets ENTRYPOINT without setting CMD before it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Effective {
    pub entrypoint: Option<usize>,
    pub cmd: Option<usize>,
    pub healthcheck: Option<usize>,
}

pub fn effective(m: &Model, fs: &Fs, stage: usize) -> Effective {
    let mut e = Effective::default();
    for &s in fs.chain(stage) {
        let mut cmd_set = false;
        for ins in &m.instructions[m.stages[s].instructions.clone()] {
            match ins.kind {
                Keyword::Cmd => {
                    e.cmd = Some(ins.index);
                    cmd_set = true;
                }
                Keyword::Entrypoint => {
                    // `ENTRYPOINT []` clears it.
                    let empty = ins.form == Form::Exec && ins.args.is_empty();
                    e.entrypoint = (!empty).then_some(ins.index);
                    if !cmd_set {
                        e.cmd = None;
                    }
                }
                Keyword::Healthcheck => e.healthcheck = Some(ins.index),
                _ => {}
            }
        }
    }
    e
}

/// How an executable name was looked up.
pub enum Lookup {
    /// An absolute path, or a relative one resolved against the WORKDIR.
    Path(String),
    /// A bare name looked up in these PATH directories.
    InPath(Vec<String>),
}

/// Whether executable `exe` exists in `stage` before instruction `limit`
/// (`usize::MAX`: at the end), with `cwd` and `path` the WORKDIR and PATH
/// the lookup uses. `None` when it cannot be resolved.
pub fn find_executable(
    fs: &Fs,
    stage: usize,
    limit: usize,
    exe: &str,
    cwd: Option<&str>,
    path: Option<Vec<String>>,
) -> Option<(Knowledge, Lookup)> {
    if exe.is_empty() || exe.contains('$') {
        return None;
    }
    if exe.contains('/') {
        let p = if exe.starts_with('/') {
            fs::normalize("/", exe)?
        } else {
            fs::normalize(cwd?, exe)?
        };
        return Some((fs.may_exist_before(stage, limit, &p), Lookup::Path(p)));
    }
    let dirs = path?;
    let mut k = Knowledge::No;
    for d in &dirs {
        if !d.starts_with('/') {
            return None;
        }
        match fs.may_exist_before(stage, limit, &fs::join(d, exe)) {
            Knowledge::Yes => return Some((Knowledge::Yes, Lookup::InPath(dirs))),
            Knowledge::Unknown => k = Knowledge::Unknown,
            Knowledge::No => {}
        }
    }
    Some((k, Lookup::InPath(dirs)))
}

/// The PATH at the end of a stage.
pub fn path_at_end(m: &Model, fs: &Fs, stage: usize) -> Option<Vec<String>> {
    let v = fs.expand_at_end(m, stage, "$PATH")?;
    Some(
        v.split(':')
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// A short description of the paths a stage's chain copied in, for
/// related information.
pub fn copy_notes(m: &Model, fs: &Fs, stage: usize) -> Vec<(TextRange, String)> {
    fs.chain_copies(stage)
        .filter_map(|c| {
            let ins = m.instructions.get(c.instruction)?;
            let dest = c.dest.as_deref()?;
            let what = if c.into_dir || c.parents {
                format!("{} copies into {dest}/", ins.kind.name())
            } else {
                format!("{} puts {dest} here", ins.kind.name())
            };
            Some((ins.range_without_heredocs(), what))
        })
        .collect()
}

/// The range of an instruction's logical line (heredoc bodies excluded).
pub trait LineRange {
    fn range_without_heredocs(&self) -> TextRange;
}

impl LineRange for Instruction {
    fn range_without_heredocs(&self) -> TextRange {
        let end = self.logical_end.max(self.range.start).min(self.range.end);
        TextRange::new(self.range.start, end)
    }
}

/// Whether the instruction is in shell form with a command to run.
pub fn is_shell_form(ins: &Instruction) -> bool {
    ins.form == Form::Shell && (!ins.args.is_empty() || !ins.heredocs.is_empty())
}

/// How messages name a stage after the word "stage": `` `build` `` or
/// its index (`stage 2`).
pub fn stage_label(m: &Model, stage: usize) -> String {
    match m.stages.get(stage).and_then(|s| s.name.as_deref()) {
        Some(n) => format!("`{n}`"),
        None => stage.to_string(),
    }
}

/// The text a RUN hands its shell: the logical line and the heredoc
/// bodies. Rules read commands through the shell model; this raw text is
/// only for conservative checks ("could this RUN have written /x?"), which
/// must also see redirections and strings the model does not expose.
pub fn run_texts<'a>(text: &'a str, ins: &'a Instruction) -> impl Iterator<Item = &'a str> + 'a {
    std::iter::once(ins.joined.text.as_str())
        .chain(ins.heredocs.iter().map(move |h| h.body.slice(text)))
}

/// A WebAssembly image: a `wasi`/`wasm` platform, or a stage whose copies
/// are `.wasm` modules. Wasm runtimes resolve the entrypoint themselves
/// and need no shell, so the scratch rules do not apply.
pub fn is_wasm_stage(m: &Model, fs: &Fs, stage: usize) -> bool {
    let wasm = |p: &str| p.ends_with(".wasm") || p.ends_with(".wat");
    fs.chain(stage).iter().any(|&s| {
        m.stages[s].platform.as_ref().is_some_and(|f| {
            f.value
                .as_deref()
                .is_some_and(|v| v.contains("wasi") || v.contains("wasm"))
        })
    }) || fs.chain_copies(stage).any(|c| {
        c.dest.as_deref().is_some_and(wasm)
            || c.sources
                .iter()
                .any(|s| s.path.as_deref().is_some_and(wasm))
    })
}

/// Whether a `RUN --mount` may provide `path` for that RUN (a bind of
/// `busybox` at `/bin`): its target contains `path`, or the target is not
/// readable.
pub fn mount_may_provide(ins: &Instruction, path: &str) -> bool {
    ins.flags.iter().filter(|f| f.name == "mount").any(|f| {
        let Some(v) = f.value.as_deref() else {
            return true;
        };
        let target = v.split(',').find_map(|field| {
            let (k, val) = field.split_once('=')?;
            matches!(k.trim(), "target" | "dst" | "destination").then(|| val.trim())
        });
        match target.and_then(|t| fs::normalize("/", t)) {
            Some(t) => fs::is_within(path, &t),
            None => true,
        }
    })
}

/// Whether a `RUN --mount` may provide the program a lookup searched for.
pub fn mount_provides(ins: &Instruction, how: &Lookup, name: &str) -> bool {
    match how {
        Lookup::Path(p) => mount_may_provide(ins, p),
        Lookup::InPath(dirs) => dirs
            .iter()
            .any(|d| mount_may_provide(ins, &fs::join(d, name))),
    }
}

/// Whether something in `stage`'s chain before instruction `limit`
/// (`usize::MAX`: the stage's end) may have written one of `paths` over
/// what the base image holds: any RUN, or a COPY/ADD whose destination is
/// unknown or covers the path or lies below it.
pub fn chain_may_write(fs: &Fs, stage: usize, limit: usize, paths: &[&str]) -> bool {
    let before = |s: usize, i: usize| s != stage || i < limit;
    fs.chain(stage)
        .iter()
        .any(|&s| fs.runs(s).iter().any(|&r| before(s, r)))
        || fs
            .chain_copies(stage)
            .filter(|c| before(c.stage, c.instruction))
            .any(|c| match &c.dest {
                None => true,
                Some(d) => paths
                    .iter()
                    .any(|p| fs::is_within(p, d) || fs::is_within(d, p)),
            })
}
