//! The rules that read the build context: `CopySourceMissing` (berth's)
//! and `CopyIgnoredFile` (BuildKit's check), on hand-written contexts, and
//! through `berth check` on a context on disk.

mod common;
mod support;

use std::sync::Arc;

use berth::ide::Settings;
use berth::model::context::{BuildContext, Entry, EntryKind};
use berth::model::dockerignore::DockerIgnore;
use common::{analysis_with, check_rule_with};
use support::{berth_in, code, stdout, TempDir};

/// A context from `paths` (a trailing `/` marks a directory, `@` a
/// symbolic link) and a .dockerignore text.
fn context(paths: &[&str], ignore: &str) -> Settings {
    let files = paths
        .iter()
        .map(|p| {
            let (path, kind) = if let Some(d) = p.strip_suffix('/') {
                (d, EntryKind::Dir)
            } else if let Some(l) = p.strip_suffix('@') {
                (l, EntryKind::Symlink)
            } else {
                (*p, EntryKind::File)
            };
            Entry {
                path: path.to_string(),
                kind,
            }
        })
        .collect();
    let mut s = Settings::default();
    s.rules.context = Some(Arc::new(BuildContext::new(
        files,
        DockerIgnore::parse(ignore),
        false,
    )));
    s
}

const FILES: &[&str] = &[
    "Dockerfile",
    "requirements.txt",
    "src/",
    "src/app.py",
    "src/util.py",
    "static/",
    "static/logo.png",
    "vendor@",
    ".env",
];

fn messages(settings: Settings, code: &str, text: &str) -> String {
    analysis_with(text, settings)
        .diagnostics()
        .iter()
        .filter(|d| d.code == code)
        .map(|d| format!("`{}`: {}", d.range.slice(text), d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn copy_source_missing_marks_missing_sources() {
    check_rule_with(
        context(FILES, ""),
        "CopySourceMissing",
        r#"
FROM python:3.12 AS build
COPY requirments.txt ./
     ^^^^^^^^^^^^^^^ CopySourceMissing
COPY requirements.txt ./requirements.txt
COPY src/ap.py src/util.py /app/
     ^^^^^^^^^ CopySourceMissing
COPY ./src ../static /app/
COPY src/*.py /app/
COPY src/*.js /app/
     ^^^^^^^^ CopySourceMissing
ADD https://example.com/x.tgz /x
COPY --from=build /nowhere /x
COPY <<EOF /etc/conf
hello
EOF
COPY vendor/lib/x.so /lib/
COPY $UNKNOWN /x
COPY . .
COPY ["src/main.py", "/app/"]
      ^^^^^^^^^^^^^ CopySourceMissing
"#,
    );
}

#[test]
fn copy_source_missing_says_what_is_missing() {
    let text = "FROM alpine\nCOPY requirments.txt .\nCOPY src/ap.py .\nCOPY src/app.py/x .\nCOPY lib/a.so .\nCOPY static/*.svg .\n";
    assert_eq!(
        messages(context(FILES, ""), "CopySourceMissing", text),
        "`requirments.txt`: `requirments.txt` is not in the build context; did you mean `requirements.txt`?
`src/ap.py`: `src/ap.py` is not in the build context: `src/` has no `ap.py`; did you mean `src/app.py`?
`src/app.py/x`: `src/app.py/x` is not in the build context: `src/app.py` is a file
`lib/a.so`: `lib` is not in the build context
`static/*.svg`: No path in the build context matches `static/*.svg`"
    );
}

#[test]
fn copy_source_missing_expands_known_variables() {
    let text = "FROM scratch\nENV DIR=src\nCOPY ${DIR}/app.py /\nCOPY $DIR/main.py /\nARG FILE=nope\nCOPY $FILE /\n";
    assert_eq!(
        messages(context(FILES, ""), "CopySourceMissing", text),
        "`$DIR/main.py`: `src/main.py` is not in the build context: `src/` has no `main.py`"
    );
}

#[test]
fn no_context_or_truncated_context_reports_nothing() {
    let text = "FROM alpine\nCOPY missing.txt .\n";
    assert_eq!(messages(Settings::default(), "CopySourceMissing", text), "");
    let mut s = Settings::default();
    s.rules.context = Some(Arc::new(BuildContext::new(
        Vec::new(),
        DockerIgnore::default(),
        true,
    )));
    assert_eq!(messages(s, "CopySourceMissing", text), "");
}

#[test]
fn copy_ignored_file_follows_buildkit() {
    // BuildKit's own test: `Dockerfile` ignored, copied by COPY and ADD.
    let text =
        "FROM scratch\nCOPY Dockerfile .\nADD ./Dockerfile /windy\nCOPY src/app.py /\nCOPY . .\n";
    assert_eq!(
        messages(context(FILES, "\nDockerfile\n"), "CopyIgnoredFile", text),
        "`Dockerfile`: Attempting to Copy file \"Dockerfile\" that is excluded by .dockerignore
`./Dockerfile`: Attempting to Add file \"Dockerfile\" that is excluded by .dockerignore"
    );
    // A parent directory matching is enough.
    check_rule_with(
        context(FILES, "src\n"),
        "CopyIgnoredFile",
        r#"
FROM alpine
COPY src/app.py /app/
     ^^^^^^^^^^ CopyIgnoredFile
COPY src /app/
     ^^^ CopyIgnoredFile
COPY static /app/
COPY --from=alpine src/app.py /x
"#,
    );
    // The context root only when everything at it is ignored.
    let root = "FROM alpine\nCOPY . .\n";
    assert_eq!(
        messages(context(FILES, ".*\n"), "CopyIgnoredFile", root),
        ""
    );
    assert_eq!(
        messages(context(FILES, "*\n"), "CopyIgnoredFile", root),
        "`.`: Attempting to Copy file \".\" that is excluded by .dockerignore"
    );
}

#[test]
fn copy_ignored_file_with_exceptions_reports_only_excluded_files() {
    // `**` then `!Dockerfile`: BuildKit stays silent; the file is included.
    let text = "FROM scratch\nCOPY ./Dockerfile .\nCOPY .env .\nCOPY src /src\n";
    assert_eq!(
        messages(context(FILES, "**\n!Dockerfile\n"), "CopyIgnoredFile", text),
        "`.env`: Attempting to Copy file \".env\" that is excluded by .dockerignore"
    );
}

#[test]
fn both_rules_are_on_by_default_in_check_with_the_files_context() {
    let dir = TempDir::new("rules-context");
    dir.write(
        "app/Dockerfile",
        "FROM alpine:3.20\nCOPY main.go go.sum /src/\nCOPY secret.key /src/\n",
    );
    dir.write("app/main.go", "package main\n");
    dir.write("app/secret.key", "x\n");
    dir.write("app/.dockerignore", "*.key\n");
    let o = berth_in(
        dir.path(),
        &[
            "check",
            "--no-shellcheck",
            "--format",
            "gnu",
            "app/Dockerfile",
        ],
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}");
    assert!(
        out.contains("CopySourceMissing") && out.contains("`go.sum` is not in the build context"),
        "{out}"
    );
    assert!(
        out.contains("Attempting to Copy file \"secret.key\""),
        "{out}"
    );
    assert!(!out.contains("main.go"), "{out}");

    // `--context` (relative to the current directory) moves the context.
    dir.write("ctx/go.sum", "");
    dir.write("ctx/main.go", "");
    dir.write("ctx/secret.key", "");
    let o = berth_in(
        dir.path(),
        &[
            "check",
            "--no-shellcheck",
            "--format",
            "gnu",
            "--context",
            "ctx",
            "app/Dockerfile",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = berth_in(
        dir.path(),
        &["check", "--context", "nope", "app/Dockerfile"],
    );
    assert_eq!(code(&o), 2);
    assert!(support::stderr(&o).contains("--context nope: not a directory"));
}
