//! Assists: refactors offered on a range (code actions), one file each.
//! Quick fixes come from the diagnostics' fixes (`rules::Fix`).
//!
//! Every assist returns one [`SourceChange`]; its result must parse, and
//! must not add a diagnostic of severity warning or above (tests check
//! both).

use crate::model::Model;
use crate::text::{apply_edits, TextEdit, TextRange};

use super::Analysis;

/// What kind of code action an assist is (LSP `CodeActionKind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssistKind {
    /// `refactor.rewrite`
    RefactorRewrite,
    /// `quickfix`
    QuickFix,
}

/// A change to the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceChange {
    pub edits: Vec<TextEdit>,
    /// The edits' texts contain LSP snippet placeholders (`${1:path}`,
    /// `$0`) for the user to complete.
    pub is_snippet: bool,
}

impl SourceChange {
    pub fn apply(&self, text: &str) -> Option<String> {
        apply_edits(text, &self.edits)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assist {
    /// Stable id (`merge_run_layers`).
    pub id: &'static str,
    /// Title shown to the user.
    pub label: String,
    pub kind: AssistKind,
    /// The range the assist applies to (for highlighting).
    pub target: TextRange,
    pub change: SourceChange,
}

/// What an assist sees.
pub struct AssistCtx<'a> {
    pub analysis: &'a Analysis,
    pub text: &'a str,
    pub model: &'a Model,
    /// The selection (empty for a cursor).
    pub range: TextRange,
}

type AssistFn = fn(&AssistCtx, &mut Vec<Assist>);

mod convert_cmd_form;
mod merge_consecutive_runs;
mod merge_run_layers;
pub mod name_stage;
mod sort_packages;
mod split_run_at_and;
pub mod split_stages;

/// Every assist, one line each.
const ASSISTS: &[AssistFn] = &[
    // One line per assist.
    split_stages::split_stages,
    merge_run_layers::merge_run_layers,
    merge_consecutive_runs::merge_consecutive_runs,
    sort_packages::sort_packages,
    split_run_at_and::split_run_at_and,
    convert_cmd_form::convert_cmd_form,
    name_stage::name_stage,
];

/// Assists available for `range`.
pub fn assists(analysis: &Analysis, range: TextRange) -> Vec<Assist> {
    // Like the rules, refactors stay off texts too large to check: a
    // whole-file selection would parse every RUN of a generated file.
    if analysis.text().len() > crate::rules::MAX_CHECKED_BYTES {
        return Vec::new();
    }
    let ctx = AssistCtx {
        analysis,
        text: analysis.text(),
        model: analysis.model(),
        range,
    };
    let mut out = Vec::new();
    for f in ASSISTS {
        f(&ctx, &mut out);
    }
    out
}
