//! An open document: its text, a rope for line lookups, and a tree-sitter
//! tree kept up to date by incremental reparsing.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tree_sitter::{InputEdit, Parser, Point, Tree};

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

/// Reparse `rope` reusing `old` (already edited to match it). The parser
/// reads the rope's chunks in place.
fn reparse_rope(rope: &Rope, old: &Tree) -> Tree {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        let len = rope.len_bytes();
        let mut read = |byte: usize, _: Point| -> &[u8] {
            if byte >= len {
                return &[];
            }
            let (chunk, chunk_start, _, _) = rope.chunk_at_byte(byte);
            &chunk.as_bytes()[byte - chunk_start..]
        };
        match parser.parse_with_options(&mut read, Some(old), None) {
            Some(tree) => tree,
            None => {
                parser.reset();
                parser
                    .parse_with_options(&mut read, None, None)
                    .expect("parsing without timeout or cancellation flag succeeds")
            }
        }
    })
}

/// Number of lone carriage returns (`\r` not followed by `\n`) starting in
/// `text[from..to]`; the byte at `to` is looked at, not counted.
fn lone_crs(text: &[u8], from: usize, to: usize) -> usize {
    memchr::memchr_iter(b'\r', &text[from..to])
        .filter(|&i| text.get(from + i + 1) != Some(&b'\n'))
        .count()
}

/// The tree-sitter position of `byte`: rows count `\n` only, columns
/// count bytes since the last `\n`. The rope (built with `cr_lines`) also
/// breaks lines at a lone `\r`, so it answers only when the text has none
/// (`lone_crs == 0`, the usual case); otherwise the text is scanned.
fn ts_point(rope: &Rope, text: &[u8], lone_crs: usize, byte: usize) -> Point {
    if lone_crs == 0 {
        let row = rope.byte_to_line(byte);
        return Point::new(row, byte - rope.line_to_byte(row));
    }
    let before = &text[..byte];
    let row = memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point::new(row, byte - line_start)
}

/// Sorts `ranges` and merges the ones that overlap or touch.
fn merge_ranges(mut ranges: Vec<TextRange>) -> Vec<TextRange> {
    ranges.sort_unstable();
    let mut out: Vec<TextRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The tree of one version of the text and where it differs from the
/// previous version's tree.
struct Syntax {
    tree: Tree,
    /// The previous version's tree, edited to line up with this text, and
    /// the edited range of this text: what [`Syntax::changed`] is computed
    /// from. The edited tree shares all but the edited path with the
    /// previous version's tree.
    previous: Option<(Tree, TextRange)>,
    /// [`Document::changed_ranges`], computed on first use: comparing the
    /// trees walks the top-level list of instructions, rebuilt by every
    /// reparse, which costs about as much as the reparse itself.
    changed: OnceLock<Vec<TextRange>>,
}

impl Syntax {
    fn new(tree: Tree, changed: Vec<TextRange>) -> Syntax {
        Syntax {
            tree,
            previous: None,
            changed: OnceLock::from(changed),
        }
    }

    fn changed(&self) -> &[TextRange] {
        self.changed.get_or_init(|| {
            let Some((old, edited)) = &self.previous else {
                return Vec::new();
            };
            let mut changed: Vec<TextRange> = old
                .changed_ranges(&self.tree)
                .map(|r| TextRange::from_usize(r.start_byte, r.end_byte))
                .collect();
            changed.push(*edited);
            merge_ranges(changed)
        })
    }
}

/// A document as the editor sees it. Cloning is cheap: the text, the rope
/// and the tree are shared.
///
/// The tree is parsed when the document is made and kept up to date by
/// each edit: the old tree is edited ([`Tree::edit`]) and the parser
/// reuses what the edit did not touch, reading the rope's chunks.
/// `tests/incremental.rs` checks that the result equals a fresh parse of
/// the same text, node for node, over random edit sequences on real
/// Dockerfiles (the grammar's external scanner keeps state: the escape
/// character, pending heredocs).
#[derive(Clone)]
pub struct Document {
    text: Arc<str>,
    index: LineIndex,
    syntax: Arc<Syntax>,
    /// Lone `\r`s in the text: where the rope's lines and tree-sitter's
    /// rows part (see [`ts_point`]).
    lone_crs: usize,
    version: i32,
}

impl Document {
    pub fn new(text: impl Into<String>, version: i32) -> Document {
        let text: String = text.into();
        let tree = parse_tree(&text);
        Document {
            index: LineIndex::new(&text),
            lone_crs: lone_crs(text.as_bytes(), 0, text.len()),
            text: Arc::from(text),
            syntax: Arc::new(Syntax::new(tree, Vec::new())),
            version,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        self.text.clone()
    }

    /// The syntax tree of the current text.
    pub fn tree(&self) -> &Tree {
        &self.syntax.tree
    }

    /// Where the tree changed with the last [`apply_change`]: byte ranges
    /// of the current text, sorted, disjoint and not touching each other.
    /// They cover tree-sitter's changed ranges
    /// ([`Tree::changed_ranges`]: where the syntactic structure differs)
    /// and the edited text itself (the inserted text; for a pure deletion,
    /// the empty range where the text was removed), so text that changed
    /// without changing the structure is included too.
    ///
    /// Empty for a document made with [`Document::new`]; the whole text
    /// after a whole-text replacement (`apply_change(None, ..)`).
    ///
    /// Computed on the first call after an edit (then kept): tree-sitter's
    /// comparison walks the whole top-level list of instructions, which
    /// each reparse rebuilds, so on a large file it costs about as much as
    /// the reparse (`cargo bench --bench reparse`).
    ///
    /// [`apply_change`]: Document::apply_change
    pub fn changed_ranges(&self) -> &[TextRange] {
        self.syntax.changed()
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
    /// input is accepted. The rope is edited in place and the tree is
    /// reparsed incrementally (a whole-text replacement parses afresh).
    /// Returns the range of the old text that was replaced after clamping
    /// (`None` for the whole text).
    pub fn apply_change(&mut self, range: Option<TextRange>, new_text: &str) -> Option<TextRange> {
        let Some(range) = range else {
            let mut doc = Document::new(new_text, self.version);
            let all = doc.full_range();
            Arc::get_mut(&mut doc.syntax)
                .expect("a new document's tree is not shared")
                .changed = OnceLock::from(vec![all]);
            *self = doc;
            return None;
        };
        let old = &*self.text;
        let start = floor_char_boundary(old, range.start as usize);
        let end = floor_char_boundary(old, range.end as usize).max(start);
        let new_end = start + new_text.len();

        let mut text = String::with_capacity(old.len() - (end - start) + new_text.len());
        text.push_str(&old[..start]);
        text.push_str(new_text);
        text.push_str(&old[end..]);

        let old_rope = self.index.rope();
        let mut rope = old_rope.clone();
        let start_char = rope.byte_to_char(start);
        let end_char = rope.byte_to_char(end);
        rope.remove(start_char..end_char);
        rope.insert(start_char, new_text);

        // A `\r` before the edit may gain or lose its `\n`.
        let from = start.saturating_sub(1);
        let lone = self.lone_crs - lone_crs(old.as_bytes(), from, end)
            + lone_crs(text.as_bytes(), from, new_end);

        let edit = InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: new_end,
            start_position: ts_point(old_rope, old.as_bytes(), self.lone_crs, start),
            old_end_position: ts_point(old_rope, old.as_bytes(), self.lone_crs, end),
            new_end_position: ts_point(&rope, text.as_bytes(), lone, new_end),
        };
        let mut old_tree = self.syntax.tree.clone();
        old_tree.edit(&edit);
        let tree = reparse_rope(&rope, &old_tree);
        self.syntax = Arc::new(Syntax {
            tree,
            previous: Some((old_tree, TextRange::from_usize(start, new_end))),
            changed: OnceLock::new(),
        });
        self.index = LineIndex::from_rope(rope);
        self.text = Arc::from(text);
        self.lone_crs = lone;
        Some(TextRange::from_usize(start, end))
    }

    /// Byte range of the whole text.
    pub fn full_range(&self) -> TextRange {
        TextRange::new(0, self.text.len() as TextSize)
    }

    /// Whether the rope holds exactly the text and the count of lone `\r`s
    /// is right (a check for tests).
    #[doc(hidden)]
    pub fn is_consistent(&self) -> bool {
        let rope = self.index.rope();
        if rope.len_bytes() != self.text.len()
            || self.lone_crs != lone_crs(self.text.as_bytes(), 0, self.text.len())
        {
            return false;
        }
        let mut at = 0;
        rope.chunks().all(|chunk| {
            let same = self.text.as_bytes()[at..at + chunk.len()] == *chunk.as_bytes();
            at += chunk.len();
            same
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node's kind, byte range and position, and whether it is an
    /// error or missing.
    fn nodes(tree: &Tree) -> Vec<(String, usize, usize, Point, Point, bool, bool)> {
        let mut out = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let n = cursor.node();
            out.push((
                n.kind().to_string(),
                n.start_byte(),
                n.end_byte(),
                n.start_position(),
                n.end_position(),
                n.is_error(),
                n.is_missing(),
            ));
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        out
    }

    fn assert_fresh(doc: &Document) {
        assert!(doc.is_consistent());
        let fresh = Document::new(doc.text(), 1);
        assert_eq!(nodes(doc.tree()), nodes(fresh.tree()), "{:?}", doc.text());
        assert_eq!(doc.lone_crs, fresh.lone_crs);
    }

    #[test]
    fn edit_then_tree_matches_fresh_parse() {
        let mut doc = Document::new("FROM alpine AS base\nRUN echo hi\n", 1);
        assert!(doc.changed_ranges().is_empty());
        doc.apply_change(Some(TextRange::new(15, 19)), "build");
        assert_eq!(doc.text(), "FROM alpine AS build\nRUN echo hi\n");
        assert_fresh(&doc);
        assert_eq!(doc.line_index().line_count(), 3);
        // The edited name, at least.
        assert!(doc
            .changed_ranges()
            .iter()
            .any(|r| r.contains_range(TextRange::new(15, 20))));
    }

    #[test]
    fn ranges_inside_a_character_are_clamped() {
        let mut doc = Document::new("é", 1);
        doc.apply_change(Some(TextRange::new(1, 50)), "x");
        assert_eq!(doc.text(), "x");
        assert_fresh(&doc);
    }

    #[test]
    fn clones_keep_their_tree() {
        let mut doc = Document::new("FROM a\nRUN x\n", 1);
        let before = doc.clone();
        doc.apply_change(Some(TextRange::new(11, 12)), "y \\\n  z");
        assert_eq!(before.text(), "FROM a\nRUN x\n");
        assert_fresh(&before);
        assert_fresh(&doc);
    }

    #[test]
    fn an_escape_directive_typed_on_top_reparses_the_rest() {
        let text = "FROM a\nRUN echo `\n  b \\\n  c\n";
        let mut doc = Document::new(text, 1);
        doc.apply_change(Some(TextRange::empty(0)), "# escape=`\n");
        assert_fresh(&doc);
        // The continuation moved from `\` to `` ` ``: the RUN's lines changed.
        let tick = doc.text().rfind("`\n").unwrap() as TextSize;
        assert!(doc.changed_ranges().iter().any(|r| r.touches(tick)));
        doc.apply_change(Some(TextRange::new(0, 11)), "");
        assert_eq!(doc.text(), text);
        assert_fresh(&doc);
    }

    #[test]
    fn heredoc_terminator_typed_and_removed() {
        let mut doc = Document::new("RUN <<EOF\necho hi\nEO\nRUN b\n", 1);
        let at = doc.text().find("EO\n").unwrap() + 2;
        doc.apply_change(Some(TextRange::from_usize(at, at)), "F");
        assert_fresh(&doc);
        doc.apply_change(Some(TextRange::from_usize(at, at + 1)), "");
        assert_fresh(&doc);
    }

    #[test]
    fn lone_carriage_returns_give_tree_sitter_rows() {
        // The rope breaks lines at a lone `\r`; tree-sitter does not.
        let mut doc = Document::new("FROM a\rRUN x \\\r\n  y\r\rRUN z\n", 1);
        assert_eq!(doc.lone_crs, 3);
        doc.apply_change(Some(TextRange::new(23, 23)), "w");
        assert_fresh(&doc);
        // Join a `\r` with a `\n`, then part them again.
        doc.apply_change(Some(TextRange::new(7, 7)), "\n");
        assert_fresh(&doc);
        doc.apply_change(Some(TextRange::new(7, 8)), "");
        assert_fresh(&doc);
        doc.apply_change(Some(TextRange::new(6, 7)), "");
        assert_fresh(&doc);
    }

    #[test]
    fn tree_sitter_points_count_line_feeds_only() {
        for text in ["a\rb\r\nc\nd\r\re", "ab\r\ncd\n\nef", "\r", "", "é\n🚢\r\n"] {
            let rope = Rope::from_str(text);
            let lone = lone_crs(text.as_bytes(), 0, text.len());
            for byte in (0..=text.len()).filter(|&b| text.is_char_boundary(b)) {
                let before = &text[..byte];
                let row = before.matches('\n').count();
                let column = byte - before.rfind('\n').map_or(0, |i| i + 1);
                let want = Point::new(row, column);
                assert_eq!(ts_point(&rope, text.as_bytes(), lone, byte), want);
                if lone == 0 {
                    // The slow path agrees with the rope's.
                    assert_eq!(ts_point(&rope, text.as_bytes(), 1, byte), want);
                }
            }
        }
    }

    #[test]
    fn whole_text_replacement_changes_everything() {
        let mut doc = Document::new("FROM a\n", 1);
        assert_eq!(doc.apply_change(None, "FROM b\nRUN c\n"), None);
        assert_eq!(doc.changed_ranges(), &[doc.full_range()]);
        assert_fresh(&doc);
    }

    #[test]
    fn merged_ranges_are_sorted_and_disjoint() {
        let r = |a, b| TextRange::new(a, b);
        assert_eq!(
            merge_ranges(vec![r(5, 7), r(0, 2), r(2, 3), r(6, 9), r(12, 12)]),
            vec![r(0, 3), r(5, 9), r(12, 12)]
        );
    }
}
