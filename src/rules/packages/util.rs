//! Helpers shared by the package-manager and shell rules: reading a
//! command line the way the tool's option parser does, RUN cache mounts,
//! and which stages ship or are built upon.

use crate::model::fs::normalize;
use crate::model::{vars_visible, Instruction};
use crate::rules::{Acc, Ctx, RuleMeta};
use crate::shell::{Arg, Command, Script};
use crate::syntax::Keyword;
use crate::text::TextRange;

/// Options of a tool that take a value (`-t bookworm`, `--target bookworm`).
#[derive(Clone, Copy)]
pub(crate) struct ValueOpts {
    /// Short option letters that take a value.
    pub short: &'static str,
    /// Long option names (without `--`) that take a value.
    pub long: &'static [&'static str],
}

impl ValueOpts {
    pub const NONE: ValueOpts = ValueOpts {
        short: "",
        long: &[],
    };
}

/// The operands of `cmd`: arguments that are neither options nor the values
/// of options that take one, in order. After `--` every word is an operand;
/// a lone `-` is an operand. In a short-option bundle (`-yt`), an option that
/// takes a value takes the rest of the bundle, or the next word if the
/// bundle ends with it.
pub(crate) fn operands(cmd: &Command, opts: ValueOpts) -> Vec<&Arg> {
    operands_of(&cmd.args, opts)
}

/// [`operands`] of a slice of arguments.
pub(crate) fn operands_of(args: &[Arg], opts: ValueOpts) -> Vec<&Arg> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = a.value.as_str();
        if v == "--" {
            out.extend(it);
            break;
        }
        if let Some(long) = v.strip_prefix("--") {
            if !long.contains('=') && opts.long.contains(&long) {
                it.next();
            }
            continue;
        }
        if let Some(bundle) = v.strip_prefix('-') {
            if bundle.is_empty() {
                out.push(a);
                continue;
            }
            if let Some((i, c)) = bundle.char_indices().find(|&(_, c)| opts.short.contains(c)) {
                if i + c.len_utf8() == bundle.len() {
                    it.next();
                }
            }
            continue;
        }
        out.push(a);
    }
    out
}

/// The subcommand (first operand) of `cmd`, skipping option values.
pub(crate) fn subcommand(cmd: &Command, opts: ValueOpts) -> Option<&Arg> {
    operands(cmd, opts).into_iter().next()
}

/// Whether `cmd` has one of these options, read the way hadolint and most
/// getopt parsers do: every character of a `-abc` bundle is a short option
/// (`-qO-` has `q`), `--name` and `--name=value` are long options. Words
/// after `--` are not options.
pub(crate) fn has_opt(cmd: &Command, short: &str, long: &[&str]) -> bool {
    count_opt(cmd, short, long) > 0
}

/// How many times `cmd` gives one of these options (`-qq` counts `q` twice).
pub(crate) fn count_opt(cmd: &Command, short: &str, long: &[&str]) -> usize {
    let mut n = 0;
    for a in cmd.args.iter().take_while(|a| a.value != "--") {
        let v = a.value.as_str();
        if let Some(l) = v.strip_prefix("--") {
            let name = l.split('=').next().unwrap_or("");
            if long.contains(&name) {
                n += 1;
            }
        } else if let Some(b) = v.strip_prefix('-') {
            n += b.chars().filter(|&c| short.contains(c)).count();
        }
    }
    n
}

/// The values given to an option (`-u 1000`, `-u1000`, `--uid 1000`,
/// `--uid=1000`), as argument words or, for inline values, the text.
pub(crate) fn opt_values<'a>(cmd: &'a Command, short: char, long: &str) -> Vec<(String, &'a Arg)> {
    let mut out = Vec::new();
    let mut it = cmd.args.iter().peekable();
    while let Some(a) = it.next() {
        let v = a.value.as_str();
        if v == "--" {
            break;
        }
        if let Some(l) = v.strip_prefix("--") {
            match l.split_once('=') {
                Some((name, val)) if name == long => out.push((val.to_string(), a)),
                None if l == long => {
                    if let Some(n) = it.next() {
                        out.push((n.value.clone(), n));
                    }
                }
                _ => {}
            }
        } else if let Some(b) = v.strip_prefix('-') {
            if let Some(i) = b.find(short) {
                let rest = &b[i + short.len_utf8()..];
                if rest.is_empty() {
                    if let Some(n) = it.next() {
                        out.push((n.value.clone(), n));
                    }
                } else {
                    out.push((rest.to_string(), a));
                }
            }
        }
    }
    out
}

/// Whether some argument is exactly `word`.
pub(crate) fn has_word(cmd: &Command, word: &str) -> bool {
    cmd.args.iter().any(|a| a.value == word)
}

/// From the command name to `to` (the word at fault), for rules that
/// underline `apt-get install`.
pub(crate) fn span(cmd: &Command, to: &Arg) -> TextRange {
    if to.range.start >= cmd.name.range.start {
        cmd.name.range.cover(to.range)
    } else {
        cmd.name.range
    }
}

/// The RUN an instruction runs: itself, or an ONBUILD's trigger.
pub(crate) fn run_of(ins: &Instruction) -> Option<&Instruction> {
    match ins.kind {
        Keyword::Run => Some(ins),
        Keyword::Onbuild => ins.onbuild.as_deref().filter(|i| i.kind == Keyword::Run),
        _ => None,
    }
}

/// Targets of the RUN's `--mount=type=cache` and `--mount=type=tmpfs`
/// mounts (these keep a directory out of the image), normalised
/// (`/var/cache/apk/` → `/var/cache/apk`). Keys and the type are read
/// case-insensitively, as BuildKit reads them. A relative target (BuildKit
/// resolves it against the WORKDIR) is left out.
pub(crate) fn cache_mount_targets(ins: &Instruction) -> impl Iterator<Item = String> + '_ {
    run_of(ins)
        .into_iter()
        .flat_map(|r| r.flags.iter())
        .filter(|f| f.name == "mount")
        .filter_map(|f| {
            let v = f.value.as_deref()?;
            let mut kind = "bind".to_string();
            let mut target = None;
            for field in v.split(',') {
                let (k, val) = field.split_once('=').unwrap_or((field, ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "type" => kind = val.trim().to_ascii_lowercase(),
                    "target" | "dst" | "destination" => target = Some(val.trim()),
                    _ => {}
                }
            }
            let target = target.filter(|t| t.starts_with('/'))?;
            matches!(kind.as_str(), "cache" | "tmpfs")
                .then(|| normalize("/", target))
                .flatten()
        })
}

/// Whether the RUN has a cache or tmpfs mount on one of `dirs` or on a
/// directory above it: the package manager's cache then never enters the
/// image, which answers a rule asking to disable or clean that cache. A
/// `dirs` entry starting with `~/` is in a home directory: `/root`, any
/// `/home/<user>`, or any directory (mounted as `<dir>/.cache/pip` or
/// `<dir>/.cache`) whose path ends with the part after `~/` or with its
/// first component.
pub(crate) fn cache_mount_covers(ins: &Instruction, dirs: &[&str]) -> bool {
    cache_mount_targets(ins).any(|t| dirs.iter().any(|d| covers(&t, d)))
}

/// Whether a mount at `target` (normalised, absolute) holds `dir`.
fn covers(target: &str, dir: &str) -> bool {
    // `target` is `dir` or a directory above it.
    let holds = |dir: &str| {
        target == "/"
            || dir
                .strip_prefix(target)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    match dir.strip_prefix("~/") {
        None => holds(dir),
        Some(rel) => {
            let first = rel.split('/').next().unwrap_or(rel);
            holds(&format!("/root/{rel}"))
                || target.ends_with(&format!("/{rel}"))
                || target.ends_with(&format!("/{first}"))
                || target
                    .strip_prefix("/home/")
                    .is_some_and(|user| !user.is_empty() && !user.contains('/'))
                || target == "/home"
        }
    }
}

/// Whether the files a RUN of `stage` leaves behind end up in an image that
/// is used: the stage ships (the target, or a stage the target is built
/// `FROM`), or another stage is built `FROM` it. This is hadolint's reading
/// for DL3009 and DL3060 (the last stage, or a stage whose name a `FROM`
/// uses); stages only copied from are not reported.
pub(crate) fn stage_is_kept(ctx: &Ctx, stage: usize) -> bool {
    ctx.ships(stage) || ctx.built_upon(stage)
}

/// Whether a script runs a command named one of `names` (program base name)
/// whose subcommand is one of `subs`.
pub(crate) fn is_sub(cmd: &Command, names: &[&str], subs: &[&str], opts: ValueOpts) -> bool {
    names.contains(&cmd.program())
        && subcommand(cmd, opts).is_some_and(|s| subs.contains(&s.value.as_str()))
}

/// The arguments pip reads: after `pip`/`pip3`/`pip3.12` (not `pipenv`), or
/// after `python -m pip`.
pub(crate) fn pip_args(cmd: &Command) -> Option<&[Arg]> {
    let prog = cmd.program();
    if prog.starts_with("pip") && !prog.starts_with("pipenv") {
        return Some(&cmd.args);
    }
    if prog.starts_with("python") {
        let i = cmd
            .args
            .windows(2)
            .position(|w| w[0].value == "-m" && w[1].value == "pip")?;
        return cmd.args.get(i + 2..);
    }
    None
}

/// pip's global options that take a value.
pub(crate) const PIP_OPTS: ValueOpts = ValueOpts {
    short: "befitrcC",
    long: &[
        "abi",
        "build",
        "editable",
        "extra-index-url",
        "find-links",
        "index-url",
        "implementation",
        "no-binary",
        "only-binary",
        "platform",
        "prefix",
        "progress-bar",
        "proxy",
        "python",
        "python-version",
        "root",
        "root-user-action",
        "src",
        "target",
        "trusted-host",
        "upgrade-strategy",
        "cache-dir",
        "log",
        "timeout",
        "retries",
        "exists-action",
        "cert",
        "client-cert",
        "global-option",
        "config-settings",
        "report",
        "requirement",
        "constraint",
    ],
};

/// For `pip install ...`: the arguments pip reads (see [`pip_args`]).
pub(crate) fn pip_install(cmd: &Command) -> Option<&[Arg]> {
    let args = pip_args(cmd)?;
    operands_of(args, PIP_OPTS)
        .first()
        .is_some_and(|a| a.value == "install")
        .then_some(args)
}

/// yum and dnf options that take a value.
pub(crate) const RPM_OPTS: ValueOpts = ValueOpts {
    short: "cdexR",
    long: &[
        "config",
        "debuglevel",
        "errorlevel",
        "exclude",
        "enablerepo",
        "disablerepo",
        "repo",
        "repoid",
        "setopt",
        "installroot",
        "releasever",
        "forcearch",
        "downloaddir",
        "destdir",
        "color",
        "rpmverbosity",
    ],
};

/// zypper options that take a value.
pub(crate) const ZYPPER_OPTS: ValueOpts = ValueOpts {
    short: "cRrtC",
    long: &[
        "config",
        "root",
        "reposd-dir",
        "cache-dir",
        "raw-cache-dir",
        "solv-cache-dir",
        "pkg-cache-dir",
        "repo",
        "from",
        "type",
    ],
};

/// For rules that want a cleanup after an install in the same RUN: the
/// first install of the RUN not followed by a cleanup, over all the
/// scripts of the RUN in order.
pub(crate) fn install_without_cleanup(
    scripts: &[Script],
    is_install: impl Fn(&Command) -> bool,
    is_cleanup: impl Fn(&Command) -> bool,
) -> Option<&Command> {
    let mut pending = None;
    for c in scripts.iter().flat_map(|s| s.commands.iter()) {
        if is_install(c) {
            pending = pending.or(Some(c));
        } else if is_cleanup(c) {
            pending = None;
        }
    }
    pending
}

/// An `rm` of a path that starts with one of `prefixes`.
pub(crate) fn removes(cmd: &Command, prefixes: &[&str]) -> bool {
    cmd.program() == "rm"
        && operands(cmd, ValueOpts::NONE)
            .iter()
            .any(|a| prefixes.iter().any(|p| a.value.starts_with(p)))
}

/// The words a lone `$NAME` / `${NAME}` / `"$NAME"` expands to, from the
/// ARG or ENV default in scope at instruction `at`. `None` when the word is
/// not a lone variable or its value is not known.
pub(crate) fn expand_lone_var(ctx: &Ctx, at: usize, raw: &str) -> Option<Vec<String>> {
    let bare = raw.trim_matches('"');
    let name = bare
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| bare.strip_prefix('$'))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let m = ctx.model;
    let value = vars_visible(m, at)
        .iter()
        .filter_map(|&d| m.decls.get(d))
        .find(|d| d.name == name)?
        .value
        .clone()?;
    if value.contains('$') {
        return None;
    }
    Some(value.split_whitespace().map(str::to_string).collect())
}

/// Report a package word that is not pinned. A static word is checked with
/// `pinned`; a lone variable is expanded from its ARG/ENV default when
/// known (reported only if it names unpinned packages); any other dynamic
/// word is checked as written, as hadolint does.
pub(crate) fn check_package(
    ctx: &Ctx,
    acc: &mut Acc,
    meta: &'static RuleMeta,
    at: usize,
    arg: &Arg,
    pinned: &dyn Fn(&str) -> bool,
    suggest: &dyn Fn(&str) -> String,
) {
    if pinned(&arg.value) {
        return;
    }
    if arg.is_static {
        acc.push(
            meta,
            arg.range,
            format!("pin a version: {}", suggest(&arg.value)),
        );
        return;
    }
    match expand_lone_var(ctx, at, &arg.raw) {
        Some(words) => {
            let bad: Vec<&str> = words
                .iter()
                .map(String::as_str)
                .filter(|w| !w.starts_with('-') && !pinned(w))
                .collect();
            if let Some(first) = bad.first() {
                acc.push(
                    meta,
                    arg.range,
                    format!(
                        "`{}` names unpinned packages ({}): pin each, e.g. {}",
                        arg.raw,
                        bad.iter()
                            .map(|b| format!("`{b}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        suggest(first)
                    ),
                );
            }
        }
        None => {
            acc.push(
                meta,
                arg.range,
                format!(
                    "`{}` is not a pinned package: make sure it expands to pinned versions, e.g. {}",
                    arg.raw,
                    suggest("name")
                ),
            );
        }
    }
}

/// hadolint's "truthy" values for `PIP_NO_CACHE_DIR`.
pub(crate) fn truthy(v: &str) -> bool {
    matches!(
        v,
        "1" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "yes" | "Yes" | "YES"
    )
}

/// Variable names referenced in a shell word (`$A`, `${B}`, `${C:-x}`).
pub(crate) fn shell_vars(raw: &str) -> impl Iterator<Item = &str> {
    raw.match_indices('$').filter_map(move |(i, _)| {
        let rest = &raw[i + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::shell::run_scripts;

    fn cmd(line: &str) -> Command {
        let text = format!("FROM a\nRUN {line}\n");
        let m = Model::build(&text);
        let run = &m.instructions[1];
        run_scripts(&m, &text, run)[0].commands[0].clone()
    }

    fn values(c: &Command, opts: ValueOpts) -> Vec<String> {
        operands(c, opts).iter().map(|a| a.value.clone()).collect()
    }

    #[test]
    fn operands_skip_option_values() {
        let opts = ValueOpts {
            short: "to",
            long: &["target-release"],
        };
        let c = cmd(
            "apt-get -o Acquire::x=1 install -t bookworm --target-release=x -yq curl -- -weird",
        );
        assert_eq!(values(&c, opts), ["install", "curl", "-weird"]);
        let c = cmd("apt-get install -tbookworm curl");
        assert_eq!(values(&c, opts), ["install", "curl"]);
        assert_eq!(subcommand(&c, opts).unwrap().value, "install");
        assert_eq!(values(&cmd("tar -xzf - x"), ValueOpts::NONE), ["-", "x"]);
    }

    #[test]
    fn options_in_bundles() {
        let c = cmd("wget -qO- http://x");
        assert!(has_opt(&c, "q", &["quiet"]));
        assert_eq!(count_opt(&cmd("apt-get -qq install x"), "q", &[]), 2);
        assert!(has_opt(&cmd("x --progress=dot"), "", &["progress"]));
        assert!(!has_opt(&cmd("x -- -q"), "q", &[]));
        let c = cmd("useradd -u 100000 --uid=7 -mu9 x");
        let v: Vec<_> = opt_values(&c, 'u', "uid")
            .into_iter()
            .map(|v| v.0)
            .collect();
        assert_eq!(v, ["100000", "7", "9"]);
    }

    #[test]
    fn vars_in_words() {
        let v: Vec<_> = shell_vars("foo-${VER:-1}-$REL$1").collect();
        assert_eq!(v, ["VER", "REL"]);
    }
}
