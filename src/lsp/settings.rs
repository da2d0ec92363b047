//! Settings from `initializationOptions` and `workspace/didChangeConfiguration`:
//!
//! ```json
//! { "target": "runtime", "rules": { "UnusedStage": "off", "DL3024": "warning" } }
//! ```

use serde_json::Value;

use crate::ide::Settings;
use crate::rules::Severity;

/// Read settings from JSON, keeping `base` for anything absent. Unknown
/// keys and values of the wrong type are ignored.
pub fn from_json(v: &Value, base: &Settings) -> Settings {
    let mut s = base.clone();
    if let Some(t) = v.get("target") {
        s.model.target = t.as_str().filter(|t| !t.is_empty()).map(str::to_string);
    }
    if let Some(rules) = v.get("rules").and_then(Value::as_object) {
        for (code, level) in rules {
            let level = match level {
                Value::String(l) if l.eq_ignore_ascii_case("off") => Some(None),
                Value::String(l) if l.eq_ignore_ascii_case("on") => {
                    s.rules.enable.push(code.clone());
                    None
                }
                Value::String(l) => Severity::parse(l).map(Some),
                Value::Bool(false) => Some(None),
                Value::Bool(true) => {
                    s.rules.enable.push(code.clone());
                    None
                }
                _ => None,
            };
            if let Some(level) = level {
                s.rules.overrides.push((code.clone(), level));
            }
        }
    }
    s
}
