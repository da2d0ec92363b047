//! hadolint's configuration file, `.hadolint.yaml` / `.hadolint.yml`, read
//! the way users already write it:
//!
//! ```yaml
//! ignored: [DL3008, SC2086]
//! override:
//!   error: [DL3001]
//!   warning: [DL3042]
//!   info: [DL3032]
//!   style: [DL3015]        # berth has no "style" level: style is info
//! trustedRegistries: [docker.io, my-company.com:5000]
//! failure-threshold: warning
//! no-fail: false
//! label-schema: { author: text, version: semver }
//! strict-labels: true
//! ```
//!
//! berth looks for the file from each Dockerfile's directory upward, and
//! stops at the filesystem root or at the top of a git work tree (the
//! directory holding `.git`). hadolint itself reads only the current
//! directory's file or the user's; a file beside the Dockerfile or at the
//! repository root is what both find in the usual layout.
//!
//! Keys hadolint knows that berth does not use (`format`, `no-color`,
//! `verbose`, `disable-ignore-pragma`) are accepted and ignored; unknown
//! keys are reported as warnings; a value of the wrong type is an error
//! naming the file and line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::rules::{RuleSettings, Severity};

/// The file names looked for, in order, in each directory.
pub const FILE_NAMES: &[&str] = &[".hadolint.yaml", ".hadolint.yml"];

/// hadolint's label types (`label-schema` values).
pub const LABEL_TYPES: &[&str] = &["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

/// Keys hadolint accepts that do not change what berth reports.
const IGNORED_KEYS: &[&str] = &[
    "format",
    "output-format",
    "no-color",
    "verbose",
    "disable-ignore-pragma",
];

/// A parsed configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileConfig {
    pub path: PathBuf,
    /// `ignored`: codes turned off.
    pub ignored: Vec<String>,
    /// `override`: codes and the severity they get.
    pub overrides: Vec<(String, Severity)>,
    /// `trustedRegistries` (also `trusted-registries`).
    pub trusted_registries: Vec<String>,
    /// `failure-threshold`, mapped: error, warning, info as they are;
    /// `style`, `ignore` and `none` (hadolint's lowest levels: every
    /// finding fails) are berth's lowest level, hint.
    pub failure_threshold: Option<Severity>,
    /// `no-fail`: exit 0 whatever is found.
    pub no_fail: Option<bool>,
    /// `label-schema`: label name → type.
    pub label_schema: Vec<(String, String)>,
    /// `strict-labels`.
    pub strict_labels: Option<bool>,
    /// Unknown keys, as messages (not fatal).
    pub warnings: Vec<String>,
}

/// A configuration file that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl FileConfig {
    /// Apply the file to rule settings: its overrides first, then `ignored`
    /// (ignoring wins over an override of the same code), so settings
    /// added later (command line, editor) win over the file.
    pub fn apply(&self, rules: &mut RuleSettings) {
        for (code, sev) in &self.overrides {
            rules.overrides.push((code.clone(), Some(*sev)));
        }
        for code in &self.ignored {
            rules.overrides.push((code.clone(), None));
        }
        rules
            .trusted_registries
            .extend(self.trusted_registries.iter().cloned());
        rules.label_schema.extend(self.label_schema.iter().cloned());
        if let Some(strict) = self.strict_labels {
            rules.strict_labels = strict;
        }
    }
}

/// The configuration file for a Dockerfile in `dir`: the first of
/// [`FILE_NAMES`] found in `dir` or a parent, stopping after the directory
/// that holds `.git` and at the root.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut cur = Some(dir.as_path());
    while let Some(d) = cur {
        for name in FILE_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        cur = d.parent();
    }
    None
}

/// Read and parse a configuration file.
pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
    // Only a regular file, with a bound: a FIFO or a link to a device
    // planted under the configuration's name must not block or exhaust.
    match super::files::read(path, super::files::MAX_IGNORE_BYTES) {
        Ok(read) => match String::from_utf8(read.bytes) {
            Ok(text) => parse(path, &text),
            Err(_) => Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                message: "not valid UTF-8".into(),
            }),
        },
        Err(e) => Err(ConfigError {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read: {e}"),
        }),
    }
}

/// Loaded files, each read once (the command line checks many Dockerfiles
/// under one configuration).
#[derive(Default)]
pub struct Cache {
    files: Mutex<HashMap<PathBuf, Result<Arc<FileConfig>, ConfigError>>>,
}

impl Cache {
    pub fn load(&self, path: &Path) -> Result<Arc<FileConfig>, ConfigError> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| load(path).map(Arc::new))
            .clone()
    }
}

fn line_of(n: &MarkedYaml) -> usize {
    n.span.start.line()
}

struct Reader<'p> {
    path: &'p Path,
}

impl Reader<'_> {
    fn err<T>(&self, node: &MarkedYaml, message: impl Into<String>) -> Result<T, ConfigError> {
        Err(ConfigError {
            path: self.path.to_path_buf(),
            line: Some(line_of(node)),
            message: message.into(),
        })
    }

    fn err_at<T>(&self, line: usize, message: impl Into<String>) -> Result<T, ConfigError> {
        Err(ConfigError {
            path: self.path.to_path_buf(),
            line: Some(line),
            message: message.into(),
        })
    }

    fn string(&self, node: &MarkedYaml, what: &str) -> Result<String, ConfigError> {
        match scalar(node) {
            Some(Scalar::String(s)) => Ok(s.to_string()),
            Some(Scalar::Integer(i)) => Ok(i.to_string()),
            _ => self.err(node, format!("{what} must be a string")),
        }
    }

    fn bool(&self, node: &MarkedYaml, key: &str) -> Result<bool, ConfigError> {
        match scalar(node) {
            Some(Scalar::Boolean(b)) => Ok(*b),
            _ => self.err(node, format!("`{key}` must be true or false")),
        }
    }

    /// A list of strings; a single string or null is accepted too.
    fn list(&self, node: &MarkedYaml, key: &str) -> Result<Vec<String>, ConfigError> {
        match &node.data {
            YamlData::Sequence(items) => items
                .iter()
                .map(|i| self.string(i, &format!("each item of `{key}`")))
                .collect(),
            _ if matches!(scalar(node), Some(Scalar::Null)) => Ok(Vec::new()),
            _ if matches!(scalar(node), Some(Scalar::String(_))) => {
                Ok(vec![self.string(node, key)?])
            }
            _ => self.err(node, format!("`{key}` must be a list of rule codes")),
        }
    }

    fn mapping<'a>(
        &self,
        node: &'a MarkedYaml<'a>,
        key: &str,
    ) -> Result<Vec<(String, usize, &'a MarkedYaml<'a>)>, ConfigError> {
        match &node.data {
            YamlData::Mapping(m) => m
                .iter()
                .map(|(k, v)| Ok((self.string(k, &format!("a key of `{key}`"))?, line_of(k), v)))
                .collect(),
            _ if matches!(scalar(node), Some(Scalar::Null)) => Ok(Vec::new()),
            _ => self.err(node, format!("`{key}` must be a mapping")),
        }
    }
}

fn scalar<'a>(node: &'a MarkedYaml<'a>) -> Option<&'a Scalar<'a>> {
    match &node.data {
        YamlData::Value(s) => Some(s),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

fn severity_name(s: &str) -> Option<Severity> {
    match s.to_ascii_lowercase().as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "style" => Some(Severity::Info),
        _ => None,
    }
}

fn threshold_name(s: &str) -> Option<Severity> {
    match s.to_ascii_lowercase().as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "style" | "ignore" | "none" => Some(Severity::Hint),
        _ => None,
    }
}

/// Parse the text of a configuration file (`path` is for messages).
pub fn parse(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    let mut out = FileConfig {
        path: path.to_path_buf(),
        ..FileConfig::default()
    };
    let docs = MarkedYaml::load_from_str(text).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: Some(e.marker().line()),
        message: format!("not valid YAML: {}", e.info()),
    })?;
    let r = Reader { path };
    let Some(root) = docs.first() else {
        return Ok(out); // an empty file
    };
    if matches!(scalar(root), Some(Scalar::Null)) {
        return Ok(out);
    }
    let top = match &root.data {
        YamlData::Mapping(_) => r.mapping(root, "the file")?,
        _ => {
            return r.err(
                root,
                "the file must be a mapping of settings (`ignored: [...]`, ...)",
            )
        }
    };
    for (key, key_line, value) in top {
        match key.as_str() {
            "ignored" => out.ignored.extend(r.list(value, "ignored")?),
            "override" => {
                for (level, level_line, codes) in r.mapping(value, "override")? {
                    let Some(sev) = severity_name(&level) else {
                        return r.err_at(
                            level_line,
                            format!(
                                "unknown level `{level}` under `override` \
                                 (expected error, warning, info or style)"
                            ),
                        );
                    };
                    for code in r.list(codes, &format!("override.{level}"))? {
                        out.overrides.push((code, sev));
                    }
                }
            }
            "trustedRegistries" | "trusted-registries" => {
                out.trusted_registries.extend(r.list(value, key.as_str())?)
            }
            "failure-threshold" => {
                let s = r.string(value, "`failure-threshold`")?;
                match threshold_name(&s) {
                    Some(level) => out.failure_threshold = Some(level),
                    None => {
                        return r.err(
                            value,
                            format!(
                                "invalid `failure-threshold` `{s}` \
                                 (expected error, warning, info, style, ignore or none)"
                            ),
                        )
                    }
                }
            }
            "no-fail" => out.no_fail = Some(r.bool(value, "no-fail")?),
            "strict-labels" => out.strict_labels = Some(r.bool(value, "strict-labels")?),
            "label-schema" => {
                for (label, _, kind) in r.mapping(value, "label-schema")? {
                    let kind_s = r.string(kind, &format!("the type of label `{label}`"))?;
                    if !LABEL_TYPES.contains(&kind_s.as_str()) {
                        return r.err(
                            kind,
                            format!(
                                "unknown type `{kind_s}` for label `{label}` (expected one of {})",
                                LABEL_TYPES.join(", ")
                            ),
                        );
                    }
                    out.label_schema.push((label, kind_s));
                }
            }
            k if IGNORED_KEYS.contains(&k) => {}
            other => out.warnings.push(format!(
                "{}:{}: unknown key `{other}` (ignored)",
                path.display(),
                key_line
            )),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<FileConfig, ConfigError> {
        parse(Path::new("cfg/.hadolint.yaml"), text)
    }

    #[test]
    fn every_key() {
        let c = p("\
ignored:
  - DL3008
  - SC2086
override:
  error: [DL3001]
  warning:
    - DL3042
  info: [DL3032]
  style: [DL3015]
trustedRegistries:
  - docker.io
trusted-registries: [quay.io]
failure-threshold: style
no-fail: true
label-schema:
  author: text
  version: semver
strict-labels: true
format: json
")
        .unwrap();
        assert_eq!(c.ignored, ["DL3008", "SC2086"]);
        assert_eq!(
            c.overrides,
            [
                ("DL3001".to_string(), Severity::Error),
                ("DL3042".to_string(), Severity::Warning),
                ("DL3032".to_string(), Severity::Info),
                ("DL3015".to_string(), Severity::Info),
            ]
        );
        assert_eq!(c.trusted_registries, ["docker.io", "quay.io"]);
        assert_eq!(c.failure_threshold, Some(Severity::Hint));
        assert_eq!(c.no_fail, Some(true));
        assert_eq!(
            c.label_schema,
            [
                ("author".to_string(), "text".to_string()),
                ("version".to_string(), "semver".to_string())
            ]
        );
        assert_eq!(c.strict_labels, Some(true));
        assert!(c.warnings.is_empty());

        let mut rules = RuleSettings::default();
        c.apply(&mut rules);
        // Overrides first, then ignored: ignoring wins.
        assert_eq!(rules.overrides.last(), Some(&("SC2086".to_string(), None)));
        assert!(rules.strict_labels);
    }

    #[test]
    fn empty_and_null_files_are_defaults() {
        assert_eq!(p("").unwrap().ignored, Vec::<String>::new());
        assert_eq!(p("# nothing\n").unwrap().overrides, []);
        assert_eq!(p("~\n").unwrap().no_fail, None);
        assert_eq!(p("ignored:\n").unwrap().ignored, Vec::<String>::new());
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = p("ignored:\n  - DL3008\nno-fail: maybe\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(
            e.to_string(),
            "cfg/.hadolint.yaml:3: `no-fail` must be true or false"
        );
        let e = p("ignored: {a: b}\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = p("override:\n  fatal: [DL1]\n").unwrap_err();
        assert!(e.message.contains("fatal"), "{e}");
        let e = p("failure-threshold: fatal\n").unwrap_err();
        assert!(e.message.contains("fatal"), "{e}");
        let e = p("label-schema:\n  a: text\n  b: number\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = p("ignored: [DL3008\nno-fail: true\n").unwrap_err();
        assert!(e.message.starts_with("not valid YAML"), "{e}");
        assert!(e.line.is_some());
        let e = p("- a\n- b\n").unwrap_err();
        assert!(e.message.contains("mapping"), "{e}");
    }

    #[test]
    fn unknown_keys_warn() {
        let c = p("ignore:\n  - DL3008\n").unwrap();
        assert_eq!(
            c.warnings,
            ["cfg/.hadolint.yaml:1: unknown key `ignore` (ignored)"]
        );
    }
}
