//! An open document: its text, a rope for line lookups, and a tree-sitter
//! tree parsed on first use.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use tree_sitter::{Parser, Tree};

use super::{floor_char_boundary, LineIndex, TextRange, TextSize};

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_berth_dockerfile::LANGUAGE.into())
        .expect("berth's Dockerfile grammar is ABI compatible with the linked tree-sitter");
    parser
}

/// Parse `text` with the Dockerfile grammar.
pub fn parse_tree(text: &str) -> Tree {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        match parser.parse(text, None) {
            Some(tree) => tree,
            None => {
                // Only happens after a cancelled parse; start afresh.
                parser.reset();
                parser
                    .parse(text, None)
                    .expect("parsing without timeout or cancellation flag succeeds")
            }
        }
    })
}

/// A document as the editor sees it. Cloning is cheap: the text is shared,
/// the rope is shared, the tree is reference counted.
///
/// The tree is parsed when a feature first asks for it, from scratch (see
/// ARCHITECTURE.md: tree-sitter-containerfile's incremental reparse saves
/// no time on this grammar and, after edits inside broken text, can
/// recover from errors differently than a fresh parse). Diagnostics do not
/// need the tree, so neither typing nor `berth check` pays for it.
#[derive(Clone)]
pub struct Document {
    text: Arc<str>,
    index: LineIndex,
    /// The tree of the current text, once parsed.
    tree: Arc<OnceLock<Tree>>,
    version: i32,
}

impl Document {
    pub fn new(text: impl Into<String>, version: i32) -> Document {
        let text: String = text.into();
        Document {
            index: LineIndex::new(&text),
            text: Arc::from(text),
            tree: Arc::new(OnceLock::new()),
            version,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        self.text.clone()
    }

    /// The syntax tree of the current text (parsed on first use).
    pub fn tree(&self) -> &Tree {
        self.tree.get_or_init(|| parse_tree(&self.text))
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.index
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn set_version(&mut self, version: i32) {
        self.version = version;
    }

    /// Replace `range` (or the whole text when `None`) with `new_text`.
    /// The range is clamped to the text and to char boundaries, so any
    /// input is accepted. The rope is edited in place; the tree is
    /// reparsed when next asked for. Returns the range of the old text
    /// that was replaced after clamping (`None` for the whole text).
    pub fn apply_change(&mut self, range: Option<TextRange>, new_text: &str) -> Option<TextRange> {
        let Some(range) = range else {
            *self = Document::new(new_text, self.version);
            return None;
        };
        let old = &*self.text;
        let start = floor_char_boundary(old, range.start as usize);
        let end = floor_char_boundary(old, range.end as usize).max(start);

        let mut text = String::with_capacity(old.len() - (end - start) + new_text.len());
        text.push_str(&old[..start]);
        text.push_str(new_text);
        text.push_str(&old[end..]);

        let rope = self.index.rope();
        let mut rope = rope.clone();
        let start_char = rope.byte_to_char(start);
        let end_char = rope.byte_to_char(end);
        rope.remove(start_char..end_char);
        rope.insert(start_char, new_text);

        self.tree = Arc::new(OnceLock::new());
        self.index = LineIndex::from_rope(rope);
        self.text = Arc::from(text);
        Some(TextRange::from_usize(start, end))
    }

    /// Byte range of the whole text.
    pub fn full_range(&self) -> TextRange {
        TextRange::new(0, self.text.len() as TextSize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_then_tree_matches_fresh_parse() {
        let mut doc = Document::new("FROM alpine AS base\nRUN echo hi\n", 1);
        doc.apply_change(Some(TextRange::new(15, 19)), "build");
        assert_eq!(doc.text(), "FROM alpine AS build\nRUN echo hi\n");
        let fresh = Document::new(doc.text(), 1);
        assert_eq!(
            doc.tree().root_node().to_sexp(),
            fresh.tree().root_node().to_sexp()
        );
        assert_eq!(doc.line_index().line_count(), 3);
    }

    #[test]
    fn ranges_inside_a_character_are_clamped() {
        let mut doc = Document::new("é", 1);
        doc.apply_change(Some(TextRange::new(1, 50)), "x");
        assert_eq!(doc.text(), "x");
    }
}
