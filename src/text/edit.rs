//! Text edits: what fixes, assists and formatting produce.

use super::{TextRange, TextSize};

/// Replace `range` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: TextSize, new_text: impl Into<String>) -> TextEdit {
        TextEdit::replace(TextRange::empty(at), new_text)
    }

    pub fn delete(range: TextRange) -> TextEdit {
        TextEdit::replace(range, "")
    }
}

/// Apply edits to `text`. Edits must not overlap; their order does not
/// matter. Returns `None` when two edits overlap or one lies outside the
/// text or inside a character.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for e in sorted {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        if s < pos || t > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return None;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.new_text);
        pos = t;
    }
    out.push_str(&text[pos..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_any_order_and_overlaps_are_refused() {
        let text = "FROM a AS b\n";
        let edits = [
            TextEdit::replace(TextRange::new(10, 11), "build"),
            TextEdit::replace(TextRange::new(5, 6), "alpine:3.20"),
        ];
        assert_eq!(
            apply_edits(text, &edits).as_deref(),
            Some("FROM alpine:3.20 AS build\n")
        );
        let overlapping = [
            TextEdit::replace(TextRange::new(0, 4), "x"),
            TextEdit::replace(TextRange::new(2, 6), "y"),
        ];
        assert_eq!(apply_edits(text, &overlapping), None);
        assert_eq!(apply_edits("é", &[TextEdit::insert(1, "x")]), None);
    }
}
