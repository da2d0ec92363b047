//! ShellCheck on RUN scripts, the pure half: which scripts to check, the
//! exact text ShellCheck reads, and the map from its lines and columns back
//! to Dockerfile ranges. Running the binary is IO and lives in `host/`.
//!
//! What the shell receives, and so what ShellCheck is given:
//!
//! - a shell-form `RUN` (or `ONBUILD RUN`) in a POSIX-shell stage: the
//!   logical line after BuildKit's joining (continuations and the comment
//!   lines inside them removed), mapped back through [`Joined`];
//! - when the command line feeds heredocs to a command (`RUN cat <<EOF >
//!   /etc/x`), the line followed by the heredoc lines and terminators, as
//!   `sh -c` gets them, so ShellCheck sees a complete here-document;
//! - when the shell itself reads the body (`RUN <<EOF`, `RUN bash <<EOF`):
//!   each body as its own script (a body starting with a `#!` line that is
//!   not a POSIX shell, such as Python, is skipped).
//!
//! BuildKit reads lines without their `\r`, so a CRLF file's bodies reach
//! the shell without it; the script text drops it too.
//!
//! Windows stages are skipped beyond what [`dialect`] detects, because
//! ShellCheck on PowerShell or cmd text is only noise: a stage whose base
//! (with its tag, as written or expanded) names a Windows image, a file
//! with the `# escape=`` ` directive (the Windows convention), a
//! `# hadolint shell=powershell` (or `pwsh`, `cmd`) pragma before the RUN
//! (hadolint's way to say the same), and a script whose first command is
//! `cmd` or a `.exe`.
//!
//! Each script is preceded by `export NAME=1` lines for the ARG and ENV
//! names in scope and the proxy variables BuildKit passes to every RUN, so
//! ShellCheck knows they are set (hadolint does the same). Findings on
//! those lines are dropped.

use crate::model::{vars_visible, Base, Form, Instruction, Model};
use crate::syntax::Joined;
use crate::text::{TextRange, TextSize};

use super::{dialect, run_scripts, Dialect};

/// The shell ShellCheck is told the script is for (`--shell=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shell {
    Sh,
    Bash,
}

impl Shell {
    pub fn as_str(self) -> &'static str {
        match self {
            Shell::Sh => "sh",
            Shell::Bash => "bash",
        }
    }
}

/// Variables BuildKit passes to every RUN without an ARG for them.
pub const PROXY_VARS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Where a stretch of the script comes from.
#[derive(Clone, Debug)]
enum Origin {
    /// `joined.text[from..]`, mapped through the instruction's [`Joined`].
    Joined { from: usize },
    /// The source text from this offset on, byte for byte.
    Source { from: TextSize },
}

#[derive(Clone, Debug)]
struct Segment {
    /// Offset in the script (after the prelude).
    at: usize,
    origin: Origin,
}

/// One script to give ShellCheck, with the map back to the Dockerfile.
#[derive(Clone, Debug)]
pub struct Job {
    /// The instruction (`RUN` or `ONBUILD`) the script belongs to.
    pub instruction: usize,
    pub shell: Shell,
    /// What ShellCheck reads on stdin: the export prelude, then the script.
    pub input: String,
    prelude_lines: u32,
    prelude_len: usize,
    /// Byte offsets (in the script) where each script line starts.
    line_starts: Vec<usize>,
    segments: Vec<Segment>,
    joined: Option<Joined>,
}

impl Job {
    fn script(&self) -> &str {
        self.input.get(self.prelude_len..).unwrap_or("")
    }

    /// The script text, without the prelude.
    pub fn script_text(&self) -> &str {
        self.script()
    }

    /// Byte offset in the script of a 1-based ShellCheck line (counted in
    /// the whole input) and 1-based column (in Unicode code points, as
    /// ShellCheck's JSON reports them). `None` inside the prelude.
    fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let line = line.checked_sub(self.prelude_lines)?.checked_sub(1)? as usize;
        let script = self.script();
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(script.len(), |&next| next.saturating_sub(1));
        let text = script.get(start..end).unwrap_or("");
        let skip = column.saturating_sub(1) as usize;
        Some(
            text.char_indices()
                .nth(skip)
                .map_or(end, |(i, _)| start + i),
        )
    }

    /// The source offset of script offset `o`; `end` maps a position that
    /// ends a range (it stays on the piece before a seam).
    fn source(&self, o: usize, end: bool) -> TextSize {
        let idx = self
            .segments
            .partition_point(|s| s.at < o || (!end && s.at == o));
        let Some(seg) = self.segments.get(idx.saturating_sub(1)) else {
            return 0;
        };
        let d = o.saturating_sub(seg.at);
        match (&seg.origin, &self.joined) {
            (Origin::Joined { from }, Some(j)) => {
                if end {
                    j.src_end(from + d)
                } else {
                    j.src_start(from + d)
                }
            }
            (Origin::Source { from }, _) => from + d as TextSize,
            (Origin::Joined { .. }, None) => 0,
        }
    }

    /// The Dockerfile range of a ShellCheck finding (1-based lines counted
    /// in the input, 1-based code-point columns, end exclusive). `None` for
    /// a finding in the prelude.
    pub fn range(
        &self,
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
    ) -> Option<TextRange> {
        let start = self.offset(line, column)?;
        let end = self
            .offset(end_line, end_column)
            .unwrap_or(start)
            .max(start);
        if start == end {
            return Some(TextRange::empty(self.source(start, false)));
        }
        let s = self.source(start, false);
        let e = self.source(end, true).max(s);
        Some(TextRange::new(s, e))
    }
}

/// Build a script from pieces, tracking where each piece comes from.
struct Builder {
    text: String,
    segments: Vec<Segment>,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            text: String::new(),
            segments: Vec::new(),
        }
    }

    fn push(&mut self, s: &str, origin: Origin) {
        self.segments.push(Segment {
            at: self.text.len(),
            origin,
        });
        self.text.push_str(s);
    }

    /// The source lines of `range`, each ending in `\n` (a `\r` before it
    /// dropped, as BuildKit reads lines).
    fn push_lines(&mut self, text: &str, range: TextRange) {
        let mut pos = range.start as usize;
        let end = (range.end as usize).min(text.len());
        while pos < end {
            let rest = text.get(pos..end).unwrap_or("");
            let (line, next) = match rest.find('\n') {
                Some(i) => (&rest[..i], pos + i + 1),
                None => (rest, end),
            };
            let content = line.strip_suffix('\r').unwrap_or(line);
            self.push(
                content,
                Origin::Source {
                    from: pos as TextSize,
                },
            );
            // The `\n` maps to where the line break starts in the source.
            self.text.push('\n');
            pos = next;
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `export NAME=1` for every variable set for instruction `at`, sorted.
fn prelude(m: &Model, at: usize) -> String {
    let mut names: Vec<&str> = vars_visible(m, at)
        .into_iter()
        .filter_map(|d| m.decls.get(d))
        .map(|d| d.name.as_str())
        .chain(PROXY_VARS.iter().copied())
        .filter(|n| valid_name(n))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut out = String::new();
    for n in names {
        out.push_str("export ");
        out.push_str(n);
        out.push_str("=1\n");
    }
    out
}

/// The shell a heredoc body read by the shell is for, from its `#!` line or
/// the command reading it; `None` when the body is not a shell script.
fn body_shell(body: &str, reader: Option<&str>, stage: Shell) -> Option<Shell> {
    if let Some(shebang) = body.strip_prefix("#!") {
        let first = shebang.lines().next().unwrap_or("");
        let mut words = first.split_whitespace();
        let mut prog = words.next().unwrap_or("");
        if prog.rsplit('/').next() == Some("env") {
            prog = words.find(|w| !w.starts_with('-')).unwrap_or("");
        }
        return match prog.rsplit('/').next().unwrap_or("") {
            "sh" | "ash" | "dash" | "busybox" => Some(Shell::Sh),
            "bash" | "ksh" | "mksh" | "zsh" => Some(Shell::Bash),
            _ => None,
        };
    }
    match reader {
        Some("bash" | "zsh" | "ksh" | "mksh") => Some(Shell::Bash),
        Some("sh" | "ash" | "dash") => Some(Shell::Sh),
        _ => Some(stage),
    }
}

fn finish(
    b: Builder,
    instruction: usize,
    shell: Shell,
    prelude: &str,
    joined: Option<Joined>,
) -> Option<Job> {
    if b.text.trim().is_empty() {
        return None;
    }
    let mut line_starts = vec![0];
    line_starts.extend(
        b.text
            .bytes()
            .enumerate()
            .filter(|&(_, c)| c == b'\n')
            .map(|(i, _)| i + 1),
    );
    Some(Job {
        instruction,
        shell,
        input: format!("{prelude}{}", b.text),
        prelude_lines: prelude.matches('\n').count() as u32,
        prelude_len: prelude.len(),
        line_starts,
        segments: b.segments,
        joined,
    })
}

fn windows_name(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    ["windows", "nanoserver", "servercore"]
        .iter()
        .any(|w| s.contains(w))
}

/// Signs that instruction `at` runs on Windows that [`dialect`] does not
/// read (see the module docs).
fn windows_hint(m: &Model, text: &str, at: usize) -> bool {
    if m.escape == b'`' {
        return true;
    }
    let Some(ins) = m.instructions.get(at) else {
        return false;
    };
    let pragma = m.comments.iter().any(|c| {
        c.range.start < ins.range.start && {
            let body = c.range.slice(text).trim_start_matches('#').trim_start();
            body.strip_prefix("hadolint")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix("shell"))
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .map(|v| v.trim().to_ascii_lowercase())
                .is_some_and(|v| {
                    v.starts_with("pwsh") || v.starts_with("powershell") || v.starts_with("cmd")
                })
        }
    });
    if pragma {
        return true;
    }
    let mut stage = ins.stage;
    let mut hops = 0;
    while let Some(s) = stage.and_then(|s| m.stages.get(s)) {
        if windows_name(&s.base_text) || windows_name(&s.base_expanded) {
            return true;
        }
        stage = match s.base {
            Base::Stage(b) if b < s.index && hops < m.stages.len() => Some(b),
            _ => None,
        };
        hops += 1;
    }
    false
}

fn jobs_for(m: &Model, text: &str, at: usize, run: &Instruction, out: &mut Vec<Job>) {
    if run.form != Form::Shell || windows_hint(m, text, at) {
        return;
    }
    let shell = match dialect(m, at) {
        Dialect::Posix { bash: true } => Shell::Bash,
        Dialect::Posix { bash: false } => Shell::Sh,
        Dialect::Other(_) => return,
    };
    // An unterminated heredoc is a syntax error already reported; the
    // shell never sees this RUN.
    if run.heredocs.iter().any(|h| h.terminator.is_none()) {
        return;
    }
    let scripts = run_scripts(m, text, run);
    let Some(line_script) = scripts.first() else {
        return;
    };
    let Some(word) = run.args.first() else {
        return;
    };
    let first = line_script
        .commands
        .iter()
        .find(|c| !c.name.value.is_empty());
    if first.is_some_and(|c| {
        let p = c.program().to_ascii_lowercase();
        p == "cmd" || p.ends_with(".exe")
    }) {
        return;
    }
    let prelude = prelude(m, at);
    let reads_body = !run.heredocs.is_empty() && scripts.len() > 1;
    if reads_body {
        let reader = line_script
            .commands
            .iter()
            .find(|c| !c.name.value.is_empty())
            .map(|c| c.program());
        for h in &run.heredocs {
            let body = h.body.slice(text);
            let Some(sh) = body_shell(body, reader, shell) else {
                continue;
            };
            let mut b = Builder::new();
            b.push_lines(text, h.body);
            out.extend(finish(b, at, sh, &prelude, None));
        }
        return;
    }
    let (start, end) = (word.joined.0 as usize, word.joined.1 as usize);
    let line = run.joined.text.get(start..end).unwrap_or("");
    let mut b = Builder::new();
    b.push(line, Origin::Joined { from: start });
    if let (Some(first), Some(last)) = (run.heredocs.first(), run.heredocs.last()) {
        let region_end = last.terminator.map_or(last.body.end, |t| t.end);
        b.push(
            "\n",
            Origin::Source {
                from: run.logical_end,
            },
        );
        b.push_lines(
            text,
            TextRange::new(first.body.start, region_end.max(first.body.start)),
        );
    }
    out.extend(finish(b, at, shell, &prelude, Some(run.joined.clone())));
}

/// The scripts ShellCheck should read, in instruction order: shell-form
/// `RUN` and `ONBUILD RUN` in POSIX-shell stages (not exec form, not
/// PowerShell or cmd).
pub fn jobs(m: &Model, text: &str) -> Vec<Job> {
    jobs_in(m, text, 0..m.instructions.len())
}

/// [`jobs`] of the instructions in `range` only.
pub fn jobs_in(m: &Model, text: &str, range: std::ops::Range<usize>) -> Vec<Job> {
    let mut out = Vec::new();
    for ins in m.instructions.get(range).unwrap_or_default() {
        if let Some(run) = super::run_of(ins) {
            jobs_for(m, text, ins.index, run, &mut out);
        }
    }
    out
}

/// ShellCheck codes that are noise in a Dockerfile, off unless a setting
/// names them:
///
/// - SC1090, SC1091: a sourced file (`. /etc/os-release`) is in the image,
///   not beside the script, so ShellCheck can never follow it;
/// - SC2154 (a variable referenced but not assigned): the base image's ENV
///   is invisible here, so it fires on variables that are set;
/// - SC2187 (ash not supported): the dialect is given with `--shell`.
///
/// hadolint excludes SC2187 and SC1090, and does not report SC1091 or
/// SC2154 either.
pub const DEFAULT_EXCLUDED: &[u32] = &[1090, 1091, 2154, 2187];

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs_of(text: &str) -> Vec<Job> {
        jobs(&Model::build(text), text)
    }

    /// The source text of the range a finding at these script coordinates
    /// (1-based, lines after the prelude) maps to.
    fn at<'a>(text: &'a str, job: &Job, l: u32, c: u32, el: u32, ec: u32) -> &'a str {
        let p = job.prelude_lines;
        job.range(l + p, c, el + p, ec)
            .expect("outside the prelude")
            .slice(text)
    }

    #[test]
    fn the_joined_line_maps_back_through_continuations() {
        let text = "FROM debian\nARG ver\nRUN echo $ver && \\\n  # dropped\n  echo \u{e9}$x\n";
        let j = jobs_of(text);
        assert_eq!(j.len(), 1);
        assert_eq!(j[0].shell, Shell::Sh);
        assert_eq!(j[0].script_text(), "echo $ver &&   echo \u{e9}$x");
        assert!(j[0].input.contains("export ver=1\n"));
        assert!(j[0].input.contains("export HTTP_PROXY=1\n"));
        // `$x` is at column 22 (code points) of script line 1.
        assert_eq!(at(text, &j[0], 1, 22, 1, 24), "$x");
        assert_eq!(at(text, &j[0], 1, 6, 1, 10), "$ver");
        // A range across the continuation covers the source between.
        let r = j[0]
            .range(j[0].prelude_lines + 1, 11, j[0].prelude_lines + 1, 22)
            .unwrap();
        assert_eq!(r.slice(text), "&& \\\n  # dropped\n  echo \u{e9}");
        // In the prelude: dropped.
        assert_eq!(j[0].range(1, 1, 1, 2), None);
    }

    #[test]
    fn bash_stages_exec_form_and_other_shells() {
        let text = "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo $a\nRUN [\"sh\", \"-c\", \"echo $b\"]\nFROM mcr.microsoft.com/windows/servercore\nRUN echo %x%\n";
        let j = jobs_of(text);
        assert_eq!(j.len(), 1);
        assert_eq!(j[0].shell, Shell::Bash);
    }

    #[test]
    fn heredoc_fed_to_a_command_is_part_of_the_script() {
        let text = "FROM a\r\nRUN cat <<EOF > /x && echo $y\r\nline $z\r\nEOF\r\n";
        let j = jobs_of(text);
        assert_eq!(j.len(), 1);
        assert_eq!(
            j[0].script_text(),
            "cat <<EOF > /x && echo $y\nline $z\nEOF\n"
        );
        assert_eq!(at(text, &j[0], 1, 24, 1, 26), "$y");
        assert_eq!(at(text, &j[0], 2, 6, 2, 8), "$z");
        assert_eq!(at(text, &j[0], 3, 1, 3, 4), "EOF");
    }

    #[test]
    fn heredoc_read_by_the_shell_is_its_own_script() {
        let text = "FROM a\nRUN <<EOF\nset -e\n\tcd /x\nEOF\nRUN bash <<EOT\necho $[1]\nEOT\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n";
        let j = jobs_of(text);
        let scripts: Vec<_> = j.iter().map(|j| (j.shell, j.script_text())).collect();
        assert_eq!(
            scripts,
            [
                (Shell::Sh, "set -e\n\tcd /x\n"),
                (Shell::Bash, "echo $[1]\n")
            ]
        );
        assert_eq!(at(text, &j[0], 2, 2, 2, 7), "cd /x");
        assert_eq!(at(text, &j[1], 1, 6, 1, 10), "$[1]");
    }

    #[test]
    fn windows_hints_the_dialect_misses() {
        for text in [
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022\nRUN echo $x\n",
            "ARG REPO=mcr.microsoft.com/dotnet/framework/runtime\nFROM $REPO:4.8-windowsservercore-ltsc2022\nRUN echo $x\n",
            "# escape=`\nFROM $BASE\nRUN echo $x\n",
            "FROM base\n# hadolint shell=powershell\nRUN echo $x\n",
            "FROM ${img}\nRUN cmd /c icacls.exe C:\\x /grant:r Users:(OI)(CI)F\n",
            "FROM x:ltsc2022-windowsservercore AS a\nFROM a\nRUN echo $x\n",
        ] {
            assert!(jobs_of(text).is_empty(), "{text}");
        }
        // A pragma after the RUN, or a Linux base: checked.
        assert_eq!(
            jobs_of("FROM a\nRUN echo $x\n# hadolint shell=powershell\n").len(),
            1
        );
        assert_eq!(jobs_of("FROM alpine\nRUN pwsh -c 'Get-Item'\n").len(), 1);
    }

    #[test]
    fn onbuild_run_and_empty_scripts() {
        let text = "FROM a\nONBUILD RUN echo $q\nRUN \\\n\n";
        let j = jobs_of(text);
        assert_eq!(j.len(), 1);
        assert_eq!(j[0].script_text(), "echo $q");
        assert_eq!(at(text, &j[0], 1, 6, 1, 8), "$q");
    }

    #[test]
    fn columns_past_the_line_and_empty_ranges_do_not_panic() {
        let text = "FROM a\nRUN echo \u{1f6a2}\n";
        let j = &jobs_of(text)[0];
        let p = j.prelude_lines;
        let r = j.range(p + 1, 99, p + 7, 99).unwrap();
        assert!(r.end as usize <= text.len());
        let r = j.range(p + 1, 6, p + 1, 6).unwrap();
        assert!(r.is_empty());
        assert_eq!(&text[r.start as usize..], "\u{1f6a2}\n");
        assert_eq!(j.range(p + 5, 1, p + 5, 2), None);
    }

    #[test]
    fn shebangs() {
        assert_eq!(
            body_shell("#!/bin/bash\n", None, Shell::Sh),
            Some(Shell::Bash)
        );
        assert_eq!(
            body_shell("#!/usr/bin/env sh\n", None, Shell::Bash),
            Some(Shell::Sh)
        );
        assert_eq!(body_shell("#!/usr/bin/python\n", None, Shell::Sh), None);
        assert_eq!(
            body_shell("echo\n", Some("bash"), Shell::Sh),
            Some(Shell::Bash)
        );
        assert_eq!(body_shell("echo\n", None, Shell::Bash), Some(Shell::Bash));
    }
}
