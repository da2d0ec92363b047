//! Helpers shared by the BuildKit checks.

use crate::model::{Base, Model};

/// `stage` and the stages it is built `FROM`, nearest first.
pub fn chain(m: &Model, stage: usize) -> impl Iterator<Item = usize> + '_ {
    let mut next = (stage < m.stages.len()).then_some(stage);
    let mut steps = 0;
    std::iter::from_fn(move || {
        let s = next?;
        steps += 1;
        next = match m.stages.get(s).map(|st| &st.base) {
            Some(Base::Stage(b)) if *b < s && steps <= m.stages.len() => Some(*b),
            _ => None,
        };
        Some(s)
    })
}

/// What the first stage of `stage`'s chain is built on.
pub fn root_base(m: &Model, stage: usize) -> Option<&Base> {
    let root = chain(m, stage).last()?;
    m.stages.get(root).map(|s| &s.base)
}

/// A platform as containerd's `platforms.Parse` reads it: `(os, arch)`,
/// normalised. `arch` is `None` when only an OS was given (BuildKit then
/// uses the build host's architecture). `None` when it does not parse.
pub fn parse_platform(spec: &str) -> Option<(String, Option<String>)> {
    if spec.contains('*') {
        return None;
    }
    let parts: Vec<&str> = spec.splitn(4, '/').collect();
    let os_part = parts.first()?;
    let os_name = os_part.split('(').next().unwrap_or("");
    let os_ok = !os_name.is_empty()
        && os_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && (os_name.len() == os_part.len()
            || os_part[os_name.len()..].starts_with('(') && os_part.ends_with(')'));
    if !os_ok {
        return None;
    }
    let component = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    };
    if !parts[1..].iter().all(|p| component(p)) {
        return None;
    }
    let os = match os_name.to_ascii_lowercase().as_str() {
        "macos" => "darwin".to_string(),
        o => o.to_string(),
    };
    match parts.len() {
        1 if KNOWN_OS.contains(&os.as_str()) => Some((os, None)),
        1 => {
            let arch = normalize_arch(parts[0]);
            KNOWN_ARCH
                .contains(&arch.as_str())
                .then(|| ("linux".to_string(), Some(arch)))
        }
        2 | 3 => Some((os, Some(normalize_arch(parts[1])))),
        _ => None,
    }
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];

const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "ppc64",
    "ppc64le",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

fn normalize_arch(arch: &str) -> String {
    match arch.to_ascii_lowercase().as_str() {
        "i386" => "386".into(),
        "x86_64" | "x86-64" | "amd64" => "amd64".into(),
        "aarch64" | "arm64" => "arm64".into(),
        "armhf" | "armel" | "arm" => "arm".into(),
        a => a.into(),
    }
}

/// Whether `text` is a valid image reference as BuildKit's
/// `reference.ParseNormalizedNamed` accepts it:
/// `[host[:port]/]path[:tag][@algorithm:hex]`, path components lower case.
pub fn valid_image_reference(text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    // A bare 64-hex string would be read as an image ID.
    if text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return false;
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    if let Some(d) = digest {
        if !valid_digest(d) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let mut chars = t.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !first_ok
            || t.len() > 128
            || !chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return false;
        }
    }
    if name.is_empty() || name.len() > 255 {
        return false;
    }
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if let Some(d) = domain {
        if !valid_domain(d) {
            return false;
        }
    }
    !path.is_empty() && path.split('/').all(valid_path_component)
}

fn valid_path_component(c: &str) -> bool {
    // [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
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
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        // IPv6 literal.
        let Some((addr, after)) = rest.split_once(']') else {
            return false;
        };
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            p => (None, p.strip_prefix(':')),
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
        !h.is_empty()
            && h.split('.').all(|label| {
                let b = label.as_bytes();
                !b.is_empty()
                    && b[0].is_ascii_alphanumeric()
                    && b[b.len() - 1].is_ascii_alphanumeric()
                    && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
            })
    })
}

fn valid_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|part| {
        let mut cs = part.chars();
        cs.next().is_some_and(|c| c.is_ascii_alphabetic()) && cs.all(|c| c.is_ascii_alphanumeric())
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        assert_eq!(
            parse_platform("linux/amd64"),
            Some(("linux".into(), Some("amd64".into())))
        );
        assert_eq!(
            parse_platform("Linux/x86_64"),
            Some(("linux".into(), Some("amd64".into())))
        );
        assert_eq!(
            parse_platform("linux/arm64/v8"),
            Some(("linux".into(), Some("arm64".into())))
        );
        assert_eq!(parse_platform("linux"), Some(("linux".into(), None)));
        assert_eq!(
            parse_platform("aarch64"),
            Some(("linux".into(), Some("arm64".into())))
        );
        assert_eq!(parse_platform("nonsense"), None);
        assert_eq!(parse_platform("linux/"), None);
        assert_eq!(parse_platform("linux/*"), None);
        assert_eq!(parse_platform("a/b/c/d"), None);
        assert_eq!(
            parse_platform("windows(10.0.17763)/amd64"),
            Some(("windows".into(), Some("amd64".into())))
        );
    }

    #[test]
    fn references() {
        for ok in [
            "busybox",
            "busybox:latest",
            "scratch",
            "ghcr.io/owner/app:1.2",
            "localhost:5000/a/b",
            "a__b/c-d--e",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/x",
        ] {
            assert!(valid_image_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "busybox:",
            "Busybox",
            ":latest",
            "a/",
            "a..b",
            "nginx@sha256:xyz",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io:/x",
            "-a",
        ] {
            assert!(!valid_image_reference(bad), "{bad}");
        }
    }
}
