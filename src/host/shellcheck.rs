//! Running ShellCheck on RUN scripts, and its findings as diagnostics.
//!
//! The binary is `shellcheck` on `PATH` (looked up once per process). It
//! runs with a fixed argument list, `--format=json1 --shell=<sh|bash> -`,
//! the script on stdin, and is killed after [`TIMEOUT`]. Results are cached
//! by (shell, input text), so an unchanged RUN is not checked again as a
//! document is edited or files share scripts.
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
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;

use crate::ide::Analysis;
use crate::rules::{Diagnostic, RuleSettings, Severity, Suppressions};
use crate::shell::shellcheck::{jobs, Job, Shell, DEFAULT_EXCLUDED};

/// How long one script may take before ShellCheck is killed.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// Said once when the binary is missing.
pub const NOT_FOUND: &str = "ShellCheck not found: SC checks off";

/// Entries kept before the cache starts over (an editor session produces a
/// new script text per keystroke in a RUN).
const CACHE_LIMIT: usize = 4096;

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

/// Parse ShellCheck's `json1` output.
pub fn parse_json1(out: &str) -> Result<Vec<Finding>, String> {
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
            Some(Finding {
                code,
                severity,
                message: c.get("message").and_then(Value::as_str)?.to_string(),
                line: num(c, "line"),
                column: num(c, "column"),
                end_line: num(c, "endLine"),
                end_column: num(c, "endColumn"),
            })
        })
        .collect())
}

type Key = (Shell, String);

/// A ShellCheck binary with its cache.
pub struct Runner {
    program: PathBuf,
    timeout: Duration,
    cache: Mutex<HashMap<Key, Arc<Vec<Finding>>>>,
}

impl Runner {
    pub fn new(program: PathBuf, timeout: Duration) -> Runner {
        Runner {
            program,
            timeout,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Arc<Vec<Finding>>>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached result for this script, if any.
    pub fn cached(&self, shell: Shell, input: &str) -> Option<Arc<Vec<Finding>>> {
        self.cache().get(&(shell, input.to_string())).cloned()
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
        let mut cache = self.cache();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert((shell, input.to_string()), result.clone());
        Ok(result)
    }

    /// Run the binary once; `Ok(None)` when it was killed for taking longer
    /// than the timeout.
    fn spawn(&self, shell: Shell, input: &str) -> Result<Option<Vec<Finding>>, String> {
        let mut child = Command::new(&self.program)
            .args([
                "--format=json1",
                &format!("--shell={}", shell.as_str()),
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let mut stdin = child.stdin.take();
        let mut stdout = child.stdout.take();
        let input = input.to_string();
        // Feed stdin and drain stdout on their own threads, so neither pipe
        // can block the other and the timeout below always applies.
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(input.as_bytes());
            }
            drop(stdin);
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = String::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_string(&mut out);
            }
            let _ = tx.send(out);
        });
        let out = match rx.recv_timeout(self.timeout) {
            Ok(out) => out,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                return Ok(None);
            }
        };
        let _ = writer.join();
        let _ = child.wait();
        parse_json1(&out).map(Some)
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
    let jobs = jobs(a.model(), a.text());
    if jobs.is_empty() {
        return Outcome::Off;
    }
    let suppressions = Suppressions::new(a.model(), a.text());
    let mut diagnostics = Vec::new();
    let mut errors = Vec::new();
    for job in &jobs {
        let found = if cached_only {
            match runner.cached(job.shell, &job.input) {
                Some(f) => f,
                None => return Outcome::NotCached,
            }
        } else {
            match runner.check(job.shell, &job.input) {
                Ok(f) => f,
                Err(e) => {
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                    continue;
                }
            }
        };
        to_diagnostics(a, job, &found, sc, &suppressions, &mut diagnostics);
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
