//! Folding ranges: stages, instructions over several lines, heredoc
//! bodies, and runs of two or more comment lines. Byte ranges here; the
//! server turns them into lines (and drops ranges on a single line).

use crate::model::Model;
use crate::text::TextRange;

use super::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// Whether `text` (between two things) holds exactly one line break
/// (`\n`, `\r\n` or a lone `\r`) and otherwise only blanks.
fn one_line_break(text: &str) -> bool {
    let b = text.as_bytes();
    let mut breaks = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\n' => breaks += 1,
            b'\r' if b.get(i + 1) != Some(&b'\n') => breaks += 1,
            b'\r' | b' ' | b'\t' => {}
            _ => return false,
        }
    }
    breaks == 1
}

fn has_line_break(text: &str) -> bool {
    text.contains(['\n', '\r'])
}

pub(super) fn folds(m: &Model, text: &str) -> Vec<Fold> {
    let mut out = Vec::new();
    let multi_line = |r: TextRange| text.get(r.as_usize()).is_some_and(has_line_break);
    let region = |range| Fold {
        range,
        kind: FoldKind::Region,
    };
    for stage in &m.stages {
        let end = m
            .instructions
            .get(stage.instructions.clone())
            .and_then(|i| i.last())
            .map_or(stage.range.end, |i| i.range.end);
        let range = TextRange::new(stage.range.start, end.max(stage.range.start));
        if multi_line(range) {
            out.push(region(range));
        }
    }
    for ins in &m.instructions {
        if multi_line(ins.range) {
            out.push(region(ins.range));
        }
        for h in &ins.heredocs {
            let end = h.terminator.map_or(h.body.end, |t| t.end);
            let range = TextRange::new(h.marker.start, end.max(h.marker.start));
            if multi_line(range) {
                out.push(region(range));
            }
        }
    }
    let mut run: Option<(TextRange, usize)> = None;
    let flush = |run: Option<(TextRange, usize)>, out: &mut Vec<Fold>| {
        if let Some((range, n)) = run {
            if n >= 2 {
                out.push(Fold {
                    range,
                    kind: FoldKind::Comment,
                });
            }
        }
    };
    for c in &m.comments {
        run = match run {
            Some((r, n))
                if r.end <= c.range.start
                    && text
                        .get(r.end as usize..c.range.start as usize)
                        .is_some_and(one_line_break) =>
            {
                Some((r.cover(c.range), n + 1))
            }
            other => {
                flush(other, &mut out);
                Some((c.range, 1))
            }
        };
    }
    flush(run, &mut out);
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out.dedup_by_key(|f| f.range);
    out
}

impl Analysis {
    /// Folding ranges, sorted by start (outer ranges first).
    pub fn folding_ranges(&self) -> Vec<Fold> {
        folds(self.model(), self.text())
    }
}
