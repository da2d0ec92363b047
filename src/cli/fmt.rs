//! `berth fmt`: format Dockerfiles in place, check that they are
//! formatted, or show the changes as a diff.

use super::fix::{read_source, unified_diff, write_back};
use super::walk::{self, Source};
use super::{eprint_line, print_text, Out, EXIT_TROUBLE};
use crate::ide::format::formatted;

pub const USAGE: &str = "\
Format Dockerfiles.

Usage: berth fmt [OPTIONS] [PATH...]

PATH is a file, a directory (searched like `berth check` does; default: `.`), or `-`
(stdin: the formatted text goes to stdout).

Options:
      --check       Write nothing; print the files that are not formatted
      --diff        Write nothing; print a unified diff of the changes
      --force       Also write read-only files (no write permission for the owner)
  -q, --quiet       No summary on stderr
  -h, --help        Print this help

Formatting upper-cases instruction keywords (and `AS`), leaves one space after the
keyword and between flags, indents continuation lines by 4 spaces (keeping their
nesting), removes trailing whitespace outside heredoc bodies and ends the file with a
line break. Shell text, JSON arrays, heredoc bodies and comments are kept; lines are
never joined or split; CRLF files stay CRLF.

Files are written atomically, keeping their permissions and owner; a symbolic link is
written through (the file it leads to is formatted, the link stays), a file with
several hard links is written in place (the links stay one file), a read-only file is
left alone unless --force is given, and a file that changed on disk while berth worked
on it is left alone. Only regular files up to 16 MiB are read.

Exit codes: 0 all formatted (or formatted now), 1 with --check or --diff: some file
would change, 2 usage error or a file that could not be read, decoded or written
(the other files are still processed).
";

#[derive(Debug)]
struct FmtArgs {
    paths: Vec<String>,
    check: bool,
    diff: bool,
    /// Write read-only files too.
    force: bool,
    quiet: bool,
}

fn parse(argv: &[String]) -> Result<Option<FmtArgs>, String> {
    let mut out = FmtArgs {
        paths: Vec::new(),
        check: false,
        diff: false,
        force: false,
        quiet: false,
    };
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--" => {
                out.paths.extend(it.by_ref().cloned());
                break;
            }
            "-" => out.paths.push(arg.clone()),
            "-h" | "--help" => return Ok(None),
            "--check" => out.check = true,
            "--diff" => out.diff = true,
            "--force" => out.force = true,
            "-q" | "--quiet" => out.quiet = true,
            a if a.starts_with('-') => return Err(format!("unknown option `{a}`")),
            _ => out.paths.push(arg.clone()),
        }
    }
    if out.paths.is_empty() {
        out.paths.push(".".to_string());
    }
    Ok(Some(out))
}

pub fn run(argv: &[String]) -> i32 {
    let a = match parse(argv) {
        Ok(Some(a)) => a,
        Ok(None) => return print_text(USAGE),
        Err(msg) => {
            eprint_line(&format!("berth fmt: {msg}"));
            eprint_line("Run `berth fmt --help` for the options.");
            return EXIT_TROUBLE;
        }
    };
    let found = walk::discover(&a.paths);
    let mut trouble = found.report();
    let (mut changed, mut unchanged) = (0usize, 0usize);
    let mut out = Out::stdout();
    for source in &found.sources {
        match fmt_one(source, &a, &mut out) {
            Ok(true) => changed += 1,
            Ok(false) => unchanged += 1,
            Err(e) => {
                out.flush();
                eprint_line(&format!("berth: {e}"));
                trouble = true;
            }
        }
    }
    let dry = a.check || a.diff;
    if !a.quiet && found.sources.iter().any(|s| matches!(s, Source::File(_))) {
        out.flush();
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        let verb = if dry {
            "would be reformatted"
        } else {
            "reformatted"
        };
        eprint_line(&format!(
            "{changed} {} {verb}, {unchanged} {} already formatted",
            files(changed),
            files(unchanged)
        ));
    }
    let code = if trouble {
        EXIT_TROUBLE
    } else if dry && changed > 0 {
        1
    } else {
        0
    };
    out.finish(code)
}

/// Format one file; `Ok(true)` when formatting changes it.
fn fmt_one(source: &Source, a: &FmtArgs, out: &mut Out) -> Result<bool, String> {
    let (text, stamp) = read_source(source)?;
    let new = formatted(&text);
    let changed = new != text;
    if a.check && changed {
        out.write(&format!("{}\n", source.shown()));
    }
    if a.diff && changed {
        out.write(&unified_diff(&source.display(), &text, &new));
    }
    if !a.check && !a.diff {
        match source {
            Source::Stdin => out.write(&new),
            Source::File(p) if changed => write_back(p, stamp.as_ref(), &new, a.force)?,
            Source::File(_) => {}
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(a: &[&str]) -> Result<Option<FmtArgs>, String> {
        parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn options_and_paths() {
        let a = parse_args(&[
            "--check", "a", "-", "--diff", "-q", "--force", "--", "--odd",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.paths, ["a", "-", "--odd"]);
        assert!(a.check && a.diff && a.quiet && a.force);
        assert_eq!(parse_args(&[]).unwrap().unwrap().paths, ["."]);
        assert!(parse_args(&["--help"]).unwrap().is_none());
        assert!(parse_args(&["--fix"]).unwrap_err().contains("--fix"));
    }
}
