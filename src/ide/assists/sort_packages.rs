//! `sort_packages`: the package list of an `apt-get install`, `apk add`,
//! `dnf`/`yum`/`microdnf install` or `pip install` inside a RUN, sorted
//! alphabetically without duplicates; a list of more than three packages
//! goes one per continuation line.
//!
//! Only lists of static words after the options qualify: a variable, an
//! option between packages or a comment inside the list leaves it alone.

use crate::shell::{self, Arg, Command};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

use super::merge_run_layers::{eol, plain_run};
use super::{Assist, AssistCtx, AssistKind, SourceChange};

/// The subcommand that installs, and the options that take a value.
fn install_spec(prog: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match prog {
        "apt-get" | "apt" => (
            &["install"],
            &[
                "-o",
                "-t",
                "-c",
                "--option",
                "--target-release",
                "--config-file",
            ],
        ),
        "apk" => (
            &["add"],
            &["-t", "--virtual", "-X", "--repository", "-p", "--root"],
        ),
        "dnf" | "yum" | "microdnf" => (
            &["install"],
            &["--enablerepo", "--disablerepo", "--setopt", "--releasever"],
        ),
        "pip" | "pip3" => (
            &["install"],
            &[
                "-i",
                "--index-url",
                "--extra-index-url",
                "-t",
                "--target",
                "--prefix",
                "--root",
                "-f",
                "--find-links",
            ],
        ),
        _ => return None,
    })
}

/// The package words of an install command, or `None` when it is not one
/// or its list is not plain.
fn packages(c: &Command) -> Option<Vec<&Arg>> {
    let (subs, valued) = install_spec(c.program())?;
    let mut it = c.args.iter();
    let mut sub = false;
    let mut pkgs = Vec::new();
    while let Some(a) = it.next() {
        let v = a.value.as_str();
        if !a.is_static || v.contains('$') {
            return None;
        }
        if v.starts_with('-') {
            // pip's requirement files and editable installs are not names.
            if !pkgs.is_empty() || matches!(v, "-r" | "--requirement" | "-e" | "--editable" | "-c")
            {
                return None;
            }
            if valued.contains(&v) {
                it.next()?;
            }
        } else if !sub {
            if !subs.contains(&v) {
                return None;
            }
            sub = true;
        } else {
            pkgs.push(a);
        }
    }
    (sub && pkgs.len() >= 2).then_some(pkgs)
}

fn sorted(pkgs: &[&Arg]) -> Vec<String> {
    let mut v: Vec<(String, String)> = pkgs
        .iter()
        .map(|a| (a.value.to_ascii_lowercase(), a.raw.clone()))
        .collect();
    v.sort();
    v.dedup_by(|a, b| a.0 == b.0);
    v.into_iter().map(|(_, raw)| raw).collect()
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

pub(super) fn sort_packages(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let r = ctx.range;
    let Some(ins) = ctx
        .model
        .instructions
        .iter()
        .find(|i| i.kind == Keyword::Run && i.range.touches(r.start) && i.range.touches(r.end))
    else {
        return;
    };
    if !plain_run(ctx, ins) {
        return;
    }
    let scripts = shell::run_scripts(ctx.model, ctx.text, ins);
    let Some(script) = scripts.first() else {
        return;
    };
    let installs: Vec<(&Command, Vec<&Arg>)> = script
        .commands
        .iter()
        .filter_map(|c| packages(c).map(|p| (c, p)))
        .collect();
    let chosen = installs
        .iter()
        .find(|(c, _)| c.range.touches(r.start))
        .or_else(|| (installs.len() == 1).then(|| &installs[0]));
    let Some((cmd, pkgs)) = chosen else {
        return;
    };
    let text = ctx.text;
    let first = pkgs[0].range;
    let last = pkgs[pkgs.len() - 1].range;
    let span = TextRange::new(first.start, last.end);
    if ctx
        .model
        .comments
        .iter()
        .any(|c| span.contains_range(c.range))
    {
        return;
    }
    let want = sorted(pkgs);
    let one_per_line = pkgs.iter().all(|a| {
        let s = a.range.start as usize;
        text[line_start(text, s)..s].trim().is_empty()
    });
    let reflow = want.len() > 3 && !one_per_line;
    let same = want.len() == pkgs.len() && want.iter().zip(pkgs).all(|(w, a)| *w == a.raw);
    if same && !reflow {
        return;
    }
    let mut edits = Vec::new();
    if reflow {
        // From the end of the word before the first package.
        let before = cmd
            .args
            .iter()
            .take_while(|a| a.range.start < first.start)
            .last()
            .map_or(cmd.name.range.end, |a| a.range.end);
        let cmd_line = line_start(text, cmd.range.start as usize);
        let ins_line = line_start(text, ins.range.start as usize);
        let base = if cmd_line == ins_line {
            String::new()
        } else {
            let l = &text[cmd_line..];
            l[..l.len() - l.trim_start_matches([' ', '\t']).len()].to_string()
        };
        // The indentation of a package already starting a line, if any.
        let own = pkgs.iter().find_map(|a| {
            let s = a.range.start as usize;
            let prefix = &text[line_start(text, s)..s];
            (prefix.trim().is_empty() && !prefix.is_empty()).then_some(prefix)
        });
        let indent = match own {
            Some(p) => p.to_string(),
            None => format!("{base}    "),
        };
        let sep = format!(" {}{}{indent}", ctx.model.escape as char, eol(text));
        let mut s = String::new();
        for p in &want {
            s.push_str(&sep);
            s.push_str(p);
        }
        edits.push(TextEdit::replace(TextRange::new(before, last.end), s));
    } else {
        for (i, a) in pkgs.iter().enumerate() {
            match want.get(i) {
                Some(w) => {
                    if *w != a.raw {
                        edits.push(TextEdit::replace(a.range, w.clone()));
                    }
                }
                None => edits.push(TextEdit::delete(TextRange::new(
                    pkgs[i - 1].range.end,
                    a.range.end,
                ))),
            }
        }
    }
    out.push(Assist {
        id: "sort_packages",
        label: "Sort packages".into(),
        kind: AssistKind::RefactorRewrite,
        target: span,
        change: SourceChange {
            edits,
            is_snippet: false,
        },
    });
}
