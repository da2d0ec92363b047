//! The diagnostics derived from the previous version's after an edit
//! (`Analysis::after_edit`) equal those of a full analysis of the new
//! text: on edits of every file in ../shared/corpus and the examples, and
//! on random edits of generated multi-stage files.

use std::path::Path;

mod common;
use common::{dockerfiles, first_difference, floor, Rng};
use std::sync::Arc;

use berth::ide::{Analysis, Edit, Settings};
use berth::text::{Document, TextRange};
use proptest::prelude::*;

/// What a user types inside instructions, plus characters that change
/// references, variables, quoting and flags.
const TYPED: &[&str] = &[
    "a",
    "z",
    "0",
    "1",
    " ",
    "-",
    "--",
    "=",
    ".",
    "/",
    ":",
    "$",
    "{",
    "}",
    "'",
    "\"",
    ",",
    "builder",
    "--from=",
    "from=",
    "apt-get install ",
    "sudo ",
    "cd /",
    "${X}",
    "@",
    "é",
    "\t",
    ";",
    "&&",
    "|",
    "[",
    "]",
    // Edits the derivation leaves to the model's rebuild.
    "\n",
    "\\\n",
    "# ",
    "<<EOF\n",
    "\nSHELL [\"bash\", \"-c\"]\n",
];

/// Apply one random edit near `at` to `prev`, and compare the derived
/// analysis with a full one. Returns the new analysis and whether the
/// incremental path was taken.
fn step(
    prev: Analysis,
    settings: &Arc<Settings>,
    rng: &mut Rng,
    at: usize,
    label: &str,
) -> (Analysis, bool) {
    let text = prev.text();
    let start = floor(text, at);
    let end = match rng.below(3) {
        0 => start,
        _ => floor(text, start + 1 + rng.below(3)),
    };
    let inserted = if rng.below(4) == 0 {
        ""
    } else {
        TYPED[rng.below(TYPED.len())]
    };
    let mut doc = prev.document().clone();
    doc.set_version(prev.version() + 1);
    let range = doc
        .apply_change(Some(TextRange::from_usize(start, end)), inserted)
        .expect("a range edit");
    let edit = Edit {
        range,
        text: inserted.to_string(),
    };
    // Nothing else holds `prev`: its model and scripts are taken over, as
    // in the server.
    let derived = Analysis::after_edit(prev, &edit, doc.clone(), settings.clone());
    let full = Analysis::new(doc, settings.clone());
    if derived.rebuilt() {
        let (a, b) = (
            format!("{:#?}", derived.model()),
            format!("{:#?}", full.model()),
        );
        assert!(
            a == b,
            "{label}: replacing {start}..{end} with {inserted:?}: the rebuilt model (left) differs from the built one: {}\n--- text ---\n{}",
            first_difference(&a, &b),
            full.text()
        );
    }
    if derived.diagnostics() != full.diagnostics() {
        let only = |a: &[berth::rules::Diagnostic], b: &[berth::rules::Diagnostic]| {
            a.iter()
                .filter(|d| !b.contains(d))
                .map(|d| format!("{d:?}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{label}: replacing {start}..{end} with {inserted:?} (derived: {})\n\
             --- only derived ---\n{}\n--- only full ---\n{}\n--- text ---\n{}",
            derived.derived(),
            only(derived.diagnostics(), full.diagnostics()),
            only(full.diagnostics(), derived.diagnostics()),
            full.text()
        );
    }
    let was = derived.derived() || derived.rebuilt();
    (derived, was)
}

/// Edits at instruction positions of `text`: chains of five keystrokes,
/// each from the previous derived analysis. Returns (edits, derived).
fn check_file(text: &str, label: &str, seed: u64, chains: usize) -> (usize, usize) {
    let settings = Arc::new(Settings::default());
    let mut rng = Rng(seed | 1);
    let (mut n, mut fast) = (0, 0);
    for _ in 0..chains {
        let mut a = Analysis::new(Document::new(text, 1), settings.clone());
        a.diagnostics();
        let ins = &a.model().instructions;
        if ins.is_empty() {
            return (n, fast);
        }
        let pick = &ins[rng.below(ins.len())];
        // Somewhere after the keyword, up to the end of the instruction.
        let span = (pick.range.end - pick.range.start) as usize;
        let mut at = pick.range.start as usize + 1 + rng.below(span.max(1));
        for _ in 0..5 {
            let (next, was) = step(a, &settings, &mut rng, at, label);
            n += 1;
            fast += was as usize;
            at = floor(next.text(), at + 1);
            a = next;
            a.diagnostics();
        }
    }
    (n, fast)
}

#[test]
fn derived_equals_full_on_the_examples() {
    let files = dockerfiles(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .as_path(),
    );
    assert!(!files.is_empty());
    let (mut n, mut fast) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        let (a, b) = check_file(&text, &f.display().to_string(), 7 + i as u64, 20);
        n += a;
        fast += b;
    }
    eprintln!("examples: {fast} of {n} edits derived");
    // Most keystrokes inside instructions take the incremental path; the
    // others (FROM lines, global ARGs, risky characters) are computed afresh.
    assert!(fast * 2 > n, "only {fast} of {n} edits were derived");
}

#[test]
fn derived_equals_full_on_the_corpus() {
    let files = common::corpus_files();
    if files.is_empty() {
        return;
    }
    let (mut n, mut fast) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        if text.len() > 200_000 {
            continue;
        }
        let chains = if text.len() > 50_000 { 1 } else { 3 };
        let (a, b) = check_file(&text, &f.display().to_string(), 1000 + i as u64, chains);
        n += a;
        fast += b;
    }
    eprintln!("corpus: {fast} of {n} edits derived");
    assert!(fast * 2 > n, "only {fast} of {n} edits were derived");
}

/// Stages that refer to each other by name and index, with ARGs, ENV,
/// COPY --from, mounts and pragmas.
const STAGE_PARTS: &[&str] = &[
    "FROM alpine:3.20 AS base\n",
    "FROM base AS build\n",
    "FROM build AS test\n",
    "FROM scratch\n",
    "FROM ${IMG} AS v\n",
    "ARG IMG=debian:12\n",
    "ARG V\n",
    "ENV A=${V:-x} B=\"q\"\n",
    "COPY --from=build /out /out\n",
    "COPY --from=0 /etc/x /etc/x\n",
    "COPY --from=missing /a /a\n",
    "RUN --mount=type=cache,from=base,target=/c ls /c\n",
    "RUN apt-get update && apt-get install -y curl\n",
    "RUN cd /tmp && make\n",
    "RUN apk add git\n",
    "USER root\n",
    "WORKDIR app\n",
    "CMD [\"sh\"]\n",
    "CMD echo hi\n",
    "# hadolint ignore=DL3008\n",
    "HEALTHCHECK CMD true\n",
    "EXPOSE 80\n",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn derived_equals_full_on_generated_files(
        parts in proptest::collection::vec(proptest::sample::select(STAGE_PARTS), 1..30),
        seed in any::<u64>(),
    ) {
        let text = parts.concat();
        check_file(&text, "generated", seed, 3);
    }
}

/// The analysis after replacing `old` (found in `text`) with `new`, made
/// from the previous one as the server does, and a full analysis of the
/// new text.
fn after_replacing(text: &str, old: &str, new: &str) -> (Analysis, Analysis) {
    let settings = Arc::new(Settings::default());
    let prev = Analysis::new(Document::new(text.to_string(), 1), settings.clone());
    prev.diagnostics();
    let start = text.find(old).expect("in the text");
    let mut doc = prev.document().clone();
    doc.set_version(2);
    let range = doc
        .apply_change(Some(TextRange::from_usize(start, start + old.len())), new)
        .expect("a range edit");
    let edit = Edit {
        range,
        text: new.to_string(),
    };
    let derived = Analysis::after_edit(prev, &edit, doc.clone(), settings.clone());
    (derived, Analysis::new(doc, settings))
}

/// Turning a SHELL into a RUN, or a RUN into a SHELL, in one edit changes
/// the shell every later RUN is read in: their scripts are parsed again.
#[test]
fn a_shell_turned_into_a_run_and_back_changes_the_scripts_after_it() {
    let pwsh = "FROM debian\nSHELL [\"pwsh\", \"-c\"]\nRUN apt-get install curl\n";
    let posix = "FROM debian\nRUN echo hi\nRUN apt-get install curl\n";
    let apt = |a: &Analysis| {
        a.diagnostics()
            .iter()
            .filter(|d| d.code == "DL3008" || d.code == "DL3014")
            .count()
    };
    let (derived, full) = after_replacing(pwsh, "SHELL [\"pwsh\", \"-c\"]", "RUN echo hi");
    assert!(derived.rebuilt());
    assert!(apt(&full) > 0, "{:?}", full.diagnostics());
    assert_eq!(derived.diagnostics(), full.diagnostics());
    let (derived, full) = after_replacing(posix, "RUN echo hi", "SHELL [\"pwsh\", \"-c\"]");
    assert!(derived.rebuilt());
    assert_eq!(apt(&full), 0, "{:?}", full.diagnostics());
    assert_eq!(derived.diagnostics(), full.diagnostics());
}
