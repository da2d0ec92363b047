//! Where the diagnostics time goes: each rule's check timed alone on the
//! large files, slowest first (`cargo bench --bench rule_costs`).

use std::path::Path;
use std::time::{Duration, Instant};

use berth::model::Model;
use berth::rules::{self, Acc, Ctx, RuleSettings};

#[path = "../src/bin/berth-bench/gen.rs"]
mod gen;

fn time<T>(iters: u32, mut f: impl FnMut() -> T) -> Duration {
    // Median of `iters` runs.
    let mut v: Vec<Duration> = (0..iters)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut inputs = vec![("gen-5000".to_string(), gen::generate(100))];
    let large =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large-3000-lines.Dockerfile");
    if let Ok(t) = std::fs::read_to_string(large) {
        inputs.push(("large-3000".into(), t));
    }
    let settings = RuleSettings::default();
    for (name, text) in inputs {
        let iters = 15;
        let model = Model::build(&text);
        println!("## {name}: median of {iters} runs");
        println!(
            "{:<40} {:>9.3} ms",
            "Model::build",
            ms(time(iters, || Model::build(&text)))
        );
        println!(
            "{:<40} {:>9.3} ms",
            "Ctx::new",
            ms(time(iters, || Ctx::new(&text, &model, &settings)
                .scripts(0)
                .len()))
        );
        println!(
            "{:<40} {:>9.3} ms",
            "rules::run",
            ms(time(iters, || rules::run(&text, &model, &settings)))
        );
        let ctx = Ctx::new(&text, &model, &settings);
        let mut costs: Vec<(Duration, &str)> = rules::all()
            .iter()
            .map(|r| {
                let d = time(iters, || {
                    let mut acc = Acc::default();
                    (r.check)(&ctx, &mut acc);
                    acc
                });
                (d, r.meta.code)
            })
            .collect();
        costs.sort_by(|a, b| b.cmp(a));
        let total: Duration = costs.iter().map(|c| c.0).sum();
        println!("{:<40} {:>9.3} ms", "sum of rule checks", ms(total));
        for (d, code) in costs.iter().take(15) {
            println!("  {code:<38} {:>9.3} ms", ms(*d));
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
