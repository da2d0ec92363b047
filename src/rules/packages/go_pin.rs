//! DL3062: `go install` of a module without a version.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::{Arg, Command};

pub static META: RuleMeta = RuleMeta {
    code: "DL3062",
    aliases: &[],
    summary: "go install without a pinned module version",
    docs: "## What\nA package path in `go install`, `go get` or `go run` without a version \
(`@v1.2.3`), or with `@latest`.\n\n\
## Why\nWithout a version, go resolves the newest release at build time: rebuilding the same \
Dockerfile can produce a different binary.\n\n\
## Example\n```dockerfile\nFROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest\n```\n\n\
## Fix\n`go install golang.org/x/tools/gopls@v0.16.2`. Local packages (`.`, `./cmd/x`, \
absolute paths) build from the context and are fine; so are `.go` files given to \
`go run`, which hadolint reports. The values of build flags such as `-tags` or `-o` are \
not packages (hadolint reads `-tags netgo` as a package named `netgo`).",
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

/// go's build flags that take a value (single or double dash).
const VALUE_FLAGS: &[&str] = &[
    "C",
    "o",
    "p",
    "tags",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "mod",
    "modfile",
    "pkgdir",
    "toolexec",
    "buildmode",
    "buildvcs",
    "compiler",
    "installsuffix",
    "overlay",
    "pgo",
    "exec",
];

/// go's operands: flags are `-name` or `--name`, with `=value` or the next
/// word as value for those that take one.
fn go_operands(cmd: &Command) -> Vec<&Arg> {
    let mut out = Vec::new();
    let mut it = cmd.args.iter();
    while let Some(a) = it.next() {
        let v = a.value.as_str();
        if v == "--" {
            out.extend(it);
            break;
        }
        if let Some(flag) = v.strip_prefix('-') {
            let flag = flag.strip_prefix('-').unwrap_or(flag);
            if !flag.contains('=') && VALUE_FLAGS.contains(&flag) {
                it.next();
            }
            continue;
        }
        out.push(a);
    }
    out
}

fn pinned(p: &str) -> bool {
    p.starts_with('.')
        || p.starts_with('/')
        || (p.contains('@') && !p.ends_with("@latest") && !p.ends_with("@none"))
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for (_, cmd) in ctx.commands_named(&["go"]) {
        let ops = go_operands(cmd);
        let packages: &[&Arg] = match ops.first().map(|a| a.value.as_str()) {
            Some("install" | "get") => &ops[1..],
            // `go run pkg args...`: only the package, and `.go` files are local.
            Some("run") => match ops.get(1) {
                Some(p) if !p.value.ends_with(".go") => &ops[1..2],
                _ => &[],
            },
            _ => &[],
        };
        for p in packages {
            if p.value == "tool" || pinned(&p.value) {
                continue;
            }
            let name = p.value.split('@').next().unwrap_or("");
            acc.push(&META, p.range, format!("pin a version: `{name}@<version>`"));
        }
    }
}
