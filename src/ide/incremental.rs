//! Diagnostics of a new version from the previous version's, for an edit
//! inside one instruction of one stage.
//!
//! A keystroke inside a RUN or a `--from=` value changes the diagnostics
//! of a few stages only: the edited stage, the stages built on it or
//! copying from it, and the stages its references name (which may become
//! used or unused). Those stages are re-analysed on a *slice* of the new
//! text: the same bytes, with every instruction that cannot matter to
//! them replaced by spaces (newlines kept), so offsets, lines and stage
//! indices are those of the full text. What the slice keeps besides the
//! affected stages and their ancestors: everything outside instructions
//! (directives, comments, pragmas), every FROM (stage names, indices and
//! bases), every ARG (which global ARGs are used), and every instruction
//! that names a stage (which stages are used). The diagnostics of the other
//! stages are the previous version's, moved by the edit's length.
//!
//! Anything else (an edit across lines, in a FROM or a global ARG, one
//! that could change how lines join or start a heredoc or comment, a slice
//! whose structure differs from the outline) falls back to the full
//! analysis. `tests/incremental_diagnostics.rs` checks, on random edits of
//! real Dockerfiles, that the result equals the full analysis.

use std::collections::BTreeSet;

use crate::model::{Base, Model, ModelSettings, StageRef};
use crate::rules::{self, Diagnostic, RuleSettings};
use crate::syntax::Keyword;
use crate::text::{TextRange, TextSize};

/// One replacement: `range` of the old text became `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub text: String,
}

/// What the incremental path needs of a version's model: instruction and
/// stage boundaries and the stage graph.
#[derive(Clone, Debug)]
pub(crate) struct Outline {
    ins: Vec<Ins>,
    stages: Vec<StageOutline>,
}

#[derive(Clone, Debug)]
struct Ins {
    range: TextRange,
    keyword_end: TextSize,
    kind: Keyword,
    stage: Option<usize>,
    /// Names a stage or an image (`FROM`, `--from=`, `from=`).
    has_refs: bool,
    /// The stages its references resolve to.
    refs: Vec<usize>,
}

#[derive(Clone, Debug)]
struct StageOutline {
    from_start: TextSize,
    /// The stage it is built `FROM`, if a stage.
    base: Option<usize>,
    /// The stages this one reads (base, `--from`, mounts).
    deps: Vec<usize>,
}

impl Outline {
    pub(crate) fn new(model: &Model) -> Outline {
        let mut ins: Vec<Ins> = model
            .instructions
            .iter()
            .map(|i| Ins {
                range: i.range,
                keyword_end: i.keyword.range.end,
                kind: i.kind,
                stage: i.stage,
                has_refs: false,
                refs: Vec::new(),
            })
            .collect();
        let mut stages: Vec<StageOutline> = model
            .stages
            .iter()
            .map(|s| StageOutline {
                from_start: model.instructions[s.from].range.start,
                base: match s.base {
                    Base::Stage(b) if b < s.index => Some(b),
                    _ => None,
                },
                deps: Vec::new(),
            })
            .collect();
        for r in &model.refs {
            if let Some(i) = ins.get_mut(r.instruction) {
                i.has_refs = true;
                if let Some(t) = r.target_stage() {
                    i.refs.push(t);
                }
            }
            if let Some(s) = stages.get_mut(r.stage) {
                add_dep(&mut s.deps, r);
            }
        }
        Outline { ins, stages }
    }

    /// The stage whose region (its FROM up to the next FROM) holds `at`;
    /// `None` before the first FROM.
    fn region(&self, at: TextSize) -> Option<usize> {
        self.stages
            .partition_point(|s| s.from_start <= at)
            .checked_sub(1)
    }

    /// `set` and every stage it reads from, transitively.
    fn with_ancestors(&self, set: &BTreeSet<usize>) -> BTreeSet<usize> {
        let mut out = set.clone();
        let mut todo: Vec<usize> = set.iter().copied().collect();
        while let Some(s) = todo.pop() {
            for &d in self.stages.get(s).map_or(&[][..], |s| &s.deps) {
                if out.insert(d) {
                    todo.push(d);
                }
            }
        }
        out
    }

    /// `set` and the whole `FROM` family of each of its stages: the first
    /// stage of its base chain and every stage built on that one, directly
    /// or not.
    fn with_families(&self, set: &BTreeSet<usize>) -> BTreeSet<usize> {
        // Per stage, the root of its family (bases come first).
        let mut roots: Vec<usize> = Vec::with_capacity(self.stages.len());
        for (j, st) in self.stages.iter().enumerate() {
            let r = st.base.map_or(j, |b| roots[b]);
            roots.push(r);
        }
        let wanted: BTreeSet<usize> = set.iter().filter_map(|&s| roots.get(s).copied()).collect();
        let mut out = set.clone();
        out.extend((0..self.stages.len()).filter(|&j| wanted.contains(&roots[j])));
        out
    }

    /// Every stage that reads from `stage`, transitively.
    fn descendants(&self, stage: usize) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let mut todo = vec![stage];
        while let Some(s) = todo.pop() {
            for (j, st) in self.stages.iter().enumerate() {
                if st.deps.contains(&s) && out.insert(j) {
                    todo.push(j);
                }
            }
        }
        out
    }
}

/// Record that `r`'s stage reads the stage `r` names (once; not itself).
fn add_dep(deps: &mut Vec<usize>, r: &StageRef) {
    if let Some(t) = r.target_stage().filter(|&t| t != r.stage) {
        if !deps.contains(&t) {
            deps.push(t);
        }
    }
}

/// The diagnostics of `new_text` (the old text after `edit`) and its
/// outline, or `None` when the edit needs the full analysis.
pub(crate) fn diagnostics(
    old: &Outline,
    old_diagnostics: &[Diagnostic],
    old_text: &str,
    edit: &Edit,
    new_text: &str,
    model_settings: &ModelSettings,
    rule_settings: &RuleSettings,
) -> Option<(Vec<Diagnostic>, Outline)> {
    if new_text.len() > rules::MAX_CHECKED_BYTES {
        return None;
    }
    let (start, end) = (edit.range.start, edit.range.end);
    // Characters that can join lines, open a heredoc, start a comment or
    // change the escape character's meaning.
    let risky = |s: &str| {
        s.bytes()
            .any(|b| matches!(b, b'\n' | b'\r' | b'\\' | b'`' | b'<' | b'#'))
    };
    let removed = old_text.get(start as usize..end as usize)?;
    if risky(&edit.text) || risky(removed) {
        return None;
    }
    let delta = edit.text.len() as i64 - removed.len() as i64;
    if old_text.len() as i64 + delta != new_text.len() as i64 {
        return None;
    }
    let i = old
        .ins
        .iter()
        .position(|ins| ins.keyword_end < start && end <= ins.range.end)?;
    let ins = &old.ins[i];
    let k = ins.stage?;
    if matches!(ins.kind, Keyword::From) {
        return None;
    }
    let shift = |at: TextSize| -> Option<TextSize> {
        if at <= start {
            Some(at)
        } else if at >= end {
            Some((at as i64 + delta) as TextSize)
        } else {
            None
        }
    };
    // The edited stage, the stages reading from it, and the stages its
    // references named: with their ancestors, since whether a stage is
    // built for the target depends on every path to it. Also its whole
    // `FROM` family: a stage's rules read the scripts of the stages built
    // on it (whether a later install needs the apt lists a fix would
    // delete). Rules read other stages' scripts too (whether any RUN of a
    // stage copied from mentions a path), so a RUN is no exception.
    let mut affected: BTreeSet<usize> = old.descendants(k);
    affected.insert(k);
    affected.extend(old.with_ancestors(&ins.refs.iter().copied().collect()));
    affected = old.with_families(&affected);
    // When every stage is needed the slice is the whole text: rebuilding
    // the model from the previous one's (`Model::rebuild`) is cheaper.
    if old.with_ancestors(&affected).len() == old.stages.len() {
        return None;
    }
    let mut outline = old.clone();
    for (j, o) in outline.ins.iter_mut().enumerate() {
        if j == i {
            o.range.end = shift(o.range.end)?;
        } else {
            o.range = TextRange::new(shift(o.range.start)?, shift(o.range.end)?);
            o.keyword_end = shift(o.keyword_end)?;
        }
    }
    for s in &mut outline.stages {
        s.from_start = shift(s.from_start)?;
    }

    let (slice_model, slice_diags, new_refs, at) = loop {
        let kept = outline.with_ancestors(&affected);
        let slice = slice_text(new_text, &outline, &kept);
        let model = Model::build_with(&slice, model_settings);
        if !same_structure(&model, &outline) {
            return None;
        }
        // The edited instruction in the slice (whose instructions are
        // numbered differently): same start and kind; its end is the
        // slice's (trailing blanks are not part of it) but must not reach
        // the next instruction.
        let edited = outline.ins[i].range;
        let at = model
            .instructions
            .binary_search_by_key(&edited.start, |x| x.range.start)
            .ok()?;
        let next_start = outline
            .ins
            .get(i + 1)
            .map_or(TextSize::MAX, |n| n.range.start);
        let found = &model.instructions[at];
        let next_in_slice = model
            .instructions
            .get(at + 1)
            .map_or(TextSize::MAX, |n| n.range.start);
        if found.kind != ins.kind || found.range.end > next_start || next_in_slice < next_start {
            return None;
        }
        outline.ins[i].range = found.range;
        let new_refs: Vec<usize> = model
            .refs
            .iter()
            .filter(|r| r.instruction == at)
            .filter_map(|r| r.target_stage())
            .collect();
        let missing: BTreeSet<usize> = new_refs
            .iter()
            .copied()
            .filter(|r| !affected.contains(r))
            .collect();
        if missing.is_empty() {
            let diags = rules::run(&slice, &model, rule_settings);
            break (model, diags, new_refs, at);
        }
        affected.extend(outline.with_ancestors(&missing));
        affected = outline.with_families(&affected);
    };

    // The new outline: the edited instruction's references and its stage's
    // dependencies as the slice (which holds the whole stage) sees them.
    outline.ins[i].has_refs = slice_model.refs.iter().any(|r| r.instruction == at);
    outline.ins[i].refs = new_refs;
    let mut deps = Vec::new();
    for r in slice_model.refs.iter().filter(|r| r.stage == k) {
        add_dep(&mut deps, r);
    }
    outline.stages[k].deps = deps;

    let from_slice = |d: &Diagnostic| {
        outline
            .region(d.range.start)
            .is_none_or(|s| affected.contains(&s))
    };
    let mut out: Vec<Diagnostic> = Vec::with_capacity(old_diagnostics.len() + 8);
    for d in old_diagnostics {
        let region = old.region(d.range.start);
        if region.is_none_or(|s| affected.contains(&s)) {
            continue;
        }
        out.push(shifted(d, &shift)?);
    }
    out.extend(slice_diags.into_iter().filter(|d| from_slice(d)));
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    Some((out, outline))
}

/// `d` with every range moved past the edit; `None` if one touches it.
fn shifted(d: &Diagnostic, shift: &impl Fn(TextSize) -> Option<TextSize>) -> Option<Diagnostic> {
    let range = |r: TextRange| -> Option<TextRange> {
        Some(TextRange::new(shift(r.start)?, shift(r.end)?))
    };
    let mut d = d.clone();
    d.range = range(d.range)?;
    for r in &mut d.related {
        r.range = range(r.range)?;
    }
    for f in &mut d.fixes {
        for e in &mut f.edits {
            e.range = range(e.range)?;
        }
    }
    Some(d)
}

/// `text` with the instructions of stages not `kept` blanked out (every
/// byte but line breaks turned into a space), except those every slice
/// keeps.
fn slice_text(text: &str, outline: &Outline, kept: &BTreeSet<usize>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for ins in &outline.ins {
        let Some(s) = ins.stage else {
            continue;
        };
        if kept.contains(&s) || ins.has_refs || matches!(ins.kind, Keyword::From | Keyword::Arg) {
            continue;
        }
        let r = ins.range.start as usize..(ins.range.end as usize).min(bytes.len());
        for b in &mut bytes[r] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes were written, over whole instructions: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether the slice's model has the stages the outline expects, each
/// starting where expected.
fn same_structure(model: &Model, outline: &Outline) -> bool {
    model.stages.len() == outline.stages.len()
        && model.stages.iter().zip(&outline.stages).all(|(s, o)| {
            model
                .instructions
                .get(s.from)
                .is_some_and(|f| f.range.start == o.from_start)
        })
}
