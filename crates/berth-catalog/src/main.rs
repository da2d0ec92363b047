//! Generates berth's offline catalog of base images,
//! `src/model/catalog/data.rs`, from checkouts of the official images'
//! sources (see `scripts/gen-image-catalog.sh`, which clones them and
//! writes the manifest this program reads).
//!
//! 1. official-images `library/<name>` files (at one or more revisions,
//!    newest first) say which tags each Dockerfile directory is
//!    published under;
//! 2. each Dockerfile is read with berth's model: the image its built
//!    stage starts from and the steps that change the image's facts;
//! 3. root filesystems (debian, ubuntu, alpine, busybox, distroless,
//!    Windows) come from the table in `roots.rs`;
//! 4. each family's facts are its base's facts with its own steps
//!    applied, following `FROM` to the root.
//!
//! Usage: berth-catalog --manifest FILE --out FILE [--library-rev REV]...

mod accounts;
mod dotnet;
mod emit;
mod eval;
mod facts;
mod git;
mod library;
mod roots;
mod tags;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use berth::model::{catalog, ImageRef};

use facts::{Facts, Step};
use git::Sources;
use roots::short;

/// Official images built from Dockerfiles, in the order they are emitted.
const OFFICIAL: &[&str] = &[
    "buildpack-deps",
    "golang",
    "python",
    "node",
    "nginx",
    "eclipse-temurin",
    "rust",
    "ruby",
    "docker",
    "rabbitmq",
    "php",
    "openjdk",
    "httpd",
    "postgres",
    "redis",
];

/// Official images whose older library revisions are read too (their
/// older version lines are still common in FROM lines); the others, with
/// dozens of variants a release, keep to the newest revision.
const HISTORY: &[&str] = &[
    "debian",
    "ubuntu",
    "alpine",
    "busybox",
    "buildpack-deps",
    "golang",
    "python",
    "node",
    "nginx",
    "rust",
    "ruby",
    "openjdk",
    "postgres",
    "redis",
    "httpd",
    "docker",
];

/// Registries that serve another repository's images under its name
/// (the .NET images start from Ubuntu's mirror on Azure).
const ALIASES: &[(&str, &str)] = &[("ubuntu.azurecr.io/ubuntu", "ubuntu")];

/// A family whose facts are its base's plus its own steps.
pub struct Pending {
    /// Repository, variant, tags and source set; the rest is filled in
    /// from the base when resolved.
    pub facts: Facts,
    pub base: Option<String>,
    pub steps: Vec<Step>,
}

struct Args {
    manifest: PathBuf,
    out: PathBuf,
    library_revs: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut manifest = None;
    let mut out = None;
    let mut library_revs = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--manifest" => manifest = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--library-rev" => library_revs.push(value()?),
            "-h" | "--help" => {
                return Err(
                    "usage: berth-catalog --manifest FILE --out FILE [--library-rev REV]...".into(),
                )
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        manifest: manifest.ok_or("--manifest is required")?,
        out: out.ok_or("--out is required")?,
        library_revs,
    })
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("berth-catalog: {e}");
            std::process::exit(2);
        }
    };
    let manifest = std::fs::read_to_string(&args.manifest).unwrap_or_else(|e| {
        eprintln!(
            "berth-catalog: cannot read {}: {e}",
            args.manifest.display()
        );
        std::process::exit(1);
    });
    let sources = Sources::parse(&manifest);
    let families = generate(&sources, &args.library_revs);
    let text = emit::render(&families, &sources);
    if let Err(e) = std::fs::write(&args.out, &text) {
        eprintln!("berth-catalog: cannot write {}: {e}", args.out.display());
        std::process::exit(1);
    }
    eprintln!(
        "berth-catalog: {} families, {} repositories, {} bytes written to {}",
        families.len(),
        families
            .iter()
            .map(|f| &f.repository)
            .collect::<HashSet<_>>()
            .len(),
        text.len(),
        args.out.display()
    );
}

/// Every family of the catalog, resolved and with compact tags.
fn generate(sources: &Sources, library_revs: &[String]) -> Vec<Facts> {
    let mut pending: Vec<Pending> = Vec::new();
    match sources.get("docker-library/official-images") {
        Some(official) => {
            let revs: Vec<String> = if library_revs.is_empty() {
                vec![official.commit.clone()]
            } else {
                library_revs.to_vec()
            };
            let alpine = roots::AlpineAccounts::load(sources);
            if alpine.is_none() {
                eprintln!(
                    "berth-catalog: alpinelinux/alpine-baselayout missing: alpine without users"
                );
            }
            for name in roots::ROOT_REPOSITORIES.iter().chain(OFFICIAL) {
                pending.extend(official_families(
                    sources,
                    official,
                    &revs,
                    name,
                    alpine.as_ref(),
                ));
            }
        }
        None => {
            eprintln!("berth-catalog: docker-library/official-images missing: no official images")
        }
    }
    let distroless_commit = sources
        .get("GoogleContainerTools/distroless")
        .map_or("unknown", |r| r.commit.as_str());
    let tables = roots::distroless(distroless_commit)
        .into_iter()
        .chain(roots::windows())
        .chain(roots::azurelinux())
        .chain(roots::rpm())
        .chain(roots::dotnet_framework());
    pending.extend(tables.map(|facts| Pending {
        facts,
        base: None,
        steps: Vec::new(),
    }));
    match sources.get("dotnet/dotnet-docker") {
        Some(repo) => pending.extend(dotnet::families(repo)),
        None => eprintln!("berth-catalog: dotnet/dotnet-docker missing: no .NET images"),
    }
    let resolved = resolve(&pending);
    finish(resolved)
}

/// The families of one official image from its library file at each
/// revision; a tag belongs to the newest revision's family that lists it.
fn official_families(
    sources: &Sources,
    official: &git::Repo,
    revs: &[String],
    name: &str,
    alpine: Option<&roots::AlpineAccounts>,
) -> Vec<Pending> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut missing_repos: HashSet<String> = HashSet::new();
    for rev in revs {
        let Some(text) = official.show(rev, &format!("library/{name}")) else {
            continue;
        };
        for entry in library::parse(&text) {
            if rev != &revs[0] && !HISTORY.contains(&name) {
                break;
            }
            let tags: Vec<String> = entry
                .all_tags()
                .filter(|t| !taken.contains(*t) && !taken.contains(&tags::line_key(t)))
                .cloned()
                .collect();
            if tags.is_empty() {
                continue;
            }
            if roots::ROOT_REPOSITORIES.contains(&name) {
                let Some(mut facts) = roots::official_root(name, &entry, alpine) else {
                    continue;
                };
                taken.extend(tags.iter().flat_map(|t| [t.clone(), tags::line_key(t)]));
                facts.tags = tags;
                out.push(Pending {
                    facts,
                    base: None,
                    steps: Vec::new(),
                });
                continue;
            }
            let Some(repo) = sources.by_url(&entry.git_repo) else {
                missing_repos.insert(entry.git_repo.clone());
                continue;
            };
            let file = if entry.file.is_empty() {
                "Dockerfile"
            } else {
                &entry.file
            };
            let path = match entry.directory.trim_matches('/') {
                "" | "." => file.to_string(),
                dir => format!("{dir}/{file}"),
            };
            // The commit the library names, else the pinned snapshot's file
            // (a newer library may name a commit the snapshot lacks).
            let (text, commit) = match repo.show(&entry.git_commit, &path) {
                Some(t) => (t, entry.git_commit.as_str()),
                None => match repo.read(&path) {
                    Some(t) => (t, repo.commit.as_str()),
                    None => continue,
                },
            };
            let e = eval::evaluate(&text);
            taken.extend(tags.iter().flat_map(|t| [t.clone(), tags::line_key(t)]));
            let mut facts = Facts::root(catalog::Os::Debian, catalog::Libc::Glibc, None, false);
            facts.repository = name.to_string();
            facts.variant = tags::variant(&entry.tags);
            facts.tags = tags;
            facts.source = format!("{}@{}:{path}", repo.name, short(commit));
            out.push(Pending {
                facts,
                base: e.base,
                steps: e.steps,
            });
        }
    }
    for r in missing_repos {
        eprintln!("berth-catalog: {name}: source {r} not in the manifest, its entries skipped");
    }
    out
}

/// The index of the family `reference` names among `pending`.
fn find_base(pending: &[Pending], reference: &str) -> Option<usize> {
    let image = ImageRef::parse(reference);
    let mut name = catalog::catalog_name(&image);
    if let Some((_, to)) = ALIASES.iter().find(|(from, _)| *from == name) {
        name = to.to_string();
    }
    let tag = image.tag.as_deref().unwrap_or("latest");
    let same_repo = || {
        pending
            .iter()
            .enumerate()
            .filter(|(_, p)| p.facts.repository == name)
    };
    // The .NET Dockerfiles name a full version (`8.0.30-alpine3.24-amd64`)
    // that the published line tag (`8.0-alpine3.24-amd64`) stands for.
    let line = tags::minor_line(tag);
    same_repo()
        .find(|(_, p)| p.facts.tags.iter().any(|t| t == tag))
        .or_else(|| same_repo().find(|(_, p)| p.facts.tags.iter().any(|t| tags::matches(t, tag))))
        .or_else(|| {
            same_repo().find(|(_, p)| p.facts.tags.iter().any(|t| Some(t) == line.as_ref()))
        })
        .map(|(i, _)| i)
}

/// Each family's facts: its base's, resolved first, with its own steps
/// applied. Families whose base is not in the catalog are dropped.
fn resolve(pending: &[Pending]) -> Vec<Option<Facts>> {
    let mut done: Vec<Option<Option<Facts>>> = vec![None; pending.len()];
    for i in 0..pending.len() {
        resolve_one(pending, i, &mut done, 0);
    }
    let mut unresolved: HashMap<String, usize> = HashMap::new();
    for (p, d) in pending.iter().zip(&done) {
        if matches!(d, Some(None)) {
            *unresolved
                .entry(p.base.clone().unwrap_or("scratch".into()))
                .or_default() += 1;
        }
    }
    let mut unresolved: Vec<_> = unresolved.into_iter().collect();
    unresolved.sort();
    for (base, n) in unresolved {
        eprintln!("berth-catalog: base {base} not catalogued: {n} families left out");
    }
    done.into_iter().map(Option::flatten).collect()
}

fn resolve_one(pending: &[Pending], i: usize, done: &mut [Option<Option<Facts>>], depth: usize) {
    if done[i].is_some() {
        return;
    }
    let p = &pending[i];
    let Some(base_ref) = &p.base else {
        // A root from the table, or a Dockerfile `FROM scratch`: only the
        // assembled filesystems (chiseled, distroless) are known.
        let facts = if p.steps.is_empty() {
            Some(p.facts.clone())
        } else if p.facts.variant.contains("chiseled") || p.facts.variant.contains("distroless") {
            let mut f = roots::assembled(&p.facts.variant);
            adopt(&mut f, &p.facts);
            f.apply(&p.steps);
            Some(f)
        } else {
            None
        };
        done[i] = Some(facts);
        return;
    };
    // Mark first: a cycle (never in real sources) resolves to nothing.
    done[i] = Some(None);
    let Some(b) = find_base(pending, base_ref).filter(|&b| b != i && depth < 32) else {
        return;
    };
    resolve_one(pending, b, done, depth + 1);
    let Some(Some(base)) = &done[b] else {
        return;
    };
    let mut f = base.clone();
    adopt(&mut f, &p.facts);
    f.apply(&p.steps);
    done[i] = Some(Some(f));
}

/// Takes the identity (repository, variant, tags, source) of `own`.
fn adopt(f: &mut Facts, own: &Facts) {
    f.repository = own.repository.clone();
    f.variant = own.variant.clone();
    f.tags = own.tags.clone();
    f.source = own.source.clone();
}

/// The resolved families with their tags compacted into patterns.
fn finish(resolved: Vec<Option<Facts>>) -> Vec<Facts> {
    let families: Vec<Facts> = resolved.into_iter().flatten().collect();
    let mut out = Vec::with_capacity(families.len());
    for (i, f) in families.iter().enumerate() {
        let others: Vec<&str> = families
            .iter()
            .enumerate()
            .filter(|(j, o)| *j != i && o.repository == f.repository)
            .flat_map(|(_, o)| o.tags.iter().map(String::as_str))
            .collect();
        let mut f = f.clone();
        f.tags = tags::compact(&f.tags, &others);
        out.push(f);
    }
    out
}
