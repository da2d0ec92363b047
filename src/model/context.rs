//! The build context as data: the paths it holds (a snapshot the host
//! takes) and the `.dockerignore` that applies. Pure: lookups, globbing
//! and the closest existing path for a missing one.

use std::sync::Arc;

use super::dockerignore::{DockerIgnore, Pattern};

/// What a context entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    File,
    Dir,
    /// A symbolic link: listed, never followed.
    Symlink,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Relative to the context root, `/`-separated, no leading or
    /// trailing slash.
    pub path: String,
    pub kind: EntryKind,
}

/// A snapshot of a build context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildContext {
    /// Every entry, sorted by path (so a directory's descendants are the
    /// contiguous run of paths starting with `dir/`).
    pub files: Arc<Vec<Entry>>,
    pub ignore: DockerIgnore,
    /// The walk stopped early: absent paths prove nothing.
    pub truncated: bool,
}

/// What the context knows of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The path (or, for a glob, some path it matches) exists.
    Found,
    /// Cannot be told: a symlink on the way, or a truncated snapshot.
    Unknown,
    /// Missing: `parent` is the deepest existing directory on the way
    /// (`""` for the root), `missing` the first component that is not
    /// there, and `suggestion` the closest entry of `parent`.
    Missing {
        parent: String,
        missing: String,
        suggestion: Option<String>,
    },
}

impl BuildContext {
    pub fn new(mut files: Vec<Entry>, ignore: DockerIgnore, truncated: bool) -> BuildContext {
        files.sort();
        files.dedup_by(|a, b| a.path == b.path);
        BuildContext {
            files: Arc::new(files),
            ignore,
            truncated,
        }
    }

    /// The entry at `path` (relative, `/`-separated).
    pub fn entry(&self, path: &str) -> Option<&Entry> {
        let path = path.trim_matches('/');
        self.files
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Whether `path` is the root or a directory of the context.
    pub fn is_dir(&self, path: &str) -> bool {
        let path = path.trim_matches('/');
        path.is_empty() || self.entry(path).is_some_and(|e| e.kind == EntryKind::Dir)
    }

    /// Every entry below directory `dir` (`""` for the root).
    pub fn descendants(&self, dir: &str) -> &[Entry] {
        let dir = dir.trim_matches('/');
        if dir.is_empty() {
            return &self.files;
        }
        let prefix = format!("{dir}/");
        let start = self
            .files
            .partition_point(|e| e.path.as_str() < prefix.as_str());
        let len = self.files[start..].partition_point(|e| e.path.starts_with(&prefix));
        &self.files[start..start + len]
    }

    /// The direct entries of directory `dir`, with their names.
    pub fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, &'a Entry)> + 'a {
        let skip = dir.trim_matches('/').len() + usize::from(!dir.trim_matches('/').is_empty());
        self.descendants(dir)
            .iter()
            .filter(move |e| !e.path[skip..].contains('/'))
            .map(move |e| (&e.path[skip..], e))
    }

    /// Whether `path` is left out by `.dockerignore`.
    pub fn ignored(&self, path: &str) -> bool {
        self.ignore.excludes(path)
    }

    /// What the context knows of a COPY/ADD source `path` (relative, `/`
    /// separated; wildcards allowed when `glob`).
    pub fn lookup(&self, path: &str, glob: bool) -> Lookup {
        let path = path.trim_matches('/');
        if path.is_empty() || path == "." {
            return Lookup::Found;
        }
        if self.truncated {
            return Lookup::Unknown;
        }
        let mut parent = "";
        for (i, comp) in path.split('/').enumerate() {
            let here = if parent.is_empty() {
                comp.to_string()
            } else {
                format!("{parent}/{comp}")
            };
            let wild = glob && comp.contains(['*', '?', '[']);
            if wild {
                // Match what is left against every entry below `parent`.
                let pat = Pattern::new(path, false);
                let depth = path.split('/').count();
                let found = self
                    .descendants(parent)
                    .iter()
                    .any(|e| e.path.split('/').count() == depth && pat.matches(&e.path));
                if found {
                    return Lookup::Found;
                }
                let through_link = self
                    .descendants(parent)
                    .iter()
                    .any(|e| e.kind == EntryKind::Symlink);
                if through_link && i + 1 < depth {
                    return Lookup::Unknown;
                }
                return Lookup::Missing {
                    parent: parent.to_string(),
                    missing: path[parent.len() + usize::from(!parent.is_empty())..].to_string(),
                    suggestion: None,
                };
            }
            match self.entry(&here) {
                Some(e) if e.kind == EntryKind::Dir => {}
                Some(e) if e.kind == EntryKind::Symlink => return Lookup::Unknown,
                Some(_) => {
                    // A file with more components after it.
                    if here.len() == path.len() {
                        return Lookup::Found;
                    }
                    return Lookup::Missing {
                        parent: here.clone(),
                        missing: path[here.len() + 1..].to_string(),
                        suggestion: None,
                    };
                }
                None => {
                    let names: Vec<&str> = self.children(parent).map(|(n, _)| n).collect();
                    let suggestion =
                        super::closest(comp, names.iter().copied()).map(|n| join(parent, n));
                    return Lookup::Missing {
                        parent: parent.to_string(),
                        missing: comp.to_string(),
                        suggestion,
                    };
                }
            }
            let end = parent.len() + usize::from(!parent.is_empty()) + comp.len();
            parent = &path[..end];
        }
        Lookup::Found
    }
}

/// `dir/name`, or `name` at the root.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// A COPY/ADD source read from the build context, with its path relative
/// to the context root (`.` for the root itself).
#[derive(Clone, Debug)]
pub struct ContextSource<'a> {
    pub instruction: usize,
    pub kind: crate::syntax::Keyword,
    pub source: &'a super::fs::Source,
    pub rel: String,
}

/// Every COPY/ADD source from the build context whose path is known (no
/// unknown variable), in stage order.
pub fn context_sources<'a>(m: &super::Model, fs: &'a super::fs::Fs) -> Vec<ContextSource<'a>> {
    let mut out = Vec::new();
    for s in 0..m.stages.len() {
        for c in fs.copied_paths(s) {
            for src in &c.sources {
                if src.origin != super::fs::Origin::Context {
                    continue;
                }
                let Some(p) = src.path.as_deref() else {
                    continue;
                };
                let rel = p.trim_start_matches('/');
                out.push(ContextSource {
                    instruction: c.instruction,
                    kind: c.kind,
                    source: src,
                    rel: if rel.is_empty() {
                        ".".into()
                    } else {
                        rel.into()
                    },
                });
            }
        }
    }
    out
}
