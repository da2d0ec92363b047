//! Conversions between berth's byte ranges and LSP types.

use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

use crate::host::shellcheck::{is_sc_code, wiki_url};
use crate::ide::{Analysis, CompletionItem, CompletionKind, NavTarget};
use crate::rules::{Diagnostic, Severity, Tag};
use crate::text::{LineCol, LineIndex, LineStarts, PositionEncoding, TextRange, TextSize};

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
            // Other codes for the same rule (hadolint's), for clients that
            // want them; the code itself is `code`.
            data: (!d.aliases.is_empty()).then(|| serde_json::json!({ "aliases": d.aliases })),
        }
    }

    /// The `textDocument/publishDiagnostics` notification of `diags` on
    /// `text`, serialised straight to JSON: the same JSON as
    /// [`Conv::diagnostic`] through serde, without building an
    /// `lsp::Diagnostic` and a `serde_json::Value` per diagnostic and
    /// without walking the rope per position. It is on every keystroke's
    /// path: on a 5,000-line file with 700 diagnostics the other way took
    /// about 1.3 ms.
    pub fn publish_body(
        &self,
        text: &str,
        uri: &Uri,
        version: i32,
        diags: &[Diagnostic],
    ) -> Vec<u8> {
        let lines = LineStarts::new(text);
        let mut uri_json = Vec::new();
        json_str(&mut uri_json, uri.as_str());
        let mut out = Vec::with_capacity(256 + diags.len() * 256);
        out.extend_from_slice(
            br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
        );
        out.extend_from_slice(&uri_json);
        out.extend_from_slice(br#","diagnostics":["#);
        for (i, d) in diags.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.write_diagnostic(&mut out, &lines, &uri_json, d);
        }
        out.extend_from_slice(br#"],"version":"#);
        out.extend_from_slice(version.to_string().as_bytes());
        out.extend_from_slice(b"}}");
        out
    }

    fn write_range(&self, out: &mut Vec<u8>, lines: &LineStarts, r: TextRange) {
        let a = lines.line_col(r.start, self.encoding);
        let b = lines.line_col(r.end, self.encoding);
        out.extend_from_slice(br#"{"start":{"line":"#);
        push_u32(out, a.line);
        out.extend_from_slice(br#","character":"#);
        push_u32(out, a.col);
        out.extend_from_slice(br#"},"end":{"line":"#);
        push_u32(out, b.line);
        out.extend_from_slice(br#","character":"#);
        push_u32(out, b.col);
        out.extend_from_slice(b"}}");
    }

    fn write_diagnostic(&self, out: &mut Vec<u8>, lines: &LineStarts, uri: &[u8], d: &Diagnostic) {
        out.extend_from_slice(br#"{"range":"#);
        self.write_range(out, lines, d.range);
        let severity = match d.severity {
            Severity::Error => b'1',
            Severity::Warning => b'2',
            Severity::Info => b'3',
            Severity::Hint => b'4',
        };
        out.extend_from_slice(br#","severity":"#);
        out.push(severity);
        out.extend_from_slice(br#","code":"#);
        json_str(out, d.code);
        let sc = is_sc_code(d.code);
        if sc {
            out.extend_from_slice(br#","codeDescription":{"href":"#);
            json_str(out, &wiki_url(d.code));
            out.push(b'}');
        }
        out.extend_from_slice(br#","source":"#);
        json_str(out, if sc { "shellcheck" } else { "berth" });
        out.extend_from_slice(br#","message":"#);
        json_str(out, &d.message);
        if !d.related.is_empty() {
            out.extend_from_slice(br#","relatedInformation":["#);
            for (i, r) in d.related.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(br#"{"location":{"uri":"#);
                out.extend_from_slice(uri);
                out.extend_from_slice(br#","range":"#);
                self.write_range(out, lines, r.range);
                out.extend_from_slice(br#"},"message":"#);
                json_str(out, &r.message);
                out.push(b'}');
            }
            out.push(b']');
        }
        if !d.tags.is_empty() {
            out.extend_from_slice(br#","tags":["#);
            for (i, t) in d.tags.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.push(match t {
                    Tag::Unnecessary => b'1',
                    Tag::Deprecated => b'2',
                });
            }
            out.push(b']');
        }
        if !d.aliases.is_empty() {
            out.extend_from_slice(br#","data":{"aliases":["#);
            for (i, a) in d.aliases.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_str(out, a);
            }
            out.extend_from_slice(b"]}");
        }
        out.push(b'}');
    }

    pub fn location_link(&self, idx: &LineIndex, uri: &Uri, t: &NavTarget) -> lsp::LocationLink {
        lsp::LocationLink {
            origin_selection_range: Some(self.range(idx, t.origin)),
            target_uri: uri.clone(),
            target_range: self.range(idx, t.full.cover(t.focus)),
            target_selection_range: self.range(idx, t.focus),
        }
    }

    /// `c` in LSP terms, its edit replacing `range` (`c.edit_range`
    /// converted: the items of one request share it).
    pub fn completion_item(&self, range: lsp::Range, c: &CompletionItem) -> lsp::CompletionItem {
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
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range,
                new_text: c.insert_text.clone(),
            })),
            ..Default::default()
        }
    }
}

/// `n` in decimal, as JSON writes it.
fn push_u32(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// `s` as a JSON string.
fn json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::Settings;
    use crate::rules::{Related, Safety};
    use std::sync::Arc;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 4_096, 1_000_000, u32::MAX] {
            let mut out = b"x".to_vec();
            push_u32(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
        }
    }

    /// The direct serialisation equals serde's of [`Conv::diagnostic`], in
    /// every encoding, on a file with wide characters, CRLF and lone CR
    /// line breaks, related information, tags, aliases, and a ShellCheck
    /// finding with escapes in its message.
    #[test]
    fn publish_body_is_what_serde_writes() {
        let text = "FROM ubuntu:latest AS Build\r\nRUN apt-get install -y curl é😀 && cd /x\rMAINTAINER \"a\" <a@b>\n\
                    FROM build\nCOPY --from=nope /a /b\nRUN sudo echo \"$X\"\nUSER root\nFROM alpine AS build\n";
        let a = Analysis::from_text(text, Arc::new(Settings::default()));
        let mut diags = a.diagnostics().to_vec();
        assert!(diags.iter().any(|d| !d.related.is_empty()));
        assert!(diags.iter().any(|d| !d.tags.is_empty()));
        assert!(diags.iter().any(|d| !d.aliases.is_empty()));
        let wide = text.find('😀').unwrap() as TextSize;
        diags.push(Diagnostic {
            code: "SC2086",
            aliases: &[],
            range: TextRange::new(wide, wide + 4),
            severity: Severity::Info,
            message: "Double quote \"$X\"\t\\ to prevent globbing 😀\u{1}".into(),
            related: vec![Related {
                range: TextRange::new(wide + 2, text.len() as TextSize + 5),
                message: "here".into(),
            }],
            tags: vec![Tag::Deprecated, Tag::Unnecessary],
            fixes: vec![crate::rules::Fix {
                label: "quote".into(),
                safety: Safety::Safe,
                edits: Vec::new(),
            }],
        });
        let uri: Uri = "file:///tmp/a%20b/Dockerfile".parse().unwrap();
        for encoding in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let conv = Conv { encoding };
            let body = conv.publish_body(a.text(), &uri, 7, &diags);
            let direct: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let params = lsp::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics: diags.iter().map(|d| conv.diagnostic(&a, &uri, d)).collect(),
                version: Some(7),
            };
            let expected = serde_json::json!({
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": params,
            });
            assert_eq!(direct, expected, "{encoding:?}");
        }
    }
}
