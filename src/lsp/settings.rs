//! Settings from the client: `initializationOptions`, the `berth` section
//! pulled with `workspace/configuration`, or `workspace/didChangeConfiguration`:
//!
//! ```json
//! {
//!   "target": "runtime",
//!   "rules": { "UnusedStage": "off", "DL3024": "warning", "SC2086": "off" },
//!   "shellcheck": true,
//!   "trustedRegistries": ["docker.io", "my-company.com:5000"],
//!   "inlayHints": { "stageIndex": true },
//!   "context": ".."
//! }
//! ```
//!
//! A rule's value is `off`, `on` (enable a rule that is off by default),
//! or a severity: `error`, `warning`, `info`, `hint` (`style` is `hint`
//! here: it is what editors show faintly). SC codes work the same. They
//! apply on top of the `.hadolint.yaml` found for the document, so an
//! editor setting wins; `trustedRegistries`, when given, replaces the
//! file's list. `context` is the build context, relative to the
//! Dockerfile's folder (the default) or absolute.

use serde_json::Value;

use crate::host::FileConfig;
use crate::ide::Settings;
use crate::rules::Severity;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientSettings {
    /// `Some(None)`: the setting is there and empty (the last stage).
    pub target: Option<Option<String>>,
    pub overrides: Vec<(String, Option<Severity>)>,
    pub enable: Vec<String>,
    pub shellcheck: Option<bool>,
    pub trusted_registries: Option<Vec<String>>,
    /// `inlayHints.stageIndex`: `#N` after each `FROM ... AS name`.
    pub inlay_stage_index: Option<bool>,
    /// The build context: relative to the Dockerfile's folder, or absolute.
    pub context: Option<String>,
}

impl ClientSettings {
    /// Read settings from JSON (the object itself, or one with a `berth`
    /// key). Unknown keys and values of the wrong type are ignored.
    pub fn from_json(v: &Value) -> ClientSettings {
        let v = match v.get("berth") {
            Some(inner) if inner.is_object() => inner,
            _ => v,
        };
        let mut s = ClientSettings::default();
        if let Some(t) = v.get("target") {
            s.target = Some(t.as_str().filter(|t| !t.is_empty()).map(str::to_string));
        }
        if let Some(rules) = v.get("rules").and_then(Value::as_object) {
            for (code, level) in rules {
                match level {
                    Value::String(l) if l.eq_ignore_ascii_case("off") => {
                        s.overrides.push((code.clone(), None))
                    }
                    Value::String(l) if l.eq_ignore_ascii_case("on") => s.enable.push(code.clone()),
                    Value::String(l) => {
                        // A severity also turns on a rule that is off by default.
                        if let Some(sev) = Severity::parse(l) {
                            s.overrides.push((code.clone(), Some(sev)));
                        }
                    }
                    Value::Bool(false) => s.overrides.push((code.clone(), None)),
                    Value::Bool(true) => s.enable.push(code.clone()),
                    _ => {}
                }
            }
        }
        s.shellcheck = v.get("shellcheck").and_then(Value::as_bool);
        s.context = v
            .get("context")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if let Some(list) = v.get("trustedRegistries").and_then(Value::as_array) {
            s.trusted_registries = Some(
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            );
        }
        s.inlay_stage_index = v
            .get("inlayHints")
            .and_then(|h| h.get("stageIndex"))
            .or_else(|| v.get("inlayHints.stageIndex"))
            .and_then(Value::as_bool);
        s
    }

    /// Whether ShellCheck runs (on unless turned off).
    pub fn shellcheck(&self) -> bool {
        self.shellcheck.unwrap_or(true)
    }

    /// The settings for a document: defaults, then its configuration file,
    /// then these.
    pub fn settings_for(&self, config: Option<&FileConfig>) -> Settings {
        let mut s = Settings::default();
        if let Some(c) = config {
            c.apply(&mut s.rules);
        }
        if let Some(t) = &self.target {
            s.model.target = t.clone();
        }
        s.rules.overrides.extend(self.overrides.iter().cloned());
        s.rules.enable.extend(self.enable.iter().cloned());
        if let Some(r) = &self.trusted_registries {
            s.rules.trusted_registries = r.clone();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_setting() {
        let c = ClientSettings::from_json(&json!({"berth": {
            "target": "prod",
            "rules": {"UnusedStage": "off", "DL3024": "warning", "X": "on", "Y": true, "Z": 3},
            "shellcheck": false,
            "trustedRegistries": ["docker.io", 7]
        }}));
        assert_eq!(c.target, Some(Some("prod".into())));
        assert!(!c.shellcheck());
        assert_eq!(c.trusted_registries, Some(vec!["docker.io".to_string()]));
        let cfg = FileConfig {
            ignored: vec!["DL3024".into()],
            trusted_registries: vec!["quay.io".into()],
            ..FileConfig::default()
        };
        let s = c.settings_for(Some(&cfg));
        assert_eq!(s.model.target.as_deref(), Some("prod"));
        // The file first, the editor last (it wins).
        assert_eq!(
            s.rules.overrides,
            [
                ("DL3024".to_string(), None),
                ("DL3024".to_string(), Some(Severity::Warning)),
                ("UnusedStage".to_string(), None),
            ]
        );
        assert_eq!(s.rules.enable, ["X", "Y"]);
        assert_eq!(s.rules.trusted_registries, ["docker.io"]);
        assert!(ClientSettings::from_json(&json!(null)).shellcheck());
        assert_eq!(c.inlay_stage_index, None);
        for on in [
            json!({"inlayHints": {"stageIndex": true}}),
            json!({"berth": {"inlayHints.stageIndex": true}}),
        ] {
            assert_eq!(ClientSettings::from_json(&on).inlay_stage_index, Some(true));
        }
        assert_eq!(
            ClientSettings::from_json(&json!({"target": ""})).target,
            Some(None)
        );
    }
}
