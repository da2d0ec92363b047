//! A variable used in an instruction BuildKit expands, with no ARG or ENV
//! in scope.

use foldhash::HashMap;

use crate::model::catalog::{self, ImageFacts};
use crate::model::{
    closest, distance_within, is_platform_arg, vars_visible, Base, Model, UseContext, VarDecl,
    VarKind, VarUse,
};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::util::{chain, root_base};

pub static META: RuleMeta = RuleMeta {
    code: "UndefinedVar",
    aliases: &[],
    summary: "Variable used before any ARG or ENV defines it",
    docs: "## What\nA `$NAME` in an instruction BuildKit expands itself (`COPY`, `ADD`, `ENV`, \
`ARG` defaults, `LABEL`, `WORKDIR`, `USER`, `VOLUME`, `STOPSIGNAL`, and the `--chown`, \
`--chmod`, `--checksum` and `--mount` flags) that no `ARG` or `ENV` before it in the stage \
(or in a stage it is built `FROM`) declares. Shell-form `RUN`, `CMD` and `ENTRYPOINT` are \
not checked: the shell expands those when the container runs. `EXPOSE` is not checked \
either, as in BuildKit.\n\n\
## Why\nAn undefined variable expands to an empty string, silently: `COPY app-$VERSION.jar` \
copies `app-.jar`. Typical causes are a typo, a use before the declaration, and an `ARG` \
declared before the first `FROM` but not redeclared in the stage (global ARGs are visible \
only in FROM lines until a stage says `ARG NAME`). The same holds for BuildKit's platform \
ARGs (`TARGETARCH`...): a stage sees them only after `ARG TARGETARCH`.\n\n\
BuildKit also knows the environment of the base image (`PATH`, `HOME`, `NODE_VERSION`...). \
berth knows it offline for the images in its catalog, built from the official images' own \
Dockerfiles (their repositories and commits are listed in the catalog): on `golang:1.22`, `python:3.12-slim`, \
`alpine:3.20`... it reports exactly what BuildKit reports, and stays silent on what the image \
sets (`$GOPATH`, `$PYTHON_VERSION`). In a stage built on an image or a tag the catalog does not \
have, berth reports only what is almost surely a mistake: a use before the declaration in the \
same stage, a global ARG or platform ARG not redeclared, and a name one letter away from a \
declared one; and never a name base images commonly set (`HOME`, `JAVA_HOME`, `GOPATH`..., or \
`NODE_VERSION` on a `node` image). In a stage built on `scratch` (whose environment holds only \
`PATH`), every undefined variable is reported, as BuildKit does.\n\n\
## Example\n```dockerfile\nARG VERSION=1.4\nFROM eclipse-temurin:21-jre\nCOPY app-${VERSION}.jar /app.jar\n```\n\n\
## Fix\nDeclare the variable before the instruction (`ARG VERSION` inside the stage \
redeclares the global one), or correct its name.",
    severity: Severity::Warning,
    category: Category::Variables,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

/// BuildKit's ARGs that never become environment variables.
const NON_ENV_ARGS: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Variables official base images commonly set in their environment.
const IMAGE_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "HOSTNAME",
    "USER",
    "SHELL",
    "TERM",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "TZ",
    "JAVA_HOME",
    "JAVA_VERSION",
    "JDK_HOME",
    "JRE_HOME",
    "GOPATH",
    "GOROOT",
    "GOLANG_VERSION",
    "GOTOOLCHAIN",
    "NODE_VERSION",
    "YARN_VERSION",
    "NODE_ENV",
    "PYTHON_VERSION",
    "PYTHON_SHA256",
    "PYTHON_PIP_VERSION",
    "PYTHON_SETUPTOOLS_VERSION",
    "PYTHON_GET_PIP_URL",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "GPG_KEY",
    "RUBY_VERSION",
    "RUBY_MAJOR",
    "GEM_HOME",
    "BUNDLE_PATH",
    "BUNDLE_SILENCE_ROOT_WARNING",
    "BUNDLE_APP_CONFIG",
    "PHP_VERSION",
    "PHP_INI_DIR",
    "PHPIZE_DEPS",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "RUST_VERSION",
    "MAVEN_HOME",
    "MAVEN_CONFIG",
    "GRADLE_HOME",
    "GRADLE_VERSION",
    "DOTNET_VERSION",
    "ASPNET_VERSION",
    "ASPNETCORE_URLS",
    "ASPNETCORE_HTTP_PORTS",
    "DOTNET_RUNNING_IN_CONTAINER",
    "NGINX_VERSION",
    "NJS_VERSION",
    "HTTPD_PREFIX",
    "CATALINA_HOME",
    "TOMCAT_VERSION",
    "PGDATA",
    "PG_MAJOR",
    "PG_VERSION",
    "MYSQL_VERSION",
    "MARIADB_VERSION",
    "REDIS_VERSION",
    "ELIXIR_VERSION",
    "OTP_VERSION",
    "ERLANG_VERSION",
    "CONDA_DIR",
    "VIRTUAL_ENV",
    "NVM_DIR",
    "DEBIAN_FRONTEND",
    "NVIDIA_VISIBLE_DEVICES",
    "NVIDIA_DRIVER_CAPABILITIES",
    "CUDA_VERSION",
    "LD_LIBRARY_PATH",
];

/// Declarations by (stage, name), in text order: each use looks up its
/// own name instead of scanning every declaration (a file with thousands
/// of ENV pairs would otherwise be quadratic).
type DeclIndex<'m> = HashMap<(Option<usize>, &'m str), Vec<&'m VarDecl>>;

fn lookup<'a>(index: &'a DeclIndex<'a>, stage: Option<usize>, name: &'a str) -> &'a [&'a VarDecl] {
    index.get(&(stage, name)).map_or(&[], |v| v.as_slice())
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let mut index: DeclIndex = HashMap::default();
    for d in &m.decls {
        index.entry((d.stage, d.name.as_str())).or_default().push(d);
    }
    // Suggestions depend only on the instruction and the name.
    let mut suggestions: HashMap<(usize, &str), Option<&str>> = HashMap::default();
    let globals: Vec<&str> = m.global_args().map(|d| d.name.as_str()).collect();
    let mut close_globals: HashMap<&str, Option<&str>> = HashMap::default();
    // Only an image whose very tag is catalogued: an older tag may set
    // what today's do not.
    let facts = catalog::exact_for_stages(m);
    for u in &m.uses {
        if u.context != UseContext::Instruction || u.decl.is_some() {
            continue;
        }
        let Some(stage) = u.stage else { continue };
        let Some(ins) = m.instructions.get(u.instruction) else {
            continue;
        };
        if ins.kind == Keyword::Expose
            || u.name == "PATH"
            || NON_ENV_ARGS.contains(&u.name.as_str())
            || declared_earlier_in_arg(m, u, lookup(&index, u.stage, &u.name))
        {
            continue;
        }
        // What the base image sets: known for `scratch` (nothing but
        // PATH) and for the images in berth's catalog, guessed otherwise.
        let scratch = matches!(root_base(m, stage), Some(Base::Scratch));
        let catalogued: &[&ImageFacts] = match facts.get(stage) {
            Some(Some(f)) => std::slice::from_ref(f),
            _ => &[],
        };
        let known_base = scratch || !catalogued.is_empty();
        let image_may_set = if catalogued.is_empty() {
            !scratch && image_may_define(m, stage, &u.name)
        } else {
            catalogued.iter().any(|f| f.env(&u.name).is_some())
        };

        // A declaration after the use, in the same stage.
        let later = lookup(&index, Some(stage), &u.name).iter().find(|d| {
            d.instruction > u.instruction
                || (d.instruction == u.instruction && d.name_range.start > u.range.start)
        });
        if let Some(d) = later {
            if image_may_set {
                continue;
            }
            let kw = match d.kind {
                VarKind::Arg => "ARG",
                VarKind::Env => "ENV",
            };
            acc.push(
                &META,
                u.name_range,
                format!(
                    "`${}` is used before it is declared: move `{kw} {}` above this instruction",
                    u.name, u.name
                ),
            )
            .related(d.name_range, "declared here, after its use");
            continue;
        }

        // A global ARG the stage does not redeclare.
        if let Some(g) = lookup(&index, None, &u.name).last() {
            if image_may_set {
                continue;
            }
            acc.push(
                &META,
                u.name_range,
                format!(
                    "`${}` is declared before the first FROM, which makes it visible only in FROM lines: add `ARG {}` in this stage to use it here",
                    u.name, u.name
                ),
            )
            .related(g.name_range, "global ARG declared here");
            continue;
        }

        if is_platform_arg(&u.name) {
            acc.push(
                &META,
                u.name_range,
                format!(
                    "`${}` is predefined by BuildKit but a stage sees it only after `ARG {}`: add that line before this instruction",
                    u.name, u.name
                ),
            );
            continue;
        }

        // What is in scope here, for a suggestion.
        let suggestion = *suggestions
            .entry((u.instruction, u.name.as_str()))
            .or_insert_with(|| {
                let visible = vars_visible(m, u.instruction);
                let names = visible
                    .iter()
                    .filter_map(|&d| m.decls.get(d))
                    .map(|d| d.name.as_str())
                    .chain(std::iter::once("PATH"));
                if known_base {
                    closest(&u.name, names)
                } else {
                    names
                        .filter(|n| *n != u.name)
                        .find(|n| distance_within(&u.name, n, 1).is_some())
                }
            });
        // A global ARG with a close name: a typo and a missing redeclaration.
        let mut global = || {
            *close_globals.entry(u.name.as_str()).or_insert_with(|| {
                globals
                    .iter()
                    .copied()
                    .find(|n| distance_within(&u.name, n, 1).is_some())
            })
        };
        if image_may_set {
            continue;
        }
        if let Some(s) = suggestion {
            acc.push(
                &META,
                u.name_range,
                format!("`${}` is not defined; did you mean `${s}`?", u.name),
            );
        } else if let Some(g) = global() {
            acc.push(
                &META,
                u.name_range,
                format!(
                    "`${}` is not defined; did you mean `${g}`? It is declared before the first FROM: add `ARG {g}` in this stage to use it here",
                    u.name
                ),
            );
        } else if known_base {
            let base = match catalogued.first() {
                Some(f) => format!(", nor does the `{}` image's environment", f.repository),
                None => String::new(),
            };
            acc.push(
                &META,
                u.name_range,
                format!(
                    "`${}` is not defined: no ARG or ENV before this instruction declares it{base}, so it expands to an empty string; declare it with `ARG {}` or `ENV {}=<value>`",
                    u.name, u.name, u.name
                ),
            );
        }
    }
}

/// `ARG A=1 B=$A`: BuildKit declares the ARGs of one instruction in order.
fn declared_earlier_in_arg(m: &Model, u: &VarUse, same_name: &[&VarDecl]) -> bool {
    m.instructions
        .get(u.instruction)
        .is_some_and(|i| i.kind == Keyword::Arg)
        && same_name
            .iter()
            .any(|d| d.instruction == u.instruction && d.name_range.end <= u.range.start)
}

/// Whether the registry image the stage is built on may set `name` in its
/// environment: a well-known name, or `<NAME>_VERSION`/`<NAME>_HOME` for an
/// image whose repository contains `name`.
fn image_may_define(m: &Model, stage: usize, name: &str) -> bool {
    if IMAGE_ENV.contains(&name) {
        return true;
    }
    let Some(root) = chain(m, stage).last() else {
        return false;
    };
    let Some(st) = m.stages.get(root) else {
        return false;
    };
    let repo = match &st.base {
        Base::Image(r) => r.repository.to_ascii_lowercase(),
        _ => st.base_expanded.to_ascii_lowercase(),
    };
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix("_version")
        .or_else(|| lower.strip_suffix("_home"))
        .or_else(|| lower.strip_suffix("_major"));
    stem.is_some_and(|s| !s.is_empty() && repo.contains(s))
}
