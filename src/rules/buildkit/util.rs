//! Helpers shared by the BuildKit checks.

use crate::model::{Base, ImageRef, Model};

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
/// `reference.ParseNormalizedNamed` accepts it (see
/// [`ImageRef::validate`]).
pub fn valid_image_reference(text: &str) -> bool {
    ImageRef::validate(text).is_ok()
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
