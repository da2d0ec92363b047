//! berth's Dockerfile grammar for tree-sitter: the Dockerfile as BuildKit
//! reads it (line joining, `# escape=`, exec form, heredocs), with the
//! node names of tree-sitter-dockerfile where they mean the same.
//!
//! ```
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_berth_dockerfile::LANGUAGE.into()).unwrap();
//! let tree = parser.parse("FROM alpine AS base\n", None).unwrap();
//! assert_eq!(tree.root_node().child(0).unwrap().kind(), "from_instruction");
//! ```

use tree_sitter_language::LanguageFn;

extern "C" {
    fn tree_sitter_dockerfile() -> *const ();
}

/// The grammar, for [`tree_sitter::Parser::set_language`] (via `.into()`).
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_dockerfile) };

/// The node types (`src/node-types.json`).
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Highlighting captures (nvim-treesitter's capture names).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");
/// Bash injected into RUN, shell-form CMD/ENTRYPOINT and heredoc bodies.
pub const INJECTIONS_QUERY: &str = include_str!("../../queries/injections.scm");
/// Stage names as definitions, `--from=` and `FROM stage` as references.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");
/// Foldable instructions and heredoc bodies.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");
/// Indentation of continuation lines.
pub const INDENTS_QUERY: &str = include_str!("../../queries/indents.scm");
