//! Property tests: incremental edits give the same text, tree and line
//! index as a fresh parse; position conversion round-trips in every
//! encoding.
//!
//! The edit sequences start from real Dockerfiles (`examples/` and, when
//! present, a sample of `../shared/corpus`) and from texts made of
//! fragments, and insert or delete what the grammar's external scanner
//! keeps state for: escape characters, line breaks, heredoc markers and
//! terminators, comments, quotes, JSON brackets, flags, variable
//! references, and an `# escape=` directive on the first line. After every
//! edit the incremental tree must equal a fresh parse node for node.
//! `PROPTEST_CASES` sets the number of sequences.

use std::path::Path;
use std::sync::OnceLock;

use berth::syntax;
use berth::text::{Document, LineIndex, PositionEncoding, TextRange};
use proptest::prelude::*;
use proptest::sample::Index;
use tree_sitter::{Point, Tree};

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

/// What the edits insert and delete.
const TOKENS: &[&str] = &[
    "\\",
    "`",
    "\n",
    "\r\n",
    "\\\n",
    "`\n",
    "<<EOF",
    "<<-EOF",
    "<<\"EOF\"",
    " <<EOF\n",
    "EOF",
    "\tEOF",
    "EOF\n",
    "#",
    "# ",
    "'",
    "\"",
    "[",
    "]",
    "[\"sh\"]",
    "\", \"",
    "--from=",
    "--from=build ",
    "$",
    "${",
    "}",
    "${A}",
    " ",
    "\t",
    "x",
    "RUN ",
    "FROM ",
    "\n\n",
];

/// The first lines the escape edits write.
const FIRST_LINES: &[&str] = &[
    "# escape=`",
    "# escape=\\",
    "#escape = `",
    "# syntax=docker/dockerfile:1",
    "",
    "FROM x",
];

/// Texts the edit sequences start from: `examples/` and a sample of
/// `../shared/corpus` (every file with a heredoc or a directive, every
/// snippet, every eighth other file; none over 8 KB).
fn sources() -> &'static [String] {
    static SOURCES: OnceLock<Vec<String>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        let mut read_dir = |dir: &Path, every: usize| {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return false;
            };
            let mut paths: Vec<_> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            paths.sort();
            for (i, p) in paths.iter().enumerate() {
                let Ok(bytes) = std::fs::read(p) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let special = text.contains("<<") || text.contains("escape=");
                if text.len() <= 8192 && (special || i % every == 0) {
                    texts.push(text);
                }
            }
            true
        };
        assert!(read_dir(&root.join("examples"), 1), "examples/ missing");
        let corpus = root.join("../shared/corpus");
        if read_dir(&corpus, 8) {
            read_dir(&corpus.join("snippets"), 1);
        } else {
            eprintln!("SKIPPED ../shared/corpus: absent (examples and fragments only)");
        }
        texts
    })
}

fn fragments_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..24).prop_map(|v| v.concat())
}

fn initial_text() -> BoxedStrategy<String> {
    let n = sources().len();
    prop_oneof![
        4 => (0..n).prop_map(|i| sources()[i].clone()),
        1 => fragments_text(),
    ]
    .boxed()
}

/// Where an edit position moves to.
#[derive(Clone, Copy, Debug)]
enum Snap {
    No,
    LineStart,
    LineEnd,
    /// The start of an occurrence of the string (the position picks
    /// which); where it does not occur, the position itself.
    At(&'static str),
    /// The end of an occurrence of the string.
    After(&'static str),
}

/// Where the anchored edits go.
const ANCHORS: &[&str] = &[
    "\\\n", "`\n", "<<", "EOF", "#", "[", "]", "\"", "$", "${", "escape", "RUN ", "FROM ", "COPY ",
    "\n\n", "'",
];

/// What the typing edits type, one character at a time.
const TYPED: &[&str] = &[
    "# escape=`\n",
    "# escape=\\\n",
    "RUN <<EOF\n",
    "EOF\n",
    "\tEOF\n",
    "<<-EOF",
    " \\\n",
    " `\n",
    "[\"a\", \"b\"]",
    "--from=build",
    "${VAR:-x}",
    "\"quoted $X\"",
    "#comment\n",
    "COPY <<EOF /x\n",
];

#[derive(Clone, Debug)]
enum Edit {
    Insert(Index, Snap, &'static str),
    Delete(Index, usize),
    /// Delete the next occurrence of a token at or after the position
    /// (the first one when there is none after it).
    DeleteToken(Index, &'static str),
    Replace(Index, usize, &'static str),
    /// Replace the first line.
    FirstLine(&'static str),
    /// Insert `# escape=`` ` `` on top, or remove it when it is there.
    ToggleEscape,
    /// Type the text one character at a time (an edit each).
    Type(Index, Snap, &'static str),
    /// Delete up to this many characters before the position, one at a
    /// time.
    Backspace(Index, Snap, usize),
}

fn snap_strategy() -> impl Strategy<Value = Snap> {
    let anchor = || proptest::sample::select(ANCHORS);
    prop_oneof![
        4 => Just(Snap::No),
        1 => Just(Snap::LineStart),
        1 => Just(Snap::LineEnd),
        2 => anchor().prop_map(Snap::At),
        2 => anchor().prop_map(Snap::After),
    ]
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let token = || proptest::sample::select(TOKENS);
    prop_oneof![
        6 => (any::<Index>(), snap_strategy(), token()).prop_map(|(i, s, t)| Edit::Insert(i, s, t)),
        1 => (any::<Index>(), snap_strategy(), proptest::sample::select(FRAGMENTS))
            .prop_map(|(i, s, t)| Edit::Insert(i, s, t)),
        2 => (any::<Index>(), 1..8usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => (any::<Index>(), 8..120usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        4 => (any::<Index>(), token()).prop_map(|(i, t)| Edit::DeleteToken(i, t)),
        2 => (any::<Index>(), 1..4usize, token()).prop_map(|(i, n, t)| Edit::Replace(i, n, t)),
        1 => proptest::sample::select(FIRST_LINES).prop_map(Edit::FirstLine),
        1 => Just(Edit::ToggleEscape),
        2 => (any::<Index>(), snap_strategy(), proptest::sample::select(TYPED))
            .prop_map(|(i, s, t)| Edit::Type(i, s, t)),
        1 => (any::<Index>(), snap_strategy(), 1..12usize)
            .prop_map(|(i, s, n)| Edit::Backspace(i, s, n)),
    ]
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn position(text: &str, at: &Index, snap: Snap) -> usize {
    let i = floor(text, at.index(text.len() + 1));
    let nth = |s: &str| {
        let starts: Vec<usize> = text.match_indices(s).map(|(j, _)| j).collect();
        (!starts.is_empty()).then(|| starts[at.index(starts.len())])
    };
    match snap {
        Snap::No => i,
        Snap::LineStart => text[..i].rfind('\n').map_or(0, |j| j + 1),
        Snap::LineEnd => text[i..].find('\n').map_or(text.len(), |j| i + j),
        Snap::At(s) => nth(s).unwrap_or(i),
        Snap::After(s) => nth(s).map_or(i, |j| j + s.len()),
    }
}

/// The edit as replacements, each a byte range of the text as the ones
/// before it left it and the text that replaces it.
fn resolve(text: &str, edit: &Edit) -> Vec<(usize, usize, &'static str)> {
    let one = |start, end, insert| vec![(start, end, insert)];
    match *edit {
        Edit::Insert(ref at, snap, t) => {
            let i = position(text, at, snap);
            one(i, i, t)
        }
        Edit::Delete(ref at, n) => {
            let i = position(text, at, Snap::No);
            one(i, floor(text, i + n), "")
        }
        Edit::DeleteToken(ref at, t) => {
            let i = position(text, at, Snap::No);
            match text[i..].find(t).map(|j| i + j).or_else(|| text.find(t)) {
                Some(j) => one(j, j + t.len(), ""),
                None => one(i, i, ""),
            }
        }
        Edit::Replace(ref at, n, t) => {
            let i = position(text, at, Snap::No);
            one(i, floor(text, i + n), t)
        }
        Edit::FirstLine(line) => one(0, text.find('\n').unwrap_or(text.len()), line),
        Edit::ToggleEscape => match text.strip_prefix("# escape=`\n") {
            Some(_) => one(0, "# escape=`\n".len(), ""),
            None => one(0, 0, "# escape=`\n"),
        },
        Edit::Type(ref at, snap, t) => {
            let i = position(text, at, snap);
            t.char_indices()
                .map(|(j, c)| (i + j, i + j, &t[j..j + c.len_utf8()]))
                .collect()
        }
        Edit::Backspace(ref at, snap, n) => {
            let i = position(text, at, snap);
            text[..i]
                .char_indices()
                .rev()
                .take(n)
                .map(|(j, c)| (j, j + c.len_utf8(), ""))
                .collect()
        }
    }
}

/// Every node in document order: kind, byte range, position, whether it
/// is an error, whether it is missing.
type NodeRow = (u16, usize, usize, Point, Point, bool, bool);

fn nodes(tree: &Tree) -> Vec<NodeRow> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let n = cursor.node();
        out.push((
            n.kind_id(),
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

/// The first node where two trees part, for the failure message.
fn first_difference(tree: &Tree, a: &[NodeRow], b: &[NodeRow]) -> String {
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let language = tree.language();
    let kind = |r: Option<&NodeRow>| r.and_then(|r| language.node_kind_for_id(r.0));
    format!(
        "node {i}: incremental {:?} {:?}, fresh {:?} {:?}",
        kind(a.get(i)),
        a.get(i),
        kind(b.get(i)),
        b.get(i)
    )
}

/// Applies `edits` to `initial` one by one, comparing the document with a
/// fresh parse after each replacement; the first difference is the error.
fn check_sequence(initial: &str, edits: &[Edit]) -> Result<(), String> {
    let mut doc = Document::new(initial, 0);
    let mut plain = initial.to_string();
    for (step, edit) in edits.iter().enumerate() {
        for (start, end, insert) in resolve(&plain, edit) {
            let before = plain.clone();
            plain.replace_range(start..end, insert);
            compare(&mut doc, &plain, start, end, insert).map_err(|e| {
                format!(
                    "edit {step} ({edit:?}) of {initial:?}: replacing {start}..{end} ({:?}) \
                     with {insert:?} in {before:?}: {e}",
                    &before[start..end]
                )
            })?;
        }
    }
    let fresh = LineIndex::new(&plain);
    let index = doc.line_index();
    if index.line_count() != fresh.line_count() {
        return Err(format!("line counts differ for {plain:?}"));
    }
    for line in 0..fresh.line_count() {
        if index.line_range(line) != fresh.line_range(line) {
            return Err(format!("line {line} differs for {plain:?}"));
        }
    }
    // Position conversion reads the rope's metadata: a sample of offsets
    // (it is slow in debug builds).
    let step = (plain.len() / 13).max(1);
    for off in (0..=plain.len()).step_by(step) {
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            if index.line_col(off as u32, enc) != fresh.line_col(off as u32, enc) {
                return Err(format!("line_col({off}, {enc:?}) differs for {plain:?}"));
            }
        }
    }
    Ok(())
}

/// Applies one replacement to `doc` and compares it with `plain`, the
/// text after it, and a fresh parse of that.
fn compare(
    doc: &mut Document,
    plain: &str,
    start: usize,
    end: usize,
    insert: &str,
) -> Result<(), String> {
    let replaced = doc.apply_change(Some(TextRange::from_usize(start, end)), insert);
    if replaced != Some(TextRange::from_usize(start, end)) {
        return Err(format!("apply_change returned {replaced:?}"));
    }
    if doc.text() != plain || !doc.is_consistent() {
        return Err("text, rope or line-break count differs".into());
    }
    let fresh = Document::new(plain, 0);
    let (mine, theirs) = (nodes(doc.tree()), nodes(fresh.tree()));
    if mine != theirs {
        return Err(format!(
            "tree differs from a fresh parse at {}\nincremental {}\nfresh       {}",
            first_difference(doc.tree(), &mine, &theirs),
            doc.tree().root_node().to_sexp(),
            fresh.tree().root_node().to_sexp(),
        ));
    }
    let changed = doc.changed_ranges();
    let sorted = changed.windows(2).all(|w| w[0].end < w[1].start);
    let inside = changed.iter().all(|r| r.end as usize <= plain.len());
    let edited = TextRange::from_usize(start, start + insert.len());
    let covered = changed.iter().any(|r| r.contains_range(edited));
    if !(sorted && inside && covered) {
        return Err(format!("changed ranges {changed:?}"));
    }
    Ok(())
}

/// Every logical instruction of the text after `edits` lies inside it, in
/// order.
fn check_instructions(initial: &str, edits: &[Edit]) -> Result<(), String> {
    let mut plain = initial.to_string();
    for edit in edits {
        for (start, end, insert) in resolve(&plain, edit) {
            plain.replace_range(start..end, insert);
        }
    }
    let file = syntax::parse(&plain);
    let mut last = 0;
    for ins in &file.instructions {
        if !(ins.range.start >= last && ins.range.end as usize <= plain.len()) {
            return Err(format!(
                "instruction {:?} out of order in {plain:?}",
                ins.range
            ));
        }
        last = ins.range.end;
    }
    Ok(())
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), ..ProptestConfig::default() })]

    #[test]
    fn incremental_edits_equal_a_fresh_parse(
        initial in initial_text(),
        edits in proptest::collection::vec(edit_strategy(), 1..12),
    ) {
        if let Err(e) = check_sequence(&initial, &edits) {
            return Err(TestCaseError::fail(e));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), ..ProptestConfig::default() })]

    /// Not incremental (the model reads the whole text), but the same
    /// edits make good inputs.
    #[test]
    fn instructions_stay_in_order_after_edits(
        initial in initial_text(),
        edits in proptest::collection::vec(edit_strategy(), 1..12),
    ) {
        if let Err(e) = check_instructions(&initial, &edits) {
            return Err(TestCaseError::fail(e));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), ..ProptestConfig::default() })]

    #[test]
    fn positions_round_trip(text in fragments_text()) {
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

/// Found by `instructions_stay_in_order_after_edits`: the grammar gives
/// VOLUME a `heredoc_marker` (BuildKit reads heredocs only for RUN, COPY
/// and ADD) and the instruction read from it runs to the end of the text,
/// over the instructions after it (0..22, then 13..21).
#[test]
fn a_heredoc_marker_on_volume_keeps_instructions_in_order() {
    let text = "VOLUME <<EOF\nCOPY a b\n";
    let file = syntax::parse(text);
    let ranges: Vec<_> = file.instructions.iter().map(|i| i.range).collect();
    assert_eq!(
        ranges,
        [TextRange::new(0, 12), TextRange::new(13, 21)],
        "{text:?}"
    );
}
