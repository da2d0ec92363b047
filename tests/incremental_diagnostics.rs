//! The diagnostics derived from the previous version's after an edit
//! (`Analysis::after_edit`) equal those of a full analysis of the new
//! text: on edits of every file in ../shared/corpus and the examples, and
//! on random edits of generated multi-stage files.

use std::path::Path;

mod common;
#[path = "../src/bin/berth-bench/gen.rs"]
mod gen;
use common::{dockerfiles, first_difference, floor, Rng};
use std::sync::Arc;

use berth::ide::{Analysis, Edit, Settings};
use berth::syntax::Keyword;
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
    let derived = replace_and_compare(prev, settings, start..end, inserted, label);
    let was = derived.derived() || derived.rebuilt();
    (derived, was)
}

/// Replace `start..end` of `prev`'s text with `inserted`, and compare the
/// analysis made from `prev` with a full one (the model, when rebuilt, and
/// the diagnostics). Returns the analysis made from `prev`.
fn replace_and_compare(
    prev: Analysis,
    settings: &Arc<Settings>,
    std::ops::Range { start, end }: std::ops::Range<usize>,
    inserted: &str,
    label: &str,
) -> Analysis {
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
    derived
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
    "FROM alpine:3.20 AS Tools\n",
    "COPY --from=tools /t /t\n",
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

/// Besides [`TYPED`], what is typed into RUN, COPY and ADD lines: stage
/// names, escapes, and commands other rules look for in every RUN of a
/// stage or file.
const TYPED_IN_RUNS: &[&str] = &[
    "s1",
    "\\",
    "<<",
    "\\\\",
    " && curl -o /x https://e.com/x ",
    " && wget https://e.com/x ",
    " && rm -rf /var/lib/apt/lists/* ",
    " && apt-get update && apt-get install -y git ",
    " && mkdir -p /out/bin /app ",
    " && touch /out/etc/version ",
    " && apk add --no-cache git ",
];

/// What a user types inside a RUN, COPY or ADD line: nothing that breaks
/// the line or starts a comment.
fn typed_inside() -> Vec<&'static str> {
    TYPED
        .iter()
        .chain(TYPED_IN_RUNS)
        .copied()
        .filter(|t| !t.contains(['\n', '#']))
        .collect()
}

/// Keystrokes in the arguments of RUN, COPY and ADD instructions of
/// `text`: chains of five characters typed or deleted one after the
/// other, each analysis made from the previous one and compared with a
/// full one. Returns (keystrokes, those whose diagnostics kept rules'
/// findings).
fn type_inside(text: &str, label: &str, seed: u64, chains: usize) -> (usize, usize) {
    let settings = Arc::new(Settings::default());
    let mut rng = Rng(seed | 1);
    let typed = typed_inside();
    let (mut n, mut kept) = (0, 0);
    for _ in 0..chains {
        let mut a = Analysis::new(Document::new(text, 1), settings.clone());
        a.diagnostics();
        let picks: Vec<(usize, usize)> = a
            .model()
            .instructions
            .iter()
            .filter(|i| matches!(i.kind, Keyword::Run | Keyword::Copy | Keyword::Add))
            .map(|i| (i.keyword.range.end as usize, i.logical_end as usize))
            .collect();
        if picks.is_empty() {
            return (n, kept);
        }
        let (after, end) = picks[rng.below(picks.len())];
        let line = &text[after..end];
        // Half of the chains start at the end of a stage reference, when
        // the instruction has one: typing there changes what it names.
        let at_ref = line.find("from=").filter(|_| rng.below(2) == 0).map(|i| {
            let value = &line[i + 5..];
            after + i + 5 + value.find([' ', ',', '\\', '\n']).unwrap_or(value.len())
        });
        let mut at = at_ref.unwrap_or_else(|| {
            floor(
                text,
                after + 1 + rng.below(end.saturating_sub(after).max(1)),
            )
        });
        for _ in 0..5 {
            let next = if rng.below(3) == 0 {
                // The character at `at` deleted.
                let t = a.text();
                let to = (at + 1..=t.len()).find(|&i| t.is_char_boundary(i));
                replace_and_compare(a, &settings, at..to.unwrap_or(at), "", label)
            } else {
                let typed = typed[rng.below(typed.len())];
                let next = replace_and_compare(a, &settings, at..at, typed, label);
                at += typed.len();
                next
            };
            n += 1;
            kept += (next.kept_rules() > 0) as usize;
            a = next;
        }
    }
    (n, kept)
}

/// Typing in RUN, COPY and ADD lines keeps the findings of the rules blind
/// to those instructions, and the result equals a full analysis: on the
/// examples, the corpus, and files with many stages.
#[test]
fn findings_kept_across_keystrokes_inside_run_copy_and_add() {
    let mut files = dockerfiles(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .as_path(),
    );
    let corpus = common::corpus_files();
    if corpus.is_empty() {
        eprintln!("SKIPPED the corpus part: ../shared/corpus is absent");
    }
    files.extend(corpus);
    let (mut n, mut kept) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        if text.len() > 200_000 {
            continue;
        }
        let (a, b) = type_inside(&text, &f.display().to_string(), 5000 + i as u64, 2);
        n += a;
        kept += b;
    }
    // The benchmark's file: its stages all lead to the last one, so the
    // keystrokes take the model's rebuild, where findings are kept. With a
    // stage name and its references in upper case: StageNameCasing's fix
    // renames the references too, so it reads the COPY and RUN lines typed
    // into.
    let generated = gen::generate(6)
        .replace("AS s2\n", "AS S2\n")
        .replace("from=s2", "from=S2");
    let (a, b) = type_inside(&generated, "generated", 99, 300);
    n += a;
    kept += b;
    eprintln!("{kept} of {n} keystrokes kept rules' findings");
    // Most keystrokes in those lines keep them, whether or not the file's
    // stages would let the stage slice take them (the others type into a
    // line with a `#`, or delete into a keyword or a line break).
    assert!(
        kept * 5 > n * 4,
        "only {kept} of {n} keystrokes kept findings"
    );
}

/// A RUN decides a finding on a COPY in another stage, and on an earlier
/// RUN: the rules that read it are checked again after an edit inside the
/// RUN, while the rules blind to RUN keep their findings.
#[test]
fn an_edit_inside_a_run_checks_again_what_reads_it_elsewhere() {
    let text = "FROM alpine:3.20 AS build\n\
                WORKDIR /src\n\
                RUN mkdir -p /app/dist && echo hi\n\
                FROM alpine:3.20\n\
                COPY --from=build /app/dist /dist\n";
    let missing = |a: &Analysis| {
        a.diagnostics()
            .iter()
            .filter(|d| d.code == "CopyFromMissingPath")
            .count()
    };
    let (derived, full) = after_replacing(text, "mkdir -p /app", "mkdir -p /opt");
    assert!(derived.rebuilt());
    assert_eq!(missing(&full), 1, "{:?}", full.diagnostics());
    assert_eq!(derived.diagnostics(), full.diagnostics());
    assert!(derived.kept_rules() > 0);

    // A later RUN that installs without `apt-get update` needs the lists:
    // the earlier RUN's finding loses its fix (deleting them).
    let text = "FROM debian:12\n\
                RUN apt-get update && apt-get install -y curl\n\
                RUN echo hi\n";
    let fixes = |a: &Analysis| {
        a.diagnostics()
            .iter()
            .filter(|d| d.code == "AptListsInShippedStage")
            .map(|d| d.fixes.len())
            .collect::<Vec<_>>()
    };
    let (derived, full) = after_replacing(text, "echo hi", "apt-get install -y git");
    assert_eq!(fixes(&full), [0], "{:?}", full.diagnostics());
    assert_eq!(derived.diagnostics(), full.diagnostics());
    assert!(derived.kept_rules() > 0);
}
