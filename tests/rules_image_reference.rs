//! InvalidBaseImageReference: FROM images BuildKit cannot parse as image
//! references, the rules that step aside for it, and the corpus.

mod common;

use berth::rules::Safety;
use berth::text::apply_edits;
use common::{analysis, check_rule, rule_messages};
use expect_test::expect;

const CODE: &str = "InvalidBaseImageReference";

fn sha() -> String {
    "0123456789abcdef".repeat(4)
}

fn codes(text: &str) -> Vec<&'static str> {
    analysis(text)
        .diagnostics()
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn fires_on_names_buildkit_refuses() {
    check_rule(
        CODE,
        r#"
FROM REPLACE-ME
     ^^^^^^^^^^ InvalidBaseImageReference
FROM Ubuntu:22.04
     ^^^^^^^^^^^^ InvalidBaseImageReference
FROM ghcr.io/Owner/app:1
     ^^^^^^^^^^^^^^^^^^^ InvalidBaseImageReference
FROM alpine:-bad
     ^^^^^^^^^^^ InvalidBaseImageReference
FROM alpine:bad!tag
     ^^^^^^^^^^^^^^ InvalidBaseImageReference
FROM a@sha256:short
     ^^^^^^^^^^^^^^ InvalidBaseImageReference
FROM my..repo/app
     ^^^^^^^^^^^^ InvalidBaseImageReference
FROM org//app
     ^^^^^^^^ InvalidBaseImageReference
FROM Scratch
     ^^^^^^^ InvalidBaseImageReference
"#,
    );
}

#[test]
fn silent_on_valid_names() {
    let text = format!(
        "FROM alpine:3.20\nFROM scratch\nFROM localhost:5000/a/b:1@sha256:{}\n\
         FROM ghcr.io/owner/app\nFROM [::1]:5000/team/app:v1.2_3\nFROM Registry.Example.com/app\n\
         FROM docker.io/library/debian:bookworm-slim\nFROM alpine AS build\nFROM build\n",
        sha()
    );
    assert!(!codes(&text).contains(&CODE), "{:?}", codes(&text));
}

#[test]
fn args_are_expanded_first() {
    check_rule(
        CODE,
        r#"
ARG IMG=REPLACE-ME
ARG TAG=22.04
ARG EMPTY=""
ARG UNSET
FROM $IMG
     ^^^^ InvalidBaseImageReference
FROM ubuntu:${TAG}
FROM Ubuntu:${TAG}
     ^^^^^^^^^^^^^ InvalidBaseImageReference
FROM $UNKNOWN
FROM ${UNSET}
FROM ${UNKNOWN:-alpine}:3
FROM ${EMPTY}
     ^^^^^^^^ InvalidBaseImageReference
"#,
    );
}

#[test]
fn messages_say_what_is_wrong_and_what_buildkit_says() {
    let text = format!(
        "ARG IMG=REPLACE-ME\nARG NONE=\"\"\nFROM $IMG\nFROM ${{NONE}}\nFROM Ubuntu:22.04\n\
         FROM alpine:-1\nFROM a@sha256:short\nFROM a@sha256:{}\nFROM golang AS builder\nFROM Builder\n",
        &sha()[..40]
    );
    expect![[r#"
        error `$IMG`: `$IMG` expands to `REPLACE-ME`, which is not a valid image reference: the repository name must be lower case (BuildKit: failed to parse stage name "REPLACE-ME": invalid reference format: repository name (library/REPLACE-ME) must be lowercase)
        error `${NONE}`: `${NONE}` expands to an empty image name (BuildKit: base name (${NONE}) should not be blank)
        error `Ubuntu:22.04`: `Ubuntu:22.04` is not a valid image reference: the repository name must be lower case (BuildKit: failed to parse stage name "Ubuntu:22.04": invalid reference format: repository name (library/Ubuntu) must be lowercase)
        error `alpine:-1`: `alpine:-1` is not a valid image reference: the tag must be a letter, digit or `_` followed by at most 127 letters, digits, `_`, `.` or `-` (BuildKit: failed to parse stage name "alpine:-1": invalid reference format)
        error `a@sha256:short`: `a@sha256:short` is not a valid image reference: the digest must be `algorithm:hex` with at least 32 hex digits (BuildKit: failed to parse stage name "a@sha256:short": invalid reference format)
        error `a@sha256:0123456789abcdef0123456789abcdef01234567`: `a@sha256:0123456789abcdef0123456789abcdef01234567` is not a valid image reference: the digest has the wrong length for its algorithm (sha256 takes 64 hex digits) (BuildKit: failed to parse stage name "a@sha256:0123456789abcdef0123456789abcdef01234567": invalid checksum digest length)
        error `Builder`: `Builder` is not a valid image reference: the repository name must be lower case; did you mean the stage `builder`? (BuildKit: failed to parse stage name "Builder": invalid reference format: repository name (library/Builder) must be lowercase)"#]]
    .assert_eq(&rule_messages(CODE, &text));
}

fn fix_of(text: &str) -> Option<(Safety, String)> {
    let a = analysis(text);
    let d = a.diagnostics().iter().find(|d| d.code == CODE)?;
    let fix = d.fixes.first()?;
    Some((
        fix.safety,
        apply_edits(text, &fix.edits).expect("edits apply"),
    ))
}

#[test]
fn upper_case_alone_is_fixed_by_lower_casing_the_repository() {
    for (before, after) in [
        ("FROM REPLACE-ME\n", "FROM replace-me\n"),
        ("FROM Ubuntu:22.04\n", "FROM ubuntu:22.04\n"),
        // The registry and the tag keep their case.
        ("FROM Ghcr.io/Owner/App:V1\n", "FROM Ghcr.io/owner/app:V1\n"),
        ("FROM SCRATCH\n", "FROM scratch\n"),
        // A near miss of a stage name: the stage.
        (
            "FROM golang AS builder\nFROM Builder\n",
            "FROM golang AS builder\nFROM builder\n",
        ),
    ] {
        let (safety, result) = fix_of(before).unwrap_or_else(|| panic!("no fix for {before:?}"));
        assert_eq!(safety, Safety::Unsafe);
        assert_eq!(result, after, "{before:?}");
        assert!(!codes(&result).contains(&CODE), "{result:?}");
    }
    // Nothing to lower-case, or lower case would not be enough, or the
    // name comes from a variable: no fix.
    for text in [
        "FROM alpine:-1\n",
        "FROM Org/a..b\n",
        "ARG IMG=REPLACE-ME\nFROM $IMG\n",
        "FROM Ubuntu:bad!\n",
    ] {
        assert_eq!(fix_of(text), None, "{text:?}");
    }
}

#[test]
fn tag_rules_do_not_pile_on() {
    let c = codes("FROM REPLACE-ME\nFROM Ubuntu:latest\n");
    assert!(!c.contains(&"DL3006"), "{c:?}");
    assert!(!c.contains(&"DL3007"), "{c:?}");
    assert_eq!(c.iter().filter(|c| **c == CODE).count(), 2, "{c:?}");
    // Still there for valid names.
    let c = codes("FROM replace-me\nFROM ubuntu:latest\n");
    assert!(c.contains(&"DL3006") && c.contains(&"DL3007"), "{c:?}");
    // A stage name's near miss is reported once, as the error.
    let c = codes("FROM golang:1.23 AS builder\nRUN true\nFROM Builder\n");
    assert!(!c.contains(&"UndefinedStage"), "{c:?}");
    assert!(c.contains(&CODE), "{c:?}");
    // ARG defaults that give an invalid name: the error, not the warning.
    let c = codes("ARG IMG=REPLACE-ME\nFROM $IMG\n");
    assert!(!c.contains(&"InvalidDefaultArgInFrom"), "{c:?}");
    assert!(c.contains(&CODE), "{c:?}");
    // An ARG without a default stays InvalidDefaultArgInFrom's.
    let c = codes("ARG TAG\nFROM busybox:${TAG}\n");
    assert!(c.contains(&"InvalidDefaultArgInFrom"), "{c:?}");
    assert!(!c.contains(&CODE), "{c:?}");
}

/// The corpus (real Dockerfiles, nearly all accepted by BuildKit) has
/// three invalid base images, all devcontainers templates whose build
/// script replaces `REPLACE-ME` before building; no other file gets the
/// error. `--nocapture` prints every finding.
#[test]
fn corpus_findings_are_the_known_templates() {
    let mut files = common::corpus_files();
    if let Some(dir) = files.first().and_then(|p| p.parent()) {
        let snippets = dir.join("snippets");
        let mut more: Vec<_> = std::fs::read_dir(&snippets)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        more.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "df"));
        more.sort();
        files.extend(more);
    }
    let mut found = Vec::new();
    for p in &files {
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        for d in analysis(&text).diagnostics() {
            if d.code == CODE {
                eprintln!("{name}: `{}`: {}", d.range.slice(&text), d.message);
                found.push(format!("{name} {}", d.range.slice(&text)));
            }
        }
    }
    if files.is_empty() {
        return;
    }
    assert_eq!(
        found,
        [
            "0230.Dockerfile REPLACE-ME",
            "0231.Dockerfile REPLACE-ME",
            "1026.Dockerfile REPLACE-ME"
        ]
    );
}
