//! Conversions between berth's byte ranges and LSP types.

use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

use crate::host::shellcheck::{is_sc_code, wiki_url};
use crate::ide::{Analysis, CompletionItem, CompletionKind, NavTarget};
use crate::rules::{Diagnostic, Severity, Tag};
use crate::text::{LineCol, LineIndex, PositionEncoding, TextRange, TextSize};

#[derive(Clone, Copy)]
pub struct Conv {
    pub encoding: PositionEncoding,
}

impl Conv {
    pub fn position(&self, idx: &LineIndex, offset: TextSize) -> lsp::Position {
        let lc = idx.line_col(offset, self.encoding);
        lsp::Position::new(lc.line, lc.col)
    }

    pub fn range(&self, idx: &LineIndex, r: TextRange) -> lsp::Range {
        lsp::Range::new(self.position(idx, r.start), self.position(idx, r.end))
    }

    /// Any position maps to an offset: clamped to its line and the text.
    pub fn offset(&self, idx: &LineIndex, p: lsp::Position) -> TextSize {
        idx.offset(
            LineCol {
                line: p.line,
                col: p.character,
            },
            self.encoding,
        )
    }

    pub fn text_range(&self, idx: &LineIndex, r: lsp::Range) -> TextRange {
        let a = self.offset(idx, r.start);
        let b = self.offset(idx, r.end);
        TextRange::new(a.min(b), a.max(b))
    }

    pub fn diagnostic(&self, a: &Analysis, uri: &Uri, d: &Diagnostic) -> lsp::Diagnostic {
        let idx = a.line_index();
        let severity = match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            Severity::Hint => lsp::DiagnosticSeverity::HINT,
        };
        let related: Vec<_> = d
            .related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri.clone(), self.range(idx, r.range)),
                message: r.message.clone(),
            })
            .collect();
        let tags: Vec<_> = d
            .tags
            .iter()
            .map(|t| match t {
                Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
                Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
            })
            .collect();
        lsp::Diagnostic {
            range: self.range(idx, d.range),
            severity: Some(severity),
            code: Some(lsp::NumberOrString::String(d.code.to_string())),
            code_description: is_sc_code(d.code)
                .then(|| wiki_url(d.code).parse().ok())
                .flatten()
                .map(|href| lsp::CodeDescription { href }),
            source: Some(
                if is_sc_code(d.code) {
                    "shellcheck"
                } else {
                    "berth"
                }
                .into(),
            ),
            message: d.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            tags: (!tags.is_empty()).then_some(tags),
            data: Some(serde_json::json!({ "code": d.code, "aliases": d.aliases })),
        }
    }

    pub fn location_link(&self, idx: &LineIndex, uri: &Uri, t: &NavTarget) -> lsp::LocationLink {
        lsp::LocationLink {
            origin_selection_range: Some(self.range(idx, t.origin)),
            target_uri: uri.clone(),
            target_range: self.range(idx, t.full.cover(t.focus)),
            target_selection_range: self.range(idx, t.focus),
        }
    }

    pub fn completion_item(&self, idx: &LineIndex, c: &CompletionItem) -> lsp::CompletionItem {
        let kind = match c.kind {
            CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
            CompletionKind::Flag => lsp::CompletionItemKind::PROPERTY,
            CompletionKind::Value => lsp::CompletionItemKind::VALUE,
            CompletionKind::Stage => lsp::CompletionItemKind::MODULE,
            CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
            CompletionKind::File => lsp::CompletionItemKind::FILE,
            CompletionKind::Folder => lsp::CompletionItemKind::FOLDER,
        };
        lsp::CompletionItem {
            label: c.label.clone(),
            kind: Some(kind),
            detail: c.detail.clone(),
            documentation: c.documentation.clone().map(|d| {
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: d,
                })
            }),
            sort_text: c.sort_text.clone(),
            filter_text: Some(c.label.clone()),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: self.range(idx, c.edit_range),
                new_text: c.insert_text.clone(),
            })),
            ..Default::default()
        }
    }
}
