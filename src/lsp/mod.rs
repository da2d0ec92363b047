//! The language server: the only module that speaks LSP.
//!
//! Ordering rules (see ARCHITECTURE.md):
//! 1. didOpen/didChange/didClose mutate the document store synchronously,
//!    before their first `.await`, so edits apply in arrival order.
//! 2. Every request snapshots the document at its top and works on that.
//! 3. Analysis runs in `spawn_blocking`; a panic there answers the request
//!    with an internal error and the server keeps running. Diagnostics are
//!    published with their version, and dropped when a newer version exists.

mod convert;
mod settings;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::ide::{Analysis, Settings};
use crate::text::{Document, PositionEncoding};

use convert::Conv;

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
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
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
}

struct Backend {
    client: Client,
    docs: Mutex<HashMap<Uri, DocState>>,
    settings: RwLock<Arc<Settings>>,
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
            docs: Mutex::new(HashMap::new()),
            settings: RwLock::new(Arc::new(Settings::default())),
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
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn settings(&self) -> Arc<Settings> {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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
            state.doc.clone()
        };
        let settings = self.settings();
        let version = doc.version();
        let analysis = tokio::task::spawn_blocking(move || {
            let a = Analysis::new(doc, settings);
            a.diagnostics();
            a
        })
        .await
        .map_err(|_| internal("analysis"))?;
        let mut docs = self.docs();
        if let Some(state) = docs.get_mut(uri) {
            if state.doc.version() == version && state.analysis.is_none() {
                state.analysis = Some(analysis.clone());
            }
        }
        Ok(Some(analysis))
    }

    /// Publish the diagnostics of the current version, unless a newer
    /// version arrived while they were computed.
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
        let current = self.docs().get(&uri).map(|s| s.doc.version());
        if current != Some(analysis.version()) {
            return; // stale: a newer version publishes its own
        }
        let conv = self.conv();
        let diags = analysis
            .diagnostics()
            .iter()
            .map(|d| conv.diagnostic(&analysis, &uri, d))
            .collect();
        self.client
            .publish_diagnostics(uri, diags, Some(analysis.version()))
            .await;
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
            let s = settings::from_json(opts, &Settings::default());
            *self.settings.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(s);
        }
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
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let doc = catch_unwind(|| {
                Document::new(params.text_document.text, params.text_document.version)
            })
            .unwrap_or_else(|_| Document::new(String::new(), params.text_document.version));
            self.docs().insert(
                uri.clone(),
                DocState {
                    doc,
                    analysis: None,
                },
            );
        }
        self.publish(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let conv = self.conv();
        let applied = {
            let mut docs = self.docs();
            match docs.get_mut(&uri) {
                None => false,
                Some(state) => {
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
        let value = params
            .settings
            .get("berth")
            .cloned()
            .unwrap_or(params.settings);
        {
            let new = settings::from_json(&value, &Settings::default());
            *self.settings.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(new);
            for state in self.docs().values_mut() {
                state.analysis = None;
            }
        }
        let uris: Vec<Uri> = self.docs().keys().cloned().collect();
        for uri in uris {
            self.publish(uri).await;
        }
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
