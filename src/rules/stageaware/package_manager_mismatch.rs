//! A package manager that the base image's distribution does not have.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::Script;

use super::common;
use super::distro::{self, Distro};

pub static META: RuleMeta = RuleMeta {
    code: "PackageManagerMismatch",
    aliases: &[],
    summary: "A package manager that the base image's distribution does not have (`apk` on Debian)",
    docs: "## What\nA `RUN` calls a package manager of another Linux distribution than the one \
the stage is built on, following `FROM <stage>` to the image: `apk` on a Debian or Ubuntu \
image, `apt-get` on Alpine, `yum`/`dnf` on Debian or Alpine, `apt-get` on Fedora or UBI.\n\n\
## Why\nThe command does not exist in the image and the build fails with \"apk: not found\". \
This usually happens after changing the base image (`node:20` to `node:20-alpine`) or \
copying instructions from another Dockerfile.\n\n\
berth infers the distribution from the image name and tag only: `alpine` in the name or \
tag; Debian and Ubuntu code names (`bookworm`, `jammy`...); `debian`, `ubuntu`, `fedora`, \
`centos`, `rockylinux`, `almalinux`, `amazonlinux`, `ubi`; and the official language images \
(`golang`, `node`, `python`, `ruby`, `php`, `rust`, `eclipse-temurin`, \
`mcr.microsoft.com/dotnet/*`...), which are Debian or Ubuntu unless their tag names another \
variant. When it cannot tell, it says nothing. A `RUN` that checks which distribution it runs \
on (it calls two package managers, or mentions `/etc/os-release`, `command -v apk`...) is \
not reported.\n\n\
## Example\n```dockerfile\nFROM python:3.12-slim\nRUN apk add --no-cache curl\n```\n\n\
## Fix\nUse the distribution's package manager (`apt-get install -y --no-install-recommends \
curl` on Debian), or change the base image to the distribution the commands were written \
for (`python:3.12-alpine`).",
    severity: Severity::Warning,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for ins in &m.instructions {
        let scripts = ctx.scripts(ins.index);
        if scripts.is_empty() || ins.kind != crate::syntax::Keyword::Run {
            continue;
        }
        let Some(stage) = ins.stage else { continue };
        let Some(cmd) = scripts
            .iter()
            .find_map(|s| first_manager(s).map(|c| (s, c)))
        else {
            continue;
        };
        // `[ -f /etc/alpine-release ]` is a test expression, not a command
        // the shell model lists: look at the text too.
        let reads_release = common::run_texts(ctx.text, ins).any(|t| {
            ["release", "debian_version", "/etc/issue"]
                .iter()
                .any(|w| t.contains(w))
        });
        if reads_release || scripts.iter().any(probes_distro) {
            continue;
        }
        let fs = ctx.fs();
        let Some((base, _)) = distro::stage_distro(m, fs, stage) else {
            continue;
        };
        let (_, (cmd, used)) = cmd;
        if used == base {
            continue;
        }
        let root = fs.chain(stage).first().copied().unwrap_or(stage);
        let msg = format!(
            "`{}` is the package manager of {}, but this stage is built on `{}` ({}): the build fails with \"{}: not found\"; use {} or a base image of the other distribution",
            cmd.program(),
            used.name(),
            m.stages[root].base_expanded,
            base.name(),
            cmd.program(),
            base.manager(),
        );
        acc.push(&META, cmd.name.range, msg)
            .related(m.stages[root].base_range, format!("{} image", base.name()));
    }
}

/// The first package-manager command of a script and its distribution.
fn first_manager(s: &Script) -> Option<(&crate::shell::Command, Distro)> {
    s.commands
        .iter()
        .find_map(|c| distro::manager_distro(c.program()).map(|d| (c, d)))
}

/// Whether a script looks at which distribution it runs on: it calls
/// managers of two distributions, or names a manager as an argument
/// (`command -v apk`).
fn probes_distro(s: &Script) -> bool {
    let mut seen: Option<Distro> = None;
    for c in &s.commands {
        if let Some(d) = distro::manager_distro(c.program()) {
            if seen.is_some_and(|x| x != d) {
                return true;
            }
            seen = Some(d);
        }
        if matches!(c.program(), "command" | "which" | "type" | "hash") {
            return true;
        }
        for a in &c.args {
            let v = a.raw.as_str();
            if distro::manager_distro(v).is_some() && c.program() != "sudo" {
                return true;
            }
        }
    }
    false
}
