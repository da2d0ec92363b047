//! `Model::rebuild` (the previous version's model, with the text from the
//! edited instruction on parsed again) equals `Model::build_with` of the
//! new text, compared through the whole `Debug` dump: for edits anywhere
//! (between instructions, in comments, across lines), with text that
//! joins or splits lines, opens heredocs, starts comments or stages.

use std::path::Path;

mod common;
use common::{dockerfiles, first_difference, floor, Rng};

use berth::model::fs::Fs;
use berth::model::{Kept, Model, ModelSettings};
use berth::rules::{Ctx, RuleSettings, Scripts};
use berth::text::{Document, TextRange};

const INSERTED: &[&str] = &[
    "",
    "x",
    " ",
    "\n",
    "\r\n",
    "\\",
    "\\\n",
    " \\\n  ",
    "`",
    "\n\n",
    "# ",
    "# comment\n",
    "#",
    "<<EOF",
    "<<-EOF\n",
    "EOF\n",
    "\nEOF",
    "RUN <<EOF\nx\nEOF\n",
    "FROM alpine AS z\n",
    "FROM ",
    " AS b",
    "\nFROM x\n",
    "ARG A=1\n",
    "ENV B=$A\n",
    "COPY --from=z /a /b\n",
    "--from=0 ",
    "$X",
    "SHELL [\"bash\", \"-c\"]\n",
    "ONBUILD ",
    "é😀",
    "\t",
    "\"",
    "'",
];

fn dump(m: &Model) -> String {
    format!("{m:#?}")
}

/// `edits` random edits of `text`, each from the model of the previous
/// text (a chain, so the rebuilt model's own bookkeeping is tested too).
/// The rules' filesystem model, where it is kept for the next version (an
/// edit inside one RUN), must equal the one built afresh. Returns how many
/// times it was kept.
fn check(text: &str, label: &str, seed: u64, edits: usize, settings: &ModelSettings) -> usize {
    let mut rng = Rng(seed | 1);
    let mut text = text.to_string();
    let mut model = Model::build_with(&text, settings);
    // The document the editor keeps: its tree reparsed after each edit.
    let mut doc = Document::new(text.clone(), 0);
    let rules = RuleSettings::default();
    let mut scripts = Scripts::default();
    let mut kept_fs = 0;
    for _ in 0..edits {
        let ctx = Ctx::with_scripts(&text, &model, &rules, scripts);
        let fresh = Ctx::new(&text, &model, &rules);
        assert_eq!(
            ctx.command_index(),
            fresh.command_index(),
            "{label} (seed {seed}): the command index carried over the last edit (left) differs from one made afresh\n--- text ---\n{text}"
        );
        drop(fresh);
        ctx.fs();
        scripts = ctx.into_scripts();
        // Mostly near instructions' ends and starts, sometimes anywhere.
        let start = match (rng.below(3), model.instructions.len()) {
            (0, n) if n > 0 => {
                let ins = &model.instructions[rng.below(n)];
                floor(&text, ins.range.end as usize + rng.below(3))
            }
            (1, n) if n > 0 => {
                let ins = &model.instructions[rng.below(n)];
                floor(&text, ins.range.start as usize + rng.below(12))
            }
            _ => floor(&text, rng.below(text.len() + 1)),
        };
        let end = match rng.below(4) {
            0 | 1 => start,
            2 => floor(&text, start + 1 + rng.below(4)),
            _ => floor(&text, start + rng.below(120)),
        };
        let inserted = INSERTED[rng.below(INSERTED.len())];
        let mut new = String::with_capacity(text.len() + inserted.len());
        new.push_str(&text[..start]);
        new.push_str(inserted);
        new.push_str(&text[end..]);
        let (rebuilt, kept) = rebuild(model, &mut doc, start, end, inserted, settings);
        assert_eq!(doc.text(), new);
        let built = Model::build_with(&new, settings);
        let (a, b) = (dump(&rebuilt), dump(&built));
        assert!(
            a == b,
            "{label} (seed {seed}): replacing {start}..{end} with {inserted:?}: the rebuilt model (left) differs from the built one: {}\n--- old text ---\n{text}\n--- new text ---\n{new}",
            first_difference(&a, &b),
        );
        scripts = scripts.remap(&kept, &rebuilt);
        if let Some(fs) = scripts.fs() {
            kept_fs += 1;
            if let Err(diff) = same_fs(fs, &built) {
                panic!("{label} (seed {seed}): replacing {start}..{end} with {inserted:?}: the kept filesystem model (left) differs from the built one: {diff}");
            }
        }
        text = new;
        model = rebuilt;
    }
    kept_fs
}

#[test]
fn rebuilt_equals_built_on_small_texts() {
    let texts = [
        "",
        "FROM a\n",
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM a AS b\nRUN x `\n  y\nCOPY --from=b /a /b\n",
        "ARG V=1\nFROM a:$V AS base\nRUN <<EOF\nset -e\nEOF\nFROM base\nRUN --mount=from=base,target=/x true\n",
        "FROM a\nRUN a \\\n# c\n\nb\nUSER x\n\n# tail\n",
        "FROM a\nRUN <<EOF\nunterminated\n",
        "\u{feff}FROM a\r\nRUN b\r\n",
        "FROM a\nONBUILD RUN x\nSHELL [\"bash\",\"-c\"]\nRUN y\nFROM a AS A\nFROM a AS a\nCOPY --from=A x y",
    ];
    for (i, t) in texts.iter().enumerate() {
        for seed in 0..40 {
            check(
                t,
                &format!("text {i}"),
                seed * 31 + i as u64,
                12,
                &ModelSettings::default(),
            );
        }
    }
}

#[test]
fn rebuilt_equals_built_with_a_target() {
    let settings = ModelSettings {
        target: Some("base".into()),
    };
    let t = "FROM a AS base\nRUN x\nFROM base AS b\nCOPY --from=base / /\nFROM b\n";
    for seed in 0..100 {
        check(t, "target", seed, 10, &settings);
    }
}

#[test]
fn rebuilt_equals_built_on_the_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let files = dockerfiles(&dir);
    assert!(!files.is_empty());
    let mut kept_fs = 0;
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        kept_fs += check(
            &text,
            &f.display().to_string(),
            100 + i as u64,
            60,
            &ModelSettings::default(),
        );
    }
    eprintln!("examples: filesystem model kept and equal {kept_fs} times");
}

/// The filesystem model after one edit of `text`: kept (and then equal to
/// the one built afresh) or not.
fn fs_after(text: &str, start: usize, end: usize, inserted: &str) -> Option<String> {
    let settings = ModelSettings::default();
    let model = Model::build_with(text, &settings);
    let rules = RuleSettings::default();
    let ctx = Ctx::new(text, &model, &rules);
    ctx.fs();
    let scripts = ctx.into_scripts();
    let new = format!("{}{inserted}{}", &text[..start], &text[end..]);
    let mut doc = Document::new(text, 0);
    let (rebuilt, kept) = rebuild(model, &mut doc, start, end, inserted, &settings);
    let scripts = scripts.remap(&kept, &rebuilt);
    let fs = scripts.fs()?;
    if let Err(diff) = same_fs(fs, &Model::build_with(&new, &settings)) {
        panic!("{diff}");
    }
    Some(format!("{fs:?}"))
}

/// `model` (of `doc`'s text) rebuilt after `doc` is edited the way an
/// editor's change does it: `start..end` replaced by `inserted`.
fn rebuild(
    model: Model,
    doc: &mut Document,
    start: usize,
    end: usize,
    inserted: &str,
    settings: &ModelSettings,
) -> (Model, Kept) {
    let at = |n: usize| n as u32;
    doc.apply_change(Some(TextRange::new(at(start), at(end))), inserted);
    Model::rebuild(
        model,
        doc,
        at(start),
        at(end),
        at(start + inserted.len()),
        settings,
    )
}

/// Whether a kept filesystem model is the one `built` gives afresh (in
/// `Debug` form); where they differ otherwise.
fn same_fs(fs: &Fs, built: &Model) -> Result<(), String> {
    let (a, b) = (format!("{fs:#?}"), format!("{:#?}", Fs::new(built)));
    if a == b {
        Ok(())
    } else {
        Err(first_difference(&a, &b))
    }
}

#[test]
fn filesystem_model_is_kept_for_edits_inside_a_run_only() {
    let text = "FROM alpine AS a\nWORKDIR /app\nRUN make \\\n  all\nCOPY x y\nFROM a AS b\nCOPY --from=a /app/out /out\nRUN ls\nENV A=1\n";
    let at = |needle: &str| text.find(needle).unwrap();
    // Typing or deleting inside a RUN's command: kept, moved, and equal.
    for (start, end, inserted) in [
        (at("make") + 2, at("make") + 2, "x"),
        (at("all"), at("all") + 2, ""),
        (at("ls"), at("ls"), "-la "),
        (at("  all"), at("  all"), "\\\n"),
    ] {
        assert!(
            fs_after(text, start, end, inserted).is_some(),
            "{inserted:?} at {start}"
        );
    }
    // Anything else: built afresh.
    for (start, end, inserted) in [
        (at("RUN make") + 3, at("RUN make") + 3, "X"), // RUNX: another instruction
        (at("RUN make"), at("RUN make"), "ONBUILD "),  // a trigger for stage b
        (at("COPY x y") + 5, at("COPY x y") + 5, "z"), // COPY sources
        (at("/app\n"), at("/app\n"), "/b"),            // WORKDIR
        (at("ls"), at("ls"), "x\nRUN "),               // a new RUN
        (at("A=1"), at("A=1") + 1, "B"),               // ENV
    ] {
        assert!(
            fs_after(text, start, end, inserted).is_none(),
            "{inserted:?} at {start}"
        );
    }
}

#[test]
fn rebuilt_equals_built_on_the_corpus() {
    let files = common::corpus_files();
    if files.is_empty() {
        return;
    }
    let (mut n, mut kept_fs) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        if text.len() > 200_000 {
            continue;
        }
        kept_fs += check(
            &text,
            &f.display().to_string(),
            1000 + i as u64,
            8,
            &ModelSettings::default(),
        );
        n += 8;
    }
    eprintln!("corpus: {n} edits, rebuilt model equal to built; filesystem model kept and equal {kept_fs} times");
}
