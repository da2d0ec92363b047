//! The build model: stages, instructions, references between stages,
//! ARG/ENV scopes and the stage graph, with BuildKit's semantics.
//!
//! [`Model::build`] never fails and keeps no tree-sitter nodes: every
//! position is a byte range into the text. Problems BuildKit would reject
//! at parse time are collected in [`Model::problems`].

mod build;
pub mod context;
pub mod dockerignore;
pub mod fs;
mod graph;
mod image;
mod vars;

use crate::syntax::{Comment, Directive, Flag, Heredoc, Joined, Keyword, Word};
use crate::text::{TextRange, TextSize};

pub use build::valid_stage_name;
pub use image::ImageRef;

/// Codes of the parse-time problems BuildKit reports.
pub mod build_codes {
    pub use super::build::{
        INVALID_ARGUMENTS, INVALID_DIRECTIVE, INVALID_FLAG, INVALID_ONBUILD_TRIGGER,
        INVALID_STAGE_NAME, UNKNOWN_INSTRUCTION, UNTERMINATED_HEREDOC,
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

/// A problem BuildKit rejects when it parses the Dockerfile.
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
/// close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Edit distance over chars where swapping two neighbours costs one
/// (optimal string alignment): `biuld` is one edit from `build`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j - 1] + cost)
                .min(d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
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
    }
}
