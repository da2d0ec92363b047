//! ShellCheck on RUN scripts, through `berth check`: ranges mapped back to
//! the Dockerfile, settings and pragmas, and a missing, slow or broken
//! binary. Tests that need the real `shellcheck` print
//! "SKIPPED: shellcheck not installed" and return without it (`.ci/run`
//! installs it).

mod support;

use std::path::Path;

use serde_json::Value;
use support::{berth_in, code, run, shellcheck_installed, stderr, stdout, TempDir};

const SCRIPTS: &str = "\
FROM debian:12
ARG version
RUN echo $foo && \\
    # BuildKit drops this comment
    ls $bar $version
RUN cat <<EOF > /etc/motd && echo $baz
hello
EOF
RUN <<EOF
set -e
\techo $qux
EOF
RUN [\"sh\", \"-c\", \"echo $exec\"]
";

/// `(code, severity, the source text of its range)` for each finding.
fn findings(dir: &Path, text: &str, args: &[&str]) -> Vec<(String, String, String)> {
    let mut all = vec!["check", "--format", "json", "Dockerfile"];
    all.extend_from_slice(args);
    let o = berth_in(dir, &all);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("not JSON: {}", stdout(&o)));
    // Only ShellCheck's: rules are tested elsewhere.
    v.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("SC")))
        .map(|d| {
            let r = &d["byte_range"];
            let (s, e) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                text[s..e].to_string(),
            )
        })
        .collect()
}

fn f(code: &str, sev: &str, text: &str) -> (String, String, String) {
    (code.into(), sev.into(), text.into())
}

#[test]
fn findings_land_on_the_exact_words() {
    if !shellcheck_installed("findings_land_on_the_exact_words") {
        return;
    }
    let t = TempDir::new("sc-ranges");
    t.write("Dockerfile", SCRIPTS);
    let got = findings(t.path(), SCRIPTS, &[]);
    assert_eq!(
        got,
        [
            f("SC2086", "info", "$foo"),
            f("SC2086", "info", "$bar"),
            f("SC2086", "info", "$baz"),
            f("SC2086", "info", "$qux"),
        ],
        "ARG names are known to ShellCheck ($version is not flagged), exec form is not checked"
    );
    // CRLF line endings: the same words.
    let crlf = SCRIPTS.replace('\n', "\r\n");
    t.write("Dockerfile", &crlf);
    let got: Vec<String> = findings(t.path(), &crlf, &[])
        .into_iter()
        .map(|x| x.2)
        .collect();
    assert_eq!(got, ["$foo", "$bar", "$baz", "$qux"]);
}

#[test]
fn settings_and_pragmas_silence_findings() {
    if !shellcheck_installed("settings_and_pragmas_silence_findings") {
        return;
    }
    let t = TempDir::new("sc-settings");
    let text = "FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $a\nRUN echo $b\nRUN ls *.txt\n";
    t.write("Dockerfile", text);
    let codes = |args: &[&str]| -> Vec<String> {
        findings(t.path(), text, args)
            .into_iter()
            .map(|(c, s, w)| format!("{c} {s} {w}"))
            .collect()
    };
    assert_eq!(codes(&[]), ["SC2086 info $b", "SC2035 info *"]);
    assert_eq!(codes(&["--ignore", "SC2086"]), ["SC2035 info *"]);
    assert_eq!(codes(&["--select", "SC2035"]), ["SC2035 info *"]);
    assert!(codes(&["--no-shellcheck"]).is_empty());
    // The configuration file: ignored, and override of the level.
    t.write(
        ".hadolint.yaml",
        "ignored: [SC2035]\noverride:\n  error: [SC2086]\n",
    );
    assert_eq!(codes(&[]), ["SC2086 error $b"]);
    // A global pragma.
    let text2 = format!("# hadolint global ignore=SC2086\n{text}");
    t.write("Dockerfile", &text2);
    t.write(".hadolint.yaml", "");
    assert!(findings(t.path(), &text2, &[])
        .iter()
        .all(|x| x.0 != "SC2086"));
}

#[test]
fn noisy_codes_are_off_unless_named() {
    if !shellcheck_installed("noisy_codes_are_off_unless_named") {
        return;
    }
    let t = TempDir::new("sc-noise");
    // SC2154 ($undefined_lower referenced but not assigned) and SC1091
    // (not following a sourced file) are off by default.
    let text = "FROM debian:12\nRUN . /etc/os-release && echo \"$undefined_lower\"\n";
    t.write("Dockerfile", text);
    assert_eq!(findings(t.path(), text, &[]), []);
    let got = findings(t.path(), text, &["--enable", "SC2154"]);
    assert_eq!(got, [f("SC2154", "warning", "$undefined_lower")]);
    let o = berth_in(t.path(), &["check", "--enable", "SC2154", "Dockerfile"]);
    assert!(
        !stderr(&o).contains("no rule has this code"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn windows_and_bash_stages() {
    if !shellcheck_installed("windows_and_bash_stages") {
        return;
    }
    let t = TempDir::new("sc-shells");
    // `[[` is fine in bash and not in sh (SC3010).
    let text = "FROM debian:12\nRUN [[ -f /x ]] && echo\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -f /y ]] && echo\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo %PATH% $x\n";
    t.write("Dockerfile", text);
    let got = findings(t.path(), text, &[]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].2.as_str()),
        ("SC3010", "[[ -f /x ]]")
    );
}

#[test]
fn a_missing_binary_is_said_once_and_never_fails() {
    let t = TempDir::new("sc-missing");
    t.write("a/Dockerfile", "FROM alpine:3.20\nRUN echo $x\n");
    t.write("b/Dockerfile", "FROM alpine:3.20\nRUN echo $y\n");
    let empty = t.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(
        Some(t.path()),
        &["check", "a", "b"],
        &[("PATH", empty.to_str().unwrap())],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("ShellCheck not found: SC checks off").count(),
        1,
        "{err}"
    );
    // Quiet, or turned off: not said.
    let o = run(
        Some(t.path()),
        &["check", "-q", "a"],
        &[("PATH", empty.to_str().unwrap())],
        None,
    );
    assert_eq!(stderr(&o), "");
    let o = run(
        Some(t.path()),
        &["check", "--no-shellcheck", "a"],
        &[("PATH", empty.to_str().unwrap())],
        None,
    );
    assert!(!stderr(&o).contains("ShellCheck"), "{}", stderr(&o));
}

#[cfg(unix)]
fn fake_shellcheck(dir: &Path, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let p = bin.join("shellcheck");
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The fake first, then the system (for /bin/sh's own tools).
    format!("{}:/usr/bin:/bin", bin.display())
}

#[cfg(unix)]
#[test]
fn a_slow_shellcheck_is_killed_after_the_timeout() {
    let t = TempDir::new("sc-slow");
    t.write("Dockerfile", "FROM alpine:3.20\nRUN echo $x\n");
    let path = fake_shellcheck(t.path(), "exec sleep 30");
    let start = std::time::Instant::now();
    let o = run(
        Some(t.path()),
        &["check", "Dockerfile"],
        &[("PATH", &path)],
        None,
    );
    let took = start.elapsed();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(took < std::time::Duration::from_secs(15), "took {took:?}");
    assert!(took >= std::time::Duration::from_secs(2), "took {took:?}");
}

#[cfg(unix)]
#[test]
fn a_broken_shellcheck_is_a_warning() {
    let t = TempDir::new("sc-broken");
    t.write("Dockerfile", "FROM alpine:3.20\nRUN echo $x\nRUN echo $y\n");
    let path = fake_shellcheck(t.path(), "cat >/dev/null; echo 'not json'");
    let o = run(
        Some(t.path()),
        &["check", "Dockerfile"],
        &[("PATH", &path)],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("ShellCheck: unexpected output").count(),
        1,
        "{err}"
    );
    // The arguments are fixed: no .shellcheckrc, format, shell, stdin. (The
    // two scripts are first given as files, together; this fake answers
    // nothing then, and each is checked again on stdin.)
    let path = fake_shellcheck(
        t.path(),
        "cat >/dev/null; [ \"$*\" = '--norc --format=json1 --shell=sh -' ] && echo '{\"comments\":[\
         {\"line\":1,\"endLine\":1,\"column\":1,\"endColumn\":2,\"level\":\"error\",\"code\":9998,\"message\":\"in the prelude\"},\
         {\"line\":11,\"endLine\":11,\"column\":6,\"endColumn\":8,\"level\":\"warning\",\"code\":9999,\"message\":\"fake\"}]}'",
    );
    let o = check_fake_finding(t.path(), "Dockerfile", &[("PATH", &path)]);
    // Lines 1-10 of the input are the export prelude (the proxy
    // variables): a finding there is dropped; line 11 is the script.
    assert_eq!(
        stdout(&o),
        "Dockerfile:2:10: warning: fake [SC9999]\nDockerfile:3:10: warning: fake [SC9999]\n",
        "{}",
        stderr(&o)
    );
}

/// `berth check --format gnu --select SC9999 <file>` in `dir`: the fake
/// ShellCheck's finding only.
fn check_fake_finding(dir: &Path, file: &str, env: &[(&str, &str)]) -> std::process::Output {
    run(
        Some(dir),
        &["check", "--format", "gnu", "--select", "SC9999", file],
        env,
        None,
    )
}

/// A fake `shellcheck` that answers only the batch form (the options,
/// then files): a finding on line 11 of each file (its script's first line,
/// after the 10-line prelude), whose message is that line; in reverse
/// order, as ShellCheck does. Each run adds a line to `count`. Returns the
/// PATH to use.
#[cfg(unix)]
fn batch_fake(dir: &Path, count: &Path) -> String {
    let body = format!(
        r#"[ "$1 $2 $3" = '--norc --format=json1 --shell=sh' ] || exit 3
shift 3
[ "$1" = - ] && exit 3
echo run >> '{}'
out=
for f; do
  msg=$(tail -n 1 "$f")
  out="{{\"file\":\"$f\",\"line\":11,\"endLine\":11,\"column\":6,\"endColumn\":8,\"level\":\"warning\",\"code\":9999,\"message\":\"$msg\"}}${{out:+,$out}}"
done
echo "{{\"comments\":[$out]}}""#,
        count.display()
    );
    fake_shellcheck(dir, &body)
}

/// `check_fake_finding` on `file` in `t` with [`batch_fake`] as ShellCheck
/// and a temp dir of its own: the output, how many times the fake ran,
/// and what was left in the temp dir.
#[cfg(unix)]
fn check_with_batch_fake(
    t: &TempDir,
    file: &str,
) -> (std::process::Output, usize, Vec<std::fs::DirEntry>) {
    let tmp = t.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let count = t.path().join("count");
    let path = batch_fake(t.path(), &count);
    let o = check_fake_finding(
        t.path(),
        file,
        &[("PATH", &path), ("TMPDIR", tmp.to_str().unwrap())],
    );
    let runs = std::fs::read_to_string(&count)
        .unwrap_or_default()
        .lines()
        .count();
    (o, runs, left_in(&tmp))
}

#[cfg(unix)]
fn left_in(dir: &Path) -> Vec<std::fs::DirEntry> {
    std::fs::read_dir(dir).unwrap().flatten().collect()
}

#[cfg(unix)]
#[test]
fn a_file_s_scripts_go_to_one_shellcheck_as_files() {
    let t = TempDir::new("sc-batch");
    t.write("Dockerfile", "FROM alpine:3.20\nRUN echo $x\nRUN echo $y\n");
    let (o, runs, left) = check_with_batch_fake(&t, "Dockerfile");
    assert_eq!(
        stdout(&o),
        "Dockerfile:2:10: warning: echo $x [SC9999]\nDockerfile:3:10: warning: echo $y [SC9999]\n",
        "{}",
        stderr(&o)
    );
    assert_eq!(runs, 1);
    assert!(left.is_empty(), "the scripts' files are removed: {left:?}");
}

#[cfg(unix)]
#[test]
fn many_files_share_shellcheck_processes() {
    let t = TempDir::new("sc-batch-files");
    let n = 64;
    let mut want = String::new();
    for i in 0..n {
        t.write(
            &format!("d/{i:02}.Dockerfile"),
            format!("FROM alpine:3.20\nRUN echo $v{i:02}\n"),
        );
        want.push_str(&format!(
            "d/{i:02}.Dockerfile:2:10: warning: echo $v{i:02} [SC9999]\n"
        ));
    }
    let (o, runs, left) = check_with_batch_fake(&t, "d");
    assert_eq!(stdout(&o), want, "{}", stderr(&o));
    assert!(runs <= n / 2, "{runs} ShellCheck runs for {n} files");
    assert!(left.is_empty(), "the scripts' files are removed: {left:?}");
}

#[test]
fn berth_rules_points_shellcheck_codes_at_the_wiki() {
    let o = run(None, &["rules", "sc2086"], &[], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("https://www.shellcheck.net/wiki/SC2086"),
        "{}",
        stdout(&o)
    );
}
