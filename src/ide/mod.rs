//! Protocol-free editor features on an immutable [`Analysis`] snapshot.
//!
//! Everything here speaks byte offsets and ranges; `lsp/` and `cli/`
//! convert at the edges.

pub mod assists;
mod code_lens;
mod completion;
mod context_links;
mod definition;
pub mod docs;
mod fix_all;
mod folding;
pub mod format;
mod hover;
mod inlay_hints;
mod links;
mod references;
mod rename;
mod selection;
mod semantic_tokens;
mod signature;
mod symbols;

use std::sync::{Arc, OnceLock};

use crate::model::{Model, ModelSettings};
use crate::rules::{self, Diagnostic, RuleSettings};
use crate::text::{Document, LineIndex};

pub use code_lens::{Lens, LensKind};
pub use completion::{CompletionItem, CompletionKind};
pub use context_links::ContextLink;
pub use definition::NavTarget;
pub use fix_all::{chosen_fix, fix_all, fix_all_detailed, FixAllResult};
pub use folding::{Fold, FoldKind};
pub use hover::{code_docs, image_markdown, stage_summary, HoverResult};
pub use inlay_hints::{InlayHint, InlayHintConfig, InlayKind};
pub use links::{image_url, Link};
pub use references::{Access, Occurrence};
pub use rename::{RenameError, RenameResult, RenameTarget};
pub use semantic_tokens::{modifiers as token_modifiers, SemanticToken, TokenType};
pub use signature::{SignatureHelp, SignatureParameter};
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol};

/// Everything that changes the analysis besides the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub model: ModelSettings,
    pub rules: RuleSettings,
}

/// An analysed document: text, model, and (computed once, on demand) its
/// diagnostics. Cheap to clone and to share between threads.
#[derive(Clone)]
pub struct Analysis {
    inner: Arc<Inner>,
}

struct Inner {
    doc: Document,
    model: Model,
    settings: Arc<Settings>,
    diagnostics: OnceLock<Vec<Diagnostic>>,
}

impl Analysis {
    pub fn new(doc: Document, settings: Arc<Settings>) -> Analysis {
        let model = Model::build_with(doc.text(), &settings.model);
        Analysis {
            inner: Arc::new(Inner {
                doc,
                model,
                settings,
                diagnostics: OnceLock::new(),
            }),
        }
    }

    /// Analyse a text that is not open in an editor (CLI, tests).
    pub fn from_text(text: &str, settings: Arc<Settings>) -> Analysis {
        Analysis::new(Document::new(text, 0), settings)
    }

    pub fn text(&self) -> &str {
        self.inner.doc.text()
    }

    pub fn document(&self) -> &Document {
        &self.inner.doc
    }

    pub fn version(&self) -> i32 {
        self.inner.doc.version()
    }

    pub fn line_index(&self) -> &LineIndex {
        self.inner.doc.line_index()
    }

    pub fn model(&self) -> &Model {
        &self.inner.model
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// All diagnostics, sorted by position. Computed once per snapshot.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.inner
            .diagnostics
            .get_or_init(|| rules::run(self.text(), self.model(), &self.inner.settings.rules))
    }

    /// Go to definition (and declaration) at `offset`.
    pub fn definition(&self, offset: u32) -> Vec<NavTarget> {
        definition::definition(self.model(), offset)
    }

    /// Hover at `offset`: variable, stage, image, flag, keyword or rule code.
    pub fn hover(&self, offset: u32) -> Option<HoverResult> {
        hover::hover(self, offset)
    }

    /// Refactors available on `range` (quick fixes are on the diagnostics).
    pub fn assists(&self, range: crate::text::TextRange) -> Vec<assists::Assist> {
        assists::assists(self, range)
    }

    /// Completion items at `offset`.
    pub fn completions(&self, offset: u32) -> Vec<CompletionItem> {
        completion::completions(
            self.text(),
            self.model(),
            offset,
            self.settings().rules.context.as_deref(),
        )
    }
}
