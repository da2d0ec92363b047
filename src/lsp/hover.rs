//! Hover, signature help and completion documentation in LSP terms:
//! markdown or plain text as the client asked, label offsets in UTF-16,
//! lazy completion documentation through `completionItem/resolve`.

use serde_json::{json, Value};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

use crate::ide::{Analysis, CompletionItem};
use crate::text::TextSize;

use super::convert::Conv;
use super::MAX_DOC_BYTES;

/// The documentation formats the client reads.
#[derive(Clone, Copy, Debug)]
pub struct Formats {
    pub hover_markdown: bool,
    pub completion_markdown: bool,
    pub signature_markdown: bool,
}

impl Default for Formats {
    fn default() -> Formats {
        Formats {
            hover_markdown: true,
            completion_markdown: true,
            signature_markdown: true,
        }
    }
}

/// Markdown unless the client lists formats without it.
fn wants_markdown(formats: Option<&Vec<lsp::MarkupKind>>) -> bool {
    formats.is_none_or(|f| f.is_empty() || f.contains(&lsp::MarkupKind::Markdown))
}

impl Formats {
    pub fn from_capabilities(caps: &lsp::ClientCapabilities) -> Formats {
        let td = caps.text_document.as_ref();
        Formats {
            hover_markdown: wants_markdown(
                td.and_then(|t| t.hover.as_ref())
                    .and_then(|h| h.content_format.as_ref()),
            ),
            completion_markdown: wants_markdown(
                td.and_then(|t| t.completion.as_ref())
                    .and_then(|c| c.completion_item.as_ref())
                    .and_then(|i| i.documentation_format.as_ref()),
            ),
            signature_markdown: wants_markdown(
                td.and_then(|t| t.signature_help.as_ref())
                    .and_then(|s| s.signature_information.as_ref())
                    .and_then(|i| i.documentation_format.as_ref()),
            ),
        }
    }
}

/// Markdown as plain text: code fences, emphasis and backticks dropped,
/// table rows as `part: value`.
pub fn plain(md: &str) -> String {
    let mut out = String::new();
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("|---") || t == "---" || t == "| part | value |" {
            continue;
        }
        let line = if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
            let cells: Vec<&str> = t[1..t.len() - 1].split('|').map(str::trim).collect();
            cells.join(": ")
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    super::progress::markdown_to_plain(&out)
}

/// `md` cut to [`MAX_DOC_BYTES`] (a stage of a generated file may be used
/// by thousands, and its summary names them all): at the last line break
/// or space before the limit, with `…` after, and a code block still open
/// there closed.
fn bounded(md: String) -> String {
    if md.len() <= MAX_DOC_BYTES {
        return md;
    }
    let mut cut = crate::text::floor_char_boundary(&md, MAX_DOC_BYTES - 8);
    if let Some(at) = md[..cut].rfind(['\n', ' ']) {
        cut = at;
    }
    let mut out = md[..cut].to_string();
    out.push_str(" …");
    if out.matches("```").count() % 2 == 1 {
        out.push_str("\n```");
    }
    out
}

fn markup(md: String, markdown: bool) -> lsp::MarkupContent {
    let md = bounded(md);
    if markdown {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: md,
        }
    } else {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::PlainText,
            value: plain(&md),
        }
    }
}

pub fn hover(a: &Analysis, conv: Conv, pos: lsp::Position, f: Formats) -> Option<lsp::Hover> {
    let offset = conv.offset(a.line_index(), pos);
    let h = a.hover(offset)?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(markup(h.markdown, f.hover_markdown)),
        range: Some(conv.range(a.line_index(), h.range)),
    })
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

pub fn signature_help(
    a: &Analysis,
    conv: Conv,
    pos: lsp::Position,
    f: Formats,
) -> Option<lsp::SignatureHelp> {
    let offset = conv.offset(a.line_index(), pos);
    let s = a.signature_help(offset)?;
    let doc = |text: &str| {
        Some(lsp::Documentation::MarkupContent(markup(
            text.to_string(),
            f.signature_markdown,
        )))
    };
    let parameters: Vec<lsp::ParameterInformation> = s
        .parameters
        .iter()
        .map(|p| {
            let start = utf16_len(&s.label[..p.label.start as usize]);
            let len = utf16_len(p.label.slice(&s.label));
            lsp::ParameterInformation {
                label: lsp::ParameterLabel::LabelOffsets([start, start + len]),
                documentation: doc(&p.documentation),
            }
        })
        .collect();
    // No active parameter: an index past the list, which clients show
    // with nothing highlighted (omitting it would mean the first one).
    let active = s.active_parameter.unwrap_or(parameters.len()) as u32;
    Some(lsp::SignatureHelp {
        signatures: vec![lsp::SignatureInformation {
            label: s.label.clone(),
            documentation: doc(&s.documentation),
            parameters: Some(parameters),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}

/// A completion item in LSP terms; items whose documentation is computed
/// on demand carry `data` to find them again in `completionItem/resolve`.
pub fn completion_item(
    conv: Conv,
    c: &CompletionItem,
    range: lsp::Range,
    uri: &Uri,
    offset: TextSize,
    f: Formats,
) -> lsp::CompletionItem {
    let mut item = conv.completion_item(range, c);
    match c.documentation.clone() {
        Some(d) => {
            item.documentation = Some(lsp::Documentation::MarkupContent(markup(
                d,
                f.completion_markdown,
            )))
        }
        None if matches!(
            c.kind,
            crate::ide::CompletionKind::Stage | crate::ide::CompletionKind::Variable
        ) =>
        {
            item.data = Some(json!({ "uri": uri.as_str(), "offset": offset, "berth": "doc" }));
        }
        None => {}
    }
    item
}

/// The document and offset a resolvable item came from.
pub fn resolve_target(item: &lsp::CompletionItem) -> Option<(Uri, TextSize)> {
    let data = item.data.as_ref()?;
    if data.get("berth") != Some(&Value::from("doc")) {
        return None;
    }
    let uri = data.get("uri")?.as_str()?.parse().ok()?;
    let offset = u32::try_from(data.get("offset")?.as_u64()?).ok()?;
    Some((uri, offset))
}

/// Fill the documentation of `item`, offered at `offset` of `a`.
pub fn resolve(
    a: &Analysis,
    mut item: lsp::CompletionItem,
    offset: TextSize,
    f: Formats,
) -> lsp::CompletionItem {
    let found = a
        .completions(offset)
        .into_iter()
        .find(|c| c.label == item.label)
        .and_then(|c| a.completion_documentation(offset, &c));
    if let Some(d) = found {
        item.documentation = Some(lsp::Documentation::MarkupContent(markup(
            d,
            f.completion_markdown,
        )));
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_documentation_is_cut() {
        let long = format!("```\n{}", "word ".repeat(10_000));
        let cut = bounded(long);
        assert!(cut.len() <= MAX_DOC_BYTES, "{}", cut.len());
        assert!(cut.ends_with(" …\n```"), "{}", &cut[cut.len() - 20..]);
        assert_eq!(bounded("short".into()), "short");
    }

    #[test]
    fn plain_text_drops_markdown() {
        let md = "**image** `nginx`\n\n| part | value |\n|---|---|\n| tag | `latest` (implied) |\n\n```dockerfile\nFROM a\n```\n";
        assert_eq!(plain(md), "image nginx\n\ntag: latest (implied)\n\nFROM a");
    }
}
