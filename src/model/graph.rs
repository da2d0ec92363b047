//! The stage graph: which stage feeds which, the target, and what the
//! target needs.

use super::{Base, Model, ModelSettings};

pub(super) fn compute(m: &mut Model, settings: &ModelSettings) {
    m.target = m.stages.len().checked_sub(1);
    if let Some(t) = &settings.target {
        match m.stages_named(t).last() {
            Some(s) => m.target = Some(s.index),
            None => m.unknown_target = Some(t.clone()),
        }
    }
    // Every stage's dependencies in one pass over the references (not
    // `dependencies` per stage: quadratic with 100,000 stages).
    let mut deps: Vec<Vec<usize>> = m
        .stages
        .iter()
        .map(|st| match st.base {
            Base::Stage(b) => vec![b],
            _ => Vec::new(),
        })
        .collect();
    for r in &m.refs {
        if let (Some(t), Some(d)) = (r.target_stage(), deps.get_mut(r.stage)) {
            d.push(t);
        }
    }
    m.reachable = vec![false; m.stages.len()];
    let mut stack: Vec<usize> = m.target.into_iter().collect();
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut m.reachable[s], true) {
            continue;
        }
        stack.extend(deps[s].iter().copied().filter(|&t| t < deps.len()));
    }
}
