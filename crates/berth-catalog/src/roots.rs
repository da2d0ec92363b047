//! Root filesystems: images built from a tarball, not a Dockerfile
//! (debian, ubuntu, alpine, busybox, distroless, Windows). What their
//! filesystem holds comes from this table, each entry naming the source
//! it was read from; their tags come from official-images where the
//! image is an official one.

use berth::model::catalog::{Libc, Os};

use crate::facts::Facts;
use crate::git::Sources;
use crate::library::Entry;

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Debian's base-passwd `passwd.master` (the fixed system users), plus
/// `_apt` (uid 42, which base-passwd reserves for apt's user).
const DEBIAN_USERS: &[(&str, u32)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("sync", 4),
    ("games", 5),
    ("man", 6),
    ("lp", 7),
    ("mail", 8),
    ("news", 9),
    ("uucp", 10),
    ("proxy", 13),
    ("www-data", 33),
    ("backup", 34),
    ("list", 38),
    ("irc", 39),
    ("_apt", 42),
    ("nobody", 65534),
];

/// Debian's base-passwd `group.master`.
const DEBIAN_GROUPS: &[(&str, u32)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("adm", 4),
    ("tty", 5),
    ("disk", 6),
    ("lp", 7),
    ("mail", 8),
    ("news", 9),
    ("uucp", 10),
    ("man", 12),
    ("proxy", 13),
    ("kmem", 15),
    ("dialout", 20),
    ("fax", 21),
    ("voice", 22),
    ("cdrom", 24),
    ("floppy", 25),
    ("tape", 26),
    ("sudo", 27),
    ("audio", 29),
    ("dip", 30),
    ("www-data", 33),
    ("backup", 34),
    ("operator", 37),
    ("list", 38),
    ("irc", 39),
    ("src", 40),
    ("shadow", 42),
    ("utmp", 43),
    ("video", 44),
    ("sasl", 45),
    ("plugdev", 46),
    ("staff", 50),
    ("games", 60),
    ("users", 100),
    ("nogroup", 65534),
];
const DEBIAN_SOURCE: &str = "Debian base-passwd passwd.master/group.master";

/// buildroot's `system/skeleton/etc/passwd` and `group`, which
/// docker-library/busybox's builder copies into the image.
const BUSYBOX_USERS: &[(&str, u32)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("sync", 4),
    ("mail", 8),
    ("www-data", 33),
    ("operator", 37),
    ("nobody", 65534),
];
const BUSYBOX_GROUPS: &[(&str, u32)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("adm", 4),
    ("tty", 5),
    ("disk", 6),
    ("lp", 7),
    ("mail", 8),
    ("kmem", 9),
    ("wheel", 10),
    ("cdrom", 11),
    ("dialout", 18),
    ("floppy", 19),
    ("video", 28),
    ("audio", 29),
    ("tape", 32),
    ("www-data", 33),
    ("operator", 37),
    ("utmp", 43),
    ("plugdev", 46),
    ("staff", 50),
    ("lock", 54),
    ("netdev", 82),
    ("users", 100),
    ("nogroup", 65534),
];

/// distroless `common/variables.bzl` (NONROOT, NOBODY) and the passwd
/// its `base/testdata/base.yaml` expects.
const DISTROLESS_USERS: &[(&str, u32)] = &[("root", 0), ("nonroot", 65532), ("nobody", 65534)];
const DISTROLESS_GROUPS: &[(&str, u32)] = &[
    ("root", 0),
    ("tty", 5),
    ("staff", 50),
    ("nonroot", 65532),
    ("nobody", 65534),
];

/// `name:x:id:...` lines of a passwd or group file.
pub fn id_file(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            let id = f.nth(1)?.parse().ok()?;
            Some((name.to_string(), id))
        })
        .collect()
}

fn owned(ids: &[(&str, u32)]) -> Vec<(String, u32)> {
    ids.iter().map(|(n, i)| (n.to_string(), *i)).collect()
}

/// Alpine's users and groups: alpine-baselayout's own files when the
/// repository is among the sources.
pub struct AlpineAccounts {
    users: Vec<(String, u32)>,
    groups: Vec<(String, u32)>,
    source: String,
}

impl AlpineAccounts {
    pub fn load(sources: &Sources) -> Option<AlpineAccounts> {
        let repo = sources.get("alpinelinux/alpine-baselayout")?;
        Some(AlpineAccounts {
            users: id_file(&repo.read("passwd")?),
            groups: id_file(&repo.read("group")?),
            source: format!("{}@{}:passwd,group", repo.name, short(&repo.commit)),
        })
    }
}

pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// The repositories whose library entries are root filesystems.
pub const ROOT_REPOSITORIES: &[&str] = &["debian", "ubuntu", "alpine", "busybox"];

/// The facts of an official root image's library entry, or `None` for an
/// entry the table does not describe.
pub fn official_root(
    repository: &str,
    entry: &Entry,
    alpine: Option<&AlpineAccounts>,
) -> Option<Facts> {
    let first = entry.tags.first()?;
    let mut f = match repository {
        "debian" => {
            let mut f = Facts::root(Os::Debian, Libc::Glibc, Some("apt-get"), true);
            f.release = first.split('-').next()?.to_string();
            f.variant = variant_of(entry, &["slim", "backports"]);
            f.users = owned(DEBIAN_USERS);
            f.groups = owned(DEBIAN_GROUPS);
            f.cmd = Some(r#"["bash"]"#.into());
            f.source = DEBIAN_SOURCE.into();
            f
        }
        "ubuntu" => {
            let mut f = Facts::root(Os::Ubuntu, Libc::Glibc, Some("apt-get"), true);
            // The codename: the tag that is a word (`noble`), not `24.04`.
            let codename = entry
                .tags
                .iter()
                .map(|t| t.split('-').next().unwrap_or(t))
                .find(|t| t.chars().all(|c| c.is_ascii_lowercase()))
                .unwrap_or(first);
            f.release = codename.to_string();
            f.users = owned(DEBIAN_USERS);
            f.groups = owned(DEBIAN_GROUPS);
            // ubuntu-base has a `ubuntu` user (1000) since 23.04.
            let version = entry.tags.iter().find_map(|t| ubuntu_version(t));
            if version.is_some_and(|v| v >= (23, 4)) {
                f.users.push(("ubuntu".into(), 1000));
                f.groups.push(("ubuntu".into(), 1000));
            }
            f.cmd = Some(r#"["/bin/bash"]"#.into());
            f.source = format!("{DEBIAN_SOURCE}; ubuntu-base (user ubuntu since 23.04)");
            f
        }
        "alpine" => {
            let mut f = Facts::root(Os::Alpine, Libc::Musl, Some("apk"), true);
            f.release = match first.split('.').collect::<Vec<_>>().as_slice() {
                [major, minor, ..] if major.parse::<u32>().is_ok() => format!("{major}.{minor}"),
                _ => "edge".into(),
            };
            if let Some(a) = alpine {
                f.users = a.users.clone();
                f.groups = a.groups.clone();
                f.source = a.source.clone();
            }
            f.cmd = Some(r#"["/bin/sh"]"#.into());
            f
        }
        "busybox" => {
            let variant = variant_of(entry, &["glibc", "uclibc", "musl"]);
            // The default tags (`latest`) are the glibc build.
            let libc = match variant.as_str() {
                "musl" => Libc::Musl,
                "uclibc" => Libc::None,
                _ => Libc::Glibc,
            };
            let mut f = Facts::root(Os::Busybox, libc, None, true);
            f.variant = variant;
            f.release = first.split('-').next()?.to_string();
            f.users = owned(BUSYBOX_USERS);
            f.groups = owned(BUSYBOX_GROUPS);
            f.cmd = Some(r#"["sh"]"#.into());
            f.source = "buildroot system/skeleton/etc/{passwd,group} (docker-library/busybox Dockerfile-builder.template)".into();
            f
        }
        _ => return None,
    };
    f.repository = repository.to_string();
    f.env = vec![("PATH".into(), PATH.into())];
    Some(f)
}

fn ubuntu_version(tag: &str) -> Option<(u32, u32)> {
    let (a, b) = tag.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The first of `suffixes` that ends one of the entry's tags.
fn variant_of(entry: &Entry, suffixes: &[&str]) -> String {
    suffixes
        .iter()
        .find(|s| {
            entry
                .tags
                .iter()
                .any(|t| t == *s || t.ends_with(&format!("-{s}")))
        })
        .map_or(String::new(), |s| s.to_string())
}

/// distroless: `gcr.io/distroless/<name>-<distro>` with tags `latest`,
/// `nonroot`, `debug`, `debug-nonroot`. Only the `debug` images have a
/// shell, busybox's at `/busybox/sh` (so no `/bin/sh`).
pub fn distroless(commit: &str) -> Vec<Facts> {
    let mut names: Vec<(String, &str, Option<&str>)> = Vec::new();
    for distro in ["debian12", "debian13"] {
        for image in ["static", "base", "base-nossl", "cc", "python3"] {
            names.push((format!("{image}-{distro}"), distro, None));
        }
    }
    for (java, distro) in [
        ("java17", "debian12"),
        ("java21", "debian12"),
        ("java17", "debian13"),
        ("java21", "debian13"),
        ("java25", "debian13"),
    ] {
        names.push((
            format!("{java}-{distro}"),
            distro,
            Some(r#"["/usr/bin/java", "-jar"]"#),
        ));
    }
    for (node, distro) in [
        ("nodejs18", "debian12"),
        ("nodejs20", "debian12"),
        ("nodejs22", "debian12"),
        ("nodejs22", "debian13"),
        ("nodejs24", "debian13"),
        ("nodejs26", "debian13"),
    ] {
        names.push((
            format!("{node}-{distro}"),
            distro,
            Some(r#"["/nodejs/bin/node"]"#),
        ));
    }
    // The unsuffixed names were the Debian 12 images.
    for image in ["static", "base", "base-nossl", "cc"] {
        names.push((image.to_string(), "debian12", None));
    }
    let mut out = Vec::new();
    for (name, distro, entrypoint) in names {
        let python = name.starts_with("python3");
        for (tag, debug, nonroot) in [
            ("latest", false, false),
            ("nonroot", false, true),
            ("debug", true, false),
            ("debug-nonroot", true, true),
        ] {
            let static_libc = name.starts_with("static");
            let mut f = Facts::root(
                Os::Distroless,
                if static_libc { Libc::None } else { Libc::Glibc },
                None,
                false,
            );
            f.repository = format!("gcr.io/distroless/{name}");
            f.variant = tag.to_string();
            f.tags = vec![
                tag.to_string(),
                format!("{tag}-amd64"),
                format!("{tag}-arm64"),
            ];
            f.release = distro.to_string();
            let mut path = PATH.to_string();
            if debug {
                path.push_str(":/busybox");
            }
            f.env = vec![
                ("PATH".into(), path),
                (
                    "SSL_CERT_FILE".into(),
                    "/etc/ssl/certs/ca-certificates.crt".into(),
                ),
            ];
            if nonroot {
                f.user = Some("65532".into());
                f.workdir = Some("/home/nonroot".into());
            }
            f.entrypoint = match (debug, entrypoint, python) {
                (true, None, false) => Some(r#"["/busybox/sh"]"#.into()),
                (_, Some(e), _) => Some(e.into()),
                (_, None, true) => Some(r#"["/usr/bin/python3"]"#.into()),
                _ => None,
            };
            f.users = owned(DISTROLESS_USERS);
            f.groups = owned(DISTROLESS_GROUPS);
            f.source = format!(
                "GoogleContainerTools/distroless@{}:common/variables.bzl,static/static.bzl",
                short(commit)
            );
            out.push(f);
        }
    }
    out
}

/// Windows base images: no `/bin/sh` (the shell is cmd or PowerShell), no
/// package manager. Server Core runs as ContainerAdministrator, Nano
/// Server as ContainerUser.
pub fn windows() -> Vec<Facts> {
    // (release, tags) in Microsoft's naming.
    const RELEASES: &[(&str, &[&str])] = &[
        ("ltsc2025", &["ltsc2025", "10.0.26100.*"]),
        ("ltsc2022", &["ltsc2022", "10.0.20348.*"]),
        ("ltsc2019", &["ltsc2019", "1809", "10.0.17763.*"]),
        ("1903", &["1903", "10.0.18362.*"]),
        ("1909", &["1909", "10.0.18363.*"]),
        ("2004", &["2004", "10.0.19041.*"]),
        ("20H2", &["20H2", "10.0.19042.*"]),
        ("1803", &["1803", "10.0.17134.*"]),
        ("1709", &["1709", "10.0.16299.*"]),
        ("ltsc2016", &["ltsc2016", "sac2016", "10.0.14393.*"]),
    ];
    let mut out = Vec::new();
    for (repository, user) in [
        (
            "mcr.microsoft.com/windows/servercore",
            "ContainerAdministrator",
        ),
        ("mcr.microsoft.com/windows/nanoserver", "ContainerUser"),
    ] {
        for (release, tags) in RELEASES {
            let mut f = Facts::root(Os::Windows, Libc::None, None, false);
            f.repository = repository.to_string();
            f.variant = release.to_string();
            f.release = release.to_string();
            f.tags = tags
                .iter()
                .flat_map(|t| [t.to_string(), format!("{t}-amd64")])
                .collect();
            if *release == "ltsc2016" {
                f.tags.push("latest".into());
            }
            f.user = Some(user.to_string());
            f.cmd = Some(r#"["c:\\windows\\system32\\cmd.exe"]"#.into());
            f.source =
                "Microsoft container base images (mcr.microsoft.com/windows): documented defaults"
                    .into();
            out.push(f);
        }
    }
    out
}

/// Azure Linux base/core (the .NET images' third Linux family): tdnf,
/// glibc.
pub fn azurelinux() -> Vec<Facts> {
    ["3.0", "4.0"]
        .iter()
        .map(|release| {
            let mut f = Facts::root(Os::Rpm, Libc::Glibc, Some("tdnf"), true);
            f.repository = "mcr.microsoft.com/azurelinux/base/core".into();
            f.variant = release.to_string();
            f.release = release.to_string();
            f.tags = vec![release.to_string(), format!("{release}.*")];
            f.env = vec![("PATH".into(), PATH.into())];
            f.users = vec![("root".into(), 0), ("nobody".into(), 65534)];
            f.groups = vec![("root".into(), 0), ("nobody".into(), 65534)];
            f.cmd = Some(r#"["/bin/bash"]"#.into());
            f.source = "Azure Linux base/core (mcr.microsoft.com/azurelinux/base/core): documented defaults".into();
            f
        })
        .collect()
}

/// A filesystem assembled from scratch out of packages (Ubuntu chiseled,
/// Azure Linux distroless): no shell, no package manager.
pub fn assembled(release: &str) -> Facts {
    let mut f = Facts::root(Os::Distroless, Libc::Glibc, None, false);
    f.release = release.to_string();
    f.env = vec![("PATH".into(), PATH.into())];
    f.users = vec![("root".into(), 0)];
    f.groups = vec![("root".into(), 0)];
    f
}

/// Red Hat family bases of the Java images: Oracle Linux (official image;
/// `-slim` has microdnf) and Red Hat UBI (`ubiN-minimal`: microdnf).
pub fn rpm() -> Vec<Facts> {
    let mut out = Vec::new();
    let mut push = |repository: &str, tag: &str, release: &str, pm: &str| {
        let mut f = Facts::root(Os::Rpm, Libc::Glibc, Some(pm), true);
        f.repository = repository.to_string();
        f.variant = tag.to_string();
        f.release = release.to_string();
        f.tags = vec![tag.to_string()];
        f.env = vec![("PATH".into(), PATH.into())];
        f.users = vec![("root".into(), 0), ("nobody".into(), 65534)];
        f.groups = vec![("root".into(), 0), ("nobody".into(), 65534)];
        f.cmd = Some(r#"["/bin/bash"]"#.into());
        f.source = "Oracle Linux and Red Hat UBI base images: documented defaults".into();
        out.push(f);
    };
    for v in ["7", "8", "9", "10"] {
        let slim_pm = if v == "7" { "yum" } else { "microdnf" };
        push("oraclelinux", &format!("{v}-slim"), v, slim_pm);
        push("oraclelinux", v, v, if v == "7" { "yum" } else { "dnf" });
    }
    for v in ["8", "9", "10"] {
        push(&format!("redhat/ubi{v}-minimal"), "latest", v, "microdnf");
        push(&format!("redhat/ubi{v}"), "latest", v, "dnf");
    }
    push(
        "mcr.microsoft.com/azurelinux/distroless/minimal",
        "3.0",
        "3.0",
        "",
    );
    out.last_mut().unwrap().package_manager = None;
    out.last_mut().unwrap().has_shell = false;
    out.last_mut().unwrap().os = Os::Distroless;
    out.last_mut().unwrap().cmd = None;
    out
}

/// .NET Framework images (`mcr.microsoft.com/dotnet/framework/*`): Server
/// Core with the framework installed; no `/bin/sh`.
pub fn dotnet_framework() -> Vec<Facts> {
    let mut out = Vec::new();
    for image in ["runtime", "sdk", "aspnet", "wcf"] {
        for version in ["4.8.1", "4.8", "4.7.2", "3.5"] {
            let mut f = Facts::root(Os::Windows, Libc::None, None, false);
            f.repository = format!("mcr.microsoft.com/dotnet/framework/{image}");
            f.variant = version.to_string();
            f.release = "ltsc2022".into();
            f.tags = vec![version.to_string()];
            for windows in ["ltsc2016", "ltsc2019", "ltsc2022", "ltsc2025"] {
                f.tags
                    .push(format!("{version}-windowsservercore-{windows}"));
                f.tags
                    .push(format!("{version}-*-windowsservercore-{windows}"));
            }
            f.user = Some("ContainerAdministrator".into());
            f.source =
                "Microsoft .NET Framework images on Windows Server Core: documented defaults"
                    .into();
            out.push(f);
        }
    }
    out
}
