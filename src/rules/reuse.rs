//! Findings kept across an edit inside one instruction.
//!
//! A rule declares the instruction kinds it is blind to
//! ([`Rule::blind_to`](super::Rule)): what those instructions say, beyond
//! their keyword and place, does not change its findings. After an edit
//! that stays inside the arguments of one instruction of such a kind, the
//! rule's previous findings are moved by the edit's length instead of
//! checked again. A rule may also declare kinds its findings are local to
//! ([`Rule::local_to`](super::Rule)): after such an edit it is checked on
//! the edited instruction alone and keeps its findings elsewhere.
//! `tests/incremental_diagnostics.rs` compares the result with a full check
//! on chains of edits, so a rule that reads more than it declares shows
//! there.

use foldhash::HashMap;
use std::sync::OnceLock;

use super::{all, Diagnostic};
use crate::model::{Kept, Model};
use crate::syntax::Keyword;
use crate::text::{TextRange, TextSize};

/// An edit inside the arguments of one instruction: `start..end` of the
/// old text replaced by `len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inside {
    index: usize,
    kind: Keyword,
    /// The edited instruction, in the old text.
    old_range: TextRange,
    /// Its keyword, before the edit (so the same text after it).
    keyword: TextRange,
    start: TextSize,
    end: TextSize,
    delta: i64,
}

impl Inside {
    /// The edit of `old`'s text `start..end` into `inserted`, when it stays
    /// inside one instruction's arguments on one line (not the keyword,
    /// not a heredoc body), and neither the line nor the inserted text
    /// holds a `#` (a comment or a pragma could appear or go) or a line
    /// break. Checked against the rebuilt model by [`Inside::after`].
    pub fn before(
        model: &Model,
        text: &str,
        start: TextSize,
        end: TextSize,
        inserted: &str,
    ) -> Option<Inside> {
        let index = model.unchanged_before(start);
        let ins = model.instructions.get(index)?;
        if start <= ins.keyword.range.end || end > ins.logical_end || end < start {
            return None;
        }
        let line_start = text
            .get(..start as usize)?
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(end as usize..)?
            .find(['\n', '\r'])
            .map_or(text.len(), |i| end as usize + i);
        let line = text.get(line_start..line_end)?;
        if line.contains(['#', '\n', '\r']) || inserted.contains(['#', '\n', '\r']) {
            return None;
        }
        Some(Inside {
            index,
            kind: ins.kind,
            old_range: ins.range,
            keyword: ins.keyword.range,
            start,
            end,
            delta: inserted.len() as i64 - (end - start) as i64,
        })
    }

    /// This edit, if the rebuild that followed it (`kept`, `model`)
    /// scanned this one instruction again and it is still of its kind,
    /// with the same keyword (the same range: the text before the edit did
    /// not change).
    pub fn after(self, kept: &Kept, model: &Model) -> Option<Inside> {
        let single = match kept.tail {
            Some(t) => t.old == self.index + 1 && t.new == t.old,
            None => false,
        };
        let ins = model.instructions.get(self.index)?;
        (single
            && kept.prefix == self.index
            && ins.kind == self.kind
            && ins.keyword.range == self.keyword)
            .then_some(self)
    }

    /// The index of the edited instruction.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Whether any rule keeps findings after this edit: one is blind or
    /// local to the edited instruction's kind.
    pub fn keeps_findings(&self) -> bool {
        all()
            .iter()
            .any(|r| r.blind_to.contains(&self.kind) || r.local_to.contains(&self.kind))
    }

    /// `o` of the old text in the new one; `None` inside what was replaced.
    fn map(&self, o: TextSize) -> Option<TextSize> {
        if o < self.end && o > self.start {
            None
        } else if o >= self.end && (o > self.start || self.start == self.end) {
            Some((o as i64 + self.delta) as TextSize)
        } else {
            Some(o)
        }
    }

    fn movable(&self, d: &Diagnostic) -> bool {
        let ok = |r: TextRange| self.map(r.start).is_some() && self.map(r.end).is_some();
        ok(d.range)
            && d.related.iter().all(|r| ok(r.range))
            && d.fixes.iter().all(|f| f.edits.iter().all(|e| ok(e.range)))
    }

    /// `d`'s ranges moved into the new text (`d` is [`Inside::movable`]).
    fn shift(&self, d: &mut Diagnostic) {
        let map = |r: &mut TextRange| {
            if let (Some(a), Some(b)) = (self.map(r.start), self.map(r.end)) {
                *r = TextRange::new(a, b);
            }
        };
        map(&mut d.range);
        d.related.iter_mut().for_each(|r| map(&mut r.range));
        for f in &mut d.fixes {
            f.edits.iter_mut().for_each(|e| map(&mut e.range));
        }
    }
}

/// What a rule does after an edit inside one instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reuse {
    /// Checked as usual.
    Check,
    /// Its findings are the previous ones, moved.
    Keep,
    /// Checked on the edited instruction alone ([`super::Ctx`]'s focus);
    /// its findings elsewhere are the previous ones, moved.
    Focus,
}

/// What the old text's findings (`previous`, of every rule) give the new
/// one after `edit`: per rule of [`all`], what it does, and the findings
/// kept, moved.
/// - A rule blind to the edited instruction's kind keeps its findings,
///   unless one of them has an end inside what the edit replaced.
/// - A rule local to that kind keeps its findings outside the edited
///   instruction and is checked on that instruction alone.
pub(super) fn keep(previous: Vec<Diagnostic>, edit: &Inside) -> (Vec<Reuse>, Vec<Diagnostic>) {
    let mut reuse: Vec<Reuse> = all()
        .iter()
        .map(|r| {
            if r.blind_to.contains(&edit.kind) {
                Reuse::Keep
            } else if r.local_to.contains(&edit.kind) {
                Reuse::Focus
            } else {
                Reuse::Check
            }
        })
        .collect();
    let mut at = Vec::with_capacity(previous.len());
    for d in &previous {
        let i = rule_index(d.code);
        if let Some(i) = i {
            if reuse[i] == Reuse::Keep && !edit.movable(d) {
                reuse[i] = Reuse::Check;
            }
        }
        at.push(i);
    }
    // Filtered in place: most are kept, and diagnostics are large.
    let mut previous = previous;
    let mut at = at.into_iter();
    previous.retain_mut(|d| {
        let keep = match at.next().flatten().map(|i| reuse[i]) {
            Some(Reuse::Keep) => true,
            Some(Reuse::Focus) => !edit.old_range.contains_range(d.range),
            _ => false,
        };
        if keep {
            edit.shift(d);
        }
        keep
    });
    (reuse, previous)
}

/// The index in [`all`] of the rule with this code.
fn rule_index(code: &str) -> Option<usize> {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            all()
                .iter()
                .enumerate()
                .map(|(i, r)| (r.meta.code, i))
                .collect()
        })
        .get(code)
        .copied()
}
