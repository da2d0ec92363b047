//! Document links: image references to their registry's web page.
//!
//! `FROM` images (after global ARG defaults, when they are fully known) and
//! `COPY --from=` / `RUN --mount=from=` images. Stage names, `scratch` and
//! references whose variables have no known value get no link.

use crate::model::{Base, ImageRef, RefKind, Resolution};
use crate::text::TextRange;

use super::Analysis;

/// A link from a range of the document to a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub range: TextRange,
    pub target: String,
    pub tooltip: String,
}

const DOCKER_HUB: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

/// The web page of an image reference, or `None` when there is no page to
/// open (not an image name, a local registry).
pub fn image_url(reference: &str) -> Option<(String, &'static str)> {
    if !ImageRef::is_plausible(reference) {
        return None;
    }
    let r = ImageRef::parse(reference);
    let repo = r.repository.as_str();
    let registry = r.registry.as_deref().map(str::to_ascii_lowercase);
    let url = match registry.as_deref() {
        None => return Some(docker_hub(repo)),
        Some(h) if DOCKER_HUB.contains(&h) => return Some(docker_hub(repo)),
        Some(h) if h == "localhost" || h.starts_with("localhost:") => return None,
        Some(h) if h.starts_with("127.") || h.starts_with("[") => return None,
        Some("ghcr.io") => (
            format!("https://ghcr.io/{repo}"),
            "GitHub Container Registry",
        ),
        Some("quay.io") => (format!("https://quay.io/repository/{repo}"), "Quay"),
        Some("mcr.microsoft.com") => (
            format!("https://mcr.microsoft.com/artifact/mar/{repo}"),
            "Microsoft Artifact Registry",
        ),
        Some("public.ecr.aws") => (
            format!("https://gallery.ecr.aws/{repo}"),
            "Amazon ECR Public Gallery",
        ),
        Some(h) => (format!("https://{h}/{repo}"), "its registry"),
    };
    Some(url)
}

fn docker_hub(repo: &str) -> (String, &'static str) {
    let official = repo.strip_prefix("library/").unwrap_or(repo);
    if official.contains('/') {
        (format!("https://hub.docker.com/r/{repo}"), "Docker Hub")
    } else {
        (format!("https://hub.docker.com/_/{official}"), "Docker Hub")
    }
}

fn link(range: TextRange, reference: &str) -> Option<Link> {
    let (target, site) = image_url(reference)?;
    let name = ImageRef::parse(reference).repository;
    Some(Link {
        range,
        target,
        tooltip: format!("Open {name} on {site}"),
    })
}

/// Links of the image references in the document, in source order.
pub fn document_links(a: &Analysis) -> Vec<Link> {
    let m = a.model();
    let mut out: Vec<Link> = Vec::new();
    for s in &m.stages {
        if let Base::Image(_) = s.base {
            out.extend(link(s.base_range, &s.base_expanded));
        }
    }
    for r in &m.refs {
        // A bare name in `--from` is far more often a mistyped stage or a
        // named build context than an image: only qualified names link.
        if r.kind != RefKind::From
            && r.resolution == Resolution::Image
            && ImageRef::is_qualified(&r.text)
            && !r.text.contains('$')
        {
            out.extend(link(r.range, &r.text));
        }
    }
    out.sort_by_key(|l| l.range.start);
    out
}

impl Analysis {
    /// Links of the image references (see [`document_links`]).
    pub fn document_links(&self) -> Vec<Link> {
        document_links(self)
    }
}
