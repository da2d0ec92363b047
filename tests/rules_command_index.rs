//! The command index of `rules::Ctx` gives exactly what a straightforward scan
//! of every command of every RUN gives.

use std::path::Path;

use berth::model::{Instruction, Model};
use berth::rules::{Ctx, RuleSettings};
use berth::shell::Command;

/// Every command, the way rules found them before the index: each
/// instruction in order, its scripts, their commands.
fn scan<'c>(ctx: &'c Ctx<'c>) -> Vec<(&'c Instruction, &'c Command)> {
    let mut out = Vec::new();
    for ins in &ctx.model.instructions {
        for s in ctx.scripts(ins.index) {
            for c in &s.commands {
                out.push((ins, c));
            }
        }
    }
    out
}

type Found<'c> = Vec<(usize, *const Command)>;

fn ids<'c>(v: impl Iterator<Item = (&'c Instruction, &'c Command)>) -> Found<'c> {
    v.map(|(i, c)| (i.index, c as *const Command)).collect()
}

/// Checks `text`; returns the programs it runs, in first-seen order.
fn check_index(text: &str) -> Vec<String> {
    let model = Model::build(text);
    let settings = RuleSettings::default();
    let ctx = Ctx::new(text, &model, &settings);
    let all = scan(&ctx);
    assert_eq!(ids(ctx.commands()), ids(all.iter().copied()), "commands()");
    let mut programs: Vec<String> = Vec::new();
    for (_, c) in &all {
        if !programs.iter().any(|p| p == c.program()) {
            programs.push(c.program().to_string());
        }
    }
    let mut asked: Vec<&str> = programs.iter().map(String::as_str).collect();
    asked.push("no-such-program");
    for (k, p) in asked.iter().enumerate() {
        let want = ids(all.iter().copied().filter(|(_, c)| c.program() == *p));
        assert_eq!(ids(ctx.commands_named(&[p])), want, "program {p}");
        // Two programs at once (and a repeated one): source order, no
        // duplicates.
        let q = asked[(k + 1) % asked.len()];
        let want2 = ids(all
            .iter()
            .copied()
            .filter(|(_, c)| c.program() == *p || c.program() == q));
        assert_eq!(
            ids(ctx.commands_named(&[p, q, p])),
            want2,
            "programs {p}, {q}"
        );
    }
    programs
}

#[test]
fn index_matches_scan_on_a_fixture() {
    let text = "\
FROM debian AS a
RUN apt-get update && /usr/bin/apt-get install -y curl | tee log
RUN echo \"$(apt-get -v)\" && \"/opt/bin/pip\" install x
ONBUILD RUN apk add curl
RUN <<EOF
apt-get clean
EOF
RUN [\"apt-get\", \"exec-form-is-not-a-script\"]
FROM a
RUN X=1 && cd /tmp && apt-get purge y
";
    assert_eq!(
        check_index(text),
        ["apt-get", "tee", "echo", "pip", "apk", "", "cd"]
    );
}

#[test]
fn index_matches_scan_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let mut files = 0;
    for e in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        check_index(&text);
        files += 1;
    }
    assert!(files > 100, "only {files} corpus files read");
}
