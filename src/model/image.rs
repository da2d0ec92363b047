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

/// Why BuildKit refuses an image reference (see [`ImageRef::validate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefErrorKind {
    /// Nothing at all (a variable that expands to an empty string).
    Empty,
    /// 64 lower-case hex digits: an image ID, not a name.
    ImageId,
    /// Upper case in the repository path (the registry may have it).
    Uppercase,
    /// The registry part: host name, IPv6 literal or port.
    Registry,
    /// A path component: empty, or not lower-case letters and digits
    /// joined by `.`, `_`, `__` or dashes.
    Path,
    /// The tag: a word character, then at most 127 of `[A-Za-z0-9_.-]`.
    Tag,
    /// The digest does not have the shape `algorithm:hex` (32 or more hex
    /// digits).
    Digest,
    /// A digest algorithm BuildKit does not know.
    DigestAlgorithm,
    /// sha256/sha384/sha512 with the wrong number of hex digits.
    DigestLength,
    /// sha256/sha384/sha512 with upper-case hex digits.
    DigestHex,
    /// The repository path is over 255 bytes.
    TooLong,
}

/// An image reference BuildKit refuses: what is wrong, where in the text
/// (byte range) when one part is to blame, and BuildKit's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefError {
    pub kind: RefErrorKind,
    pub range: Option<std::ops::Range<usize>>,
    /// The error text of `reference.ParseNormalizedNamed` (for `Empty`,
    /// the Dockerfile frontend's own check).
    pub buildkit: String,
}

impl RefError {
    /// What is wrong, in a few words for a diagnostic.
    pub fn reason(&self) -> &'static str {
        match self.kind {
            RefErrorKind::Empty => "the image name is empty",
            RefErrorKind::ImageId => "a 64-digit hex string is an image ID, not a repository name",
            RefErrorKind::Uppercase => "the repository name must be lower case",
            RefErrorKind::Registry => "the registry is not a valid host name, IP address or port",
            RefErrorKind::Path => {
                "a repository path component must be lower-case letters and digits, \
                 separated by `.`, `_`, `__` or dashes"
            }
            RefErrorKind::Tag => {
                "the tag must be a letter, digit or `_` followed by at most 127 letters, digits, `_`, `.` or `-`"
            }
            RefErrorKind::Digest => "the digest must be `algorithm:hex` with at least 32 hex digits",
            RefErrorKind::DigestAlgorithm => {
                "the digest algorithm is not supported (sha256, sha384 or sha512)"
            }
            RefErrorKind::DigestLength => {
                "the digest has the wrong length for its algorithm (sha256 takes 64 hex digits)"
            }
            RefErrorKind::DigestHex => "the digest's hex digits must be lower case",
            RefErrorKind::TooLong => "the repository name is longer than 255 characters",
        }
    }
}

/// Longest repository path BuildKit accepts (`library/` counted for
/// Docker Hub's official images).
const PATH_MAX: usize = 255;

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or more `-`.
fn path_component_ok(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

/// A host name (labels of letters, digits and inner dashes, either case),
/// an IPv4 address in that shape, or an IPv6 literal in brackets; then an
/// optional `:port`.
fn registry_ok(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else {
            return false;
        };
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            p => match p.strip_prefix(':') {
                Some(p) => (None, Some(p)),
                None => return false,
            },
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(d), None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    host.is_none_or(|h| {
        h.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        })
    })
}

fn tag_ok(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

/// The reference grammar's digest: `[A-Za-z][A-Za-z0-9]*` components
/// joined by one of `-_+.`, a colon, 32 or more hex digits of either case.
fn digest_shape_ok(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|part| {
        let b = part.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(|x| x.is_ascii_alphanumeric())
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// go-digest's check of a digest that has the grammar's shape: a known
/// algorithm (exact spelling), its length, lower-case hex.
fn digest_check(d: &str) -> Result<(), (RefErrorKind, &'static str)> {
    let (alg, hex) = d.split_once(':').unwrap_or((d, ""));
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            // go-digest's own shape for unknown algorithms: lower case.
            let lower_alg = alg.split(['.', '+', '_', '-']).all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            return Err(if lower_alg {
                (
                    RefErrorKind::DigestAlgorithm,
                    "unsupported digest algorithm",
                )
            } else {
                (RefErrorKind::DigestHex, "invalid checksum digest format")
            });
        }
    };
    if hex.len() != len {
        return Err((RefErrorKind::DigestLength, "invalid checksum digest length"));
    }
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err((RefErrorKind::DigestHex, "invalid checksum digest format"));
    }
    Ok(())
}

impl ImageRef {
    /// Check `text` the way BuildKit's Dockerfile frontend checks a `FROM`
    /// image after expanding its ARGs (`reference.ParseNormalizedNamed`
    /// of github.com/distribution/reference, digests checked by
    /// go-digest). `scratch` passes as any name does: telling it apart is
    /// the caller's business. Ranges are byte ranges inside `text`.
    pub fn validate(text: &str) -> Result<(), RefError> {
        let err = |kind, range: Option<std::ops::Range<usize>>, buildkit: String| {
            Err(RefError {
                kind,
                range,
                buildkit,
            })
        };
        let format = |kind, range: Option<std::ops::Range<usize>>| {
            err(kind, range, "invalid reference format".to_string())
        };
        if text.is_empty() {
            return format(RefErrorKind::Empty, None);
        }
        if text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return err(
                RefErrorKind::ImageId,
                Some(0..text.len()),
                format!(
                    "invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"
                ),
            );
        }
        // Where Docker Hub's defaults apply: the first component is the
        // registry when it is `localhost`, has a `.` or `:`, or has upper
        // case; a single component is an official image (`library/`).
        let (registry, rest) = match text.find('/') {
            Some(i) => {
                let first = &text[..i];
                if first == "localhost"
                    || first.contains(['.', ':'])
                    || first.to_lowercase() != first
                {
                    (Some(0..i), i + 1)
                } else {
                    (None, 0)
                }
            }
            None => (None, 0),
        };
        let hub = registry
            .as_ref()
            .is_none_or(|r| matches!(&text[r.clone()], "docker.io" | "index.docker.io"));
        let prefix = if hub && !text[rest..].contains('/') {
            "library/"
        } else {
            ""
        };
        // The repository path up to the first colon must be lower case.
        let remote_end = text[rest..].find(':').map_or(text.len(), |i| rest + i);
        let remote = &text[rest..remote_end];
        if remote.to_lowercase() != remote {
            return err(
                RefErrorKind::Uppercase,
                Some(rest..remote_end),
                format!("invalid reference format: repository name ({prefix}{remote}) must be lowercase"),
            );
        }
        // name[:tag][@digest]
        let (name_tag_end, digest) = match text.find('@') {
            Some(at) => (at, Some(at + 1..text.len())),
            None => (text.len(), None),
        };
        let last_slash = text[..name_tag_end].rfind('/').map_or(0, |i| i + 1);
        let (name_end, tag) = match text[last_slash..name_tag_end].find(':') {
            Some(i) => (last_slash + i, Some(last_slash + i + 1..name_tag_end)),
            None => (name_tag_end, None),
        };
        // The registry may also read as a path component (`a_b.c/x`); the
        // grammar takes it as a registry when it can.
        let mut path_start = rest;
        if let Some(r) = &registry {
            let first = &text[r.clone()];
            if !registry_ok(first) {
                if path_component_ok(first) {
                    path_start = 0;
                } else {
                    return format(RefErrorKind::Registry, Some(r.clone()));
                }
            }
        }
        let mut start = path_start;
        for component in text[path_start..name_end].split('/') {
            if !path_component_ok(component) {
                let range = if !component.is_empty() {
                    Some(start..start + component.len())
                } else if start < name_end {
                    // The slash after the empty component.
                    Some(start..start + 1)
                } else if start > path_start {
                    // A trailing slash.
                    Some(start - 1..start)
                } else {
                    None
                };
                return format(RefErrorKind::Path, range);
            }
            start += component.len() + 1;
        }
        if let Some(t) = &tag {
            if !tag_ok(&text[t.clone()]) {
                return format(RefErrorKind::Tag, Some(t.clone()));
            }
        }
        if let Some(d) = &digest {
            if !digest_shape_ok(&text[d.clone()]) {
                return format(RefErrorKind::Digest, Some(d.clone()));
            }
        }
        if prefix.len() + name_end - path_start > PATH_MAX {
            return err(
                RefErrorKind::TooLong,
                Some(path_start..name_end),
                format!("repository name must not be more than {PATH_MAX} characters"),
            );
        }
        if let Some(d) = &digest {
            if let Err((kind, msg)) = digest_check(&text[d.clone()]) {
                return err(kind, Some(d.clone()), msg.to_string());
            }
        }
        Ok(())
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

    fn kind(text: &str) -> Option<RefErrorKind> {
        ImageRef::validate(text).err().map(|e| e.kind)
    }

    fn hex(n: usize) -> String {
        "0123456789abcdef".chars().cycle().take(n).collect()
    }

    #[test]
    fn references_buildkit_accepts() {
        let sha = hex(64);
        for ok in [
            "alpine",
            "alpine:3.20",
            "library/debian",
            "docker.io/library/debian",
            "index.docker.io/debian",
            "ghcr.io/owner/app:1.2",
            // Path components: `.`, `_`, `__`, runs of `-`.
            "docker---rules/docker",
            "dock__er/docker",
            "a.b_c-d/e",
            "d/x",
            // A 64-character name that is not all hex is a name.
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            // Registries: localhost, ports, IPv4, IPv6 in brackets, upper case.
            "localhost/debian",
            "localhost:5000/a/b",
            "127.0.0.1:5000/docker/docker",
            "[fc00::1]:5000/docker",
            "[2001:db8::1]/repo",
            "LOCALDOMAIN/debian",
            "Docker/docker",
            "xn--n3h.com/myimage:xn--n3h.com",
            // Without a slash the whole word is the repository: `host:port`
            // alone is a name and a tag.
            "192.168.0.1",
            "192.168.0.1:80",
            "localhost:5000",
            // Tags: word characters, `.` and `-`, upper case allowed.
            "lowercase:Uppercase",
            "busybox:_x",
            // A registry that is no host name but reads as a path component.
            "foo/foo_bar.com:8080",
            // Shortest allowed tag and the longest.
            "a:b",
            "scratch",
        ] {
            assert_eq!(ImageRef::validate(ok), Ok(()), "{ok}");
        }
        let long_tag = format!("a:{}", "t".repeat(128));
        assert_eq!(kind(&long_tag), None);
        assert_eq!(kind(&format!("localhost:5000/a/b:1@sha256:{sha}")), None);
        assert_eq!(kind(&format!("a@sha384:{}", hex(96))), None);
        assert_eq!(kind(&format!("a@sha512:{}", hex(128))), None);
        // 255 bytes of path after a registry is the limit.
        assert_eq!(kind(&format!("example.com/{}:tag", "a".repeat(255))), None);
    }

    #[test]
    fn references_buildkit_refuses() {
        for (bad, want) in [
            ("", RefErrorKind::Empty),
            ("REPLACE-ME", RefErrorKind::Uppercase),
            ("Ubuntu:22.04", RefErrorKind::Uppercase),
            ("docker/Docker", RefErrorKind::Uppercase),
            ("test:5000/Uppercase/lowercase:tag", RefErrorKind::Uppercase),
            // An upper-case first component is the registry: the rest is
            // the repository, upper case again.
            ("MyOrg/App", RefErrorKind::Uppercase),
            ("-docker", RefErrorKind::Path),
            ("docker-/docker", RefErrorKind::Path),
            ("____/____", RefErrorKind::Path),
            // A first component with a dot is read as a registry.
            ("dock..er/docker", RefErrorKind::Registry),
            ("dock_.er/docker", RefErrorKind::Registry),
            ("docker/dock..er", RefErrorKind::Path),
            ("docker/dock-.er", RefErrorKind::Path),
            ("dock___er/docker", RefErrorKind::Path),
            ("docker///docker", RefErrorKind::Path),
            ("docker/", RefErrorKind::Path),
            ("aa/asdf$$^/aa", RefErrorKind::Path),
            (":justtag", RefErrorKind::Path),
            ("https://github.com/docker/docker", RefErrorKind::Registry),
            ("-docker.io/docker/docker", RefErrorKind::Registry),
            ("fc00::1:5000/debian", RefErrorKind::Registry),
            ("[fe80::1%eth0]:5000/debian", RefErrorKind::Registry),
            (
                "[2001:db8:3:4::192.0.2.33]:5000/debian",
                RefErrorKind::Registry,
            ),
            ("ghcr.io:/x", RefErrorKind::Registry),
            // An IPv6 literal alone is no repository.
            ("[fc00::1]:5000", RefErrorKind::Path),
            ("busybox:", RefErrorKind::Tag),
            ("alpine:bad tag", RefErrorKind::Tag),
            ("alpine:-1", RefErrorKind::Tag),
            ("alpine:1:2", RefErrorKind::Tag),
            ("a@sha256:short", RefErrorKind::Digest),
            ("a@", RefErrorKind::Digest),
        ] {
            assert_eq!(kind(bad), Some(want), "{bad:?}");
        }
        assert_eq!(kind(&hex(64)), Some(RefErrorKind::ImageId));
        assert_eq!(kind(&format!("docker.io/{}", hex(64))), None);
        assert_eq!(
            kind(&format!("a:{}", "t".repeat(129))),
            Some(RefErrorKind::Tag)
        );
        // Over the limit: 256 after a registry, or 248 plus Docker Hub's
        // `library/`.
        assert_eq!(
            kind(&format!("domain/{}:tag", "a".repeat(256))),
            Some(RefErrorKind::TooLong)
        );
        assert_eq!(kind(&"a".repeat(247)), None);
        assert_eq!(kind(&"a".repeat(248)), Some(RefErrorKind::TooLong));
        // Digests: the grammar wants 32 hex digits or more; go-digest
        // then wants the algorithm's length, lower-case hex, and an
        // algorithm it knows.
        assert_eq!(
            kind(&format!("repo@sha256:{}", hex(34))),
            Some(RefErrorKind::DigestLength)
        );
        assert_eq!(
            kind(&format!("repo@sha256:{}", hex(64).to_uppercase())),
            Some(RefErrorKind::DigestHex)
        );
        assert_eq!(
            kind(&format!("repo@md5:{}", hex(32))),
            Some(RefErrorKind::DigestAlgorithm)
        );
        assert_eq!(
            kind(&format!("repo:1@Sha256:{}", hex(64))),
            Some(RefErrorKind::DigestHex)
        );
        assert_eq!(
            kind(&format!("a@sha256:{}@sha256:{}", hex(64), hex(64))),
            Some(RefErrorKind::Digest)
        );
    }

    #[test]
    fn errors_say_where_and_what_buildkit_says() {
        let e = ImageRef::validate("REPLACE-ME").unwrap_err();
        assert_eq!(e.range, Some(0..10));
        assert_eq!(
            e.buildkit,
            "invalid reference format: repository name (library/REPLACE-ME) must be lowercase"
        );
        let e = ImageRef::validate("ghcr.io/Owner/app:1").unwrap_err();
        assert_eq!(e.range, Some(8..17));
        assert_eq!(
            e.buildkit,
            "invalid reference format: repository name (Owner/app) must be lowercase"
        );
        let e = ImageRef::validate("alpine:bad tag").unwrap_err();
        assert_eq!((e.kind, e.range), (RefErrorKind::Tag, Some(7..14)));
        assert_eq!(e.buildkit, "invalid reference format");
        let e = ImageRef::validate("a/b//c").unwrap_err();
        assert_eq!(e.range, Some(4..5));
        let e = ImageRef::validate("a/b/").unwrap_err();
        assert_eq!(e.range, Some(3..4));
        let e = ImageRef::validate("a@sha256:short").unwrap_err();
        assert_eq!(e.range, Some(2..14));
        let e = ImageRef::validate(&format!("a@sha256:{}", hex(40))).unwrap_err();
        assert_eq!(e.buildkit, "invalid checksum digest length");
        let e = ImageRef::validate(&hex(64)).unwrap_err();
        assert!(e
            .buildkit
            .contains("cannot specify 64-byte hexadecimal strings"));
    }
}
