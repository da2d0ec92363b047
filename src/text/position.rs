//! Byte offset ⇄ line/column conversion in UTF-8, UTF-16 or UTF-32 code units.

use ropey::Rope;

use super::TextSize;

/// The unit a column counts, as negotiated with an LSP client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and a column in some [`PositionEncoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line lookups over a text. Cheap to clone (the rope is shared).
#[derive(Clone)]
pub struct LineIndex {
    rope: Rope,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            rope: Rope::from_str(text),
        }
    }

    pub(crate) fn from_rope(rope: Rope) -> LineIndex {
        LineIndex { rope }
    }

    pub(crate) fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len(&self) -> TextSize {
        self.rope.len_bytes() as TextSize
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> u32 {
        self.rope.len_lines() as u32
    }

    /// Byte range of line `line`, without its line break. Lines past the end
    /// give the empty range at the end of the text.
    pub fn line_range(&self, line: u32) -> std::ops::Range<usize> {
        let rope = &self.rope;
        if line as usize >= rope.len_lines() {
            let end = rope.len_bytes();
            return end..end;
        }
        let start_char = rope.line_to_char(line as usize);
        let start = rope.char_to_byte(start_char);
        let slice = rope.line(line as usize);
        let mut end = start + slice.len_bytes();
        // Strip the line break: "\r\n", "\n" or "\r".
        let n = slice.len_chars();
        if n > 0 && slice.char(n - 1) == '\n' {
            end -= 1;
            if n > 1 && slice.char(n - 2) == '\r' {
                end -= 1;
            }
        } else if n > 0 && slice.char(n - 1) == '\r' {
            end -= 1;
        }
        start..end
    }

    /// The line and column of a byte offset. Offsets past the end clamp to the
    /// end; offsets inside a character round down to its start.
    pub fn line_col(&self, offset: TextSize, enc: PositionEncoding) -> LineCol {
        let rope = &self.rope;
        let mut offset = (offset as usize).min(rope.len_bytes());
        // Round down to a char boundary.
        let ch = rope.byte_to_char(offset);
        offset = rope.char_to_byte(ch);
        let line = rope.char_to_line(ch);
        let line_start_char = rope.line_to_char(line);
        let col = match enc {
            PositionEncoding::Utf8 => offset - rope.char_to_byte(line_start_char),
            PositionEncoding::Utf32 => ch - line_start_char,
            PositionEncoding::Utf16 => {
                rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_start_char)
            }
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a line and column. Never fails: a line past the end
    /// maps to the end of the text, a column past the end of its line to the
    /// line end (before its line break), a column inside a character (a UTF-8
    /// continuation byte, the second half of a UTF-16 surrogate pair) to the
    /// start of that character.
    pub fn offset(&self, pos: LineCol, enc: PositionEncoding) -> TextSize {
        let range = self.line_range(pos.line);
        if pos.line as usize >= self.rope.len_lines() {
            return range.end as TextSize;
        }
        let line = self.rope.byte_slice(range.clone());
        let col = pos.col as usize;
        let within = match enc {
            PositionEncoding::Utf8 => {
                if col >= line.len_bytes() {
                    line.len_bytes()
                } else {
                    // Round down to a char boundary.
                    line.char_to_byte(line.byte_to_char(col))
                }
            }
            PositionEncoding::Utf32 => line.char_to_byte(col.min(line.len_chars())),
            PositionEncoding::Utf16 => {
                if col >= line.len_utf16_cu() {
                    line.len_bytes()
                } else {
                    // `utf16_cu_to_char` rounds a column inside a pair down.
                    line.char_to_byte(line.utf16_cu_to_char(col))
                }
            }
        };
        (range.start + within) as TextSize
    }
}

/// Line starts of one text, for converting many offsets at once (a
/// publication of diagnostics): a binary search and a scan of one line per
/// offset, where [`LineIndex::line_col`] walks the rope several times.
/// Gives exactly what [`LineIndex::line_col`] gives.
pub struct LineStarts<'a> {
    text: &'a str,
    starts: Vec<u32>,
}

impl<'a> LineStarts<'a> {
    pub fn new(text: &'a str) -> LineStarts<'a> {
        let b = text.as_bytes();
        let mut starts = Vec::with_capacity(b.len() / 32 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            // The `\r` of a `\r\n` is not a line break of its own.
            if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
                starts.push(i as u32 + 1);
            }
        }
        LineStarts { text, starts }
    }

    /// As [`LineIndex::line_col`]: offsets past the end clamp to the end,
    /// offsets inside a character round down to its start.
    pub fn line_col(&self, offset: TextSize, enc: PositionEncoding) -> LineCol {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s as usize <= offset) - 1;
        let prefix = &self.text[self.starts[line] as usize..offset];
        let col = match enc {
            PositionEncoding::Utf8 => prefix.len(),
            _ if prefix.is_ascii() => prefix.len(),
            PositionEncoding::Utf32 => prefix.chars().count(),
            PositionEncoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offset of texts mixing line breaks and wide characters: the
    /// two converters agree in every encoding.
    #[test]
    fn line_starts_agree_with_the_rope() {
        for text in [
            "",
            "a\r\nb\rc\nd",
            "x😀y\r\n\r\n\rzé\u{2028}w\n",
            "\n\n😀\r",
            "ab\r",
        ] {
            let idx = LineIndex::new(text);
            let starts = LineStarts::new(text);
            for offset in 0..=text.len() as TextSize + 2 {
                for enc in [
                    PositionEncoding::Utf8,
                    PositionEncoding::Utf16,
                    PositionEncoding::Utf32,
                ] {
                    assert_eq!(
                        starts.line_col(offset, enc),
                        idx.line_col(offset, enc),
                        "{text:?} at {offset} in {enc:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn crlf_and_lone_cr_are_line_breaks() {
        let idx = LineIndex::new("a\r\nb\rc\nd");
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_range(0), 0..1);
        assert_eq!(idx.line_range(1), 3..4);
        assert_eq!(idx.line_range(2), 5..6);
        assert_eq!(idx.line_range(3), 7..8);
        assert_eq!(
            idx.line_col(5, PositionEncoding::Utf16),
            LineCol { line: 2, col: 0 }
        );
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        // LSP counts only \n, \r\n and \r; ropey's unicode_lines feature is off.
        let idx = LineIndex::new("a\u{2028}b\u{85}c\n");
        assert_eq!(idx.line_count(), 2);
    }

    #[test]
    fn emoji_columns_in_each_encoding() {
        let text = "x😀y";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap() as TextSize;
        assert_eq!(idx.line_col(y, PositionEncoding::Utf8).col, 5);
        assert_eq!(idx.line_col(y, PositionEncoding::Utf16).col, 3);
        assert_eq!(idx.line_col(y, PositionEncoding::Utf32).col, 2);
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            assert_eq!(idx.offset(idx.line_col(y, enc), enc), y);
        }
        // Inside the surrogate pair: rounds down to the emoji's start.
        assert_eq!(
            idx.offset(LineCol { line: 0, col: 2 }, PositionEncoding::Utf16),
            1
        );
        // Inside the UTF-8 sequence: rounds down too.
        assert_eq!(
            idx.offset(LineCol { line: 0, col: 3 }, PositionEncoding::Utf8),
            1
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let idx = LineIndex::new("ab\r\ncd");
        assert_eq!(
            idx.offset(LineCol { line: 0, col: 99 }, PositionEncoding::Utf16),
            2
        );
        assert_eq!(
            idx.offset(LineCol { line: 9, col: 0 }, PositionEncoding::Utf16),
            6
        );
        assert_eq!(
            idx.line_col(99, PositionEncoding::Utf8),
            LineCol { line: 1, col: 2 }
        );
    }
}
