//! Protocol-free editor features on an immutable [`Analysis`] snapshot.
//!
//! Everything here speaks byte offsets and ranges; `lsp/` and `cli/`
//! convert at the edges.

pub mod assists;
mod completion;
mod definition;
pub mod docs;
mod fix_all;
mod hover;
mod signature;

use std::sync::{Arc, OnceLock};

use crate::model::{Model, ModelSettings};
use crate::rules::{self, Diagnostic, RuleSettings};
use crate::text::{Document, LineIndex};

pub use completion::{CompletionItem, CompletionKind};
pub use definition::NavTarget;
pub use fix_all::{chosen_fix, fix_all, fix_all_detailed, FixAllResult};
pub use hover::{code_docs, image_markdown, stage_summary, HoverResult};
pub use signature::{SignatureHelp, SignatureParameter};

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
        completion::completions(self.text(), self.model(), offset)
    }
}
