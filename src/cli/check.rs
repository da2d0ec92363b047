//! `berth check`: lint files for CI.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use serde_json::Value;

use super::args::{self, CheckArgs, Format, Parsed};
use super::output::{self, Style};
use super::sarif::{self, Artifact};
use super::walk::{self, Source};
use super::{eprint_line, eprint_text, print_text, term, Out, EXIT_TROUBLE, VERSION};
use crate::host::config::{self, ConfigError, FileConfig};
use crate::host::context as host_context;
use crate::host::files;
use crate::host::shellcheck::{self as sc, is_sc_code, ShellCheckSettings};
use crate::ide::{Analysis, Settings};
use crate::model::ModelSettings;
use crate::rules::{self, Diagnostic, Profile, RuleSettings, Severity};

pub const USAGE: &str = "\
Lint Dockerfiles.

Usage: berth check [OPTIONS] PATH...

PATH is a file (checked whatever its name), a directory (searched recursively for
Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, Containerfile.*, *.containerfile;
.git, node_modules, target and hidden directories are skipped), or `-` for stdin.

Options:
      --format <FORMAT>      human (default), json, sarif, checkstyle or gnu
      --fail-level <LEVEL>   Exit 1 on findings at or above: error, warning (default), info, hint
      --no-fail              Exit 0 whatever is found (2 still means a usage or IO error)
      --target <STAGE>       The stage being built, like `docker build --target`
      --ignore <CODE>        Turn a rule off (code or alias; repeatable, or comma-separated)
      --enable <CODE>        Turn on a rule that is off by default (repeatable)
      --select <CODE>        Run only these rules (repeatable, or comma-separated)
      --config <FILE>        Read this hadolint configuration file instead of the
                             .hadolint.yaml (or .yml) found from each file's directory upward
      --context <DIR>        The build context of every file (default: each file's folder),
                             read for COPY/ADD sources and .dockerignore
      --no-shellcheck        Do not run ShellCheck on RUN scripts
      --no-color             No colors (also when NO_COLOR is set or stdout is not a terminal)
  -q, --quiet                No summary line
  -h, --help                 Print this help
  -V, --version              Print the version

ShellCheck (`shellcheck` on PATH) checks the scripts of RUN instructions; its findings
have SC codes (SC2086) that --ignore, --select, the configuration file and
`# hadolint ignore=SC2086` pragmas accept.

Exit codes: 0 no findings at or above the fail level, 1 such findings,
2 usage error, a file that could not be read or decoded, or a bad configuration file.
";

/// Files a worker loads before their RUN scripts go to ShellCheck
/// together (with ShellCheck on): at least this many, so that a process
/// is not started for one or two scripts however many cores there are...
const GROUP_MIN: usize = 4;
/// ... and at most this many (more saves little).
const GROUP_MAX: usize = 32;

/// Progress is shown (on a terminal) only for runs larger than this.
const PROGRESS_THRESHOLD: usize = 20;

pub fn run(argv: &[String]) -> i32 {
    let a = match args::parse_check(argv) {
        Ok(Parsed::Run(a)) => a,
        Ok(Parsed::Help) => return print_text(USAGE),
        Ok(Parsed::Version) => return print_text(&format!("berth {VERSION}\n")),
        Err(msg) => {
            eprint_line(&format!("berth check: {msg}"));
            eprint_line("Run `berth check --help` for the options.");
            return EXIT_TROUBLE;
        }
    };
    if a.paths.is_empty() {
        eprint_line("berth check: no PATH given");
        eprint_text("\n");
        eprint_text(USAGE);
        return EXIT_TROUBLE;
    }
    for (opt, codes) in [
        ("--ignore", &a.ignore),
        ("--enable", &a.enable),
        ("--select", &a.select),
    ] {
        for code in codes {
            if rules::find(code).is_none() && !is_sc_code(code) {
                eprint_line(&format!(
                    "berth check: warning: {opt} {code}: no rule has this code \
                     (`berth rules` lists them)"
                ));
            }
        }
    }
    let explicit = match &a.config {
        None => None,
        Some(p) => match config::load(Path::new(p)) {
            Ok(c) => {
                for w in &c.warnings {
                    eprint_line(&format!("berth: warning: {w}"));
                }
                Some(Arc::new(c))
            }
            Err(e) => {
                eprint_line(&format!("berth: {e}"));
                return EXIT_TROUBLE;
            }
        },
    };
    if let Some(dir) = &a.context {
        if !Path::new(dir).is_dir() {
            eprint_line(&format!(
                "berth: --context {}: not a directory (the build context)",
                term::shown(dir)
            ));
            return EXIT_TROUBLE;
        }
    }
    let found = walk::discover(&a.paths);
    let color = a.format == Format::Human
        && !a.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && io::stdout().is_terminal();
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::path::absolute(d).ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    let job = Job {
        args: a.clone(),
        explicit,
        configs: config::Cache::default(),
        settings: Mutex::new(HashMap::new()),
        sc: ShellCheckSettings {
            enabled: !a.no_shellcheck,
            only: (!a.select.is_empty()).then(|| a.select.clone()),
        },
        style: Style { color },
        cwd,
        listings: Mutex::new(HashMap::new()),
    };
    let outcomes = check_all(&found.sources, &job);

    let mut trouble = found.report();
    let mut out = Out::stdout();
    let mut items: Vec<Value> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut fired: BTreeMap<String, Severity> = BTreeMap::new();
    let mut said: HashSet<String> = HashSet::new();
    let mut counts = [0usize; 4];
    let mut json_written = 0usize;
    let (mut checked, mut unreadable, mut failing) = (0usize, 0usize, false);
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(r) => {
                checked += 1;
                failing |= r.failing;
                for (c, n) in counts.iter_mut().zip(r.counts) {
                    *c += n;
                }
                if !r.notes.is_empty() {
                    out.flush();
                    for note in &r.notes {
                        eprint_line(&format!("berth: {note}"));
                    }
                }
                for (code, sev) in r.fired {
                    fired.entry(code).or_insert(sev);
                }
                match job.args.format {
                    Format::Human | Format::Gnu => out.write(&r.text),
                    Format::Checkstyle => files.push(r.text),
                    // JSON is written as it comes, one element at a time.
                    Format::Json => {
                        for item in &r.items {
                            out.write(&output::json_element(json_written == 0, item));
                            json_written += 1;
                        }
                    }
                    Format::Sarif => items.extend(r.items),
                }
            }
            Outcome::Failed(msg) => {
                unreadable += 1;
                trouble = true;
                // One bad configuration file fails every file under it:
                // say it once.
                if said.insert(msg.clone()) {
                    // Keep stdout and stderr in order on a shared terminal.
                    out.flush();
                    eprint_line(&format!("berth: {msg}"));
                }
            }
        }
    }
    match job.args.format {
        Format::Json => out.write(if json_written == 0 { "[]\n" } else { "\n]\n" }),
        Format::Sarif => {
            let root = Some(sarif::root_uri(&job.cwd));
            let log = sarif::log(items, &fired, root);
            let text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
            out.write(&text);
            out.write("\n");
        }
        Format::Checkstyle => out.write(&output::checkstyle(&files)),
        Format::Human | Format::Gnu => {}
    }
    let code = if trouble {
        EXIT_TROUBLE
    } else if failing {
        1
    } else {
        0
    };
    let code = out.finish(code);
    if found.sources.is_empty() && found.errors.is_empty() {
        eprint_line("berth check: warning: no Dockerfiles found");
    }
    if !job.args.quiet {
        eprint_line(&summary(checked, unreadable, counts));
    }
    code
}

/// The settings for files under `cfg` (or none): the configuration file
/// first, then the command line, which wins.
pub(super) fn settings_for(a: &CheckArgs, cfg: Option<&FileConfig>) -> Settings {
    let mut rules = RuleSettings {
        profile: Profile::Cli,
        ..RuleSettings::default()
    };
    if let Some(cfg) = cfg {
        cfg.apply(&mut rules);
    }
    rules
        .overrides
        .extend(a.ignore.iter().map(|c| (c.clone(), None)));
    rules.enable.extend(a.enable.iter().cloned());
    if !a.select.is_empty() {
        // Only the selected rules run: every other one is turned off, and
        // a selected rule that is off by default is turned on.
        for rule in rules::all() {
            if a.select.iter().any(|c| rule.meta.answers_to(c)) {
                rules.enable.push(rule.meta.code.to_string());
            } else {
                rules.overrides.push((rule.meta.code.to_string(), None));
            }
        }
    }
    Settings {
        model: ModelSettings {
            target: a.target.clone(),
        },
        rules,
    }
}

/// What every worker needs.
struct Job {
    args: CheckArgs,
    /// `--config FILE`, loaded.
    explicit: Option<Arc<FileConfig>>,
    /// Configuration files found upward, each read once.
    configs: config::Cache,
    /// Settings per configuration file (`None`: no file).
    settings: Mutex<HashMap<Option<PathBuf>, Arc<Settings>>>,
    sc: ShellCheckSettings,
    style: Style,
    cwd: PathBuf,
    /// Build-context listings, per context directory.
    listings: Mutex<HashMap<PathBuf, host_context::Listing>>,
}

impl Job {
    /// The configuration file that applies to `source`.
    fn config(&self, source: &Source) -> Result<Option<Arc<FileConfig>>, ConfigError> {
        if let Some(c) = &self.explicit {
            return Ok(Some(c.clone()));
        }
        let dir = match source {
            Source::File(p) => match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            },
            Source::Stdin => PathBuf::from("."),
        };
        match config::find(&dir) {
            Some(path) => self.configs.load(&path).map(Some),
            None => Ok(None),
        }
    }

    /// `settings` with the build context of `source` (files only), and a
    /// note when its ignore file was skipped (once per ignore file).
    fn with_context(
        &self,
        source: &Source,
        settings: Arc<Settings>,
    ) -> (Arc<Settings>, Option<String>) {
        let Source::File(file) = source else {
            return (settings, None);
        };
        let file = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        let setting = self
            .args
            .context
            .as_ref()
            .map(|c| self.cwd.join(c).to_string_lossy().into_owned());
        let Some(root) = host_context::context_dir(&file, setting.as_deref()) else {
            return (settings, None);
        };
        let cached = self
            .listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&root)
            .cloned();
        let listing = cached.unwrap_or_else(|| {
            let l = host_context::list(&root, host_context::LIMIT);
            self.listings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(root.clone(), l.clone());
            l
        });
        let (context, skipped) = host_context::build_checked(&listing, &root, Some(&file));
        let note = skipped
            .map(|s| {
                format!(
                    "note: {}: {}; not read, so nothing is taken as excluded from the \
                     build context",
                    term::shown(&s.path.display().to_string()),
                    s.why
                )
            })
            .filter(|n| sc::first_time(n));
        let mut s = (*settings).clone();
        s.rules.context = Some(Arc::new(context));
        (Arc::new(s), note)
    }

    fn settings(&self, cfg: Option<&FileConfig>) -> Arc<Settings> {
        let key = cfg.map(|c| c.path.clone());
        let mut map = self.settings.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key)
            .or_insert_with(|| Arc::new(settings_for(&self.args, cfg)))
            .clone()
    }
}

/// One checked file, rendered in the worker.
struct Report {
    /// Human or GNU lines, or the Checkstyle `<file>` element.
    text: String,
    /// JSON findings or SARIF results.
    items: Vec<Value>,
    /// Codes that fired, with the severity of their first finding (SARIF).
    fired: Vec<(String, Severity)>,
    /// Findings per severity, indexed by `Severity as usize`.
    counts: [usize; 4],
    /// Any finding at or above the fail level.
    failing: bool,
    /// Problems with how the file was checked, for stderr.
    notes: Vec<String>,
}

enum Outcome {
    Checked(Report),
    /// `path: reason`, for stderr.
    Failed(String),
}

/// Check every source on a small pool of threads; outcomes in source order.
fn check_all(sources: &[Source], job: &Job) -> Vec<Outcome> {
    let n = sources.len();
    let workers = std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1)
        .clamp(1, n.max(1));
    // With ShellCheck, a worker takes a few files at a time, so that their
    // RUN scripts go to one ShellCheck process (starting one costs nearly
    // as much as checking a script); on large runs, about four groups per
    // worker, to keep the workers busy to the end.
    let group = if sc::global().is_some() && job.sc.wanted() {
        (n / (workers * 4)).clamp(GROUP_MIN, GROUP_MAX)
    } else {
        1
    };
    let progress = Progress::new(n);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, progress) = (&next, &progress);
            scope.spawn(move || loop {
                let first = next.fetch_add(group, Ordering::Relaxed);
                let Some(these) = sources.get(first..(first + group).min(n)) else {
                    break;
                };
                let loaded: Vec<Result<Loaded, String>> =
                    these.iter().map(|s| load(s, job)).collect();
                if group > 1 {
                    let scripts: Vec<_> = loaded
                        .iter()
                        .flatten()
                        .flat_map(|l| l.scripts.iter().cloned())
                        .collect();
                    sc::prefetch(&scripts);
                }
                for (i, (source, loaded)) in these.iter().zip(loaded).enumerate() {
                    let outcome = match loaded {
                        Ok(l) => finish(source, l, job),
                        Err(msg) => Outcome::Failed(msg),
                    };
                    progress.tick();
                    if tx.send((first + i, outcome)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    drop(tx);
    progress.clear();
    let mut slots: Vec<Option<Outcome>> = (0..n).map(|_| None).collect();
    for (i, outcome) in rx {
        slots[i] = Some(outcome);
    }
    slots
        .into_iter()
        .zip(sources)
        .map(|(o, s)| {
            o.unwrap_or_else(|| Outcome::Failed(format!("{}: was not checked", s.shown())))
        })
        .collect()
}

/// A file read and analysed, for [`finish`].
struct Loaded {
    /// The name as it is (JSON, SARIF, Checkstyle escape it themselves).
    name: String,
    /// The name escaped for people ([`term::shown`]).
    shown: String,
    text: String,
    analysis: Analysis,
    /// What ShellCheck will check (for [`sc::prefetch`]).
    scripts: Vec<crate::shell::shellcheck::Job>,
    notes: Vec<String>,
    fail_level: Severity,
    no_fail: bool,
}

/// What is said of a file whose analysis panicked (`name` escaped).
fn panicked(name: &str) -> String {
    format!("{name}: internal error: the analysis panicked (please report this with the file)")
}

/// Read and analyse a file; `Err`: `path: reason` when that fails.
fn load(source: &Source, job: &Job) -> Result<Loaded, String> {
    let name = source.display();
    let shown = source.shown();
    let cfg = match job.config(source) {
        Ok(c) => c,
        Err(e) => return Err(super::term::config_error(&e)),
    };
    let bytes = match read(source) {
        Ok(b) => b,
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let why = describe_invalid_utf8(e.as_bytes(), e.utf8_error());
            return Err(format!("{shown}: {why}"));
        }
    };
    let mut notes = Vec::new();
    if let Some(c) = &cfg {
        for w in &c.warnings {
            if job.explicit.is_none() && sc::first_time(w) {
                notes.push(format!("warning: {w}"));
            }
        }
    }
    let (settings, context_note) = job.with_context(source, job.settings(cfg.as_deref()));
    notes.extend(context_note);
    let fail_level = job
        .args
        .fail_level
        .or(cfg.as_ref().and_then(|c| c.failure_threshold))
        .unwrap_or(Severity::Warning);
    let no_fail = job.args.no_fail || cfg.as_ref().is_some_and(|c| c.no_fail == Some(true));
    // A bug in a rule must not take the whole run down: report the file
    // (the panic hook has already printed the details) and go on.
    let analysed = panic::catch_unwind(AssertUnwindSafe(|| {
        let analysis = Analysis::from_text(&text, settings);
        let scripts = sc::scripts(&analysis, &job.sc);
        (analysis, scripts)
    }));
    let Ok((analysis, scripts)) = analysed else {
        return Err(panicked(&shown));
    };
    Ok(Loaded {
        name,
        shown,
        text,
        analysis,
        scripts,
        notes,
        fail_level,
        no_fail,
    })
}

/// Run ShellCheck on a loaded file and render its findings.
fn finish(source: &Source, loaded: Loaded, job: &Job) -> Outcome {
    let Loaded {
        name,
        shown,
        text,
        analysis,
        mut notes,
        fail_level,
        no_fail,
        ..
    } = loaded;
    let analysed = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut merged: Option<Vec<Diagnostic>> = None;
        match sc::diagnostics(&analysis, &job.sc, false) {
            sc::Outcome::Done {
                diagnostics,
                errors,
            } => {
                if !diagnostics.is_empty() {
                    merged = Some(sc::merge(analysis.diagnostics(), &diagnostics));
                }
                for e in errors {
                    if sc::first_time(&e) {
                        notes.push(format!("warning: ShellCheck: {e}"));
                    }
                }
            }
            sc::Outcome::NotInstalled => {
                if !job.args.quiet && sc::first_time(sc::NOT_FOUND) {
                    notes.push(sc::NOT_FOUND.to_string());
                }
            }
            sc::Outcome::Off | sc::Outcome::NotCached => {}
        }
        let diags = merged.as_deref().unwrap_or(analysis.diagnostics());
        let index = analysis.line_index();
        let mut counts = [0usize; 4];
        let mut fired: Vec<(String, Severity)> = Vec::new();
        for d in diags {
            counts[d.severity as usize] += 1;
            if !fired.iter().any(|(c, _)| c == d.code) {
                fired.push((d.code.to_string(), d.severity));
            }
        }
        let (text_out, items) = match job.args.format {
            // Human and GNU lines are read on terminals: the name escaped.
            Format::Human => (
                output::human(&shown, &text, index, diags, job.style),
                Vec::new(),
            ),
            Format::Gnu => (output::gnu(&shown, &text, index, diags), Vec::new()),
            Format::Checkstyle => (
                output::checkstyle_file(&name, &text, index, diags),
                Vec::new(),
            ),
            Format::Json => (String::new(), output::json(&name, &text, index, diags)),
            Format::Sarif => {
                let path = match source {
                    Source::File(p) => Some(p.as_path()),
                    Source::Stdin => None,
                };
                let artifact = Artifact::new(path, &job.cwd);
                (
                    String::new(),
                    sarif::results(&artifact, &text, index, diags),
                )
            }
        };
        notes.extend(analysis.model().unknown_target.iter().map(|t| {
            format!(
                "{shown}: warning: --target `{t}` names no stage of this file \
                 (`docker build --target {t}` would fail); checked with the last \
                 stage as the target"
            )
        }));
        Report {
            text: text_out,
            items,
            fired,
            counts,
            failing: !no_fail && diags.iter().any(|d| d.severity <= fail_level),
            notes: std::mem::take(&mut notes),
        }
    }));
    match analysed {
        Ok(report) => Outcome::Checked(report),
        Err(_) => Outcome::Failed(panicked(&shown)),
    }
}

/// The bytes of `source`, read through [`files`]: a regular file of at
/// most [`files::MAX_DOCKERFILE_BYTES`] (checked again on the opened
/// handle), or stdin with the same bound.
fn read(source: &Source) -> Result<Vec<u8>, files::ReadError> {
    match source {
        Source::Stdin => files::read_bounded(io::stdin().lock(), files::MAX_DOCKERFILE_BYTES),
        Source::File(p) => files::read(p, files::MAX_DOCKERFILE_BYTES).map(|c| c.bytes),
    }
}

/// Why `bytes` is not UTF-8, with where: byte offset, line and column
/// (1-based, columns in characters) of the first invalid byte.
fn describe_invalid_utf8(bytes: &[u8], e: std::str::Utf8Error) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return "not valid UTF-8: it looks like UTF-16 (it starts with a UTF-16 byte order \
                mark); convert it to UTF-8"
            .to_string();
    }
    let at = e.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or("");
    // Line breaks as berth counts them: \n, \r\n and a lone \r.
    let mut line = 1;
    let mut line_start = 0;
    let mut iter = valid.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let is_break = match c {
            '\n' => true,
            '\r' => !matches!(iter.peek(), Some((_, '\n'))),
            _ => false,
        };
        if is_break {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = valid[line_start..].chars().count() + 1;
    let what = match (e.error_len(), bytes.get(at)) {
        (None, _) => "an incomplete UTF-8 sequence at the end of the file".to_string(),
        (Some(_), Some(b)) => format!("invalid byte 0x{b:02X}"),
        (Some(_), None) => "invalid byte".to_string(),
    };
    format!("not valid UTF-8: {what} at byte offset {at} (line {line}, column {column})")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 files checked: 2 errors, 1 warning`.
fn summary(checked: usize, unreadable: usize, counts: [usize; 4]) -> String {
    let names = [
        ("error", "errors"),
        ("warning", "warnings"),
        ("info", "info"),
        ("hint", "hints"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(names)
        .filter(|(n, _)| **n > 0)
        .map(|(n, (one, many))| plural(*n, one, many))
        .collect();
    let mut s = if checked == 0 {
        "no files checked".to_string()
    } else if parts.is_empty() {
        format!(
            "{} checked: no problems found",
            plural(checked, "file", "files")
        )
    } else {
        format!(
            "{} checked: {}",
            plural(checked, "file", "files"),
            parts.join(", ")
        )
    };
    if unreadable > 0 {
        s.push_str(&format!(
            "; {} could not be checked",
            plural(unreadable, "file", "files")
        ));
    }
    s
}

/// `checked 12/50` on stderr, for large runs on a terminal.
struct Progress {
    total: usize,
    done: AtomicUsize,
    shown: bool,
    lock: Mutex<()>,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            shown: total > PROGRESS_THRESHOLD && io::stderr().is_terminal(),
            lock: Mutex::new(()),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.shown {
            return;
        }
        // About a hundred updates per run, whatever its size.
        let step = (self.total / 100).max(1);
        if done.is_multiple_of(step) || done == self.total {
            let _guard = self.lock.lock();
            let _ = write!(
                io::stderr().lock(),
                "\rberth: checked {done}/{} files",
                self.total
            );
        }
    }

    fn clear(&self) {
        if self.shown {
            let _guard = self.lock.lock();
            let _ = write!(io::stderr().lock(), "\r\x1b[K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8_error(bytes: &[u8]) -> String {
        let e = std::str::from_utf8(bytes).unwrap_err();
        describe_invalid_utf8(bytes, e)
    }

    #[test]
    fn invalid_utf8_is_located() {
        assert_eq!(
            utf8_error(b"FROM a\nRUN \xc3\xa9\xff\n"),
            "not valid UTF-8: invalid byte 0xFF at byte offset 13 (line 2, column 6)"
        );
        assert_eq!(
            utf8_error(b"a\r\nb\rc\xe9x"),
            "not valid UTF-8: invalid byte 0xE9 at byte offset 6 (line 3, column 2)"
        );
        assert!(utf8_error(b"FROM a\xe2\x82").contains("incomplete"));
        assert!(utf8_error(b"\xff\xfeF\0R\0").contains("UTF-16"));
    }

    #[test]
    fn summaries() {
        assert_eq!(summary(1, 0, [0; 4]), "1 file checked: no problems found");
        assert_eq!(
            summary(3, 0, [2, 1, 0, 0]),
            "3 files checked: 2 errors, 1 warning"
        );
        assert_eq!(
            summary(2, 1, [0, 0, 1, 2]),
            "2 files checked: 1 info, 2 hints; 1 file could not be checked"
        );
        assert_eq!(
            summary(0, 2, [0; 4]),
            "no files checked; 2 files could not be checked"
        );
    }
}
