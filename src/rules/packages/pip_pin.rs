//! DL3013: `pip install` of a package without a version.

use crate::rules::packages::util::{check_package, operands_of, pip_install, PIP_OPTS};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3013",
    aliases: &[],
    summary: "pip install without a pinned package version",
    docs: "## What\nA package named in `pip install` (or `python -m pip install`) without a \
version specifier.\n\n\
## Why\nWithout a version, each build takes the newest release on PyPI: the image changes \
without any change to the Dockerfile, and a breaking release breaks the build.\n\n\
## Example\n```dockerfile\nFROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n```\n\n\
## Fix\nPin it (`flask==3.0.3`, or a range such as `flask>=3,<4`), or install from a \
requirements file (`pip install -r requirements.txt`) or a constraints file (`-c`), which \
this rule leaves alone. Local paths, wheels, `.tar.gz` archives and VCS URLs with `@ref` count \
as pinned. berth underlines each unpinned package; like hadolint it skips a command that \
installs `.` or a requirements file, and it ignores the values of options such as \
`--index-url` or `--target`.",
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

const VCS: &[&str] = &["git", "hg", "svn", "bzr"];

fn is_vcs(p: &str) -> bool {
    VCS.iter().any(|v| p.starts_with(v))
}

fn pinned(p: &str) -> bool {
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| p.contains(s))
        || (is_vcs(p) && p.contains('@'))
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || (!is_vcs(p) && p.contains('/'))
}

/// `-r file`, `--requirement`, `-c`/`--constraint` or `.`: versions come
/// from elsewhere.
fn from_files(args: &[crate::shell::Arg]) -> bool {
    args.iter().take_while(|a| a.value != "--").any(|a| {
        let v = a.value.as_str();
        v == "."
            || v.starts_with("--requirement")
            || v.starts_with("--constraint")
            || v.strip_prefix('-')
                .is_some_and(|b| !b.starts_with('-') && b.contains(['r', 'c']))
    })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands() {
        let Some(args) = pip_install(cmd) else {
            continue;
        };
        if from_files(args) {
            continue;
        }
        let ops = operands_of(args, PIP_OPTS);
        for p in ops.iter().skip(1) {
            check_package(ctx, acc, &META, ins.index, p, &pinned, &|n| {
                format!("`{n}==<version>`")
            });
        }
    }
}
