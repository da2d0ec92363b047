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
//!    the merged set for the same version if it is still current.
//!
//! Settings: the client's (`initializationOptions`, the `berth` section
//! pulled with `workspace/configuration` after `initialized` and on
//! `workspace/didChangeConfiguration`) apply on top of the `.hadolint.yaml`
//! found for each document (file: URIs), read when it is opened.

mod code_actions;
mod convert;
mod framing;
mod settings;

use std::collections::HashMap;
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
use crate::ide::{Analysis, Settings};
use crate::rules::Diagnostic;
use crate::text::{Document, PositionEncoding};

use convert::Conv;
use settings::ClientSettings;

/// Serve LSP over stdin/stdout until `exit`. Returns the process exit code:
/// 0 when `shutdown` came before `exit`, 1 otherwise (LSP spec).
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
        let (service, socket) = LspService::new(move |client| Backend::new(client, flag));
        let (input, guard) = tokio::io::duplex(1 << 16);
        tokio::spawn(framing::forward(tokio::io::stdin(), guard));
        Server::new(input, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    runtime.shutdown_background();
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
    encoding: RwLock<PositionEncoding>,
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
            encoding: RwLock::new(PositionEncoding::Utf16),
            shutdown,
            debug_panic: std::env::var_os("BERTH_DEBUG_PANIC").is_some_and(|v| v == "1"),
        }
    }

    fn conv(&self) -> Conv {
        Conv {
            encoding: *self.encoding.read().unwrap_or_else(|e| e.into_inner()),
        }
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
        {
            *self
                .client_settings
                .write()
                .unwrap_or_else(|e| e.into_inner()) = new.clone();
            for state in self.docs().values_mut() {
                state.settings = Arc::new(new.settings_for(state.config.as_deref()));
                state.analysis = None;
            }
        }
        let uris: Vec<Uri> = self.docs().keys().cloned().collect();
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
        let doc = {
            let docs = self.docs();
            let Some(state) = docs.get(uri) else {
                return Ok(None);
            };
            if let Some(a) = &state.analysis {
                return Ok(Some(a.clone()));
            }
            (state.doc.clone(), state.settings.clone())
        };
        let (doc, settings) = doc;
        let version = doc.version();
        let analysis_settings = settings.clone();
        let analysis = tokio::task::spawn_blocking(move || {
            let a = Analysis::new(doc, settings);
            a.diagnostics();
            a
        })
        .await
        .map_err(|_| internal("analysis"))?;
        let mut docs = self.docs();
        if let Some(state) = docs.get_mut(uri) {
            if state.doc.version() == version
                && state.analysis.is_none()
                && Arc::ptr_eq(&state.settings, &analysis_settings)
            {
                state.analysis = Some(analysis.clone());
            }
        }
        Ok(Some(analysis))
    }

    /// Publish the diagnostics of the current version, unless a newer
    /// version arrived while they were computed; ShellCheck's findings
    /// follow (rule 4 above).
    async fn publish(&self, uri: Uri) {
        let analysis = match self.analysis(&uri).await {
            Ok(Some(a)) => a,
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
        let sc_settings = self.sc_settings();
        let a = analysis.clone();
        let s2 = sc_settings.clone();
        let cached = tokio::task::spawn_blocking(move || sc::diagnostics(&a, &s2, true))
            .await
            .unwrap_or(Outcome::Off);
        let conv = self.conv();
        match cached {
            Outcome::Done { diagnostics, .. } => {
                send(&self.client, &self.docs, conv, uri, &analysis, &diagnostics).await;
                return;
            }
            Outcome::NotInstalled => {
                self.log_once(MessageType::INFO, format!("berth: {}", sc::NOT_FOUND))
                    .await;
                send(&self.client, &self.docs, conv, uri, &analysis, &[]).await;
                return;
            }
            Outcome::Off => {
                send(&self.client, &self.docs, conv, uri, &analysis, &[]).await;
                return;
            }
            Outcome::NotCached => {}
        }
        if !send(&self.client, &self.docs, conv, uri.clone(), &analysis, &[]).await {
            return;
        }
        let client = self.client.clone();
        let docs = self.docs.clone();
        tokio::spawn(async move {
            if !is_current(&docs, &uri, &analysis) {
                return;
            }
            let a = analysis.clone();
            let Ok(outcome) =
                tokio::task::spawn_blocking(move || sc::diagnostics(&a, &sc_settings, false)).await
            else {
                return;
            };
            if let Outcome::Done {
                diagnostics,
                errors,
            } = outcome
            {
                for e in errors {
                    if sc::first_time(&format!("lsp-log:{e}")) {
                        client
                            .log_message(MessageType::WARNING, format!("berth: ShellCheck: {e}"))
                            .await;
                    }
                }
                if !diagnostics.is_empty() {
                    send(&client, &docs, conv, uri, &analysis, &diagnostics).await;
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
        let Some(analysis) = self.analysis(uri).await? else {
            return Ok(None);
        };
        let conv = self.conv();
        let panic = self.debug_panic && analysis.text().contains("# berth-debug-panic");
        tokio::task::spawn_blocking(move || {
            if panic {
                panic!("berth-debug-panic requested");
            }
            f(&analysis, conv)
        })
        .await
        .map(Some)
        .map_err(|_| internal(what))
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
        self.document_changes.store(
            workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
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
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ["=", "$", "{", "-", ","]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    ),
                    ..Default::default()
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
        self.client
            .log_message(
                MessageType::INFO,
                format!(
                    "berth {} ready (position encoding {enc})",
                    env!("CARGO_PKG_VERSION")
                ),
            )
            .await;
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
        if let Some(pulled) = self.pull_settings().await {
            self.set_client_settings(pulled).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
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
        self.publish(uri).await;
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
                    let ok = catch_unwind(AssertUnwindSafe(|| {
                        for change in &params.content_changes {
                            let range = change
                                .range
                                .map(|r| conv.text_range(state.doc.line_index(), r));
                            state.doc.apply_change(range, &change.text);
                        }
                    }))
                    .is_ok();
                    if !ok {
                        // A bug must not corrupt the document: keep whatever
                        // text we have and let the next full sync repair it.
                        eprintln!(
                            "berth: internal error applying a change to {}",
                            uri.as_str()
                        );
                    }
                    state.doc.set_version(params.text_document.version);
                    state.analysis = None;
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

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let found = self
            .with_analysis(&uri, "hover", move |a, conv| {
                let offset = conv.offset(a.line_index(), pos);
                a.hover(offset).map(|h| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: h.markdown,
                    }),
                    range: Some(conv.range(a.line_index(), h.range)),
                })
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

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let items = self
            .with_analysis(&uri, "completion", move |a, conv| {
                let offset = conv.offset(a.line_index(), pos);
                a.completions(offset)
                    .iter()
                    .map(|c| conv.completion_item(a.line_index(), c))
                    .collect::<Vec<_>>()
            })
            .await?;
        Ok(items.map(CompletionResponse::Array))
    }
}

/// Whether `analysis` is of the document's current version and settings.
fn is_current(docs: &Docs, uri: &Uri, analysis: &Analysis) -> bool {
    lock(docs).get(uri).is_some_and(|s| {
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
    if !is_current(docs, &uri, analysis) {
        return false; // stale: a newer version publishes its own
    }
    let merged;
    let all = if shellcheck.is_empty() {
        analysis.diagnostics()
    } else {
        merged = sc::merge(analysis.diagnostics(), shellcheck);
        &merged
    };
    let diags = all
        .iter()
        .map(|d| conv.diagnostic(analysis, &uri, d))
        .collect();
    client
        .publish_diagnostics(uri, diags, Some(analysis.version()))
        .await;
    true
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
