//! What berth knows of base images offline: facts derived from the
//! official images' own Dockerfiles and build definitions, generated into
//! `data.rs` by `crates/berth-catalog` (`scripts/gen-image-catalog.sh`
//! regenerates it and records the source commits). No IO here: the data
//! is compiled in.
//!
//! One [`ImageFacts`] per repository and variant family (`python` +
//! `slim-bookworm`): the tags it is published under, and what an image of
//! that family holds when a container or a build step starts from it.

mod data;

use super::image::ImageRef;
use super::{Base, Model};

/// The operating system family of an image's root filesystem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Debian,
    Ubuntu,
    Alpine,
    /// Wolfi (Chainguard): apk, glibc.
    Wolfi,
    /// Busybox only: a shell and applets, no package manager.
    Busybox,
    /// Distroless: a Debian-derived filesystem without shell or package
    /// manager.
    Distroless,
    /// Red Hat family (UBI, Fedora, Oracle Linux, Amazon Linux).
    Rpm,
    /// Windows (Nano Server, Server Core).
    Windows,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libc {
    Glibc,
    Musl,
    /// Statically linked userland only (distroless static, busybox
    /// variants): no dynamic loader to speak of.
    None,
}

/// What an image of one repository and variant family holds.
#[derive(Clone, Copy, Debug)]
pub struct ImageFacts {
    /// As written in `FROM` for Docker Hub official images (`python`),
    /// with the registry otherwise (`gcr.io/distroless/static-debian12`).
    pub repository: &'static str,
    /// The variant family (`slim-bookworm`, `alpine3.20`, `` for the
    /// default one).
    pub variant: &'static str,
    /// Tags published for this family, most specific first (`3.12.4-slim-
    /// bookworm`, `3.12-slim`...). A `*` matches any version digits.
    pub tags: &'static [&'static str],
    pub os: Os,
    /// The distribution release (`bookworm`, `3.20`), when known.
    pub release: &'static str,
    pub libc: Libc,
    /// The package manager program (`apt-get`, `apk`, `microdnf`), if any.
    pub package_manager: Option<&'static str>,
    /// Whether `/bin/sh` exists (shell-form instructions can run).
    pub has_shell: bool,
    /// The environment the image sets (ENV names and values as the
    /// image's config holds them, the FROM chain's included).
    pub env: &'static [(&'static str, &'static str)],
    /// `USER`, when the image sets one.
    pub user: Option<&'static str>,
    pub workdir: Option<&'static str>,
    /// ENTRYPOINT and CMD as written in the defining Dockerfile.
    pub entrypoint: Option<&'static str>,
    pub cmd: Option<&'static str>,
    /// User names in `/etc/passwd` (with their uid), the base
    /// distribution's and those the Dockerfiles add.
    pub users: &'static [(&'static str, u32)],
    /// Group names in `/etc/group` (with their gid).
    pub groups: &'static [(&'static str, u32)],
    pub exposed: &'static [&'static str],
    /// Where the facts come from: repository, commit and path.
    pub source: &'static str,
}

impl ImageFacts {
    pub fn env(&self, name: &str) -> Option<&'static str> {
        self.env.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    pub fn has_user(&self, name: &str) -> bool {
        self.users.iter().any(|(n, _)| *n == name)
    }

    pub fn has_group(&self, name: &str) -> bool {
        self.groups.iter().any(|(n, _)| *n == name)
    }
}

/// Every family in the catalog.
pub fn all() -> &'static [ImageFacts] {
    data::IMAGES
}

/// Where the catalog's facts come from (repositories and commits), and
/// when it was generated.
pub fn sources() -> &'static [(&'static str, &'static str)] {
    data::SOURCES
}

/// Docker Hub's per-architecture namespaces of the official images
/// (`arm64v8/alpine` is `alpine` built for one architecture).
const ARCH_NAMESPACES: &[&str] = &[
    "amd64",
    "arm32v5",
    "arm32v6",
    "arm32v7",
    "arm64v8",
    "i386",
    "mips64le",
    "ppc64le",
    "riscv64",
    "s390x",
    "windows-amd64",
];

/// Registries that serve Docker Hub's images under the same names.
const HUB_MIRRORS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "mirror.gcr.io",
    "public.ecr.aws/docker/library",
];

/// The repository as the catalog names it: Docker Hub's `library/`,
/// `docker.io/` and per-architecture prefixes dropped, lower-cased.
pub fn catalog_name(image: &ImageRef) -> String {
    let repo = image.repository.to_ascii_lowercase();
    let registry = image.registry.as_deref().map(str::to_ascii_lowercase);
    let (registry, repo) = match registry {
        // `public.ecr.aws/docker/library/python`: the mirror's path.
        Some(r) if r == "public.ecr.aws" && repo.starts_with("docker/library/") => {
            (None, repo["docker/".len()..].to_string())
        }
        Some(r) if HUB_MIRRORS.contains(&r.as_str()) => (None, repo),
        other => (other, repo),
    };
    let repo = repo.strip_prefix("library/").unwrap_or(&repo);
    let repo = match repo.split_once('/') {
        Some((ns, rest)) if registry.is_none() && ARCH_NAMESPACES.contains(&ns) => rest,
        _ => repo,
    };
    match registry {
        None => repo.to_string(),
        Some(r) => format!("{r}/{repo}"),
    }
}

/// One repository's families, and its tags indexed: the literal ones by
/// name, the `*` patterns in catalog order.
#[derive(Default)]
struct Repository {
    families: Vec<&'static ImageFacts>,
    literal: foldhash::HashMap<&'static str, &'static ImageFacts>,
    /// `*` patterns split at the `*`: (before, after, family).
    patterns: Vec<(&'static str, &'static str, &'static ImageFacts)>,
}

/// The catalog by repository name: every stage of every analysis looks
/// its base up, so neither the catalog nor a repository's tags are walked.
fn by_repository(name: &str) -> Option<&'static Repository> {
    static INDEX: std::sync::OnceLock<foldhash::HashMap<&'static str, Repository>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map: foldhash::HashMap<&'static str, Repository> = foldhash::HashMap::default();
        for f in all() {
            let r = map.entry(f.repository).or_default();
            r.families.push(f);
            for &t in f.tags {
                if let Some((head, tail)) = t.split_once('*') {
                    r.patterns.push((head, tail, f));
                } else {
                    // The first family to list a tag has it, as in a walk.
                    r.literal.entry(t).or_insert(f);
                }
            }
        }
        map
    });
    index.get(name)
}

/// Whether the catalog has the repository at all.
pub fn knows_repository(image: &ImageRef) -> bool {
    by_repository(&catalog_name(image)).is_some()
}

/// Whether `tag` matches the pattern `pattern` (`*` stands for one or more
/// characters of a version: digits and dots).
pub fn tag_matches(pattern: &str, tag: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == tag,
        Some((head, tail)) => version_between(head, tail, tag),
    }
}

/// Whether `tag` is `head`, one or more digits and dots, then `tail`.
fn version_between(head: &str, tail: &str, tag: &str) -> bool {
    tag.len() > head.len() + tail.len()
        && tag.starts_with(head)
        && tag.ends_with(tail)
        && tag.as_bytes()[head.len()..tag.len() - tail.len()]
            .iter()
            .all(|&c| c.is_ascii_digit() || c == b'.')
}

/// The facts for `image`: the family whose tags include its tag (`latest`
/// when it has none). `None` when the repository or the tag is not in the
/// catalog; a digest alone says nothing about the family.
pub fn lookup(image: &ImageRef) -> Option<&'static ImageFacts> {
    let tag = image.tag.as_deref().unwrap_or("latest");
    let repo = by_repository(&catalog_name(image))?;
    let literal = repo.literal.get(tag).copied();
    let pattern = repo
        .patterns
        .iter()
        .find(|(head, tail, _)| version_between(head, tail, tag))
        .map(|(_, _, f)| *f);
    // The family that comes first in the catalog, as a walk would find.
    let rank = |f: &&ImageFacts| repo.families.iter().position(|g| std::ptr::eq(*g, *f));
    match (literal, pattern) {
        (Some(a), Some(b)) => Some(if rank(&a) <= rank(&b) { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The families of `image`'s repository: all of them when its tag is not
/// catalogued (what holds for every family holds for the image).
pub fn families(image: &ImageRef) -> Vec<&'static ImageFacts> {
    match lookup(image) {
        Some(f) => vec![f],
        None => repository_families(image),
    }
}

/// Every family of `image`'s repository, whatever its tag.
pub fn repository_families(image: &ImageRef) -> Vec<&'static ImageFacts> {
    by_repository(&catalog_name(image)).map_or_else(Vec::new, |r| r.families.clone())
}

/// The families of the image `stage` is built on (through `FROM <stage>`
/// chains): empty unless that is an image the catalog has.
pub fn for_stage(m: &Model, stage: usize) -> Vec<&'static ImageFacts> {
    let mut s = stage;
    // A chain visits each stage once at most (cycles are errors elsewhere).
    for _ in 0..=m.stages.len() {
        match m.stages.get(s).map(|st| &st.base) {
            Some(Base::Stage(parent)) => s = *parent,
            Some(Base::Image(r)) => return families(r),
            _ => break,
        }
    }
    Vec::new()
}

/// [`for_stage`] of every stage, in one pass (a chain of stages is
/// followed once, not once per stage).
pub fn for_stages(m: &Model) -> Vec<Vec<&'static ImageFacts>> {
    per_stage(m, families)
}

/// The family of the image each stage is built on, when the catalog has
/// that very tag ([`lookup`]): what holds of the image as BuildKit would
/// pull it, not of its repository at large.
pub fn exact_for_stages(m: &Model) -> Vec<Option<&'static ImageFacts>> {
    per_stage(m, |r| lookup(r).into_iter().collect())
        .into_iter()
        .map(|f| f.first().copied())
        .collect()
}

fn per_stage(
    m: &Model,
    of_image: impl Fn(&ImageRef) -> Vec<&'static ImageFacts>,
) -> Vec<Vec<&'static ImageFacts>> {
    let mut out: Vec<Vec<&'static ImageFacts>> = Vec::with_capacity(m.stages.len());
    for (i, st) in m.stages.iter().enumerate() {
        let facts = match &st.base {
            Base::Stage(p) if *p < i => out[*p].clone(),
            Base::Image(r) => of_image(r),
            _ => Vec::new(),
        };
        out.push(facts);
    }
    out
}

/// Whether every family in `families` (at least one) has `fact`.
pub fn all_have(families: &[&ImageFacts], fact: impl Fn(&ImageFacts) -> bool) -> bool {
    !families.is_empty() && families.iter().all(|f| fact(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_patterns() {
        assert!(tag_matches("3.12-slim", "3.12-slim"));
        assert!(tag_matches("3.12.*-slim", "3.12.4-slim"));
        assert!(!tag_matches("3.12.*-slim", "3.12.-slim"));
        assert!(!tag_matches("3.12.*-slim", "3.12.4-alpine"));
        assert!(!tag_matches("*", "latest"));
        assert!(tag_matches("*", "1.2"));
    }

    #[test]
    fn names_drop_docker_hub_prefixes() {
        for written in [
            "python:3",
            "library/python:3",
            "docker.io/library/python:3",
            "arm64v8/python:3",
            "mirror.gcr.io/python:3",
            "public.ecr.aws/docker/library/python:3",
        ] {
            assert_eq!(
                catalog_name(&ImageRef::parse(written)),
                "python",
                "{written}"
            );
        }
        assert_eq!(
            catalog_name(&ImageRef::parse("gcr.io/distroless/static-debian12")),
            "gcr.io/distroless/static-debian12"
        );
    }
}
