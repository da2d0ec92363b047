//! The build context in the server: a snapshot per context directory,
//! taken off the async threads when a `file:` document opens and shared by
//! every document of that context; `workspace/didChangeWatchedFiles`
//! (registered dynamically for everything, when the client can) drops the
//! snapshot of a context where something changed and re-publishes the
//! documents using it. Also `textDocument/documentLink` for COPY/ADD
//! sources found in the context.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::convert::Conv;
use crate::ide::Analysis;
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::host::context::{self as host, Listing};
use crate::ide::Settings;
use crate::model::context::BuildContext;
use crate::text::BoundedCache;

/// Bytes the context listings may hold: each is bounded at
/// `host::LIMIT` entries (a couple of megabytes), and a session that opens
/// files of many repositories keeps the most recently used.
const LISTINGS_BYTES: usize = 32 << 20;

/// Listings by context directory.
struct Listings(BoundedCache<PathBuf, Listing>);

impl Default for Listings {
    fn default() -> Listings {
        Listings(BoundedCache::new(LISTINGS_BYTES))
    }
}

/// What a listing holds in bytes, its key included.
fn listing_cost(root: &Path, l: &Listing) -> usize {
    let entries: usize = (l.files.iter())
        .map(|e| std::mem::size_of_val(e) + e.path.capacity())
        .sum();
    root.as_os_str().len() + entries
}

/// Snapshots per context directory, and which directory each document uses.
#[derive(Default)]
pub(super) struct Contexts {
    listings: Mutex<Listings>,
    /// Document → (context dir, Dockerfile path).
    docs: Mutex<HashMap<Uri, (PathBuf, PathBuf)>>,
    /// The client lets the server register file watchers.
    pub watch_register: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Contexts {
    /// The context of a document (blocking IO: a walk when not cached).
    fn context_for(&self, uri: &Uri, setting: Option<&str>) -> Option<BuildContext> {
        if !uri.as_str().starts_with("file:") {
            return None;
        }
        let file = uri.to_file_path()?.into_owned();
        let root = host::context_dir(&file, setting)?;
        // Without watchers nothing would tell a cached listing is stale:
        // walk again on every open then.
        let cached = if self.watch_register.load(Ordering::SeqCst) {
            lock(&self.listings).0.get(&root)
        } else {
            None
        };
        let listing = match cached {
            Some(l) => l,
            None => {
                let l = host::list(&root, host::LIMIT);
                let cost = listing_cost(&root, &l);
                lock(&self.listings).0.insert(root.clone(), l.clone(), cost);
                l
            }
        };
        let bc = host::build(&listing, &root, Some(&file));
        lock(&self.docs).insert(uri.clone(), (root, file));
        Some(bc)
    }

    /// The context directory a document uses.
    pub fn root_of(&self, uri: &Uri) -> Option<PathBuf> {
        lock(&self.docs).get(uri).map(|(r, _)| r.clone())
    }

    pub fn forget(&self, uri: &Uri) {
        lock(&self.docs).remove(uri);
    }

    /// Drop the snapshots `changed` paths touch; the documents to refresh.
    fn changed(&self, changed: &[PathBuf]) -> Vec<Uri> {
        let docs = lock(&self.docs);
        let mut listings = lock(&self.listings);
        // Also the listings no open document uses: a later open reads them.
        listings
            .0
            .retain(|r, _| !changed.iter().any(|p| p.starts_with(r)));
        let mut out = Vec::new();
        for (uri, (root, file)) in docs.iter() {
            let hit = changed.iter().any(|p| {
                p.starts_with(root)
                    // `<Dockerfile>.dockerignore` beside a Dockerfile kept
                    // outside its context.
                    || (p.parent() == file.parent()
                        && p.extension().is_some_and(|e| e == "dockerignore"))
            });
            if hit {
                out.push(uri.clone());
            }
        }
        out
    }
}

/// `settings` with `context` in its rule settings.
fn with_context(settings: &Settings, context: Option<BuildContext>) -> Settings {
    let mut s = settings.clone();
    s.rules.context = context.map(Arc::new);
    s
}

impl Backend {
    /// Snapshot (or reuse) the contexts of `uris` off the async threads and
    /// put them in the documents' settings. Returns whether any changed.
    pub(super) async fn attach_contexts(&self, uris: Vec<Uri>) -> bool {
        let setting = self.client_settings().context.clone();
        let contexts = self.contexts.clone();
        let found = tokio::task::spawn_blocking(move || {
            uris.into_iter()
                .map(|u| {
                    let c = contexts.context_for(&u, setting.as_deref());
                    (u, c)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let mut any = false;
        let mut docs = self.docs();
        for (uri, ctx) in found {
            let Some(state) = docs.get_mut(&uri) else {
                continue;
            };
            if state.settings.rules.context.as_deref() == ctx.as_ref() {
                continue;
            }
            state.settings = Arc::new(with_context(&state.settings, ctx));
            state.analysis = None;
            state.base = None;
            any = true;
        }
        any
    }

    /// Register a watcher for every file, when the client can.
    pub(super) async fn register_watchers(&self) {
        if !self.contexts.watch_register.load(Ordering::SeqCst) {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*".into()),
                kind: None,
            }],
        };
        let _ = self
            .client
            .register_capability(vec![Registration {
                id: "berth-context-watcher".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            }])
            .await;
    }

    /// Files changed: re-snapshot the contexts they are in and re-publish
    /// the documents using them.
    pub(super) async fn context_files_changed(&self, params: DidChangeWatchedFilesParams) {
        // A changed file's contents do not change the listing (a save of
        // the Dockerfile must not re-walk the context); creations,
        // deletions and any change of an ignore file do.
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter(|c| {
                c.typ != FileChangeType::CHANGED || c.uri.as_str().ends_with(".dockerignore")
            })
            .filter_map(|c| c.uri.to_file_path().map(|p| canonical_parent(&p)))
            .collect();
        let uris = self.contexts.changed(&paths);
        if uris.is_empty() {
            return;
        }
        self.attach_contexts(uris.clone()).await;
        for uri in uris {
            self.publish(uri).await;
        }
    }
}

/// Links from COPY/ADD sources to the files they name in the build context
/// rooted at `root`; never outside it (`..` and symbolic links refused).
pub(super) fn document_links(a: &Analysis, conv: Conv, root: &Path) -> Vec<DocumentLink> {
    a.context_links()
        .into_iter()
        .filter_map(|l| {
            let target = host::resolve_inside(root, &l.path)?;
            Some(DocumentLink {
                range: conv.range(a.line_index(), l.range),
                target: Some(Uri::from_file_path(target)?),
                tooltip: Some(format!("{} in the build context", l.path)),
                data: None,
            })
        })
        .collect()
}

/// A changed path with its (existing) parent directory canonicalised, so it
/// compares with the canonical context roots (a deleted file has no
/// canonical form of its own).
fn canonical_parent(p: &Path) -> PathBuf {
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}
