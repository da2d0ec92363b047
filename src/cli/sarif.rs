//! `--format sarif`: a SARIF 2.1.0 log for code-scanning services.
//!
//! One run. `tool.driver.rules` lists the rules that fired, not every rule:
//! SARIF only needs the rules results refer to, GitHub code scanning reads
//! them from the results, and the full catalog (with each rule's markdown
//! documentation) would make every report hundreds of kilobytes. Each rule
//! has its summary as `shortDescription`, the `## What` section of its
//! documentation as `fullDescription`, the whole documentation as `help`
//! (text and markdown), its default level, and its category and aliases as
//! properties. ShellCheck codes point at the ShellCheck wiki (`helpUri`).
//!
//! Locations: `artifactLocation.uri` is relative to the current directory
//! (with `uriBaseId` `%SRCROOT%`, given in `originalUriBaseIds`) when the
//! file is under it, an absolute `file://` URI otherwise, and `stdin` for
//! standard input. Regions are 1-based lines and columns counted in UTF-16
//! code units (`columnKind` `utf16CodeUnits`, SARIF's default, which is what
//! GitHub and the SARIF viewers expect); `endColumn` is exclusive.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde_json::{json, Map, Value};

use super::output::position_in;
use crate::host::shellcheck::{is_sc_code, wiki_url};
use crate::rules::{self, Diagnostic, Severity};
use crate::text::{LineIndex, PositionEncoding, TextRange};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SRCROOT: &str = "%SRCROOT%";

/// Where berth is documented: the package's repository or homepage.
pub fn information_uri() -> &'static str {
    match (
        option_env!("CARGO_PKG_REPOSITORY"),
        option_env!("CARGO_PKG_HOMEPAGE"),
    ) {
        (Some(r), _) if !r.is_empty() => r,
        (_, Some(h)) if !h.is_empty() => h,
        _ => "https://crates.io/crates/berth",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// Percent-encode a path for a URI: unreserved characters and `/` stay.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file's location in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    pub uri: String,
    /// Relative to `%SRCROOT%`.
    pub relative: bool,
}

impl Artifact {
    /// `path` as given on the command line (`None` for stdin), against the
    /// current directory `cwd` (absolute).
    pub fn new(path: Option<&Path>, cwd: &Path) -> Artifact {
        let Some(path) = path else {
            return Artifact {
                uri: "stdin".into(),
                relative: false,
            };
        };
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            cwd.join(path)
        };
        // Lexically normalised (`./a/../b` → `b`): no symlinks resolved.
        let mut norm = std::path::PathBuf::new();
        for c in abs.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    norm.pop();
                }
                c => norm.push(c.as_os_str()),
            }
        }
        match norm.strip_prefix(cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => Artifact {
                uri: encode_path(&slashes(rel)),
                relative: true,
            },
            _ => Artifact {
                uri: format!("file://{}", encode_path(&slashes(&norm))),
                relative: false,
            },
        }
    }

    fn json(&self) -> Value {
        if self.relative {
            json!({ "uri": self.uri, "uriBaseId": SRCROOT })
        } else {
            json!({ "uri": self.uri })
        }
    }
}

fn slashes(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if s.starts_with('/') {
        s
    } else if p.is_absolute() {
        format!("/{s}") // a Windows drive path
    } else {
        s
    }
}

/// The directory URI `%SRCROOT%` stands for.
pub fn root_uri(cwd: &Path) -> String {
    let mut s = format!("file://{}", encode_path(&slashes(cwd)));
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

fn region(text: &str, index: &LineIndex, range: TextRange) -> Value {
    let enc = PositionEncoding::Utf16;
    let s = position_in(text, index, range.start, enc);
    let e = position_in(text, index, range.end.max(range.start), enc);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

fn location(artifact: &Artifact, text: &str, index: &LineIndex, range: TextRange) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact.json(),
            "region": region(text, index, range),
        }
    })
}

/// One file's results (`ruleIndex` is filled in by [`log`]).
pub fn results(
    artifact: &Artifact,
    text: &str,
    index: &LineIndex,
    diags: &[Diagnostic],
) -> Vec<Value> {
    diags
        .iter()
        .map(|d| {
            let mut r = Map::new();
            r.insert("ruleId".into(), json!(d.code));
            r.insert("level".into(), json!(level(d.severity)));
            r.insert("message".into(), json!({ "text": d.message }));
            r.insert(
                "locations".into(),
                json!([location(artifact, text, index, d.range)]),
            );
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, rel)| {
                        let mut l = location(artifact, text, index, rel.range);
                        l["id"] = json!(i + 1);
                        l["message"] = json!({ "text": rel.message });
                        l
                    })
                    .collect();
                r.insert("relatedLocations".into(), Value::Array(related));
            }
            if !d.aliases.is_empty() {
                r.insert("properties".into(), json!({ "aliases": d.aliases }));
            }
            Value::Object(r)
        })
        .collect()
}

/// The text of a markdown section (`## What`), trimmed.
fn section<'a>(docs: &'a str, title: &str) -> Option<&'a str> {
    let head = format!("## {title}");
    let start = docs
        .match_indices(&head)
        .find(|(i, _)| *i == 0 || docs[..*i].ends_with('\n'))?
        .0
        + head.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let s = rest[..end].trim();
    (!s.is_empty()).then_some(s)
}

fn rule_descriptor(code: &str, fired: Severity) -> Value {
    if let Some(rule) = rules::all().iter().find(|r| r.meta.code == code) {
        let m = rule.meta;
        let mut props = json!({ "tags": [m.category.as_str()] });
        if !m.aliases.is_empty() {
            props["aliases"] = json!(m.aliases);
        }
        return json!({
            "id": m.code,
            "shortDescription": { "text": m.summary },
            "fullDescription": { "text": section(m.docs, "What").unwrap_or(m.summary) },
            "help": { "text": m.docs, "markdown": m.docs },
            "defaultConfiguration": { "level": level(m.severity) },
            "properties": props,
        });
    }
    if is_sc_code(code) {
        let url = wiki_url(code);
        return json!({
            "id": code,
            "shortDescription": { "text": format!("ShellCheck {code}") },
            "fullDescription": { "text": format!("ShellCheck's check {code} on a RUN script.") },
            "helpUri": url,
            "help": {
                "text": format!("See {url}"),
                "markdown": format!("See [{code}]({url}) in the ShellCheck wiki."),
            },
            "defaultConfiguration": { "level": level(fired) },
            "properties": { "tags": ["shell", "shellcheck"] },
        });
    }
    json!({
        "id": code,
        "shortDescription": { "text": code },
        "defaultConfiguration": { "level": level(fired) },
    })
}

/// The whole log: one run with the rules that fired (sorted by code) and
/// every result, each given its `ruleIndex`.
pub fn log(
    mut results: Vec<Value>,
    fired: &BTreeMap<String, Severity>,
    root: Option<String>,
) -> Value {
    let codes: Vec<&String> = fired.keys().collect();
    let rules: Vec<Value> = fired
        .iter()
        .map(|(code, sev)| rule_descriptor(code, *sev))
        .collect();
    for r in &mut results {
        let idx = r["ruleId"]
            .as_str()
            .and_then(|id| codes.iter().position(|c| c.as_str() == id));
        if let Some(i) = idx {
            r["ruleIndex"] = json!(i);
        }
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "berth",
                "version": super::VERSION,
                "semanticVersion": super::VERSION,
                "informationUri": information_uri(),
                "rules": rules,
            }
        },
        "columnKind": "utf16CodeUnits",
        "results": results,
    });
    if let Some(root) = root {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": root } });
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts() {
        let cwd = Path::new("/work/repo");
        let a = Artifact::new(Some(Path::new("./a b/Dockerfile")), cwd);
        assert_eq!((a.uri.as_str(), a.relative), ("a%20b/Dockerfile", true));
        let a = Artifact::new(Some(Path::new("/work/repo/x/../Dockerfile")), cwd);
        assert_eq!((a.uri.as_str(), a.relative), ("Dockerfile", true));
        let a = Artifact::new(Some(Path::new("../other/Dockerfile")), cwd);
        assert_eq!(
            (a.uri.as_str(), a.relative),
            ("file:///work/other/Dockerfile", false)
        );
        let a = Artifact::new(None, cwd);
        assert_eq!((a.uri.as_str(), a.relative), ("stdin", false));
        assert_eq!(root_uri(cwd), "file:///work/repo/");
        assert_eq!(encode_path("a#b?c%/\u{e9}"), "a%23b%3Fc%25/%C3%A9");
    }

    #[test]
    fn sections() {
        let docs = "## What\n\nA thing.\n\n## Why\n\nBecause.\n";
        assert_eq!(section(docs, "What"), Some("A thing."));
        assert_eq!(section(docs, "Why"), Some("Because."));
        assert_eq!(section(docs, "Fix"), None);
    }
}
