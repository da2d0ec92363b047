//! Building on a toolchain image in the stage that ships.

use crate::model::fs;
use crate::model::{Base, ImageRef};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Keyword;
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "ToolchainInFinalStage",
    aliases: &[],
    summary: "The image that ships is a compiler toolchain that builds the application in place",
    docs: "## What\nThe stage that ships (the target, and the stages it is built `FROM`) is based \
on a toolchain image, or installs a toolchain, and builds the application there: `go build` \
on `golang`, `cargo build` on `rust`, `npm run build` on `node`, `mvn package` or \
`gradle build` on `maven`/`gradle`/a JDK, `dotnet publish` on `dotnet/sdk`, `gcc`/`g++` on \
`gcc`.\n\n\
## Why\nThe image then carries the compiler, the package caches, the sources and the \
build-only dependencies (for Node, the `devDependencies` too, whatever the `-slim` tag): \
hundreds of megabytes more to pull and more software to patch, when the program needs only \
its binary, jar or bundle. A multi-stage build compiles in one stage and copies the result \
into a small runtime image.\n\n\
It is reported as information, not a warning: the image works, and some images are meant \
to ship a toolchain (development containers, CI images). Stages that only run an \
application (`node:22-slim` with `npm ci --omit=dev`) are not reported; only a build \
command is.\n\n\
## Example\n```dockerfile\nFROM golang:1.23\nWORKDIR /app\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o /app/server .\nCMD [\"/app/server\"]\n```\n\n\
## Fix\nSplit the build: name the toolchain stage and copy the artifact into a runtime stage.\n\
```dockerfile\nFROM golang:1.23 AS build\nWORKDIR /app\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o /app/server .\n\n\
FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app/server /server\n\
CMD [\"/server\"]\n```",
    severity: Severity::Info,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kit {
    Go,
    Rust,
    Node,
    Java,
    Dotnet,
    C,
}

impl Kit {
    fn name(self) -> &'static str {
        match self {
            Kit::Go => "Go",
            Kit::Rust => "Rust",
            Kit::Node => "Node.js",
            Kit::Java => "Java (JDK)",
            Kit::Dotnet => ".NET SDK",
            Kit::C => "C/C++",
        }
    }

    fn baggage(self) -> &'static str {
        match self {
            Kit::Node => "the build tools, devDependencies, caches and sources",
            _ => "the compiler, caches and sources",
        }
    }

    fn artifact(self) -> &'static str {
        match self {
            Kit::Go | Kit::Rust | Kit::C => "the binary",
            Kit::Node => "the built bundle and production dependencies",
            Kit::Java => "the jar",
            Kit::Dotnet => "the published output",
        }
    }

    fn runtime(self) -> &'static str {
        match self {
            Kit::Go | Kit::Rust => "`gcr.io/distroless/static-debian12`, `alpine` or `scratch`",
            Kit::C => "`debian:bookworm-slim` or `gcr.io/distroless/cc-debian12`",
            Kit::Node => "`node:<version>-slim` with `npm ci --omit=dev`",
            Kit::Java => "a JRE image such as `eclipse-temurin:<version>-jre`",
            Kit::Dotnet => "`mcr.microsoft.com/dotnet/aspnet` or `dotnet/runtime`",
        }
    }
}

/// The toolchain an image is.
fn image_kit(img: &ImageRef) -> Option<Kit> {
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    if img.registry.as_deref() == Some("mcr.microsoft.com") {
        return (img.repository == "dotnet/sdk" || img.repository == "dotnet/core/sdk")
            .then_some(Kit::Dotnet);
    }
    if img.repository == "microsoft/dotnet" && tag.contains("sdk") {
        return Some(Kit::Dotnet);
    }
    let jre = tag.split(['-', '_', '.']).any(|t| t.starts_with("jre"));
    Some(match fs::official_name(img)? {
        "golang" => Kit::Go,
        "rust" => Kit::Rust,
        "node" => Kit::Node,
        "maven" | "gradle" => Kit::Java,
        "eclipse-temurin" | "openjdk" | "amazoncorretto" | "sapmachine" if !jre => Kit::Java,
        "gcc" => Kit::C,
        _ => return None,
    })
}

/// The toolchain an OS package installs.
fn package_kit(pkg: &str) -> Option<Kit> {
    let name = pkg.split(['=', '>', '<']).next().unwrap_or("");
    Some(match name {
        "golang" | "go" | "golang-go" => Kit::Go,
        "rustc" | "cargo" | "rust" => Kit::Rust,
        "nodejs" | "npm" => Kit::Node,
        "maven" | "gradle" | "default-jdk" | "openjdk-jdk" => Kit::Java,
        n if n.starts_with("golang-1.") => Kit::Go,
        n if n.starts_with("openjdk") && n.contains("jdk") && !n.ends_with("-jre") => Kit::Java,
        n if n.starts_with("dotnet-sdk") => Kit::Dotnet,
        _ => return None,
    })
}

/// The toolchain a command builds with, and the range to underline (the
/// program through the subcommand or goal that builds).
fn build_kit(c: &Command) -> Option<(Kit, TextRange)> {
    let ops: Vec<&crate::shell::Arg> = c.operands().collect();
    let first = ops.first().copied();
    let sub = first.map(|a| a.value.as_str());
    let (kit, last) = match c.program() {
        "go" if matches!(sub, Some("build" | "install")) => (Kit::Go, first),
        "cargo" if matches!(sub, Some("build" | "b" | "install")) => (Kit::Rust, first),
        "npm" | "pnpm" | "yarn" => {
            let script = match sub {
                Some("run" | "run-script") => ops.get(1).copied(),
                _ => first,
            };
            let v = script.map(|a| a.value.as_str());
            if !v.is_some_and(|s| s == "build" || s.starts_with("build:")) {
                return None;
            }
            (Kit::Node, script)
        }
        "mvn" | "mvnw" => {
            let goal = ops
                .iter()
                .find(|o| matches!(o.value.as_str(), "package" | "install" | "verify"))?;
            (Kit::Java, Some(*goal))
        }
        "gradle" | "gradlew" => {
            let goals = [
                "build",
                "assemble",
                "bootJar",
                "jar",
                "shadowJar",
                "installDist",
            ];
            let goal = ops.iter().find(|o| goals.contains(&o.value.as_str()))?;
            (Kit::Java, Some(*goal))
        }
        "dotnet" if matches!(sub, Some("publish" | "build")) => (Kit::Dotnet, first),
        // `make` and `cmake` may run anything: only a compiler counts.
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" => (Kit::C, None),
        _ => return None,
    };
    let end = last.map_or(c.name.range.end, |a| a.range.end);
    Some((
        kit,
        TextRange::new(c.name.range.start, end.max(c.name.range.end)),
    ))
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let Some(target) = m.target else { return };
    let fs = ctx.fs();
    let chain = fs.chain(target);
    let Some(&root) = chain.first() else { return };
    let image_kit = match &m.stages[root].base {
        Base::Image(img) => image_kit(img),
        _ => None,
    };
    // Toolchains installed by a package manager in the shipped chain.
    let mut installed: Vec<(Kit, TextRange)> = Vec::new();
    let mut purged = false;
    for &s in chain {
        for ins in &m.instructions[m.stages[s].instructions.clone()] {
            if ins.kind != Keyword::Run {
                continue;
            }
            for sc in ctx.scripts(ins.index) {
                for c in &sc.commands {
                    let sub = c.subcommand();
                    let (installs, removes) = match c.program() {
                        "apt-get" | "apt" => (
                            sub == Some("install"),
                            matches!(sub, Some("purge" | "remove" | "autoremove")),
                        ),
                        "yum" | "dnf" | "microdnf" | "zypper" => (
                            sub == Some("install"),
                            matches!(sub, Some("remove" | "erase" | "autoremove" | "rm")),
                        ),
                        // `apk add --virtual .build-deps`: removed as a group.
                        "apk" => (
                            sub == Some("add") && !c.has_flag(Some('t'), &["virtual"]),
                            sub == Some("del"),
                        ),
                        _ => (false, false),
                    };
                    if removes {
                        // Build dependencies installed and removed again:
                        // the image may not keep the toolchain.
                        purged = true;
                    }
                    if !installs {
                        continue;
                    }
                    for a in c.operands().skip(1) {
                        if let Some(k) = package_kit(&a.value) {
                            installed.push((k, a.range));
                        }
                    }
                }
            }
        }
    }
    if purged {
        installed.clear();
    }
    for &s in chain {
        for ins in &m.instructions[m.stages[s].instructions.clone()] {
            if ins.kind != Keyword::Run {
                continue;
            }
            for sc in ctx.scripts(ins.index) {
                for c in &sc.commands {
                    let Some((kit, range)) = build_kit(c) else {
                        continue;
                    };
                    let from_image = image_kit == Some(kit);
                    let pkg = installed
                        .iter()
                        .find(|(k, r)| *k == kit && r.start < range.start);
                    if !from_image && pkg.is_none() {
                        continue;
                    }
                    let cmd = range.slice(ctx.text);
                    let base = &m.stages[root].base_expanded;
                    let how = if from_image {
                        format!("on the {} toolchain image `{base}`", kit.name())
                    } else {
                        format!("after installing the {} toolchain", kit.name())
                    };
                    let msg = format!(
                        "`{cmd}` builds in the stage that ships, {how}: {} end up in the image; build in a separate stage and copy only {} into a runtime image ({})",
                        kit.baggage(),
                        kit.artifact(),
                        kit.runtime()
                    );
                    let d = acc.push(&META, range, msg);
                    if from_image {
                        d.related(m.stages[root].base_range, "the toolchain image");
                    } else if let Some((_, r)) = pkg {
                        d.related(*r, "the toolchain is installed here");
                    }
                    return;
                }
            }
        }
    }
}
