//! The tree after one keystroke: `Document::apply_change` of one character
//! typed inside the RUN nearest the middle of the file (where
//! `berth-bench` types), which edits the rope and reparses incrementally,
//! against a fresh parse of the same text. `cargo bench --bench reparse`
//! (`-- <filter>` for one input or measurement).
//!
//! Inputs: the generated 5,000-line file of the LSP benchmark and
//! `../shared/corpus/large-3000-lines.Dockerfile` when present.
//!
//! `changed_ranges` is computed on first use, so it is measured apart.
//! After criterion's figures, a chain of keystrokes as an editor sends
//! them (a character typed then deleted, each edit applied to the previous
//! version) prints p50/p99/max of `apply_change` (alone, and followed by
//! `changed_ranges`), back to back and with
//! the thread asleep 10 ms before each keystroke (cold caches, as between
//! keystrokes in an editor), and p50/p99 of a fresh parse.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use berth::text::{parse_tree, Document, TextRange, TextSize};
use criterion::Criterion;

#[path = "../src/bin/berth-bench/gen.rs"]
mod gen;
#[path = "../src/bin/berth-bench/positions.rs"]
#[allow(dead_code)]
mod positions;

fn inputs() -> Vec<(&'static str, String)> {
    let mut v = vec![("gen-5000", gen::generate(100))];
    let large =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large-3000-lines.Dockerfile");
    match std::fs::read_to_string(large) {
        Ok(t) => v.push(("large-3000", t)),
        Err(_) => eprintln!("SKIPPED large-3000: ../shared absent"),
    }
    v
}

/// Where the keystrokes go: inside the first line of the RUN nearest the
/// middle of the file.
fn typing_offset(text: &str) -> TextSize {
    TextSize::try_from(positions::run_typing_offset(text)).expect("file under 4 GiB")
}

fn benches(c: &mut Criterion, inputs: &[(&'static str, String)]) {
    for (name, text) in inputs {
        let mut g = c.benchmark_group(*name);
        let doc = Document::new(text.as_str(), 0);
        let at = typing_offset(text);
        g.bench_function("keystroke-incremental", |b| {
            b.iter(|| {
                let mut d = doc.clone();
                d.apply_change(Some(TextRange::empty(black_box(at))), "x");
                d
            })
        });
        g.bench_function("keystroke-incremental+changed-ranges", |b| {
            b.iter(|| {
                let mut d = doc.clone();
                d.apply_change(Some(TextRange::empty(black_box(at))), "x");
                black_box(d.changed_ranges().len());
                d
            })
        });
        let mut edited = text.clone();
        edited.insert(at as usize, 'x');
        g.bench_function("fresh-parse", |b| b.iter(|| parse_tree(black_box(&edited))));
        g.finish();
    }
}

/// p50, p99 and max of `apply_change` (and, with `changed`, of
/// `changed_ranges` after it) over a chain of `n` keystrokes.
fn chain(text: &str, n: usize, idle: Option<Duration>, changed: bool) -> [Duration; 3] {
    let at = typing_offset(text);
    let mut doc = Document::new(text, 0);
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        if let Some(idle) = idle {
            std::thread::sleep(idle);
        }
        let (range, typed) = if i % 2 == 0 {
            (TextRange::empty(at), "x")
        } else {
            (TextRange::new(at, at + 1), "")
        };
        let start = Instant::now();
        doc.apply_change(Some(range), typed);
        if changed {
            black_box(doc.changed_ranges().len());
        }
        times.push(start.elapsed());
        black_box(doc.tree().root_node().child_count());
    }
    percentiles(&mut times)
}

fn fresh(text: &str, n: usize) -> [Duration; 3] {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            black_box(parse_tree(black_box(text)));
            start.elapsed()
        })
        .collect();
    percentiles(&mut times)
}

fn percentiles(v: &mut [Duration]) -> [Duration; 3] {
    v.sort();
    let at = |p: usize| v[(v.len() * p / 100).min(v.len() - 1)];
    [at(50), at(99), v[v.len() - 1]]
}

fn print(name: &str, what: &str, [p50, p99, max]: [Duration; 3]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}, {what}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        ms(p50),
        ms(p99),
        ms(max)
    );
}

fn main() {
    let inputs = inputs();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &inputs);
    c.final_summary();
    // The chains only under `cargo bench` (criterion's test mode, under
    // `cargo test --benches`, runs each benchmark once).
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    for (name, text) in &inputs {
        for (what, changed) in [
            ("apply_change", false),
            ("apply_change + changed_ranges", true),
        ] {
            print(
                name,
                &format!("keystroke {what}, 2000 back to back"),
                chain(text, 2000, None, changed),
            );
            print(
                name,
                &format!("keystroke {what}, 300 with 10 ms idle before each"),
                chain(text, 300, Some(Duration::from_millis(10)), changed),
            );
        }
        print(name, "fresh parse, 100", fresh(text, 100));
    }
}
