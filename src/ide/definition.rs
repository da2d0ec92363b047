//! Go to definition: from a stage reference to its stage, from a variable
//! to the ARG/ENV declaration in scope.

use crate::model::{Model, Stage};
use crate::text::{TextRange, TextSize};

/// Where to go: `full` is the whole declaration, `focus` the name in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavTarget {
    pub full: TextRange,
    pub focus: TextRange,
    /// The range under the cursor that was resolved (for LSP origin ranges).
    pub origin: TextRange,
}

fn stage_target(m: &Model, stage: &Stage, origin: TextRange) -> NavTarget {
    let from = &m.instructions[stage.from];
    NavTarget {
        full: TextRange::new(from.range.start, from.logical_end.max(from.range.start)),
        focus: stage.name_range.unwrap_or(from.keyword.range),
        origin,
    }
}

pub(super) fn definition(m: &Model, offset: TextSize) -> Vec<NavTarget> {
    if let Some(r) = m.refs.iter().find(|r| r.range.touches(offset)) {
        if let Some(s) = r.target_stage() {
            return vec![stage_target(m, &m.stages[s], r.range)];
        }
        return Vec::new();
    }
    if let Some(u) = m
        .uses
        .iter()
        .find(|u| u.range.touches(offset) && u.name_range.start <= offset + 1)
    {
        if let Some(d) = u.decl {
            let decl = &m.decls[d];
            let ins = &m.instructions[decl.instruction];
            return vec![NavTarget {
                full: TextRange::new(ins.range.start, ins.logical_end.max(ins.range.start)),
                focus: decl.name_range,
                origin: u.range,
            }];
        }
    }
    Vec::new()
}
