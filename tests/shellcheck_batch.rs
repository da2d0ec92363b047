//! `Runner::check_many`: many scripts given to one ShellCheck as files.
//! Its findings must be those of one run per script on stdin; a batch that
//! fails or hangs falls back to that; its scratch files are removed.
//!
//! Tests that need the real `shellcheck` print "SKIPPED: shellcheck not
//! installed" and return without it (`.ci/run` installs it); those on the
//! corpus say so and return when `../shared/corpus` is absent. The others
//! run fake binaries (shell scripts), on Unix.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use berth::host::shellcheck::{Finding, Runner, MAX_BATCH, TIMEOUT};
use berth::ide::{Analysis, Settings};
use berth::shell::shellcheck::{jobs, Shell};
use support::{shellcheck_installed, TempDir};

/// The scripts `berth check` gives ShellCheck for a Dockerfile.
fn scripts(text: &str) -> Vec<(Shell, String)> {
    let a = Analysis::from_text(text, Arc::new(Settings::default()));
    jobs(a.model(), a.text())
        .into_iter()
        .map(|j| (j.shell, j.input))
        .collect()
}

fn real_shellcheck() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("shellcheck"))
        .find(|p| p.is_file())
        .expect("shellcheck on PATH")
}

/// An empty directory for a runner's scratch directories.
fn scratch(t: &TempDir) -> PathBuf {
    let dir = t.path().join("tmp");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

type Results = Vec<Result<Arc<Vec<Finding>>, String>>;

/// Each script checked alone (on stdin) and all of them batched, by two
/// runners (so no cache is shared); the scratch directory is left empty.
fn one_by_one_and_batched(scripts: &[(Shell, String)], scratch: &Path) -> (Results, Results) {
    let alone = Runner::new(real_shellcheck(), TIMEOUT);
    let batched = Runner::new(real_shellcheck(), TIMEOUT).with_scratch_dir(scratch.to_path_buf());
    let one: Results = scripts
        .iter()
        .map(|(shell, input)| alone.check(*shell, input))
        .collect();
    let mut many: Vec<Option<Result<Arc<Vec<Finding>>, String>>> = vec![None; scripts.len()];
    for shell in [Shell::Sh, Shell::Bash] {
        let which: Vec<usize> = (0..scripts.len())
            .filter(|&i| scripts[i].0 == shell)
            .collect();
        let inputs: Vec<&str> = which.iter().map(|&i| scripts[i].1.as_str()).collect();
        for (i, r) in which.into_iter().zip(batched.check_many(shell, &inputs)) {
            many[i] = Some(r);
        }
    }
    let many = many.into_iter().map(Option::unwrap).collect();
    assert!(is_empty_dir(scratch), "scratch files left behind");
    // Now cached: asked again, the same answers without running anything.
    for (shell, input) in scripts {
        assert!(batched.cached(*shell, input).is_some());
    }
    (one, many)
}

fn assert_same(scripts: &[(Shell, String)], one: &Results, many: &Results) {
    let mut findings = 0;
    for ((s, a), b) in scripts.iter().zip(one).zip(many) {
        let a = a.as_ref().expect("checked alone");
        let b = b.as_ref().expect("checked in a batch");
        assert_eq!(
            a, b,
            "different findings for this {:?} script:\n{}",
            s.0, s.1
        );
        findings += a.len();
    }
    assert!(findings > 0, "the scripts should have findings to compare");
}

const DOCKERFILES: &[&str] = &[
    "FROM debian:12\nARG version\nRUN echo $foo && \\\n    ls $bar $version\nRUN cat <<EOF > /etc/motd && echo $baz\nhello\nEOF\n",
    "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -f /y ]] && echo $x\nRUN <<EOF\nset -e\n\techo $qux\ncd /tmp\nEOF\n",
    "FROM alpine:3.20\nRUN [[ -f /x ]] && echo\nRUN echo \"héllo wörld\" $ünïcode `date`\nRUN if [ $a == b ]; then echo; fi\nRUN echo $((1 +\n",
    // The same script as in the first file, and a script without findings.
    "FROM debian:12\nARG version\nRUN echo $foo && \\\n    ls $bar $version\nRUN true\n",
];

#[test]
fn batched_findings_equal_one_by_one_findings() {
    if !shellcheck_installed("batched_findings_equal_one_by_one_findings") {
        return;
    }
    let scripts: Vec<(Shell, String)> = DOCKERFILES.iter().flat_map(|t| scripts(t)).collect();
    assert!(scripts.iter().any(|s| s.0 == Shell::Bash));
    let t = TempDir::new("sc-batch-same");
    let (one, many) = one_by_one_and_batched(&scripts, &scratch(&t));
    assert_same(&scripts, &one, &many);
}

#[test]
fn batched_findings_equal_one_by_one_findings_on_the_corpus() {
    if !shellcheck_installed("batched_findings_equal_one_by_one_findings_on_the_corpus") {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent (it sits beside the repository in CI)",
            dir.display()
        );
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".Dockerfile"))
        .collect();
    files.sort();
    // Enough scripts for two batches (the first one full).
    let mut scripts = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        scripts.extend(self::scripts(&text));
        if scripts.iter().filter(|s| s.0 == Shell::Sh).count() > MAX_BATCH + 10 {
            break;
        }
    }
    assert!(
        scripts.iter().filter(|s| s.0 == Shell::Sh).count() > MAX_BATCH,
        "more scripts than one batch takes"
    );
    let t = TempDir::new("sc-batch-corpus");
    let (one, many) = one_by_one_and_batched(&scripts, &scratch(&t));
    assert_same(&scripts, &one, &many);
}

/// A fake `shellcheck` answering stdin with one finding whose message is
/// the script's first line, and doing `on_files` when given files. Each
/// run appends its arguments to `runs`.
#[cfg(unix)]
fn fake(dir: &Path, on_files: &str) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let runs = dir.join("runs");
    let p = dir.join("fake-shellcheck");
    let body = format!(
        r#"#!/bin/sh
echo "$*" >> '{runs}'
if [ "$4" = - ]; then
  msg=$(head -n 1)
  echo "{{\"comments\":[{{\"file\":\"-\",\"line\":1,\"endLine\":1,\"column\":1,\"endColumn\":2,\"level\":\"warning\",\"code\":9999,\"message\":\"$msg\"}}]}}"
  exit 1
fi
{on_files}
"#,
        runs = runs.display()
    );
    std::fs::write(&p, body).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    (p, runs)
}

#[cfg(unix)]
fn messages(results: &Results) -> Vec<String> {
    results
        .iter()
        .map(|r| match r {
            Ok(f) => f
                .iter()
                .map(|x| x.message.as_str())
                .collect::<Vec<_>>()
                .join(","),
            Err(e) => format!("error: {e}"),
        })
        .collect()
}

#[cfg(unix)]
fn runs(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            // Scratch file paths vary: keep their names.
            l.split(' ')
                .map(|a| a.rsplit('/').next().unwrap_or(a))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_failed_batch_falls_back_to_one_script_at_a_time() {
    let t = TempDir::new("sc-batch-fail");
    let scratch = scratch(&t);
    let (program, log) = fake(t.path(), "echo 'not json'");
    let runner = Runner::new(program, TIMEOUT).with_scratch_dir(scratch.clone());
    let got = runner.check_many(Shell::Sh, &["a", "b", "a", "c"]);
    assert_eq!(messages(&got), ["a", "b", "a", "c"]);
    assert_eq!(
        runs(&log),
        [
            "--norc --format=json1 --shell=sh 0 1 2",
            "--norc --format=json1 --shell=sh -",
            "--norc --format=json1 --shell=sh -",
            "--norc --format=json1 --shell=sh -",
        ],
        "one batch of the three different scripts, then each alone"
    );
    assert!(is_empty_dir(&scratch));
    // All cached now: nothing runs.
    let again = runner.check_many(Shell::Sh, &["c", "b"]);
    assert_eq!(messages(&again), ["c", "b"]);
    assert_eq!(runs(&log).len(), 4);
}

#[cfg(unix)]
#[test]
fn a_batch_that_exits_with_trouble_falls_back() {
    // Good JSON, but exit status 2 (ShellCheck could not read a file).
    let t = TempDir::new("sc-batch-status");
    let scratch = scratch(&t);
    let (program, log) = fake(t.path(), "echo '{\"comments\":[]}'; exit 2");
    let runner = Runner::new(program, TIMEOUT).with_scratch_dir(scratch.clone());
    let got = runner.check_many(Shell::Bash, &["x", "y"]);
    assert_eq!(messages(&got), ["x", "y"]);
    assert_eq!(runs(&log).len(), 3);
    assert!(is_empty_dir(&scratch));
}

#[cfg(unix)]
#[test]
fn a_batch_that_hangs_is_killed_and_falls_back() {
    let t = TempDir::new("sc-batch-hang");
    let scratch = scratch(&t);
    let (program, log) = fake(t.path(), "exec sleep 30");
    let timeout = Duration::from_millis(300);
    let runner = Runner::new(program, timeout).with_scratch_dir(scratch.clone());
    let start = Instant::now();
    let got = runner.check_many(Shell::Sh, &["p", "q", "r"]);
    let took = start.elapsed();
    assert_eq!(messages(&got), ["p", "q", "r"]);
    // The batch had 3 × 300 ms.
    assert!(took >= Duration::from_millis(900), "took {took:?}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_eq!(runs(&log).len(), 4);
    assert!(is_empty_dir(&scratch));
}

#[cfg(unix)]
#[test]
fn a_broken_binary_gives_the_errors_checking_alone_gives() {
    let t = TempDir::new("sc-batch-broken");
    let scratch = scratch(&t);
    let p = t.write("broken", "#!/bin/sh\necho 'not json'\n");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let runner = Runner::new(p.clone(), TIMEOUT).with_scratch_dir(scratch.clone());
    let alone = Runner::new(p, TIMEOUT);
    let got = runner.check_many(Shell::Sh, &["a", "b"]);
    let want: Results = ["a", "b"]
        .iter()
        .map(|s| alone.check(Shell::Sh, s))
        .collect();
    assert_eq!(got, want);
    assert!(got.iter().all(|r| r.is_err()));
    assert!(is_empty_dir(&scratch));
    // A missing binary, too.
    let missing = t.path().join("no-such-shellcheck");
    let got = Runner::new(missing.clone(), TIMEOUT)
        .with_scratch_dir(scratch.clone())
        .check_many(Shell::Sh, &["a", "b"]);
    let want = Runner::new(missing, TIMEOUT).check(Shell::Sh, "a");
    assert_eq!(got, [want.clone(), want]);
    assert!(is_empty_dir(&scratch));
}

#[cfg(unix)]
#[test]
fn no_scratch_directory_means_one_script_at_a_time() {
    let t = TempDir::new("sc-batch-noscratch");
    let (program, log) = fake(t.path(), "echo 'not reached'");
    let runner = Runner::new(program, TIMEOUT).with_scratch_dir(t.path().join("absent/dir"));
    let got = runner.check_many(Shell::Sh, &["a", "b"]);
    assert_eq!(messages(&got), ["a", "b"]);
    assert_eq!(runs(&log).len(), 2);
    assert!(!t.path().join("absent").exists());
}

#[cfg(unix)]
#[test]
fn scratch_directories_left_behind_are_removed_later() {
    // A berth killed during a batch (or a language server told to exit)
    // leaves its scratch directory: the next run removes those unchanged
    // for over an hour, and nothing else.
    let t = TempDir::new("sc-batch-sweep");
    let scratch = scratch(&t);
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    let make = |name: &str, old: bool| -> PathBuf {
        let d = scratch.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("0"), "echo $x\n").unwrap();
        if old {
            std::fs::File::open(&d)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        d
    };
    let abandoned = make("berth-shellcheck-1-0-123", true);
    let recent = make("berth-shellcheck-2-0-456", false);
    let other = make("someone-elses-123", true);
    let target = make("target-of-a-link", true);
    let link = scratch.join("berth-shellcheck-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (program, _) = fake(t.path(), "echo '{\"comments\":[]}'");
    let runner = Runner::new(program, TIMEOUT).with_scratch_dir(scratch.clone());
    let got = runner.check_many(Shell::Sh, &["a", "b"]);
    assert_eq!(messages(&got), ["", ""], "checked as files");
    assert!(!abandoned.exists());
    assert!(recent.join("0").exists());
    assert!(other.join("0").exists());
    assert!(target.join("0").exists() && link.exists());
}
