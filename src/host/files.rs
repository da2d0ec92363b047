//! Reading the files berth is pointed at, and writing back the ones that
//! `berth fix` and `berth fmt` change. Every input file of the command line
//! and every ignore file of a build context goes through [`read`]; every
//! write goes through [`replace`].
//!
//! Reading. Only regular files are read, and at most a bound of bytes
//! ([`MAX_DOCKERFILE_BYTES`], [`MAX_IGNORE_BYTES`]). The path's metadata
//! is checked first, following symbolic links; the file is then opened
//! with `O_NONBLOCK` (on Unix), so that a FIFO swapped in after the check
//! cannot block the open, and the opened handle is checked again with
//! `fstat`, so what is read is what was checked. The read itself takes at
//! most one byte over the bound, so a file that grows while it is read, or
//! a device that never ends, cannot exhaust memory.
//!
//! Writing. [`replace`] writes through symbolic links to the file they
//! lead to, creates the temporary file beside it new (never following
//! anything already at that name) with no more than the final
//! permissions from the start, gives it the original's owner and group,
//! writes and syncs it, checks right before the rename that the original
//! is still what was read (the same file, size, modification and change
//! times, and content hash), and renames it over the original. A file
//! with more than one hard link, or whose owner or group cannot be given
//! to a new file, is written in place instead (after the same check, made
//! on the handle that is then written), so that the links stay one file
//! and the owner is kept; such a write is not atomic. A file whose owner
//! has no write permission is refused unless the caller forces it.

use std::fmt;
use std::fs::{self, File, Metadata, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

/// The most berth reads of a Dockerfile: 16 MiB. Texts over
/// [`crate::rules::MAX_CHECKED_BYTES`] (2 MiB) are modelled but not
/// checked; this hard bound, well above that, keeps a generated or
/// mistaken input (a log file, a disk image) from being read whole.
pub const MAX_DOCKERFILE_BYTES: u64 = 16 << 20;

/// The most berth reads of a `.dockerignore`: 1 MiB (real ones are a few
/// hundred bytes).
pub const MAX_IGNORE_BYTES: u64 = 1 << 20;

const _: () = assert!(MAX_DOCKERFILE_BYTES > crate::rules::MAX_CHECKED_BYTES as u64);

/// Extra flags for every open: `O_NONBLOCK`, so that opening a FIFO
/// returns at once instead of waiting for a writer (for a regular file
/// the flag changes nothing), and `O_NOCTTY`, so that a terminal device
/// swapped in never becomes berth's controlling terminal. The values are
/// rustix's on Linux, and the BSDs' and macOS's `O_NONBLOCK` (which is 4
/// on all of them; they never take a controlling terminal on open). On
/// other systems no flag is added, and the metadata check before the open
/// is the only guard against a FIFO.
#[cfg(target_os = "linux")]
const OPEN_FLAGS: i32 = rustix::fs::OFlags::NONBLOCK
    .union(rustix::fs::OFlags::NOCTTY)
    .bits() as i32;
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly"
))]
const OPEN_FLAGS: i32 = 0x0004;
#[cfg(all(
    unix,
    not(any(
        target_os = "linux",
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly"
    ))
))]
const OPEN_FLAGS: i32 = 0;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The system refused (the file does not exist, no permission...).
    Io(io::Error),
    /// Not a regular file: what it is instead ("a FIFO").
    NotRegular(&'static str),
    /// Larger than the bound given, in bytes.
    TooLarge(u64),
}

impl ReadError {
    /// Whether berth chose not to read the file (a special file or one
    /// over the bound), rather than failed to.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, ReadError::Io(_))
    }

    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound
            || e.kind() == io::ErrorKind::NotADirectory)
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => f.write_str(&io_reason(e)),
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge(limit) => write!(f, "larger than {}", size(*limit)),
        }
    }
}

/// An IO error without its " (os error 2)" tail.
fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

/// A size for people: `16 MiB`, `512 KiB`, `100 bytes`.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file that is not regular is, for messages.
fn kind(ft: fs::FileType) -> &'static str {
    if ft.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// `Ok` when `meta` (taken following symbolic links) is a regular file of
/// at most `limit` bytes: what [`read`] accepts. For callers that decide
/// from a directory walk which files to read.
pub fn check_regular(meta: &Metadata, limit: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(())
}

/// What is known of a file as it was read: enough to tell, before writing
/// over it, whether it is still the same file with the same content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    hash: u64,
    modified: Option<SystemTime>,
    /// Device, inode, mode, owner, group and change time (seconds and
    /// nanoseconds): another file renamed over it, a `chmod` or a `chown`
    /// since the read all change one of them.
    #[cfg(unix)]
    unix: [i64; 7],
}

impl Stamp {
    fn of(meta: &Metadata, bytes: &[u8]) -> Stamp {
        let mut h = std::hash::DefaultHasher::new();
        h.write(bytes);
        Stamp {
            len: bytes.len() as u64,
            hash: h.finish(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix: {
                use std::os::unix::fs::MetadataExt;
                [
                    meta.dev() as i64,
                    meta.ino() as i64,
                    meta.mode() as i64,
                    meta.uid() as i64,
                    meta.gid() as i64,
                    meta.ctime(),
                    meta.ctime_nsec(),
                ]
            },
        }
    }
}

/// A file's bytes and its [`Stamp`].
#[derive(Debug)]
pub struct Contents {
    pub bytes: Vec<u8>,
    pub stamp: Stamp,
}

/// Open `path` without blocking on a FIFO (see [`OPEN_FLAGS`]).
fn open(path: &Path, write: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(write);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(OPEN_FLAGS);
    }
    o.open(path)
}

/// Read the regular file at `path` (symbolic links followed), at most
/// `limit` bytes; see the module documentation.
pub fn read(path: &Path, limit: u64) -> Result<Contents, ReadError> {
    check_regular(&fs::metadata(path)?, limit)?;
    let file = open(path, false)?;
    // The handle, not the path: something swapped in since the check
    // above is refused here.
    let meta = file.metadata()?;
    check_regular(&meta, limit)?;
    let bytes = read_bounded(&file, limit)?;
    Ok(Contents {
        stamp: Stamp::of(&meta, &bytes),
        bytes,
    })
}

/// Everything `reader` gives, if that is at most `limit` bytes (it reads
/// one byte more to tell). For stdin and the files [`read`] opened.
pub fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// Its owner has no write permission, and the write was not forced.
    ReadOnly,
    /// It is no longer what was read.
    Changed,
    /// It is not a regular file (any more).
    NotRegular(&'static str),
    /// The system refused a step, named.
    Io(&'static str, io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::ReadOnly => f.write_str(
                "read-only (its owner has no write permission); not written \
                 (--force writes it anyway)",
            ),
            WriteError::Changed => {
                f.write_str("changed on disk while it was being fixed; not written")
            }
            WriteError::NotRegular(what) => {
                write!(f, "not a regular file ({what}); not written")
            }
            WriteError::Io(what, e) => write!(f, "{what}: {}", io_reason(e)),
        }
    }
}

/// `Err(Changed)` unless `file` (opened on the target) still matches
/// `original`. Leaves the file's position anywhere.
fn ensure_unchanged(file: &File, original: &Stamp) -> Result<(), WriteError> {
    let meta = file
        .metadata()
        .map_err(|e| WriteError::Io("cannot read the file again", e))?;
    if !meta.is_file() {
        return Err(WriteError::NotRegular(kind(meta.file_type())));
    }
    // More bytes than were read: changed, without reading them all.
    let bytes = match read_bounded(file, original.len) {
        Ok(b) => b,
        Err(ReadError::Io(e)) => return Err(WriteError::Io("cannot read the file again", e)),
        Err(_) => return Err(WriteError::Changed),
    };
    if Stamp::of(&meta, &bytes) != *original {
        return Err(WriteError::Changed);
    }
    Ok(())
}

/// Open `target` and check it still matches `original`.
fn reopen_unchanged(target: &Path, original: &Stamp, write: bool) -> Result<File, WriteError> {
    let file = open(target, write).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            WriteError::Changed
        } else {
            WriteError::Io("cannot open the file", e)
        }
    })?;
    ensure_unchanged(&file, original)?;
    Ok(file)
}

/// Whether the owner of the file has no write permission.
fn read_only(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o200 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// Hard links to the file.
fn links(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Write `new` over the file at `path`, which was read as `original`;
/// `force` writes a read-only file too. See the module documentation.
pub fn replace(path: &Path, original: &Stamp, new: &[u8], force: bool) -> Result<(), WriteError> {
    // The file itself, not a symbolic link to it: the link stays a link.
    let target =
        fs::canonicalize(path).map_err(|e| WriteError::Io("cannot resolve the path", e))?;
    let meta =
        fs::metadata(&target).map_err(|e| WriteError::Io("cannot read the file again", e))?;
    if !meta.is_file() {
        return Err(WriteError::NotRegular(kind(meta.file_type())));
    }
    if read_only(&meta) && !force {
        return Err(WriteError::ReadOnly);
    }
    // Refuse early, before a temporary file exists; checked again last.
    drop(reopen_unchanged(&target, original, false)?);
    if links(&meta) > 1 {
        return write_in_place(&target, original, new);
    }
    match write_beside(&target, &meta, original, new)? {
        Beside::Renamed => Ok(()),
        Beside::OwnerNotKept => write_in_place(&target, original, new),
    }
}

/// Overwrite the file itself: its inode, links, owner, mode and other
/// attributes stay. The check and the write use one handle, so the file
/// checked is the file written.
fn write_in_place(target: &Path, original: &Stamp, new: &[u8]) -> Result<(), WriteError> {
    let mut file = reopen_unchanged(target, original, true)?;
    let err = |e| WriteError::Io("cannot write the file", e);
    file.seek(io::SeekFrom::Start(0)).map_err(err)?;
    file.write_all(new).map_err(err)?;
    file.set_len(new.len() as u64).map_err(err)?;
    file.sync_all().map_err(err)
}

enum Beside {
    Renamed,
    /// The temporary file could not be given the original's owner or
    /// group (it was removed): the caller writes in place.
    OwnerNotKept,
}

/// Numbers the temporary files of this process.
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary file beside `target`, created new (never opening something
/// already there, such as a planted symbolic link) with at most the
/// target's permission bits (the umask may take more away), and its path.
fn create_temp(target: &Path, meta: &Metadata) -> Result<(PathBuf, File), WriteError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    // A short, recognisable name: the file's name cut to 64 characters.
    let name: String = target
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(64).collect())
        .unwrap_or_default();
    let mut tries = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.berth-{}-{n}", std::process::id()));
        let mut o = OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            o.mode(meta.permissions().mode() & 0o777);
        }
        #[cfg(not(unix))]
        let _ = meta;
        match o.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(WriteError::Io("cannot create a temporary file", e)),
        }
    }
}

/// Give the new file the original's owner and group (where the system
/// permits), then exactly its mode (a `chown` may clear set-id bits, and
/// the umask may have narrowed the mode at creation); `false` when the
/// owner or group cannot be kept.
#[cfg(unix)]
fn keep_attributes(tmp: &File, meta: &Metadata) -> Result<bool, WriteError> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let err = |e| WriteError::Io("cannot set the temporary file's attributes", e);
    let now = tmp.metadata().map_err(err)?;
    if (now.uid(), now.gid()) != (meta.uid(), meta.gid())
        && std::os::unix::fs::fchown(tmp, Some(meta.uid()), Some(meta.gid())).is_err()
    {
        return Ok(false);
    }
    let mode = meta.mode() & 0o7777;
    if tmp.metadata().map_err(err)?.mode() & 0o7777 != mode {
        tmp.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(err)?;
    }
    Ok(true)
}

/// Write `new` to a temporary file beside `target` and rename it over
/// `target` when `target` still matches `original`. The temporary file is
/// removed on every outcome but the rename.
fn write_beside(
    target: &Path,
    meta: &Metadata,
    original: &Stamp,
    new: &[u8],
) -> Result<Beside, WriteError> {
    let (tmp, mut file) = create_temp(target, meta)?;
    let outcome = (|| -> Result<Beside, WriteError> {
        #[cfg(unix)]
        if !keep_attributes(&file, meta)? {
            return Ok(Beside::OwnerNotKept);
        }
        let err = |e| WriteError::Io("cannot write a temporary file", e);
        file.write_all(new).map_err(err)?;
        // Synced before the rename: after a crash the name holds either
        // the old or the new text, never a part.
        file.sync_all().map_err(err)?;
        #[cfg(not(unix))]
        fs::set_permissions(&tmp, meta.permissions())
            .map_err(|e| WriteError::Io("cannot keep the permissions", e))?;
        // The last look before the rename.
        drop(reopen_unchanged(target, original, false)?);
        fs::rename(&tmp, target).map_err(|e| WriteError::Io("cannot replace the file", e))?;
        sync_dir(target);
        Ok(Beside::Renamed)
    })();
    if !matches!(outcome, Ok(Beside::Renamed)) {
        let _ = fs::remove_file(&tmp);
    }
    outcome
}

/// Sync the directory holding `target`, so the rename itself survives a
/// crash (best effort: not every system or file system allows it).
fn sync_dir(target: &Path) {
    #[cfg(unix)]
    if let Some(dir) = target.parent() {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = target;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(MAX_DOCKERFILE_BYTES), "16 MiB");
        assert_eq!(size(MAX_IGNORE_BYTES), "1 MiB");
        assert_eq!(size(512 << 10), "512 KiB");
        assert_eq!(size(100), "100 bytes");
    }

    /// A fresh directory under the system temp dir.
    fn temp_dir(tag: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "berth-files-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn something_planted_at_a_temporary_name_is_never_followed() {
        let dir = temp_dir("planted");
        let p = dir.join("Dockerfile");
        fs::write(&p, "FROM a\n").unwrap();
        let victim = dir.join("victim");
        fs::write(&victim, "keep\n").unwrap();
        // Links at the next temporary names (other tests may take some of
        // the numbers too; the writer skips every name already taken).
        let next = COUNTER.load(Ordering::Relaxed);
        for n in next..next + 4 {
            let tmp = dir.join(format!(".Dockerfile.berth-{}-{n}", std::process::id()));
            #[cfg(unix)]
            std::os::unix::fs::symlink(&victim, &tmp).unwrap();
            #[cfg(not(unix))]
            fs::write(&tmp, "keep\n").unwrap();
        }
        let before = read(&p, MAX_DOCKERFILE_BYTES).unwrap();
        replace(&p, &before.stamp, b"FROM b\n", false).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "FROM b\n");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep\n");
        let _ = fs::remove_dir_all(&dir);
    }

    /// The open itself does not wait for a writer: what guards the read
    /// when a FIFO is swapped in after the metadata check.
    #[cfg(target_os = "linux")]
    #[test]
    fn opening_a_fifo_does_not_block_and_the_handle_is_refused() {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = temp_dir("fifo");
        let fifo = dir.join("Dockerfile");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let opened = open(&path, false).and_then(|f| f.metadata());
            let _ = tx.send(opened.map(|m| check_regular(&m, MAX_DOCKERFILE_BYTES)));
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(20));
        if got.is_err() {
            // Release the blocked open before failing.
            let _ = OpenOptions::new()
                .write(true)
                .custom_flags(OPEN_FLAGS)
                .open(&fifo);
        }
        let _ = fs::remove_dir_all(&dir);
        let checked = got.expect("opening a FIFO blocked").unwrap();
        assert!(
            matches!(checked, Err(ReadError::NotRegular("a FIFO"))),
            "{checked:?}"
        );
    }

    #[test]
    fn bounded_reads_stop_one_byte_over() {
        assert_eq!(read_bounded(&b"abc"[..], 3).unwrap(), b"abc");
        assert!(matches!(
            read_bounded(io::repeat(0), 10),
            Err(ReadError::TooLarge(10))
        ));
    }
}
