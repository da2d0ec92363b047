//! `textDocument/codeAction`: quick fixes of the diagnostics in range,
//! assists, and `source.fixAll.berth` (safe fixes only), within
//! [`MAX_ITEMS`] items: each action, its diagnostic and each of its edits
//! count one. Actions that do not fit are left out (the first ones in the
//! document are kept), and a fix-all that does not fit makes only its
//! first edits, which applying it again goes on from.

use std::collections::HashMap;

use tower_lsp_server::ls_types::*;

use crate::ide::{self, assists::AssistKind, Analysis};
use crate::rules::Safety;
use crate::text::{TextEdit, TextRange};

use super::convert::Conv;
use super::MAX_ITEMS;

const FIX_ALL_BERTH: &str = "source.fixAll.berth";

/// The kinds the server announces.
pub fn kinds() -> Vec<CodeActionKind> {
    vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::REFACTOR_REWRITE,
        CodeActionKind::SOURCE_FIX_ALL,
        CodeActionKind::new(FIX_ALL_BERTH),
    ]
}

/// Whether the client asked for `kind` (`only` holds kinds and their
/// parents: `source.fixAll` asks for `source.fixAll.berth`).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            kind == o
                || kind
                    .strip_prefix(o)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

fn intersects(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

pub fn code_actions(
    a: &Analysis,
    conv: Conv,
    params: &CodeActionParams,
    document_changes: bool,
) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let idx = a.line_index();
    let range = conv.text_range(idx, params.range);
    let only = params.context.only.as_deref();
    let edit = |edits: &[TextEdit]| workspace_edit(a, conv, uri, edits, document_changes);
    let mut out = Vec::new();
    let mut left = MAX_ITEMS;
    // Take `cost` from what is left, if it is there.
    let mut fits = |cost: usize| match left.checked_sub(cost) {
        Some(rest) => {
            left = rest;
            true
        }
        None => false,
    };

    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        let mut preferred_given = false;
        'diagnostics: for d in a.diagnostics() {
            if d.fixes.is_empty() || !intersects(d.range, range) {
                continue;
            }
            let lsp_diag = conv.diagnostic(a, uri, d);
            for fix in &d.fixes {
                if !fits(2 + fix.edits.len()) {
                    break 'diagnostics;
                }
                let preferred = fix.safety == Safety::Safe && !preferred_given;
                preferred_given |= preferred;
                let title = match fix.safety {
                    Safety::Safe => fix.label.clone(),
                    Safety::Unsafe => format!("{} (review: changes behaviour)", fix.label),
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: Some(edit(&fix.edits)),
                    is_preferred: preferred.then_some(true),
                    ..Default::default()
                }));
            }
        }
    }

    for assist in a.assists(range) {
        let kind = match assist.kind {
            AssistKind::QuickFix => CodeActionKind::QUICKFIX,
            AssistKind::RefactorRewrite => CodeActionKind::REFACTOR_REWRITE,
        };
        if !wanted(only, kind.as_str()) || !fits(1 + assist.change.edits.len()) {
            continue;
        }
        // LSP 3.17 has no snippet edits in a WorkspaceEdit: placeholders
        // become their default text.
        let edits: Vec<TextEdit> = assist
            .change
            .edits
            .iter()
            .map(|e| {
                if assist.change.is_snippet {
                    TextEdit::replace(e.range, strip_snippet(&e.new_text))
                } else {
                    e.clone()
                }
            })
            .collect();
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: assist.label.clone(),
            kind: Some(kind),
            edit: Some(edit(&edits)),
            ..Default::default()
        }));
    }

    if wanted(only, FIX_ALL_BERTH) && fits(1) {
        let mut edits = ide::fix_all(a, false);
        // Sorted and apart: the first ones alone are a valid edit.
        let all = edits.len();
        edits.truncate(left);
        if !edits.is_empty() {
            let title = if edits.len() == all {
                "Fix all safe berth findings".to_string()
            } else {
                format!(
                    "Fix safe berth findings (the first {} of {all} edits; again for the rest)",
                    edits.len()
                )
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::new(FIX_ALL_BERTH)),
                edit: Some(edit(&edits)),
                ..Default::default()
            }));
        }
    }
    out
}

fn workspace_edit(
    a: &Analysis,
    conv: Conv,
    uri: &Uri,
    edits: &[TextEdit],
    document_changes: bool,
) -> WorkspaceEdit {
    let idx = a.line_index();
    let lsp_edits: Vec<tower_lsp_server::ls_types::TextEdit> = edits
        .iter()
        .map(|e| tower_lsp_server::ls_types::TextEdit {
            range: conv.range(idx, e.range),
            new_text: e.new_text.clone(),
        })
        .collect();
    if document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(a.version()),
                },
                edits: lsp_edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), lsp_edits)])),
            ..Default::default()
        }
    }
}

/// Snippet text without its syntax: `${1:x}` → `x`, `${1|a,b|}` → `a`,
/// `$1` and `$0` → nothing, `\$` → `$`.
pub fn strip_snippet(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('$' | '}' | '\\')) => {
                out.push(chars.next().expect("peeked"));
            }
            '$' if chars.peek().is_some_and(|c| c.is_ascii_digit()) => {
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                match chars.next() {
                    Some(':') => depth += 1, // the default text follows, up to `}`
                    Some('|') => {
                        let mut first = true;
                        for c in chars.by_ref() {
                            match c {
                                '|' => break,
                                ',' => first = false,
                                c if first => out.push(c),
                                _ => {}
                            }
                        }
                        chars.next(); // `}`
                    }
                    _ => {} // `${1}`: consumed up to `}`
                }
            }
            '}' if depth > 0 => depth -= 1, // the end of a placeholder
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_become_their_default_text() {
        assert_eq!(strip_snippet("COPY ${1:src} ${2:/dst}$0"), "COPY src /dst");
        assert_eq!(strip_snippet("a ${1|x,y|} \\$HOME"), "a x $HOME");
        assert_eq!(strip_snippet("$1 ${2}"), " ");
        assert_eq!(
            strip_snippet("RUN echo \\${HOME} ${1:{a\\}}"),
            "RUN echo ${HOME} {a}"
        );
    }
}
