//! Snapshot of a build context directory, for the rules, completion and
//! links that read it (`model::context`).
//!
//! The walk lists every entry (the `.dockerignore` decides, not the walk),
//! stops at [`LIMIT`] entries and marks the snapshot truncated, and never
//! follows a symbolic link: a link is listed as a link and its target is
//! not read, so nothing outside the context is ever listed.
//!
//! The ignore file is the one BuildKit uses: `<Dockerfile name>.dockerignore`
//! beside the Dockerfile when it exists, else `.dockerignore` at the
//! context root. It is read through [`files::read`] (regular files only,
//! bounded), for the command line and the language server alike.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files;
use crate::model::context::{BuildContext, Entry, EntryKind};
use crate::model::dockerignore::DockerIgnore;

/// Entries listed at most per context.
pub const LIMIT: usize = 20_000;

/// The listed entries of a context directory, shared by every Dockerfile
/// that uses it.
#[derive(Clone, Debug)]
pub struct Listing {
    pub files: Arc<Vec<Entry>>,
    pub truncated: bool,
}

/// List `root` recursively (at most `limit` entries, links not followed).
pub fn list(root: &Path, limit: usize) -> Listing {
    let mut files = Vec::new();
    let mut truncated = false;
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    'walk: while let Some((dir, rel)) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            if files.len() >= limit {
                truncated = true;
                break 'walk;
            }
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue; // not UTF-8: not nameable in a Dockerfile we read
            };
            let Ok(ft) = entry.file_type() else {
                continue;
            };
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = if ft.is_symlink() {
                EntryKind::Symlink
            } else if ft.is_dir() {
                stack.push((entry.path(), path.clone()));
                EntryKind::Dir
            } else {
                EntryKind::File
            };
            files.push(Entry { path, kind });
        }
    }
    files.sort();
    Listing {
        files: Arc::new(files),
        truncated,
    }
}

/// An ignore file that exists but was not read, and why (a FIFO, a
/// device, over [`files::MAX_IGNORE_BYTES`], no permission...).
#[derive(Debug)]
pub struct IgnoreSkipped {
    pub path: PathBuf,
    pub why: files::ReadError,
}

/// The `.dockerignore` for `dockerfile` built with context `root`.
pub fn read_ignore(root: &Path, dockerfile: Option<&Path>) -> DockerIgnore {
    read_ignore_checked(root, dockerfile).0
}

/// [`read_ignore`], also saying which ignore file was skipped. The file
/// is read like every input ([`files::read`]): only a regular file, at
/// most [`files::MAX_IGNORE_BYTES`], so a FIFO or `/dev/zero` in its place
/// can neither block nor exhaust memory. A skipped file ends the search
/// (it exists, so BuildKit would use it) and excludes nothing.
pub fn read_ignore_checked(
    root: &Path,
    dockerfile: Option<&Path>,
) -> (DockerIgnore, Option<IgnoreSkipped>) {
    let specific = dockerfile.and_then(|f| {
        let name = f.file_name()?.to_str()?;
        Some(f.with_file_name(format!("{name}.dockerignore")))
    });
    for path in specific.into_iter().chain([root.join(".dockerignore")]) {
        match files::read(&path, files::MAX_IGNORE_BYTES) {
            Ok(c) => {
                return (
                    DockerIgnore::parse(&String::from_utf8_lossy(&c.bytes)),
                    None,
                )
            }
            Err(why) if why.is_not_found() => {}
            Err(why) => return (DockerIgnore::default(), Some(IgnoreSkipped { path, why })),
        }
    }
    (DockerIgnore::default(), None)
}

/// The context directory of `dockerfile`: `setting` (relative to the
/// Dockerfile's folder, or absolute) or the Dockerfile's folder.
pub fn context_dir(dockerfile: &Path, setting: Option<&str>) -> Option<PathBuf> {
    let dir = dockerfile.parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let p = match setting.filter(|s| !s.is_empty()) {
        Some(s) => dir.join(s),
        None => dir.to_path_buf(),
    };
    let p = std::fs::canonicalize(&p).unwrap_or(p);
    p.is_dir().then_some(p)
}

/// A context from a listing and the ignore file of `dockerfile`.
pub fn build(listing: &Listing, root: &Path, dockerfile: Option<&Path>) -> BuildContext {
    build_checked(listing, root, dockerfile).0
}

/// [`build`], also saying which ignore file was skipped.
pub fn build_checked(
    listing: &Listing,
    root: &Path,
    dockerfile: Option<&Path>,
) -> (BuildContext, Option<IgnoreSkipped>) {
    let (ignore, skipped) = read_ignore_checked(root, dockerfile);
    let context = BuildContext {
        files: listing.files.clone(),
        ignore,
        truncated: listing.truncated,
    };
    (context, skipped)
}

/// List and read in one go (the command line).
pub fn snapshot(root: &Path, dockerfile: Option<&Path>) -> BuildContext {
    build(&list(root, LIMIT), root, dockerfile)
}

/// `root/rel` when it stays inside `root` without crossing a symbolic
/// link (a document link never leads out of the context).
pub fn resolve_inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = root.to_path_buf();
    for comp in rel.split('/') {
        match comp {
            "" | "." => {}
            ".." => return None,
            c => {
                p.push(c);
                let meta = std::fs::symlink_metadata(&p).ok()?;
                if meta.file_type().is_symlink() {
                    return None;
                }
            }
        }
    }
    Some(p)
}
