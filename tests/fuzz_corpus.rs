//! The fuzz targets (`fuzz/targets.rs`) run as a plain test on stable
//! Rust: over every file of `../shared/corpus` and a few deterministic
//! mutations of each (truncation, deleted and duplicated spans, inserted
//! fragments, edit sequences). Real fuzzing is `scripts/fuzz.sh`.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn corpus() -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    Some(
        files
            .into_iter()
            .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            .collect(),
    )
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const FRAGMENTS: &[&[u8]] = &[
    b"\\\n",
    b"<<EOF\n",
    b"\nEOF\n",
    b"${A:-${B}}",
    b"[\"",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xC3",
    b"FROM a AS b\n",
    b"COPY --from=",
    b"RUN --mount=type=cache,from=",
    b"# syntax=docker/dockerfile:1\n",
    b"# escape=`\n",
    b"`\n",
    b"\xF0\x9F\x9A\xA2",
    b"ARG ",
    b"\"",
    b"'",
    b"&& ",
];

/// Mutations of `input`: truncated, a span deleted, a span duplicated, a
/// fragment inserted.
fn mutations(input: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let n = input.len();
    let mut out = Vec::new();
    out.push(input[..rng.below(n + 1)].to_vec());
    let (a, b) = sorted(rng.below(n + 1), rng.below(n + 1));
    out.push([&input[..a], &input[b..]].concat());
    out.push([&input[..b], &input[a..b], &input[b..]].concat());
    let mut v = input.to_vec();
    for _ in 0..3 {
        let at = rng.below(v.len() + 1);
        let frag = FRAGMENTS[rng.below(FRAGMENTS.len())];
        v.splice(at..at, frag.iter().copied());
    }
    out.push(v);
    out
}

fn sorted(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// An input for the incremental target: `input`, then a few edits.
fn edit_script(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..6 {
        data.push(targets::EDIT_SEP);
        data.push(rng.below(256) as u8);
        data.push(rng.below(256) as u8);
        if rng.below(3) > 0 {
            data.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())]);
        }
    }
    data
}

/// Run `f` on every corpus file (every `stride`-th one in debug builds,
/// which are ~20x slower) and on mutations of it.
fn over_corpus(debug_stride: usize, f: impl Fn(&[u8], &mut Rng)) {
    let Some(files) = corpus() else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let stride = if cfg!(debug_assertions) {
        debug_stride
    } else {
        1
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut ran = 0;
    for (path, bytes) in files.iter().step_by(stride) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(bytes, &mut rng)));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{name} (or a mutation of it): {msg}");
        }
        ran += 1;
    }
    assert!(ran > 0);
    println!("ran on {ran} corpus files and their mutations");
}

#[test]
fn parse_and_diagnose_over_the_corpus() {
    over_corpus(4, |bytes, rng| {
        targets::parse_and_diagnose(bytes);
        for m in mutations(bytes, rng) {
            targets::parse_and_diagnose(&m);
        }
    });
}

#[test]
fn incremental_edits_over_the_corpus() {
    over_corpus(8, |bytes, rng| {
        targets::incremental(&edit_script(bytes, rng));
    });
}

#[test]
fn ide_requests_over_the_corpus() {
    over_corpus(16, |bytes, rng| {
        // Every offset of small files, a stride of larger ones.
        let step = (bytes.len() / 300).max(1);
        targets::ide_everywhere_step(bytes, step);
        let m = &mutations(bytes, rng)[3];
        targets::ide_everywhere_step(m, (m.len() / 100).max(1));
    });
}

#[test]
fn fixes_and_assists_over_the_corpus() {
    over_corpus(8, |bytes, rng| {
        let step = (bytes.len() / 4000).max(1);
        targets::fixes_and_assists_step(bytes, step);
        let m = &mutations(bytes, rng)[1];
        targets::fixes_and_assists_step(m, step);
    });
}

/// The seeds the fuzzers found problems with (`fuzz/regressions/`), each
/// run through every target.
#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz/regressions exists")
        .flatten()
        .collect();
    assert!(!entries.is_empty());
    for e in entries {
        let bytes = std::fs::read(e.path()).unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        let r = std::panic::catch_unwind(|| {
            targets::parse_and_diagnose(&bytes);
            targets::incremental(&bytes);
            targets::ide_everywhere(&bytes);
            targets::fixes_and_assists(&bytes);
        });
        assert!(r.is_ok(), "fuzz regression {name} fails again");
    }
}
