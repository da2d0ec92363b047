//! The `berth` binary, run as a user or a CI job would run it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const BERTH: &str = env!("CARGO_BIN_EXE_berth");

/// A stage name typo: `buidler` on line 5, column 13; `builder` defined on
/// line 1, column 21.
const TYPO: &str = "\
FROM golang:1.23 AS builder
RUN go build -o /app .

FROM scratch
COPY --from=buidler /app /app
";

const CLEAN: &str = "\
FROM golang:1.23 AS builder
RUN go build -o /app .

FROM scratch
COPY --from=builder /app /app
";

/// A unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "berth-cli-{tag}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Write `rel` (creating parent directories) and return its full path.
    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&p, contents).expect("write file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn berth_in(dir: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BERTH);
    cmd.args(args)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let mut child = cmd.spawn().expect("spawn berth");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("wait for berth")
}

fn berth(args: &[&str]) -> Output {
    berth_in(None, args, None)
}

fn code(o: &Output) -> i32 {
    o.status
        .code()
        .expect("berth exited normally, not by a signal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

fn json(o: &Output) -> Vec<Value> {
    match serde_json::from_slice::<Value>(&o.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!("stdout is not a JSON array: {other:?}\n{}", stdout(o)),
    }
}

#[test]
fn clean_file_exits_0_with_a_summary() {
    let t = TempDir::new("clean");
    let f = t.write("Dockerfile", CLEAN);
    let o = berth(&["check", s(&f)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("1 file checked: no problems found"),
        "{}",
        stderr(&o)
    );
    // --quiet drops the summary.
    let o = berth(&["check", "-q", s(&f)]);
    assert_eq!((code(&o), stderr(&o).as_str()), (0, ""));
}

#[test]
fn stage_typo_in_human_format() {
    let t = TempDir::new("human");
    let f = t.write("Dockerfile", TYPO);
    let o = berth(&["check", s(&f)]);
    assert_eq!(code(&o), 1, "a warning fails at the default level");
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "no colors when stdout is a pipe");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("warning[UndefinedStage]: ") && lines[0].contains("`builder`"),
        "{out}"
    );
    assert_eq!(lines[1], format!("  --> {}:5:13", f.display()));
    assert_eq!(lines[2], "   |");
    assert_eq!(lines[3], " 5 | COPY --from=buidler /app /app");
    // The carets sit exactly under `buidler`.
    let col = lines[3].find("buidler").expect("source line shown");
    assert_eq!(lines[4].find('^'), Some(col), "{out}");
    assert_eq!(lines[4].trim_start_matches([' ', '|']), "^^^^^^^");
    assert_eq!(lines[5], "   = also: DL3022");
    assert!(
        lines[6].starts_with(&format!("   = note: {}:1:21: ", f.display())),
        "{out}"
    );
    assert!(
        stderr(&o).contains("1 file checked: 1 warning"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stage_typo_in_json_format() {
    let t = TempDir::new("json");
    let f = t.write("Dockerfile", TYPO);
    let o = berth(&["check", "--format", "json", s(&f)]);
    assert_eq!(code(&o), 1);
    let items = json(&o);
    assert_eq!(items.len(), 1, "{items:?}");
    let d = &items[0];
    assert_eq!(d["file"], s(&f));
    assert_eq!(d["code"], "UndefinedStage");
    assert_eq!(d["aliases"], serde_json::json!(["DL3022"]));
    assert_eq!(d["severity"], "warning");
    assert!(d["message"].as_str().unwrap_or("").contains("`builder`"));
    assert_eq!(
        d["range"],
        serde_json::json!({"start": {"line": 5, "column": 13}, "end": {"line": 5, "column": 20}})
    );
    let at = TYPO.find("buidler").expect("typo in text");
    assert_eq!(
        d["byte_range"],
        serde_json::json!([at, at + "buidler".len()])
    );
    let related = d["related"].as_array().expect("related is an array");
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["file"], s(&f));
    assert_eq!(
        related[0]["range"]["start"],
        serde_json::json!({"line": 1, "column": 21})
    );
    assert!(related[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("builder"));
}

#[test]
fn json_of_a_clean_run_is_an_empty_array() {
    let t = TempDir::new("json-clean");
    let f = t.write("Dockerfile", CLEAN);
    let o = berth(&["check", "--format=json", s(&f)]);
    assert_eq!(code(&o), 0);
    assert!(json(&o).is_empty());
}

#[test]
fn ignore_silences_a_rule_by_code_or_alias() {
    let t = TempDir::new("ignore");
    let f = t.write("Dockerfile", TYPO);
    for flag in [
        "--ignore=UndefinedStage",
        "--ignore=undefinedstage",
        "--ignore=DL3022",
    ] {
        let o = berth(&["check", flag, s(&f)]);
        assert_eq!(code(&o), 0, "{flag}: {}", stdout(&o));
        assert!(!stdout(&o).contains("UndefinedStage"), "{flag}");
    }
    // A code no rule has is worth a warning, not a failure.
    let o = berth(&["check", "--ignore", "NoSuchRule", s(&f)]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("NoSuchRule"), "{}", stderr(&o));
}

#[test]
fn fail_level_decides_exit_code() {
    let t = TempDir::new("fail-level");
    let warn = t.write("warn.Dockerfile", TYPO);
    let err = t.write("err.Dockerfile", "FROM alpine AS a\nFROM alpine AS a\n");
    let run = |level: &str, f: &Path| code(&berth(&["check", "--fail-level", level, s(f)]));
    assert_eq!(run("error", &warn), 0);
    assert_eq!(run("warning", &warn), 1);
    assert_eq!(run("hint", &warn), 1);
    assert_eq!(run("error", &err), 1);
    let o = berth(&["check", "--fail-level", "fatal", s(&warn)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("fatal"));
}

#[test]
fn enable_and_target() {
    let t = TempDir::new("target");
    let f = t.write(
        "Dockerfile",
        "FROM alpine:3.20 AS first\nRUN true\nFROM alpine:3.20 AS second\nRUN true\n",
    );
    // UnusedStage is an editor hint: off in the CLI unless enabled.
    let o = berth(&["check", "--format=json", s(&f)]);
    assert!(json(&o).is_empty());
    let unused = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["check", "--format=json", "--enable", "UnusedStage"];
        args.extend_from_slice(extra);
        args.push(s(&f));
        let o = berth(&args);
        json(&o)
            .iter()
            .filter(|d| d["code"] == "UnusedStage")
            .map(|d| d["message"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let default_target = unused(&[]);
    assert_eq!(default_target.len(), 1);
    assert!(default_target[0].contains("`first`"), "{default_target:?}");
    let first_as_target = unused(&["--target", "first"]);
    assert_eq!(first_as_target.len(), 1);
    assert!(
        first_as_target[0].contains("`second`"),
        "{first_as_target:?}"
    );
    // A target no stage has: said on stderr.
    let o = berth(&["check", "--target", "nope", s(&f)]);
    assert!(stderr(&o).contains("nope"), "{}", stderr(&o));
}

#[test]
fn directory_walk_finds_dockerfiles_and_skips_the_rest() {
    let t = TempDir::new("walk");
    for rel in [
        "Dockerfile",
        "api.Dockerfile",
        "Dockerfile.dev",
        "Containerfile",
        "deep/er/web.containerfile",
        // Not Dockerfiles, or in directories that are skipped:
        "README.md",
        "Dockerfile.dockerignore",
        "node_modules/pkg/Dockerfile",
        ".hidden/Dockerfile",
        ".git/Dockerfile",
        "target/Dockerfile",
    ] {
        t.write(rel, TYPO);
    }
    #[cfg(unix)]
    {
        // A symlinked directory is not followed.
        let outside = TempDir::new("walk-outside");
        outside.write("linked/Dockerfile", TYPO);
        std::os::unix::fs::symlink(outside.path().join("linked"), t.path().join("link"))
            .expect("symlink");
        let o = berth_in(Some(t.path()), &["check", "--format", "json", "."], None);
        assert!(!stdout(&o).contains("link"), "{}", stdout(&o));
    }
    let o = berth_in(Some(t.path()), &["check", "--format", "json", "."], None);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let files: Vec<String> = json(&o)
        .iter()
        .map(|d| d["file"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        files,
        [
            "Containerfile",
            "Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "deep/er/web.containerfile",
        ]
    );
    assert!(stderr(&o).contains("5 files checked"), "{}", stderr(&o));

    // The same through the human format, with the directory given by path.
    let o = berth(&["check", s(t.path())]);
    let out = stdout(&o);
    assert_eq!(out.matches("warning[UndefinedStage]").count(), 5, "{out}");
    assert!(
        !out.contains("node_modules") && !out.contains("README"),
        "{out}"
    );
    // Deterministic: a second run prints the same.
    assert_eq!(stdout(&berth(&["check", s(t.path())])), out);
}

#[test]
fn a_file_named_explicitly_is_checked_whatever_its_name() {
    let t = TempDir::new("explicit");
    let f = t.write("build-spec.txt", TYPO);
    let o = berth(&["check", s(&f)]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("build-spec.txt:5:13"), "{}", stdout(&o));
}

#[test]
fn invalid_utf8_is_reported_and_the_others_still_checked() {
    let t = TempDir::new("utf8");
    let bad = t.write("bad.Dockerfile", b"FROM alpine\nRUN echo \xff\n");
    let good = t.write("good.Dockerfile", TYPO);
    let o = berth(&["check", s(t.path())]);
    assert_eq!(code(&o), 2, "IO/decoding errors win over findings");
    let err = stderr(&o);
    assert!(
        err.contains(&format!("berth: {}: ", bad.display())),
        "{err}"
    );
    assert!(err.contains("UTF-8") && err.contains("line 2"), "{err}");
    assert!(
        stdout(&o).contains(&format!("{}:5:13", good.display())),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_missing_file_is_an_error_but_the_others_are_checked() {
    let t = TempDir::new("missing");
    let good = t.write("Dockerfile", TYPO);
    let missing = t.path().join("nope/Dockerfile");
    let o = berth(&["check", "--format=json", s(&missing), s(&good)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains(s(&missing)), "{}", stderr(&o));
    assert_eq!(json(&o).len(), 1);
}

#[test]
fn stdin_is_read_for_dash() {
    let o = berth_in(None, &["check", "-"], Some(TYPO));
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("<stdin>:5:13"), "{}", stdout(&o));
}

#[test]
fn bom_and_crlf_do_not_move_columns() {
    let t = TempDir::new("bom");
    let text = format!("\u{feff}{}", TYPO.replace('\n', "\r\n"));
    let f = t.write("Dockerfile", text);
    let o = berth(&["check", "--format=json", s(&f)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let items = json(&o);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        items[0]["range"]["start"],
        serde_json::json!({"line": 5, "column": 13})
    );
    assert_eq!(
        items[0]["related"][0]["range"]["start"],
        serde_json::json!({"line": 1, "column": 21})
    );
    let o = berth(&["check", s(&f)]);
    assert!(stdout(&o).contains(" 5 | COPY --from=buidler /app /app\n"));
}

#[test]
fn usage_errors_exit_2() {
    let t = TempDir::new("usage");
    let f = t.write("Dockerfile", CLEAN);
    let o = berth(&["check", "--frobnicate", s(&f)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--frobnicate"), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");

    let o = berth(&["check"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("Usage: berth check"), "{}", stderr(&o));

    let o = berth(&["check", "--format"]);
    assert_eq!(code(&o), 2);

    let o = berth(&[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("Usage:"));

    let o = berth(&["frobnicate"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("frobnicate"));

    let o = berth(&["lsp", "--tcp"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--tcp"));
}

#[test]
fn version_and_help() {
    let o = berth(&["--version"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o).trim_end(),
        format!("berth {}", env!("CARGO_PKG_VERSION"))
    );
    let o = berth(&["--help"]);
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    for cmd in ["check", "fix", "fmt", "rules", "lsp", "--stdio"] {
        assert!(help.contains(cmd), "help lists {cmd}:\n{help}");
    }
    let o = berth(&["check", "--help"]);
    assert_eq!(code(&o), 0);
    for opt in [
        "--format",
        "--fail-level",
        "--target",
        "--ignore",
        "--enable",
        "--no-color",
    ] {
        assert!(stdout(&o).contains(opt), "check help lists {opt}");
    }
}

#[test]
fn rules_lists_the_catalog() {
    let o = berth(&["rules"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    let header = out.lines().next().unwrap_or("");
    let cols: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(cols, ["CODE", "ALIASES", "SEVERITY", "DEFAULT", "SUMMARY"]);
    let row = out
        .lines()
        .find(|l| l.starts_with("DuplicateStageName "))
        .unwrap_or_else(|| panic!("no DuplicateStageName row:\n{out}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1], "DL3024", "{row}");
    assert!(out.lines().any(|l| l.starts_with("UndefinedStage ")));
}

#[test]
fn rules_shows_one_rule_by_code_or_alias() {
    for code_or_alias in ["dl3024", "DuplicateStageName", "duplicatestagename"] {
        let o = berth(&["rules", code_or_alias]);
        assert_eq!(code(&o), 0, "{code_or_alias}");
        let out = stdout(&o);
        assert!(out.starts_with("# DuplicateStageName\n"), "{out}");
        assert!(out.contains("DL3024"));
        for section in ["## What", "## Why", "## Example", "## Fix"] {
            assert!(out.contains(section), "{section} in:\n{out}");
        }
    }
    let o = berth(&["rules", "DuplicateStageNam"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("DuplicateStageName"), "{}", stderr(&o));
    let o = berth(&["rules", "qqqqqqqqqqqqqqqq"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("qqqqqqqqqqqqqqqq"));
}

#[test]
fn shared_examples_never_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} is absent", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "Dockerfile"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    for f in &files {
        let o = berth(&["check", "--format", "json", s(f)]);
        let c = code(&o);
        assert!(
            c == 0 || c == 1,
            "{}: exit {c}\n{}",
            f.display(),
            stderr(&o)
        );
        // Every finding is well formed.
        for d in json(&o) {
            assert_eq!(d["file"], s(f));
            assert!(d["code"].is_string() && d["message"].is_string());
            assert!(d["range"]["start"]["line"].as_u64().unwrap_or(0) >= 1);
            assert!(d["range"]["start"]["column"].as_u64().unwrap_or(0) >= 1);
        }
    }
}

#[test]
fn one_file_cannot_take_the_run_down() {
    // `${A` followed by a non-ASCII char panicked in the variable scanner
    // when this was written; whatever the library does with it, the other
    // file is still reported and berth exits with a code, not a crash.
    let t = TempDir::new("isolation");
    t.write("a.Dockerfile", "FROM alpine\nRUN echo ${A\u{e9}}\n");
    let good = t.write("b.Dockerfile", TYPO);
    let o = berth(&["check", s(t.path())]);
    assert!((0..=2).contains(&code(&o)), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("{}:5:13", good.display())),
        "{}",
        stdout(&o)
    );
}
