//! `berth fmt`: in-place writes, `--check`, `--diff`, stdin, and files that
//! cannot be read.

mod support;

use support::{berth_in, code, run, stderr, stdout, TempDir};

const UGLY: &str = "from alpine:3.20 as build\nrun apk add curl \\\n  && true  \n";
const PRETTY: &str = "FROM alpine:3.20 AS build\nRUN apk add curl \\\n    && true\n";

#[test]
fn formats_files_in_place() {
    let dir = TempDir::new("fmt-write");
    let ugly = dir.write("Dockerfile", UGLY);
    let pretty = dir.write("sub/api.Dockerfile", PRETTY);
    dir.write("sub/notes.txt", UGLY);
    let o = berth_in(dir.path(), &["fmt"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&ugly).unwrap(), PRETTY);
    assert_eq!(std::fs::read_to_string(&pretty).unwrap(), PRETTY);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sub/notes.txt")).unwrap(),
        UGLY,
        "not a Dockerfile name: not walked"
    );
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("1 file reformatted, 1 file already formatted"),
        "{}",
        stderr(&o)
    );
    // Nothing left over beside the files.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(".git"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn crlf_files_are_written_back_crlf() {
    let dir = TempDir::new("fmt-crlf");
    let p = dir.write("Dockerfile", "from a \r\nrun echo hi");
    let o = berth_in(dir.path(), &["fmt", "Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "FROM a\r\nRUN echo hi\r\n"
    );
}

#[test]
fn check_lists_unformatted_files_and_exits_1() {
    let dir = TempDir::new("fmt-check");
    let ugly = dir.write("Dockerfile", UGLY);
    dir.write("b/Dockerfile", PRETTY);
    let o = berth_in(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), "Dockerfile\n");
    assert!(
        stderr(&o).contains("1 file would be reformatted"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&ugly).unwrap(),
        UGLY,
        "--check writes nothing"
    );

    let o = berth_in(dir.path(), &["fmt", "--check", "b"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = TempDir::new("fmt-diff");
    let ugly = dir.write("Dockerfile", UGLY);
    let o = berth_in(dir.path(), &["fmt", "--diff", "-q", "Dockerfile"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n\
         -from alpine:3.20 as build\n-run apk add curl \\\n-  && true  \n\
         +FROM alpine:3.20 AS build\n+RUN apk add curl \\\n+    && true\n"
    );
    assert_eq!(stderr(&o), "", "--quiet: no summary");
    assert_eq!(std::fs::read_to_string(&ugly).unwrap(), UGLY);
}

#[test]
fn stdin_goes_to_stdout() {
    let o = run(None, &["fmt", "-"], &[], Some(UGLY));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), PRETTY);
    let o = run(None, &["fmt", "--check", "-"], &[], Some(UGLY));
    assert_eq!(code(&o), 1);
    assert_eq!(stdout(&o), "<stdin>\n");
    let o = run(None, &["fmt", "--check", "-"], &[], Some(PRETTY));
    assert_eq!(code(&o), 0);
}

#[test]
fn unreadable_files_exit_2_and_the_others_are_still_formatted() {
    let dir = TempDir::new("fmt-bad");
    let ugly = dir.write("Dockerfile", UGLY);
    dir.write("bad.Dockerfile", b"FROM a\n\xff\xfe\n");
    let o = berth_in(
        dir.path(),
        &["fmt", "missing.Dockerfile", "bad.Dockerfile", "Dockerfile"],
    );
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("missing.Dockerfile:"), "{err}");
    assert!(err.contains("bad.Dockerfile: not UTF-8 text"), "{err}");
    assert_eq!(std::fs::read_to_string(&ugly).unwrap(), PRETTY);
}

#[test]
fn help_and_usage_errors() {
    let dir = TempDir::new("fmt-help");
    let o = berth_in(dir.path(), &["fmt", "--help"]);
    assert_eq!(code(&o), 0);
    for opt in ["--check", "--diff", "stdin"] {
        assert!(stdout(&o).contains(opt), "{opt}: {}", stdout(&o));
    }
    let o = berth_in(dir.path(), &["help", "fmt"]);
    assert!(stdout(&o).contains("--check"));
    let o = berth_in(dir.path(), &["--help"]);
    assert!(
        stdout(&o).contains("fmt [OPTIONS] [PATH...]"),
        "{}",
        stdout(&o)
    );
    let o = berth_in(dir.path(), &["fmt", "--bogus"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--bogus"));
}
