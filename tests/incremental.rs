//! Property tests: incremental edits give the same text, tree and line
//! index as a fresh parse; position conversion round-trips in every
//! encoding.

/// The fuzz targets' helpers (`nodes`); the targets themselves run in
/// tests/fuzz_corpus.rs.
#[path = "../fuzz/targets.rs"]
mod targets;

use berth::syntax;
use berth::text::{Document, LineIndex, PositionEncoding, TextRange};
use proptest::prelude::*;

/// Fragments that exercise the grammar and BuildKit's line rules.
const FRAGMENTS: &[&str] = &[
    "FROM golang:1.23 AS build\n",
    "FROM scratch\n",
    "COPY --from=build /app /app\n",
    "RUN apt-get update && \\\n    apt-get install -y curl\n",
    "RUN <<EOF\necho hi\nEOF\n",
    "# comment\n",
    "\n",
    "\\\n",
    "ARG V=1\n",
    "ENV A=${V:-x} B=\"q\"\n",
    "CMD [\"sh\", \"-c\"]\n",
    "\r\n",
    "\r",
    "🚢",
    "é",
    "\u{2028}",
    "\"",
    "<<",
    "--mount=type=cache,from=build ",
    "$",
    "{",
    "[",
    " ",
    "\t",
    "x",
];

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..24).prop_map(|v| v.concat())
}

/// An edit: a range given as fractions of the current length, and new text.
fn edit_strategy() -> impl Strategy<Value = (f64, f64, String)> {
    (
        0.0..=1.0f64,
        0.0..=1.0f64,
        proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..3)
            .prop_map(|v| v.concat()),
    )
}

fn char_floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn incremental_edits_equal_a_fresh_parse(
        initial in text_strategy(),
        edits in proptest::collection::vec(edit_strategy(), 1..12),
    ) {
        let mut doc = Document::new(initial.clone(), 0);
        let mut plain = initial;
        for (step, (a, b, insert)) in edits.into_iter().enumerate() {
            // The tree is parsed lazily: ask for it after some edits so a
            // stale tree would show.
            if step % 2 == 1 {
                doc.tree();
            }
            let len = plain.len();
            let (x, y) = ((a * len as f64) as usize, (b * len as f64) as usize);
            let (start, end) = (char_floor(&plain, x.min(y)), char_floor(&plain, x.max(y)));
            plain.replace_range(start..end, &insert);
            doc.apply_change(Some(TextRange::from_usize(start, end)), &insert);
            prop_assert_eq!(doc.text(), plain.as_str());
        }
        let fresh = Document::new(plain.clone(), 0);
        prop_assert_eq!(targets::nodes(doc.tree()), targets::nodes(fresh.tree()));
        prop_assert_eq!(doc.line_index().line_count(), fresh.line_index().line_count());
        for off in (0..=plain.len()).step_by(7) {
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                prop_assert_eq!(
                    doc.line_index().line_col(off as u32, enc),
                    fresh.line_index().line_col(off as u32, enc)
                );
            }
        }
        // Every logical instruction lies inside the text, in order.
        let file = syntax::parse(&plain);
        let mut last = 0;
        for ins in &file.instructions {
            prop_assert!(ins.range.start >= last && ins.range.end as usize <= plain.len());
            last = ins.range.end;
        }
    }

    #[test]
    fn positions_round_trip(text in text_strategy()) {
        let idx = LineIndex::new(&text);
        for (off, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                let lc = idx.line_col(off as u32, enc);
                let back = idx.offset(lc, enc) as usize;
                // A break of two characters (\r\n) has one position for both.
                let same_line_break = text.get(back..).is_some_and(|r| r.starts_with("\r\n")) && off == back + 1;
                prop_assert!(back == off || same_line_break, "{off} -> {lc:?} -> {back} in {text:?}");
            }
        }
    }
}
