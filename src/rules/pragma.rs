//! Pragmas users already write, honoured centrally:
//!
//! - `# hadolint ignore=DL3008,SC2086` (or `# berth ignore=...`) on the
//!   lines before an instruction: those codes are silent on it;
//! - `# hadolint global ignore=...` (or `# berth global ignore=...`):
//!   silent in the whole file;
//! - BuildKit's directive `# check=skip=A,B` / `skip=all` and `error=true`.

use crate::model::Model;
use crate::text::TextRange;

use super::{Diagnostic, RuleMeta, BUILDKIT_CHECKS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PragmaKind {
    /// Applies to the next instruction.
    Ignore,
    /// Applies to the whole file.
    GlobalIgnore,
    /// `# check=skip=...`.
    CheckSkip,
}

/// A pragma with the codes it names and where each code is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pragma {
    pub kind: PragmaKind,
    pub range: TextRange,
    pub codes: Vec<(String, TextRange)>,
    /// For `Ignore`: the range of the instruction it applies to.
    pub target: Option<TextRange>,
}

/// Split a comma-separated code list starting at byte `base`.
fn codes(list: &str, base: u32) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        // `ignore=DL3008 because ...`: the code list ends at the prose.
        let code = trimmed.split_whitespace().next().unwrap_or("");
        if !code.is_empty() {
            let start = base + (offset + lead) as u32;
            out.push((
                code.to_string(),
                TextRange::new(start, start + code.len() as u32),
            ));
        }
        if code.len() < trimmed.len() {
            break;
        }
        offset += part.len() + 1;
    }
    out
}

fn next_instruction(m: &Model, comment: TextRange) -> Option<TextRange> {
    // Instructions are in text order: a binary search keeps files with many
    // pragmas linear-logarithmic.
    let i = m
        .instructions
        .partition_point(|i| i.range.start < comment.end);
    m.instructions.get(i).map(|i| i.range)
}

/// Every pragma of the file.
pub fn pragmas(m: &Model, text: &str) -> Vec<Pragma> {
    let mut out = Vec::new();
    for c in &m.comments {
        let body = c.range.slice(text);
        let Some(after_hash) = body.strip_prefix('#') else {
            continue;
        };
        let trimmed = after_hash.trim_start();
        // BuildKit reads `# check=skip=A,B` just above an instruction as a
        // skip for that instruction.
        if let Some(value) = trimmed.strip_prefix("check=") {
            let value_start = c.range.end - value.len() as u32;
            let mut offset = 0usize;
            for part in value.split(';') {
                let lead = part.len() - part.trim_start().len();
                if let Some(list) = part.trim().strip_prefix("skip=") {
                    let base = value_start + (offset + lead + 5) as u32;
                    out.push(Pragma {
                        kind: PragmaKind::Ignore,
                        range: c.range,
                        codes: codes(list, base),
                        target: next_instruction(m, c.range),
                    });
                }
                offset += part.len() + 1;
            }
            continue;
        }
        let Some(rest) = trimmed
            .strip_prefix("hadolint")
            .or_else(|| trimmed.strip_prefix("berth"))
        else {
            continue;
        };
        let rest_t = rest.trim_start();
        let (kind, rest_t) = match rest_t.strip_prefix("global") {
            Some(r) => (PragmaKind::GlobalIgnore, r.trim_start()),
            None => (PragmaKind::Ignore, rest_t),
        };
        let Some(list) = rest_t
            .strip_prefix("ignore")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
        else {
            continue;
        };
        // Offsets of the list as written, after the `=`.
        let base = c.range.end - list.len() as u32;
        let list_codes = codes(list, base);
        let target = match kind {
            PragmaKind::Ignore => next_instruction(m, c.range),
            _ => None,
        };
        out.push(Pragma {
            kind,
            range: c.range,
            codes: list_codes,
            target,
        });
    }
    for d in m.directives.iter().filter(|d| d.name == "check") {
        let mut offset = 0usize;
        for part in d.value.split(';') {
            let lead = part.len() - part.trim_start().len();
            let p = part.trim();
            if let Some(list) = p.strip_prefix("skip=") {
                let base = d.value_range.start + (offset + lead + 5) as u32;
                out.push(Pragma {
                    kind: PragmaKind::CheckSkip,
                    range: d.range,
                    codes: codes(list, base),
                    target: None,
                });
            }
            offset += part.len() + 1;
        }
    }
    out
}

/// What the file's pragmas silence.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    global: Vec<String>,
    local: Vec<(TextRange, Vec<String>)>,
    skip: Vec<String>,
    skip_all_checks: bool,
    /// `# check=error=true`: BuildKit checks are errors.
    pub checks_are_errors: bool,
}

impl Suppressions {
    pub fn new(m: &Model, text: &str) -> Suppressions {
        Suppressions::from_pragmas(m, &pragmas(m, text))
    }

    fn from_pragmas(m: &Model, pragmas: &[Pragma]) -> Suppressions {
        let mut s = Suppressions::default();
        for p in pragmas {
            let names: Vec<String> = p.codes.iter().map(|(c, _)| c.clone()).collect();
            match p.kind {
                PragmaKind::GlobalIgnore => s.global.extend(names),
                PragmaKind::Ignore => {
                    if let Some(t) = p.target {
                        s.local.push((t, names));
                    }
                }
                PragmaKind::CheckSkip => {
                    for n in names {
                        if n.eq_ignore_ascii_case("all") {
                            s.skip_all_checks = true;
                        } else {
                            s.skip.push(n);
                        }
                    }
                }
            }
        }
        for d in m.directives.iter().filter(|d| d.name == "check") {
            s.checks_are_errors |= d
                .value
                .split(';')
                .any(|p| p.trim().eq_ignore_ascii_case("error=true"));
        }
        s
    }

    /// The whole rule is off for this file.
    pub fn skips_rule(&self, meta: &RuleMeta) -> bool {
        (self.skip_all_checks && BUILDKIT_CHECKS.contains(&meta.code))
            || self
                .skip
                .iter()
                .chain(&self.global)
                .any(|c| meta.answers_to(c))
    }

    /// This diagnostic is silenced where it stands.
    pub fn suppresses(&self, d: &Diagnostic) -> bool {
        let named = |codes: &[String]| {
            codes.iter().any(|c| {
                c.eq_ignore_ascii_case(d.code)
                    || d.aliases.iter().any(|a| a.eq_ignore_ascii_case(c))
            })
        };
        named(&self.global)
            || self
                .local
                .iter()
                .any(|(range, codes)| range.contains_range(d.range) && named(codes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_codes_and_targets() {
        let text = "# hadolint global ignore=DL3006\nFROM a\n# hadolint ignore=DL3008, SC2086 because\nRUN x\n";
        let m = Model::build(text);
        let p = pragmas(&m, text);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].kind, PragmaKind::GlobalIgnore);
        let local = &p[1];
        let names: Vec<_> = local
            .codes
            .iter()
            .map(|(c, r)| (c.as_str(), r.slice(text)))
            .collect();
        assert_eq!(names, [("DL3008", "DL3008"), ("SC2086", "SC2086")]);
        assert_eq!(local.target.unwrap().slice(text), "RUN x");
    }

    #[test]
    fn check_directive() {
        let text = "# check=skip=StageNameCasing,FromAsCasing;error=true\nFROM a\n";
        let m = Model::build(text);
        let p = pragmas(&m, text);
        let names: Vec<_> = p[0]
            .codes
            .iter()
            .map(|(c, r)| (c.as_str(), r.slice(text)))
            .collect();
        assert_eq!(
            names,
            [
                ("StageNameCasing", "StageNameCasing"),
                ("FromAsCasing", "FromAsCasing")
            ]
        );
        assert!(Suppressions::new(&m, text).checks_are_errors);
    }
}
