//! LSP handlers for references, highlight, rename, symbols, folding and
//! selection ranges: conversions around the `ide` features, each answer
//! within [`MAX_ITEMS`] items.

#![allow(deprecated)] // `DocumentSymbol::deprecated` must be written out.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Error;
use tower_lsp_server::ls_types::*;

use crate::ide::{self, Access, Analysis, FoldKind};

use super::convert::Conv;
use super::MAX_ITEMS;

fn locations(a: &Analysis, conv: Conv, uri: &Uri, occ: &[ide::Occurrence]) -> Vec<Location> {
    occ.iter()
        .take(MAX_ITEMS)
        .map(|o| Location::new(uri.clone(), conv.range(a.line_index(), o.range)))
        .collect()
}

pub(super) fn references(
    a: &Analysis,
    conv: Conv,
    uri: &Uri,
    pos: Position,
    include_declaration: bool,
) -> Vec<Location> {
    let offset = conv.offset(a.line_index(), pos);
    locations(a, conv, uri, &a.references(offset, include_declaration))
}

pub(super) fn highlights(a: &Analysis, conv: Conv, pos: Position) -> Vec<DocumentHighlight> {
    let offset = conv.offset(a.line_index(), pos);
    a.highlights(offset)
        .iter()
        .take(MAX_ITEMS)
        .map(|o| DocumentHighlight {
            range: conv.range(a.line_index(), o.range),
            kind: Some(match o.access {
                Access::Write => DocumentHighlightKind::WRITE,
                Access::Read => DocumentHighlightKind::READ,
            }),
        })
        .collect()
}

/// The refusal of a rename of more than [`MAX_ITEMS`] places: the edit
/// would be megabytes, and only a whole rename keeps the file working.
fn too_many(places: usize) -> Error {
    refused(format!(
        "berth renames at most {MAX_ITEMS} places at once; this name is written in {places}"
    ))
}

fn refused(message: String) -> Error {
    let mut e = Error::invalid_request();
    e.message = message.into();
    e
}

pub(super) fn prepare_rename(
    a: &Analysis,
    conv: Conv,
    pos: Position,
) -> Result<PrepareRenameResponse, Error> {
    let offset = conv.offset(a.line_index(), pos);
    let t = a.prepare_rename(offset).map_err(|e| refused(e.0))?;
    let places = a.references(offset, true).len();
    if places > MAX_ITEMS {
        return Err(too_many(places));
    }
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: conv.range(a.line_index(), t.range),
        placeholder: t.placeholder,
    })
}

/// The edit, and a note for `window/showMessage` about references left
/// unchanged.
pub(super) fn rename(
    a: &Analysis,
    conv: Conv,
    uri: &Uri,
    pos: Position,
    new_name: &str,
) -> Result<(WorkspaceEdit, Option<String>), Error> {
    let offset = conv.offset(a.line_index(), pos);
    let r = a.rename(offset, new_name).map_err(|e| refused(e.0))?;
    if r.edits.len() > MAX_ITEMS {
        return Err(too_many(r.edits.len()));
    }
    let edits = r
        .edits
        .iter()
        .map(|e| TextEdit::new(conv.range(a.line_index(), e.range), e.new_text.clone()))
        .collect();
    let edit = WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    };
    Ok((edit, r.note()))
}

fn symbol_kind(k: ide::SymbolKind) -> SymbolKind {
    match k {
        ide::SymbolKind::Stage => SymbolKind::MODULE,
        ide::SymbolKind::Arg | ide::SymbolKind::VarInstruction => SymbolKind::VARIABLE,
        ide::SymbolKind::Instruction => SymbolKind::FUNCTION,
    }
}

fn document_symbol(a: &Analysis, conv: Conv, s: &ide::Symbol) -> DocumentSymbol {
    let idx = a.line_index();
    DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: conv.range(idx, s.range.cover(s.selection)),
        selection_range: conv.range(idx, s.selection),
        children: (!s.children.is_empty()).then(|| {
            s.children
                .iter()
                .map(|c| document_symbol(a, conv, c))
                .collect()
        }),
    }
}

/// The outline, its first [`MAX_ITEMS`] symbols (children counted).
pub(super) fn document_symbols(a: &Analysis, conv: Conv) -> DocumentSymbolResponse {
    DocumentSymbolResponse::Nested(
        a.document_symbols_at_most(MAX_ITEMS)
            .iter()
            .map(|s| document_symbol(a, conv, s))
            .collect(),
    )
}

pub(super) fn workspace_symbols(
    docs: &[(Uri, Analysis)],
    conv: Conv,
    query: &str,
) -> Vec<WorkspaceSymbol> {
    let mut out = Vec::new();
    for (uri, a) in docs {
        let left = MAX_ITEMS - out.len();
        if left == 0 {
            break;
        }
        for s in a.workspace_symbols(query).into_iter().take(left) {
            out.push(WorkspaceSymbol {
                name: s.name,
                kind: symbol_kind(s.kind),
                tags: None,
                container_name: s.container,
                location: OneOf::Left(Location::new(
                    uri.clone(),
                    conv.range(a.line_index(), s.range),
                )),
                data: None,
            });
        }
    }
    out
}

/// Folding ranges in lines; with `line_folding_only`, whole lines only
/// (no characters). One range per start line (the largest), as editors
/// keep only one.
pub(super) fn folding_ranges(
    a: &Analysis,
    conv: Conv,
    line_folding_only: bool,
) -> Vec<FoldingRange> {
    let idx = a.line_index();
    let mut out: Vec<FoldingRange> = Vec::new();
    for f in a.folding_ranges() {
        let start = conv.position(idx, f.range.start);
        let mut end = conv.position(idx, f.range.end);
        let mut end_character = Some(end.character);
        if end.character == 0 && end.line > start.line {
            // Ends with a line break: the fold ends on the line before.
            end.line -= 1;
            end_character = None;
        }
        if end.line <= start.line {
            continue;
        }
        out.push(FoldingRange {
            start_line: start.line,
            start_character: (!line_folding_only).then_some(start.character),
            end_line: end.line,
            end_character: if line_folding_only {
                None
            } else {
                end_character
            },
            kind: Some(match f.kind {
                FoldKind::Comment => FoldingRangeKind::Comment,
                FoldKind::Region => FoldingRangeKind::Region,
            }),
            collapsed_text: None,
        });
    }
    out.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    out.dedup_by_key(|f| f.start_line);
    out.truncate(MAX_ITEMS);
    out
}

/// One chain per position, as the protocol wants, with [`MAX_ITEMS`]
/// ranges in all: the positions past them get an empty range where they
/// are (which a client shows as "nothing to expand to").
pub(super) fn selection_ranges(
    a: &Analysis,
    conv: Conv,
    positions: &[Position],
) -> Vec<SelectionRange> {
    let mut left = MAX_ITEMS;
    positions
        .iter()
        .map(|&p| {
            let mut chain = if left > 0 {
                a.selection_ranges(conv.offset(a.line_index(), p))
            } else {
                Vec::new()
            };
            chain.dedup();
            chain.truncate(left);
            left -= chain.len();
            let mut node: Option<SelectionRange> = None;
            for r in chain.iter().rev() {
                node = Some(SelectionRange {
                    range: conv.range(a.line_index(), *r),
                    parent: node.map(Box::new),
                });
            }
            node.unwrap_or(SelectionRange {
                range: Range::new(p, p),
                parent: None,
            })
        })
        .collect()
}
