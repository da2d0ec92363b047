//! Image references: `[registry/]repository[:tag][@digest]`.

/// An image reference split into its parts (no normalisation beyond that).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// `ghcr.io`, `localhost:5000`; `None` means Docker Hub.
    pub registry: Option<String>,
    /// `library/golang` is written `golang`: kept as written.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str) -> ImageRef {
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (text, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (
                &name[..last_slash + i],
                Some(name[last_slash + i + 1..].to_string()),
            ),
            None => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, name.to_string()),
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// Whether `text` could be an image reference at all (lower-case
    /// repository path components, optional tag and digest).
    pub fn is_plausible(text: &str) -> bool {
        let r = ImageRef::parse(text);
        !r.repository.is_empty()
            && r.repository.split('/').all(|c| {
                !c.is_empty()
                    && c.chars().all(|ch| {
                        ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch)
                    })
            })
            && r.tag.as_deref().is_none_or(|t| {
                !t.is_empty()
                    && t.len() <= 128
                    && t.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            })
    }

    /// Whether the reference looks qualified beyond a bare name: it has a
    /// registry, a path, a tag or a digest.
    pub fn is_qualified(text: &str) -> bool {
        text.contains(['/', ':', '@'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("golang:1.23-alpine");
        assert_eq!(r.registry, None);
        assert_eq!(r.repository, "golang");
        assert_eq!(r.tag.as_deref(), Some("1.23-alpine"));
        assert!(ImageRef::is_plausible("ghcr.io/x/y:1"));
        assert!(!ImageRef::is_plausible("Builder"));
    }
}
