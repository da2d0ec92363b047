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
mod incremental;
mod inlay_hints;
mod links;
mod references;
mod rename;
mod selection;
mod semantic_tokens;
mod signature;
mod symbols;

use std::sync::{Arc, Mutex, OnceLock};

use crate::model::{Model, ModelSettings};
use crate::rules::{self, Diagnostic, RuleSettings, Scripts};
use crate::text::{Document, LineIndex};

pub use code_lens::{Lens, LensKind};
pub use completion::{CompletionItem, CompletionKind};
pub use context_links::ContextLink;
pub use definition::NavTarget;
pub use fix_all::{chosen_fix, fix_all, fix_all_detailed, FixAllResult};
pub use folding::{Fold, FoldKind};
pub use hover::{code_docs, image_markdown, stage_summary, HoverResult};
pub use incremental::Edit;
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
    /// Built on first use: after an edit the diagnostics may come from the
    /// previous version's without it (`incremental.rs`).
    model: OnceLock<Model>,
    settings: Arc<Settings>,
    diagnostics: OnceLock<Vec<Diagnostic>>,
    outline: OnceLock<incremental::Outline>,
    /// Set when the diagnostics or the model came from the previous
    /// version's.
    derived: OnceLock<Incremental>,
    /// RUN scripts for the rules: before the diagnostics are computed, a
    /// prefix still valid from the previous version; after, this
    /// version's, for the next.
    scripts: Mutex<Option<Scripts>>,
    /// How many rules' findings the diagnostics took from the previous
    /// version's (see [`Analysis::kept_rules`]).
    kept_rules: std::sync::atomic::AtomicUsize,
}

/// How an analysis was made from the previous version's.
#[derive(Debug, PartialEq, Eq)]
enum Incremental {
    Derived,
    /// The model rebuilt; instructions `changed` are not the previous
    /// version's.
    Rebuilt {
        changed: std::ops::Range<usize>,
    },
}

impl Analysis {
    pub fn new(doc: Document, settings: Arc<Settings>) -> Analysis {
        Analysis {
            inner: Arc::new(Inner {
                doc,
                model: OnceLock::new(),
                settings,
                diagnostics: OnceLock::new(),
                outline: OnceLock::new(),
                derived: OnceLock::new(),
                scripts: Mutex::new(None),
                kept_rules: std::sync::atomic::AtomicUsize::new(0),
            }),
        }
    }

    /// The analysis of `doc`, which is `prev`'s document after `edit`
    /// (a range of `prev`'s text replaced), built from `prev`'s:
    /// - when the edit stays inside the arguments of a RUN, COPY or ADD
    ///   (`rules::Inside`) and `prev` has its model and scripts, the model
    ///   is rebuilt as below, and the rules blind or local to that kind
    ///   keep their findings;
    /// - otherwise, when the edit stays inside one instruction and the stages it can
    ///   change are not the whole file, the diagnostics are derived from
    ///   `prev`'s, re-analysing only those stages ([`Analysis::derived`]);
    /// - otherwise, when `prev` has a model, the model is `prev`'s with the
    ///   text from the edited instruction on parsed again
    ///   ([`Model::rebuild`], [`Analysis::rebuilt`]); `prev`'s model is
    ///   taken over when nothing else holds `prev`, copied otherwise;
    /// - otherwise (other settings, no model) this is [`Analysis::new`].
    ///
    /// Either way the result equals a full analysis of `doc`.
    pub fn after_edit(
        prev: Analysis,
        edit: &Edit,
        doc: Document,
        settings: Arc<Settings>,
    ) -> Analysis {
        let same = Arc::ptr_eq(&prev.inner.settings, &settings);
        // An edit inside the arguments of a RUN, COPY or ADD, with the
        // previous model and scripts at hand: the rebuild keeps most
        // rules' findings, which costs less than analysing its stages
        // afresh (a third on the 3,000-line corpus file).
        let (s, e) = (edit.range.start, edit.range.end);
        let inside = (prev.inner.model.get())
            .and_then(|m| rules::Inside::before(m, prev.text(), s, e, &edit.text))
            .filter(rules::Inside::keeps_findings);
        let keeps = inside.is_some() && prev.scripts().is_some();
        let found = match prev.inner.diagnostics.get() {
            Some(old) if same && !keeps => incremental::diagnostics(
                prev.outline(),
                old,
                prev.text(),
                edit,
                doc.text(),
                &settings.model,
                &settings.rules,
            ),
            _ => None,
        };
        let a = Analysis::new(doc, settings);
        if let Some((diags, outline)) = found {
            let _ = a.inner.diagnostics.set(diags);
            let _ = a.inner.outline.set(outline);
            let _ = a.inner.derived.set(Incremental::Derived);
            return a;
        }
        if !same {
            return a;
        }
        let (model, scripts, findings) = match Arc::try_unwrap(prev.inner) {
            Ok(inner) => {
                let model = inner.model.into_inner();
                // An edit inside one instruction's arguments: the rules
                // blind or local to its kind keep their findings.
                let findings = inner.diagnostics.into_inner().zip(inside);
                let scripts = inner
                    .scripts
                    .into_inner()
                    .unwrap_or_else(|e| e.into_inner());
                (model, scripts, findings)
            }
            Err(shared) => (shared.model.get().cloned(), None, None),
        };
        if let Some(m) = model {
            let (m, kept) = Model::rebuild(
                m,
                a.document(),
                edit.range.start,
                edit.range.end,
                edit.range.start + edit.text.len() as u32,
                &a.inner.settings.model,
            );
            *a.scripts() = scripts.map(|s| {
                let mut s = s.remap(&kept, &m);
                if let Some((findings, inside)) = findings {
                    if let Some(inside) = inside.after(&kept, &m) {
                        s.keep_findings(findings, inside);
                    }
                }
                s
            });
            let end = kept.tail.map_or(m.instructions.len(), |t| t.new);
            let changed = kept.prefix.min(end)..end;
            let _ = a.inner.model.set(m);
            let _ = a.inner.derived.set(Incremental::Rebuilt { changed });
        }
        a
    }

    /// Whether the diagnostics were derived from the previous version's
    /// (see [`Analysis::after_edit`]) rather than computed afresh.
    pub fn derived(&self) -> bool {
        self.inner.derived.get() == Some(&Incremental::Derived)
    }

    /// Whether the model was rebuilt from the previous version's (see
    /// [`Analysis::after_edit`]) rather than built afresh.
    pub fn rebuilt(&self) -> bool {
        matches!(self.inner.derived.get(), Some(Incremental::Rebuilt { .. }))
    }

    /// How many rules kept their findings from the previous version's,
    /// moved by the edit, rather than checking this whole text again:
    /// after an edit inside one instruction's arguments, the rules blind
    /// to its kind (`rules::Rule::blind_to`) keep them all, and the rules
    /// local to it (`rules::Rule::local_to`) those outside the edited
    /// instruction. Zero until the diagnostics are computed.
    pub fn kept_rules(&self) -> usize {
        self.inner
            .kept_rules
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The instructions that are not the previous version's (new or
    /// changed), when the model was rebuilt from it; `None` when unknown.
    pub fn changed_instructions(&self) -> Option<std::ops::Range<usize>> {
        match self.inner.derived.get() {
            Some(Incremental::Rebuilt { changed }) => Some(changed.clone()),
            _ => None,
        }
    }

    fn outline(&self) -> &incremental::Outline {
        self.inner
            .outline
            .get_or_init(|| incremental::Outline::new(self.model()))
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

    /// Whether `other` is this same analysis (a clone of it), not merely
    /// one of an equal text.
    pub fn same_as(&self, other: &Analysis) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub fn version(&self) -> i32 {
        self.inner.doc.version()
    }

    pub fn line_index(&self) -> &LineIndex {
        self.inner.doc.line_index()
    }

    pub fn model(&self) -> &Model {
        self.inner
            .model
            .get_or_init(|| Model::build_from(self.document(), &self.inner.settings.model))
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// All diagnostics, sorted by position. Computed once per snapshot.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.inner.diagnostics.get_or_init(|| {
            let reused = self.scripts().take().unwrap_or_default();
            let checked = rules::run_with(
                self.text(),
                self.model(),
                &self.inner.settings.rules,
                reused,
            );
            *self.scripts() = Some(checked.scripts);
            self.inner
                .kept_rules
                .store(checked.kept_rules, std::sync::atomic::Ordering::Relaxed);
            checked.diagnostics
        })
    }

    fn scripts(&self) -> std::sync::MutexGuard<'_, Option<Scripts>> {
        self.inner.scripts.lock().unwrap_or_else(|e| e.into_inner())
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
