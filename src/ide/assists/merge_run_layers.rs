//! `merge_run_layers`: consecutive RUNs that only run package-manager steps
//! (apt, apk, dnf/yum/microdnf) become one RUN that updates first, installs
//! with non-interactive flags in one merged command, and cleans up at the
//! end, so the package cache never lands in a layer.
//!
//! The group helpers here are shared with `merge_consecutive_runs`.

use crate::model::{Form, Instruction};
use crate::shell::{self, Command, Dialect, Script};
use crate::syntax::{Joined, Keyword};
use crate::text::{TextEdit, TextRange};

use super::{Assist, AssistCtx, AssistKind, SourceChange};

/// A shell-form RUN the merges can take: no heredoc, POSIX shell, a body
/// that parses.
pub(super) fn plain_run(ctx: &AssistCtx, ins: &Instruction) -> bool {
    ins.kind == Keyword::Run
        && ins.form == Form::Shell
        && ins.heredocs.is_empty()
        && ins.onbuild.is_none()
        && !ins.args.is_empty()
        && matches!(shell::dialect(ctx.model, ins.index), Dialect::Posix { .. })
}

/// The builder flags, as a comparable key (`--mount`, `--network`, ...).
fn flags_key(ins: &Instruction) -> Vec<String> {
    let mut k: Vec<String> = ins.flags.iter().map(|f| f.word.value.clone()).collect();
    k.sort();
    k
}

/// The RUNs to merge: with a selection, the instructions it touches (all
/// must qualify); with a cursor, the longest run of qualifying RUNs around
/// the one under the cursor. Same stage and same flags; two or more.
pub(super) fn run_group<'a>(
    ctx: &'a AssistCtx,
    ok: impl Fn(&Instruction) -> bool,
) -> Option<Vec<&'a Instruction>> {
    let all = &ctx.model.instructions;
    let r = ctx.range;
    let touched: Vec<usize> = all
        .iter()
        .filter(|i| {
            if r.is_empty() {
                i.range.touches(r.start)
            } else {
                i.range.start < r.end && r.start < i.range.end
            }
        })
        .map(|i| i.index)
        .collect();
    let &first = touched.first()?;
    let base = &all[first];
    if base.kind != Keyword::Run || !ok(base) {
        return None;
    }
    let key = flags_key(base);
    let fits = |i: &Instruction| {
        i.kind == Keyword::Run && i.stage == base.stage && flags_key(i) == key && ok(i)
    };
    let (lo, hi) = if r.is_empty() || touched.len() == 1 {
        let mut lo = first;
        while lo > 0 && fits(&all[lo - 1]) {
            lo -= 1;
        }
        let mut hi = *touched.last()?;
        while hi + 1 < all.len() && fits(&all[hi + 1]) {
            hi += 1;
        }
        (lo, hi)
    } else {
        let hi = *touched.last()?;
        if !all[first..=hi].iter().all(fits) {
            return None;
        }
        (first, hi)
    };
    if hi <= lo {
        return None;
    }
    Some(all[lo..=hi].iter().collect())
}

/// The end of line the file uses.
pub(super) fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Indentation of the continuation lines of these RUNs, or four spaces.
pub(super) fn continuation_indent(text: &str, runs: &[&Instruction]) -> String {
    for ins in runs {
        for line in ins.range.slice(text).lines().skip(1) {
            let t = line.trim_start_matches([' ', '\t']);
            if t.trim().is_empty() || t.starts_with('#') {
                continue;
            }
            let ind = &line[..line.len() - t.len()];
            if !ind.is_empty() {
                return ind.to_string();
            }
        }
    }
    "    ".to_string()
}

/// Builds the replacement of the whole group: the comments found inside
/// it first, then `RUN <flags> c1 && \` / `    c2` ... with the file's
/// escape character and end of line.
///
/// With `verbatim_bodies`, comments inside a RUN's continuation stay where
/// they are (the body text keeps them); otherwise they move up too.
pub(super) fn merged_edit(
    ctx: &AssistCtx,
    runs: &[&Instruction],
    commands: &[String],
    verbatim_bodies: bool,
) -> MergedRun {
    let text = ctx.text;
    let first = runs[0];
    let last = runs[runs.len() - 1];
    let range = TextRange::new(first.range.start, last.range.end);
    let nl = eol(text);
    let esc = ctx.model.escape as char;
    let indent = continuation_indent(text, runs);
    let line_start = text[..first.range.start as usize]
        .rfind('\n')
        .map_or(0, |p| p + 1);
    let lead = &text[line_start..first.range.start as usize];
    let lead = if lead.trim().is_empty() { lead } else { "" };
    let mut out = String::new();
    for c in &ctx.model.comments {
        let inside_run = runs.iter().any(|r| r.range.contains_range(c.range));
        if c.range.start > range.start
            && c.range.end <= range.end
            && !(verbatim_bodies && inside_run)
        {
            out.push_str(c.range.slice(text).trim_end());
            out.push_str(nl);
            out.push_str(lead);
        }
    }
    out.push_str(&text[first.range.start as usize..first.args_range.start as usize]);
    let sep = format!(" && {esc}{nl}{indent}");
    out.push_str(&commands.join(&sep));
    MergedRun { range, text: out }
}

pub(super) struct MergedRun {
    pub range: TextRange,
    pub text: String,
}

/// The body of a RUN as one line (continuations joined) and its commands,
/// with ranges in that line. `None` when the shell cannot parse it.
pub(super) fn body(ins: &Instruction) -> Option<(String, Script)> {
    let w = ins.args.first()?;
    let body = w.raw.clone();
    let j = Joined::new(&body, vec![TextRange::from_usize(0, body.len())]);
    let s = shell::parse(&j, 0, body.len());
    if s.has_error {
        return None;
    }
    Some((body, s))
}

/// The commands of a body that is a plain `a && b; c` list: no pipeline,
/// no nesting, no other operator. `None` otherwise.
fn simple_list(body: &str, s: &Script) -> Option<Vec<Command>> {
    let mut pos = 0usize;
    for c in &s.commands {
        if c.in_pipeline || c.name.value.is_empty() {
            return None;
        }
        let (a, b) = (c.range.start as usize, c.range.end as usize);
        if a < pos {
            return None;
        }
        let gap = body.get(pos..a)?.trim();
        let gap_ok = gap.is_empty() || (pos > 0 && (gap == "&&" || gap == ";"));
        if !gap_ok {
            return None;
        }
        pos = b;
    }
    let tail = body.get(pos..)?.trim();
    if s.commands.is_empty() || !(tail.is_empty() || tail == ";") {
        return None;
    }
    Some(s.commands.clone())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Apt,
    Apk,
    Rpm,
}

#[derive(Clone, Debug)]
enum Step {
    AptUpdate(String),
    AptClean(String),
    AptListsRm,
    ApkUpdate(String),
    ApkCacheRm(String),
    /// Program and command text.
    RpmClean(String, String),
    Install(Install),
}

#[derive(Clone, Debug)]
struct Install {
    family: Family,
    /// Assignments and program as written: `DEBIAN_FRONTEND=noninteractive apt-get`.
    head: String,
    sub: String,
    opts: Vec<String>,
    pkgs: Vec<String>,
}

impl Install {
    fn has_opt(&self, short: Option<char>, long: &[&str]) -> bool {
        self.opts.iter().any(|o| {
            if let Some(l) = o.strip_prefix("--") {
                long.contains(&l.split('=').next().unwrap_or(""))
            } else if let (Some(s), Some(rest)) = (short, o.strip_prefix('-')) {
                !rest.is_empty()
                    && rest.chars().all(|c| c.is_ascii_alphanumeric())
                    && rest.contains(s)
            } else {
                false
            }
        })
    }

    fn normalize(&mut self) {
        match self.family {
            Family::Apt => {
                if !self.has_opt(Some('y'), &["yes", "assume-yes"]) {
                    self.opts.push("-y".into());
                }
                if !self.has_opt(None, &["no-install-recommends"]) {
                    self.opts.push("--no-install-recommends".into());
                }
            }
            Family::Apk => {
                if !self.has_opt(None, &["no-cache"]) {
                    self.opts.push("--no-cache".into());
                }
            }
            Family::Rpm => {
                if !self.has_opt(Some('y'), &["assumeyes"]) {
                    self.opts.push("-y".into());
                }
            }
        }
    }

    fn key(&self) -> (Family, String, String, Vec<String>) {
        let mut o = self.opts.clone();
        o.sort();
        (self.family, self.head.clone(), self.sub.clone(), o)
    }

    fn render(&self) -> String {
        let mut s = format!("{} {}", self.head, self.sub);
        for w in self.opts.iter().chain(&self.pkgs) {
            s.push(' ');
            s.push_str(w);
        }
        s
    }
}

/// Options taking the next word as value, per family.
fn takes_value(f: Family, o: &str) -> bool {
    match f {
        Family::Apt => matches!(
            o,
            "-o" | "-t" | "-c" | "--option" | "--target-release" | "--config-file"
        ),
        Family::Apk => matches!(
            o,
            "-t" | "--virtual" | "-X" | "--repository" | "-p" | "--root"
        ),
        Family::Rpm => matches!(
            o,
            "--enablerepo" | "--disablerepo" | "--setopt" | "--releasever"
        ),
    }
}

fn classify(body: &str, c: &Command) -> Option<Step> {
    let prog = c.program();
    let family = match prog {
        "apt-get" | "apt" => Family::Apt,
        "apk" => Family::Apk,
        "dnf" | "yum" | "microdnf" => Family::Rpm,
        "rm" => {
            if !c.env.is_empty() {
                return None;
            }
            let mut flags = String::new();
            let mut ops = Vec::new();
            for a in &c.args {
                match a.raw.strip_prefix('-') {
                    Some(f) if !f.starts_with('-') => flags.push_str(f),
                    Some(f) => match f {
                        "-recursive" => flags.push('r'),
                        "-force" => flags.push('f'),
                        _ => return None,
                    },
                    None => ops.push(a.raw.as_str()),
                }
            }
            if !(flags.contains(['r', 'R']) && flags.contains('f')) || ops.len() != 1 {
                return None;
            }
            return match ops[0] {
                "/var/lib/apt/lists/*" => Some(Step::AptListsRm),
                "/var/cache/apk/*" => Some(Step::ApkCacheRm(cmd_text(body, c))),
                _ => None,
            };
        }
        _ => return None,
    };
    let mut opts = Vec::new();
    let mut sub = None;
    let mut pkgs = Vec::new();
    let mut it = c.args.iter();
    while let Some(a) = it.next() {
        let w = a.raw.as_str();
        if w.starts_with('-') {
            if takes_value(family, w) {
                let v = it.next()?;
                opts.push(format!("{w} {}", v.raw));
            } else {
                opts.push(w.to_string());
            }
        } else if sub.is_none() {
            sub = Some(w.to_string());
        } else {
            pkgs.push(w.to_string());
        }
    }
    let sub = sub?;
    let head = body[c.range.start as usize..c.name.range.end as usize].to_string();
    let install = |pkgs: Vec<String>| {
        let mut i = Install {
            family,
            head: head.clone(),
            sub: sub.clone(),
            opts: opts.clone(),
            pkgs,
        };
        i.normalize();
        Some(Step::Install(i))
    };
    match (family, sub.as_str()) {
        (Family::Apt, "update") if pkgs.is_empty() => Some(Step::AptUpdate(cmd_text(body, c))),
        (Family::Apt, "clean") if pkgs.is_empty() => Some(Step::AptClean(cmd_text(body, c))),
        (Family::Apt, "install") => install(pkgs),
        (Family::Apk, "update") if pkgs.is_empty() => Some(Step::ApkUpdate(cmd_text(body, c))),
        (Family::Apk, "add") => install(pkgs),
        (Family::Rpm, "install") => install(pkgs),
        (Family::Rpm, "clean") => Some(Step::RpmClean(prog.to_string(), cmd_text(body, c))),
        _ => None,
    }
}

fn cmd_text(body: &str, c: &Command) -> String {
    body[c.range.start as usize..c.range.end as usize].to_string()
}

/// The package-manager steps of one RUN, or `None` when it runs anything
/// else.
fn steps(ins: &Instruction) -> Option<Vec<Step>> {
    let (body, script) = body(ins)?;
    let cmds = simple_list(&body, &script)?;
    cmds.iter().map(|c| classify(&body, c)).collect()
}

/// The merged command list.
fn plan(all: Vec<Step>) -> Vec<String> {
    let apk_adds = all
        .iter()
        .any(|s| matches!(s, Step::Install(i) if i.family == Family::Apk));
    // The lists go only when this layer fetched them (or already removed
    // them): a later RUN may still install from an earlier update.
    let apt_used = all
        .iter()
        .any(|s| matches!(s, Step::AptUpdate(_) | Step::AptListsRm));
    let mut head = Vec::new();
    let mut middle: Vec<Step> = Vec::new();
    let mut apt_clean = None;
    // One clean per rpm program used (dnf and yum keep separate caches):
    // (program, the original clean if there was one).
    let mut rpm_cleans: Vec<(String, Option<String>)> = Vec::new();
    let mut rpm_note =
        |prog: &str, clean: Option<String>| match rpm_cleans.iter_mut().find(|(p, _)| p == prog) {
            Some((_, c)) => {
                if c.is_none() {
                    *c = clean;
                }
            }
            None => rpm_cleans.push((prog.to_string(), clean)),
        };
    for s in all {
        match s {
            Step::AptUpdate(t) => {
                if head.is_empty() {
                    head.push(t);
                }
            }
            Step::AptClean(t) => {
                apt_clean.get_or_insert(t);
            }
            Step::AptListsRm => {}
            Step::ApkUpdate(t) => {
                let dup = middle.iter().any(|m| matches!(m, Step::ApkUpdate(_)));
                if !apk_adds && !dup {
                    middle.push(Step::ApkUpdate(t));
                }
            }
            Step::ApkCacheRm(t) => {
                if !apk_adds {
                    middle.push(Step::ApkCacheRm(t));
                }
            }
            Step::RpmClean(p, t) => {
                rpm_note(&p, Some(t));
            }
            Step::Install(i) => {
                if i.family == Family::Rpm {
                    let prog = i.head.rsplit([' ', '/']).next().unwrap_or("");
                    rpm_note(prog, None);
                }
                let key = i.key();
                let same = middle.iter_mut().find_map(|m| match m {
                    Step::Install(j) if j.key() == key => Some(j),
                    _ => None,
                });
                match same {
                    Some(j) => {
                        for p in i.pkgs {
                            if !j.pkgs.contains(&p) {
                                j.pkgs.push(p);
                            }
                        }
                    }
                    None => {
                        let mut i = i;
                        let mut seen = Vec::new();
                        i.pkgs.retain(|p| {
                            let new = !seen.contains(p);
                            seen.push(p.clone());
                            new
                        });
                        middle.push(Step::Install(i));
                    }
                }
            }
        }
    }
    let mut out = head;
    for m in middle {
        out.push(match m {
            Step::Install(i) => i.render(),
            Step::ApkUpdate(t) | Step::ApkCacheRm(t) => t,
            _ => continue,
        });
    }
    if let Some(c) = apt_clean {
        out.push(c);
    }
    for (p, c) in rpm_cleans {
        out.push(c.unwrap_or_else(|| format!("{p} clean all")));
    }
    if apt_used {
        out.push("rm -rf /var/lib/apt/lists/*".into());
    }
    out
}

pub(super) fn merge_run_layers(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let Some(runs) = run_group(ctx, |i| plain_run(ctx, i) && steps(i).is_some()) else {
        return;
    };
    let mut all = Vec::new();
    for r in &runs {
        match steps(r) {
            Some(s) => all.extend(s),
            None => return,
        }
    }
    let commands = plan(all);
    if commands.is_empty() {
        return;
    }
    let e = merged_edit(ctx, &runs, &commands, false);
    out.push(Assist {
        id: "merge_run_layers",
        label: "Merge RUN apt layers".into(),
        kind: AssistKind::RefactorRewrite,
        target: e.range,
        change: SourceChange {
            edits: vec![TextEdit::replace(e.range, e.text)],
            is_snippet: false,
        },
    });
}
