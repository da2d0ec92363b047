//! Running ShellCheck on RUN scripts, and its findings as diagnostics.
//!
//! The binary is `shellcheck` on `PATH` (looked up once per process). It
//! always gets the same options, `--norc --format=json1 --shell=<sh|bash>`,
//! and then its input in one of two ways:
//!
//! - one script on stdin (`-`), killed after [`TIMEOUT`] ([`Runner::check`]);
//! - many scripts at once ([`Runner::check_many`]: a document's scripts,
//!   or with [`prefetch`] those of several files, as `berth check` does):
//!   each written to a file in a fresh private directory under the system
//!   temp dir (removed afterwards; one left behind by a berth killed
//!   meanwhile is removed by a later one), at most [`MAX_BATCH`] files per
//!   process, killed after [`TIMEOUT`] per script (at most
//!   [`BATCH_TIMEOUT_CAP`]). A batch that is killed or fails is checked
//!   again one script at a time on stdin, so one slow script costs only its
//!   own findings. Starting ShellCheck costs nearly as much as checking a
//!   typical RUN script: over the corpus, this saves over a third of the
//!   time.
//!
//! Both ways give the same findings: ShellCheck reads a file and stdin
//! alike (bytes, decoded as UTF-8), and `--norc` keeps it from looking for
//! a `.shellcheckrc`, which it would look for from the file's directory
//! for a file but from the working directory for stdin. The working
//! directory is berth's own either way (it matters only where ShellCheck is
//! told to follow `source`d files).
//!
//! Results are cached by (shell, input text), so an unchanged RUN is not
//! checked again as a document is edited or files share scripts.
//!
//! Findings become diagnostics with the ShellCheck code (`SC2086`) as their
//! code, no aliases, and ShellCheck's level as severity (error, warning,
//! info; style is info). Settings apply to them like to rules: `ignored`,
//! overrides, `--select`; then the file's pragmas (`# hadolint
//! ignore=SC2086`). Codes in [`DEFAULT_EXCLUDED`] are off unless a setting
//! names them.
//!
//! The pure half (which scripts, what text, the map back to ranges) is
//! `shell::shellcheck`.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;

use crate::ide::Analysis;
use crate::rules::{Diagnostic, RuleSettings, Severity, Suppressions};
use crate::shell::shellcheck::{jobs, jobs_in, Job, Shell, DEFAULT_EXCLUDED};
use crate::text::{BoundedCache, HeapSize};

/// How long one script may take before ShellCheck is killed.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// Said once when the binary is missing.
pub const NOT_FOUND: &str = "ShellCheck not found: SC checks off";

/// Bytes the findings cache may hold, script texts (its keys) included:
/// an editor session makes a new script text per keystroke in a RUN, and
/// the least recently used go first.
pub const CACHE_BYTES: usize = 8 << 20;

/// Whether and which ShellCheck findings are wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCheckSettings {
    pub enabled: bool,
    /// `--select`: only these codes are reported (`None`: all).
    pub only: Option<Vec<String>>,
}

impl Default for ShellCheckSettings {
    fn default() -> ShellCheckSettings {
        ShellCheckSettings {
            enabled: true,
            only: None,
        }
    }
}

impl ShellCheckSettings {
    /// Whether anything ShellCheck reports could be shown.
    pub fn wanted(&self) -> bool {
        self.enabled
            && self
                .only
                .as_ref()
                .is_none_or(|codes| codes.iter().any(|c| is_sc_code(c)))
    }
}

/// `SC` followed by digits, in any case.
pub fn is_sc_code(code: &str) -> bool {
    code.len() > 2
        && code[..2].eq_ignore_ascii_case("SC")
        && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The wiki page of a ShellCheck code.
pub fn wiki_url(code: &str) -> String {
    format!(
        "https://www.shellcheck.net/wiki/{}",
        code.to_ascii_uppercase()
    )
}

/// One ShellCheck comment, as `--format=json1` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: u32,
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl HeapSize for Finding {
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Finding>() + self.message.capacity()
    }
}

/// Parse ShellCheck's `json1` output.
pub fn parse_json1(out: &str) -> Result<Vec<Finding>, String> {
    Ok(read_json1(out)?.into_iter().map(|(_, f)| f).collect())
}

/// Parse the `json1` output of a run on files: the findings of each file,
/// by the name it was given as (in ShellCheck's order). Comments without a
/// file name are left out.
pub fn parse_json1_files(out: &str) -> Result<HashMap<String, Vec<Finding>>, String> {
    let mut by_file: HashMap<String, Vec<Finding>> = HashMap::new();
    for (file, finding) in read_json1(out)? {
        if let Some(file) = file {
            by_file.entry(file).or_default().push(finding);
        }
    }
    Ok(by_file)
}

/// Each comment of `json1` output with its `file`.
fn read_json1(out: &str) -> Result<Vec<(Option<String>, Finding)>, String> {
    let v: Value = serde_json::from_str(out).map_err(|e| format!("unexpected output: {e}"))?;
    let comments = v
        .get("comments")
        .and_then(Value::as_array)
        .ok_or("unexpected output: no `comments` array")?;
    let num = |c: &Value, k: &str| c.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
    Ok(comments
        .iter()
        .filter_map(|c| {
            let code = c.get("code").and_then(Value::as_u64)? as u32;
            let severity = match c.get("level").and_then(Value::as_str)? {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                _ => Severity::Info, // info, style
            };
            let finding = Finding {
                code,
                severity,
                message: c.get("message").and_then(Value::as_str)?.to_string(),
                line: num(c, "line"),
                column: num(c, "column"),
                end_line: num(c, "endLine"),
                end_column: num(c, "endColumn"),
            };
            let file = c.get("file").and_then(Value::as_str).map(str::to_string);
            Some((file, finding))
        })
        .collect())
}

/// The options every run gets, before its input (`-` or files).
fn options(shell: Shell) -> [String; 3] {
    [
        "--norc".to_string(),
        "--format=json1".to_string(),
        format!("--shell={}", shell.as_str()),
    ]
}

/// Scripts per ShellCheck process at most, when checking many.
pub const MAX_BATCH: usize = 256;

/// Bytes of file names per ShellCheck command line at most (well under
/// the smallest limit, Windows' 32K characters).
const MAX_BATCH_ARGS: usize = 16 * 1024;

/// How long a batch may take at most, however many scripts it has.
pub const BATCH_TIMEOUT_CAP: Duration = Duration::from_secs(20);

type Key = (Shell, String);

/// What one run of the binary gave.
enum Ran {
    /// Its stdout, and whether it exited with 0 or 1 (1: it found
    /// something; 2 and above: it could not check some input or its
    /// options).
    Exited { out: String, ok: bool },
    /// Killed for taking longer than its timeout.
    TimedOut,
}

/// How scratch directories' names start.
const SCRATCH_PREFIX: &str = "berth-shellcheck-";

/// A scratch directory unchanged for this long was left by a berth that
/// ended during a batch (killed, or a language server told to exit): a
/// batch adds its files when it starts and lasts [`BATCH_TIMEOUT_CAP`] at
/// most. (Were a live one removed, its batch would fail and its scripts be
/// checked on stdin.)
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// Remove abandoned scratch directories in `parent`, once per process.
fn sweep_abandoned(parent: &Path) {
    static SWEPT: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let first = SWEPT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(parent.to_path_buf());
    if !first {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(SCRATCH_PREFIX));
        // Not following symbolic links: only a directory itself.
        let Ok(meta) = entry.metadata() else { continue };
        let abandoned = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > ABANDONED_AFTER);
        if ours && meta.is_dir() && abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The scratch directories of batches under way.
fn live_scratch_dirs() -> std::sync::MutexGuard<'static, HashSet<PathBuf>> {
    static LIVE: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    LIVE.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Remove the scratch directories of batches still under way, for a
/// process about to exit without waiting for them (the language server).
pub fn remove_scratch_dirs() {
    for dir in live_scratch_dirs().drain() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A fresh, private directory, removed with its files on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(parent: &Path) -> std::io::Result<ScratchDir> {
        sweep_abandoned(parent);
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut tries = 0;
        loop {
            let dir = parent.join(format!(
                "{SCRATCH_PREFIX}{}-{}-{nanos}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            // `create`, not `create_all`: fails if the name is taken, so
            // the directory is ours alone.
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(&dir) {
                Ok(()) => {
                    live_scratch_dirs().insert(dir.clone());
                    return Ok(ScratchDir(dir));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 8 => {
                    tries += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Write `text` to `path` (in it), a new file.
    fn write(&self, path: &Path, text: &str) -> std::io::Result<()> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?
            .write_all(text.as_bytes())
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        live_scratch_dirs().remove(&self.0);
    }
}

/// A ShellCheck binary with its cache.
pub struct Runner {
    program: PathBuf,
    timeout: Duration,
    /// Where batches' scratch directories are made.
    scratch: PathBuf,
    cache: Mutex<BoundedCache<Key, Arc<Vec<Finding>>>>,
}

impl Runner {
    pub fn new(program: PathBuf, timeout: Duration) -> Runner {
        Runner {
            program,
            timeout,
            scratch: std::env::temp_dir(),
            cache: Mutex::new(BoundedCache::new(CACHE_BYTES)),
        }
    }

    /// Make batches' scratch directories in `dir` instead of the system
    /// temp dir.
    pub fn with_scratch_dir(mut self, dir: PathBuf) -> Runner {
        self.scratch = dir;
        self
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, BoundedCache<Key, Arc<Vec<Finding>>>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn store(&self, shell: Shell, input: &str, findings: Arc<Vec<Finding>>) {
        let cost = input.len() + findings.heap_size();
        (self.cache()).insert((shell, input.to_string()), findings, cost);
    }

    /// The cached result for this script, if any.
    pub fn cached(&self, shell: Shell, input: &str) -> Option<Arc<Vec<Finding>>> {
        self.cache().get(&(shell, input.to_string()))
    }

    /// Bytes the findings cache holds (at most [`CACHE_BYTES`]).
    pub fn cache_bytes(&self) -> usize {
        self.cache().bytes()
    }

    /// ShellCheck's findings on `input` (cached). A script that takes too
    /// long is cached as having none, so it is not tried on every edit.
    pub fn check(&self, shell: Shell, input: &str) -> Result<Arc<Vec<Finding>>, String> {
        if let Some(hit) = self.cached(shell, input) {
            return Ok(hit);
        }
        let result = match self.spawn(shell, input) {
            Ok(Some(findings)) => Arc::new(findings),
            Ok(None) => Arc::new(Vec::new()), // timed out
            Err(e) => return Err(e),
        };
        self.store(shell, input, result.clone());
        Ok(result)
    }

    /// [`Runner::check`] on each of `inputs`, in their order, with one
    /// ShellCheck process per [`MAX_BATCH`] scripts not yet cached instead
    /// of one per script. The findings, and what is cached, are the same.
    pub fn check_many(
        &self,
        shell: Shell,
        inputs: &[&str],
    ) -> Vec<Result<Arc<Vec<Finding>>, String>> {
        let mut results: Vec<Option<Result<Arc<Vec<Finding>>, String>>> = inputs
            .iter()
            .map(|i| self.cached(shell, i).map(Ok))
            .collect();
        // The scripts to run, each once, in order of appearance.
        let mut todo: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (&input, r) in inputs.iter().zip(&results) {
            if r.is_none() && seen.insert(input) {
                todo.push(input);
            }
        }
        // One script goes on stdin: no files to write for it.
        if todo.len() > 1 {
            let mut done = HashMap::new();
            self.run_batches(shell, &todo, &mut done);
            for (&input, r) in inputs.iter().zip(results.iter_mut()) {
                if r.is_none() {
                    *r = done.get(input).cloned();
                }
            }
        }
        inputs
            .iter()
            .zip(results)
            .map(|(&input, r)| r.unwrap_or_else(|| self.check(shell, input)))
            .collect()
    }

    /// Run `todo` in batches, into `done`; a script a batch could not
    /// check is checked alone.
    fn run_batches<'a>(
        &self,
        shell: Shell,
        todo: &[&'a str],
        done: &mut HashMap<&'a str, Result<Arc<Vec<Finding>>, String>>,
    ) {
        let mut results: Vec<Option<Vec<Finding>>> = vec![None; todo.len()];
        if let Ok(dir) = ScratchDir::new(&self.scratch) {
            let mut start = 0;
            while start < todo.len() {
                let Some(end) = self.batch(shell, &dir, todo, start, &mut results) else {
                    break; // cannot write the files: the rest alone
                };
                start = end;
            }
            // `dir` is removed here, whatever happened.
        }
        for (input, found) in todo.iter().zip(results) {
            let result = match found {
                Some(findings) => {
                    let findings = Arc::new(findings);
                    self.store(shell, input, findings.clone());
                    Ok(findings)
                }
                None => self.check(shell, input),
            };
            done.insert(input, result);
        }
    }

    /// Write scripts from `todo[start..]` to files in `dir` and run one
    /// ShellCheck on as many as fit one command line ([`MAX_BATCH`]),
    /// putting their findings in `results` if it ran to the end. Returns
    /// where the next batch starts, or `None` if the files could not be
    /// written.
    fn batch(
        &self,
        shell: Shell,
        dir: &ScratchDir,
        todo: &[&str],
        start: usize,
        results: &mut [Option<Vec<Finding>>],
    ) -> Option<usize> {
        let mut args: Vec<std::ffi::OsString> =
            options(shell).into_iter().map(Into::into).collect();
        // The name ShellCheck reports each file as: its path, as given.
        let mut names: Vec<String> = Vec::new();
        let mut bytes = 0;
        let mut end = start;
        while end < todo.len() && names.len() < MAX_BATCH {
            let path = dir.0.join(end.to_string());
            // A path that is not UTF-8 could not be matched with the
            // file names in the output.
            let name = path.to_str()?.to_string();
            bytes += name.len() + 1;
            if bytes > MAX_BATCH_ARGS && !names.is_empty() {
                break;
            }
            dir.write(&path, todo[end]).ok()?;
            args.push(path.into_os_string());
            names.push(name);
            end += 1;
        }
        let timeout = self
            .timeout
            .saturating_mul(names.len() as u32)
            .min(BATCH_TIMEOUT_CAP.max(self.timeout));
        if let Ok(Ran::Exited { out, ok: true }) = self.run(&args, None, timeout) {
            if let Ok(mut by_file) = parse_json1_files(&out) {
                for (slot, name) in results[start..end].iter_mut().zip(&names) {
                    *slot = Some(by_file.remove(name).unwrap_or_default());
                }
            }
        }
        Some(end)
    }

    /// Run the binary once on `input` (stdin); `Ok(None)` when it was
    /// killed for taking longer than the timeout.
    fn spawn(&self, shell: Shell, input: &str) -> Result<Option<Vec<Finding>>, String> {
        let mut args: Vec<std::ffi::OsString> =
            options(shell).into_iter().map(Into::into).collect();
        args.push("-".into());
        match self.run(&args, Some(input.to_string()), self.timeout)? {
            Ran::Exited { out, .. } => parse_json1(&out).map(Some),
            Ran::TimedOut => Ok(None),
        }
    }

    /// Run the binary once with `args` and `stdin` (none: empty), and
    /// kill it after `timeout`.
    fn run(
        &self,
        args: &[std::ffi::OsString],
        stdin: Option<String>,
        timeout: Duration,
    ) -> Result<Ran, String> {
        let mut child = Command::new(&self.program)
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let mut pipe = child.stdin.take();
        let mut stdout = child.stdout.take();
        // Feed stdin and drain stdout on their own threads, so neither pipe
        // can block the other and the timeout below always applies.
        let writer = std::thread::spawn(move || {
            if let (Some(p), Some(input)) = (pipe.as_mut(), stdin) {
                let _ = p.write_all(input.as_bytes());
            }
            drop(pipe);
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = String::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_string(&mut out);
            }
            let _ = tx.send(out);
        });
        let out = match rx.recv_timeout(timeout) {
            Ok(out) => out,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                return Ok(Ran::TimedOut);
            }
        };
        let _ = writer.join();
        let ok = child
            .wait()
            .is_ok_and(|s| matches!(s.code(), Some(0) | Some(1)));
        Ok(Ran::Exited { out, ok })
    }
}

/// `shellcheck` on `PATH`, if any.
pub fn find_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("shellcheck"))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file() || p.with_extension("exe").is_file()
}

/// The process-wide runner: `shellcheck` on `PATH`, looked up once.
pub fn global() -> Option<&'static Runner> {
    static RUNNER: OnceLock<Option<Runner>> = OnceLock::new();
    RUNNER
        .get_or_init(|| find_on_path().map(|p| Runner::new(p, TIMEOUT)))
        .as_ref()
}

/// True the first time it is called with `message` in this process: for
/// notes that should be said once (the binary is missing, it failed).
pub fn first_time(message: &str) -> bool {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    SEEN.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(message.to_string())
}

/// `SC2086` as a `&'static str` (diagnostic codes are static): each code
/// is allocated once per process, and there are a few hundred at most.
pub fn code_str(code: u32) -> &'static str {
    static CODES: OnceLock<Mutex<HashMap<u32, &'static str>>> = OnceLock::new();
    let mut codes = CODES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    codes
        .entry(code)
        .or_insert_with(|| Box::leak(format!("SC{code:04}").into_boxed_str()))
}

/// The severity a ShellCheck code gets under these settings, or `None`
/// when it is off. The last override naming the code wins, as for rules.
fn level(
    code: &str,
    default: Severity,
    rules: &RuleSettings,
    sc: &ShellCheckSettings,
) -> Option<Severity> {
    let named = |c: &String| c.eq_ignore_ascii_case(code);
    if let Some(only) = &sc.only {
        if !only.iter().any(named) {
            return None;
        }
    }
    if let Some((_, sev)) = rules.overrides.iter().rev().find(|(c, _)| named(c)) {
        return *sev;
    }
    let excluded = code
        .get(2..)
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| DEFAULT_EXCLUDED.contains(&n));
    let asked =
        rules.enable.iter().any(named) || sc.only.as_ref().is_some_and(|o| o.iter().any(named));
    (!excluded || asked).then_some(default)
}

/// What running ShellCheck on a document gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Turned off, nothing selected, or no script to check.
    Off,
    /// No `shellcheck` binary.
    NotInstalled,
    /// Only cached results were asked for, and some script is not cached.
    NotCached,
    /// Findings (settings and pragmas applied), and problems running it.
    Done {
        diagnostics: Vec<Diagnostic>,
        errors: Vec<String>,
    },
}

fn to_diagnostics(
    a: &Analysis,
    job: &Job,
    findings: &[Finding],
    sc: &ShellCheckSettings,
    suppressions: &Suppressions,
    out: &mut Vec<Diagnostic>,
) {
    for f in findings {
        let code = code_str(f.code);
        let Some(severity) = level(code, f.severity, &a.settings().rules, sc) else {
            continue;
        };
        let Some(range) = job.range(f.line, f.column, f.end_line, f.end_column) else {
            continue;
        };
        let d = Diagnostic {
            code,
            aliases: &[],
            range,
            severity,
            message: f.message.clone(),
            related: Vec::new(),
            tags: Vec::new(),
            fixes: Vec::new(),
        };
        if !suppressions.suppresses(&d) && !out.contains(&d) {
            out.push(d);
        }
    }
}

/// The findings on each job's script, in order: the scripts of each
/// shell dialect checked together ([`Runner::check_many`]).
fn check_jobs(runner: &Runner, jobs: &[Job]) -> Vec<Result<Arc<Vec<Finding>>, String>> {
    let mut found: Vec<Option<Result<Arc<Vec<Finding>>, String>>> = vec![None; jobs.len()];
    let mut shells: Vec<Shell> = jobs.iter().map(|j| j.shell).collect();
    shells.sort();
    shells.dedup();
    for shell in shells {
        let which: Vec<usize> = (0..jobs.len())
            .filter(|&i| jobs[i].shell == shell)
            .collect();
        let inputs: Vec<&str> = which.iter().map(|&i| jobs[i].input.as_str()).collect();
        for (i, r) in which.into_iter().zip(runner.check_many(shell, &inputs)) {
            found[i] = Some(r);
        }
    }
    found
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not checked".to_string())))
        .collect()
}

/// ShellCheck's diagnostics for an analysed document, with `runner`.
/// With `cached_only`, nothing is run: `NotCached` unless every script's
/// result is already known.
pub fn diagnostics_with(
    runner: &Runner,
    a: &Analysis,
    sc: &ShellCheckSettings,
    cached_only: bool,
) -> Outcome {
    if !sc.wanted() {
        return Outcome::Off;
    }
    // After a keystroke in a RUN, its new script is the one not cached:
    // found without making the jobs of every other RUN first.
    if cached_only {
        if let Some(changed) = a.changed_instructions() {
            let new = jobs_in(a.model(), a.text(), changed);
            if new
                .iter()
                .any(|j| runner.cached(j.shell, &j.input).is_none())
            {
                return Outcome::NotCached;
            }
        }
    }
    let jobs = jobs(a.model(), a.text());
    if jobs.is_empty() {
        return Outcome::Off;
    }
    let found = if cached_only {
        let mut found = Vec::with_capacity(jobs.len());
        for job in &jobs {
            match runner.cached(job.shell, &job.input) {
                Some(f) => found.push(Ok(f)),
                None => return Outcome::NotCached,
            }
        }
        found
    } else {
        check_jobs(runner, &jobs)
    };
    let suppressions = Suppressions::new(a.model(), a.text());
    let mut diagnostics = Vec::new();
    let mut errors = Vec::new();
    for (job, found) in jobs.iter().zip(found) {
        match found {
            Ok(f) => to_diagnostics(a, job, &f, sc, &suppressions, &mut diagnostics),
            Err(e) => {
                if !errors.contains(&e) {
                    errors.push(e);
                }
            }
        }
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    Outcome::Done {
        diagnostics,
        errors,
    }
}

/// ShellCheck's diagnostics with the binary on `PATH`.
pub fn diagnostics(a: &Analysis, sc: &ShellCheckSettings, cached_only: bool) -> Outcome {
    if !sc.wanted() || a.text().len() > crate::rules::MAX_CHECKED_BYTES {
        return Outcome::Off;
    }
    match global() {
        Some(r) => diagnostics_with(r, a, sc, cached_only),
        None if jobs(a.model(), a.text()).is_empty() => Outcome::Off,
        None => Outcome::NotInstalled,
    }
}

/// The scripts [`diagnostics`] would have the binary on `PATH` check for
/// this document: none when ShellCheck is off or missing, or the document
/// is too large. For [`prefetch`].
pub fn scripts(a: &Analysis, sc: &ShellCheckSettings) -> Vec<Job> {
    if !sc.wanted() || a.text().len() > crate::rules::MAX_CHECKED_BYTES || global().is_none() {
        return Vec::new();
    }
    jobs(a.model(), a.text())
}

/// Check the [`scripts`] of several documents together with the binary on
/// `PATH`, so that [`diagnostics`] on each then finds its results cached:
/// one ShellCheck process for many small files. Problems are not reported
/// here ([`diagnostics`] runs what is not cached again, and says them).
pub fn prefetch(scripts: &[Job]) {
    if let Some(runner) = global() {
        prefetch_with(runner, scripts);
    }
}

/// [`prefetch`] with `runner`.
pub fn prefetch_with(runner: &Runner, scripts: &[Job]) {
    if !scripts.is_empty() {
        check_jobs(runner, scripts);
    }
}

/// The analysis' own diagnostics and ShellCheck's, in position order.
pub fn merge(rules: &[Diagnostic], sc: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = rules.iter().chain(sc).cloned().collect();
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json1_is_read() {
        let out = r#"{"comments":[{"file":"-","line":3,"endLine":3,"column":6,"endColumn":8,"level":"style","code":2086,"message":"Double quote.","fix":null},{"file":"-","line":1,"endLine":1,"column":1,"endColumn":2,"level":"error","code":1017,"message":"CR."}]}"#;
        let f = parse_json1(out).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(
            (
                f[0].code,
                f[0].severity,
                f[0].line,
                f[0].column,
                f[0].end_column
            ),
            (2086, Severity::Info, 3, 6, 8)
        );
        assert_eq!(f[1].severity, Severity::Error);
        assert!(parse_json1("not json").is_err());
        assert!(parse_json1("{}").is_err());
    }

    #[test]
    fn json1_of_files_is_read_by_file() {
        let out = r#"{"comments":[{"file":"/t/b","line":2,"endLine":2,"column":1,"endColumn":3,"level":"warning","code":2154,"message":"b1"},{"file":"/t/a","line":1,"endLine":1,"column":6,"endColumn":8,"level":"style","code":2086,"message":"a1"},{"file":"/t/b","line":3,"endLine":3,"column":1,"endColumn":2,"level":"info","code":2035,"message":"b2"},{"line":1,"endLine":1,"column":1,"endColumn":2,"level":"info","code":1,"message":"no file"}]}"#;
        let by_file = parse_json1_files(out).unwrap();
        assert_eq!(by_file.len(), 2);
        let messages =
            |f: &str| -> Vec<&str> { by_file[f].iter().map(|x| x.message.as_str()).collect() };
        assert_eq!(messages("/t/a"), ["a1"]);
        assert_eq!(messages("/t/b"), ["b1", "b2"], "in ShellCheck's order");
        assert_eq!(by_file["/t/b"][0].severity, Severity::Warning);
        assert!(parse_json1_files(r#"{"comments":[]}"#).unwrap().is_empty());
        assert!(parse_json1_files("").is_err());
    }

    #[test]
    fn codes() {
        assert!(is_sc_code("SC2086") && is_sc_code("sc1000"));
        assert!(!is_sc_code("SC") && !is_sc_code("DL3008") && !is_sc_code("SCx1"));
        assert_eq!(code_str(2086), "SC2086");
        assert!(std::ptr::eq(code_str(2086), code_str(2086)));
        assert_eq!(code_str(12), "SC0012");
        assert_eq!(wiki_url("sc2086"), "https://www.shellcheck.net/wiki/SC2086");
    }

    #[test]
    fn levels_follow_settings() {
        let sc = ShellCheckSettings::default();
        let mut rules = RuleSettings::default();
        assert_eq!(
            level("SC2086", Severity::Info, &rules, &sc),
            Some(Severity::Info)
        );
        // Excluded by default, unless named.
        assert_eq!(level("SC2154", Severity::Warning, &rules, &sc), None);
        rules
            .overrides
            .push(("sc2154".into(), Some(Severity::Error)));
        assert_eq!(
            level("SC2154", Severity::Warning, &rules, &sc),
            Some(Severity::Error)
        );
        rules.overrides.push(("SC2086".into(), None));
        assert_eq!(level("SC2086", Severity::Info, &rules, &sc), None);
        let only = ShellCheckSettings {
            enabled: true,
            only: Some(vec!["SC2046".into(), "DL3008".into()]),
        };
        assert!(only.wanted());
        assert_eq!(
            level("SC2046", Severity::Info, &RuleSettings::default(), &only),
            Some(Severity::Info)
        );
        assert_eq!(
            level("SC2035", Severity::Info, &RuleSettings::default(), &only),
            None
        );
        let rules_only = ShellCheckSettings {
            enabled: true,
            only: Some(vec!["DL3008".into()]),
        };
        assert!(!rules_only.wanted());
    }
}
