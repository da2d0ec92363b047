//! Quick fixes attached to diagnostics, `ide::fix_all`, and `berth fix`.

mod common;

use std::path::Path;

use berth::rules::Safety;
use berth::text::apply_edits;

/// Apply the first fix of the first `code` diagnostic of `before`; the
/// result must be `after`, keep the file's quality, and have one `code`
/// finding fewer.
fn check_fix(code: &str, safety: Safety, before: &str, after: &str) {
    let before = before.strip_prefix('\n').unwrap_or(before);
    let after = after.strip_prefix('\n').unwrap_or(after);
    let mut settings = berth::ide::Settings::default();
    settings.rules.enable.push(code.to_string());
    let a = common::analysis_with(before, settings.clone());
    let count =
        |a: &berth::ide::Analysis| a.diagnostics().iter().filter(|d| d.code == code).count();
    let Some(d) = a.diagnostics().iter().find(|d| d.code == code) else {
        panic!("no {code} in:\n{before}");
    };
    let Some(fix) = d.fixes.first() else {
        panic!("{code} has no fix in:\n{before}");
    };
    assert_eq!(fix.safety, safety, "{}", fix.label);
    assert!(!fix.label.is_empty());
    let result = apply_edits(before, &fix.edits).expect("edits apply");
    assert_eq!(result, after, "{code} fix `{}` on:\n{before}", fix.label);
    common::assert_keeps_quality(before, &result);
    let b = common::analysis_with(&result, settings);
    assert!(
        count(&b) < count(&a),
        "{code} still there after the fix:\n{result}"
    );
}

fn check_no_fix(code: &str, text: &str) {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let mut settings = berth::ide::Settings::default();
    settings.rules.enable.push(code.to_string());
    let a = common::analysis_with(text, settings);
    let d = a.diagnostics().iter().find(|d| d.code == code);
    let d = d.unwrap_or_else(|| panic!("no {code} in:\n{text}"));
    assert!(
        d.fixes.is_empty(),
        "{code} offers {:?} on:\n{text}",
        d.fixes
    );
}

#[test]
fn from_as_casing_matches_from() {
    check_fix(
        "FromAsCasing",
        Safety::Safe,
        "FROM alpine:3.20 as build\nRUN true\n",
        "FROM alpine:3.20 AS build\nRUN true\n",
    );
    check_fix(
        "FromAsCasing",
        Safety::Safe,
        "from alpine:3.20 AS build\nrun true\n",
        "from alpine:3.20 as build\nrun true\n",
    );
}

#[test]
fn stage_name_casing_renames_every_reference() {
    check_fix(
        "StageNameCasing",
        Safety::Safe,
        r#"
FROM golang:1.22 AS Build
RUN go build -o /app .
FROM build AS test
RUN --mount=type=cache,from=Build,target=/x true
FROM alpine:3.20
COPY --from=Build /app /app
"#,
        r#"
FROM golang:1.22 AS build
RUN go build -o /app .
FROM build AS test
RUN --mount=type=cache,from=build,target=/x true
FROM alpine:3.20
COPY --from=build /app /app
"#,
    );
    // `FROM Build` is no reference to the stage (FROM matches exactly, and
    // BuildKit refuses the upper-case image name): the rename leaves it.
    let text = "FROM golang:1.22 AS Build\nFROM Build AS test\n";
    let a = common::analysis(text);
    let d = a.diagnostics().iter().find(|d| d.code == "StageNameCasing");
    let fix = d
        .and_then(|d| d.fixes.first())
        .expect("StageNameCasing fix");
    assert_eq!(
        apply_edits(text, &fix.edits).expect("edits apply"),
        "FROM golang:1.22 AS build\nFROM Build AS test\n"
    );
}

#[test]
fn maintainer_becomes_an_authors_label() {
    check_fix(
        "MaintainerDeprecated",
        Safety::Safe,
        "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
        "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
    );
}

#[test]
fn json_args_split_only_without_shell_syntax() {
    check_fix(
        "JSONArgsRecommended",
        Safety::Unsafe,
        "FROM alpine:3.20\nCMD nginx -g daemon=off\n",
        "FROM alpine:3.20\nCMD [\"nginx\", \"-g\", \"daemon=off\"]\n",
    );
    check_no_fix(
        "JSONArgsRecommended",
        "FROM alpine:3.20\nCMD echo $HOME && sleep 1\n",
    );
}

#[test]
fn apt_get_options() {
    check_fix(
        "DL3014",
        Safety::Safe,
        "FROM debian:12\nRUN apt-get install --no-install-recommends curl=8.5.0-2\n",
        "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=8.5.0-2\n",
    );
    check_fix(
        "DL3015",
        Safety::Unsafe,
        "FROM debian:12\nRUN apt-get install -y curl=8.5.0-2\n",
        "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl=8.5.0-2\n",
    );
    check_fix(
        "DL3027",
        Safety::Safe,
        "FROM debian:12\nRUN apt install -y --no-install-recommends curl=8.5.0-2\n",
        "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=8.5.0-2\n",
    );
}

#[test]
fn caches_are_not_kept() {
    check_fix(
        "DL3019",
        Safety::Safe,
        "FROM alpine:3.20\nRUN apk add curl\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    );
    check_fix(
        "DL3042",
        Safety::Safe,
        "FROM python:3.12\nRUN pip install requests\n",
        "FROM python:3.12\nRUN pip install --no-cache-dir requests\n",
    );
}

#[test]
fn workdir_becomes_absolute() {
    check_fix(
        "WorkdirRelativePath",
        Safety::Unsafe,
        "FROM alpine:3.20\nWORKDIR app\n",
        "FROM alpine:3.20\nWORKDIR /app\n",
    );
    check_fix(
        "WorkdirRelativePath",
        Safety::Unsafe,
        "FROM alpine:3.20\nWORKDIR ./app\n",
        "FROM alpine:3.20\nWORKDIR /app\n",
    );
}

#[test]
fn legacy_key_value_gets_an_equals_sign() {
    check_fix(
        "LegacyKeyValueFormat",
        Safety::Safe,
        "FROM alpine:3.20\nENV APP_HOME /app\n",
        "FROM alpine:3.20\nENV APP_HOME=/app\n",
    );
    check_fix(
        "LegacyKeyValueFormat",
        Safety::Safe,
        "FROM alpine:3.20\nLABEL description a small image\n",
        "FROM alpine:3.20\nLABEL description=\"a small image\"\n",
    );
    check_no_fix(
        "LegacyKeyValueFormat",
        "FROM alpine:3.20\nENV GREETING \"hi there\" x\n",
    );
}

#[test]
fn undefined_stage_takes_the_closest_name() {
    check_fix(
        "UndefinedStage",
        Safety::Unsafe,
        "FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app\n",
        "FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app\n",
    );
}

#[test]
fn casing_fixes() {
    check_fix(
        "ExposeProtoCasing",
        Safety::Safe,
        "FROM alpine:3.20\nEXPOSE 53/UDP\n",
        "FROM alpine:3.20\nEXPOSE 53/udp\n",
    );
    check_fix(
        "ConsistentInstructionCasing",
        Safety::Safe,
        "FROM alpine:3.20\nRUN true\nworkdir /app\n",
        "FROM alpine:3.20\nRUN true\nWORKDIR /app\n",
    );
}

#[test]
fn empty_continuation_line_is_removed() {
    check_fix(
        "NoEmptyContinuation",
        Safety::Safe,
        "FROM alpine:3.20\nRUN echo a \\\n\n    && echo b\n",
        "FROM alpine:3.20\nRUN echo a \\\n    && echo b\n",
    );
    check_fix(
        "NoEmptyContinuation",
        Safety::Safe,
        "FROM alpine:3.20\r\nRUN echo a \\\r\n\r\n    && echo b\r\n",
        "FROM alpine:3.20\r\nRUN echo a \\\r\n    && echo b\r\n",
    );
}

#[test]
fn apt_lists_are_removed_at_the_end_of_the_run() {
    check_fix(
        "AptListsInShippedStage",
        Safety::Safe,
        "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl=8.5.0-2\n",
        "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl=8.5.0-2 && rm -rf /var/lib/apt/lists/*\n",
    );
    check_no_fix(
        "AptListsInShippedStage",
        "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl=8.5.0-2\nEOF\n",
    );
    // An update alone: removing the lists after it would break the
    // install in the next RUN (merging the RUNs is the fix there).
    check_no_fix(
        "AptListsInShippedStage",
        "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=8.5.0-2\n",
    );
    // A later RUN, also in a stage built on this one, installs with the lists.
    check_no_fix(
        "AptListsInShippedStage",
        "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends a=1\nFROM base\nRUN apt-get install -y --no-install-recommends b=1\n",
    );
}

#[test]
fn apt_lists_cleanup_is_never_placed_where_it_does_not_run() {
    // After a command that ends the shell the cleanup would never run:
    // no fix, the finding stays.
    for end in [
        "; exit 0",
        " && exit 0",
        "; exec nginx -g 'daemon off;'",
        " && return",
        "; logout",
    ] {
        check_no_fix(
            "AptListsInShippedStage",
            &format!("FROM debian:12\nRUN apt-get update && apt-get install -y curl=1{end}\n"),
        );
    }
    // `exit` in the middle ends the script as well.
    check_no_fix(
        "AptListsInShippedStage",
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl=1; exit 0; echo done\n",
    );
    // After an `||` alternative, `&&` binds to the whole alternative: with
    // `|| true` the cleanup runs when the install failed, with `|| exit 0`
    // it does not run then, though the build goes on.
    for end in [" || true", " || :", " || exit 0", " || echo failed"] {
        check_no_fix(
            "AptListsInShippedStage",
            &format!("FROM debian:12\nRUN apt-get update && apt-get install -y curl=1{end}\n"),
        );
    }
    // In the background, or inside a compound command it cannot follow.
    for run in [
        "apt-get update && apt-get install -y curl=1 &",
        "(apt-get update && apt-get install -y curl=1) && echo done",
        "{ apt-get update && apt-get install -y curl=1; } && echo done",
        "if true; then apt-get update && apt-get install -y curl=1; fi",
    ] {
        check_no_fix(
            "AptListsInShippedStage",
            &format!("FROM debian:12\nRUN {run}\n"),
        );
    }
}

#[test]
fn apt_lists_cleanup_follows_plain_chains() {
    // `exec` with only redirections does not end the shell; redirections,
    // pipes, `;` and commands in `$(...)` keep the chain plain.
    for (run, fixed) in [
        (
            "apt-get update && apt-get install -y curl=1 > /dev/null 2>&1",
            "apt-get update && apt-get install -y curl=1 > /dev/null 2>&1 && rm -rf /var/lib/apt/lists/*",
        ),
        (
            "exec 2>&1; apt-get update | tee /log && apt-get install -y $(cat /pkgs)",
            "exec 2>&1; apt-get update | tee /log && apt-get install -y $(cat /pkgs) && rm -rf /var/lib/apt/lists/*",
        ),
        (
            "apt-get update; apt-get install -y curl=1; echo done;",
            "apt-get update; apt-get install -y curl=1; echo done; rm -rf /var/lib/apt/lists/*",
        ),
        (
            // An `||` before the update is no concern of the cleanup.
            "rm -f /x || true; apt-get update && apt-get install -y curl=1",
            "rm -f /x || true; apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*",
        ),
    ] {
        check_fix(
            "AptListsInShippedStage",
            Safety::Safe,
            &format!("FROM debian:12\nRUN {run}\n"),
            &format!("FROM debian:12\nRUN {fixed}\n"),
        );
    }
}

#[test]
fn wget_gets_a_progress_option() {
    check_fix(
        "DL3047",
        Safety::Safe,
        "FROM debian:12\nRUN wget https://example.com/x.tar.gz\n",
        "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/x.tar.gz\n",
    );
}

fn fixed(text: &str, include_unsafe: bool) -> String {
    let a = common::analysis(text);
    let edits = berth::ide::fix_all(&a, include_unsafe);
    apply_edits(text, &edits).expect("fix_all edits apply")
}

#[test]
fn fix_all_combines_fixes_and_converges() {
    let before = "from alpine:3.20 AS Build\nRUN apk add curl\nWORKDIR app\nFROM alpine:3.20\nCOPY --from=Build /x /x\n";
    let after = fixed(before, false);
    assert_eq!(
        after,
        // The keyword casing follows the majority (upper), then `AS`
        // follows the re-cased FROM in the next round.
        // (Making WORKDIR absolute is unsafe: it stays.)
        "FROM alpine:3.20 AS build\nRUN apk add --no-cache curl\nWORKDIR app\nFROM alpine:3.20\nCOPY --from=build /x /x\n"
    );
    // Two fixes inserting at the same place: both land, over two rounds.
    let before = "FROM debian:12\nRUN apt-get install curl=8.5.0-2\n";
    let after = fixed(before, true);
    assert!(
        after.contains("-y") && after.contains("--no-install-recommends"),
        "{after}"
    );
    assert_eq!(
        fixed(before, false),
        "FROM debian:12\nRUN apt-get install -y curl=8.5.0-2\n"
    );
}

fn example_and_corpus_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (dir, limit) in [("../shared/examples", usize::MAX), ("../shared/corpus", 40)] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            eprintln!("SKIPPED: {dir} absent");
            continue;
        };
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "Dockerfile"))
            .collect();
        files.sort();
        out.extend(files.into_iter().take(limit));
    }
    out
}

#[test]
fn fix_all_is_idempotent_and_keeps_files_parsing() {
    for p in example_and_corpus_files() {
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        for include_unsafe in [false, true] {
            let once = fixed(&text, include_unsafe);
            let twice = fixed(&once, include_unsafe);
            assert_eq!(once, twice, "fix_all not idempotent on {}", p.display());
            let syntax = |t: &str| {
                common::analysis(t)
                    .diagnostics()
                    .iter()
                    .filter(|d| {
                        berth::rules::find(d.code)
                            .is_some_and(|r| r.meta.category == berth::rules::Category::Syntax)
                    })
                    .count()
            };
            assert!(
                syntax(&once) <= syntax(&text),
                "fix_all adds a syntax error to {}:\n{once}",
                p.display()
            );
        }
    }
}

// ---- `berth fix` -------------------------------------------------------

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "berth-fix-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::write(&p, contents).expect("write file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn berth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(args)
        .output()
        .expect("berth runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn berth_fix_writes_safe_fixes_keeping_line_endings_and_permissions() {
    let t = TempDir::new("write");
    let p = t.write(
        "Dockerfile",
        "FROM alpine:3.20 as build\r\nENV APP_HOME /srv\r\nCMD [\"sh\"]\r\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o750)).unwrap();
    }
    let o = berth(&["fix", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "FROM alpine:3.20 AS build\r\nENV APP_HOME=/srv\r\nCMD [\"sh\"]\r\n"
    );
    assert!(
        out(&o).contains("fixed 2 findings (FromAsCasing, LegacyKeyValueFormat)"),
        "{}",
        out(&o)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o750);
    }
    assert_eq!(
        std::fs::read_dir(&t.0).unwrap().count(),
        1,
        "no temporary file left"
    );
    // Nothing left to do: the file is not touched again.
    let o = berth(&["fix", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("nothing to fix"), "{}", out(&o));
}

#[test]
fn berth_fix_diff_prints_without_writing_and_reports_what_remains() {
    let t = TempDir::new("diff");
    let text = "FROM debian:12\nRUN apt update && apt install -y curl\nCMD nginx -g daemon=off\n";
    let p = t.write("Dockerfile", text);
    let o = berth(&["fix", "--diff", p.to_str().unwrap()]);
    // DL3008 (pin a version) cannot be fixed: findings remain.
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
    let diff = out(&o);
    assert!(diff.contains("@@ -1,3 +1,3 @@\n FROM debian:12\n-RUN apt update && apt install -y curl\n+RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n CMD nginx -g daemon=off\n"), "{diff}");
    let report = err(&o);
    assert!(
        report.contains("would fix 3 findings (DL3027, AptListsInShippedStage)"),
        "{report}"
    );
    assert!(
        report.contains("DL3008") && report.contains("fixable with --unsafe"),
        "{report}"
    );
}

#[test]
fn berth_fix_unsafe_applies_every_fix() {
    let t = TempDir::new("unsafe");
    let p = t.write("Dockerfile", "FROM debian:12\nCMD nginx -g daemon=off\n");
    let o = berth(&["fix", p.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "FROM debian:12\nCMD nginx -g daemon=off\n"
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "JSONArgsRecommended is a warning: {}",
        out(&o)
    );
    let o = berth(&["fix", "--unsafe", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon=off\"]\n"
    );
}

#[test]
fn berth_fix_errors_exit_2() {
    let t = TempDir::new("errors");
    let missing = t.0.join("nope");
    let o = berth(&["fix", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let bad = t.0.join("Dockerfile");
    std::fs::write(&bad, b"FROM a\xff\n").unwrap();
    let o = berth(&["fix", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(std::fs::read(&bad).unwrap(), b"FROM a\xff\n");
    let o = berth(&["fix", "--bogus", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn fixes_keep_the_escape_character_and_line_endings() {
    check_fix(
        "AptListsInShippedStage",
        Safety::Safe,
        "# escape=`\r\nFROM debian:12\r\nRUN apt-get update `\r\n    && apt-get install -y --no-install-recommends curl=8.5.0-2\r\n",
        "# escape=`\r\nFROM debian:12\r\nRUN apt-get update `\r\n    && apt-get install -y --no-install-recommends curl=8.5.0-2 && rm -rf /var/lib/apt/lists/*\r\n",
    );
    check_fix(
        "NoEmptyContinuation",
        Safety::Safe,
        "# escape=`\nFROM alpine:3.20\nRUN echo a `\n\n    && echo b\n",
        "# escape=`\nFROM alpine:3.20\nRUN echo a `\n    && echo b\n",
    );
    // A trailing `;` takes the cleanup without `&&`.
    check_fix(
        "AptListsInShippedStage",
        Safety::Safe,
        "FROM debian:12\nRUN apt-get update; apt-get install -y --no-install-recommends curl=8.5.0-2;\n",
        "FROM debian:12\nRUN apt-get update; apt-get install -y --no-install-recommends curl=8.5.0-2; rm -rf /var/lib/apt/lists/*\n",
    );
}

#[test]
fn berth_fix_stdin_prints_the_fixed_text() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["fix", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM alpine:3.20 as build\nRUN apk add curl\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        out(&o),
        "FROM alpine:3.20 AS build\nRUN apk add --no-cache curl\n"
    );
    assert!(err(&o).contains("<stdin>: fixed 2 findings"), "{}", err(&o));
}
