//! Inlay hints, rendered into the text as `⟨label⟩`.

use berth::ide::{InlayHintConfig, InlayKind};
use berth::text::TextRange;

mod common;

fn render(text: &str, range: TextRange, config: InlayHintConfig) -> String {
    let hints = common::analysis(text).inlay_hints(range, config);
    let mut out = text.to_string();
    for h in hints.iter().rev() {
        out.insert_str(h.offset as usize, &format!("⟨{}⟩", h.label));
    }
    out
}

fn all(text: &str) -> TextRange {
    TextRange::new(0, text.len() as u32)
}

const TEXT: &str = r#"ARG GO=1.23
ARG DISTRO
ARG REG=docker.io
FROM ${REG}/golang:${GO}-alpine AS build
FROM alpine:${DISTRO}
FROM --platform=$BUILDPLATFORM ${REG:-x}/alpine:${GO:+latest}
COPY --from=0 /a /b
RUN --mount=from=0,target=/x true
FROM build
"#;

#[test]
fn values_in_from_and_stage_names_after_indexes() {
    // The model resolves no index in a mount's `from=` (only a name), so
    // the RUN line gets no hint.
    let want = r#"ARG GO=1.23
ARG DISTRO
ARG REG=docker.io
FROM ${REG}⟨= docker.io⟩/golang:${GO}⟨= 1.23⟩-alpine AS build
FROM alpine:${DISTRO}
FROM --platform=$BUILDPLATFORM ${REG:-x}⟨= docker.io⟩/alpine:${GO:+latest}⟨= latest⟩
COPY --from=0⟨: build⟩ /a /b
RUN --mount=from=0,target=/x true
FROM build
"#;
    assert_eq!(render(TEXT, all(TEXT), InlayHintConfig::default()), want);
    let hints = common::analysis(TEXT).inlay_hints(all(TEXT), InlayHintConfig::default());
    let last_value = hints.iter().find(|h| h.label == "= latest").unwrap();
    assert!(last_value.padding_left && !last_value.padding_right);
}

#[test]
fn stage_index_only_when_asked() {
    let config = InlayHintConfig { stage_index: true };
    let text = "FROM alpine AS base\nFROM base AS final\nFROM scratch\n";
    assert_eq!(
        render(text, all(text), config),
        "FROM alpine AS base⟨#0⟩\nFROM base AS final⟨#1⟩\nFROM scratch\n"
    );
    assert_eq!(render(text, all(text), InlayHintConfig::default()), text);
}

#[test]
fn hints_are_limited_to_the_range() {
    let line4 = TEXT.find("FROM ${REG}").unwrap();
    let end = line4 + TEXT[line4..].find('\n').unwrap();
    let range = TextRange::new(line4 as u32, end as u32);
    let hints = common::analysis(TEXT).inlay_hints(range, InlayHintConfig { stage_index: true });
    let labels: Vec<_> = hints.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(labels, ["= docker.io", "= 1.23", "#0"]);
    assert_eq!(hints[0].kind, InlayKind::Type);
    // `${REG}⟨= docker.io⟩/golang`: a space on both sides inside a word.
    assert!(hints[0].padding_left && hints[0].padding_right);
    assert_eq!(hints[2].kind, InlayKind::Parameter);
}

#[test]
fn long_and_empty_values() {
    let text = format!("ARG E=\nARG L={}\nFROM a${{E}}b:${{L}}\n", "x".repeat(60));
    let got = render(&text, all(&text), InlayHintConfig::default());
    let want = format!(
        "ARG E=\nARG L={}\nFROM a${{E}}⟨= \"\"⟩b:${{L}}⟨= {}…⟩\n",
        "x".repeat(60),
        "x".repeat(39)
    );
    assert_eq!(got, want);
    // Half-typed lines: no panic, no hint on an unfinished reference.
    for t in [
        "FROM ${",
        "FROM $",
        "COPY --from=",
        "FROM a AS",
        "ARG X=1\nFROM ${X",
    ] {
        let _ = render(t, all(t), InlayHintConfig { stage_index: true });
    }
}
