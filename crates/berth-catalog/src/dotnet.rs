//! dotnet/dotnet-docker: `mcr.microsoft.com/dotnet/{runtime-deps,runtime,
//! aspnet,sdk}`, one Dockerfile per version, OS and architecture under
//! `src/<image>/<version>/<os>/<arch>/`. The published tags follow the
//! directory names (`8.0-bookworm-slim`, `8.0.x-alpine3.20`); `8.0`
//! alone is the version's default Linux (Debian for 8 and 9, Ubuntu from
//! 10), `latest` the newest release that is not a preview.

use crate::eval;
use crate::facts::Facts;
use crate::git::Repo;
use crate::roots::short;
use crate::Pending;

const IMAGES: &[&str] = &["runtime-deps", "runtime", "aspnet", "sdk"];
/// The default Linux, in order of preference.
const DEFAULTS: &[&str] = &["bookworm-slim", "trixie-slim", "noble", "resolute"];

pub fn families(repo: &Repo) -> Vec<Pending> {
    let mut out = Vec::new();
    for image in IMAGES {
        let mut versions: Vec<String> = repo.list(&format!("src/{image}"));
        versions.sort_by_key(|v| version_key(v));
        versions.reverse();
        let mut latest_taken = false;
        for version in &versions {
            let oses = repo.list(&format!("src/{image}/{version}"));
            let default = DEFAULTS.iter().find(|d| oses.iter().any(|o| o == *d));
            for os in &oses {
                let path = format!("src/{image}/{version}/{os}/amd64/Dockerfile");
                let Some(text) = repo.read(&path) else {
                    continue;
                };
                let mut tags = vec![
                    format!("{version}-{os}"),
                    format!("{version}.*-{os}"),
                    format!("{version}-{os}-amd64"),
                    format!("{version}.*-{os}-amd64"),
                ];
                // `8.0-alpine` is the version's newest Alpine.
                if let Some(suffix) = newest_alpine(&oses, os) {
                    tags.extend([
                        format!("{version}-alpine{suffix}"),
                        format!("{version}-alpine{suffix}-amd64"),
                    ]);
                }
                if default.is_some_and(|d| d == os) {
                    tags.extend([version.clone(), format!("{version}.*")]);
                    let preview = text.contains("-preview.") || text.contains("-rc.");
                    if !preview && !latest_taken {
                        tags.push("latest".into());
                        latest_taken = true;
                    }
                }
                let mut facts = Facts::root(
                    berth::model::catalog::Os::Debian,
                    berth::model::catalog::Libc::Glibc,
                    None,
                    false,
                );
                facts.repository = format!("mcr.microsoft.com/dotnet/{image}");
                facts.variant = os.clone();
                facts.tags = tags;
                facts.source = format!("{}@{}:{path}", repo.name, short(&repo.commit));
                let e = eval::evaluate(&text);
                out.push(Pending {
                    facts,
                    base: e.base,
                    steps: e.steps,
                });
            }
        }
    }
    out
}

/// `Some(suffix)` when `os` (`alpine3.24-extra`) is the newest Alpine
/// among `oses` with the same suffix (`-extra`).
fn newest_alpine(oses: &[String], os: &str) -> Option<String> {
    let split = |o: &str| -> Option<(Vec<u32>, String)> {
        let rest = o.strip_prefix("alpine")?;
        let end = rest.find('-').unwrap_or(rest.len());
        Some((version_key(&rest[..end]), rest[end..].to_string()))
    };
    let (version, suffix) = split(os)?;
    let newest = oses
        .iter()
        .filter_map(|o| split(o))
        .filter(|(_, s)| *s == suffix)
        .map(|(v, _)| v)
        .max()?;
    (newest == version).then_some(suffix)
}

fn version_key(v: &str) -> Vec<u32> {
    v.split('.').filter_map(|p| p.parse().ok()).collect()
}
