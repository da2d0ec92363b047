//! Document symbols (an outline: global ARGs, then each stage with its
//! instructions) and workspace symbols (stages and ARGs, filtered).

use crate::model::{Instruction, Model, VarKind};
use crate::syntax::Keyword;
use crate::text::TextRange;

use super::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Stage,
    /// An ARG declaration (global, or in a stage for workspace symbols).
    Arg,
    /// An instruction that declares variables (ARG, ENV) inside a stage.
    VarInstruction,
    Instruction,
}

/// One node of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The name in it (inside `range`).
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// A stage or an ARG, for workspace/symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub range: TextRange,
    /// The stage containing an ARG.
    pub container: Option<String>,
}

/// Longest instruction text shown in a symbol name, in characters.
const SHORT: usize = 40;

/// `keyword` + the arguments on one line, shortened.
fn instruction_name(ins: &Instruction) -> String {
    let mut name = ins.keyword.value.to_ascii_uppercase();
    if let (Some(first), Some(last)) = (ins.args.first(), ins.args.last()) {
        let (a, b) = (first.joined.0 as usize, last.joined.1 as usize);
        if let Some(args) = ins.joined.text.get(a..b.max(a)) {
            let mut short = String::new();
            let mut count = 0;
            for w in args.split_whitespace() {
                if !short.is_empty() {
                    short.push(' ');
                    count += 1;
                }
                for c in w.chars() {
                    short.push(c);
                    count += 1;
                    if count >= SHORT {
                        break;
                    }
                }
                if count >= SHORT {
                    short.push('…');
                    break;
                }
            }
            if !short.is_empty() {
                name.push(' ');
                name.push_str(&short);
            }
        }
    }
    if name.is_empty() {
        name = "?".into();
    }
    name
}

fn instruction_symbol(ins: &Instruction) -> Symbol {
    let flags: Vec<&str> = ins.flags.iter().map(|f| f.word.raw.as_str()).collect();
    Symbol {
        name: instruction_name(ins),
        detail: (!flags.is_empty()).then(|| flags.join(" ")),
        kind: match ins.kind {
            Keyword::Arg | Keyword::Env => SymbolKind::VarInstruction,
            _ => SymbolKind::Instruction,
        },
        range: ins.range,
        selection: ins.keyword.range,
        children: Vec::new(),
    }
}

fn stage_name(m: &Model, s: usize) -> String {
    match &m.stages[s].name {
        Some(n) => n.clone(),
        None => format!("stage {s}"),
    }
}

/// The outline's first `max` symbols, children counted: the ones past
/// them are not built at all.
pub(super) fn document_symbols(m: &Model, max: usize) -> Vec<Symbol> {
    let mut out = Vec::new();
    let mut left = max;
    let mut decls = m.decls.iter().peekable();
    for ins in m.instructions.iter().take_while(|i| i.stage.is_none()) {
        if left == 0 {
            return out;
        }
        let mut any = false;
        while let Some(d) = decls.next_if(|d| d.instruction <= ins.index) {
            if d.instruction == ins.index && d.stage.is_none() && d.kind == VarKind::Arg && left > 0
            {
                any = true;
                left -= 1;
                out.push(Symbol {
                    name: d.name.clone(),
                    detail: d.value.clone(),
                    kind: SymbolKind::Arg,
                    range: ins.range,
                    selection: d.name_range,
                    children: Vec::new(),
                });
            }
        }
        if !any {
            left -= 1;
            out.push(instruction_symbol(ins));
        }
    }
    for stage in &m.stages {
        if left == 0 {
            break;
        }
        left -= 1;
        let from = &m.instructions[stage.from];
        let children: Vec<Symbol> = m
            .instructions
            .get(stage.instructions.start + 1..stage.instructions.end)
            .unwrap_or(&[])
            .iter()
            .take(left)
            .map(instruction_symbol)
            .collect();
        left -= children.len();
        out.push(Symbol {
            name: stage_name(m, stage.index),
            detail: (!stage.base_text.is_empty()).then(|| stage.base_text.clone()),
            kind: SymbolKind::Stage,
            range: stage.range.cover(from.range),
            selection: stage.name_range.unwrap_or(from.keyword.range),
            children,
        });
    }
    out
}

/// `query`'s characters appear in `name` in order, ignoring case.
pub(crate) fn fuzzy_match(query: &str, name: &str) -> bool {
    let mut it = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|q| it.any(|c| c == q))
}

pub(super) fn workspace_symbols(m: &Model, query: &str) -> Vec<WorkspaceSymbol> {
    let mut out = Vec::new();
    for stage in &m.stages {
        let name = stage_name(m, stage.index);
        if fuzzy_match(query, &name) {
            out.push(WorkspaceSymbol {
                name,
                kind: SymbolKind::Stage,
                range: stage.name_range.unwrap_or(stage.range),
                container: None,
            });
        }
    }
    for d in m.decls.iter().filter(|d| d.kind == VarKind::Arg) {
        if fuzzy_match(query, &d.name) {
            out.push(WorkspaceSymbol {
                name: d.name.clone(),
                kind: SymbolKind::Arg,
                range: d.name_range,
                container: d.stage.map(|s| stage_name(m, s)),
            });
        }
    }
    out.sort_by_key(|s| s.range.start);
    out
}

impl Analysis {
    /// The outline: global ARGs, then each stage with its instructions.
    pub fn document_symbols(&self) -> Vec<Symbol> {
        document_symbols(self.model(), usize::MAX)
    }

    /// The outline's first `max` symbols, counting each stage's children
    /// (an answer to the editor is bounded: a generated file of megabytes
    /// has hundreds of thousands of instructions).
    pub fn document_symbols_at_most(&self, max: usize) -> Vec<Symbol> {
        document_symbols(self.model(), max)
    }

    /// Stages and ARGs whose name contains `query`'s characters in order
    /// (case-insensitive; an empty query matches all).
    pub fn workspace_symbols(&self, query: &str) -> Vec<WorkspaceSymbol> {
        workspace_symbols(self.model(), query)
    }
}
