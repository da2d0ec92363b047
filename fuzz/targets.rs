//! The fuzz targets' bodies, shared by the libFuzzer binaries in
//! `fuzz/fuzz_targets/` and by `tests/fuzz_corpus.rs`, which runs them as a
//! plain test over `../shared/corpus` and mutations of it (stable Rust, no
//! cargo-fuzz needed). Each function takes arbitrary bytes and panics when
//! a property fails.
#![allow(dead_code)]

use std::sync::Arc;

use berth::ide::{fix_all_detailed, Analysis, Settings};
use berth::rules::{self, Category};
use berth::text::{apply_edits, Document, PositionEncoding, TextRange};

/// The byte that separates the initial text from the edits in
/// [`incremental`]'s input (never part of UTF-8 text).
pub const EDIT_SEP: u8 = 0xFF;

fn settings() -> Arc<Settings> {
    Arc::new(Settings::default())
}

fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Syntax errors as BuildKit would report them.
pub fn syntax_errors(a: &Analysis) -> usize {
    a.diagnostics()
        .iter()
        .filter(|d| rules::find(d.code).is_some_and(|r| r.meta.category == Category::Syntax))
        .count()
}

/// Every range must lie inside the text, on character boundaries.
fn check_range(text: &str, r: TextRange, what: &str) {
    assert!(
        r.start <= r.end && r.end as usize <= text.len(),
        "{what}: range {r:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize),
        "{what}: range {r:?} splits a character"
    );
}

/// (a) Parse, model and every diagnostic on arbitrary bytes (decoded the
/// way an editor would, lossily). Ranges stay inside the text; every
/// position converts in every encoding.
pub fn parse_and_diagnose(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let a = Analysis::from_text(&text, settings());
    let _ = a.document().tree();
    for d in a.diagnostics() {
        check_range(&text, d.range, d.code);
        for f in &d.fixes {
            for e in &f.edits {
                check_range(&text, e.range, d.code);
            }
        }
        for r in &d.related {
            check_range(&text, r.range, d.code);
        }
        let idx = a.line_index();
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let lc = idx.line_col(d.range.start, enc);
            assert_eq!(idx.offset(lc, enc), d.range.start, "{} in {enc:?}", d.code);
        }
    }
    for s in &a.model().stages {
        check_range(&text, s.range, "stage");
    }
    for i in &a.model().instructions {
        check_range(&text, i.range, "instruction");
    }
}

/// Every node of a tree as (kind, start, end, is_error), depth first.
pub fn nodes(tree: &tree_sitter::Tree) -> Vec<(String, usize, usize, bool)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let n = cursor.node();
        out.push((
            n.kind().to_string(),
            n.start_byte(),
            n.end_byte(),
            n.is_error(),
        ));
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// (b) An edit sequence applied incrementally gives the same text, tree
/// and line index as a fresh parse of the result.
///
/// Input: the initial text, then edits, separated by [`EDIT_SEP`]. An edit
/// is two bytes (start and end as fractions of the current length; when
/// the first is odd the tree is asked for before the edit, so a tree left
/// stale by an edit would show) and the inserted text.
pub fn incremental(data: &[u8]) {
    let mut parts = data.split(|b| *b == EDIT_SEP);
    let initial = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let mut doc = Document::new(initial.clone(), 0);
    let mut plain = initial;
    for (version, part) in parts.enumerate().take(64) {
        let (a, b, insert) = match part {
            [a, b, rest @ ..] => (*a as usize, *b as usize, String::from_utf8_lossy(rest)),
            _ => continue,
        };
        if a % 2 == 1 {
            let _ = doc.tree();
        }
        let len = plain.len();
        let (x, y) = (a * len / 255, b * len / 255);
        let (start, end) = (floor(&plain, x.min(y)), floor(&plain, x.max(y)));
        plain.replace_range(start..end, &insert);
        doc.apply_change(Some(TextRange::from_usize(start, end)), &insert);
        doc.set_version(version as i32 + 1);
        assert_eq!(doc.text(), plain.as_str());
    }
    let fresh = Document::new(plain.clone(), 0);
    assert_eq!(nodes(doc.tree()), nodes(fresh.tree()), "tree after edits");
    let (li, lf) = (doc.line_index(), fresh.line_index());
    assert_eq!(li.line_count(), lf.line_count());
    let step = (plain.len() / 512).max(1);
    for off in (0..=plain.len()).step_by(step) {
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            assert_eq!(li.line_col(off as u32, enc), lf.line_col(off as u32, enc));
        }
    }
    // The model is rebuilt from the whole text on every version, so equal
    // texts give equal models: nothing incremental to compare there.
}

/// (c) Every ide request at every character offset (every `step`-th byte
/// for large texts) answers without panicking, with ranges inside the text.
pub fn ide_everywhere(data: &[u8]) {
    ide_everywhere_step(data, 1)
}

pub fn ide_everywhere_step(data: &[u8], step: usize) {
    let text = String::from_utf8_lossy(data);
    let a = Analysis::from_text(&text, settings());
    let len = text.len();
    whole_file_features(&text, &a);
    let mut offsets: Vec<usize> = (0..=len)
        .step_by(step.max(1))
        .map(|o| floor(&text, o))
        .collect();
    offsets.push(len);
    offsets.dedup();
    for off in offsets {
        let o = off as u32;
        for t in a.definition(o) {
            check_range(&text, t.full, "definition");
            check_range(&text, t.focus, "definition");
            check_range(&text, t.origin, "definition");
        }
        if let Some(h) = a.hover(o) {
            check_range(&text, h.range, "hover");
        }
        for c in a.completions(o) {
            check_range(&text, c.edit_range, "completion");
        }
        for occ in a.references(o, true).iter().chain(&a.highlights(o)) {
            check_range(&text, occ.range, "references");
        }
        if let Ok(t) = a.prepare_rename(o) {
            check_range(&text, t.range, "prepareRename");
        }
        if let Ok(r) = a.rename(o, "renamed") {
            for e in &r.edits {
                check_range(&text, e.range, "rename");
            }
            assert!(
                apply_edits(&text, &r.edits).is_some(),
                "rename edits overlap"
            );
        }
        let mut last: Option<TextRange> = None;
        for r in a.selection_ranges(o) {
            check_range(&text, r, "selectionRange");
            if let Some(inner) = last {
                assert!(
                    r.contains_range(inner) && r != inner,
                    "selection ranges must grow"
                );
            }
            last = Some(r);
        }
        let _ = a.signature_help(o);
        let end = floor(&text, off + 7);
        for r in [TextRange::empty(o), TextRange::from_usize(off, end)] {
            for assist in a.assists(r) {
                for e in &assist.change.edits {
                    check_range(&text, e.range, assist.id);
                }
            }
        }
    }
}

/// The requests that answer for the whole file: ranges inside the text,
/// semantic tokens sorted and disjoint, formatting idempotent.
fn whole_file_features(text: &str, a: &Analysis) {
    let full = TextRange::from_usize(0, text.len());
    let mut prev_end = 0;
    for t in a.semantic_tokens() {
        check_range(text, t.range, "semanticTokens");
        assert!(
            t.range.start >= prev_end,
            "semantic tokens overlap or are unsorted"
        );
        prev_end = t.range.end;
    }
    for f in a.folding_ranges() {
        check_range(text, f.range, "foldingRange");
    }
    fn symbols(text: &str, list: &[berth::ide::Symbol]) {
        for s in list {
            check_range(text, s.range, "documentSymbol");
            check_range(text, s.selection, "documentSymbol");
            symbols(text, &s.children);
        }
    }
    symbols(text, &a.document_symbols());
    let _ = a.workspace_symbols("");
    for l in a.document_links() {
        check_range(text, l.range, "documentLink");
    }
    for l in a.code_lenses() {
        check_range(text, l.range, "codeLens");
    }
    let config = berth::ide::InlayHintConfig { stage_index: true };
    for h in a.inlay_hints(full, config) {
        assert!(h.offset as usize <= text.len(), "inlay hint past the end");
    }
    let edits = a.format();
    for e in &edits {
        check_range(text, e.range, "format");
    }
    let formatted = apply_edits(text, &edits).expect("format edits do not overlap");
    let again = Analysis::from_text(&formatted, settings());
    assert!(again.format().is_empty(), "formatting is not idempotent");
}

/// (d) Every diagnostic's fixes and every assist applied: the result
/// parses no worse; fix-all converges (applying it again changes nothing).
pub fn fixes_and_assists(data: &[u8]) {
    fixes_and_assists_step(data, 1)
}

pub fn fixes_and_assists_step(data: &[u8], step: usize) {
    let text = String::from_utf8_lossy(data);
    let s = settings();
    let a = Analysis::from_text(&text, s.clone());
    let before = syntax_errors(&a);
    let worse = |new: &str, what: &str| {
        let after = Analysis::from_text(new, s.clone());
        let n = syntax_errors(&after);
        assert!(
            n <= before,
            "{what} adds syntax errors ({before} -> {n}):\n--- before\n{text}\n--- after\n{new}"
        );
    };
    for d in a.diagnostics() {
        for f in &d.fixes {
            let new = apply_edits(&text, &f.edits)
                .unwrap_or_else(|| panic!("{}: fix `{}` does not apply", d.code, f.label));
            worse(&new, &format!("{} fix `{}`", d.code, f.label));
        }
    }
    for unsafe_too in [false, true] {
        let once = fix_all_detailed(&a, unsafe_too);
        worse(&once.text, "fix-all");
        assert_eq!(
            apply_edits(&text, &once.edits).as_deref(),
            Some(once.text.as_str()),
            "fix-all's edits give its text"
        );
        let again = fix_all_detailed(&Analysis::from_text(&once.text, s.clone()), unsafe_too);
        assert_eq!(
            again.text, once.text,
            "fix-all is not stable (unsafe: {unsafe_too}); fixed again: {:?}",
            again.fixed
        );
    }
    // Assists: at each instruction start and over each instruction.
    let mut seen = std::collections::HashSet::new();
    for (n, ins) in a.model().instructions.iter().enumerate() {
        if n % step.max(1) != 0 {
            continue;
        }
        for r in [TextRange::empty(ins.range.start), ins.range] {
            for assist in a.assists(r) {
                let Some(new) = assist.change.apply(&text) else {
                    panic!("assist {} does not apply", assist.id);
                };
                if !assist.change.is_snippet && seen.insert(new.clone()) {
                    worse(&new, assist.id);
                }
            }
        }
    }
}
