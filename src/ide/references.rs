//! Find references and document highlight: the symbol under the cursor (a
//! stage name, or an ARG/ENV variable) and every place that names it.
//!
//! Stages: the name after `AS`, and every `FROM`, `COPY --from=` and
//! `RUN --mount=...,from=` that resolves to the stage (by name, by index
//! `--from=0`, or through a variable in a FROM line).
//!
//! Variables follow BuildKit's scopes (`model::vars`), grouped into one
//! symbol per variable:
//! - a global ARG: every global declaration of the name, every `ARG NAME`
//!   inside a stage (a redeclaration that makes the global visible, or
//!   overrides its default), and the uses they resolve;
//! - otherwise (ENV, or an ARG only declared inside stages): the
//!   declarations of that kind in one stage, joined with the declaration a
//!   stage built `FROM <stage>` inherits, and the uses they resolve;
//! - a use no declaration resolves (a predefined ARG such as
//!   `TARGETPLATFORM`, or a variable from the base image or the shell):
//!   every unresolved use of the name.
//!
//! Everything is linear in the number of declarations and uses.

use crate::model::{Base, Model, VarKind};
use crate::text::{TextRange, TextSize};

use super::Analysis;

/// How an occurrence uses the symbol (LSP documentHighlight kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A declaration: the name after `AS`, `ARG NAME`, `ENV NAME=...`.
    Write,
    /// A use: a stage reference, `$NAME`.
    Read,
}

/// One occurrence of a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The name itself (without `$`, `${`, quotes or modifiers).
    pub range: TextRange,
    pub access: Access,
    /// Names the symbol but is not its name as written: a stage index
    /// (`--from=0`) or a FROM line naming the stage through a variable.
    /// Rename leaves these alone.
    pub indirect: bool,
}

/// What the cursor is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Symbol {
    Stage(usize),
    /// Declarations and uses (indexes into `Model::decls`/`uses`) of one
    /// variable.
    Var {
        name: String,
        decls: Vec<usize>,
        uses: Vec<usize>,
    },
    /// Uses of a name no declaration in the file resolves.
    Unresolved {
        name: String,
        uses: Vec<usize>,
    },
}

/// The symbol at `offset` and the range of the occurrence under the cursor.
pub(crate) fn symbol_at(m: &Model, offset: TextSize) -> Option<(Symbol, TextRange)> {
    if let Some(s) = m
        .stages
        .iter()
        .find(|s| s.name_range.is_some_and(|r| r.touches(offset)))
    {
        return Some((Symbol::Stage(s.index), s.name_range?));
    }
    if let Some(r) = m.refs.iter().find(|r| r.range.touches(offset)) {
        return r.target_stage().map(|s| (Symbol::Stage(s), r.range));
    }
    if let Some(d) = m.decls.iter().position(|d| d.name_range.touches(offset)) {
        let range = m.decls[d].name_range;
        return Some((var_symbol(m, d), range));
    }
    // `$NAME`, `${NAME}`: the cursor may be on the `$` or the braces too.
    // Nested uses (`${A:-$B}`) are found innermost first.
    let u = m
        .uses
        .iter()
        .enumerate()
        .filter(|(_, u)| u.range.touches(offset))
        .min_by_key(|(_, u)| u.range.len())
        .map(|(i, _)| i)?;
    let range = m.uses[u].name_range;
    match m.uses[u].decl {
        Some(d) => Some((var_symbol(m, d), range)),
        None => {
            let name = m.uses[u].name.clone();
            let uses = (0..m.uses.len())
                .filter(|&i| m.uses[i].decl.is_none() && m.uses[i].name == name)
                .collect();
            Some((Symbol::Unresolved { name, uses }, range))
        }
    }
}

/// The variable declaration `seed` belongs to, with all its declarations
/// and uses.
fn var_symbol(m: &Model, seed: usize) -> Symbol {
    let name = m.decls[seed].name.clone();
    let ds: Vec<usize> = (0..m.decls.len())
        .filter(|&d| m.decls[d].name == name)
        .collect();
    let mut uf = UnionFind::new(ds.len());
    let pos = |d: usize| ds.binary_search(&d).ok();
    let has_global = ds.iter().any(|&d| m.decls[d].stage.is_none());
    let mut first_global = None;
    // Same stage (or global) and same kind: one variable redeclared.
    let mut last_of: Vec<((Option<usize>, VarKind), usize)> = Vec::new();
    for (i, &d) in ds.iter().enumerate() {
        let decl = &m.decls[d];
        if has_global && decl.kind == VarKind::Arg {
            match first_global {
                None => first_global = Some(i),
                Some(g) => uf.union(g, i),
            }
        }
        let key = (decl.stage, decl.kind);
        match last_of.iter().find(|(k, _)| *k == key) {
            Some(&(_, j)) => uf.union(j, i),
            None => last_of.push((key, i)),
        }
    }
    // A stage built FROM another inherits its variables: the first
    // declaration in the child joins the one visible at the end of the
    // parent chain, when both are of the same kind. Per stage, the last
    // declaration of the name in it, and the nearest stage up its chain
    // that has one: found once, in stage order (a base is an earlier
    // stage), not by a walk up the chain for each declaration.
    let parent_of = |s: usize| match m.stages.get(s).map(|st| &st.base) {
        Some(Base::Stage(b)) if *b < s => Some(*b),
        _ => None,
    };
    let mut last_in: Vec<Option<usize>> = vec![None; m.stages.len()];
    for (i, &d) in ds.iter().enumerate() {
        if let Some(slot) = m.decls[d].stage.and_then(|s| last_in.get_mut(s)) {
            *slot = Some(i);
        }
    }
    let mut nearest: Vec<Option<usize>> = vec![None; m.stages.len()];
    for s in 0..m.stages.len() {
        nearest[s] = parent_of(s).and_then(|p| last_in[p].or(nearest[p]));
    }
    for (i, &d) in ds.iter().enumerate() {
        let decl = &m.decls[d];
        let Some(j) = decl.stage.and_then(|st| nearest.get(st).copied().flatten()) else {
            continue;
        };
        if m.decls[ds[j]].kind == decl.kind {
            uf.union(i, j);
        }
    }
    let root = pos(seed).map(|i| uf.find(i));
    let decls: Vec<usize> = ds
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(uf.find(i)) == root)
        .map(|(_, &d)| d)
        .collect();
    let uses = (0..m.uses.len())
        .filter(|&u| {
            m.uses[u]
                .decl
                .is_some_and(|d| m.decls[d].name == name && decls.binary_search(&d).is_ok())
        })
        .collect();
    Symbol::Var { name, decls, uses }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// A stage reference's range without surrounding quotes.
pub(crate) fn unquoted(text: &str, r: TextRange) -> TextRange {
    let s = r.slice(text);
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        TextRange::new(r.start + 1, r.end - 1)
    } else {
        r
    }
}

/// Every occurrence of `sym`, in source order.
pub(crate) fn occurrences(m: &Model, text: &str, sym: &Symbol) -> Vec<Occurrence> {
    let mut out = Vec::new();
    match sym {
        Symbol::Stage(s) => {
            let stage = &m.stages[*s];
            if let Some(r) = stage.name_range {
                out.push(Occurrence {
                    range: unquoted(text, r),
                    access: Access::Write,
                    indirect: false,
                });
            }
            for r in m.refs.iter().filter(|r| r.target_stage() == Some(*s)) {
                let range = unquoted(text, r.range);
                let by_name = stage
                    .name
                    .as_deref()
                    .is_some_and(|n| range.slice(text).eq_ignore_ascii_case(n));
                out.push(Occurrence {
                    range,
                    access: Access::Read,
                    indirect: r.by_index || !by_name,
                });
            }
        }
        Symbol::Var { decls, uses, .. } => {
            out.extend(decls.iter().map(|&d| Occurrence {
                range: m.decls[d].name_range,
                access: Access::Write,
                indirect: false,
            }));
            out.extend(uses.iter().map(|&u| Occurrence {
                range: m.uses[u].name_range,
                access: Access::Read,
                indirect: false,
            }));
        }
        Symbol::Unresolved { uses, .. } => {
            out.extend(uses.iter().map(|&u| Occurrence {
                range: m.uses[u].name_range,
                access: Access::Read,
                indirect: false,
            }));
        }
    }
    out.sort_by_key(|o| (o.range.start, o.range.end));
    out.dedup_by_key(|o| o.range);
    out
}

impl Analysis {
    /// Find references at `offset`: every occurrence of the symbol under
    /// the cursor, declarations included when `include_declaration`.
    pub fn references(&self, offset: TextSize, include_declaration: bool) -> Vec<Occurrence> {
        let Some((sym, _)) = symbol_at(self.model(), offset) else {
            return Vec::new();
        };
        occurrences(self.model(), self.text(), &sym)
            .into_iter()
            .filter(|o| include_declaration || o.access == Access::Read)
            .collect()
    }

    /// Document highlight at `offset`: the occurrences of the symbol under
    /// the cursor, declarations as writes.
    pub fn highlights(&self, offset: TextSize) -> Vec<Occurrence> {
        self.references(offset, true)
    }
}
