//! Code lenses on each FROM: who uses the stage and how, whether it is the
//! image the build produces, and whether the target builds it at all.

use crate::model::RefKind;
use crate::text::TextRange;

use super::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LensKind {
    /// Later stages build on it or copy/mount from it.
    UsedBy,
    /// The stage the build produces (the target).
    FinalImage,
    /// Not reachable from the target: BuildKit skips it.
    NotBuilt,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// The FROM keyword of the stage.
    pub range: TextRange,
    pub stage: usize,
    pub kind: LensKind,
    pub title: String,
    /// For [`LensKind::UsedBy`]: the references, in source order.
    pub locations: Vec<TextRange>,
}

fn how(kind: RefKind) -> &'static str {
    match kind {
        RefKind::From => "FROM",
        RefKind::CopyFrom => "COPY --from",
        RefKind::MountFrom => "RUN --mount",
    }
}

/// The most stages a "used by" title names; the others are counted
/// (`used by a (FROM), b (COPY --from) and 3 more stages`). A stage of a
/// generated file can be used by thousands.
const MAX_NAMED_USERS: usize = 5;

/// The lenses of every stage, in source order. Linear in the stages and
/// references, but for sorting each stage's references.
pub fn code_lenses(a: &Analysis) -> Vec<Lens> {
    let m = a.model();
    let n = m.stages.len();
    // Per used stage: (user stage, how) pairs and the reference ranges.
    let mut users: Vec<Vec<(usize, RefKind)>> = vec![Vec::new(); n];
    let mut locations: Vec<Vec<TextRange>> = vec![Vec::new(); n];
    for r in &m.refs {
        let Some(t) = r.target_stage().filter(|&t| t < n && t != r.stage) else {
            continue;
        };
        users[t].push((r.stage, r.kind));
        locations[t].push(r.range);
    }
    let target_name = m
        .target
        .and_then(|t| m.stages.get(t))
        .map(|s| s.display_name());
    let mut out = Vec::new();
    for s in &m.stages {
        let range = m
            .instructions
            .get(s.from)
            .map_or(s.range, |i| i.keyword.range);
        let used = &mut users[s.index];
        if !used.is_empty() {
            used.sort_by_key(|&(st, kind)| (st, kind as u8));
            used.dedup();
            let mut parts: Vec<String> = Vec::new();
            let mut unnamed = 0;
            let mut i = 0;
            while i < used.len() {
                let st = used[i].0;
                let mut kinds = Vec::new();
                while i < used.len() && used[i].0 == st {
                    kinds.push(how(used[i].1));
                    i += 1;
                }
                if parts.len() == MAX_NAMED_USERS {
                    unnamed += 1;
                    continue;
                }
                parts.push(format!(
                    "{} ({})",
                    m.stages[st].display_name(),
                    kinds.join(", ")
                ));
            }
            let mut title = format!("used by {}", parts.join(", "));
            if unnamed > 0 {
                let stages = if unnamed == 1 { "stage" } else { "stages" };
                title.push_str(&format!(" and {unnamed} more {stages}"));
            }
            let mut locs = std::mem::take(&mut locations[s.index]);
            locs.sort_by_key(|r| r.start);
            out.push(Lens {
                range,
                stage: s.index,
                kind: LensKind::UsedBy,
                title,
                locations: locs,
            });
        }
        if m.target == Some(s.index) {
            out.push(Lens {
                range,
                stage: s.index,
                kind: LensKind::FinalImage,
                title: "final image".into(),
                locations: Vec::new(),
            });
        } else if !m.reachable.get(s.index).copied().unwrap_or(true) {
            let title = match &target_name {
                Some(t) => format!("not built for target `{t}`"),
                None => "not built".into(),
            };
            out.push(Lens {
                range,
                stage: s.index,
                kind: LensKind::NotBuilt,
                title,
                locations: Vec::new(),
            });
        }
    }
    out
}

impl Analysis {
    /// Code lenses of the stages (see [`code_lenses`]).
    pub fn code_lenses(&self) -> Vec<Lens> {
        code_lenses(self)
    }
}
