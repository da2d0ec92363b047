//! `textDocument/formatting` and `textDocument/rangeFormatting`: berth's
//! layout (see `ide/format.rs`) as minimal text edits. The client's
//! `FormattingOptions` (tab size, spaces) are not used: the layout is
//! fixed, like the one `berth fmt` writes.

use tower_lsp_server::ls_types::{Range, TextEdit};

use crate::ide::Analysis;
use crate::text;

use super::convert::Conv;

fn to_lsp(a: &Analysis, conv: Conv, edits: Vec<text::TextEdit>) -> Option<Vec<TextEdit>> {
    let idx = a.line_index();
    Some(
        edits
            .into_iter()
            .map(|e| TextEdit {
                range: conv.range(idx, e.range),
                new_text: e.new_text,
            })
            .collect(),
    )
}

pub fn formatting(a: &Analysis, conv: Conv) -> Option<Vec<TextEdit>> {
    to_lsp(a, conv, a.format())
}

pub fn range_formatting(a: &Analysis, conv: Conv, range: Range) -> Option<Vec<TextEdit>> {
    let r = conv.text_range(a.line_index(), range);
    to_lsp(a, conv, a.format_range(r))
}
