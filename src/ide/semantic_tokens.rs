//! Semantic tokens: what the model knows about each word, for highlighting.
//!
//! Tokens come from the model, not from a grammar: instruction keywords,
//! builder flags, stage names (declared and referenced), image references,
//! ARG/ENV names and the `$VAR` uses the model resolves, exec-form strings,
//! comments, parser directives and pragmas. Shell text is left to the
//! client's own highlighter: inside a RUN body only variable uses get a
//! token.
//!
//! The result is sorted, without overlaps, and every token lies on one line
//! (LSP clients need that unless they announce multi-line tokens). Where
//! tokens overlap the more specific one wins and the other is split around
//! it: a `$VAR` inside an exec-form string, a rule code inside a pragma.

use std::collections::BTreeMap;

use crate::model::{is_predefined, Base, Form, Instruction, Model, RefKind, VarKind};
use crate::rules::{pragmas, PragmaKind};
use crate::syntax::Keyword;
use crate::text::{TextRange, TextSize};

use super::Analysis;

/// The token types berth emits (all of them standard LSP types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// Instruction keywords, `AS`.
    Keyword,
    /// Builder flag names (`--from`, `--mount`).
    Parameter,
    /// Stage names, declared or referenced.
    Class,
    /// Image references (`golang:1.23`, `scratch`).
    Namespace,
    /// ARG/ENV names and variable uses.
    Variable,
    /// Exec-form JSON strings, flag values, directive values.
    String,
    /// Numbers: ports, numeric flag values, stage indexes.
    Number,
    Comment,
    /// Parser directive names (`syntax`, `escape`, `check`).
    Macro,
    /// The pragma prefix (`hadolint ignore=`, `check=skip=`).
    Decorator,
    /// Rule codes named by a pragma.
    EnumMember,
}

impl TokenType {
    /// Every type, in the order of the LSP legend.
    pub const ALL: [TokenType; 11] = [
        TokenType::Keyword,
        TokenType::Parameter,
        TokenType::Class,
        TokenType::Namespace,
        TokenType::Variable,
        TokenType::String,
        TokenType::Number,
        TokenType::Comment,
        TokenType::Macro,
        TokenType::Decorator,
        TokenType::EnumMember,
    ];

    /// Index in [`TokenType::ALL`].
    pub fn index(self) -> u32 {
        TokenType::ALL.iter().position(|&t| t == self).unwrap_or(0) as u32
    }
}

/// Token modifiers as a bitset (bit `i` is `NAMES[i]`).
pub mod modifiers {
    pub const DECLARATION: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DEFAULT_LIBRARY: u32 = 1 << 2;
    /// Names in bit order, as the LSP legend lists them.
    pub const NAMES: [&str; 3] = ["declaration", "readonly", "defaultLibrary"];
}

/// One token: a single-line byte range, its type and modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub ty: TokenType,
    pub modifiers: u32,
}

/// How specific a token is: a more specific token wins where two overlap.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Comments, strings and flag values: containers of other tokens.
    Background,
    /// Keywords, names, images.
    Word,
    /// Variable uses and pragma codes inside the above.
    Inner,
}

struct Painter {
    raw: Vec<(Layer, SemanticToken)>,
}

impl Painter {
    fn add(&mut self, layer: Layer, range: TextRange, ty: TokenType, modifiers: u32) {
        if range.start < range.end {
            self.raw.push((
                layer,
                SemanticToken {
                    range,
                    ty,
                    modifiers,
                },
            ));
        }
    }

    /// Resolve overlaps (the upper layer wins, then the earlier token) and
    /// split at line breaks.
    fn finish(mut self, text: &str, escape: u8) -> Vec<SemanticToken> {
        // Stable: within a layer, tokens keep the order they were added in.
        self.raw.sort_by_key(|(layer, _)| std::cmp::Reverse(*layer));
        let mut taken: BTreeMap<TextSize, (TextSize, SemanticToken)> = BTreeMap::new();
        for (_, tok) in self.raw {
            let (start, end) = (tok.range.start, tok.range.end);
            // Pieces of [start, end) not covered yet.
            let mut pieces = Vec::new();
            let mut pos = start;
            let first = taken
                .range(..=start)
                .next_back()
                .filter(|(_, (e, _))| *e > start)
                .map(|(s, _)| *s)
                .unwrap_or(start);
            for (&s, &(e, _)) in taken.range(first..end) {
                if s > pos {
                    pieces.push(TextRange::new(pos, s.min(end)));
                }
                pos = pos.max(e);
                if pos >= end {
                    break;
                }
            }
            if pos < end {
                pieces.push(TextRange::new(pos, end));
            }
            for p in pieces {
                taken.insert(p.start, (p.end, SemanticToken { range: p, ..tok }));
            }
        }
        let mut out = Vec::with_capacity(taken.len());
        for (_, (_, tok)) in taken {
            split_lines(text, escape, tok, &mut out);
        }
        out
    }
}

/// Push `tok` cut at line breaks (`\n`, `\r\n`, `\r`). Pieces lose their
/// leading blanks, and a piece that ends at a line break loses the
/// continuation escape before it; empty pieces are dropped.
fn split_lines(text: &str, escape: u8, tok: SemanticToken, out: &mut Vec<SemanticToken>) {
    let r = tok.range;
    let Some(slice) = text.get(r.as_usize()) else {
        return;
    };
    let base = r.start as usize;
    let bytes = slice.as_bytes();
    let blank = |b: u8| b == b' ' || b == b'\t';
    let mut push = |mut s: usize, mut e: usize, at_break: bool| {
        while s < e && blank(bytes[s]) {
            s += 1;
        }
        if at_break {
            while e > s && blank(bytes[e - 1]) {
                e -= 1;
            }
            if e > s && bytes[e - 1] == escape {
                e -= 1;
            }
            while e > s && blank(bytes[e - 1]) {
                e -= 1;
            }
        }
        if s < e {
            out.push(SemanticToken {
                range: TextRange::from_usize(base + s, base + e),
                ..tok
            });
        }
    };
    let mut start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || b == b'\r' {
            if i > start {
                push(start, i, true);
            }
            start = i + 1;
        }
    }
    if bytes.len() > start {
        push(start, bytes.len(), false);
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn instruction(p: &mut Painter, ins: &Instruction) {
    p.add(Layer::Word, ins.keyword.range, TokenType::Keyword, 0);
    for f in &ins.flags {
        p.add(
            Layer::Word,
            TextRange::new(f.word.range.start, f.name_range.end),
            TokenType::Parameter,
            0,
        );
        if let (Some(v), Some(r)) = (&f.value, f.value_range) {
            let ty = if is_number(v) {
                TokenType::Number
            } else {
                TokenType::String
            };
            p.add(Layer::Background, r, ty, 0);
        }
    }
    if let Some(trigger) = &ins.onbuild {
        instruction(p, trigger);
        return;
    }
    match ins.kind {
        Keyword::From => {
            if let Some(as_kw) = ins
                .args
                .get(1)
                .filter(|w| w.value.eq_ignore_ascii_case("as"))
            {
                p.add(Layer::Word, as_kw.range, TokenType::Keyword, 0);
            }
        }
        Keyword::Expose => {
            for w in &ins.args {
                let port = w.raw.split('/').next().unwrap_or("");
                let len = port.len() as u32;
                if port.bytes().all(|b| b.is_ascii_digit() || b == b'-') && len > 0 {
                    let end = (w.range.start + len).min(w.range.end);
                    p.add(
                        Layer::Word,
                        TextRange::new(w.range.start, end),
                        TokenType::Number,
                        0,
                    );
                }
            }
        }
        Keyword::Stopsignal => {
            for w in ins.args.iter().filter(|w| is_number(&w.raw)) {
                p.add(Layer::Word, w.range, TokenType::Number, 0);
            }
        }
        _ => {}
    }
    let exec = ins.form == Form::Exec
        && matches!(
            ins.kind,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Copy
                | Keyword::Add
                | Keyword::Healthcheck
                | Keyword::Volume
        );
    if exec {
        for w in &ins.args {
            if w.raw.starts_with('"') {
                p.add(Layer::Background, w.range, TokenType::String, 0);
            }
        }
    }
}

/// All semantic tokens of the document, sorted and single-line.
pub fn semantic_tokens(a: &Analysis) -> Vec<SemanticToken> {
    let m: &Model = a.model();
    let text = a.text();
    let mut p = Painter { raw: Vec::new() };

    for c in &m.comments {
        p.add(Layer::Background, c.range, TokenType::Comment, 0);
    }
    for d in &m.directives {
        p.add(Layer::Background, d.range, TokenType::Comment, 0);
        p.add(Layer::Word, d.name_range, TokenType::Macro, 0);
        p.add(Layer::Word, d.value_range, TokenType::String, 0);
    }
    for pr in pragmas(m, text) {
        if pr.kind == PragmaKind::CheckSkip {
            // In a directive: the name is a macro already, codes stand out.
        } else {
            // From the word after `#` to the first code (or the line end).
            let body = pr.range.slice(text);
            let lead = body.len() - body.trim_start_matches(['#', ' ', '\t']).len();
            let start = pr.range.start + lead as u32;
            let end = pr.codes.first().map_or(pr.range.end, |c| c.1.start);
            if start < end {
                p.add(
                    Layer::Word,
                    TextRange::new(start, end),
                    TokenType::Decorator,
                    0,
                );
            }
        }
        for (_, r) in &pr.codes {
            p.add(Layer::Inner, *r, TokenType::EnumMember, 0);
        }
    }

    for ins in &m.instructions {
        instruction(&mut p, ins);
    }

    for s in &m.stages {
        if let Some(r) = s.name_range {
            p.add(Layer::Word, r, TokenType::Class, modifiers::DECLARATION);
        }
        match s.base {
            Base::Image(_) | Base::Variable => {
                p.add(Layer::Word, s.base_range, TokenType::Namespace, 0)
            }
            Base::Scratch => p.add(
                Layer::Word,
                s.base_range,
                TokenType::Namespace,
                modifiers::DEFAULT_LIBRARY,
            ),
            // `FROM <stage>` is a reference, below.
            Base::Stage(_) | Base::Missing => {}
        }
    }
    for r in &m.refs {
        let ty = match (r.target_stage(), r.kind) {
            (Some(_), _) if r.by_index => TokenType::Number,
            (Some(_), _) => TokenType::Class,
            (None, RefKind::From) => continue,
            (None, _) if r.text.contains('$') => continue,
            (None, _) => TokenType::Namespace,
        };
        p.add(Layer::Word, r.range, ty, 0);
    }

    for d in &m.decls {
        let mut mods = modifiers::DECLARATION;
        if d.kind == VarKind::Arg && is_predefined(&d.name) {
            mods |= modifiers::READONLY | modifiers::DEFAULT_LIBRARY;
        }
        p.add(Layer::Word, d.name_range, TokenType::Variable, mods);
    }
    for u in &m.uses {
        let predefined = match u.decl {
            Some(d) => m.decls[d].kind == VarKind::Arg && is_predefined(&u.name),
            None => is_predefined(&u.name),
        };
        let mods = if predefined {
            modifiers::READONLY | modifiers::DEFAULT_LIBRARY
        } else {
            0
        };
        if u.modifier.is_none() {
            p.add(Layer::Inner, u.range, TokenType::Variable, mods);
            continue;
        }
        // `${NAME` and `}`, not the default value (which may hold uses of
        // its own).
        let range = TextRange::new(u.range.start, u.name_range.end.max(u.range.start));
        p.add(Layer::Inner, range, TokenType::Variable, mods);
        if u.range.end > u.name_range.end
            && text.as_bytes().get(u.range.end as usize - 1) == Some(&b'}')
        {
            let close = TextRange::new(u.range.end - 1, u.range.end);
            p.add(Layer::Inner, close, TokenType::Variable, mods);
        }
    }
    p.finish(text, m.escape)
}

/// The tokens that overlap `range` (for `textDocument/semanticTokens/range`).
pub fn semantic_tokens_in(a: &Analysis, range: TextRange) -> Vec<SemanticToken> {
    let mut all = semantic_tokens(a);
    all.retain(|t| t.range.end > range.start && t.range.start < range.end);
    all
}

impl Analysis {
    /// Semantic tokens of the whole document.
    pub fn semantic_tokens(&self) -> Vec<SemanticToken> {
        semantic_tokens(self)
    }

    /// Semantic tokens overlapping `range`.
    pub fn semantic_tokens_in(&self, range: TextRange) -> Vec<SemanticToken> {
        semantic_tokens_in(self, range)
    }
}
