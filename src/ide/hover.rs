//! Hover: the documentation of a rule code written in a pragma
//! (`# hadolint ignore=DL3008`, `# berth global ignore=...`,
//! `# check=skip=StageNameCasing`).

use crate::model::{closest, Model};
use crate::rules::{self, pragmas, Default, PragmaKind};
use crate::text::{TextRange, TextSize};

/// Markdown to show, and the range it is about (the code under the cursor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub markdown: String,
    pub range: TextRange,
}

fn is_sc_code(code: &str) -> bool {
    code.len() > 2
        && code[..2].eq_ignore_ascii_case("SC")
        && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The markdown for `code` as written in a pragma of `kind`.
pub fn code_docs(code: &str, kind: PragmaKind) -> String {
    if kind == PragmaKind::CheckSkip && code.eq_ignore_ascii_case("all") {
        return "**all**: every BuildKit build check is skipped in this file.".to_string();
    }
    if let Some(rule) = rules::find(code) {
        let m = rule.meta;
        let mut out = format!("**{}**: {}\n\n", m.code, m.summary);
        let mut facts = vec![
            format!("severity: {}", m.severity.as_str()),
            format!("category: {}", m.category.as_str()),
        ];
        if !m.aliases.is_empty() {
            facts.insert(0, format!("also: {}", m.aliases.join(", ")));
        }
        if m.default == Default::EditorOnly {
            facts.push("off in `berth check` unless enabled".to_string());
        }
        out.push_str(&format!("*{}*\n\n---\n\n", facts.join(" · ")));
        out.push_str(m.docs.trim());
        out.push('\n');
        return out;
    }
    if let Some(check) = rules::BUILDKIT_CHECKS
        .iter()
        .find(|c| c.eq_ignore_ascii_case(code))
    {
        return format!(
            "**{check}**: a BuildKit build check (`docker build` reports it); \
             berth has no rule of this name yet."
        );
    }
    if is_sc_code(code) {
        let code = code.to_ascii_uppercase();
        return format!(
            "**{code}**: a ShellCheck check on the scripts of RUN instructions \
             (reported when `shellcheck` is installed).\n\n\
             See [{code}](https://www.shellcheck.net/wiki/{code}) in the ShellCheck wiki."
        );
    }
    let names = rules::all()
        .iter()
        .flat_map(|r| std::iter::once(r.meta.code).chain(r.meta.aliases.iter().copied()));
    match closest(code, names) {
        Some(near) => format!("No rule has the code `{code}`. Did you mean `{near}`?"),
        None => format!("No rule has the code `{code}` (`berth rules` lists them)."),
    }
}

pub(super) fn hover(m: &Model, text: &str, offset: TextSize) -> Option<HoverResult> {
    pragmas(m, text)
        .into_iter()
        .filter(|p| p.range.touches(offset))
        .find_map(|p| {
            p.codes
                .iter()
                .find(|(_, r)| r.touches(offset))
                .map(|(code, range)| HoverResult {
                    markdown: code_docs(code, p.kind),
                    range: *range,
                })
        })
}
