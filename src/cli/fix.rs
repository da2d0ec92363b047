//! `berth fix`: apply the rules' fixes to files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::CheckArgs;
use super::check::settings_for;
use super::walk::{self, Source};
use super::{eprint_line, print_text, term, Out, EXIT_TROUBLE};
use crate::host::config::{self, FileConfig};
use crate::host::files::{self, Stamp};
use crate::ide::{fix_all_detailed, Analysis};
use crate::rules::{self, Safety, Severity};

pub const USAGE: &str = "\
Apply the fixes of berth's findings.

Usage: berth fix [OPTIONS] PATH...

PATH is a file, a directory (searched like `berth check` does), or `-` (stdin: the
fixed text goes to stdout).

Options:
      --unsafe               Also apply fixes that change behaviour (review them)
      --diff                 Print a unified diff instead of writing the files
      --force                Also write read-only files (no write permission for the owner)
      --fail-level <LEVEL>   Exit 1 when findings at or above remain: error, warning
                             (default), info, hint
      --target <STAGE>       The stage being built, like `docker build --target`
      --ignore <CODE>        Turn a rule off (repeatable, or comma-separated)
      --enable <CODE>        Turn on a rule that is off by default (repeatable)
  -q, --quiet                No per-file report
  -h, --help                 Print this help

Files are written atomically (a temporary file beside them, then renamed), keeping
their permissions, owner and line endings; a symbolic link is written through (the
file it leads to is fixed, the link stays), a file with several hard links is
written in place (the links stay one file), a read-only file is left alone unless
--force is given, and a file that changed on disk while berth worked on it is left
alone. Only regular files up to 16 MiB are read. ShellCheck's findings are not fixed.

Exit codes: 0 nothing at or above the fail level remains, 1 findings remain,
2 usage error or a file that could not be read, decoded or written.
";

struct FixArgs {
    check: CheckArgs,
    unsafe_too: bool,
    diff: bool,
    /// Write read-only files too.
    force: bool,
    quiet: bool,
}

fn parse(argv: &[String]) -> Result<Option<FixArgs>, String> {
    let mut out = FixArgs {
        check: CheckArgs::default(),
        unsafe_too: false,
        diff: false,
        force: false,
        quiet: false,
    };
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            out.check.paths.extend(it.by_ref().cloned());
            break;
        }
        if arg == "-" || !arg.starts_with('-') {
            out.check.paths.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("option `{name}` needs a value")),
            }
        };
        match name {
            "-h" | "--help" => return Ok(None),
            "--unsafe" => out.unsafe_too = true,
            "--diff" => out.diff = true,
            "--force" => out.force = true,
            "-q" | "--quiet" => out.quiet = true,
            "--fail-level" => {
                let v = value(name)?;
                out.check.fail_level = Some(Severity::parse(&v).ok_or_else(|| {
                    format!("invalid value `{v}` for `--fail-level` (expected error, warning, info or hint)")
                })?);
            }
            "--target" => out.check.target = Some(value(name)?),
            "--ignore" | "--enable" => {
                let v = value(name)?;
                let codes = v.split(',').map(str::trim).filter(|c| !c.is_empty());
                let list = if name == "--ignore" {
                    &mut out.check.ignore
                } else {
                    &mut out.check.enable
                };
                list.extend(codes.map(str::to_string));
            }
            _ => return Err(format!("unknown option `{arg}`")),
        }
    }
    Ok(Some(out))
}

pub fn run(argv: &[String]) -> i32 {
    let a = match parse(argv) {
        Ok(Some(a)) => a,
        Ok(None) => return print_text(USAGE),
        Err(msg) => {
            eprint_line(&format!("berth fix: {msg}"));
            eprint_line("Run `berth fix --help` for the options.");
            return EXIT_TROUBLE;
        }
    };
    if a.check.paths.is_empty() {
        eprint_line("berth fix: no PATH given");
        return EXIT_TROUBLE;
    }
    let found = walk::discover(&a.check.paths);
    let mut trouble = found.report();
    let mut failing = false;
    let mut out = Out::stdout();
    for source in &found.sources {
        match fix_one(source, &a, &mut out) {
            Ok(f) => failing |= f,
            Err(e) => {
                out.flush();
                eprint_line(&format!("berth: {e}"));
                trouble = true;
            }
        }
    }
    let code = if trouble {
        EXIT_TROUBLE
    } else if failing {
        1
    } else {
        0
    };
    out.finish(code)
}

fn config_for(source: &Source) -> Result<Option<FileConfig>, String> {
    let dir = match source {
        Source::File(p) => match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        },
        Source::Stdin => PathBuf::from("."),
    };
    match config::find(&dir) {
        Some(path) => config::load(&path)
            .map(Some)
            .map_err(|e| super::term::config_error(&e)),
        None => Ok(None),
    }
}

/// The text of `source` and, for a file, its [`Stamp`] (to refuse
/// writing over a file changed since it was read). Read through
/// [`files`]: regular files only, at most [`files::MAX_DOCKERFILE_BYTES`];
/// stdin with the same bound. `Err` is a message naming the source.
pub(super) fn read_source(source: &Source) -> Result<(String, Option<Stamp>), String> {
    let name = source.shown();
    let (bytes, stamp) = match source {
        Source::Stdin => {
            let b = files::read_bounded(std::io::stdin().lock(), files::MAX_DOCKERFILE_BYTES)
                .map_err(|e| format!("{name}: {e}"))?;
            (b, None)
        }
        Source::File(p) => {
            let c =
                files::read(p, files::MAX_DOCKERFILE_BYTES).map_err(|e| format!("{name}: {e}"))?;
            (c.bytes, Some(c.stamp))
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    Ok((text, stamp))
}

/// Write `new` over the file `source` read as `stamp`, through the one
/// writer [`files::replace`]. `Err` is a message naming the file.
pub(super) fn write_back(
    path: &Path,
    stamp: Option<&Stamp>,
    new: &str,
    force: bool,
) -> Result<(), String> {
    let name = term::shown(&path.display().to_string()).into_owned();
    let Some(stamp) = stamp else {
        return Err(format!("{name}: was not read; not written"));
    };
    files::replace(path, stamp, new.as_bytes(), force).map_err(|e| format!("{name}: {e}"))
}

/// Fix one file; `Ok(true)` when findings at or above the fail level remain.
fn fix_one(source: &Source, a: &FixArgs, out: &mut Out) -> Result<bool, String> {
    let name = source.shown();
    let cfg = config_for(source)?;
    let (text, stamp) = read_source(source)?;
    let settings = Arc::new(settings_for(&a.check, cfg.as_ref()));
    let fail_level = a
        .check
        .fail_level
        .or(cfg.as_ref().and_then(|c| c.failure_threshold))
        .unwrap_or(Severity::Warning);
    let analysis = Analysis::from_text(&text, settings.clone());
    let result = fix_all_detailed(&analysis, a.unsafe_too);
    let after = Analysis::from_text(&result.text, settings);
    let remaining: Vec<&rules::Diagnostic> = after.diagnostics().iter().collect();
    let failing = remaining.iter().any(|d| d.severity <= fail_level);

    let changed = result.text != text;
    if a.diff {
        if changed {
            out.write(&unified_diff(&source.display(), &text, &result.text));
        }
    } else if changed {
        match source {
            Source::Stdin => out.write(&result.text),
            Source::File(p) => write_back(p, stamp.as_ref(), &result.text, a.force)?,
        }
    } else if matches!(source, Source::Stdin) {
        out.write(&text);
    }

    if !a.quiet {
        let mut codes: Vec<&str> = Vec::new();
        for c in &result.fixed {
            if !codes.contains(c) {
                codes.push(c);
            }
        }
        let mut line = if result.fixed.is_empty() {
            format!("{name}: nothing to fix")
        } else {
            format!(
                "{name}: {} {} {} ({})",
                if a.diff { "would fix" } else { "fixed" },
                result.fixed.len(),
                if result.fixed.len() == 1 {
                    "finding"
                } else {
                    "findings"
                },
                codes.join(", ")
            )
        };
        if !remaining.is_empty() {
            let mut left: Vec<&str> = Vec::new();
            for d in &remaining {
                if !left.contains(&d.code) {
                    left.push(d.code);
                }
            }
            let unsafe_left = remaining
                .iter()
                .filter(|d| d.fixes.iter().any(|f| f.safety == Safety::Unsafe))
                .count();
            let verb = if remaining.len() == 1 {
                "remains"
            } else {
                "remain"
            };
            line.push_str(&format!(
                "; {} {verb} ({})",
                remaining.len(),
                left.join(", ")
            ));
            if unsafe_left > 0 && !a.unsafe_too {
                line.push_str(&format!(", {unsafe_left} fixable with --unsafe"));
            }
        }
        // The report goes to stderr when stdout carries a diff or the text.
        out.flush();
        if a.diff || matches!(source, Source::Stdin) {
            eprint_line(&line);
        } else {
            out.write(&format!("{line}\n"));
        }
    }
    Ok(failing)
}

/// A unified diff of two texts, 3 lines of context. `name` is the file's
/// name as it is; the headers show it escaped ([`term::shown`]).
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let absolute = name.starts_with('/') || name.starts_with('<');
    let name = term::shown(name);
    let mut out = if absolute {
        format!("--- {name}\n+++ {name}\n")
    } else {
        format!("--- a/{name}\n+++ b/{name}\n")
    };
    // Group the changes into hunks with 3 lines of context.
    const CTX: usize = 3;
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let mut i = 0;
    while i < changes.len() {
        let start = changes[i].saturating_sub(CTX);
        let mut end = changes[i];
        while i < changes.len() && changes[i] <= end + 2 * CTX + 1 {
            end = changes[i];
            i += 1;
        }
        let end = (end + CTX + 1).min(ops.len());
        let (mut a0, mut b0) = (0, 0);
        for o in &ops[..start] {
            match o {
                Op::Same(_) => {
                    a0 += 1;
                    b0 += 1;
                }
                Op::Del(_) => a0 += 1,
                Op::Add(_) => b0 += 1,
            }
        }
        let (mut al, mut bl) = (0, 0);
        let mut body = String::new();
        for o in &ops[start..end] {
            let (mark, line) = match o {
                Op::Same(x) => {
                    al += 1;
                    bl += 1;
                    (' ', a[*x])
                }
                Op::Del(x) => {
                    al += 1;
                    ('-', a[*x])
                }
                Op::Add(y) => {
                    bl += 1;
                    ('+', b[*y])
                }
            };
            body.push(mark);
            body.push_str(line);
            if !line.ends_with('\n') {
                body.push_str("\n\\ No newline at end of file\n");
            }
        }
        let a_start = if al == 0 { a0 } else { a0 + 1 };
        let b_start = if bl == 0 { b0 } else { b0 + 1 };
        out.push_str(&format!("@@ -{a_start},{al} +{b_start},{bl} @@\n"));
        out.push_str(&body);
    }
    out
}

enum Op {
    Same(usize),
    Del(usize),
    Add(usize),
}

/// Line diff by longest common subsequence (Dockerfiles are small; a huge
/// pair falls back to replacing everything between the common ends).
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<Op> = (0..pre).map(Op::Same).collect();
    let (n, m) = (am.len(), bm.len());
    if n * m <= 4_000_000 {
        let mut l = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                l[i][j] = if am[i] == bm[j] {
                    l[i + 1][j + 1] + 1
                } else {
                    l[i + 1][j].max(l[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same(pre + i));
                i += 1;
                j += 1;
            } else if i < n && (j == m || l[i + 1][j] >= l[i][j + 1]) {
                ops.push(Op::Del(pre + i));
                i += 1;
            } else {
                ops.push(Op::Add(pre + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..n).map(|i| Op::Del(pre + i)));
        ops.extend((0..m).map(|j| Op::Add(pre + j)));
    }
    ops.extend((0..suf).map(|k| Op::Same(a.len() - suf + k)));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_have_hunks_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\n";
        assert_eq!(
            unified_diff("Dockerfile", old, new),
            "--- a/Dockerfile\n+++ b/Dockerfile\n\
             @@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n\
             @@ -7,4 +7,4 @@\n g\n h\n i\n-j\n+J\n"
        );
        assert_eq!(unified_diff("x", "a", "a"), "--- a/x\n+++ b/x\n");
        assert_eq!(
            unified_diff("x", "a", "b"),
            "--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
        );
    }
}
