//! Tag lists kept compact: a published version tag becomes a `*` pattern
//! over its version line (`3.12.4-slim` → `3.12.*-slim`), so that the
//! patch releases before and after the sources' snapshot match too.

/// Whether `pattern` matches `tag`: the catalog's own rule, so the tags
/// written here are the tags berth's lookup finds.
pub use berth::model::catalog::tag_matches as matches;

/// A tag split into a leading version (`3.12.4`) and the rest (`-slim`).
fn split_version(tag: &str) -> Option<(&str, &str)> {
    let end = tag.find('-').unwrap_or(tag.len());
    let version = &tag[..end];
    let parts: Vec<&str> = version.split('.').collect();
    (parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    .then(|| (version, &tag[end..]))
}

/// Patterns for `tags` (one family's): a version tag's line `X.Y.*` when
/// the family also publishes `X.Y` with the same suffix, and a dated
/// snapshot tag (`bookworm-20260803`) as `bookworm-*`. `others` are the
/// exact tags of the repository's other families: a pattern matching one
/// of them would steal it, and is dropped.
pub fn compact(tags: &[String], others: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for tag in tags {
        let mut pattern = None;
        if let Some((version, rest)) = split_version(tag) {
            let parts: Vec<&str> = version.split('.').collect();
            // The widest line the family still publishes on its own.
            for keep in 1..parts.len() {
                let line = parts[..keep].join(".");
                let candidate = format!("{line}.*{rest}");
                if tags.contains(&format!("{line}{rest}"))
                    && !others.iter().any(|o| matches(&candidate, o))
                {
                    pattern = Some(candidate);
                    break;
                }
            }
        } else if let Some(p) = dated(tag) {
            pattern = Some(p).filter(|p| !others.iter().any(|o| matches(p, o)));
        }
        push(&mut out, pattern.unwrap_or_else(|| tag.clone()));
    }
    // Exact tags a pattern of the family already matches are redundant.
    let patterns: Vec<String> = out.iter().filter(|t| t.contains('*')).cloned().collect();
    out.retain(|t| t.contains('*') || !patterns.iter().any(|p| matches(p, t)));
    out
}

/// `bookworm-20260803-slim` → `bookworm-*-slim`: a date (8 digits, maybe
/// `.1`) after the first component.
fn dated(tag: &str) -> Option<String> {
    let parts: Vec<&str> = tag.split('-').collect();
    let i = parts.iter().skip(1).position(|p| {
        p.len() >= 8
            && p.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && p[..8].bytes().all(|b| b.is_ascii_digit())
    })? + 1;
    let mut parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    parts[i] = "*".into();
    Some(parts.join("-"))
}

/// The variant family named by a family's tags: its shortest tag that
/// does not start with a version (`slim-bookworm`, `alpine3.20`), else
/// its first tag without the leading version (`1.22-bookworm` →
/// `bookworm`), else `` (the default variant).
pub fn variant(tags: &[String]) -> String {
    let starts_with_digit = |t: &&String| t.starts_with(|c: char| c.is_ascii_digit());
    if let Some(t) = tags
        .iter()
        .filter(|t| {
            !starts_with_digit(t) && !["latest", "stable", "current", "lts"].contains(&t.as_str())
        })
        .min_by_key(|t| t.len())
    {
        return t.clone();
    }
    tags.first()
        .and_then(|t| t.split_once('-'))
        .map_or(String::new(), |(_, rest)| rest.to_string())
}

/// The version line or snapshot series a tag belongs to (`3.12.4-slim` →
/// `3.12.*-slim`, `bookworm-20230101` → `bookworm-*`): an older
/// revision's tag whose line a newer revision already publishes is not
/// a family of its own.
pub fn line_key(tag: &str) -> String {
    if let Some((version, rest)) = split_version(tag) {
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() >= 3 {
            return format!("{}.*{rest}", parts[..parts.len() - 1].join("."));
        }
    }
    dated(tag).unwrap_or_else(|| tag.to_string())
}

/// `11.0.0-preview.7-alpine3.24-amd64` → `11.0-alpine3.24-amd64`: the
/// version line of a full version, pre-release included, as the .NET
/// Dockerfiles name their bases.
pub fn minor_line(tag: &str) -> Option<String> {
    let mut parts = tag.split('-');
    let version: Vec<&str> = parts.next()?.split('.').collect();
    if version.len() < 3 {
        return None;
    }
    let rest: Vec<&str> = parts
        .skip_while(|p| p.starts_with("preview.") || p.starts_with("rc."))
        .collect();
    let mut out = version[..2].join(".");
    for p in rest {
        out.push('-');
        out.push_str(p);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn version_lines() {
        let tags = s(&[
            "3.12.4-slim-bookworm",
            "3.12-slim-bookworm",
            "3.12.4-slim",
            "3.12-slim",
        ]);
        assert_eq!(
            compact(&tags, &["3.13-slim"]),
            [
                "3.12.*-slim-bookworm",
                "3.12-slim-bookworm",
                "3.12.*-slim",
                "3.12-slim"
            ]
        );
        // node: the major line is the family's own.
        let tags = s(&["20-alpine", "20.15-alpine", "20.15.1-alpine", "iron-alpine"]);
        assert_eq!(
            compact(&tags, &["22-alpine"]),
            ["20-alpine", "20.*-alpine", "iron-alpine"]
        );
        let tags = s(&["bookworm", "bookworm-20260803", "12.15", "12"]);
        assert_eq!(
            compact(&tags, &[]),
            ["bookworm", "bookworm-*", "12.*", "12"]
        );
    }

    #[test]
    fn variants() {
        assert_eq!(
            variant(&s(&["3.12.4-slim-bookworm", "slim-bookworm", "slim"])),
            "slim"
        );
        assert_eq!(
            variant(&s(&["1.22.10-bookworm", "1.22-bookworm"])),
            "bookworm"
        );
        assert_eq!(variant(&s(&["1.27.0", "1.27", "1", "latest"])), "");
    }
}
