//! docker-library/official-images `library/<name>` files: which tags each
//! Dockerfile directory is published under.
//!
//! The format is RFC 2822-like: a header block (`GitRepo:`, `Builder:`...)
//! and one block per image entry, separated by blank lines; keys may carry
//! an architecture prefix (`amd64-GitCommit:`), which berth ignores.

#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub tags: Vec<String>,
    pub shared_tags: Vec<String>,
    pub git_repo: String,
    pub git_commit: String,
    pub directory: String,
    pub file: String,
    pub builder: String,
    pub architectures: Vec<String>,
}

impl Entry {
    /// Tags first, then shared tags (a shared tag is also published by
    /// another entry, e.g. the Windows build of `latest`).
    pub fn all_tags(&self) -> impl Iterator<Item = &String> {
        self.tags.iter().chain(&self.shared_tags)
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Entries of one library file, each with the header's defaults filled in.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut header = Entry::default();
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let mut last_key = String::new();
    let flush = |cur: &mut Option<Entry>, entries: &mut Vec<Entry>| {
        if let Some(e) = cur.take() {
            if !e.tags.is_empty() || !e.shared_tags.is_empty() {
                entries.push(e);
            }
        }
    };
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut current, &mut entries);
            continue;
        }
        // A continuation line (Maintainers: spread over lines).
        let (key, value) = if line.starts_with([' ', '\t']) {
            (last_key.clone(), line.trim())
        } else {
            match line.split_once(':') {
                Some((k, v)) => (k.trim().to_string(), v.trim()),
                None => continue,
            }
        };
        last_key = key.clone();
        let target = match (&mut current, key.as_str()) {
            (None, "Tags" | "SharedTags") => current.insert(header.clone()),
            (Some(e), _) => e,
            (None, _) => &mut header,
        };
        match key.as_str() {
            "Tags" => target.tags.extend(list(value)),
            "SharedTags" => target.shared_tags.extend(list(value)),
            "GitRepo" => target.git_repo = value.to_string(),
            "GitCommit" => target.git_commit = value.to_string(),
            "Directory" => target.directory = value.to_string(),
            "File" => target.file = value.to_string(),
            "Builder" => target.builder = value.to_string(),
            "Architectures" => target.architectures = list(value),
            _ => {}
        }
    }
    flush(&mut current, &mut entries);
    entries
}

#[cfg(test)]
mod tests {
    #[test]
    fn entries_inherit_the_header() {
        let text = "Maintainers: A (@a),\n  B (@b)\nGitRepo: https://github.com/x/y.git\n\n\
                    Tags: 1.2.3, 1.2\nSharedTags: latest\nGitCommit: abc\nDirectory: 1.2/bookworm\n\n\
                    Tags: 1.2-alpine\nGitRepo: https://github.com/x/z.git\nBuilder: oci-import\nFile: index.json\n";
        let e = super::parse(text);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].tags, ["1.2.3", "1.2"]);
        assert_eq!(e[0].shared_tags, ["latest"]);
        assert_eq!(e[0].git_repo, "https://github.com/x/y.git");
        assert_eq!(e[0].directory, "1.2/bookworm");
        assert_eq!(e[1].git_repo, "https://github.com/x/z.git");
    }
}
