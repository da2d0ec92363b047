//! The source repositories, read through `git` (no work tree needed): the
//! script hands over each repository's git directory and the commit it is
//! pinned at.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

/// One source repository: `owner/name`, its git directory, the pinned commit.
#[derive(Clone, Debug)]
pub struct Repo {
    pub name: String,
    pub git_dir: PathBuf,
    pub commit: String,
}

impl Repo {
    /// The file at `rev:path`, if both exist.
    pub fn show(&self, rev: &str, path: &str) -> Option<String> {
        let out = Command::new("git")
            .arg("--git-dir")
            .arg(&self.git_dir)
            .args(["show", &format!("{rev}:{path}")])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The file as of the pinned commit.
    pub fn read(&self, path: &str) -> Option<String> {
        self.show(&self.commit, path)
    }

    /// Names in the directory `path` at the pinned commit.
    pub fn list(&self, path: &str) -> Vec<String> {
        let Ok(out) = Command::new("git")
            .arg("--git-dir")
            .arg(&self.git_dir)
            .args(["ls-tree", "--name-only", &format!("{}:{path}", self.commit)])
            .output()
        else {
            return Vec::new();
        };
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// The repositories of the manifest, by lower-cased `owner/name`.
pub struct Sources {
    pub repos: Vec<Repo>,
    by_name: HashMap<String, usize>,
}

impl Sources {
    /// Reads the manifest the script writes: `owner/name<TAB>git-dir<TAB>commit`
    /// a line.
    pub fn parse(text: &str) -> Sources {
        let mut repos = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let mut parts = line.split('\t');
            if let (Some(name), Some(dir), Some(commit)) =
                (parts.next(), parts.next(), parts.next())
            {
                repos.push(Repo {
                    name: name.to_string(),
                    git_dir: PathBuf::from(dir),
                    commit: commit.to_string(),
                });
            }
        }
        let by_name = repos
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.to_ascii_lowercase(), i))
            .collect();
        Sources { repos, by_name }
    }

    pub fn get(&self, name: &str) -> Option<&Repo> {
        self.by_name
            .get(&name.to_ascii_lowercase())
            .map(|&i| &self.repos[i])
    }

    /// The repository a library file's `GitRepo:` URL names
    /// (`https://github.com/docker-library/python.git`).
    pub fn by_url(&self, url: &str) -> Option<&Repo> {
        let path = url
            .trim()
            .trim_end_matches('/')
            .trim_end_matches(".git")
            .strip_prefix("https://github.com/")?;
        self.get(path).or_else(|| {
            // Renamed repositories answer under both names on GitHub.
            RENAMED
                .iter()
                .find(|(old, _)| old.eq_ignore_ascii_case(path))
                .and_then(|(_, new)| self.get(new))
        })
    }
}

/// GitHub redirects these; the manifest may hold either name.
const RENAMED: &[(&str, &str)] = &[
    ("nginx/docker-nginx", "nginxinc/docker-nginx"),
    ("nginxinc/docker-nginx", "nginx/docker-nginx"),
    ("rust-lang-nursery/docker-rust", "rust-lang/docker-rust"),
];
