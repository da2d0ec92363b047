//! How `berth check`, `berth fix` and `berth fmt` treat the files they are
//! pointed at: only regular files are read, each with a size bound
//! (FIFOs, devices and oversized files are skipped with a message instead
//! of hanging or exhausting memory), writes keep the file what it was
//! (mode from the start, symbolic links, hard links, owner, read-only
//! files), a file changed since it was read is left alone, and file names
//! are escaped before they reach a terminal.
//!
//! The runs that used to hang or exhaust memory go through [`guarded`]: a
//! watchdog kills berth after [`WATCHDOG`] and the test fails, instead of
//! the test run hanging, and a memory limit turns an unbounded read into a
//! failed run instead of a starved machine.
#![cfg(unix)]

mod lsp_client;
mod support;

use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{berth_in, code, stderr, stdout, TempDir, BERTH};

const UGLY: &str = "from alpine:3.20 as build\nrun apk add curl \\\n  && true  \n";
const PRETTY: &str = "FROM alpine:3.20 AS build\nRUN apk add curl \\\n    && true\n";

/// A Dockerfile `berth fix` changes (two safe fixes) and what it becomes.
const FIXABLE: &str = "FROM alpine:3.20 as build\nENV APP_HOME /srv\nCMD [\"sh\"]\n";
const FIXED: &str = "FROM alpine:3.20 AS build\nENV APP_HOME=/srv\nCMD [\"sh\"]\n";

/// How long a run may take before the watchdog calls it hung.
const WATCHDOG: Duration = Duration::from_secs(20);

/// Run `berth args` in `dir` like `support::run`, but under a watchdog
/// and a 2 GiB address-space limit (`ulimit -v`, set by `sh` before it
/// `exec`s berth, so the limit is berth's own). A run that does not end
/// within [`WATCHDOG`] is killed and the test fails saying so.
fn guarded(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
        .arg(BERTH)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn berth");
    // Drain both pipes on threads of their own, so a chatty berth cannot
    // block on a full pipe while the watchdog waits.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = Instant::now() + WATCHDOG;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for berth") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "berth {args:?} did not finish within {WATCHDOG:?} (killed): {}",
                String::from_utf8_lossy(&err.join().unwrap_or_default())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn set_mode(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// What a run printed, for assertion messages.
fn said(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

/// The names in `dir` other than `.git` (berth's own temporary files
/// must not be left behind).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".git")
        .collect();
    names.sort();
    names
}

// ---- Special files ---------------------------------------------------------

#[cfg(target_os = "linux")]
mod special {
    use super::*;

    /// Make a FIFO at `p`.
    pub fn mkfifo(p: &Path) {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            p,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .expect("mkfifo");
    }

    /// On drop, opens the FIFO for writing without blocking: a reader
    /// stuck in `open` (a berth that still reads FIFOs) is released and
    /// reads an end of file, so a failing test leaves no process behind.
    pub struct Unblock(pub PathBuf);

    impl Drop for Unblock {
        fn drop(&mut self) {
            use std::os::unix::fs::OpenOptionsExt;
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
                .open(&self.0);
        }
    }

    #[test]
    fn check_skips_a_dockerignore_that_is_a_fifo() {
        let t = TempDir::new("files-ignore-fifo");
        t.write("Dockerfile", "FROM alpine:3.20\nCOPY app.txt /app/\n");
        t.write("app.txt", "x\n");
        let fifo = t.path().join(".dockerignore");
        mkfifo(&fifo);
        let _unblock = Unblock(fifo);
        let o = guarded(t.path(), &["check", "--no-shellcheck", "Dockerfile"]);
        let err = stderr(&o);
        assert!(matches!(code(&o), 0 | 1), "{}", said(&o));
        assert!(
            err.contains(".dockerignore: not a regular file (a FIFO)"),
            "{}",
            said(&o)
        );
        assert!(err.contains("1 file checked"), "{}", said(&o));
    }

    /// A configuration file is read with the same bound: a 2 MiB
    /// `.hadolint.yaml` is refused by name, not parsed.
    #[test]
    fn an_oversized_configuration_file_is_refused() {
        let t = TempDir::new("files-config-large");
        t.write("Dockerfile", "FROM alpine:3.20\n");
        t.write(".hadolint.yaml", "# padding\n".repeat(210_000));
        let o = guarded(t.path(), &["check", "--no-shellcheck", "Dockerfile"]);
        assert_eq!(code(&o), 2, "{}", said(&o));
        assert!(
            stderr(&o).contains(".hadolint.yaml: cannot read: larger than 1 MiB"),
            "{}",
            said(&o)
        );
    }

    #[test]
    fn check_does_not_read_a_dockerignore_linked_to_dev_zero() {
        let t = TempDir::new("files-ignore-zero");
        t.write("Dockerfile", "FROM alpine:3.20\nCOPY app.txt /app/\n");
        t.write("app.txt", "x\n");
        std::os::unix::fs::symlink("/dev/zero", t.path().join(".dockerignore")).unwrap();
        let o = guarded(t.path(), &["check", "--no-shellcheck", "Dockerfile"]);
        assert!(matches!(code(&o), 0 | 1), "{}", said(&o));
        assert!(
            stderr(&o).contains(".dockerignore: not a regular file (a character device)"),
            "{}",
            said(&o)
        );
    }

    #[test]
    fn an_oversized_dockerignore_is_not_read() {
        let t = TempDir::new("files-ignore-big");
        t.write("Dockerfile", "FROM alpine:3.20\nCOPY app.txt /app/\n");
        t.write("app.txt", "x\n");
        // Two mebibytes of patterns, and the one that would exclude app.txt last.
        let mut big = "# padding\n".repeat(200_000);
        big.push_str("app.txt\n");
        t.write(".dockerignore", big);
        let o = guarded(t.path(), &["check", "--no-shellcheck", "Dockerfile"]);
        assert!(matches!(code(&o), 0 | 1), "{}", said(&o));
        assert!(
            stderr(&o).contains(".dockerignore: larger than"),
            "{}",
            said(&o)
        );
        assert!(!stdout(&o).contains("CopyIgnoredFile"), "{}", said(&o));
    }

    #[test]
    fn a_fifo_named_on_the_command_line_is_refused_with_exit_2() {
        let t = TempDir::new("files-named-fifo");
        let fifo = t.path().join("pipe.Dockerfile");
        mkfifo(&fifo);
        let _unblock = Unblock(fifo);
        for cmd in [&["check", "--no-shellcheck"][..], &["fix"], &["fmt"]] {
            let mut args = cmd.to_vec();
            args.push("pipe.Dockerfile");
            let o = guarded(t.path(), &args);
            assert_eq!(code(&o), 2, "{cmd:?}: {}", said(&o));
            assert!(
                stderr(&o).contains("pipe.Dockerfile: not a regular file (a FIFO)"),
                "{cmd:?}: {}",
                said(&o)
            );
        }
    }

    #[test]
    fn a_fifo_named_dockerfile_in_a_walked_folder_is_skipped_with_a_note() {
        let t = TempDir::new("files-walked-fifo");
        let fifo = t.path().join("Dockerfile");
        mkfifo(&fifo);
        let _unblock = Unblock(fifo);
        t.write("sub/Dockerfile", PRETTY);
        let o = guarded(t.path(), &["check", "--no-shellcheck", "."]);
        assert!(matches!(code(&o), 0 | 1), "{}", said(&o));
        assert!(
            stderr(&o).contains("note: Dockerfile: not a regular file (a FIFO); skipped"),
            "{}",
            said(&o)
        );
        assert!(stderr(&o).contains("1 file checked"), "{}", said(&o));
        let o = guarded(t.path(), &["fmt", "--check", "."]);
        assert_eq!(code(&o), 0, "{}", said(&o));
        assert!(
            stderr(&o).contains("note: Dockerfile: not a regular file (a FIFO); skipped"),
            "{}",
            said(&o)
        );
    }

    #[test]
    fn fmt_refuses_devices_and_skips_linked_ones_in_a_walk() {
        let t = TempDir::new("files-dev-zero");
        let o = guarded(t.path(), &["fmt", "/dev/zero"]);
        assert_eq!(code(&o), 2, "{}", said(&o));
        assert!(
            stderr(&o).contains("/dev/zero: not a regular file (a character device)"),
            "{}",
            said(&o)
        );
        std::os::unix::fs::symlink("/dev/zero", t.path().join("Dockerfile")).unwrap();
        let o = guarded(t.path(), &["fmt", "."]);
        assert_eq!(code(&o), 0, "{}", said(&o));
        assert!(
            stderr(&o).contains("note: Dockerfile: not a regular file (a character device)"),
            "{}",
            said(&o)
        );
    }

    #[test]
    fn the_server_skips_a_dockerignore_that_is_a_fifo() {
        use serde_json::json;
        let t = TempDir::new("files-lsp-fifo");
        let root = std::fs::canonicalize(t.path()).unwrap();
        let text = "FROM alpine:3.20\nCOPY missing.txt /app/\n";
        let dockerfile = t.write("Dockerfile", text);
        let fifo = root.join(".dockerignore");
        mkfifo(&fifo);
        let _unblock = Unblock(fifo);
        let uri = format!(
            "file://{}",
            std::fs::canonicalize(&dockerfile).unwrap().display()
        );
        let mut c = lsp_client::Client::start(&["lsp"]);
        c.initialize_with(json!({
            "textDocument": { "publishDiagnostics": { "versionSupport": true } }
        }));
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
        // The context was still listed: the missing source is reported.
        let d = c.diagnostics(&uri, 1);
        assert!(d.iter().any(|d| d["code"] == "CopySourceMissing"), "{d:?}");
        assert_eq!(c.shutdown_and_exit(), 0);
    }
}

#[test]
fn oversized_files_are_refused_when_named_and_skipped_when_walked() {
    let t = TempDir::new("files-oversized");
    // 17 MiB: over the 16 MiB read bound.
    let mut big = String::from("FROM alpine:3.20\n");
    big.push_str(&"# filler line of a generated file\n".repeat(17 << 15));
    assert!(big.len() > 17 << 20);
    t.write("big/Dockerfile", &big);
    for cmd in [&["check", "--no-shellcheck"][..], &["fix"], &["fmt"]] {
        let mut args = cmd.to_vec();
        args.push("big/Dockerfile");
        let o = guarded(t.path(), &args);
        assert_eq!(code(&o), 2, "{cmd:?}: {}", said(&o));
        assert!(
            stderr(&o).contains("big/Dockerfile: larger than 16 MiB"),
            "{cmd:?}: {}",
            said(&o)
        );
    }
    t.write("small/Dockerfile", PRETTY);
    let o = guarded(t.path(), &["fmt", "--check", "."]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    assert!(
        stderr(&o).contains("note: big/Dockerfile: larger than 16 MiB"),
        "{}",
        said(&o)
    );
    assert!(
        stderr(&o).contains("0 files would be reformatted, 1 file already formatted"),
        "{}",
        said(&o)
    );
}

// ---- Writes ----------------------------------------------------------------

/// The temporary file is created with the final mode: `inotify` sees it
/// created and never sees its attributes change (a `chmod` after writing
/// would show as `IN_ATTRIB` on the temporary name), and the result is
/// still 0600. The events are queued by the kernel, so this is not a race.
#[cfg(target_os = "linux")]
#[test]
fn the_temporary_file_never_has_wider_permissions_than_the_file() {
    use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};
    use std::mem::MaybeUninit;

    let t = TempDir::new("files-mode");
    let p = t.write("Dockerfile", UGLY);
    set_mode(&p, 0o600);
    let fd = inotify::init(CreateFlags::NONBLOCK | CreateFlags::CLOEXEC).unwrap();
    inotify::add_watch(
        &fd,
        t.path(),
        WatchFlags::CREATE | WatchFlags::ATTRIB | WatchFlags::MODIFY | WatchFlags::MOVED_TO,
    )
    .unwrap();
    let o = berth_in(t.path(), &["fmt", "Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    assert_eq!(read(&p), PRETTY);
    assert_eq!(mode(&p), 0o600);

    let mut events: Vec<(String, ReadFlags)> = Vec::new();
    let mut buf = [MaybeUninit::uninit(); 4096];
    let mut reader = inotify::Reader::new(&fd, &mut buf);
    loop {
        match reader.next() {
            Ok(e) => events.push((
                e.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                e.events(),
            )),
            Err(rustix::io::Errno::WOULDBLOCK) => break,
            Err(e) => panic!("inotify: {e}"),
        }
    }
    let temps: Vec<&String> = events
        .iter()
        .filter(|(n, f)| f.contains(ReadFlags::CREATE) && n != "Dockerfile")
        .map(|(n, _)| n)
        .collect();
    assert_eq!(temps.len(), 1, "one temporary file: {events:?}");
    assert!(
        !events
            .iter()
            .any(|(n, f)| n == temps[0] && f.contains(ReadFlags::ATTRIB)),
        "the temporary file's mode or owner changed after it was created: {events:?}"
    );
    assert_eq!(entries(t.path()), ["Dockerfile"]);
}

#[test]
fn a_symlinked_dockerfile_is_written_through_and_stays_a_link() {
    let t = TempDir::new("files-symlink");
    let fix_target = t.write("real/fix.Dockerfile", FIXABLE);
    let fmt_target = t.write("real/fmt.Dockerfile", UGLY);
    std::os::unix::fs::symlink("real/fix.Dockerfile", t.path().join("fix.Dockerfile")).unwrap();
    std::os::unix::fs::symlink("real/fmt.Dockerfile", t.path().join("fmt.Dockerfile")).unwrap();

    let o = berth_in(t.path(), &["fix", "fix.Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    let o = berth_in(t.path(), &["fmt", "fmt.Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));

    for (link, target, want) in [
        ("fix.Dockerfile", &fix_target, FIXED),
        ("fmt.Dockerfile", &fmt_target, PRETTY),
    ] {
        let link = t.path().join(link);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{} is still a symbolic link",
            link.display()
        );
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            Path::new("real").join(target.file_name().unwrap())
        );
        assert_eq!(read(target), want, "{}", target.display());
    }
    assert_eq!(
        entries(&t.path().join("real")),
        ["fix.Dockerfile", "fmt.Dockerfile"]
    );
}

#[test]
fn hard_links_stay_one_file() {
    let t = TempDir::new("files-hardlink");
    let a = t.write("a.Dockerfile", UGLY);
    let b = t.path().join("b.Dockerfile");
    std::fs::hard_link(&a, &b).unwrap();
    let o = berth_in(t.path(), &["fmt", "a.Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    let (ma, mb) = (
        std::fs::metadata(&a).unwrap(),
        std::fs::metadata(&b).unwrap(),
    );
    assert_eq!(ma.ino(), mb.ino(), "a and b are still one file");
    assert_eq!(ma.nlink(), 2);
    assert_eq!(read(&b), PRETTY);

    let c = t.write("c.Dockerfile", FIXABLE);
    let d = t.path().join("d.Dockerfile");
    std::fs::hard_link(&c, &d).unwrap();
    let o = berth_in(t.path(), &["fix", "c.Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    assert_eq!(
        std::fs::metadata(&c).unwrap().ino(),
        std::fs::metadata(&d).unwrap().ino()
    );
    assert_eq!(read(&d), FIXED);
    assert_eq!(
        entries(t.path()),
        [
            "a.Dockerfile",
            "b.Dockerfile",
            "c.Dockerfile",
            "d.Dockerfile"
        ]
    );
}

#[test]
fn read_only_files_are_refused_unless_forced() {
    let t = TempDir::new("files-readonly");
    let p = t.write("fmt.Dockerfile", UGLY);
    let q = t.write("fix.Dockerfile", FIXABLE);
    set_mode(&p, 0o444);
    set_mode(&q, 0o444);
    for (cmd, path, before) in [("fmt", &p, UGLY), ("fix", &q, FIXABLE)] {
        let name = path.file_name().unwrap().to_str().unwrap();
        let o = berth_in(t.path(), &[cmd, name]);
        assert_eq!(code(&o), 2, "{cmd}: {}", said(&o));
        assert!(
            stderr(&o).contains(&format!("{name}: read-only")) && stderr(&o).contains("--force"),
            "{cmd}: {}",
            said(&o)
        );
        assert_eq!(read(path), before, "{cmd} left it alone");
    }
    let o = berth_in(t.path(), &["fmt", "--force", "fmt.Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    assert_eq!(read(&p), PRETTY);
    assert_eq!(mode(&p), 0o444);
    let o = berth_in(t.path(), &["fix", "--force", "fix.Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    assert_eq!(read(&q), FIXED);
    assert_eq!(mode(&q), 0o444);
}

/// Run as root, berth gives the new file the original's owner and group.
#[test]
fn the_owner_and_group_are_kept() {
    let t = TempDir::new("files-owner");
    let p = t.write("Dockerfile", UGLY);
    if std::os::unix::fs::chown(&p, Some(1234), Some(1234)).is_err() {
        eprintln!("SKIPPED: not root, cannot give a file away (the_owner_and_group_are_kept)");
        return;
    }
    set_mode(&p, 0o640);
    let o = berth_in(t.path(), &["fmt", "Dockerfile"]);
    assert_eq!(code(&o), 0, "{}", said(&o));
    let m = std::fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid()), (1234, 1234));
    assert_eq!(mode(&p), 0o640);
    assert_eq!(read(&p), PRETTY);
    assert_eq!(entries(t.path()), ["Dockerfile"]);
}

/// The writer, called the way `fix` and `fmt` call it: the file read,
/// then changed by someone else, then written. Every change since the
/// read is refused and leaves the file as the other writer left it: new
/// content of the same size with the modification time put back, a mode
/// change alone, another file with the same content renamed over it, and
/// a change to a hard-linked file (which is written in place). There is
/// no way for a test to step in between the reads and writes of the
/// `berth` binary itself, hence the library call.
#[test]
fn a_file_changed_between_read_and_write_is_refused() {
    use berth::host::files;
    let t = TempDir::new("files-changed");
    let p = t.write("Dockerfile", "FROM a\n");
    let refused = |p: &Path, stamp: &files::Stamp| {
        let err = files::replace(p, stamp, b"FROM new\n", false)
            .expect_err("a changed file is not written")
            .to_string();
        assert!(err.contains("changed on disk"), "{err}");
    };

    // New content of the same size, the modification time put back.
    let before = files::read(&p, files::MAX_DOCKERFILE_BYTES).unwrap();
    let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
    std::fs::write(&p, "FROM b\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    refused(&p, &before.stamp);
    assert_eq!(read(&p), "FROM b\n");

    // Only the mode changed (made private after berth read it).
    set_mode(&p, 0o644);
    let before = files::read(&p, files::MAX_DOCKERFILE_BYTES).unwrap();
    set_mode(&p, 0o600);
    refused(&p, &before.stamp);
    assert_eq!((read(&p).as_str(), mode(&p)), ("FROM b\n", 0o600));

    // Another file with the same content and time renamed over it.
    let before = files::read(&p, files::MAX_DOCKERFILE_BYTES).unwrap();
    let copy = t.write("copy", "FROM b\n");
    set_mode(&copy, 0o600);
    std::fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(std::fs::metadata(&p).unwrap().modified().unwrap())
        .unwrap();
    std::fs::rename(&copy, &p).unwrap();
    refused(&p, &before.stamp);
    assert_eq!(read(&p), "FROM b\n");

    // A hard-linked file, written in place: the same check first.
    let q = t.path().join("link");
    std::fs::hard_link(&p, &q).unwrap();
    let before = files::read(&p, files::MAX_DOCKERFILE_BYTES).unwrap();
    std::fs::write(&q, "FROM c\n").unwrap();
    refused(&p, &before.stamp);
    assert_eq!(read(&p), "FROM c\n");

    // Unchanged since the read: written, links kept, nothing left behind.
    let before = files::read(&p, files::MAX_DOCKERFILE_BYTES).unwrap();
    files::replace(&p, &before.stamp, b"FROM new\n", false).unwrap();
    assert_eq!(read(&q), "FROM new\n");
    assert_eq!(entries(t.path()), ["Dockerfile", "link"]);
}

// ---- Terminal safety -------------------------------------------------------

/// Names with an escape sequence and a line break, and how berth shows them.
const ESC_NAME: &str = "bad\x1b[31mname.Dockerfile";
const ESC_SHOWN: &str = "'bad'$'\\033''[31mname.Dockerfile'";
const NL_NAME: &str = "new\nline.Dockerfile";
const NL_SHOWN: &str = "'new'$'\\n''line.Dockerfile'";

/// Neither stream holds an ESC or a name broken over two lines.
fn assert_no_raw_names(o: &Output) {
    for stream in [&o.stdout, &o.stderr] {
        assert!(!stream.contains(&0x1b), "raw ESC: {}", said(o));
        assert!(
            !String::from_utf8_lossy(stream).contains("new\nline"),
            "raw line break: {}",
            said(o)
        );
    }
}

#[test]
fn fmt_check_and_diff_escape_control_characters_in_names() {
    let t = TempDir::new("files-term-fmt");
    t.write(ESC_NAME, UGLY);
    t.write(NL_NAME, UGLY);
    t.write("plain name.Dockerfile", UGLY);
    let o = berth_in(t.path(), &["fmt", "--check", "."]);
    assert_eq!(code(&o), 1, "{}", said(&o));
    assert_no_raw_names(&o);
    assert_eq!(
        stdout(&o),
        format!("{ESC_SHOWN}\n{NL_SHOWN}\nplain name.Dockerfile\n")
    );
    let o = berth_in(t.path(), &["fmt", "--diff", ESC_NAME, NL_NAME]);
    assert_eq!(code(&o), 1, "{}", said(&o));
    assert_no_raw_names(&o);
    assert!(stdout(&o).contains(&format!("--- a/{ESC_SHOWN}\n+++ b/{ESC_SHOWN}\n")));
    assert!(stdout(&o).contains(&format!("--- a/{NL_SHOWN}\n+++ b/{NL_SHOWN}\n")));
}

#[test]
fn check_and_fix_escape_control_characters_in_names() {
    let t = TempDir::new("files-term-check");
    t.write(ESC_NAME, FIXABLE);
    t.write(NL_NAME, b"FROM alpine:3.20\nRUN echo \xff\n".as_slice());
    let o = berth_in(t.path(), &["check", "--no-shellcheck", ESC_NAME, NL_NAME]);
    assert_eq!(code(&o), 2, "{}", said(&o));
    assert_no_raw_names(&o);
    assert!(
        stdout(&o).contains(&format!("--> {ESC_SHOWN}:1:")),
        "{}",
        said(&o)
    );
    assert!(
        stderr(&o).contains(&format!("{NL_SHOWN}: not valid UTF-8")),
        "{}",
        said(&o)
    );
    let o = berth_in(
        t.path(),
        &["check", "--no-shellcheck", "--format", "gnu", ESC_NAME],
    );
    assert_no_raw_names(&o);
    assert!(
        stdout(&o).contains(&format!("{ESC_SHOWN}:1:")),
        "{}",
        said(&o)
    );

    // JSON carries the name as it is (JSON escapes it itself).
    let o = berth_in(
        t.path(),
        &["check", "--no-shellcheck", "--format", "json", ESC_NAME],
    );
    assert!(
        stdout(&o).contains("bad\\u001b[31mname.Dockerfile"),
        "{}",
        said(&o)
    );

    let o = berth_in(t.path(), &["fix", ESC_NAME, NL_NAME]);
    assert_eq!(code(&o), 2, "{}", said(&o));
    assert_no_raw_names(&o);
    assert!(
        stdout(&o).contains(&format!("{ESC_SHOWN}: fixed 2 findings")),
        "{}",
        said(&o)
    );
    assert!(
        stderr(&o).contains(&format!("{NL_SHOWN}: not UTF-8")),
        "{}",
        said(&o)
    );
}
