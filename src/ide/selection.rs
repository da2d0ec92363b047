//! Selection ranges (expand selection): from the word at the cursor out to
//! the flag or argument, the instruction, the stage and the whole file.

use crate::model::{Form, Model};
use crate::shell;
use crate::syntax::Keyword;
use crate::text::{TextRange, TextSize};

use super::Analysis;

/// A word of the text around `offset`: letters, digits and `_-./`.
fn text_word(text: &str, offset: usize) -> Option<TextRange> {
    let is_word = |c: char| c.is_alphanumeric() || "_-./".contains(c);
    let offset = crate::text::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| TextRange::from_usize(start, end))
}

/// The `key=value` field of a comma-separated flag value (`--mount=...`).
fn field(text: &str, value: TextRange, offset: TextSize) -> Option<TextRange> {
    let v = text.get(value.as_usize())?;
    let mut start = 0;
    for part in v.split(',') {
        let r = TextRange::from_usize(
            value.start as usize + start,
            value.start as usize + start + part.len(),
        );
        if r.touches(offset) && !part.is_empty() {
            return Some(r);
        }
        start += part.len() + 1;
    }
    None
}

/// The items of `items` (sorted by `of`) whose key is `key`, found by
/// binary search: a request may ask for thousands of positions in a file
/// of as many instructions.
fn with_key<T, K: Ord>(items: &[T], key: K, of: impl Fn(&T) -> K) -> &[T] {
    let start = items.partition_point(|x| of(x) < key);
    let end = start + items[start..].partition_point(|x| of(x) <= key);
    &items[start..end]
}

/// Candidate ranges around `offset`, in no order.
fn candidates(m: &Model, text: &str, offset: TextSize) -> Vec<TextRange> {
    let mut c = vec![TextRange::from_usize(0, text.len())];
    c.extend(text_word(text, offset as usize));
    // Stages and comments are in source order and apart: the ones that
    // touch `offset` start at most at it, and the last two are enough
    // (one may end where the next starts).
    let stages = m.stages.partition_point(|s| s.range.start <= offset);
    c.extend(
        m.stages[stages.saturating_sub(2)..stages]
            .iter()
            .find(|s| s.range.touches(offset))
            .map(|s| s.range),
    );
    let comments = m.comments.partition_point(|x| x.range.start <= offset);
    c.extend(
        m.comments[comments.saturating_sub(2)..comments]
            .iter()
            .filter(|x| x.range.touches(offset))
            .map(|x| x.range),
    );
    let Some(ins) = m.instruction_at(offset) else {
        return c;
    };
    c.push(ins.range);
    c.push(TextRange::new(
        ins.range.start,
        ins.logical_end.max(ins.range.start),
    ));
    c.push(ins.keyword.range);
    if !ins.args.is_empty() {
        c.push(ins.args_range);
    }
    // Flags and arguments: everything after the keyword.
    if let (Some(first), Some(last)) = (ins.flags.first(), ins.flags.last()) {
        let flags = first.word.range.cover(last.word.range);
        c.push(if ins.args.is_empty() {
            flags
        } else {
            flags.cover(ins.args_range)
        });
    }
    for f in &ins.flags {
        c.push(f.word.range);
        c.push(f.name_range);
        if let Some(v) = f.value_range {
            c.push(v);
            if f.name == "mount" && v.touches(offset) {
                c.extend(field(text, v, offset));
            }
        }
    }
    c.extend(ins.args.iter().map(|w| w.range));
    for h in &ins.heredocs {
        c.push(h.marker);
        c.push(h.body);
        if let Some(t) = h.terminator {
            c.push(h.body.cover(t));
        }
    }
    for d in with_key(&m.decls, ins.index, |d| d.instruction) {
        c.push(d.name_range);
        c.extend(d.value_range);
        c.push(d.name_range.cover(d.value_range.unwrap_or(d.name_range)));
    }
    for u in with_key(&m.uses, ins.index, |u| u.instruction) {
        c.push(u.name_range);
        c.push(u.range);
    }
    // References are not in instruction order (a FROM's come first).
    for r in m.refs.iter().filter(|r| r.instruction == ins.index) {
        c.push(r.range);
    }
    if let Some(s) = ins
        .stage
        .and_then(|s| m.stages.get(s))
        .filter(|s| s.from == ins.index)
    {
        c.push(s.base_range);
        c.extend(s.name_range);
        if let (Some(a), Some(n)) = (s.as_range, s.name_range) {
            c.push(a.cover(n));
        }
    }
    if ins.kind == Keyword::Run && ins.form == Form::Shell {
        for script in shell::run_scripts(m, text, ins) {
            for cmd in &script.commands {
                if !cmd.range.touches(offset) {
                    continue;
                }
                c.push(cmd.range);
                c.push(cmd.name.range);
                c.extend(cmd.args.iter().map(|a| a.range));
            }
        }
    }
    c
}

pub(super) fn selection_chain(m: &Model, text: &str, offset: TextSize) -> Vec<TextRange> {
    let offset = offset.min(text.len() as TextSize);
    let mut c: Vec<TextRange> = candidates(m, text, offset)
        .into_iter()
        .filter(|r| r.touches(offset) && r.end as usize <= text.len())
        .collect();
    // Largest first: keep each range strictly inside the last one kept, so
    // a candidate that straddles a boundary is dropped, not its parent.
    c.sort_by_key(|r| (std::cmp::Reverse(r.len()), r.start));
    let mut chain: Vec<TextRange> = Vec::new();
    for r in c {
        match chain.last() {
            Some(last) if !(last.contains_range(r) && r.len() < last.len()) => {}
            _ => chain.push(r),
        }
    }
    chain.reverse();
    chain
}

impl Analysis {
    /// Selection ranges at `offset`, innermost first, each strictly inside
    /// the next; the last is the whole file.
    pub fn selection_ranges(&self, offset: TextSize) -> Vec<TextRange> {
        selection_chain(self.model(), self.text(), offset)
    }
}
