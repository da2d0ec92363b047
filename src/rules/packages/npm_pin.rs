//! DL3016: `npm install` of a package without a version.

use crate::rules::packages::util::{check_package, operands, ValueOpts};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3016",
    aliases: &[],
    summary: "npm install without a pinned package version",
    docs: "## What\nA package named in `npm install` without a version, tag or commit \
(`npm install -g typescript`).\n\n\
## Why\nnpm resolves the name to the newest release at build time: rebuilding the same \
Dockerfile can install another version.\n\n\
## Example\n```dockerfile\nFROM node:22-slim\nRUN npm install -g typescript\n```\n\n\
## Fix\nName a version or tag: `npm install -g typescript@5.6.3`. Scoped packages need the \
version after the name (`@angular/cli@18.2.0`); git URLs need a `#commit` or \
`#semver:` suffix. Local folders (`./`, `../`, `/`, `~/`) and tarballs count as pinned. \
`npm install` without package names (installing from package.json and its lock file) is \
fine.",
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

const NPM_OPTS: ValueOpts = ValueOpts {
    short: "w",
    long: &[
        "loglevel",
        "registry",
        "prefix",
        "cache",
        "userconfig",
        "omit",
        "include",
        "workspace",
        "tag",
    ],
};

fn pinned(p: &str) -> bool {
    if ["git://", "git+ssh://", "git+http://", "git+https://"]
        .iter()
        .any(|g| p.starts_with(g))
    {
        return p.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"].iter().any(|s| p.ends_with(s))
        || ["/", "./", "../", "~/"].iter().any(|s| p.starts_with(s))
    {
        return true;
    }
    // `@scope/name@version`: the version comes after the scope.
    let name = p.strip_prefix('@').unwrap_or(p);
    name.contains('@')
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (ins, cmd) in ctx.commands_named(&["npm"]) {
        let ops = operands(cmd, NPM_OPTS);
        if ops.first().is_none_or(|s| s.value != "install") {
            continue;
        }
        for p in ops.iter().skip(1) {
            check_package(ctx, acc, &META, ins.index, p, &pinned, &|n| {
                format!("`{n}@<version>`")
            });
        }
    }
}
