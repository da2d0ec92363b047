//! Micro-benchmarks of the analysis layers on the large files:
//! `cargo bench --bench analysis` (`-- <filter>` for one group).
//!
//! Inputs: `../shared/corpus/large-3000-lines.Dockerfile` when present, and
//! the generated 5,000-line file with 100 stages of the LSP benchmark.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use berth::ide::{Analysis, Edit, Settings};
use berth::model::Model;
use berth::rules::{self, RuleSettings};
use berth::text::{Document, TextRange, TextSize};
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../src/bin/berth-bench/gen.rs"]
mod gen;
#[path = "../src/bin/berth-bench/positions.rs"]
mod positions;

fn inputs() -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    let large =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large-3000-lines.Dockerfile");
    match std::fs::read_to_string(&large) {
        Ok(t) => v.push(("large-3000", t)),
        Err(_) => eprintln!("SKIPPED large-3000: ../shared absent"),
    }
    v.push(("gen-5000", gen::generate(100)));
    v
}

/// Where `berth-bench` types: the end of the first line of the RUN nearest
/// the middle of the file, and the end of the last `--from=` value.
fn run_offset(text: &str) -> usize {
    positions::run_typing_offset(text)
}

fn from_offset(text: &str) -> usize {
    positions::from_offsets(text).map_or(text.len() / 2, |(start, _)| start)
}

fn at(text: &str, offset: usize) -> TextSize {
    TextSize::try_from(offset.min(text.len())).expect("file under 4 GiB")
}

fn benches(c: &mut Criterion) {
    let settings = Arc::new(Settings::default());
    for (name, text) in inputs() {
        let mut g = c.benchmark_group(name);
        g.bench_function("syntax-parse", |b| {
            b.iter(|| berth::syntax::parse(black_box(&text)))
        });
        g.bench_function("tree-full-parse", |b| {
            b.iter(|| berth::text::parse_tree(black_box(&text)))
        });
        // An edit, then the tree the next tree-using request parses.
        g.bench_function("tree-after-edit", |b| {
            let doc = Document::new(text.clone(), 0);
            doc.tree();
            let off = at(&text, run_offset(&text));
            b.iter(|| {
                let mut d = doc.clone();
                d.apply_change(Some(TextRange::empty(off)), "x");
                d.tree().root_node().child_count()
            })
        });
        g.bench_function("model-build", |b| b.iter(|| Model::build(black_box(&text))));
        let model = Model::build(&text);
        g.bench_function("model-clone", |b| b.iter(|| black_box(&model).clone()));
        // The model after a keystroke in the last RUN with apt-get, from
        // the previous version's (a copy of it, as the benchmark keeps it).
        g.bench_function("model-rebuild", |b| {
            let off = run_offset(&text);
            let mut edited = Document::new(text.clone(), 0);
            edited.apply_change(Some(TextRange::empty(at(&text, off))), "x");
            b.iter(|| {
                Model::rebuild(
                    model.clone(),
                    black_box(&edited),
                    at(&text, off),
                    at(&text, off),
                    at(&text, off) + 1,
                    &Default::default(),
                )
            })
        });
        g.bench_function("rules-run", |b| {
            b.iter(|| rules::run(black_box(&text), &model, &RuleSettings::default()))
        });
        // What the server does per keystroke: edit, model, diagnostics.
        g.bench_function("keystroke-to-diagnostics", |b| {
            let doc = Document::new(text.clone(), 0);
            let off = at(&text, run_offset(&text));
            let mut n = 0;
            b.iter(|| {
                let mut d = doc.clone();
                n += 1;
                d.apply_change(
                    Some(TextRange::empty(off)),
                    if n % 2 == 0 { "y" } else { "x" },
                );
                let a = Analysis::new(d, settings.clone());
                a.diagnostics().len()
            })
        });
        // The same keystroke as the server takes it: from the previous
        // version's analysis, which nothing else holds (set up untimed).
        g.bench_function("keystroke-incremental", |b| {
            let doc = Document::new(text.clone(), 0);
            let off = at(&text, run_offset(&text));
            b.iter_batched(
                || {
                    let prev = Analysis::new(doc.clone(), settings.clone());
                    prev.diagnostics();
                    prev
                },
                |prev| {
                    let mut d = prev.document().clone();
                    let range = d.apply_change(Some(TextRange::empty(off)), "x");
                    let edit = Edit {
                        range: range.expect("a range edit"),
                        text: "x".into(),
                    };
                    let a = Analysis::after_edit(prev, &edit, d, settings.clone());
                    assert!(a.derived() || a.rebuilt());
                    a.diagnostics();
                    a // dropped untimed, as the server keeps it
                },
                criterion::BatchSize::PerIteration,
            )
        });
        let a = Analysis::from_text(&text, settings.clone());
        a.diagnostics();
        let from = at(&text, from_offset(&text));
        g.bench_function("completion-after-from", |b| {
            b.iter(|| a.completions(black_box(from)))
        });
        g.bench_function("definition-on-stage-ref", |b| {
            b.iter(|| a.definition(black_box(from)))
        });
        g.bench_function("hover-on-stage-ref", |b| {
            b.iter(|| a.hover(black_box(from)))
        });
        g.finish();
    }
}

criterion_group! {
    name = analysis;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = benches
}
criterion_main!(analysis);
