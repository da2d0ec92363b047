//! The stage graph: which stage feeds which, the target, and what the
//! target needs.

use super::{Base, Model, ModelSettings};

/// Stages stage `s` depends on directly: its base stage and every stage it
/// copies or mounts from (resolved references only, in any order).
pub fn dependencies(m: &Model, s: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if let Some(Base::Stage(b)) = m.stages.get(s).map(|st| &st.base) {
        out.push(*b);
    }
    for r in m.refs.iter().filter(|r| r.stage == s) {
        if let Some(t) = r.target_stage() {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

pub(super) fn compute(m: &mut Model, settings: &ModelSettings) {
    m.target = m.stages.len().checked_sub(1);
    if let Some(t) = &settings.target {
        match m.stages_named(t).last() {
            Some(s) => m.target = Some(s.index),
            None => m.unknown_target = Some(t.clone()),
        }
    }
    m.reachable = vec![false; m.stages.len()];
    let mut stack: Vec<usize> = m.target.into_iter().collect();
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut m.reachable[s], true) {
            continue;
        }
        stack.extend(dependencies(m, s));
    }
}
