//! Feature tests: definition, completion and diagnostics on fixtures.

mod common;

use berth::ide::Settings;
use berth::rules::{Profile, Severity};
use common::{analysis, analysis_with, parse, show};
use expect_test::{expect, Expect};

/// The definition at `$0` must be exactly the range marked `def` (the name
/// focused in the target); no `def` mark means no definition.
fn check_definition(fixture: &str) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let got: Vec<_> = a
        .definition(f.cursor.expect("fixture has $0"))
        .into_iter()
        .map(|t| t.focus)
        .collect();
    let want: Vec<_> = f
        .marks
        .iter()
        .filter(|(_, l)| l == "def")
        .map(|(r, _)| *r)
        .collect();
    assert_eq!(
        got.iter().map(|r| show(&f.text, *r)).collect::<Vec<_>>(),
        want.iter().map(|r| show(&f.text, *r)).collect::<Vec<_>>(),
        "definition in:\n{}",
        f.text
    );
}

/// The rules these tests are about: BuildKit's parse errors and the stage
/// graph. Other families have their own test files.
const CORE: &[&str] = &[
    "UnknownInstruction",
    "InvalidFlag",
    "InvalidArguments",
    "InvalidStageName",
    "UnterminatedHeredoc",
    "InvalidDirective",
    "InvalidOnbuildTrigger",
    "InvalidBaseImageReference",
    "UndefinedStage",
    "DuplicateStageName",
    "ReservedStageName",
    "StageSelfReference",
    "StageForwardReference",
    "StageIndexOutOfRange",
    "CopyFromVariable",
    "UnusedStage",
    "UndefinedArgInFrom",
];

/// Each marked range's label is the code of a diagnostic there; the
/// diagnostics of the core rules and of every code marked must be exactly
/// those (editor profile).
fn check_diagnostics(fixture: &str) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let watched = |code: &str| CORE.contains(&code) || f.marks.iter().any(|(_, l)| l == code);
    let mut got: Vec<_> = a
        .diagnostics()
        .iter()
        .filter(|d| watched(d.code))
        .map(|d| format!("{} {}", show(&f.text, d.range), d.code))
        .collect();
    let mut want: Vec<_> = f
        .marks
        .iter()
        .map(|(r, l)| format!("{} {}", show(&f.text, *r), l))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "diagnostics in:\n{}", f.text);
}

fn messages(text: &str) -> String {
    let a = analysis(text);
    a.diagnostics()
        .iter()
        .filter(|d| CORE.contains(&d.code))
        .map(|d| {
            let mut s = format!("{} {}: {}", d.severity.as_str(), d.code, d.message);
            for r in &d.related {
                s += &format!("\n  related `{}`: {}", r.range.slice(text), r.message);
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_completion(fixture: &str, expect: Expect) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let items = a.completions(f.cursor.expect("fixture has $0"));
    let rendered: Vec<String> = items
        .iter()
        .map(|c| {
            let mut s = format!("{} [{}]", c.label, c.edit_range.slice(&f.text));
            if let Some(d) = &c.detail {
                s += &format!(" {d}");
            }
            s
        })
        .collect();
    expect.assert_eq(&rendered.join("\n"));
}

// ---------------------------------------------------------------- definition

#[test]
fn definition_copy_from_name() {
    check_definition(
        r#"
FROM golang:1.23 AS builder
                    ^^^^^^^ def
RUN go build -o /app .
FROM scratch
COPY --from=bui$0lder /app /app
"#,
    );
}

#[test]
fn definition_copy_from_is_case_insensitive_and_index() {
    check_definition(
        r#"
FROM golang AS Builder
               ^^^^^^^ def
FROM scratch
COPY --from=BUILDER$0 /app /app
"#,
    );
    check_definition(
        r#"
FROM golang
^^^^ def
FROM scratch
COPY --from=$00 /app /app
"#,
    );
}

#[test]
fn definition_from_stage_and_mount() {
    check_definition(
        r#"
FROM node:22 AS deps
                ^^^^ def
FROM deps$0 AS build
RUN --mount=type=cache,from=deps,target=/x true
"#,
    );
    check_definition(
        r#"
FROM node:22 AS deps
                ^^^^ def
FROM alpine
RUN --mount=type=bind,from=de$0ps,target=/x true
"#,
    );
}

#[test]
fn definition_of_an_image_is_nothing() {
    check_definition(
        r#"
FROM golang AS build
FROM scratch
COPY --from=nginx:1.2$07 /etc/nginx /etc/nginx
"#,
    );
}

#[test]
fn definition_of_variables_follows_scopes() {
    // A global ARG used in FROM.
    check_definition(
        r#"
ARG GO_VERSION=1.23
    ^^^^^^^^^^ def
FROM golang:${GO_VER$0SION}
"#,
    );
    // Inside a stage the redeclaration is what is in scope.
    check_definition(
        r#"
ARG VERSION=1
FROM alpine
ARG VERSION
    ^^^^^^^ def
RUN echo $VERS$0ION
"#,
    );
    // Without a redeclaration the global ARG is not visible in the stage.
    check_definition(
        r#"
ARG VERSION=1
FROM alpine
RUN echo $VERS$0ION
"#,
    );
    // ENV is inherited through FROM <stage>.
    check_definition(
        r#"
FROM alpine AS base
ENV APP_HOME=/srv
    ^^^^^^^^ def
FROM base
WORKDIR $APP_H$0OME
"#,
    );
    // The latest declaration before the use wins.
    check_definition(
        r#"
FROM alpine
ENV A=1
ENV A=2
    ^ def
COPY x ${A$0}/
ENV A=3
"#,
    );
}

// ---------------------------------------------------------------- completion

#[test]
fn completion_after_from_flag_offers_earlier_stages() {
    check_completion(
        r#"
FROM golang:1.23 AS builder
FROM node:22 AS assets
FROM alpine
COPY --from=$0
FROM alpine AS later
"#,
        expect![[r#"
            assets [] stage 1 · FROM node:22 · line 2
            builder [] stage 0 · FROM golang:1.23 · line 1"#]],
    );
}

#[test]
fn completion_after_from_flag_replaces_the_partial_name() {
    check_completion(
        r#"
FROM golang AS builder
FROM golang
FROM alpine
COPY --from=bu$0
"#,
        expect![[r#"
            1 [bu] stage 1 · FROM golang · line 2
            builder [bu] stage 0 · FROM golang · line 1"#]],
    );
}

#[test]
fn completion_inside_mount() {
    check_completion(
        r#"
FROM golang AS deps
FROM alpine
RUN --mount=type=cache,from=$0
"#,
        expect![[r#"deps [] stage 0 · FROM golang · line 1"#]],
    );
    check_completion(
        r#"
FROM alpine
RUN --mount=type=$0
"#,
        expect![[r#"
            bind [] mount a directory of the build context or a stage (read-only by default)
            cache [] a persistent cache directory for compilers and package managers
            tmpfs [] a tmpfs mount
            secret [] a secret file, never stored in the image
            ssh [] the SSH agent socket"#]],
    );
}

#[test]
fn completion_after_from_keyword_offers_only_earlier_stages() {
    check_completion(
        r#"
FROM golang AS build
FROM node AS web
FROM $0
FROM alpine AS last
"#,
        expect![[r#"
            web [] stage 1 · FROM node · line 2
            build [] stage 0 · FROM golang · line 1
            scratch [] the empty image"#]],
    );
}

#[test]
fn completion_of_keywords_and_flags() {
    check_completion(
        r#"
FROM alpine
CO$0
"#,
        expect![[r#"
            ADD [CO] Add local files, URLs or git repositories to the image
            ARG [CO] Declare a build argument
            CMD [CO] Default command of the container
            COPY [CO] Copy files from the build context or another stage
            ENTRYPOINT [CO] Executable the container runs
            ENV [CO] Set environment variables
            EXPOSE [CO] Document a port the container listens on
            FROM [CO] Start a build stage from a base image or an earlier stage
            HEALTHCHECK [CO] Command that checks the container is healthy
            LABEL [CO] Add metadata to the image
            MAINTAINER [CO] Deprecated author field (use LABEL)
            ONBUILD [CO] Instruction to run when the image is used as a base
            RUN [CO] Run a command while building
            SHELL [CO] Shell used by shell-form instructions
            STOPSIGNAL [CO] Signal that stops the container
            USER [CO] User (and group) for the following instructions and the container
            VOLUME [CO] Mark a path as a volume
            WORKDIR [CO] Working directory for the following instructions"#]],
    );
    check_completion(
        r#"
FROM alpine
COPY --$0 a b
"#,
        expect![[r#"
            --from= [--] COPY flag
            --chown= [--] COPY flag
            --chmod= [--] COPY flag
            --link [--] COPY flag
            --exclude= [--] COPY flag
            --parents [--] COPY flag"#]],
    );
    check_completion(
        r#"
FROM alpine
RUN --network=$0 true
"#,
        expect![[r#"
            default [] the default network
            none [] no network access
            host [] the host's network (needs an entitlement)"#]],
    );
}

#[test]
fn completion_of_variables_in_scope() {
    check_completion(
        r#"
ARG GO_VERSION=1.23
ARG BASE
FROM golang:${$0}
"#,
        expect![[r#"
            BASE [] ARG BASE
            GO_VERSION [] ARG GO_VERSION=1.23
            TARGETPLATFORM [] predefined: platform of the build result, e.g. linux/amd64
            TARGETOS [] predefined: OS component of TARGETPLATFORM
            TARGETARCH [] predefined: architecture component of TARGETPLATFORM
            TARGETVARIANT [] predefined: variant component of TARGETPLATFORM
            BUILDPLATFORM [] predefined: platform of the node performing the build
            BUILDOS [] predefined: OS component of BUILDPLATFORM
            BUILDARCH [] predefined: architecture component of BUILDPLATFORM
            BUILDVARIANT [] predefined: variant component of BUILDPLATFORM
            TARGETSTAGE [] predefined: name of the stage being built"#]],
    );
    let f = parse(
        r#"
ARG GLOBAL=1
FROM alpine
ENV HOME_DIR=/srv
RUN echo $HO$0
"#,
    );
    let labels: Vec<_> = analysis(&f.text)
        .completions(f.cursor.unwrap())
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(labels.contains(&"HOME_DIR".to_string()), "{labels:?}");
    assert!(labels.contains(&"HTTP_PROXY".to_string()), "{labels:?}");
    assert!(
        !labels.contains(&"GLOBAL".to_string()),
        "global ARG not redeclared: {labels:?}"
    );
}

#[test]
fn no_completion_inside_heredoc_body_or_comment() {
    for fixture in [
        "FROM alpine\nRUN <<EOF\n--$0\nEOF\n",
        "FROM alpine\n# COPY --from=$0\n",
    ] {
        let f = parse(fixture);
        let items = analysis(&f.text).completions(f.cursor.unwrap());
        assert!(items.is_empty(), "{fixture:?}: {items:?}");
    }
}

// --------------------------------------------------------------- diagnostics

#[test]
fn diagnostics_stage_references() {
    check_diagnostics(
        r#"
FROM golang:1.23 AS builder
                    ^^^^^^^ UnusedStage
RUN go build -o /app .
FROM scratch
COPY --from=buidler /app /app
            ^^^^^^^ UndefinedStage
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
"#,
    );
    check_diagnostics(
        r#"
FROM alpine AS app
               ^^^ UnusedStage
COPY --from=app /a /b
            ^^^ StageSelfReference
COPY --from=later /a /b
            ^^^^^ StageForwardReference
COPY --from=7 /a /b
            ^ StageIndexOutOfRange
COPY --from=1 /a /b
            ^ StageForwardReference
FROM alpine AS later
"#,
    );
}

#[test]
fn diagnostics_stage_names() {
    check_diagnostics(
        r#"
FROM alpine AS build
               ^^^^^ UnusedStage
FROM alpine AS Build
               ^^^^^ DuplicateStageName
               ^^^^^ StageNameCasing
FROM alpine AS scratch
               ^^^^^^^ ReservedStageName
               ^^^^^^^ UnusedStage
FROM alpine AS build/x
               ^^^^^^^ InvalidStageName
COPY --from=build /a /b
"#,
    );
}

#[test]
fn from_matches_stage_names_case_sensitively() {
    check_diagnostics(
        r#"
FROM golang AS builder
               ^^^^^^^ UnusedStage
FROM Builder
     ^^^^^^^ InvalidBaseImageReference
"#,
    );
    // `FROM gcc AS gcc` names an image: no stage called gcc exists yet.
    check_diagnostics("FROM gcc AS gcc\nRUN make\n");
}

#[test]
fn unused_stages_are_faded_hints_in_the_editor_only() {
    let text = "FROM golang AS build\nRUN go build\nFROM alpine AS test\nFROM alpine\nCOPY --from=build /a /a\n";
    let a = analysis(text);
    let unused: Vec<_> = a
        .diagnostics()
        .iter()
        .filter(|d| d.code == "UnusedStage")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].range.slice(text), "test");
    assert_eq!(unused[0].severity, Severity::Hint);
    assert_eq!(unused[0].tags, [berth::rules::Tag::Unnecessary]);
    let mut cli = Settings::default();
    cli.rules.profile = Profile::Cli;
    assert!(analysis_with(text, cli.clone())
        .diagnostics()
        .iter()
        .all(|d| d.code != "UnusedStage"));
    // A target changes what is needed.
    cli.rules.enable.push("UnusedStage".into());
    cli.model.target = Some("test".into());
    let names: Vec<_> = analysis_with(text, cli)
        .diagnostics()
        .iter()
        .filter(|d| d.code == "UnusedStage")
        .map(|d| d.range.slice(text).to_string())
        .collect();
    assert_eq!(names, ["build", "alpine"]);
}

#[test]
fn diagnostics_syntax_errors_buildkit_reports() {
    check_diagnostics(
        r#"
FROM alpine
COPY onlyone
     ^^^^^^^ InvalidArguments
COPY --form=x a b
     ^^^^^^^^ InvalidFlag
RUNN echo
^^^^ UnknownInstruction
ENV
^^^ InvalidArguments
WORKDIR
^^^^^^^ InvalidArguments
SHELL /bin/bash -c
      ^^^^^^^^^^^^ InvalidArguments
CMD [1, 2]
    ^^^^^^ InvalidArguments
COPY --link=maybe a b
            ^^^^^ InvalidFlag
RUN --mount type=cache true
    ^^^^^^^ InvalidFlag
"#,
    );
}

#[test]
fn diagnostics_undefined_arg_in_from() {
    check_diagnostics(
        r#"
ARG GO_VERSION=1.23
FROM golang:${GO_VERSON} AS build
              ^^^^^^^^^ UndefinedArgInFrom
                            ^^^^^ UnusedStage
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}
RUN echo $UNDECLARED_IN_RUN_IS_NOT_FROM
"#,
    );
}

#[test]
fn no_syntax_diagnostic_on_constructs_buildkit_accepts() {
    // Each of these is a known trap of the tree-sitter grammar.
    for text in [
        "FROM alpine\nRUN [ -f /etc/os-release ] && \\\n    [ -d /tmp ] && echo ok\n",
        "FROM alpine\nRUN echo \"x\" # not a comment\nUSER root\n",
        "FROM alpine\nENV A b # note\n",
        "ARG REPO=x\nFROM alpine\nADD ${REPO}#${REF} /src\n",
        "FROM alpine\nARG V=a-b\nRUN echo ${V#a}\n",
        "FROM alpine\nUSER \"nobody\"\n",
        "FROM alpine\nRUN <<EOF\nFROM not an instruction\nEOF\nCMD [\"sh\"]\n",
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\\n",
        "FROM alpine\nRUN echo a \\\n\n    b\n",
    ] {
        let a = analysis(text);
        let errors: Vec<_> = a
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{text:?}: {errors:?}");
    }
}

#[test]
fn diagnostic_messages_say_what_is_wrong() {
    expect![[r#"
        hint UnusedStage: `builder` (stage 0) is not needed by the target `builder` (stage 2): BuildKit will not build it
        hint UnusedStage: stage 1 is not needed by the target `builder` (stage 2): BuildKit will not build it
        warning UndefinedStage: `buidler` is not a stage: BuildKit will pull it as the image docker.io/library/buidler; did you mean `builder`?
          related `builder`: stage `builder` is defined here
        error DuplicateStageName: duplicate stage name `builder`: stage 0 already has it
          related `builder`: first defined here
        error InvalidArguments: COPY requires at least two arguments (sources and a destination), but only one was given"#]]
    .assert_eq(&messages(
        "FROM golang AS builder\nFROM scratch\nCOPY --from=buidler /app /app\nFROM alpine AS builder\nCOPY x\n",
    ));
}

// ------------------------------------------------------------------ pragmas

#[test]
fn pragmas_silence_by_code_or_alias() {
    // hadolint's code silences the rule that carries it as an alias; only
    // on the next instruction.
    check_diagnostics(
        r#"
FROM alpine AS build
               ^^^^^ UnusedStage
# hadolint ignore=DL3024
FROM alpine AS build
               ^^^^^ UnusedStage
FROM alpine AS build
               ^^^^^ DuplicateStageName
FROM scratch
COPY --from=build /a /b
COPY --from=bulid /a /b
            ^^^^^ UndefinedStage
"#,
    );
    // A global ignore, and berth's own spelling.
    check_diagnostics(
        r#"
# berth global ignore=DuplicateStageName, UndefinedStage
FROM alpine AS build
               ^^^^^ UnusedStage
FROM alpine AS build
FROM scratch
COPY --from=build /a /b
COPY --from=bulid /a /b
"#,
    );
    // BuildKit's check directive: skip by name; skip=all leaves berth's own rules.
    check_diagnostics(
        r#"
# check=skip=DuplicateStageName
FROM alpine AS build
               ^^^^^ UnusedStage
FROM alpine AS build
FROM scratch
COPY --from=build /a /b
"#,
    );
    check_diagnostics(
        r#"
# check=skip=all
FROM alpine AS build
               ^^^^^ UnusedStage
FROM alpine AS build
               ^^^^^ UnusedStage
FROM scratch
COPY --from=bulid /a /b
            ^^^^^ UndefinedStage
"#,
    );
}

#[test]
fn check_error_true_raises_buildkit_checks() {
    let text = "# check=error=true\nFROM alpine AS a\nFROM alpine AS a\nFROM scratch AS b\nCOPY --from=a /x /x\n";
    let a = analysis(text);
    let dup = a
        .diagnostics()
        .iter()
        .find(|d| d.code == "DuplicateStageName")
        .unwrap();
    assert_eq!(dup.severity, Severity::Error);
    let reserved = analysis("# check=error=true\nFROM alpine AS scratch\n");
    let r = reserved
        .diagnostics()
        .iter()
        .find(|d| d.code == "ReservedStageName")
        .unwrap();
    assert_eq!(r.severity, Severity::Error);
}

#[test]
fn a_check_skip_comment_above_an_instruction_silences_it_there() {
    check_diagnostics(
        r#"
FROM alpine AS a
               ^ UnusedStage
# check=skip=DuplicateStageName
FROM alpine AS a
               ^ UnusedStage
FROM alpine AS a
               ^ DuplicateStageName
FROM scratch
COPY --from=a /x /x
"#,
    );
}

#[test]
fn an_arg_instruction_declares_its_names_in_order() {
    check_definition(
        r#"
FROM scratch
ARG A=1 B=${A$0}
    ^ def
"#,
    );
    // ENV values are expanded with the environment before the instruction.
    check_definition(
        r#"
FROM scratch
ENV A=1 B=${A$0}
"#,
    );
}

#[test]
fn onbuild_triggers_buildkit_rejects_carry_dl3043() {
    check_diagnostics(
        r#"
FROM alpine:3.20
ONBUILD FROM debian
        ^^^^ InvalidOnbuildTrigger
ONBUILD ONBUILD RUN x
        ^^^^^^^ InvalidOnbuildTrigger
# hadolint ignore=DL3043
ONBUILD MAINTAINER me
ONBUILD RUN make
"#,
    );
}
