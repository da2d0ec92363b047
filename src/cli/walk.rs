//! Finding the files to check: explicit files, directories walked for
//! Dockerfile-like names, and `-` for stdin.

use std::fs;
use std::path::{Path, PathBuf};

use super::io_reason;

/// One input to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    /// The name printed in findings and messages.
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// The files to check, in a deterministic order (stdin first, then paths
/// sorted component by component, each once), and the paths that could not
/// be read, as messages.
#[derive(Debug, Default)]
pub struct Discovery {
    pub sources: Vec<Source>,
    pub errors: Vec<String>,
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
    let mut files = Vec::new();
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
            Err(e) => d.errors.push(format!("{arg}: {}", io_reason(&e))),
            Ok(m) if m.is_dir() => walk(&path, &mut files, &mut d.errors),
            // A file named explicitly is checked whatever its name.
            Ok(_) => files.push(path),
        }
    }
    files.sort();
    files.dedup();
    d.sources.extend(files.into_iter().map(Source::File));
    d
}

/// Walk `root` without recursion (deep trees cannot overflow the stack),
/// skipping [`SKIP_DIRS`] and hidden directories and not following
/// symlinked directories (so no loops).
fn walk(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("{}: {}", dir.display(), io_reason(&e)));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(format!("{}: {}", dir.display(), io_reason(&e)));
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
                if ty.is_symlink() {
                    // A symlink to a file counts; to a directory, or dangling, not.
                    match fs::metadata(&path) {
                        Ok(m) if m.is_file() => files.push(path),
                        _ => {}
                    }
                } else {
                    files.push(path);
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
