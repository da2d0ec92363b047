//! Keystrokes as the language server takes them: a chain of 2,000 edits at
//! the end of the RUN line nearest the middle of the file (where
//! `berth-bench` types), a character typed then deleted, each analysis made
//! from the previous one (`Analysis::after_edit`) and its diagnostics
//! computed. Prints p50/p99 of the whole step and of `after_edit` alone
//! (`cargo bench --bench keystroke_chain`).
//!
//! Twice: back to back, and with the thread asleep for 10 ms before each
//! keystroke, as between keystrokes in an editor. The second is the slower
//! on this kind of machine (a virtual CPU that goes idle comes back with
//! cold caches): it is the figure a user sees. `KEYSTROKE_INPUT=gen-5000`
//! (or `large-3000`) runs one input only.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use berth::ide::{Analysis, Edit, Settings};
use berth::text::{Document, TextRange, TextSize};

#[path = "../src/bin/berth-bench/gen.rs"]
mod gen;
#[path = "../src/bin/berth-bench/positions.rs"]
#[allow(dead_code)]
mod positions;

fn main() {
    let mut inputs = vec![("gen-5000".to_string(), gen::generate(100))];
    let large =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large-3000-lines.Dockerfile");
    match std::fs::read_to_string(large) {
        Ok(t) => inputs.push(("large-3000".into(), t)),
        Err(_) => eprintln!("SKIPPED large-3000: ../shared absent"),
    }
    let only = std::env::var("KEYSTROKE_INPUT").ok();
    inputs.retain(|(name, _)| only.as_deref().is_none_or(|o| o == name));
    for ((name, text), (n, idle)) in inputs
        .iter()
        .flat_map(|input| [(input, (2000, None)), (input, (300, Some(10)))])
    {
        let text = text.clone();
        let settings = Arc::new(Settings::default());
        let at = TextSize::try_from(positions::run_typing_offset(&text)).expect("small file");
        let mut a = Analysis::new(Document::new(text, 0), settings.clone());
        a.diagnostics();
        let (mut steps, mut edits) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for i in 0..n {
            if let Some(idle) = idle {
                std::thread::sleep(Duration::from_millis(idle));
            }
            let start = Instant::now();
            let mut doc = a.document().clone();
            let (range, typed) = if i % 2 == 0 {
                (TextRange::empty(at), "x")
            } else {
                (TextRange::new(at, at + TextSize::from(1u32)), "")
            };
            let range = doc.apply_change(Some(range), typed).expect("a range edit");
            let edit = Edit {
                range,
                text: typed.into(),
            };
            a = Analysis::after_edit(a, &edit, doc, settings.clone());
            edits.push(start.elapsed());
            a.diagnostics();
            steps.push(start.elapsed());
        }
        let pause = idle.map_or("back to back".to_string(), |ms| {
            format!("{ms} ms idle before each")
        });
        println!(
            "{name}, {pause}: keystroke p50 {:.3} ms, p99 {:.3} ms; after_edit alone p50 {:.3} ms ({n} keystrokes)",
            ms(pct(&mut steps, 50)),
            ms(pct(&mut steps, 99)),
            ms(pct(&mut edits, 50)),
        );
    }
}

fn pct(v: &mut [Duration], p: usize) -> Duration {
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
