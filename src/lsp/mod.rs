//! The language server: the only module that speaks LSP.
//!
//! Ordering rules (see ARCHITECTURE.md):
//! 1. didOpen/didChange/didClose mutate the document store synchronously,
//!    before their first `.await`, so edits apply in arrival order.
//! 2. Every request snapshots the document at its top and works on that.
//! 3. Analysis runs in `spawn_blocking`; a panic there answers the request
//!    with an internal error and the server keeps running. Diagnostics are
//!    published with their version, and dropped when a newer version exists.
//! 4. ShellCheck (IO, slow) never delays the rules' diagnostics: when its
//!    results for a version are cached they are merged into the first
//!    publish; otherwise the rules' diagnostics are published at once and a
//!    detached task runs ShellCheck off the async threads, then publishes
//!    the merged set for the same version if it is still current. One such
//!    task per document at a time: versions that arrive while it runs are
//!    not checked one by one; when it ends, it checks the latest.
//!
//! Settings: the client's (`initializationOptions`, the `berth` section
//! pulled with `workspace/configuration` after `initialized` and on
//! `workspace/didChangeConfiguration`) apply on top of the `.hadolint.yaml`
//! found for each document (file: URIs), read when it is opened.
//!
//! Answers are bounded whatever the document: at most [`MAX_ITEMS`] items
//! (or [`MAX_TOKENS`] semantic tokens, or [`MAX_DOC_BYTES`] of
//! documentation), the rest dropped. Items come in document order, so what
//! is kept is the top of the file. A generated document of a few
//! megabytes was answered with up to a hundred megabytes of JSON before.

mod code_actions;
mod context;
mod convert;
mod decorations;
mod formatting;
mod framing;
mod hover;
mod navigation;
mod progress;
mod settings;

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fs::File;
use std::os::fd::AsFd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::host::config as host_config;
use crate::host::shellcheck::{self as sc, Outcome, ShellCheckSettings};
use crate::host::FileConfig;
use crate::ide::{Analysis, Edit, Settings};
use crate::rules::Diagnostic;
use crate::text::{Document, PositionEncoding, TextRange};

use convert::Conv;
use progress::{ClientCaps, Trace};
use settings::ClientSettings;

/// The most items one answer carries, counted over the whole answer:
/// document and workspace symbols (each child too), folding ranges,
/// selection ranges (each range of a chain; positions past the count get
/// an empty range where they are), inlay hints, document links,
/// definitions, references and highlights, completion items (the list is
/// then marked incomplete), code lenses (each location a "used by" lens
/// carries too), code actions (each diagnostic and edit too) and the edits
/// of formatting. The items past it are dropped; a rename that would make
/// more edits is refused, since half a rename breaks the file. No real
/// Dockerfile comes near it (the largest of the test corpus has 254
/// instructions); at about 200 bytes of JSON an item, an answer stays
/// around a megabyte.
const MAX_ITEMS: usize = 5_000;

/// The most semantic tokens one answer carries (about 12 bytes of JSON
/// each): highlighting stops after them. A full answer cut there has no
/// result id, so the client asks for full tokens again, not for a delta.
const MAX_TOKENS: usize = 100_000;

/// The most bytes of hover, signature and completion documentation in one
/// answer; a longer text is cut at a line or a space and ends with `…`.
const MAX_DOC_BYTES: usize = 16 << 10;

/// Serve LSP over stdin/stdout until `exit`. Returns the process exit code:
/// 0 when `shutdown` came before `exit`, 1 otherwise (LSP spec). The
/// framework cancels every pending request on `exit`, the answer to
/// `shutdown` included; `framing` holds `exit` back until `shutdown` has
/// been answered (and so [`Backend::shutdown`] has run), so a client that
/// writes both at once still gets the answer and the exit code 0.
pub fn run() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("berth: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    runtime.block_on(async move {
        let (service, socket) = LspService::build(move |client| Backend::new(client, flag))
            .custom_method("$/setTrace", Backend::set_trace)
            .finish();
        let (input, guard) = tokio::io::duplex(1 << 16);
        let (to_output, from_framework) = tokio::io::duplex(1 << 16);
        // A publication on a large file is 100-200 KB. Through the default
        // 64 KiB pipe the client reads it in pieces while the writer waits,
        // a wake-up on each side each time; with 1 MiB the write is one
        // copy (measured on the 5,000-line file: from the body built to
        // the write done, 200 -> 46 us p50, 670 -> 200 us p90). Refused
        // or not a pipe: no matter.
        let stdout = std::io::stdout();
        #[cfg(target_os = "linux")]
        let _ = rustix::pipe::fcntl_setpipe_size(stdout.as_fd(), 1 << 20);
        // Unbuffered: each message is written whole, and at once.
        let stdout = stdout.as_fd().try_clone_to_owned();
        let writer = match stdout.map(|fd| framing::start_output(from_framework, File::from(fd))) {
            Ok(Ok(w)) => w,
            Ok(Err(e)) | Err(e) => {
                eprintln!("berth: cannot write to stdout: {e}");
                return;
            }
        };
        framing::start_input(tokio::runtime::Handle::current(), guard);
        Server::new(input, to_output, socket).serve(service).await;
        // What is still queued (the answer to `shutdown`, the last
        // publications) reaches the client before the process ends.
        let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    });
    runtime.shutdown_background();
    // A ShellCheck batch may still be running on a blocking thread: its
    // scratch files go now, not when it ends (the process does first).
    sc::remove_scratch_dirs();
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

struct DocState {
    doc: Document,
    /// The analysis of `doc`'s current version, once computed.
    analysis: Option<Analysis>,
    /// The previous version's analysis and the one edit made since: the
    /// next analysis starts from it (`Analysis::after_edit`). `None` after
    /// any other change.
    base: Option<(Analysis, Edit)>,
    /// The configuration file found for the document when it was opened.
    config: Option<Arc<FileConfig>>,
    /// The client's settings over `config`.
    settings: Arc<Settings>,
}

type Docs = Arc<Mutex<HashMap<Uri, DocState>>>;

fn lock(docs: &Docs) -> std::sync::MutexGuard<'_, HashMap<Uri, DocState>> {
    docs.lock().unwrap_or_else(|e| e.into_inner())
}

struct Backend {
    client: Client,
    docs: Docs,
    client_settings: RwLock<ClientSettings>,
    /// The client answers `workspace/configuration`.
    config_pull: AtomicBool,
    /// The client lets the server register for configuration changes.
    config_register: AtomicBool,
    /// The client takes `documentChanges` in a WorkspaceEdit.
    document_changes: AtomicBool,
    /// The client folds whole lines only.
    line_folding_only: AtomicBool,
    encoding: RwLock<PositionEncoding>,
    /// What the client can do (progress, markdown, snippets).
    caps: RwLock<ClientCaps>,
    trace: Trace,
    /// Build-context snapshots (`context.rs`).
    contexts: Arc<context::Contexts>,
    /// Documents whose ShellCheck task is running (rule 4 above), with the
    /// ShellCheck settings of the latest version published.
    sc_running: Arc<Running>,
    /// Markdown or plain text, as the client reads documentation.
    formats: RwLock<hover::Formats>,
    shutdown: Arc<AtomicBool>,
    /// Test hook (`BERTH_DEBUG_PANIC=1`): requests on a document containing
    /// `# berth-debug-panic` panic inside the handler, to prove a panic
    /// answers one request with an error and the server keeps serving.
    debug_panic: bool,
}

fn internal(what: &str) -> Error {
    let mut e = Error::internal_error();
    e.message =
        format!("berth: internal error while answering {what}; the server keeps running").into();
    e
}

impl Backend {
    fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        Backend {
            client,
            docs: Arc::new(Mutex::new(HashMap::new())),
            client_settings: RwLock::new(ClientSettings::default()),
            config_pull: AtomicBool::new(false),
            config_register: AtomicBool::new(false),
            document_changes: AtomicBool::new(false),
            line_folding_only: AtomicBool::new(false),
            encoding: RwLock::new(PositionEncoding::Utf16),
            caps: RwLock::new(ClientCaps::default()),
            trace: Trace::default(),
            contexts: Arc::default(),
            sc_running: Arc::default(),
            formats: RwLock::new(hover::Formats::default()),
            shutdown,
            debug_panic: std::env::var_os("BERTH_DEBUG_PANIC").is_some_and(|v| v == "1"),
        }
    }

    fn conv(&self) -> Conv {
        Conv {
            encoding: *self.encoding.read().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn caps(&self) -> ClientCaps {
        *self.caps.read().unwrap_or_else(|e| e.into_inner())
    }

    /// `$/setTrace`: the level of `$/logTrace` reports.
    async fn set_trace(&self, params: progress::SetTraceParams) {
        self.trace.set(params.value);
    }

    fn formats(&self) -> hover::Formats {
        *self.formats.read().unwrap_or_else(|e| e.into_inner())
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, DocState>> {
        lock(&self.docs)
    }

    fn client_settings(&self) -> ClientSettings {
        self.client_settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn sc_settings(&self) -> ShellCheckSettings {
        ShellCheckSettings {
            enabled: self.client_settings().shellcheck(),
            only: None,
        }
    }

    /// Replace the client's settings and re-publish every open document.
    async fn set_client_settings(&self, new: ClientSettings) {
        if new != self.client_settings() {
            self.client
                .log_message(
                    MessageType::INFO,
                    format!("berth: {}", progress::describe_settings(&new)),
                )
                .await;
        }
        {
            *self
                .client_settings
                .write()
                .unwrap_or_else(|e| e.into_inner()) = new.clone();
            for state in self.docs().values_mut() {
                state.settings = Arc::new(new.settings_for(state.config.as_deref()));
                state.analysis = None;
                state.base = None;
            }
        }
        let uris: Vec<Uri> = self.docs().keys().cloned().collect();
        self.attach_contexts(uris.clone()).await;
        for uri in uris {
            self.publish(uri).await;
        }
    }

    /// The `berth` section, asked of the client; `None` when it has none.
    async fn pull_settings(&self) -> Option<ClientSettings> {
        if !self.config_pull.load(Ordering::SeqCst) {
            return None;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("berth".into()),
        }];
        match self.client.configuration(items).await {
            Ok(values) => values
                .first()
                .filter(|v| v.is_object())
                .map(ClientSettings::from_json),
            Err(_) => None,
        }
    }

    /// Say `message` once per session (a broken configuration file is not
    /// worth a popup on every open).
    async fn show_once(&self, typ: MessageType, message: String) {
        if sc::first_time(&format!("lsp:{message}")) {
            self.client.show_message(typ, message).await;
        }
    }

    async fn log_once(&self, typ: MessageType, message: String) {
        if sc::first_time(&format!("lsp-log:{message}")) {
            self.client.log_message(typ, message).await;
        }
    }

    /// The analysis of the document's current version: cached, or computed
    /// off the async threads and cached if the document did not change
    /// meanwhile.
    async fn analysis(&self, uri: &Uri) -> Result<Option<Analysis>> {
        Ok(self
            .analysis_then(uri, "analysis", |_| ())
            .await?
            .map(|(a, ())| a))
    }

    /// [`Backend::analysis`], then `f` on it, in one trip off the async
    /// threads: a keystroke's analysis, its publication and a request's
    /// answer each cost a thread hand-off and back. A panic in either is
    /// an internal error while answering `what`.
    async fn analysis_then<T: Send + 'static>(
        &self,
        uri: &Uri,
        what: &'static str,
        f: impl FnOnce(&Analysis) -> T + Send + 'static,
    ) -> Result<Option<(Analysis, T)>> {
        let work = {
            let mut docs = self.docs();
            let Some(state) = docs.get_mut(uri) else {
                return Ok(None);
            };
            match &state.analysis {
                Some(a) => Ok(a.clone()),
                // The base is taken, not copied: the new analysis can then
                // take over its model instead of copying it.
                None => Err((state.doc.clone(), state.settings.clone(), state.base.take())),
            }
        };
        let docs = self.docs.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || {
            let analysis = match work {
                Ok(cached) => cached,
                Err((doc, settings, base)) => {
                    let version = doc.version();
                    let a = match base {
                        Some((prev, edit)) => {
                            Analysis::after_edit(prev, &edit, doc, settings.clone())
                        }
                        None => Analysis::new(doc, settings.clone()),
                    };
                    a.diagnostics();
                    if let Some(state) = lock(&docs).get_mut(&uri) {
                        if state.doc.version() == version
                            && state.analysis.is_none()
                            && Arc::ptr_eq(&state.settings, &settings)
                        {
                            state.analysis = Some(a.clone());
                        }
                    }
                    a
                }
            };
            let out = f(&analysis);
            (analysis, out)
        })
        .await
        .map(Some)
        .map_err(|_| internal(what))
    }

    /// Publish the diagnostics of the current version, unless a newer
    /// version arrived while they were computed; ShellCheck's findings
    /// follow (rule 4 above).
    async fn publish(&self, uri: Uri) {
        let sc_settings = self.sc_settings();
        if let Some(s) = lock_running(&self.sc_running).get_mut(&uri) {
            *s = sc_settings.clone();
        }
        let conv = self.conv();
        // The analysis, ShellCheck's cached findings and the publication
        // in one trip off the async threads.
        let (docs, to, settings) = (self.docs.clone(), uri.clone(), sc_settings.clone());
        let done = self
            .analysis_then(&uri, "diagnostics", move |a| {
                let cached = if settings.wanted() {
                    sc::diagnostics(a, &settings, true)
                } else {
                    Outcome::Off
                };
                let found = match &cached {
                    Outcome::Done { diagnostics, .. } => diagnostics.as_slice(),
                    _ => &[],
                };
                let sent = send_now(&docs, conv, &to, a, found);
                (cached, sent)
            })
            .await;
        let (analysis, (cached, sent)) = match done {
            Ok(Some(done)) => done,
            Ok(None) => return,
            Err(_) => {
                self.client
                    .log_message(
                        MessageType::ERROR,
                        "berth: diagnostics failed for this version",
                    )
                    .await;
                return;
            }
        };
        // Without the direct channel: through the framework.
        let sent = match sent {
            Some(sent) => sent,
            None => {
                let found = match &cached {
                    Outcome::Done { diagnostics, .. } => diagnostics.as_slice(),
                    _ => &[],
                };
                send(
                    &self.client,
                    &self.docs,
                    conv,
                    uri.clone(),
                    &analysis,
                    found,
                )
                .await
            }
        };
        match cached {
            Outcome::Done { .. } | Outcome::Off => return,
            Outcome::NotInstalled => {
                self.log_once(MessageType::INFO, format!("berth: {}", sc::NOT_FOUND))
                    .await;
                return;
            }
            Outcome::NotCached => {}
        }
        if !sent {
            return;
        }
        // One ShellCheck task per document: a running one takes this
        // version (or a later one) when it is done.
        match lock_running(&self.sc_running).entry(uri.clone()) {
            Entry::Occupied(_) => return,
            Entry::Vacant(v) => {
                v.insert(sc_settings.clone());
            }
        }
        let client = self.client.clone();
        let docs = self.docs.clone();
        let running = self.sc_running.clone();
        let caps = self.caps();
        tokio::spawn(async move {
            let mut slot = Slot {
                running,
                uri: uri.clone(),
                freed: false,
            };
            let (mut analysis, mut sc_settings) = (analysis, sc_settings);
            loop {
                if is_current(&docs, &uri, &analysis) {
                    shellcheck_and_send(&client, &docs, caps, conv, &uri, &analysis, &sc_settings)
                        .await;
                }
                // Has a newer version been analysed meanwhile? Decided under
                // the lock a publication takes to start a task, so a version
                // is either seen here or starts its own.
                let mut running = lock_running(&slot.running);
                let latest = lock(&docs).get(&uri).and_then(|s| s.analysis.clone());
                match (latest, running.get(&uri)) {
                    (Some(a), Some(settings)) if !a.same_as(&analysis) => {
                        analysis = a;
                        sc_settings = settings.clone();
                    }
                    _ => {
                        running.remove(&uri);
                        drop(running);
                        slot.freed = true;
                        return;
                    }
                }
            }
        });
    }

    /// Run `f` on the analysis of `uri` off the async threads; a panic
    /// becomes an internal error.
    async fn with_analysis<T: Send + 'static>(
        &self,
        uri: &Uri,
        what: &'static str,
        f: impl FnOnce(&Analysis, Conv) -> T + Send + 'static,
    ) -> Result<Option<T>> {
        let conv = self.conv();
        let panic = self.debug_panic;
        let done = self
            .analysis_then(uri, what, move |a| {
                if panic && a.text().contains("# berth-debug-panic") {
                    panic!("berth-debug-panic requested");
                }
                f(a, conv)
            })
            .await?;
        Ok(done.map(|(_, answer)| answer))
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        let encoding = if offered.is_some_and(|v| v.contains(&PositionEncodingKind::UTF8)) {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        };
        *self.encoding.write().unwrap_or_else(|e| e.into_inner()) = encoding;
        *self.caps.write().unwrap_or_else(|e| e.into_inner()) =
            ClientCaps::from_params(&params.capabilities);
        if let Some(t) = params.trace {
            self.trace.set(t);
        }
        *self.formats.write().unwrap_or_else(|e| e.into_inner()) =
            hover::Formats::from_capabilities(&params.capabilities);
        if let Some(opts) = &params.initialization_options {
            *self
                .client_settings
                .write()
                .unwrap_or_else(|e| e.into_inner()) = ClientSettings::from_json(opts);
        }
        let workspace = params.capabilities.workspace.as_ref();
        self.config_pull.store(
            workspace.and_then(|w| w.configuration).unwrap_or(false),
            Ordering::SeqCst,
        );
        self.config_register.store(
            workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        self.contexts.watch_register.store(
            workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        self.document_changes.store(
            workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        self.line_folding_only.store(
            params
                .capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.folding_range.as_ref())
                .and_then(|f| f.line_folding_only)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        let kind = match encoding {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            _ => PositionEncodingKind::UTF16,
        };
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                definition_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(code_actions::kinds()),
                        resolve_provider: Some(false),
                        ..Default::default()
                    },
                )),
                declaration_provider: Some(DeclarationCapability::Simple(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ["=", "$", "{", "-", ","]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    ),
                    resolve_provider: Some(true),
                    ..Default::default()
                }),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["=".into(), ",".into()]),
                    ..Default::default()
                }),
                semantic_tokens_provider: Some(decorations::semantic_tokens_capability()),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "berth".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let enc = match self.conv().encoding {
            PositionEncoding::Utf8 => "utf-8",
            PositionEncoding::Utf16 => "utf-16",
            PositionEncoding::Utf32 => "utf-32",
        };
        if self.config_register.load(Ordering::SeqCst) {
            let _ = self
                .client
                .register_capability(vec![Registration {
                    id: "berth-configuration".into(),
                    method: "workspace/didChangeConfiguration".into(),
                    register_options: None,
                }])
                .await;
        }
        self.register_watchers().await;
        let pulled = self.pull_settings().await;
        let effective = pulled.clone().unwrap_or_else(|| self.client_settings());
        self.client
            .log_message(
                MessageType::INFO,
                progress::startup_message(
                    enc,
                    &effective,
                    self.caps(),
                    self.formats().hover_markdown,
                ),
            )
            .await;
        if let Some(pulled) = pulled {
            self.set_client_settings(pulled).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let lines = params.text_document.text.lines().count();
        let (config, problem) = read_config(&uri);
        {
            let doc = catch_unwind(|| {
                Document::new(params.text_document.text, params.text_document.version)
            })
            .unwrap_or_else(|_| Document::new(String::new(), params.text_document.version));
            let settings = Arc::new(self.client_settings().settings_for(config.as_deref()));
            self.docs().insert(
                uri.clone(),
                DocState {
                    doc,
                    analysis: None,
                    base: None,
                    config,
                    settings,
                },
            );
        }
        match problem {
            Some(ConfigProblem::Error(e)) => {
                self.show_once(
                    MessageType::WARNING,
                    format!("berth: {e}; using the default settings"),
                )
                .await
            }
            Some(ConfigProblem::Warnings(ws)) => {
                for w in ws {
                    self.log_once(MessageType::WARNING, format!("berth: {w}"))
                        .await;
                }
            }
            None => {}
        }
        self.attach_contexts(vec![uri.clone()]).await;
        let ongoing = if lines >= progress::LONG_DOCUMENT_LINES {
            let name = uri
                .as_str()
                .rsplit(['/', ':'])
                .next()
                .unwrap_or_default()
                .to_string();
            progress::begin(
                &self.client,
                self.caps(),
                "berth: checking",
                format!("{name} ({lines} lines)"),
            )
            .await
        } else {
            None
        };
        let start = std::time::Instant::now();
        self.publish(uri.clone()).await;
        if let Some(o) = ongoing {
            o.end(&self.client).await;
        }
        self.trace
            .log(
                &self.client,
                format!("first check of {}", uri.as_str()),
                || format!("{lines} lines, {} ms", start.elapsed().as_millis()),
            )
            .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let conv = self.conv();
        let mut version_note = None;
        let applied = {
            let mut docs = self.docs();
            match docs.get_mut(&uri) {
                None => false,
                Some(state) => {
                    // A stale or skipped version: the client's text is
                    // authoritative; apply the change as sent, and say so.
                    let (old, new) = (state.doc.version(), params.text_document.version);
                    if new != old.wrapping_add(1) {
                        version_note = Some(format!(
                            "berth: didChange for {} goes from version {old} to {new}; applying it as sent",
                            uri.as_str()
                        ));
                    }
                    // The next analysis can start from this version's if
                    // the change is one range edit.
                    let mut prev = state.analysis.take();
                    let mut edit = None;
                    let ok = catch_unwind(AssertUnwindSafe(|| {
                        for change in &params.content_changes {
                            let range = change
                                .range
                                .map(|r| conv.text_range(state.doc.line_index(), r));
                            match state.doc.apply_change(range, &change.text) {
                                Some(range) if edit.is_none() => {
                                    edit = Some(Edit {
                                        range,
                                        text: change.text.clone(),
                                    })
                                }
                                _ => prev = None,
                            }
                        }
                    }))
                    .is_ok();
                    state.base = prev.zip(edit).filter(|_| ok);
                    if !ok {
                        // A bug must not corrupt the document: keep whatever
                        // text we have and let the next full sync repair it.
                        eprintln!(
                            "berth: internal error applying a change to {}",
                            uri.as_str()
                        );
                    }
                    state.doc.set_version(params.text_document.version);
                    true
                }
            }
        };
        if let Some(note) = version_note {
            self.client.log_message(MessageType::WARNING, note).await;
        }
        if applied {
            self.publish(uri).await;
        } else {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "berth: didChange for a document that is not open: {}",
                        uri.as_str()
                    ),
                )
                .await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs().remove(&uri);
        self.contexts.forget(&uri);
        decorations::forget_sent(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // A client that answers `workspace/configuration` sends a change
        // notice (often with null settings): ask for the section then.
        let new = match self.pull_settings().await {
            Some(pulled) => pulled,
            None if params.settings.is_object() => ClientSettings::from_json(&params.settings),
            None => return,
        };
        self.set_client_settings(new).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.context_files_changed(params).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let f = self.formats();
        let found = self
            .with_analysis(&uri, "hover", move |a, conv| hover::hover(a, conv, pos, f))
            .await?;
        Ok(found.flatten())
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let f = self.formats();
        let found = self
            .with_analysis(&uri, "signatureHelp", move |a, conv| {
                hover::signature_help(a, conv, pos, f)
            })
            .await?;
        Ok(found.flatten())
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let target_uri = uri.clone();
        let links = self
            .with_analysis(&uri, "definition", move |a, conv| {
                let offset = conv.offset(a.line_index(), pos);
                a.definition(offset)
                    .into_iter()
                    .take(MAX_ITEMS)
                    .map(|t| conv.location_link(a.line_index(), &target_uri, &t))
                    .collect::<Vec<_>>()
            })
            .await?;
        Ok(links
            .filter(|l| !l.is_empty())
            .map(GotoDefinitionResponse::Link))
    }

    async fn goto_declaration(
        &self,
        params: request::GotoDeclarationParams,
    ) -> Result<Option<request::GotoDeclarationResponse>> {
        self.goto_definition(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let document_changes = self.document_changes.load(Ordering::SeqCst);
        let actions = self
            .with_analysis(&uri, "codeAction", move |a, conv| {
                code_actions::code_actions(a, conv, &params, document_changes)
            })
            .await?;
        Ok(actions.filter(|v| !v.is_empty()))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let r = self.with_analysis(&uri, "formatting", |a, conv| {
            formatting::formatting(a, conv).map(first_edits)
        });
        Ok(r.await?.flatten())
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let (uri, range) = (params.text_document.uri, params.range);
        let r = self.with_analysis(&uri, "rangeFormatting", move |a, conv| {
            formatting::range_formatting(a, conv, range).map(first_edits)
        });
        Ok(r.await?.flatten())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let caps = self.caps();
        let f = self.formats();
        let items = self
            .with_analysis(&uri.clone(), "completion", move |a, conv| {
                let offset = conv.offset(a.line_index(), pos);
                // Items share their edit's range: converted once, not per
                // item (a hundred stages walked the rope two hundred times).
                let mut last: Option<(TextRange, Range)> = None;
                let all = a.completions(offset);
                let complete = all.len() <= MAX_ITEMS;
                let items = all
                    .iter()
                    .take(MAX_ITEMS)
                    .map(|c| {
                        let range = match last {
                            Some((r, lsp_range)) if r == c.edit_range => lsp_range,
                            _ => {
                                let lsp_range = conv.range(a.line_index(), c.edit_range);
                                last = Some((c.edit_range, lsp_range));
                                lsp_range
                            }
                        };
                        caps.adapt(hover::completion_item(conv, c, range, &uri, offset, f))
                    })
                    .collect::<Vec<_>>();
                if complete {
                    CompletionResponse::Array(items)
                } else {
                    // More as the client narrows the prefix down.
                    CompletionResponse::List(CompletionList {
                        is_incomplete: true,
                        items,
                    })
                }
            })
            .await?;
        Ok(items)
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let key = uri.clone();
        let tokens = self
            .with_analysis(&uri, "semanticTokens", move |a, conv| {
                first_tokens(decorations::semantic_tokens_full(a, conv, &key))
            })
            .await?;
        Ok(tokens.map(SemanticTokensResult::Tokens))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let (uri, previous) = (params.text_document.uri, params.previous_result_id);
        let key = uri.clone();
        self.with_analysis(&uri, "semanticTokens/full/delta", move |a, conv| {
            match decorations::semantic_tokens_delta(a, conv, &key, &previous) {
                SemanticTokensFullDeltaResult::TokensDelta(d)
                    if d.edits
                        .iter()
                        .map(|e| e.data.as_ref().map_or(0, Vec::len))
                        .sum::<usize>()
                        > MAX_TOKENS =>
                {
                    // Too many new tokens: full ones, cut and without an
                    // id, rather than a delta the cut would make wrong.
                    let full = decorations::semantic_tokens_full(a, conv, &key);
                    SemanticTokensFullDeltaResult::Tokens(first_tokens(full))
                }
                SemanticTokensFullDeltaResult::Tokens(t) => {
                    SemanticTokensFullDeltaResult::Tokens(first_tokens(t))
                }
                other => other,
            }
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let (uri, range) = (params.text_document.uri, params.range);
        let tokens = self
            .with_analysis(&uri, "semanticTokens/range", move |a, conv| {
                first_tokens(decorations::semantic_tokens_range(a, conv, range))
            })
            .await?;
        Ok(tokens.map(SemanticTokensRangeResult::Tokens))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        let root = self.contexts.root_of(&uri);
        self.with_analysis(&uri, "documentLink", move |a, conv| {
            let mut links = decorations::document_links(a, conv);
            if let Some(root) = &root {
                links.extend(context::document_links(a, conv, root));
            }
            links.sort_by_key(|l| (l.range.start.line, l.range.start.character));
            links.truncate(MAX_ITEMS);
            links
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let (uri, range) = (params.text_document.uri, params.range);
        let config = crate::ide::InlayHintConfig {
            stage_index: self.client_settings().inlay_stage_index.unwrap_or(false),
        };
        self.with_analysis(&uri, "inlayHint", move |a, conv| {
            let mut hints = decorations::inlay_hints(a, conv, range, config);
            hints.truncate(MAX_ITEMS);
            hints
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let lens_uri = uri.clone();
        self.with_analysis(&uri, "codeLens", move |a, conv| {
            first_lenses(decorations::code_lenses(a, conv, &lens_uri))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let decl = params.context.include_declaration;
        let u = uri.clone();
        self.with_analysis(&uri, "references", move |a, conv| {
            navigation::references(a, conv, &u, pos, decl)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        self.with_analysis(&uri, "documentHighlight", move |a, conv| {
            navigation::highlights(a, conv, pos)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let (uri, pos) = (params.text_document.uri, params.position);
        let found = self
            .with_analysis(&uri, "prepareRename", move |a, conv| {
                navigation::prepare_rename(a, conv, pos)
            })
            .await?;
        found.transpose()
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let (u, new_name) = (uri.clone(), params.new_name);
        let found = self
            .with_analysis(&uri, "rename", move |a, conv| {
                navigation::rename(a, conv, &u, pos, &new_name)
            })
            .await?;
        let Some((edit, note)) = found.transpose()? else {
            return Ok(None);
        };
        if let Some(note) = note {
            self.client.show_message(MessageType::INFO, note).await;
        }
        Ok(Some(edit))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        self.with_analysis(&uri, "documentSymbol", navigation::document_symbols)
            .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let uris: Vec<Uri> = self.docs().keys().cloned().collect();
        let mut docs = Vec::new();
        for uri in uris {
            if let Some(a) = self.analysis(&uri).await? {
                docs.push((uri, a));
            }
        }
        let conv = self.conv();
        let symbols = tokio::task::spawn_blocking(move || {
            navigation::workspace_symbols(&docs, conv, &params.query)
        })
        .await
        .map_err(|_| internal("workspace/symbol"))?;
        Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let lines = self.line_folding_only.load(Ordering::SeqCst);
        self.with_analysis(&params.text_document.uri, "foldingRange", move |a, conv| {
            navigation::folding_ranges(a, conv, lines)
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let positions = params.positions;
        self.with_analysis(
            &params.text_document.uri,
            "selectionRange",
            move |a, conv| navigation::selection_ranges(a, conv, &positions),
        )
        .await
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        let Some((uri, offset)) = hover::resolve_target(&item) else {
            return Ok(item);
        };
        let f = self.formats();
        let fallback = item.clone();
        let resolved = self
            .with_analysis(&uri, "completionItem/resolve", move |a, _| {
                hover::resolve(a, item, offset, f)
            })
            .await?;
        Ok(resolved.unwrap_or(fallback))
    }
}

/// The first [`MAX_ITEMS`] edits of a formatting: they are sorted and
/// apart, so the first ones alone format the top of the file, and
/// formatting again goes on from there.
fn first_edits(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.truncate(MAX_ITEMS);
    edits
}

/// The first [`MAX_TOKENS`] tokens; a cut answer has no result id (the
/// client cannot ask for a delta from tokens it was not fully sent).
fn first_tokens(mut tokens: SemanticTokens) -> SemanticTokens {
    if tokens.data.len() > MAX_TOKENS {
        tokens.data.truncate(MAX_TOKENS);
        tokens.result_id = None;
    }
    tokens
}

/// The first lenses, each counted with the locations it carries (the
/// third argument of a "used by" lens's command), within [`MAX_ITEMS`]; a
/// lens whose locations do not all fit keeps the first ones.
fn first_lenses(lenses: Vec<CodeLens>) -> Vec<CodeLens> {
    let mut left = MAX_ITEMS;
    let mut out = Vec::new();
    for mut lens in lenses {
        if left == 0 {
            break;
        }
        left -= 1;
        let locations = lens
            .command
            .as_mut()
            .and_then(|c| c.arguments.as_mut())
            .and_then(|args| args.get_mut(2));
        if let Some(serde_json::Value::Array(locations)) = locations {
            locations.truncate(left);
            left -= locations.len();
        }
        out.push(lens);
    }
    out
}

type Running = Mutex<HashMap<Uri, ShellCheckSettings>>;

/// A document's ShellCheck task's place in [`Running`]: freed by the task
/// when it decides to end, or here if it ends otherwise (a panic), so that
/// the document's next version can start a task again.
struct Slot {
    running: Arc<Running>,
    uri: Uri,
    freed: bool,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if !self.freed {
            lock_running(&self.running).remove(&self.uri);
        }
    }
}

fn lock_running(running: &Running) -> std::sync::MutexGuard<'_, HashMap<Uri, ShellCheckSettings>> {
    running.lock().unwrap_or_else(|e| e.into_inner())
}

/// Run ShellCheck on `analysis`' scripts (off the async threads) and
/// publish the merged diagnostics if the version is still current.
async fn shellcheck_and_send(
    client: &Client,
    docs: &Docs,
    caps: ClientCaps,
    conv: Conv,
    uri: &Uri,
    analysis: &Analysis,
    sc_settings: &ShellCheckSettings,
) {
    // The first run starts ShellCheck cold: say so.
    let ongoing = if sc::first_time("lsp-progress:shellcheck") {
        progress::begin(client, caps, "berth: ShellCheck", "RUN scripts".into()).await
    } else {
        None
    };
    let a = analysis.clone();
    let settings = sc_settings.clone();
    let outcome = tokio::task::spawn_blocking(move || sc::diagnostics(&a, &settings, false)).await;
    if let Some(o) = ongoing {
        o.end(client).await;
    }
    let Ok(Outcome::Done {
        diagnostics,
        errors,
    }) = outcome
    else {
        return;
    };
    for e in errors {
        if sc::first_time(&format!("lsp-log:{e}")) {
            client
                .log_message(MessageType::WARNING, format!("berth: ShellCheck: {e}"))
                .await;
        }
    }
    if !diagnostics.is_empty() {
        send(client, docs, conv, uri.clone(), analysis, &diagnostics).await;
    }
}

/// Whether `analysis` is of the document's current version and settings.
fn is_current(docs: &Docs, uri: &Uri, analysis: &Analysis) -> bool {
    current_in(&lock(docs), uri, analysis)
}

fn current_in(docs: &HashMap<Uri, DocState>, uri: &Uri, analysis: &Analysis) -> bool {
    docs.get(uri).is_some_and(|s| {
        s.doc.version() == analysis.version()
            && std::ptr::eq(s.settings.as_ref(), analysis.settings())
    })
}

/// Publish `analysis`' diagnostics merged with ShellCheck's, if the
/// analysis is still current. Returns whether it was.
async fn send(
    client: &Client,
    docs: &Docs,
    conv: Conv,
    uri: Uri,
    analysis: &Analysis,
    shellcheck: &[Diagnostic],
) -> bool {
    if let Some(sent) = send_now(docs, conv, &uri, analysis, shellcheck) {
        return sent;
    }
    if !is_current(docs, &uri, analysis) {
        return false; // stale: a newer version publishes its own
    }
    let merged = sc::merge(analysis.diagnostics(), shellcheck);
    let diags = merged
        .iter()
        .map(|d| conv.diagnostic(analysis, &uri, d))
        .collect();
    client
        .publish_diagnostics(uri, diags, Some(analysis.version()))
        .await;
    true
}

/// [`send`] from any thread, written directly (not through the framework):
/// `None` when there is no direct channel. The message is queued under the
/// document lock after checking the version, so a stale publication can
/// never be queued after a newer version's.
fn send_now(
    docs: &Docs,
    conv: Conv,
    uri: &Uri,
    analysis: &Analysis,
    shellcheck: &[Diagnostic],
) -> Option<bool> {
    if !framing::direct() {
        return None;
    }
    if !is_current(docs, uri, analysis) {
        return Some(false); // stale: a newer version publishes its own
    }
    let merged;
    let all = if shellcheck.is_empty() {
        analysis.diagnostics()
    } else {
        merged = sc::merge(analysis.diagnostics(), shellcheck);
        &merged
    };
    let body = conv.publish_body(analysis.text(), uri, analysis.version(), all);
    let docs = lock(docs);
    Some(current_in(&docs, uri, analysis) && framing::send_direct(body))
}

enum ConfigProblem {
    Error(host_config::ConfigError),
    Warnings(Vec<String>),
}

/// The `.hadolint.yaml` for a document: looked for from its directory
/// upward, for file: URIs only.
fn read_config(uri: &Uri) -> (Option<Arc<FileConfig>>, Option<ConfigProblem>) {
    if !uri.as_str().starts_with("file:") {
        return (None, None);
    }
    let Some(path) = uri.to_file_path() else {
        return (None, None);
    };
    let Some(dir) = path.parent().filter(|d| d != &Path::new("")) else {
        return (None, None);
    };
    let Some(found) = host_config::find(dir) else {
        return (None, None);
    };
    match host_config::load(&found) {
        Ok(c) => {
            let warnings = c.warnings.clone();
            let problem = (!warnings.is_empty()).then_some(ConfigProblem::Warnings(warnings));
            (Some(Arc::new(c)), problem)
        }
        Err(e) => (None, Some(ConfigProblem::Error(e))),
    }
}
