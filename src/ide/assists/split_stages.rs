//! `split_stages`: "Split into build and runtime stages".
//!
//! The shipped (last) stage builds on a toolchain image (`go build` on
//! `golang`, `cargo build` on `rust`, `npm run build` on `node`...): it
//! becomes the build stage (`AS build`), and a runtime stage on a small
//! base is appended that copies the artifact with `COPY --from=build` and
//! takes the runtime-only instructions (CMD, ENTRYPOINT, EXPOSE, ...).
//!
//! Runtime bases: Go → `scratch` for a static build (`CGO_ENABLED=0` in
//! the RUN or an ENV) on `golang`, with the CA bundle copied always (the Go
//! sources are not visible, and a missing bundle fails only at the first
//! TLS request, while an unneeded one costs 200 kB), `alpine:3.20` when
//! CMD/HEALTHCHECK need a shell or tools, distroless `static`/`base`
//! (`:nonroot`) otherwise; Rust → `debian:bookworm-slim` (`scratch` for a
//! musl target); Node → the same tag's `-slim` (alpine/slim kept);
//! Maven/Gradle/JDK → `eclipse-temurin:<version>-jre`; Python → the same
//! version's `-slim`; .NET → `dotnet/aspnet:<version>`.
//!
//! Artifacts are copied to the same absolute path they had in the build
//! stage, and the runtime stage repeats the build stage's WORKDIR: relative
//! and absolute paths in CMD/ENTRYPOINT keep working unchanged. When the
//! artifact cannot be known, the WORKDIR is copied with a snippet
//! placeholder (`${1:/app}`); [`plain_text`] turns that change into one
//! for clients without snippet support.

use crate::model::catalog;
use crate::model::fs::{self, Fs};
use crate::model::{Base, Form, ImageRef, Instruction, Model, VarKind};
use crate::shell::{run_scripts, Command};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

use super::{Assist, AssistCtx, AssistKind, SourceChange};

const ID: &str = "split_stages";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kit {
    Go,
    Rust,
    Node,
    Maven,
    Gradle,
    Python,
    Dotnet,
}

/// The toolchain a stage's base image is, if any.
fn image_kit(img: &ImageRef) -> Option<Kit> {
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    if img.registry.as_deref() == Some("mcr.microsoft.com") {
        return (img.repository == "dotnet/sdk").then_some(Kit::Dotnet);
    }
    let jre = tag.split(['-', '_', '.']).any(|t| t.starts_with("jre"));
    Some(match fs::official_name(img)? {
        "golang" => Kit::Go,
        "rust" => Kit::Rust,
        "node" => Kit::Node,
        "maven" => Kit::Maven,
        "gradle" => Kit::Gradle,
        "eclipse-temurin" | "openjdk" | "amazoncorretto" if !jre => Kit::Maven,
        "python" if !tag.contains("slim") && !tag.contains("alpine") => Kit::Python,
        _ => return None,
    })
}

/// Packages that install a toolchain on a plain OS image.
fn package_kit(pkg: &str) -> Option<Kit> {
    let name = pkg.split(['=', '>', '<']).next().unwrap_or("");
    Some(match name {
        "golang" | "go" | "golang-go" => Kit::Go,
        "rustc" | "cargo" => Kit::Rust,
        n if n.starts_with("golang-1.") => Kit::Go,
        _ => return None,
    })
}

/// What a build command builds.
fn build_kit(c: &Command) -> Option<Kit> {
    let ops: Vec<&str> = c.operands().map(|a| a.value.as_str()).collect();
    let sub = ops.first().copied();
    Some(match c.program() {
        "go" if matches!(sub, Some("build" | "install")) => Kit::Go,
        "cargo" if matches!(sub, Some("build" | "b")) => Kit::Rust,
        "npm" | "pnpm" | "yarn" => {
            let script = match sub {
                Some("run" | "run-script") => ops.get(1).copied(),
                s => s,
            };
            if !script.is_some_and(|s| s == "build" || s.starts_with("build:")) {
                return None;
            }
            Kit::Node
        }
        "mvn" | "mvnw"
            if ops
                .iter()
                .any(|o| matches!(*o, "package" | "install" | "verify")) =>
        {
            Kit::Maven
        }
        "gradle" | "gradlew"
            if ops
                .iter()
                .any(|o| matches!(*o, "build" | "assemble" | "bootJar" | "jar")) =>
        {
            Kit::Gradle
        }
        "dotnet" if sub == Some("publish") => Kit::Dotnet,
        "pip" | "pip3" if sub == Some("install") => Kit::Python,
        "python" | "python3"
            if c.args.first().is_some_and(|a| a.value == "-m")
                && ops.first() == Some(&"pip")
                && ops.get(1) == Some(&"install") =>
        {
            Kit::Python
        }
        _ => return None,
    })
}

fn same_kit(image: Kit, build: Kit) -> bool {
    image == build
        || matches!(
            (image, build),
            (Kit::Maven | Kit::Gradle, Kit::Maven | Kit::Gradle)
        )
}

/// Instructions that only matter when the container runs.
fn runtime_only(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Expose
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Volume
            | Keyword::Label
    )
}

struct Plan<'a> {
    m: &'a Model,
    text: &'a str,
    stage: usize,
    kit: Kit,
    /// The RUN with the build command, and the command.
    build_ins: usize,
    build_cmd: Command,
    /// The base image, when the toolchain is the image.
    image: Option<ImageRef>,
    static_build: bool,
}

pub fn split_stages(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let m = ctx.model;
    let Some(t) = m.target else { return };
    if t + 1 != m.stages.len() {
        return;
    }
    let st = &m.stages[t];
    // Offered in the stage: from its FROM keyword to the end of the file.
    if ctx.range.start < st.range.start || ctx.range.start as usize > ctx.text.len() {
        return;
    }
    let Base::Image(img) = &st.base else { return };
    let Some(plan) = plan(ctx, t, img) else {
        return;
    };
    let Some(change) = build_change(&plan) else {
        return;
    };
    out.push(Assist {
        id: ID,
        label: "Split into build and runtime stages".into(),
        kind: AssistKind::RefactorRewrite,
        target: st.range,
        change,
    });
}

fn plan<'a>(ctx: &AssistCtx<'a>, t: usize, img: &ImageRef) -> Option<Plan<'a>> {
    let m = ctx.model;
    let st = &m.stages[t];
    let ikit = image_kit(img);
    let mut installed: Vec<Kit> = Vec::new();
    let mut found: Option<(Kit, usize, Command)> = None;
    let mut static_env = m.decls.iter().any(|d| {
        d.kind == VarKind::Env
            && d.stage == Some(t)
            && d.name == "CGO_ENABLED"
            && d.value.as_deref() == Some("0")
    });
    for ins in &m.instructions[st.instructions.clone()] {
        if ins.kind != Keyword::Run {
            continue;
        }
        for sc in run_scripts(m, ctx.text, ins) {
            for c in &sc.commands {
                let pm = matches!(
                    c.program(),
                    "apt-get" | "apt" | "apk" | "dnf" | "yum" | "microdnf"
                );
                let sub = c.subcommand();
                if pm && matches!(sub, Some("install" | "add")) {
                    installed.extend(c.operands().skip(1).filter_map(|a| package_kit(&a.value)));
                }
                // Build dependencies removed again in the same image: like
                // ToolchainInFinalStage, no split is proposed.
                if pm
                    && matches!(
                        sub,
                        Some("purge" | "remove" | "autoremove" | "del" | "erase")
                    )
                {
                    return None;
                }
                let Some(k) = build_kit(c) else { continue };
                let ok = ikit.is_some_and(|i| same_kit(i, k)) || installed.contains(&k);
                if ok {
                    if c.env.iter().any(|(n, v)| n == "CGO_ENABLED" && v == "0") {
                        static_env = true;
                    }
                    found = Some((k, ins.index, c.clone()));
                }
            }
        }
    }
    let (kit, build_ins, build_cmd) = found?;
    // A later build command of the same toolchain is the one whose output
    // ships (`npm ci` then `npm run build`): keep the first, it decides the
    // kit; the artifact logic looks at every RUN.
    Some(Plan {
        m,
        text: ctx.text,
        stage: t,
        kit,
        build_ins,
        build_cmd,
        image: ikit.map(|_| img.clone()),
        static_build: static_env,
    })
}

fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset after the line break ending the line that contains `at`.
fn next_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The version in a tag: `1.23-bookworm` → `1.23`.
fn tag_version(tag: Option<&str>) -> Option<&str> {
    let t = tag?;
    let v = t.split('-').next()?;
    (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.')).then_some(v)
}

/// A stage name no other stage has: `build`, `builder`, `build-2`...
fn build_name(m: &Model) -> String {
    let taken = |n: &str| m.stages.iter().any(|s| s.name.as_deref() == Some(n));
    for n in ["build", "builder"] {
        if !taken(n) {
            return n.into();
        }
    }
    (2..)
        .map(|i| format!("build-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// The value of `-o X`, `-oX`, `--output X` or `--output=X`.
fn output_flag(c: &Command) -> Option<String> {
    let mut it = c.args.iter();
    while let Some(a) = it.next() {
        let v = a.value.as_str();
        if v == "-o" || v == "--output" {
            return it.next().filter(|a| a.is_static).map(|a| a.value.clone());
        }
        if let Some(x) = v
            .strip_prefix("--output=")
            .or_else(|| v.strip_prefix("-o="))
        {
            return a.is_static.then(|| x.to_string());
        }
    }
    None
}

fn flag_value(c: &Command, name: &str) -> Option<String> {
    let mut it = c.args.iter();
    while let Some(a) = it.next() {
        if a.value == name {
            return it.next().map(|a| a.value.clone());
        }
        if let Some(x) = a.value.strip_prefix(name).and_then(|x| x.strip_prefix('=')) {
            return Some(x.to_string());
        }
    }
    None
}

/// The exec-form words of the stage's CMD and ENTRYPOINT.
fn exec_words(m: &Model, stage: usize) -> Vec<&str> {
    m.instructions[m.stages[stage].instructions.clone()]
        .iter()
        .filter(|i| matches!(i.kind, Keyword::Cmd | Keyword::Entrypoint))
        .flat_map(|i| i.args.iter().map(|w| w.value.as_str()))
        .collect()
}

/// A moved `USER <name>` for the runtime stage built on `runtime`: kept
/// when that image has the user; else the numeric UID (and GID) when the
/// build stage's image says which it is; else the build stage's
/// `/etc/passwd` and `/etc/group` are copied in first (where a `RUN
/// useradd` made the user). `scratch` and distroless have no such name,
/// and a container whose USER is not in its passwd file does not start.
fn user_for_runtime(
    m: &Model,
    build: usize,
    runtime: &str,
    build_name: &str,
    ins: &Instruction,
    body: &str,
    nl: &str,
) -> String {
    let Some(word) = ins.args.first() else {
        return body.to_string();
    };
    let spec = word.value.as_str();
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(user) && group.is_none_or(numeric) || spec.contains('$') {
        return body.to_string();
    }
    let runtime_image = ImageRef::parse(runtime);
    let runtime_facts = catalog::lookup(&runtime_image);
    let has = |f: &catalog::ImageFacts| {
        (numeric(user) || f.has_user(user)) && group.is_none_or(|g| numeric(g) || f.has_group(g))
    };
    if runtime != "scratch" && runtime_facts.is_none_or(has) {
        return body.to_string();
    }
    // The IDs as the build stage's image defines them.
    let build_facts = catalog::for_stages(m)
        .get(build)
        .cloned()
        .unwrap_or_default();
    let uid = |name: &str| -> Option<u32> {
        if numeric(name) {
            return name.parse().ok();
        }
        let known = [("root", 0), ("nobody", 65534), ("nonroot", 65532)];
        let found = build_facts
            .first()
            .and_then(|f| f.users.iter().find(|(n, _)| *n == name).map(|(_, id)| *id));
        found.or_else(|| known.iter().find(|(n, _)| *n == name).map(|(_, id)| *id))
    };
    let gid = |name: &str| -> Option<u32> {
        if numeric(name) {
            return name.parse().ok();
        }
        let found = build_facts
            .first()
            .and_then(|f| f.groups.iter().find(|(n, _)| *n == name).map(|(_, id)| *id));
        found.or_else(|| uid(name))
    };
    let ids = match (uid(user), group.map(gid)) {
        (Some(u), None) => Some(u.to_string()),
        (Some(u), Some(Some(g))) => Some(format!("{u}:{g}")),
        _ => None,
    };
    // The word as written, on the USER line (the chunk's last).
    match (ids, body.rfind(word.raw.as_str())) {
        (Some(ids), Some(at)) => {
            format!("{}{ids}{}", &body[..at], &body[at + word.raw.len()..])
        }
        _ => format!("COPY --from={build_name} /etc/passwd /etc/group /etc/{nl}{body}"),
    }
}

/// Whether the stage's CMD/ENTRYPOINT/HEALTHCHECK can run on `scratch`:
/// exec form, naming the copied binary (or `go run`, rewritten to it).
fn scratch_runs(p: &Plan, dir: &str, entry: Option<&str>, body: &[String]) -> bool {
    let m = p.m;
    let ins = &m.instructions[m.stages[p.stage].instructions.clone()];
    let copied = |prog: &str| {
        let base = entry.map(|e| e.rsplit('/').next().unwrap_or(e));
        if base == Some(prog) {
            return true; // a bare name, rewritten to the absolute path
        }
        let Some(abs) = fs::normalize(dir, prog) else {
            return false;
        };
        body.iter().any(|b| {
            b.split_whitespace()
                .nth(2)
                .is_some_and(|src| src == abs && b.ends_with(&format!(" {abs}")))
        })
    };
    let go_run = |i: &Instruction| {
        entry.is_some()
            && i.args
                .iter()
                .any(|w| w.value.ends_with(".go") || w.value == "go" || w.value.starts_with("go "))
    };
    let entrypoint = ins.iter().rev().find(|i| i.kind == Keyword::Entrypoint);
    let cmd = ins.iter().rev().find(|i| i.kind == Keyword::Cmd);
    let check = |i: &Instruction, w: usize| {
        go_run(i) || (i.form == Form::Exec && i.args.get(w).is_some_and(|a| copied(&a.value)))
    };
    let runs = match (entrypoint, cmd) {
        (Some(e), c) => check(e, 0) && c.is_none_or(|c| c.form == Form::Exec),
        (None, Some(c)) => check(c, 0),
        (None, None) => true,
    };
    let health = ins.iter().rev().find(|i| i.kind == Keyword::Healthcheck);
    runs && health.is_none_or(|h| {
        h.args
            .first()
            .is_some_and(|a| a.value.eq_ignore_ascii_case("NONE"))
            || check(h, 1)
    })
}

/// What the runtime stage copies and runs.
struct Runtime {
    from: String,
    /// Instructions after FROM/WORKDIR, before the moved ones.
    body: Vec<String>,
    /// A placeholder was used.
    snippet: bool,
    /// Exec-form CMD/ENTRYPOINT to replace with this, for `go run`.
    entry: Option<String>,
}

/// Where a snippet placeholder starts and ends while the text is built.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

fn copy(src: &str, dst: &str) -> String {
    format!("COPY --from=@BUILD@ {src} {dst}")
}

/// The WORKDIR with a placeholder to narrow it down; a path to fill in
/// when the WORKDIR is `/` (copying the whole filesystem is DL3067).
fn placeholder(workdir: &str) -> Vec<String> {
    if workdir == "/" {
        return vec![format!(
            "COPY --from=@BUILD@ {OPEN}/path/to/artifact{CLOSE} {OPEN}/path/to/artifact{CLOSE}"
        )];
    }
    vec![format!(
        "COPY --from=@BUILD@ {OPEN}{workdir}{CLOSE} {workdir}"
    )]
}

fn runtime(p: &Plan, workdir: &str) -> Runtime {
    let m = p.m;
    let _ = workdir;
    let dir = workdir_at(p, p.build_ins);
    let tag = p.image.as_ref().and_then(|i| i.tag.as_deref());
    let mut r = Runtime {
        from: String::new(),
        body: Vec::new(),
        snippet: false,
        entry: None,
    };
    match p.kit {
        Kit::Go => {
            let golang = p.image.is_some();
            r.from = match (p.static_build, golang) {
                (true, true) => "scratch".into(),
                // Distroless publishes `latest`, `nonroot` and `debug`
                // tags: `nonroot` is tagged (no DL3006/DL3007) and runs
                // as an unprivileged user.
                (true, false) => "gcr.io/distroless/static-debian12:nonroot".into(),
                _ => "gcr.io/distroless/base-debian12:nonroot".into(),
            };
            if p.static_build && golang {
                // Go sources are not visible: a program that makes TLS
                // requests needs the CA bundle, which scratch lacks.
                r.body.push(copy(
                    "/etc/ssl/certs/ca-certificates.crt",
                    "/etc/ssl/certs/",
                ));
            }
            let out = output_flag(&p.build_cmd).filter(|o| !o.ends_with('/'));
            // `go install` on `golang` puts the binary in `$GOPATH/bin`
            // (`/go/bin`) under the name CMD/ENTRYPOINT runs.
            let installed = (p.build_cmd.subcommand() == Some("install") && golang)
                .then(|| {
                    exec_words(m, p.stage)
                        .first()
                        .map(|w| w.rsplit('/').next().unwrap_or(""))
                })
                .flatten()
                .filter(|n| !n.is_empty() && !n.contains('$'))
                .map(|n| format!("/go/bin/{n}"));
            let path = match out {
                Some(o) => fs::normalize(&dir, &o),
                None => installed,
            };
            match path {
                Some(path) => {
                    r.body.push(copy(&path, &path));
                    r.entry = Some(path);
                }
                _ => {
                    r.body.extend(placeholder(&dir));
                    r.snippet = true;
                }
            }
        }
        Kit::Rust => {
            let target = flag_value(&p.build_cmd, "--target");
            let musl = target.as_deref().is_some_and(|t| t.contains("musl"));
            r.from = if musl {
                "scratch"
            } else {
                "debian:bookworm-slim"
            }
            .into();
            let profile = if p.build_cmd.has_flag(Some('r'), &["release"]) {
                "release"
            } else {
                "debug"
            };
            let words = exec_words(m, p.stage);
            let bin = flag_value(&p.build_cmd, "--bin");
            let name = bin
                .as_deref()
                .or_else(|| words.first().map(|w| w.rsplit('/').next().unwrap_or("")))
                .filter(|n| !n.is_empty() && !n.contains('$'));
            let out = match &target {
                Some(t) => format!("target/{t}/{profile}"),
                None => format!("target/{profile}"),
            };
            match (name, fs::normalize(&dir, &out)) {
                (Some(n), Some(d)) => {
                    let path = fs::join(&d, n);
                    r.body.push(copy(&path, &path));
                    if words.first().is_some_and(|w| !w.contains('/')) {
                        r.entry = Some(path);
                    }
                }
                _ => {
                    r.body.extend(placeholder(&dir));
                    r.snippet = true;
                }
            }
        }
        Kit::Node => {
            let base = p.image.as_ref().map_or("node", |i| i.repository.as_str());
            let t = tag.unwrap_or("");
            let rt_tag = if t.contains("alpine") || t.contains("slim") {
                t.to_string()
            } else if t.is_empty() || t == "latest" {
                "slim".into()
            } else {
                format!("{t}-slim")
            };
            r.from = format!("{base}:{rt_tag}");
            let pm = p.build_cmd.program().to_string();
            if pm == "npm" {
                r.body.push(copy(&fs::join(&dir, "package*.json"), "./"));
                // `npm ci` needs the lockfile the build used it with.
                let ci = runs_command(p, "npm", "ci");
                r.body.push(
                    if ci {
                        "RUN npm ci --omit=dev"
                    } else {
                        "RUN npm install --omit=dev"
                    }
                    .into(),
                );
            } else {
                let nm = fs::join(&dir, "node_modules");
                r.body.push(copy(&fs::join(&dir, "package.json"), "./"));
                r.body.push(copy(&nm, &nm));
            }
            // The output directory: the top directory below the WORKDIR
            // that CMD/ENTRYPOINT run from, else `dist` or `build` if named.
            let words = exec_words(m, p.stage);
            let mut outdir = None;
            for w in &words {
                if w.starts_with('-') || w.contains('$') {
                    continue;
                }
                let Some(abs) = fs::normalize(&dir, w) else {
                    continue;
                };
                if abs != dir && fs::is_within(&abs, &dir) && w.contains(['/', '.']) {
                    let rest = abs[dir.len()..].trim_start_matches('/');
                    let top = rest.split('/').next().unwrap_or("");
                    if !top.is_empty() && rest.contains('/') {
                        outdir = Some(fs::join(&dir, top));
                        break;
                    }
                }
            }
            match outdir {
                Some(o) => r.body.push(copy(&o, &o)),
                None => {
                    r.body.push(format!(
                        "COPY --from=@BUILD@ {OPEN}{}{CLOSE} {OPEN}{}{CLOSE}",
                        fs::join(&dir, "dist"),
                        fs::join(&dir, "dist")
                    ));
                    r.snippet = true;
                }
            }
        }
        Kit::Maven | Kit::Gradle => {
            let t = tag.unwrap_or("").to_ascii_lowercase();
            // `maven:3.9-eclipse-temurin-21`, `gradle:8-jdk17`,
            // `eclipse-temurin:21-jdk`, `openjdk:17-jdk-slim`.
            let official = p.image.as_ref().and_then(|i| fs::official_name(i));
            let version = if matches!(official, Some("maven" | "gradle")) {
                t.split('-')
                    .filter_map(|x| x.strip_prefix("jdk").or(Some(x)))
                    .rfind(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()))
                    .map(str::to_string)
            } else {
                tag_version(Some(&t)).map(|v| v.split('.').next().unwrap_or(v).to_string())
            };
            let v = version.unwrap_or_else(|| "21".into());
            r.from = format!("eclipse-temurin:{v}-jre");
            let out = if p.kit == Kit::Maven {
                "target"
            } else {
                "build/libs"
            };
            match fs::normalize(&dir, out) {
                Some(d) => r.body.push(copy(&fs::join(&d, "*.jar"), &format!("{d}/"))),
                None => {
                    r.body.extend(placeholder(&dir));
                    r.snippet = true;
                }
            }
        }
        Kit::Python => {
            let t = tag.unwrap_or("");
            let rt_tag = if t.is_empty() || t == "latest" {
                "slim".to_string()
            } else {
                match tag_version(Some(t)) {
                    Some(v) => format!("{v}-slim"),
                    None => format!("{t}-slim"),
                }
            };
            r.from = format!("python:{rt_tag}");
            // A virtual environment made in the stage, else the global
            // site-packages of the image's Python.
            let venv = venv_dir(p);
            match venv {
                Some(v) => {
                    // The ENV that puts the venv on PATH is needed at run time too.
                    let stage = &m.instructions[m.stages[p.stage].instructions.clone()];
                    for (k, ins) in stage.iter().enumerate() {
                        let moved = !stage[k..].iter().any(|i| i.kind == Keyword::Run);
                        if ins.kind == Keyword::Env
                            && !moved
                            && ins.args_range.slice(p.text).contains(&v)
                        {
                            r.body.push(ins.range.slice(p.text).to_string());
                        }
                    }
                    r.body.push(copy(&v, &v));
                }
                None => {
                    let xy = tag_version(tag)
                        .map(|v| v.split('.').take(2).collect::<Vec<_>>())
                        .filter(|v| v.len() == 2)
                        .map(|v| v.join("."));
                    let site = match xy {
                        Some(xy) => format!("/usr/local/lib/python{xy}/site-packages"),
                        None => "/usr/local/lib".into(),
                    };
                    r.body.push(copy(&site, &site));
                    r.body.push(copy("/usr/local/bin", "/usr/local/bin"));
                }
            }
            if dir != "/" {
                r.body.push(copy(&dir, &dir));
            }
        }
        Kit::Dotnet => {
            let v = tag_version(tag).unwrap_or("8.0");
            r.from = format!("mcr.microsoft.com/dotnet/aspnet:{v}");
            match output_flag(&p.build_cmd).and_then(|o| fs::normalize(&dir, &o)) {
                Some(path) => r.body.push(copy(&path, &path)),
                None => {
                    r.body.extend(placeholder(&dir));
                    r.snippet = true;
                }
            }
        }
    }
    if r.from == "scratch" && !scratch_runs(p, &dir, r.entry.as_deref(), &r.body) {
        // CMD/ENTRYPOINT/HEALTHCHECK need a shell or tools (`curl`):
        // alpine has both, and its base image carries the CA bundle.
        r.from = "alpine:3.20".into();
        r.body.retain(|b| !b.contains("ca-certificates.crt"));
    }
    r
}

/// The WORKDIR in effect at instruction `at` of the stage: the model's
/// when it knows it, else the stage's WORKDIRs resolved from the image's
/// own (relative `WORKDIR pty` on `golang` is `/go/pty`).
fn workdir_at(p: &Plan, at: usize) -> String {
    let m = p.m;
    if let Some(w) = Fs::new(m).workdir_at(at) {
        return w.to_string();
    }
    let mut dir = p
        .image
        .as_ref()
        .and_then(fs::image_workdir)
        .unwrap_or("/")
        .to_string();
    let st = &m.stages[p.stage];
    for ins in &m.instructions[st.instructions.start..(at + 1).min(st.instructions.end)] {
        if ins.kind == Keyword::Workdir {
            if let Some(d) = ins.args.first().and_then(|w| fs::normalize(&dir, &w.value)) {
                dir = d;
            }
        }
    }
    dir
}

/// Whether a RUN of the stage runs `program subcommand`.
fn runs_command(p: &Plan, program: &str, sub: &str) -> bool {
    let m = p.m;
    m.instructions[m.stages[p.stage].instructions.clone()]
        .iter()
        .filter(|i| i.kind == Keyword::Run)
        .flat_map(|i| run_scripts(m, p.text, i))
        .any(|sc| {
            sc.commands_named(program)
                .any(|c| c.subcommand() == Some(sub))
        })
}

/// `python -m venv DIR` in the stage.
fn venv_dir(p: &Plan) -> Option<String> {
    let m = p.m;
    for ins in &m.instructions[m.stages[p.stage].instructions.clone()] {
        if ins.kind != Keyword::Run {
            continue;
        }
        for sc in run_scripts(m, p.text, ins) {
            for c in &sc.commands {
                let vals: Vec<&str> = c.args.iter().map(|a| a.value.as_str()).collect();
                if matches!(c.program(), "python" | "python3") && vals.starts_with(&["-m", "venv"])
                {
                    let d = vals.get(2)?;
                    return fs::normalize(&workdir_at(p, ins.index), d);
                }
            }
        }
    }
    None
}

/// The instruction's text, with the comment lines right above it.
fn chunk(text: &str, ins: &Instruction) -> (usize, usize) {
    let mut start = line_start(text, ins.range.start as usize);
    while start > 0 {
        let prev = line_start(text, start - 1);
        if text[prev..start].trim_start().starts_with('#') {
            start = prev;
        } else {
            break;
        }
    }
    (start, next_line(text, ins.range.end as usize))
}

fn build_change(p: &Plan) -> Option<SourceChange> {
    let (m, text) = (p.m, p.text);
    let nl = eol(text);
    let st = &m.stages[p.stage];
    let ins = &m.instructions[st.instructions.clone()];
    let last_build = ins
        .iter()
        .filter(|i| matches!(i.kind, Keyword::Run | Keyword::Copy | Keyword::Add))
        .map(|i| i.index)
        .max()
        .unwrap_or(st.from);
    // An ENV that a staying instruction reads (`WORKDIR $APP`) stays.
    let read_later = |i: &Instruction| {
        m.uses.iter().any(|u| {
            u.decl.is_some_and(|d| m.decls[d].instruction == i.index)
                && u.instruction != i.index
                && !runtime_only(m.instructions[u.instruction].kind)
                && !matches!(
                    m.instructions[u.instruction].kind,
                    Keyword::Env | Keyword::User
                )
        })
    };
    let moves = |i: &Instruction| {
        runtime_only(i.kind)
            || (matches!(i.kind, Keyword::Env | Keyword::User)
                && i.index > last_build
                && !read_later(i))
    };
    let moved: Vec<&Instruction> = ins.iter().filter(|i| moves(i)).collect();
    let workdir = workdir_at(p, st.instructions.end - 1);
    let has_workdir = ins.iter().any(|i| i.kind == Keyword::Workdir);
    let rt = runtime(p, &workdir);

    let mut edits = Vec::new();
    let name = match &st.name {
        Some(n) => n.clone(),
        None => {
            let n = build_name(m);
            let from = &m.instructions[st.from];
            // `from ... as`: FromAsCasing wants the keywords alike.
            let kw = from.keyword.range.slice(text);
            let as_kw = if kw.bytes().any(|c| c.is_ascii_uppercase()) {
                "AS"
            } else {
                "as"
            };
            edits.push(TextEdit::insert(st.base_range.end, format!(" {as_kw} {n}")));
            n
        }
    };
    // The tail: everything after the last instruction that stays.
    let last_kept = ins.iter().filter(|i| !moves(i)).map(|i| i.index).max()?;
    let tail_start = next_line(text, m.instructions[last_kept].range.end as usize);
    let mut moved_text = Vec::new();
    for i in &moved {
        let (s, e) = chunk(text, i);
        let s = if i.index > last_kept {
            s.max(tail_start)
        } else {
            s
        };
        let mut body = text[s..e].to_string();
        if let (Some(entry), Keyword::Cmd | Keyword::Entrypoint) = (&rt.entry, i.kind) {
            body = rewrite_entry(text, i, entry, nl).unwrap_or(body);
        }
        if i.kind == Keyword::User {
            body = user_for_runtime(m, st.index, &rt.from, &name, i, &body, nl);
        }
        let body = body.trim_start_matches(['\r', '\n']).to_string();
        if !body.ends_with('\n') {
            moved_text.push(format!("{body}{nl}"));
        } else {
            moved_text.push(body);
        }
        if i.index < last_kept {
            // Remove it, and one blank line around it when both sides are blank.
            let mut e2 = e;
            let before_blank = s >= 1 && is_blank(&text[line_start(text, s - 1)..s]);
            let after = &text[e..next_line(text, e)];
            if before_blank && is_blank(after) && e < text.len() {
                e2 = next_line(text, e);
            }
            edits.push(TextEdit::delete(TextRange::from_usize(s, e2)));
        }
    }
    // ARGs the moved instructions use are redeclared.
    let mut args: Vec<String> = Vec::new();
    let mut uses_moved = |iidx: usize| {
        for u in m.uses.iter().filter(|u| u.instruction == iidx) {
            let Some(d) = u.decl.map(|d| &m.decls[d]) else {
                continue;
            };
            if d.kind != VarKind::Arg {
                continue;
            }
            let line = if d.stage.is_none() {
                format!("ARG {}", d.name)
            } else {
                m.instructions[d.instruction].range.slice(text).to_string()
            };
            if !args.contains(&line) {
                args.push(line);
            }
        }
    };
    for i in &moved {
        uses_moved(i.index);
    }
    let mut out = String::new();
    let tail = &text[tail_start..];
    // A file without a final line break gets one before the new stage.
    if tail_start == text.len() && !text.ends_with('\n') {
        out.push_str(nl);
    }
    out.push_str(nl);
    // Generated keywords follow the file's casing (ConsistentInstructionCasing).
    let lower = m.instructions[st.from]
        .keyword
        .range
        .slice(text)
        .bytes()
        .all(|c| !c.is_ascii_uppercase());
    let kw = |line: &str| -> String {
        match line.split_once(' ') {
            Some((k, rest)) if lower => format!("{} {rest}", k.to_ascii_lowercase()),
            _ => line.to_string(),
        }
    };
    out.push_str(&kw(&format!("FROM {}{nl}", rt.from)));
    for a in &args {
        out.push_str(&kw(a));
        out.push_str(nl);
    }
    if has_workdir && workdir != "/" {
        out.push_str(&kw(&format!("WORKDIR {workdir}{nl}")));
    }
    let node_env = p.kit == Kit::Node
        && !moved.iter().any(|i| {
            i.kind == Keyword::Env && i.args.iter().any(|a| a.value.starts_with("NODE_ENV"))
        });
    if node_env {
        out.push_str(&kw(&format!("ENV NODE_ENV=production{nl}")));
    }
    for b in &rt.body {
        out.push_str(&kw(&b.replace("@BUILD@", &name)));
        out.push_str(nl);
    }
    if !moved_text.is_empty() {
        out.push_str(nl);
    }
    for t in &moved_text {
        out.push_str(t);
    }
    // Comments left in the tail that belong to no moved instruction stay
    // at the end of the file.
    let moved_ranges: Vec<(usize, usize)> = moved.iter().map(|i| chunk(text, i)).collect();
    let mut pos = 0;
    for line in tail.split_inclusive('\n') {
        let abs = tail_start + pos;
        pos += line.len();
        if line.trim_start().starts_with('#')
            && !moved_ranges.iter().any(|(s, e)| abs >= *s && abs < *e)
        {
            out.push_str(line.trim_end_matches(['\r', '\n']));
            out.push_str(nl);
        }
    }
    if rt.snippet {
        // Snippet syntax: literal `$`, `}` and `\` are escaped (`$PORT` in
        // a moved ENV is not a snippet variable), placeholders are not.
        out = out
            .replace('\\', "\\\\")
            .replace('$', "\\$")
            .replace('}', "\\}")
            .replace(OPEN, "${1:")
            .replace(CLOSE, "}");
    }
    edits.push(TextEdit::replace(
        TextRange::from_usize(tail_start, text.len()),
        out,
    ));
    Some(SourceChange {
        edits,
        is_snippet: rt.snippet,
    })
}

/// CMD/ENTRYPOINT pointed at the artifact: `go run main.go` becomes the
/// built binary, a bare program name becomes its absolute path.
fn rewrite_entry(text: &str, i: &Instruction, entry: &str, nl: &str) -> Option<String> {
    let words: Vec<&str> = match i.form {
        Form::Exec => i.args.iter().map(|w| w.value.as_str()).collect(),
        // Shell form: only `go run ...` is rewritten (to exec form).
        Form::Shell => i
            .args
            .first()
            .map(|w| w.value.split_whitespace().collect())
            .unwrap_or_default(),
    };
    if i.form == Form::Shell && words.first() != Some(&"go") {
        return None;
    }
    let first = *words.first()?;
    let base = entry.rsplit('/').next().unwrap_or(entry);
    let go_run = words.iter().any(|w| w.ends_with(".go")) || first == "go" || first == "run";
    let rest: Vec<String> = if go_run {
        Vec::new()
    } else if first == base {
        words[1..].iter().map(|w| format!("{w:?}")).collect()
    } else {
        return None;
    };
    let mut v = vec![format!("{entry:?}")];
    v.extend(rest);
    let (s, _) = chunk(text, i);
    let head = &text[s..i.range.start as usize];
    Some(format!(
        "{head}{} [{}]{nl}",
        i.keyword.range.slice(text),
        v.join(", ")
    ))
}

/// The change with snippet placeholders replaced by their default text,
/// and a `# TODO: copy the build output` line above each COPY that had
/// one, for clients without snippet support.
pub fn plain_text(change: &SourceChange) -> SourceChange {
    if !change.is_snippet {
        return change.clone();
    }
    let edits = change
        .edits
        .iter()
        .map(|e| {
            let nl = if e.new_text.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            let mut out = String::new();
            for line in e.new_text.split_inclusive('\n') {
                let (plain, had) = unsnippet(line);
                if had {
                    out.push_str("# TODO: copy the build output");
                    out.push_str(nl);
                }
                out.push_str(&plain);
            }
            TextEdit::replace(e.range, out)
        })
        .collect();
    SourceChange {
        edits,
        is_snippet: false,
    }
}

/// Snippet text to plain text: `${1:text}` → `text`, `\$` → `$`; and
/// whether there was a placeholder.
fn unsnippet(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut had = false;
    let mut depth = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('$' | '}' | '\\')) => {
                out.extend(chars.next());
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                // The tab stop number and the colon.
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    chars.next();
                }
                depth += 1;
                had = true;
            }
            '}' if depth > 0 => depth -= 1,
            c => out.push(c),
        }
    }
    (out, had)
}
