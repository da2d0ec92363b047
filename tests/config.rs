//! `.hadolint.yaml` for `berth check`: found upward from each file, or
//! given with `--config`; its settings, and its errors.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{berth_in, code, run, stderr, stdout, TempDir};

/// One warning: UndefinedStage (also DL3022) on line 3, and nothing else
/// a CLI run reports (UnusedStage is editor-only).
const TYPO: &str = "FROM alpine:3.20 AS builder\nFROM scratch\nCOPY --from=buidler /x /x\n";

fn findings(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String)>, String) {
    let mut all = vec!["check", "--format", "json", "--no-shellcheck"];
    all.extend_from_slice(args);
    let o = berth_in(dir, &all);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}\n{}", stdout(&o), stderr(&o)));
    // Only the rule these tests configure.
    let list = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "UndefinedStage")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (code(&o), list, stderr(&o))
}

fn typo() -> Vec<(String, String)> {
    vec![("UndefinedStage".into(), "warning".into())]
}

#[test]
fn found_upward_from_each_file() {
    let t = TempDir::new("cfg-up");
    t.write(".hadolint.yaml", "ignored:\n  - DL3022\n");
    t.write("svc/api/Dockerfile", TYPO);
    t.write("svc/web/Dockerfile", TYPO);
    // A nearer file wins for the files under it.
    t.write(
        "svc/web/.hadolint.yml",
        "override:\n  error: [UndefinedStage]\n",
    );
    let (c, f, err) = findings(t.path(), &["svc/api/Dockerfile"]);
    assert_eq!((c, f), (0, vec![]), "{err}");
    let (c, f, _) = findings(t.path(), &["svc/web/Dockerfile"]);
    assert_eq!((c, f), (1, vec![("UndefinedStage".into(), "error".into())]));
    // From inside the tree, relative paths work the same.
    let (c, f, _) = findings(&t.path().join("svc/api"), &["Dockerfile"]);
    assert_eq!((c, f), (0, vec![]));
    // stdin: the current directory's file.
    let o = run(
        Some(&t.path().join("svc/api")),
        &["check", "--format", "json", "--no-shellcheck", "-"],
        &[],
        Some(TYPO),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn the_search_stops_at_the_top_of_a_git_work_tree() {
    let t = TempDir::new("cfg-git");
    t.write(".hadolint.yaml", "ignored: [UndefinedStage]\n");
    std::fs::create_dir_all(t.path().join("repo/.git")).unwrap();
    t.write("repo/sub/Dockerfile", TYPO);
    let (c, f, _) = findings(t.path(), &["repo/sub/Dockerfile"]);
    assert_eq!((c, f), (1, typo()));
    // The repository root's own file is read.
    t.write("repo/.hadolint.yaml", "ignored: [UndefinedStage]\n");
    let (c, f, _) = findings(t.path(), &["repo/sub/Dockerfile"]);
    assert_eq!((c, f), (0, vec![]));
}

#[test]
fn explicit_config_replaces_the_search() {
    let t = TempDir::new("cfg-explicit");
    t.write(".hadolint.yaml", "ignored: [UndefinedStage]\n");
    t.write("ci/strict.yaml", "override:\n  info: [DL3022]\n");
    t.write("Dockerfile", TYPO);
    let (c, f, err) = findings(t.path(), &["--config", "ci/strict.yaml", "Dockerfile"]);
    // Info does not fail at the default level.
    assert_eq!(
        (c, f),
        (0, vec![("UndefinedStage".into(), "info".into())]),
        "{err}"
    );
    let o = berth_in(
        t.path(),
        &["check", "--config", "missing.yaml", "Dockerfile"],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing.yaml: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn style_is_info_and_the_command_line_wins() {
    let t = TempDir::new("cfg-style");
    t.write(".hadolint.yaml", "override:\n  style: [DL3022]\n");
    t.write("Dockerfile", TYPO);
    let (_, f, _) = findings(t.path(), &["Dockerfile"]);
    assert_eq!(f, vec![("UndefinedStage".into(), "info".into())]);
    let (_, f, _) = findings(t.path(), &["--ignore", "UndefinedStage", "Dockerfile"]);
    assert_eq!(f, vec![]);
}

#[test]
fn failure_threshold_and_no_fail() {
    let t = TempDir::new("cfg-fail");
    t.write("Dockerfile", TYPO);
    t.write(".hadolint.yaml", "failure-threshold: error\n");
    let (c, f, _) = findings(t.path(), &["Dockerfile"]);
    assert_eq!((c, f), (0, typo()), "a warning under an error threshold");
    // --fail-level on the command line wins over the file.
    let (c, _, _) = findings(t.path(), &["--fail-level", "warning", "Dockerfile"]);
    assert_eq!(c, 1);
    t.write(".hadolint.yaml", "failure-threshold: style\n");
    let (c, _, _) = findings(t.path(), &["Dockerfile"]);
    assert_eq!(c, 1);
    t.write(".hadolint.yaml", "no-fail: true\n");
    let (c, f, _) = findings(t.path(), &["Dockerfile"]);
    assert_eq!((c, f), (0, typo()));
    t.write(".hadolint.yaml", "ignored: []\n");
    let (c, _, _) = findings(t.path(), &["--no-fail", "Dockerfile"]);
    assert_eq!(c, 0);
}

#[test]
fn a_broken_file_is_exit_2_with_its_name_and_line() {
    let t = TempDir::new("cfg-bad");
    t.write(
        "a/.hadolint.yaml",
        "ignored:\n  - DL3022\nno-fail: sometimes\n",
    );
    t.write("a/Dockerfile", TYPO);
    t.write("a/b/Dockerfile", TYPO);
    t.write("ok/Dockerfile", TYPO);
    let o = berth_in(t.path(), &["check", "--no-shellcheck", "."]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    let want = format!(
        "berth: {}:3: `no-fail` must be true or false",
        t.path().join("a/.hadolint.yaml").display()
    );
    // Said once, though two files are under it; the other file is checked.
    assert_eq!(err.matches(&want).count(), 1, "{err}");
    assert!(
        err.contains("1 file checked: 1 warning; 2 files could not be checked"),
        "{err}"
    );
    // YAML syntax errors have a line too.
    t.write("a/.hadolint.yaml", "ignored: [DL3022\n");
    let o = berth_in(t.path(), &["check", "a/Dockerfile"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(".hadolint.yaml:2: not valid YAML"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_keys_are_warnings() {
    let t = TempDir::new("cfg-unknown");
    t.write(".hadolint.yaml", "ignore:\n  - DL3022\n");
    t.write("Dockerfile", TYPO);
    t.write("sub/Dockerfile", TYPO);
    let (c, f, err) = findings(t.path(), &["."]);
    assert_eq!((c, f.len()), (1, 2));
    // Said once, though two files are under it.
    assert_eq!(err.matches("unknown key `ignore`").count(), 1, "{err}");
}
