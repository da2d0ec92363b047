//! The build context as data (`model::context`), the host's snapshot of a
//! directory, completion of context paths after COPY/ADD, and document
//! links to context files.

mod common;
mod support;

use std::sync::Arc;

use berth::host::context as host;
use berth::ide::{CompletionKind, Settings};
use berth::model::context::{BuildContext, Entry, EntryKind, Lookup};
use berth::model::dockerignore::DockerIgnore;
use common::{analysis_with, parse, show};
use support::TempDir;

fn ctx(paths: &[&str], ignore: &str) -> BuildContext {
    let files = paths
        .iter()
        .map(|p| match p.strip_suffix('/') {
            Some(d) => Entry {
                path: d.into(),
                kind: EntryKind::Dir,
            },
            None => Entry {
                path: p.to_string(),
                kind: EntryKind::File,
            },
        })
        .collect();
    BuildContext::new(files, DockerIgnore::parse(ignore), false)
}

fn settings(bc: BuildContext) -> Settings {
    let mut s = Settings::default();
    s.rules.context = Some(Arc::new(bc));
    s
}

const FILES: &[&str] = &[
    "Dockerfile",
    "go.mod",
    "go.sum",
    "cmd/",
    "cmd/api/",
    "cmd/api/main.go",
    "cmd/worker/",
    "internal/",
    "secret.env",
];

#[test]
fn lookup_finds_entries_and_the_missing_part() {
    let bc = ctx(FILES, "");
    assert_eq!(bc.lookup("go.mod", false), Lookup::Found);
    assert_eq!(bc.lookup("/cmd/api/", false), Lookup::Found);
    assert_eq!(bc.lookup(".", false), Lookup::Found);
    assert_eq!(bc.lookup("cmd/*/main.go", true), Lookup::Found);
    assert_eq!(bc.lookup("go.*", true), Lookup::Found);
    assert_eq!(
        bc.lookup("cmd/apj/main.go", false),
        Lookup::Missing {
            parent: "cmd".into(),
            missing: "apj".into(),
            suggestion: Some("cmd/api".into()),
        }
    );
    assert_eq!(
        bc.lookup("cmd/*.go", true),
        Lookup::Missing {
            parent: "cmd".into(),
            missing: "*.go".into(),
            suggestion: None,
        }
    );
    let names: Vec<&str> = bc.children("cmd").map(|(n, _)| n).collect();
    assert_eq!(names, ["api", "worker"]);
    let root: Vec<&str> = bc.children("").map(|(n, _)| n).collect();
    assert_eq!(
        root,
        [
            "Dockerfile",
            "cmd",
            "go.mod",
            "go.sum",
            "internal",
            "secret.env"
        ]
    );
}

#[test]
fn completion_lists_the_directory_typed_so_far() {
    let bc = ctx(FILES, "secret.env\n");
    let items = |fixture: &str| -> Vec<String> {
        let f = parse(fixture);
        let a = analysis_with(&f.text, settings(bc.clone()));
        let mut v: Vec<String> = a
            .completions(f.cursor.unwrap())
            .into_iter()
            .filter(|c| matches!(c.kind, CompletionKind::File | CompletionKind::Folder))
            .map(|c| format!("{} {}", c.label, show(&f.text, c.edit_range)))
            .collect();
        v.sort();
        v
    };
    // Entries of the root, ignored ones left out, directories with `/`.
    assert_eq!(
        items("FROM golang\nCOPY $0\n"),
        [
            "Dockerfile 17..17 ``",
            "cmd/ 17..17 ``",
            "go.mod 17..17 ``",
            "go.sum 17..17 ``",
            "internal/ 17..17 ``",
        ]
    );
    assert_eq!(
        items("FROM golang\nCOPY go.mod cmd/a$0 /src/\n"),
        ["api/ 28..29 `a`"]
    );
    assert_eq!(
        items("FROM golang\nADD ./cmd/api/$0\n"),
        ["main.go 26..26 ``"]
    );
    // Not the destination, not after --from, not in exec form, not RUN.
    assert!(items("FROM golang\nCOPY go.mod g$0\n").is_empty());
    assert!(items("FROM golang\nCOPY --from=build $0\n").is_empty());
    assert!(items("FROM golang\nCOPY [\"$0\n").is_empty());
    assert!(items("FROM golang\nRUN $0\n").is_empty());
    // Without a context: nothing.
    let f = parse("FROM golang\nCOPY $0\n");
    let a = analysis_with(&f.text, Settings::default());
    assert!(a
        .completions(f.cursor.unwrap())
        .iter()
        .all(|c| !matches!(c.kind, CompletionKind::File | CompletionKind::Folder)));
}

#[test]
fn links_point_at_context_entries_only() {
    let f = parse(
        r#"
FROM golang AS build
COPY go.mod go.sum ./
     ^^^^^^ link
            ^^^^^^ link
COPY ./cmd/api/ /src/cmd/api/
     ^^^^^^^^^^ link
COPY cmd/*/main.go missing.go . /src/
COPY --from=build /src/go.mod /x
"#,
    );
    let a = analysis_with(&f.text, settings(ctx(FILES, "")));
    let got: Vec<String> = a
        .context_links()
        .iter()
        .map(|l| format!("{} -> {}", show(&f.text, l.range), l.path))
        .collect();
    let want: Vec<String> = f
        .marks
        .iter()
        .zip(["go.mod", "go.sum", "cmd/api"])
        .map(|((r, _), p)| format!("{} -> {p}", show(&f.text, *r)))
        .collect();
    assert_eq!(got, want);
    let none = analysis_with(&f.text, Settings::default());
    assert!(none.context_links().is_empty());
}

#[test]
fn host_snapshot_lists_everything_and_never_follows_links() {
    let dir = TempDir::new("context-walk");
    dir.write("ctx/Dockerfile", "FROM alpine\n");
    dir.write("ctx/a/b/c.txt", "x");
    dir.write("ctx/.dockerignore", "a\n");
    dir.write("ctx/Dockerfile.dockerignore", "b\n");
    dir.write("outside/secret.txt", "x");
    let root = dir.path().join("ctx");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("outside"), root.join("out")).unwrap();
    let bc = host::snapshot(&root, Some(&root.join("Dockerfile")));
    let paths: Vec<String> = bc
        .files
        .iter()
        .map(|e| {
            let slash = if e.kind == EntryKind::Dir { "/" } else { "" };
            format!("{}{slash}", e.path)
        })
        .collect();
    let mut want = vec![
        ".dockerignore",
        "Dockerfile",
        "Dockerfile.dockerignore",
        "a/",
        "a/b/",
        "a/b/c.txt",
    ];
    if cfg!(unix) {
        want.push("out");
        assert_eq!(bc.entry("out").unwrap().kind, EntryKind::Symlink);
        assert!(host::resolve_inside(&root, "out/secret.txt").is_none());
    }
    assert_eq!(paths, want);
    assert!(!bc.truncated);
    // `<Dockerfile>.dockerignore` beside the Dockerfile wins.
    assert_eq!(bc.ignore, DockerIgnore::parse("b\n"));
    let other = host::snapshot(&root, Some(&root.join("other.Dockerfile")));
    assert_eq!(other.ignore, DockerIgnore::parse("a\n"));
    assert_eq!(
        host::resolve_inside(&root, "a/b/c.txt"),
        Some(root.join("a/b/c.txt"))
    );
    assert!(host::resolve_inside(&root, "../outside/secret.txt").is_none());
    // The walk stops at the limit and says so.
    let small = host::list(&root, 3);
    assert!(small.truncated);
    assert_eq!(small.files.len(), 3);
    // The context directory: the Dockerfile's folder, or the setting
    // relative to it.
    let canon = std::fs::canonicalize(&root).unwrap();
    assert_eq!(
        host::context_dir(&root.join("Dockerfile"), None),
        Some(canon.clone())
    );
    assert_eq!(
        host::context_dir(&root.join("a/Dockerfile"), Some("..")),
        Some(canon)
    );
    assert_eq!(
        host::context_dir(&root.join("Dockerfile"), Some("nope")),
        None
    );
}
