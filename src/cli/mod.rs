//! The command line: `berth check`, `berth fix`, `berth fmt`, `berth rules`, `berth syntax`, and the entry into the
//! language server (`berth lsp`, `berth --stdio`).
//!
//! This module and `lsp/` are the only places that do IO. Everything is
//! analysed through [`crate::ide::Analysis`]; byte offsets become lines and
//! columns only when printed (see `output.rs`).
//!
//! Nothing here panics on user input: output goes through [`Out`] /
//! [`eprint_line`], which swallow write errors (a closed pipe) instead of
//! panicking like `println!` does.

mod args;
mod check;
mod fix;
mod fmt;
mod output;
mod rules_cmd;
mod sarif;
mod syntax_cmd;
mod term;
mod walk;

use std::io::{self, Write};

/// The version line printed by `berth --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Exit code: a usage error, or a file that could not be read or decoded.
pub const EXIT_TROUBLE: i32 = 2;

const USAGE: &str = "\
berth: a stage-aware linter and language server for Dockerfiles

Usage: berth <COMMAND> [OPTIONS]

Commands:
  check [OPTIONS] PATH...   Lint Dockerfiles (files or directories; `-` reads stdin)
  rules [CODE]              List the rules, or show the documentation of one
  lsp [--stdio]             Run the language server over stdio (also: berth --stdio)
  fix [OPTIONS] PATH...     Apply the fixes of safe findings (--unsafe: all, --diff: show)
  fmt [OPTIONS] [PATH...]   Format Dockerfiles in place (--check: list, --diff: show)
  syntax [--format F] FILE  Print the syntax tree berth reads (sexp or json)

Options:
  -h, --help                Print this help (`berth check --help` for check's options)
  -V, --version             Print the version

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or IO error.
";

/// Entry point: `args` are the arguments after the program name; `lsp` runs
/// the language server over stdio and returns its exit code. Returns the
/// process exit code.
pub fn main_with(args: Vec<String>, lsp: fn() -> i32) -> i32 {
    let Some(first) = args.first() else {
        eprint_text(USAGE);
        return EXIT_TROUBLE;
    };
    let rest = &args[1..];
    match first.as_str() {
        "-h" | "--help" | "help" => {
            if let Some(cmd) = rest.first().filter(|_| first == "help") {
                return help_for(cmd);
            }
            print_text(USAGE)
        }
        "-V" | "--version" => print_text(&format!("berth {VERSION}\n")),
        "check" => check::run(rest),
        "rules" => rules_cmd::run(rest),
        "fix" => fix::run(rest),
        "fmt" => fmt::run(rest),
        "syntax" => syntax_cmd::run(rest),
        // ---- The language server. ------------------------------------
        // `berth lsp`, `berth lsp --stdio` and `berth --stdio` (what most
        // editor configurations pass) all serve LSP on stdin/stdout.
        // Nothing may be written to stdout before `lsp()` runs.
        "lsp" | "--stdio" => {
            for arg in rest {
                match arg.as_str() {
                    "--stdio" => {}
                    "-h" | "--help" => {
                        return print_text(
                            "Usage: berth lsp [--stdio]\n\n\
                             Serve the Language Server Protocol over stdin and stdout.\n",
                        )
                    }
                    other => {
                        eprint_line(&format!(
                            "berth lsp: unknown argument `{other}` (only --stdio is accepted)"
                        ));
                        return EXIT_TROUBLE;
                    }
                }
            }
            lsp()
        }
        // ---------------------------------------------------------------
        other => {
            if other.starts_with('-') {
                eprint_line(&format!("berth: unknown option `{other}`"));
            } else {
                eprint_line(&format!("berth: unknown command `{other}`"));
            }
            eprint_line("Run `berth --help` for the list of commands.");
            EXIT_TROUBLE
        }
    }
}

fn help_for(cmd: &str) -> i32 {
    match cmd {
        "check" => print_text(check::USAGE),
        "rules" => print_text(rules_cmd::USAGE),
        "fix" => print_text(fix::USAGE),
        "fmt" => print_text(fmt::USAGE),
        "syntax" => print_text(syntax_cmd::USAGE),
        _ => print_text(USAGE),
    }
}

/// Print `text` to stdout; exit code 0, or 2 when stdout is not writable
/// (other than a closed pipe, which is not worth a message).
fn print_text(text: &str) -> i32 {
    let mut out = Out::stdout();
    out.write(text);
    out.finish(0)
}

/// Write to stderr, ignoring errors (`eprintln!` panics when stderr is closed).
pub(crate) fn eprint_text(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// One line to stderr.
pub(crate) fn eprint_line(line: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(line.as_bytes());
    let _ = err.write_all(b"\n");
}

/// Buffered stdout that remembers the first write error instead of
/// panicking, and stops writing after it.
pub(crate) struct Out {
    inner: io::BufWriter<io::StdoutLock<'static>>,
    error: Option<io::Error>,
}

impl Out {
    pub(crate) fn stdout() -> Out {
        Out {
            inner: io::BufWriter::new(io::stdout().lock()),
            error: None,
        }
    }

    pub(crate) fn write(&mut self, s: &str) {
        if self.error.is_none() {
            if let Err(e) = self.inner.write_all(s.as_bytes()) {
                self.error = Some(e);
            }
        }
    }

    /// Flush what is buffered (before writing to stderr, to keep order).
    pub(crate) fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
    }

    /// Flush and turn the outcome into the exit code: `code` when all went
    /// well or the reader went away (a closed pipe, `berth check | head`),
    /// 2 with a message on any other write error.
    pub(crate) fn finish(mut self, code: i32) -> i32 {
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
        match self.error {
            None => code,
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
            Some(e) => {
                eprint_line(&format!("berth: cannot write to stdout: {e}"));
                EXIT_TROUBLE
            }
        }
    }
}

/// An IO error as a short reason: "No such file or directory" rather than
/// "No such file or directory (os error 2)".
pub(crate) fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_lsp() -> i32 {
        42
    }

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lsp_entry_points_call_the_hook() {
        for a in [&["lsp"][..], &["lsp", "--stdio"], &["--stdio"]] {
            assert_eq!(main_with(args(a), fake_lsp), 42, "{a:?}");
        }
        assert_eq!(main_with(args(&["lsp", "--tcp"]), fake_lsp), EXIT_TROUBLE);
    }

    #[test]
    fn io_reasons_are_short() {
        let e = io::Error::from_raw_os_error(2);
        assert!(!io_reason(&e).contains("os error"), "{}", io_reason(&e));
    }
}
