//! Semantic tokens, document links, inlay hints and code lenses: the LSP
//! shapes of the `ide` features, with positions in the negotiated encoding.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::json;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

use crate::ide::{token_modifiers, Analysis, InlayHintConfig, InlayKind, LensKind, TokenType};
use crate::text::{BoundedCache, TextRange};

use super::convert::Conv;

/// The command a "used by" lens carries. Its arguments are those of VS
/// Code's `editor.action.showReferences` (uri, position, locations), so a
/// client extension can forward them; berth itself registers no command.
pub const SHOW_REFERENCES: &str = "berth.showReferences";

fn type_name(t: TokenType) -> lsp::SemanticTokenType {
    match t {
        TokenType::Keyword => lsp::SemanticTokenType::KEYWORD,
        TokenType::Parameter => lsp::SemanticTokenType::PARAMETER,
        TokenType::Class => lsp::SemanticTokenType::CLASS,
        TokenType::Namespace => lsp::SemanticTokenType::NAMESPACE,
        TokenType::Variable => lsp::SemanticTokenType::VARIABLE,
        TokenType::String => lsp::SemanticTokenType::STRING,
        TokenType::Number => lsp::SemanticTokenType::NUMBER,
        TokenType::Comment => lsp::SemanticTokenType::COMMENT,
        TokenType::Macro => lsp::SemanticTokenType::MACRO,
        TokenType::Decorator => lsp::SemanticTokenType::DECORATOR,
        TokenType::EnumMember => lsp::SemanticTokenType::ENUM_MEMBER,
    }
}

pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TokenType::ALL.iter().map(|&t| type_name(t)).collect(),
        token_modifiers: token_modifiers::NAMES
            .iter()
            .map(|&n| lsp::SemanticTokenModifier::new(n))
            .collect(),
    }
}

pub fn semantic_tokens_capability() -> lsp::SemanticTokensServerCapabilities {
    lsp::SemanticTokensOptions {
        legend: legend(),
        range: Some(true),
        full: Some(lsp::SemanticTokensFullOptions::Delta { delta: Some(true) }),
        ..Default::default()
    }
    .into()
}

/// Relative encoding (LSP 3.16): each token's line and start are deltas
/// from the previous token; lengths in the negotiated encoding.
fn encode(a: &Analysis, conv: Conv, tokens: &[crate::ide::SemanticToken]) -> lsp::SemanticTokens {
    let idx = a.line_index();
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut col) = (0u32, 0u32);
    for t in tokens {
        let start = conv.position(idx, t.range.start);
        let end = conv.position(idx, t.range.end);
        if end.line != start.line || end.character <= start.character {
            continue; // never happens for the single-line tokens `ide` yields
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - col
        } else {
            start.character
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: t.ty.index(),
            token_modifiers_bitset: t.modifiers,
        });
        line = start.line;
        col = start.character;
    }
    lsp::SemanticTokens {
        result_id: None,
        data,
    }
}

/// The last full result sent per document, for `semanticTokens/full/delta`.
/// Bounded in bytes (a huge document's tokens are megabytes): past
/// [`SENT_BYTES`] the least recently used go, and a client whose id is gone
/// gets full tokens, which the protocol allows.
struct Sent {
    id: String,
    data: Vec<lsp::SemanticToken>,
}

const SENT_BYTES: usize = 8 << 20;

type SentCache = BoundedCache<Uri, Arc<Sent>>;

fn sent() -> &'static Mutex<SentCache> {
    static SENT: OnceLock<Mutex<SentCache>> = OnceLock::new();
    SENT.get_or_init(|| Mutex::new(BoundedCache::new(SENT_BYTES)))
}

fn remember(uri: &Uri, data: &[lsp::SemanticToken]) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed).to_string();
    let cost = uri.as_str().len() + std::mem::size_of_val(data) + std::mem::size_of::<Sent>();
    let sent_now = Arc::new(Sent {
        id: id.clone(),
        data: data.to_vec(),
    });
    let mut map = sent().lock().unwrap_or_else(|e| e.into_inner());
    map.insert(uri.clone(), sent_now, cost);
    id
}

/// Forget what was sent for a closed document.
pub fn forget_sent(uri: &Uri) {
    sent().lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
}

pub fn semantic_tokens_full(a: &Analysis, conv: Conv, uri: &Uri) -> lsp::SemanticTokens {
    let mut tokens = encode(a, conv, &a.semantic_tokens());
    tokens.result_id = Some(remember(uri, &tokens.data));
    tokens
}

/// One edit from the previous result to `new`: the tokens between the
/// common prefix and the common suffix.
fn diff(old: &[lsp::SemanticToken], new: &[lsp::SemanticToken]) -> Vec<lsp::SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == old.len() && prefix == new.len() {
        return Vec::new();
    }
    vec![lsp::SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: ((old.len() - prefix - suffix) * 5) as u32,
        data: Some(new[prefix..new.len() - suffix].to_vec()),
    }]
}

pub fn semantic_tokens_delta(
    a: &Analysis,
    conv: Conv,
    uri: &Uri,
    previous: &str,
) -> lsp::SemanticTokensFullDeltaResult {
    let new = encode(a, conv, &a.semantic_tokens()).data;
    let edits = {
        let last = sent().lock().unwrap_or_else(|e| e.into_inner()).get(uri);
        last.filter(|s| s.id == previous)
            .map(|s| diff(&s.data, &new))
    };
    let id = remember(uri, &new);
    match edits {
        Some(edits) => lsp::SemanticTokensFullDeltaResult::TokensDelta(lsp::SemanticTokensDelta {
            result_id: Some(id),
            edits,
        }),
        None => lsp::SemanticTokensFullDeltaResult::Tokens(lsp::SemanticTokens {
            result_id: Some(id),
            data: new,
        }),
    }
}

pub fn semantic_tokens_range(a: &Analysis, conv: Conv, range: lsp::Range) -> lsp::SemanticTokens {
    let r = conv.text_range(a.line_index(), range);
    encode(a, conv, &a.semantic_tokens_in(r))
}

pub fn document_links(a: &Analysis, conv: Conv) -> Vec<lsp::DocumentLink> {
    let idx = a.line_index();
    a.document_links()
        .into_iter()
        .filter_map(|l| {
            let target: Uri = l.target.parse().ok()?;
            Some(lsp::DocumentLink {
                range: conv.range(idx, l.range),
                target: Some(target),
                tooltip: Some(l.tooltip),
                data: None,
            })
        })
        .collect()
}

pub fn inlay_hints(
    a: &Analysis,
    conv: Conv,
    range: lsp::Range,
    config: InlayHintConfig,
) -> Vec<lsp::InlayHint> {
    let idx = a.line_index();
    let r: TextRange = conv.text_range(idx, range);
    a.inlay_hints(r, config)
        .into_iter()
        .map(|h| lsp::InlayHint {
            position: conv.position(idx, h.offset),
            label: lsp::InlayHintLabel::String(h.label),
            kind: Some(match h.kind {
                InlayKind::Type => lsp::InlayHintKind::TYPE,
                InlayKind::Parameter => lsp::InlayHintKind::PARAMETER,
            }),
            text_edits: None,
            tooltip: h.tooltip.map(lsp::InlayHintTooltip::String),
            padding_left: Some(h.padding_left),
            padding_right: Some(h.padding_right),
            data: None,
        })
        .collect()
}

pub fn code_lenses(a: &Analysis, conv: Conv, uri: &Uri) -> Vec<lsp::CodeLens> {
    let idx = a.line_index();
    a.code_lenses()
        .into_iter()
        .map(|l| {
            let range = conv.range(idx, l.range);
            let command = match l.kind {
                LensKind::UsedBy => {
                    let locations: Vec<lsp::Location> = l
                        .locations
                        .iter()
                        .map(|&r| lsp::Location::new(uri.clone(), conv.range(idx, r)))
                        .collect();
                    lsp::Command {
                        title: l.title,
                        command: SHOW_REFERENCES.into(),
                        arguments: Some(vec![json!(uri), json!(range.start), json!(locations)]),
                    }
                }
                // Information only: an empty command id is a label that
                // does nothing when clicked (VS Code renders it so).
                LensKind::FinalImage | LensKind::NotBuilt => lsp::Command {
                    title: l.title,
                    command: String::new(),
                    arguments: None,
                },
            };
            lsp::CodeLens {
                range,
                command: Some(command),
                data: None,
            }
        })
        .collect()
}
