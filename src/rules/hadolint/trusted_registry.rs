//! DL3026: an image from a registry outside `trustedRegistries`.

use crate::model::{Base, ImageRef, RefKind, Resolution};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "DL3026",
    aliases: &[],
    summary: "Image from a registry that is not trusted",
    docs: "## What\nAn image pulled from a registry that is not in the configured trusted \
registries (hadolint's `trustedRegistries`): a `FROM` image, a `COPY --from=<image>`, or a \
`RUN --mount=...,from=<image>`. Silent when no trusted registries are configured.\n\n\
## Why\nOrganisations often mirror or vet the images they build on; an image from elsewhere \
bypasses that control (and its scanning, licensing and availability guarantees).\n\n\
Matching follows hadolint: an entry is a registry host (`ghcr.io`), `*` for any, `*.corp.com` \
for any host ending in `.corp.com`, or `mirror*` for any host starting with `mirror`. An \
image without a registry (`nginx`, `org/app`) comes from Docker Hub and is trusted when \
`docker.io` or `hub.docker.com` is. Stage names and `scratch` are never reported. \
Differences from hadolint: a registry with a port but no dot (`localhost:5000/app`) is read \
as a registry, as Docker does; an image given by a variable is checked with the ARG's \
default, or by the registry written before the variable, and skipped otherwise \
(hadolint takes `$IMAGE` for a Docker Hub image); `COPY --from=0` is a stage index, not an \
image.\n\n\
## Example\n```dockerfile\n# trustedRegistries: [registry.corp.com]\nFROM quay.io/prometheus/busybox:latest\n```\n\n\
## Fix\nUse the image from a trusted registry (or its mirror there), or add the registry to \
the trusted list.",
    severity: Severity::Error,
    category: Category::Security,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

/// hadolint's `matchRegistry`.
fn matches(allow: &str, registry: &str) -> bool {
    if allow == "*" {
        true
    } else if let Some(suffix) = allow.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = allow.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        allow == registry
    }
}

/// The registry of `image` (`None`: Docker Hub), or `Err` when a variable
/// hides it.
fn registry(image: &str) -> Result<Option<String>, ()> {
    let name = super::split_image(image).name;
    if !name.contains('$') {
        return Ok(ImageRef::parse(name).registry);
    }
    // `quay.io/org/app${SUFFIX}`: the registry is still written out.
    match image.split_once('/') {
        Some((first, _))
            if !first.contains('$')
                && (first.contains('.') || first.contains(':') || first == "localhost") =>
        {
            Ok(Some(first.to_string()))
        }
        _ => Err(()),
    }
}

/// Why `image` is not trusted, or `None` when it is.
fn untrusted(trusted: &[String], image: &str) -> Option<String> {
    if image.is_empty() || image == "scratch" {
        return None;
    }
    let allowed = |reg: &str| trusted.iter().any(|t| matches(t, reg));
    match registry(image).ok()?.as_deref() {
        Some(reg) if allowed(reg) => None,
        Some(reg) => Some(format!("`{reg}` is not a trusted registry")),
        None if allowed("docker.io") || allowed("hub.docker.com") => None,
        None => Some("Docker Hub (`docker.io`) is not a trusted registry".to_string()),
    }
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let trusted = &ctx.config.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let list = trusted
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut report = |range: TextRange, image: &str, note: &str| {
        if let Some(why) = untrusted(trusted, image) {
            acc.push(
                &META,
                range,
                format!("{why} for `{image}`{note}: use an image from {list}"),
            );
        }
    };
    let m = ctx.model;
    for s in &m.stages {
        match s.base {
            Base::Image(_) if s.base_expanded != s.base_text => {
                report(s.base_range, &s.base_expanded, " (the ARG default)")
            }
            Base::Image(_) => report(s.base_range, &s.base_text, ""),
            Base::Variable => report(s.base_range, &s.base_text, ""),
            _ => {}
        }
    }
    for r in &m.refs {
        if r.kind != RefKind::From && r.resolution == Resolution::Image {
            report(r.range, &r.text, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_patterns() {
        assert!(matches("*", "x.io"));
        assert!(matches("*.corp.com", "a.corp.com"));
        assert!(!matches("*.corp.com", "corp.com"));
        assert!(matches("mirror*", "mirror.io"));
        assert!(!matches("docker.io", "ghcr.io"));
        let t = vec!["docker.io".to_string()];
        assert_eq!(untrusted(&t, "nginx:1"), None);
        assert!(untrusted(&t, "ghcr.io/a/b").is_some());
        assert_eq!(untrusted(&t, "docker.io/library/nginx"), None);
        assert!(untrusted(&t, "quay.io/busybox${ARCH:+@sha256:1}").is_some());
        assert_eq!(untrusted(&t, "${REGISTRY}/app"), None);
        assert!(untrusted(&["ghcr.io".to_string()], "docker:${V}-dind").is_some());
    }
}
