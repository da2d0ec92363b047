//! The build model: stages, instructions, references between stages,
//! ARG/ENV scopes and the stage graph, with BuildKit's semantics.
//!
//! [`Model::build`] never fails and keeps no tree-sitter nodes: every
//! position is a byte range into the text. Problems BuildKit would reject
//! at parse time are collected in [`Model::problems`].

mod build;
pub mod catalog;
pub mod context;
pub mod dockerignore;
pub mod fs;
mod graph;
mod image;
mod vars;

use crate::syntax::{Comment, Directive, Flag, Heredoc, Joined, Keyword, Word};
use crate::text::{TextRange, TextSize};

pub use build::{valid_stage_name, Kept, Moved};
pub use image::{ImageRef, RefError, RefErrorKind};

/// Codes of the parse-time problems BuildKit reports, and of the one
/// problem that is berth's own: [`build_codes::NESTING_TOO_DEEP`], nesting
/// deeper than the analysis follows.
pub mod build_codes {
    pub use super::build::{
        INVALID_ARGUMENTS, INVALID_DIRECTIVE, INVALID_FLAG, INVALID_ONBUILD_TRIGGER,
        INVALID_STAGE_NAME, NESTING_TOO_DEEP, UNKNOWN_INSTRUCTION, UNTERMINATED_HEREDOC,
    };
}
pub use vars::{
    expand, expand_with, is_platform_arg, is_predefined, vars_visible, Unset, PREDEFINED_ARGS,
};

/// Analysis settings that change the model (not the text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelSettings {
    /// The stage `docker build --target` names; the last stage when `None`.
    pub target: Option<String>,
}

/// Exec form (`["a", "b"]`) or shell form of CMD/RUN/ENTRYPOINT/SHELL/COPY/ADD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Shell,
    Exec,
}

#[derive(Clone, Debug)]
pub struct Instruction {
    pub index: usize,
    pub kind: Keyword,
    /// The whole instruction, heredoc bodies included.
    pub range: TextRange,
    pub keyword: Word,
    pub flags: Vec<Flag>,
    /// Arguments split the way BuildKit splits this instruction's arguments.
    /// Shell-form RUN/CMD/ENTRYPOINT: one word with the whole command text.
    pub args: Vec<Word>,
    /// The argument text's range (after flags).
    pub args_range: TextRange,
    pub form: Form,
    pub heredocs: Vec<Heredoc>,
    /// The stage the instruction belongs to; `None` before the first FROM.
    pub stage: Option<usize>,
    /// For ONBUILD, the instruction it triggers.
    pub onbuild: Option<Box<Instruction>>,
    /// Blank lines inside the continuation.
    pub empty_continuation_lines: Vec<TextRange>,
    /// End of the logical line (before heredoc bodies).
    pub logical_end: TextSize,
    /// The logical line as BuildKit joins it, with its map to the source.
    pub joined: Joined,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`: an empty filesystem.
    Scratch,
    /// An earlier stage, by index.
    Stage(usize),
    /// An image from a registry.
    Image(ImageRef),
    /// The image name depends on variables that are not known.
    Variable,
    /// No base given (`FROM` without arguments).
    Missing,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// The name after `AS`, lower-cased as BuildKit does.
    pub name: Option<String>,
    /// The name as written.
    pub name_range: Option<TextRange>,
    /// The `AS` keyword.
    pub as_range: Option<TextRange>,
    /// The FROM instruction's index.
    pub from: usize,
    /// The base as written (`golang:${GO}`), and where.
    pub base_text: String,
    pub base_range: TextRange,
    /// The base with global ARG defaults substituted.
    pub base_expanded: String,
    pub base: Base,
    pub platform: Option<Flag>,
    /// Instructions of the stage: `from..end` (FROM included).
    pub instructions: std::ops::Range<usize>,
    /// From the FROM keyword to the end of the stage's last instruction.
    pub range: TextRange,
}

impl Stage {
    /// `name` or `stage-N` as BuildKit names anonymous stages.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("stage-{}", self.index),
        }
    }
}

/// How an instruction refers to another stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `FROM <stage>`
    From,
    /// `COPY --from=<stage>`
    CopyFrom,
    /// `RUN --mount=...,from=<stage>`
    MountFrom,
}

/// What a stage reference resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A stage defined before the referring stage.
    Stage(usize),
    /// A stage defined later: BuildKit fails ("needs to be defined before").
    LaterStage(usize),
    /// The stage that contains the reference.
    SelfRef(usize),
    /// A numeric index with no such stage.
    IndexOutOfRange(usize),
    /// Not a stage: an image pulled from a registry (or scratch/context).
    Image,
    /// Contains variables; BuildKit rejects `--from=$X`.
    Variable,
}

#[derive(Clone, Debug)]
pub struct StageRef {
    pub kind: RefKind,
    /// The reference as written.
    pub text: String,
    pub range: TextRange,
    pub instruction: usize,
    /// The stage containing the reference.
    pub stage: usize,
    pub resolution: Resolution,
    /// Referred to by a numeric index (`--from=0`).
    pub by_index: bool,
}

impl StageRef {
    /// The stage the reference points at, whatever BuildKit thinks of it.
    pub fn target_stage(&self) -> Option<usize> {
        match self.resolution {
            Resolution::Stage(s) | Resolution::LaterStage(s) | Resolution::SelfRef(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

/// An ARG or ENV declaration of one name.
#[derive(Clone, Debug)]
pub struct VarDecl {
    pub kind: VarKind,
    pub name: String,
    pub name_range: TextRange,
    /// The value as written (unquoted), if any.
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
    pub instruction: usize,
    /// `None` for global ARGs (before the first FROM).
    pub stage: Option<usize>,
}

/// Where a variable is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseContext {
    /// In a FROM line: only global ARGs are visible.
    From,
    /// In an instruction BuildKit expands (COPY, ENV, WORKDIR...).
    Instruction,
    /// In shell text (RUN, shell-form CMD): the shell expands it at run time.
    Shell,
}

#[derive(Clone, Debug)]
pub struct VarUse {
    pub name: String,
    pub name_range: TextRange,
    /// `$NAME` or `${NAME...}` as a whole.
    pub range: TextRange,
    pub modifier: Option<String>,
    pub instruction: usize,
    pub stage: Option<usize>,
    pub context: UseContext,
    /// The declaration in scope, if any.
    pub decl: Option<usize>,
}

/// A problem BuildKit rejects when it parses the Dockerfile, or a part of
/// an instruction the analysis does not follow (nesting past its limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub range: TextRange,
    pub message: String,
}

/// The whole build.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub escape: u8,
    pub directives: Vec<Directive>,
    pub comments: Vec<Comment>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    pub refs: Vec<StageRef>,
    pub decls: Vec<VarDecl>,
    pub uses: Vec<VarUse>,
    pub problems: Vec<Problem>,
    /// The stage that is built (last stage unless a target is set).
    pub target: Option<usize>,
    /// The target named in the settings that matches no stage.
    pub unknown_target: Option<String>,
    /// Per stage: built when the target is built.
    pub reachable: Vec<bool>,
    /// Indices of the exec-form SHELL instructions, in order: the shell in
    /// effect at an instruction is found by binary search, not by walking
    /// back over its stage.
    pub exec_shells: Vec<usize>,
    /// Per instruction: where the parser's scan went on after it
    /// ([`crate::syntax::RawInstruction::scan_end`]); [`Model::rebuild`]
    /// resumes there.
    pub scan_ends: Vec<TextSize>,
    /// How many of `problems` the parser reported (they come first).
    pub syntax_problems: usize,
    /// Read from a syntax tree with error recovery in it
    /// ([`crate::syntax::SyntaxFile::recovered`]): [`Model::rebuild`]
    /// builds the next version whole.
    pub recovered: bool,
}

impl Model {
    /// The stage containing `offset`, if any.
    pub fn stage_at(&self, offset: TextSize) -> Option<&Stage> {
        self.stages.iter().rev().find(|s| s.range.start <= offset)
    }

    /// The instruction containing `offset` (touching its end counts).
    pub fn instruction_at(&self, offset: TextSize) -> Option<&Instruction> {
        let i = self
            .instructions
            .partition_point(|ins| ins.range.start <= offset);
        let ins = self.instructions.get(i.checked_sub(1)?)?;
        ins.range.touches(offset).then_some(ins)
    }

    /// Stages named `name` (case-insensitive), in order.
    pub fn stages_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Stage> + 'a {
        self.stages.iter().filter(move |s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// Global ARG declarations (before the first FROM).
    pub fn global_args(&self) -> impl Iterator<Item = &VarDecl> {
        self.decls.iter().filter(|d| d.stage.is_none())
    }
}

/// The candidate closest to `word` (case-insensitive edit distance), if it is
/// close enough to be a likely typo. The first of equally close candidates wins.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Only a strictly closer candidate replaces the one found first.
        let bound = match best {
            Some((0, _)) => break,
            Some((d, _)) => d - 1,
            None => limit,
        };
        if let Some(d) = distance_within(word, c, bound) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance over chars, ASCII letters compared without case, where
/// swapping two neighbours costs one (optimal string alignment): `biuld` is
/// one edit from `build`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    distance_within(a, b, usize::MAX).expect("no bound")
}

/// [`edit_distance`] if it is at most `limit`, else `None`, found without
/// filling the whole table: lookups compare a name with every entry of a
/// build-context directory, which can hold thousands.
pub fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        if a.len().abs_diff(b.len()) > limit || bag_distance(a.as_bytes(), b.as_bytes()) > limit {
            return None;
        }
        return osa_within(a.as_bytes(), b.as_bytes(), limit, u8::eq_ignore_ascii_case);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa_within(&a, &b, limit, char::eq_ignore_ascii_case)
}

/// A lower bound of the edit distance, cheap to compute: how many letters one
/// word has that the other lacks (an edit changes that count by at most one).
fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    let mut counts = [0i32; 128];
    for &c in a {
        counts[usize::from(c.to_ascii_lowercase() & 0x7f)] += 1;
    }
    for &c in b {
        counts[usize::from(c.to_ascii_lowercase() & 0x7f)] -= 1;
    }
    let (more, fewer) = counts.iter().fold((0, 0), |(m, f), &n| {
        (m + n.max(0) as usize, f + (-n).max(0) as usize)
    });
    more.max(fewer)
}

fn osa_within<T>(a: &[T], b: &[T], limit: usize, same: impl Fn(&T, &T) -> bool) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let w = b.len() + 1;
    let mut stack = [0usize; 3 * 40];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if 3 * w <= stack.len() {
        &mut stack[..3 * w]
    } else {
        heap.resize(3 * w, 0);
        &mut heap
    };
    // Rows i, i-1 and i-2 of the table live at (i % 3) * w.
    for (j, cell) in rows[..w].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = ((i % 3) * w, ((i - 1) % 3) * w, ((i + 1) % 3) * w);
        rows[cur] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(!same(&a[i - 1], &b[j - 1]));
            let mut v = (rows[prev + j - 1] + cost)
                .min(rows[prev + j] + 1)
                .min(rows[cur + j - 1] + 1);
            if i > 1 && j > 1 && same(&a[i - 1], &b[j - 2]) && same(&a[i - 2], &b[j - 1]) {
                v = v.min(rows[prev2 + j - 2] + 1);
            }
            rows[cur + j] = v;
            row_min = row_min.min(v);
        }
        // No row has a smaller minimum than the row above it (a swap costs
        // one more than the diagonal it continues), so the bound is final.
        if row_min > limit {
            return None;
        }
    }
    let d = rows[(a.len() % 3) * w + b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_close() {
        assert_eq!(edit_distance("biuld", "build"), 1);
        assert_eq!(edit_distance("buidler", "builder"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(closest("biuld", ["deps", "build", "test"]), Some("build"));
        assert_eq!(closest("nginx", ["deps", "build"]), None);
        assert_eq!(closest("BIULD", ["Build", "build"]), Some("Build"));
        assert_eq!(
            closest("stage", ["stage1", "stage", "stage2"]),
            Some("stage")
        );
        // Only ASCII letters are folded.
        assert_eq!(edit_distance("ÄPFEL", "Äpfel"), 0);
        assert_eq!(edit_distance("äpfel", "Äpfel"), 1);
    }

    /// The whole table, as the bounded version must agree with.
    fn full_table(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
        let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j - 1] + cost)
                    .min(d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn bounded_distance_agrees_with_the_whole_table() {
        // Short words over a small alphabet, so that swaps, repeats and
        // near misses are common; some long enough to leave the stack rows.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let alphabet = ['a', 'b', 'c', 'A', 'é', '-'];
        let word = |next: &mut dyn FnMut(u64) -> u64| -> String {
            let len = if next(10) == 0 {
                40 + next(20)
            } else {
                next(8)
            };
            (0..len).map(|_| alphabet[next(6) as usize]).collect()
        };
        for _ in 0..20_000 {
            let (a, b) = (word(&mut next), word(&mut next));
            let full = full_table(&a, &b);
            assert_eq!(edit_distance(&a, &b), full, "{a:?} {b:?}");
            for limit in 0..5 {
                let want = (full <= limit).then_some(full);
                assert_eq!(distance_within(&a, &b, limit), want, "{a:?} {b:?} {limit}");
            }
        }
    }
}
