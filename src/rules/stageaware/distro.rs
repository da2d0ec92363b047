//! Which Linux distribution a base image is, from its name and tag.
//!
//! Only what the name says for sure: `alpine` in the name or a tag token
//! starting with `alpine`, Debian and Ubuntu release code names, the
//! RPM-based distributions by name, and the official language images
//! that are Debian unless their tag names another variant.

use crate::model::catalog;
use crate::model::fs::{self, Fs};
use crate::model::{Base, ImageRef, Model};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distro {
    /// Debian or Ubuntu: apt-get, apt, dpkg.
    Debian,
    Alpine,
    /// Fedora, CentOS, RHEL/UBI, Rocky, Alma, Amazon Linux, Oracle Linux.
    Rpm,
    Suse,
    Arch,
}

impl Distro {
    pub fn name(self) -> &'static str {
        match self {
            Distro::Debian => "Debian/Ubuntu",
            Distro::Alpine => "Alpine",
            Distro::Rpm => "an RPM-based distribution",
            Distro::Suse => "SUSE",
            Distro::Arch => "Arch Linux",
        }
    }

    /// The package manager command to suggest.
    pub fn manager(self) -> &'static str {
        match self {
            Distro::Debian => "apt-get",
            Distro::Alpine => "apk",
            Distro::Rpm => "dnf (or yum, microdnf)",
            Distro::Suse => "zypper",
            Distro::Arch => "pacman",
        }
    }
}

/// The distribution a package manager program belongs to.
pub fn manager_distro(program: &str) -> Option<Distro> {
    Some(match program {
        "apt-get" | "apt" | "aptitude" => Distro::Debian,
        "apk" => Distro::Alpine,
        "yum" | "dnf" | "microdnf" => Distro::Rpm,
        "zypper" => Distro::Suse,
        "pacman" => Distro::Arch,
        _ => return None,
    })
}

const DEBIAN_CODENAMES: &[&str] = &[
    "bookworm", "bullseye", "buster", "stretch", "jessie", "trixie", "forky", "sid",
];
const UBUNTU_CODENAMES: &[&str] = &[
    "noble", "jammy", "focal", "bionic", "xenial", "trusty", "oracular", "plucky", "questing",
    "mantic", "lunar", "kinetic", "impish", "hirsute", "groovy",
];
/// Official images built on Debian (or Ubuntu) unless the tag says otherwise.
const DEBIAN_DEFAULT: &[&str] = &[
    "golang",
    "node",
    "python",
    "ruby",
    "php",
    "rust",
    "perl",
    "gcc",
    "buildpack-deps",
    "haskell",
    "elixir",
    "erlang",
    "julia",
    "r-base",
    "httpd",
    "nginx",
    "postgres",
    "redis",
    "wordpress",
    "eclipse-temurin",
];

fn from_token(t: &str) -> Option<Option<Distro>> {
    // Some(None): a variant berth does not model (Windows, distroless).
    if t.starts_with("alpine") {
        return Some(Some(Distro::Alpine));
    }
    if DEBIAN_CODENAMES.contains(&t)
        || UBUNTU_CODENAMES.contains(&t)
        || t == "debian"
        || t == "ubuntu"
    {
        return Some(Some(Distro::Debian));
    }
    if t.starts_with("windowsservercore")
        || t.starts_with("nanoserver")
        || t.starts_with("ltsc")
        || t == "distroless"
        || t == "chiseled"
        || t.starts_with("azurelinux")
        || t == "mariner"
        || t.starts_with("photon")
        || t == "musl"
        || t == "uclibc"
        || t == "glibc"
    {
        return Some(None);
    }
    let rpm = [
        "ubi",
        "amazoncorretto",
        "corretto",
        "al2",
        "al2023",
        "oraclelinux",
        "centos",
        "rockylinux",
        "almalinux",
        "fedora",
    ];
    if rpm.iter().any(|p| {
        t.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()))
    }) {
        return Some(Some(Distro::Rpm));
    }
    None
}

/// The distribution of an image: what berth's catalog knows of its very
/// tag, else what its name or tag says.
pub fn image_distro(img: &ImageRef) -> Option<Distro> {
    if let Some(f) = catalog::lookup(img) {
        return catalog_distro(f);
    }
    name_distro(img)
}

/// The distribution whose package manager a catalogued image has
/// (distroless, busybox and Windows have none of them).
fn catalog_distro(f: &catalog::ImageFacts) -> Option<Distro> {
    match f.package_manager? {
        "apt-get" | "apt" => Some(Distro::Debian),
        // Wolfi has apk too; its packages are its own, but the command is.
        "apk" => Some(Distro::Alpine),
        // Azure Linux's tdnf is not modelled (its suggestions would be wrong).
        "dnf" | "microdnf" | "yum" => Some(Distro::Rpm),
        "zypper" => Some(Distro::Suse),
        "pacman" => Some(Distro::Arch),
        _ => None,
    }
}

/// The distribution of an image, when its name or tag says it.
fn name_distro(img: &ImageRef) -> Option<Distro> {
    let mut found: Option<Distro> = None;
    let mut note = |d: Option<Distro>| -> bool {
        match (d, found) {
            (None, _) => false,
            (Some(d), Some(f)) if d != f => false,
            (Some(d), _) => {
                found = Some(d);
                true
            }
        }
    };
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    for t in tag.split(['-', '_']) {
        if let Some(d) = from_token(t) {
            if !note(d) {
                return None;
            }
        }
    }
    let repo = img.repository.to_ascii_lowercase();
    for component in repo.split('/') {
        for t in component.split('-') {
            let d = match t {
                "alpine" => Some(Distro::Alpine),
                "debian" | "ubuntu" => Some(Distro::Debian),
                "fedora" | "centos" | "rockylinux" | "almalinux" | "amazonlinux"
                | "oraclelinux" | "ubi" | "ubi8" | "ubi9" | "ubi10" | "rhel" => Some(Distro::Rpm),
                "opensuse" | "leap" | "tumbleweed" | "sles" | "bci" => Some(Distro::Suse),
                "archlinux" => Some(Distro::Arch),
                "distroless" | "busybox" | "windows" | "nanoserver" | "servercore" => return None,
                _ => continue,
            };
            if !note(d) {
                return None;
            }
        }
    }
    if found.is_some() {
        return found;
    }
    let official = fs::official_name(img);
    let dotnet = img.registry.as_deref() == Some("mcr.microsoft.com")
        && matches!(
            repo.as_str(),
            "dotnet/sdk" | "dotnet/aspnet" | "dotnet/runtime" | "dotnet/runtime-deps"
        );
    if dotnet || official.is_some_and(|n| DEBIAN_DEFAULT.contains(&n)) {
        return Some(Distro::Debian);
    }
    if official.is_some() && tag.split('-').any(|t| t == "slim") {
        return Some(Distro::Debian);
    }
    None
}

/// The distribution of the image a stage is built on (following
/// `FROM <stage>`), with that image.
pub fn stage_distro<'m>(m: &'m Model, fs: &Fs, stage: usize) -> Option<(Distro, &'m ImageRef)> {
    let root = m.stages.get(*fs.chain(stage).first()?)?;
    match &root.base {
        // `FROM node:${TAG}`: a build argument may pick another variant.
        Base::Image(_) if root.base_text.contains('$') => None,
        Base::Image(img) => image_distro(img).map(|d| (d, img)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Distro> {
        image_distro(&ImageRef::parse(s))
    }

    #[test]
    fn distros_from_names_and_tags() {
        use Distro::*;
        assert_eq!(d("alpine:3.20"), Some(Alpine));
        assert_eq!(d("golang:1.23-alpine3.20"), Some(Alpine));
        assert_eq!(d("golang:1.23"), Some(Debian));
        assert_eq!(d("node:lts-slim"), Some(Debian));
        assert_eq!(d("python:3.12-slim-bookworm"), Some(Debian));
        assert_eq!(d("ubuntu:24.04"), Some(Debian));
        assert_eq!(d("eclipse-temurin:21-jdk-jammy"), Some(Debian));
        assert_eq!(d("eclipse-temurin:21-jdk-ubi9-minimal"), Some(Rpm));
        assert_eq!(
            d("registry.access.redhat.com/ubi9/ubi-minimal:9.4"),
            Some(Rpm)
        );
        assert_eq!(d("fedora:40"), Some(Rpm));
        assert_eq!(d("mcr.microsoft.com/dotnet/sdk:8.0"), Some(Debian));
        assert_eq!(d("mcr.microsoft.com/dotnet/sdk:8.0-alpine"), Some(Alpine));
        assert_eq!(d("mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0"), None);
        assert_eq!(d("golang:1.23-windowsservercore-ltsc2022"), None);
        assert_eq!(d("ghcr.io/me/app:1"), None);
        assert_eq!(
            d("openjdk:17"),
            Some(Rpm),
            "oraclelinux, as the catalog knows"
        );
        assert_eq!(d("openjdk:17-slim"), Some(Debian));
        assert_eq!(d("maven:3.9"), None);
        assert_eq!(d("gcr.io/distroless/static-debian12"), None);
        assert_eq!(d("alpine/git:latest"), Some(Alpine));
        assert_eq!(d("debian:bookworm-alpine"), None, "contradiction");
        assert_eq!(d("opensuse/leap:15.6"), Some(Suse));
    }
}
