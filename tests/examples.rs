//! The Dockerfiles of the articles berth grew from (../shared/examples),
//! checked for the stage diagnostics a user expects. Skipped, saying so,
//! when ../shared is absent.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use berth::ide::{Analysis, Settings};
use berth::model::Resolution;

fn example(name: &str) -> Option<String> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent (it sits beside the repository in CI)",
            dir.display()
        );
        return None;
    }
    Some(std::fs::read_to_string(dir.join(name)).expect("example exists"))
}

fn analyse(text: &str) -> Analysis {
    Analysis::from_text(text, Arc::new(Settings::default()))
}

fn summary(a: &Analysis) -> Vec<String> {
    a.diagnostics()
        .iter()
        .map(|d| {
            let line = a
                .line_index()
                .line_col(d.range.start, berth::text::PositionEncoding::Utf32)
                .line
                + 1;
            format!(
                "{line}: {} {} `{}`",
                d.severity.as_str(),
                d.code,
                d.range.slice(a.text())
            )
        })
        .collect()
}

#[test]
fn go_alpine_copy_from_builder_resolves() {
    let Some(text) = example("go-alpine.Dockerfile") else {
        return;
    };
    let a = analyse(&text);
    let m = a.model();
    assert_eq!(m.stages.len(), 2);
    // `FROM golang:1.19 as builder`: the stage resolves; BuildKit's
    // FromAsCasing check notes the keyword casing.
    assert_eq!(m.stages[0].name.as_deref(), Some("builder"));
    let r = &m.refs[0];
    assert_eq!(r.text, "builder");
    assert_eq!(r.resolution, Resolution::Stage(0));
    let def = a.definition(r.range.start + 2);
    assert_eq!(def.len(), 1);
    assert_eq!(def[0].focus.slice(&text), "builder");
    assert_eq!(summary(&a), ["2: warning FromAsCasing `as`"]);
}

#[test]
fn laravel_reports_the_one_argument_copy_and_analyses_the_rest() {
    let Some(text) = example("laravel-multistage.Dockerfile") else {
        return;
    };
    let a = analyse(&text);
    assert_eq!(
        summary(&a),
        // hadolint stops at the broken COPY; berth goes on and still
        // reports the `cd` in the RUN after it.
        [
            "1: warning DL3007 `:latest`",
            "15: error InvalidArguments `/app/.env`",
            "17: warning DL3003 `cd`"
        ]
    );
    let m = a.model();
    assert_eq!(m.stages.len(), 2);
    assert!(m
        .refs
        .iter()
        .any(|r| r.text == "build" && r.resolution == Resolution::Stage(0)));
    // The RUN after the broken COPY is still part of the production stage.
    let last = m.instructions.last().unwrap();
    assert_eq!(last.kind, berth::syntax::Keyword::Run);
    assert_eq!(last.stage, Some(1));
    let copy = a
        .diagnostics()
        .iter()
        .find(|d| d.code == "InvalidArguments");
    assert!(copy.unwrap().message.contains("at least two arguments"));
}

#[test]
fn java_spring_stages_not_built_for_the_default_target_are_hints() {
    let Some(text) = example("java-spring.Dockerfile") else {
        return;
    };
    let a = analyse(&text);
    assert_eq!(
        summary(&a),
        // The DL findings are the ones hadolint 2.15.1 reports on this file.
        [
            "10: warning FromAsCasing `as`",
            "10: hint UnusedStage `test`",
            "47: hint UnusedStage `development`",
            "52: info DL3059 `RUN`",
            "53: info DL3059 `RUN`",
            "54: info DL3059 `RUN`",
            "74: info DL3066 `appuser`",
            "76: warning DL3045 `./`",
            "77: warning DL3045 `./`",
            "78: warning DL3045 `./`",
            "79: warning DL3045 `./`"
        ]
    );
}

#[test]
fn every_example_resolves_its_stage_references() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples");
    if !dir.is_dir() {
        eprintln!("SKIPPED: {} is absent", dir.display());
        return;
    }
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let a = analyse(&text);
        for r in &a.model().refs {
            assert!(
                matches!(r.resolution, Resolution::Stage(_)),
                "{}: `{}` resolves to {:?}",
                p.display(),
                r.text,
                r.resolution
            );
            assert_eq!(
                a.definition(r.range.start).len(),
                1,
                "{}: {}",
                p.display(),
                r.text
            );
        }
    }
}
