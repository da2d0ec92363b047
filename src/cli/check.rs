//! `berth check`: lint files for CI.

use std::io::{self, IsTerminal, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use serde_json::Value;

use super::args::{self, CheckArgs, Format, Parsed};
use super::output::{self, Style};
use super::walk::{self, Source};
use super::{eprint_line, eprint_text, io_reason, print_text, Out, EXIT_TROUBLE, VERSION};
use crate::ide::{Analysis, Settings};
use crate::model::ModelSettings;
use crate::rules::{self, Profile, RuleSettings, Severity};

pub const USAGE: &str = "\
Lint Dockerfiles.

Usage: berth check [OPTIONS] PATH...

PATH is a file (checked whatever its name), a directory (searched recursively for
Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, Containerfile.*, *.containerfile;
.git, node_modules, target and hidden directories are skipped), or `-` for stdin.

Options:
      --format <FORMAT>      human (default) or json
      --fail-level <LEVEL>   Exit 1 on findings at or above: error, warning (default), info, hint
      --target <STAGE>       The stage being built, like `docker build --target`
      --ignore <CODE>        Turn a rule off (code or alias; repeatable, or comma-separated)
      --enable <CODE>        Turn on a rule that is off by default (repeatable)
      --no-color             No colors (also when NO_COLOR is set or stdout is not a terminal)
  -q, --quiet                No summary line
  -h, --help                 Print this help
  -V, --version              Print the version

Exit codes: 0 no findings at or above the fail level, 1 such findings,
2 usage error or a file that could not be read or decoded.
";

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
    for (opt, codes) in [("--ignore", &a.ignore), ("--enable", &a.enable)] {
        for code in codes {
            if rules::find(code).is_none() {
                eprint_line(&format!(
                    "berth check: warning: {opt} {code}: no rule has this code \
                     (`berth rules` lists them)"
                ));
            }
        }
    }
    let settings = Arc::new(settings_for(&a));
    let found = walk::discover(&a.paths);
    let color = a.format == Format::Human
        && !a.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && io::stdout().is_terminal();
    let job = Job {
        settings,
        format: a.format,
        style: Style { color },
        fail_level: a.fail_level,
    };
    let outcomes = check_all(&found.sources, &job);

    let mut trouble = !found.errors.is_empty();
    for e in &found.errors {
        eprint_line(&format!("berth: {e}"));
    }
    let mut out = Out::stdout();
    let mut json: Vec<Value> = Vec::new();
    let mut counts = [0usize; 4];
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
                match job.format {
                    Format::Human => out.write(&r.human),
                    Format::Json => json.extend(r.json),
                }
            }
            Outcome::Failed(msg) => {
                unreadable += 1;
                trouble = true;
                // Keep stdout and stderr in order on a shared terminal.
                out.flush();
                eprint_line(&format!("berth: {msg}"));
            }
        }
    }
    if job.format == Format::Json {
        let text =
            serde_json::to_string_pretty(&Value::Array(json)).unwrap_or_else(|_| "[]".to_string());
        out.write(&text);
        out.write("\n");
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
    if !a.quiet {
        eprint_line(&summary(checked, unreadable, counts));
    }
    code
}

fn settings_for(a: &CheckArgs) -> Settings {
    Settings {
        model: ModelSettings {
            target: a.target.clone(),
        },
        rules: RuleSettings {
            profile: Profile::Cli,
            overrides: a.ignore.iter().map(|c| (c.clone(), None)).collect(),
            enable: a.enable.clone(),
            ..RuleSettings::default()
        },
    }
}

/// What every worker needs.
struct Job {
    settings: Arc<Settings>,
    format: Format,
    style: Style,
    fail_level: Severity,
}

/// One checked file, rendered in the worker.
struct Report {
    human: String,
    json: Vec<Value>,
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
    let progress = Progress::new(n);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, progress) = (&next, &progress);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(source) = sources.get(i) else { break };
                let outcome = check_one(source, job);
                progress.tick();
                if tx.send((i, outcome)).is_err() {
                    break;
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
            o.unwrap_or_else(|| Outcome::Failed(format!("{}: was not checked", s.display())))
        })
        .collect()
}

fn check_one(source: &Source, job: &Job) -> Outcome {
    let name = source.display();
    let bytes = match read(source) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("{name}: {}", io_reason(&e))),
    };
    if bytes.len() > u32::MAX as usize {
        return Outcome::Failed(format!(
            "{name}: too large ({} bytes; berth checks files up to 4 GiB)",
            bytes.len()
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let why = describe_invalid_utf8(e.as_bytes(), e.utf8_error());
            return Outcome::Failed(format!("{name}: {why}"));
        }
    };
    // A bug in a rule must not take the whole run down: report the file
    // (the panic hook has already printed the details) and go on.
    let analysed = panic::catch_unwind(AssertUnwindSafe(|| {
        let analysis = Analysis::from_text(&text, job.settings.clone());
        let diags = analysis.diagnostics();
        let index = analysis.line_index();
        let mut counts = [0usize; 4];
        for d in diags {
            counts[d.severity as usize] += 1;
        }
        Report {
            human: match job.format {
                Format::Human => output::human(&name, &text, index, diags, job.style),
                Format::Json => String::new(),
            },
            json: match job.format {
                Format::Json => output::json(&name, &text, index, diags),
                Format::Human => Vec::new(),
            },
            counts,
            failing: diags.iter().any(|d| d.severity <= job.fail_level),
            notes: analysis
                .model()
                .unknown_target
                .iter()
                .map(|t| {
                    format!(
                        "{name}: warning: --target `{t}` names no stage of this file \
                         (`docker build --target {t}` would fail); checked with the last \
                         stage as the target"
                    )
                })
                .collect(),
        }
    }));
    match analysed {
        Ok(report) => Outcome::Checked(report),
        Err(_) => Outcome::Failed(format!(
            "{name}: internal error: the analysis panicked (please report this with the file)"
        )),
    }
}

fn read(source: &Source) -> io::Result<Vec<u8>> {
    match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Source::File(p) => std::fs::read(p),
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
