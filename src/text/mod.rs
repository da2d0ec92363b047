//! Text layer: documents, byte ranges, and line/column conversion.
//!
//! Everything inside berth speaks byte offsets ([`TextSize`], [`TextRange`]).
//! Lines and columns exist only at the edges (LSP, CLI) and are converted here
//! through a rope built with `cr_lines`, so `\n`, `\r\n` and a lone `\r` are
//! the only line breaks, exactly as LSP counts them.

mod cache;
mod document;
mod edit;
mod position;

pub use cache::{allocation, BoundedCache, HeapSize};
pub use document::{parse_tree, Document};
pub use edit::{apply_edits, TextEdit};
pub use position::{LineCol, LineIndex, LineStarts, PositionEncoding};

/// A byte offset into a document.
pub type TextSize = u32;

/// A half-open byte range `start..end` into a document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TextRange {
    pub start: TextSize,
    pub end: TextSize,
}

impl TextRange {
    pub fn new(start: TextSize, end: TextSize) -> TextRange {
        debug_assert!(start <= end, "{start} > {end}");
        TextRange { start, end }
    }

    /// The range moved by `delta` bytes (text inserted or removed before
    /// it).
    pub fn shifted(self, delta: i64) -> TextRange {
        TextRange {
            start: (self.start as i64 + delta) as TextSize,
            end: (self.end as i64 + delta) as TextSize,
        }
    }

    pub fn empty(at: TextSize) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub fn from_usize(start: usize, end: usize) -> TextRange {
        TextRange::new(start as TextSize, end as TextSize)
    }

    pub fn len(self) -> TextSize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// `offset` lies inside the range or at its end (a cursor touching it).
    pub fn touches(self, offset: TextSize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text of this range; empty when the range does not fit `text`.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.as_usize()).unwrap_or("")
    }
}

impl std::fmt::Debug for TextRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Largest char boundary of `text` at or below `offset` (clamped to the text).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
