//! Syntax layer: the Dockerfile as BuildKit reads it.
//!
//! berth's tree-sitter grammar (crates/tree-sitter-dockerfile) parses the
//! text, incrementally as the editor types ([`crate::text::Document`]
//! keeps the tree); it is the only Dockerfile parser in the product. [`read`] turns the tree into parser directives,
//! comments and logical instructions, each with its joined logical line
//! (`tree.rs`); [`lex`] lexes an instruction's joined line into keyword,
//! flags and argument span with every range mapped back to the source.

pub mod directives;
pub mod dump;
pub mod kinds;
mod tree;
pub mod words;

use crate::text::{Document, TextRange, TextSize};

pub use words::{Flag, Joined, Span, VarRef, Word};

/// A parser directive (`# syntax=`, `# escape=`, `# check=`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    pub range: TextRange,
    pub name_range: TextRange,
    pub value_range: TextRange,
}

/// A whole-line comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line.
    pub range: TextRange,
    /// Inside a continued instruction (BuildKit skips it).
    pub in_continuation: bool,
}

/// A problem BuildKit's parser itself reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// A heredoc attached to an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// The `<<EOF` word on the instruction line.
    pub marker: TextRange,
    /// The body lines, up to the terminator line.
    pub body: TextRange,
    /// The terminator word, `None` when unterminated.
    pub terminator: Option<TextRange>,
    pub chomp: bool,
    pub expand: bool,
    pub fd: Option<u32>,
}

impl Heredoc {
    pub fn shift(&mut self, delta: i64) {
        self.marker = self.marker.shifted(delta);
        self.body = self.body.shifted(delta);
        self.terminator = self.terminator.map(|r| r.shifted(delta));
    }
}

/// One logical instruction as BuildKit's line joining delimits it.
#[derive(Clone, Debug)]
pub struct RawInstruction {
    /// From the keyword to the end of its last line (heredoc bodies included).
    pub range: TextRange,
    /// End of the logical line (before any heredoc body).
    pub logical_end: TextSize,
    pub joined: Joined,
    pub heredocs: Vec<Heredoc>,
    /// Blank lines inside the continuation (BuildKit warns about them).
    pub empty_continuation_lines: Vec<TextRange>,
    /// Where the scan goes on after this instruction: the start of the
    /// next line it did not consume. Scanning from there gives what the
    /// scan of the whole text gives for the rest ([`parse_from`]).
    pub scan_end: TextSize,
}

/// The instruction keywords BuildKit knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Not an instruction BuildKit knows.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn from_word(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// Upper-case name (`COPY`).
    pub fn name(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    /// The flags BuildKit accepts on this instruction: `(name, takes a value)`.
    /// `many` flags may repeat.
    pub fn flags(self) -> &'static [FlagSpec] {
        use FlagKind::*;
        match self {
            Keyword::From => &[FlagSpec {
                name: "platform",
                kind: Value,
            }],
            Keyword::Copy => &[
                FlagSpec {
                    name: "from",
                    kind: Value,
                },
                FlagSpec {
                    name: "chown",
                    kind: Value,
                },
                FlagSpec {
                    name: "chmod",
                    kind: Value,
                },
                FlagSpec {
                    name: "link",
                    kind: Bool,
                },
                FlagSpec {
                    name: "exclude",
                    kind: Many,
                },
                FlagSpec {
                    name: "parents",
                    kind: Bool,
                },
            ],
            Keyword::Add => &[
                FlagSpec {
                    name: "chown",
                    kind: Value,
                },
                FlagSpec {
                    name: "chmod",
                    kind: Value,
                },
                FlagSpec {
                    name: "link",
                    kind: Bool,
                },
                FlagSpec {
                    name: "keep-git-dir",
                    kind: Bool,
                },
                FlagSpec {
                    name: "checksum",
                    kind: Value,
                },
                FlagSpec {
                    name: "unpack",
                    kind: Bool,
                },
                FlagSpec {
                    name: "exclude",
                    kind: Many,
                },
            ],
            Keyword::Run => &[
                FlagSpec {
                    name: "mount",
                    kind: Many,
                },
                FlagSpec {
                    name: "network",
                    kind: Value,
                },
                FlagSpec {
                    name: "security",
                    kind: Value,
                },
                FlagSpec {
                    name: "device",
                    kind: Many,
                },
            ],
            Keyword::Healthcheck => &[
                FlagSpec {
                    name: "interval",
                    kind: Value,
                },
                FlagSpec {
                    name: "timeout",
                    kind: Value,
                },
                FlagSpec {
                    name: "start-period",
                    kind: Value,
                },
                FlagSpec {
                    name: "start-interval",
                    kind: Value,
                },
                FlagSpec {
                    name: "retries",
                    kind: Value,
                },
            ],
            _ => &[],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `--link` or `--link=true|false`.
    Bool,
    /// `--from=x`, at most once.
    Value,
    /// `--mount=...`, may repeat.
    Many,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagSpec {
    pub name: &'static str,
    pub kind: FlagKind,
}

/// An instruction lexed into keyword, flags and argument span.
#[derive(Clone, Debug)]
pub struct Parts {
    pub keyword: Word,
    pub kind: Keyword,
    pub flags: Vec<Flag>,
    /// The arguments in the joined text, trimmed.
    pub args: Span,
    /// For `ONBUILD`, the instruction it wraps.
    pub sub: Option<Box<Parts>>,
}

/// Lex the logical line `j` starting at `start` (for ONBUILD's trigger).
pub fn lex(j: &Joined, start: usize, escape: u8) -> Option<Parts> {
    lex_at(j, start, escape, false)
}

/// [`lex`], for an ONBUILD trigger when `trigger`: the trigger's own
/// trigger (`ONBUILD ONBUILD x`, which BuildKit refuses) is not lexed, so
/// nothing here recurses as deep as the input repeats the keyword.
fn lex_at(j: &Joined, start: usize, escape: u8, trigger: bool) -> Option<Parts> {
    let first = words::first_words(j, (start, j.text.len()), 1).pop()?;
    let kind = Keyword::from_word(&first.value);
    let after = first.joined.1 as usize;
    let (flags, args_start) = words::extract_flags(j, (after, j.text.len()), escape);
    let text = &j.text;
    let mut args_end = text.len();
    while args_end > args_start && words::is_go_space(text[..args_end].chars().next_back()?) {
        args_end -= text[..args_end].chars().next_back()?.len_utf8();
    }
    let mut args_start = args_start;
    while args_start < args_end && words::is_go_space(text[args_start..].chars().next()?) {
        args_start += text[args_start..].chars().next()?.len_utf8();
    }
    let sub = if kind == Keyword::Onbuild {
        // BuildKit parses the trigger from the text after the keyword (flags
        // are not extracted for ONBUILD itself).
        match trigger {
            false => lex_at(j, after, escape, true).map(Box::new),
            true => None,
        }
    } else {
        None
    };
    let (flags, args) = if kind == Keyword::Onbuild {
        (Vec::new(), (after.min(args_end), args_end))
    } else {
        (flags, (args_start, args_end))
    };
    Some(Parts {
        keyword: first,
        kind,
        flags,
        args,
        sub,
    })
}

/// The Dockerfile's syntax as BuildKit sees it.
#[derive(Clone, Debug)]
pub struct SyntaxFile {
    /// The escape character (`\` or `` ` ``).
    pub escape: u8,
    pub bom: bool,
    pub directives: Vec<Directive>,
    pub instructions: Vec<RawInstruction>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// Read from a tree with an ERROR or MISSING node (error recovery,
    /// which berth's grammar needs in no file BuildKit accepts): after an
    /// edit the tree is read again whole.
    pub recovered: bool,
}

impl SyntaxFile {
    /// Nothing read yet of `text`, whose escape character is `escape`.
    pub fn empty(text: &str, escape: u8) -> SyntaxFile {
        SyntaxFile {
            escape,
            bom: text.starts_with('\u{feff}'),
            directives: Vec::new(),
            instructions: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            recovered: false,
        }
    }
}

/// Parse `text` with berth's grammar and read the tree ([`read`]): the
/// directives, comments and logical instructions BuildKit sees.
pub fn parse(text: &str) -> SyntaxFile {
    tree::read(text, &crate::text::parse_tree(text))
}

/// [`parse`] of an open document, from the tree it keeps.
pub fn read_document(doc: &Document) -> SyntaxFile {
    tree::read(doc.text(), doc.tree())
}

/// `text` read from `tree`, its syntax tree in berth's grammar
/// (`tree.rs`): where BuildKit's line joining puts each instruction,
/// which tests/corpus.rs checks field by field against a line-by-line
/// reading of every corpus file.
pub fn read(text: &str, tree: &tree_sitter::Tree) -> SyntaxFile {
    tree::read(text, tree)
}

/// The rest of `doc` read from its tree from `first`, an instruction's
/// [`RawInstruction::scan_end`] in a text whose first `first` bytes equal
/// the text that instruction was read from: what [`read_document`] gives
/// for the rest. Directives are not looked for (they precede any
/// instruction); `escape` is the one they set. Stops after the first
/// instruction whose `scan_end` satisfies `stop` (the rest of the text is
/// known to read as before); also returns that `scan_end`. `None` when
/// only a read of the whole tree can tell (error recovery around).
pub fn read_document_until(
    doc: &Document,
    first: TextSize,
    escape: u8,
    stop: &dyn Fn(TextSize) -> bool,
) -> Option<(SyntaxFile, Option<TextSize>)> {
    tree::read_until(doc.text(), doc.tree(), first as usize, escape, stop)
}

#[cfg(test)]
mod tests;
