//! `berth fix`: apply the rules' fixes to files.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::args::CheckArgs;
use super::check::settings_for;
use super::walk::{self, Source};
use super::{eprint_line, io_reason, print_text, Out, EXIT_TROUBLE};
use crate::host::config::{self, FileConfig};
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
      --fail-level <LEVEL>   Exit 1 when findings at or above remain: error, warning
                             (default), info, hint
      --target <STAGE>       The stage being built, like `docker build --target`
      --ignore <CODE>        Turn a rule off (repeatable, or comma-separated)
      --enable <CODE>        Turn on a rule that is off by default (repeatable)
  -q, --quiet                No per-file report
  -h, --help                 Print this help

Files are written atomically (a temporary file beside them, then renamed), keeping
their permissions and line endings; a file that changed on disk while berth worked
on it is left alone. ShellCheck's findings are not fixed.

Exit codes: 0 nothing at or above the fail level remains, 1 findings remain,
2 usage error or a file that could not be read, decoded or written.
";

struct FixArgs {
    check: CheckArgs,
    unsafe_too: bool,
    diff: bool,
    quiet: bool,
}

fn parse(argv: &[String]) -> Result<Option<FixArgs>, String> {
    let mut out = FixArgs {
        check: CheckArgs::default(),
        unsafe_too: false,
        diff: false,
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
    let mut trouble = false;
    for e in &found.errors {
        eprint_line(&format!("berth: {e}"));
        trouble = true;
    }
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
        Some(path) => config::load(&path).map(Some).map_err(|e| e.to_string()),
        None => Ok(None),
    }
}

/// The text of `source` and, for a file, its modification time (to
/// refuse writing over a file changed since it was read).
pub(super) fn read_source(source: &Source) -> Result<(String, Option<SystemTime>), String> {
    let name = source.display();
    let (bytes, mtime) = match source {
        Source::Stdin => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| format!("{name}: {}", io_reason(&e)))?;
            (b, None)
        }
        Source::File(p) => {
            let m = fs::metadata(p).map_err(|e| format!("{name}: {}", io_reason(&e)))?;
            let b = fs::read(p).map_err(|e| format!("{name}: {}", io_reason(&e)))?;
            (b, m.modified().ok())
        }
    };
    if bytes.len() > u32::MAX as usize {
        return Err(format!("{name}: too large"));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    Ok((text, mtime))
}

/// Fix one file; `Ok(true)` when findings at or above the fail level remain.
fn fix_one(source: &Source, a: &FixArgs, out: &mut Out) -> Result<bool, String> {
    let name = source.display();
    let cfg = config_for(source)?;
    let (text, mtime) = read_source(source)?;
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
            out.write(&unified_diff(&name, &text, &result.text));
        }
    } else if changed {
        match source {
            Source::Stdin => out.write(&result.text),
            Source::File(p) => write_atomically(p, &text, mtime, &result.text)
                .map_err(|e| format!("{name}: {e}"))?,
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

/// Write `new` over `path` through a temporary file in the same directory
/// and a rename, keeping the permissions; refuse when the file no longer
/// holds `old` (or its modification time moved) since it was read.
pub(super) fn write_atomically(
    path: &Path,
    old: &str,
    mtime: Option<SystemTime>,
    new: &str,
) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Dockerfile".into());
    let tmp = dir.join(format!(".{file_name}.berth-fix-{}", std::process::id()));
    let meta = fs::metadata(path).map_err(|e| io_reason(&e))?;
    // `create_new`: never follow or reuse something already at the
    // temporary name (a symlink planted there would redirect the write);
    // only a file created here is removed on failure. Synced before the
    // rename so a crash leaves either the old or the new file.
    let tmp_err = |e: std::io::Error| format!("cannot write a temporary file: {}", io_reason(&e));
    let f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(tmp_err)?;
    let result = (|mut f: fs::File| -> Result<(), String> {
        std::io::Write::write_all(&mut f, new.as_bytes()).map_err(tmp_err)?;
        f.sync_all().map_err(tmp_err)?;
        drop(f);
        fs::set_permissions(&tmp, meta.permissions())
            .map_err(|e| format!("cannot keep the permissions: {}", io_reason(&e)))?;
        let now = fs::read(path).map_err(|e| io_reason(&e))?;
        let now_mtime = fs::metadata(path).ok().and_then(|m| m.modified().ok());
        if now != old.as_bytes() || now_mtime != mtime {
            return Err("changed on disk while it was being fixed; not written".into());
        }
        fs::rename(&tmp, path).map_err(|e| format!("cannot replace the file: {}", io_reason(&e)))
    })(f);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A unified diff of two texts, 3 lines of context.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let mut out = if name.starts_with('/') || name.starts_with('<') {
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
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = std::env::temp_dir().join(format!("berth-fix-unit-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("Dockerfile");
        fs::write(&p, "FROM a\n").unwrap();
        let mtime = fs::metadata(&p).unwrap().modified().ok();
        // Someone else wrote the file after berth read "FROM a as b".
        let err = write_atomically(&p, "FROM a as b\n", mtime, "FROM a AS b\n").unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "FROM a\n");
        write_atomically(&p, "FROM a\n", mtime, "FROM b\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "FROM b\n");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        // Something already at the temporary name is not followed.
        let tmp = dir.join(format!(".Dockerfile.berth-fix-{}", std::process::id()));
        let victim = dir.join("victim");
        fs::write(&victim, "keep\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&victim, &tmp).unwrap();
        #[cfg(not(unix))]
        fs::write(&tmp, "keep\n").unwrap();
        let mtime = fs::metadata(&p).unwrap().modified().ok();
        assert!(write_atomically(&p, "FROM b\n", mtime, "FROM c\n").is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep\n");
        assert_eq!(fs::read_to_string(&p).unwrap(), "FROM b\n");
        let _ = fs::remove_dir_all(&dir);
    }

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
