//! Finding the files to check: explicit files, directories walked for
//! Dockerfile-like names, and `-` for stdin.
//!
//! Only regular files of at most [`files::MAX_DOCKERFILE_BYTES`] are
//! listed (symbolic links followed): a FIFO, a device, a socket or an
//! oversized file is an error when named on the command line and a note
//! when found by a walk, and is never opened. The reader
//! ([`files::read`]) checks again, for what changes in between.

use std::fs;
use std::path::{Path, PathBuf};

use super::{io_reason, term};
use crate::host::files;

/// One input to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    /// The name as it is: for formats that escape it themselves (JSON,
    /// SARIF, Checkstyle).
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// The name as it is printed for people (human and GNU findings,
    /// reports, messages): escaped by [`term::shown`].
    pub fn shown(&self) -> String {
        term::shown(&self.display()).into_owned()
    }
}

/// The files to check, in a deterministic order (stdin first, then paths
/// sorted component by component, each once), the paths that could not
/// be read, as messages (exit code 2), and the files a walk skipped
/// (special or oversized files), as notes.
#[derive(Debug, Default)]
pub struct Discovery {
    pub sources: Vec<Source>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

impl Discovery {
    /// Print the errors and the notes to stderr (`berth: …`,
    /// `berth: note: …`); whether there were errors (exit code 2).
    pub fn report(&self) -> bool {
        for e in &self.errors {
            super::eprint_line(&format!("berth: {e}"));
        }
        for n in &self.notes {
            super::eprint_line(&format!("berth: note: {n}"));
        }
        !self.errors.is_empty()
    }
}

/// Directories never entered during a walk (besides hidden ones).
const SKIP_DIRS: &[&str] = &[".git", "node_modules", "target"];

/// Whether a file found in a directory walk is a Dockerfile, by its name:
/// `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile`,
/// `Containerfile.*`, `*.containerfile`, ignoring case. BuildKit's
/// per-Dockerfile ignore files (`Dockerfile.dockerignore`,
/// `api.Dockerfile.dockerignore`) are not.
pub fn is_dockerfile_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.ends_with(".dockerignore") {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|base| {
        n == *base
            || (n.len() > base.len() + 1
                && (n.starts_with(&format!("{base}.")) || n.ends_with(&format!(".{base}"))))
    })
}

pub fn discover(paths: &[String]) -> Discovery {
    let mut d = Discovery::default();
    let mut found = Vec::new();
    for arg in paths {
        if arg == "-" {
            if !d.sources.contains(&Source::Stdin) {
                d.sources.push(Source::Stdin);
            }
            continue;
        }
        let path = PathBuf::from(arg);
        // An explicitly named path is followed even when it is a symlink.
        match fs::metadata(&path) {
            Err(e) => d
                .errors
                .push(format!("{}: {}", term::shown(arg), io_reason(&e))),
            Ok(m) if m.is_dir() => walk(&path, &mut found, &mut d),
            // A file named explicitly is checked whatever its name, if it
            // is a regular file within the bound.
            Ok(m) => match files::check_regular(&m, files::MAX_DOCKERFILE_BYTES) {
                Ok(()) => found.push(path),
                Err(why) => d
                    .errors
                    .push(format!("{}: {why}; skipped", term::shown(arg))),
            },
        }
    }
    found.sort();
    found.dedup();
    d.sources.extend(found.into_iter().map(Source::File));
    d
}

/// `path` as it is printed.
fn shown(path: &Path) -> String {
    term::shown(&path.display().to_string()).into_owned()
}

/// Walk `root` without recursion (deep trees cannot overflow the stack),
/// skipping [`SKIP_DIRS`] and hidden directories and not following
/// symlinked directories (so no loops). Files with a Dockerfile's name go
/// to `found` when they are regular files within the bound; the others
/// are noted in `d` and skipped.
fn walk(root: &Path, found: &mut Vec<PathBuf>, d: &mut Discovery) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                d.errors.push(format!("{}: {}", shown(&dir), io_reason(&e)));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    d.errors.push(format!("{}: {}", shown(&dir), io_reason(&e)));
                    continue;
                }
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = child(&dir, &entry.file_name());
            let Ok(ty) = entry.file_type() else {
                continue;
            };
            if ty.is_dir() {
                if !name.starts_with('.') && !SKIP_DIRS.contains(&name.as_ref()) {
                    stack.push(path);
                }
            } else if is_dockerfile_name(&name) {
                // What the name leads to (a symlink followed): a symlink
                // to a directory, or a dangling one, is not a Dockerfile.
                match fs::metadata(&path) {
                    Ok(m) if m.is_dir() => {}
                    Ok(m) => match files::check_regular(&m, files::MAX_DOCKERFILE_BYTES) {
                        Ok(()) => found.push(path),
                        Err(why) => d.notes.push(format!("{}: {why}; skipped", shown(&path))),
                    },
                    Err(_) if ty.is_symlink() => {}
                    Err(e) => d
                        .errors
                        .push(format!("{}: {}", shown(&path), io_reason(&e))),
                }
            }
        }
    }
}

/// `dir/name`, without a leading `./` when walking `.`.
fn child(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    if dir == Path::new(".") {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "DOCKERFILE",
            "api.Dockerfile",
            "Dockerfile.dev",
            "Dockerfile.prod.arm64",
            "Containerfile",
            "Containerfile.alpine",
            "web.containerfile",
            "web.Containerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "README.md",
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            ".dockerignore",
            "Dockerfiles",
            "MyDockerfile",
            "Dockerfile.",
            ".Dockerfile",
            "docker-compose.yml",
            "Containerfile~",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
