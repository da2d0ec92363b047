//! Apply every mechanical fix of a file at once (`source.fixAll`,
//! `berth fix`).

use std::sync::Arc;

use crate::rules::{self, Category, Diagnostic, Fix, Safety};
use crate::text::{apply_edits, TextEdit, TextRange};

use super::Analysis;

/// Rounds of apply-and-reanalyse before giving up on converging.
const MAX_ROUNDS: usize = 8;

/// The fix `fix_all` would pick for a diagnostic: the first one allowed.
pub fn chosen_fix(d: &Diagnostic, include_unsafe: bool) -> Option<&Fix> {
    d.fixes
        .iter()
        .find(|f| !f.edits.is_empty() && (include_unsafe || f.safety == Safety::Safe))
}

fn syntax_errors(a: &Analysis) -> usize {
    a.diagnostics()
        .iter()
        .filter(|d| rules::find(d.code).is_some_and(|r| r.meta.category == Category::Syntax))
        .count()
}

fn conflicts(a: &TextEdit, b: &TextEdit) -> bool {
    let (x, y) = (a.range, b.range);
    (x.start < y.end && y.start < x.end) || (x.start == y.start && (x.is_empty() || y.is_empty()))
}

/// One round: the fixes of `a` that do not overlap an earlier one, and the
/// codes they fix.
fn round(a: &Analysis, include_unsafe: bool) -> (Vec<TextEdit>, Vec<&'static str>) {
    let mut taken: Vec<TextEdit> = Vec::new();
    let mut codes = Vec::new();
    for d in a.diagnostics() {
        let Some(fix) = chosen_fix(d, include_unsafe) else {
            continue;
        };
        if fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| conflicts(e, t)))
            || fix
                .edits
                .iter()
                .enumerate()
                .any(|(i, e)| fix.edits[..i].iter().any(|t| conflicts(e, t)))
        {
            continue; // the next round picks it up
        }
        taken.extend(fix.edits.iter().cloned());
        codes.push(d.code);
    }
    (taken, codes)
}

/// What [`fix_all`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixAllResult {
    /// Edits on the original text (non-overlapping).
    pub edits: Vec<TextEdit>,
    /// The fixed text.
    pub text: String,
    /// Codes of the findings fixed, one per finding, in order.
    pub fixed: Vec<&'static str>,
}

/// Every fix of the file combined: overlapping fixes wait for the next
/// round, and rounds repeat (apply, re-analyse) until nothing changes, so
/// fixes that enable each other converge. A round that would add a syntax
/// error is dropped.
pub fn fix_all_detailed(analysis: &Analysis, include_unsafe: bool) -> FixAllResult {
    let settings = Arc::new(analysis.settings().clone());
    let original = analysis.text();
    let mut current = analysis.clone();
    let mut fixed = Vec::new();
    let mut first_edits: Option<Vec<TextEdit>> = None;
    let mut rounds = 0;
    for _ in 0..MAX_ROUNDS {
        let (edits, codes) = round(&current, include_unsafe);
        if edits.is_empty() {
            break;
        }
        let Some(next_text) = apply_edits(current.text(), &edits) else {
            break;
        };
        if next_text == current.text() {
            break;
        }
        let next = Analysis::from_text(&next_text, settings.clone());
        if syntax_errors(&next) > syntax_errors(&current) {
            break;
        }
        if rounds == 0 {
            first_edits = Some(edits);
        }
        rounds += 1;
        fixed.extend(codes);
        current = next;
    }
    let text = current.text().to_string();
    let edits = match (rounds, first_edits) {
        (0, _) => Vec::new(),
        (1, Some(e)) => e,
        _ => vec![minimal_edit(original, &text)],
    };
    FixAllResult { edits, text, fixed }
}

/// The edits that apply every fix of the file (safe ones, or all with
/// `include_unsafe`) to its text.
pub fn fix_all(analysis: &Analysis, include_unsafe: bool) -> Vec<TextEdit> {
    fix_all_detailed(analysis, include_unsafe).edits
}

/// One edit replacing what differs between `old` and `new` (common prefix
/// and suffix kept), on character boundaries.
fn minimal_edit(old: &str, new: &str) -> TextEdit {
    let mut p = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(p) || !new.is_char_boundary(p) {
        p -= 1;
    }
    let max_s = old.len().min(new.len()) - p;
    let mut s = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - s) || !new.is_char_boundary(new.len() - s) {
        s -= 1;
    }
    TextEdit::replace(
        TextRange::from_usize(p, old.len() - s),
        &new[p..new.len() - s],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_rebuilds_the_new_text() {
        for (a, b) in [
            ("abc", "abc"),
            ("abc", "axc"),
            ("aé", "aè"),
            ("", "x"),
            ("xx", "x"),
        ] {
            let e = minimal_edit(a, b);
            assert_eq!(apply_edits(a, &[e]).as_deref(), Some(b));
        }
    }
}
