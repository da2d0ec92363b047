//! BuildKit's build checks: one invalid and one valid fixture per rule,
//! plus the pragmas, the escape directive, heredocs and ONBUILD where
//! they matter.

mod common;

use berth::ide::Settings;
use berth::rules::{Profile, Severity, BUILDKIT_CHECKS};
use common::{analysis, analysis_with, check_rule, rule_messages};
use expect_test::expect;

// StageNameCasing

#[test]
fn stage_name_casing_fires_on_upper_case() {
    check_rule(
        "StageNameCasing",
        r#"
FROM alpine AS BuildBase
               ^^^^^^^^^ StageNameCasing
FROM alpine AS runtime
FROM BuildBase AS FINAL
                  ^^^^^ StageNameCasing
"#,
    );
}

#[test]
fn stage_name_casing_valid() {
    check_rule(
        "StageNameCasing",
        r#"
FROM alpine AS build-base_1.0
FROM alpine
FROM build-base_1.0 AS final
FROM alpine AS ${NAME_IS_AN_ERROR_OF_ITS_OWN}
"#,
    );
}

// FromAsCasing

#[test]
fn from_as_casing_fires_when_cases_differ() {
    check_rule(
        "FromAsCasing",
        r#"
FROM alpine as build
            ^^ FromAsCasing
from alpine AS run
            ^^ FromAsCasing
FROM alpine As mixed
            ^^ FromAsCasing
"#,
    );
}

#[test]
fn from_as_casing_valid() {
    check_rule(
        "FromAsCasing",
        r#"
FROM alpine AS build
from alpine as run
From alpine as mixed-from-is-another-rule
FROM alpine
"#,
    );
}

// NoEmptyContinuation

#[test]
fn no_empty_continuation_marks_each_blank_line() {
    let text = "FROM alpine\nRUN apk add \\\n\n    curl \\\n   \n    git\n";
    let a = analysis(text);
    let got: Vec<(usize, usize)> = a
        .diagnostics()
        .iter()
        .filter(|d| d.code == "NoEmptyContinuation")
        .map(|d| (d.range.start as usize, d.range.end as usize))
        .collect();
    let empty = text.find("\\\n\n").unwrap() + 2;
    let spaces = text.find("   \n").unwrap();
    // The empty line's line break, and the line of spaces.
    assert_eq!(got, vec![(empty, empty + 1), (spaces, spaces + 3)]);
}

#[test]
fn no_empty_continuation_valid() {
    check_rule(
        "NoEmptyContinuation",
        r#"
FROM alpine
RUN apk add \
# a comment line is not empty
    curl

RUN <<EOF
echo a

echo b
EOF
"#,
    );
}

// ConsistentInstructionCasing

#[test]
fn consistent_instruction_casing_follows_the_majority() {
    check_rule(
        "ConsistentInstructionCasing",
        r#"
FROM alpine
copy a /a
^^^^ ConsistentInstructionCasing
COPY b /b
Run echo
^^^ ConsistentInstructionCasing
"#,
    );
    check_rule(
        "ConsistentInstructionCasing",
        r#"
FROM alpine
^^^^ ConsistentInstructionCasing
copy a /a
run echo
"#,
    );
}

#[test]
fn consistent_instruction_casing_tie_is_upper_and_global_args_are_ignored() {
    check_rule(
        "ConsistentInstructionCasing",
        r#"
arg V=1
FROM alpine
run echo
^^^ ConsistentInstructionCasing
"#,
    );
}

#[test]
fn consistent_instruction_casing_valid() {
    check_rule(
        "ConsistentInstructionCasing",
        r#"
from alpine
copy a /a
run echo
"#,
    );
}

// JSONArgsRecommended

#[test]
fn json_args_recommended_fires_on_shell_form() {
    check_rule(
        "JSONArgsRecommended",
        r#"
FROM node:22
CMD node server.js
    ^^^^^^^^^^^^^^ JSONArgsRecommended
ENTRYPOINT exec node
           ^^^^^^^^^ JSONArgsRecommended
"#,
    );
}

#[test]
fn json_args_recommended_valid() {
    check_rule(
        "JSONArgsRecommended",
        r#"
FROM node:22 AS base
SHELL ["/bin/bash", "-c"]
CMD node server.js

FROM base
ENTRYPOINT node server.js

FROM alpine
CMD ["node", "server.js"]
HEALTHCHECK CMD curl -f http://localhost/
ONBUILD CMD echo later
"#,
    );
}

#[test]
fn json_args_recommended_heredoc_is_shell_form() {
    check_rule(
        "JSONArgsRecommended",
        r#"
FROM alpine
CMD <<EOF
    ^^^^^ JSONArgsRecommended
echo hello
EOF
"#,
    );
}

#[test]
fn json_args_recommended_shell_after_cmd_does_not_count() {
    check_rule(
        "JSONArgsRecommended",
        r#"
FROM alpine
CMD echo hi
    ^^^^^^^ JSONArgsRecommended
SHELL ["/bin/ash", "-c"]
"#,
    );
}

// MaintainerDeprecated

#[test]
fn maintainer_deprecated() {
    check_rule(
        "MaintainerDeprecated",
        r#"
FROM alpine
MAINTAINER Jane <jane@example.com>
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ MaintainerDeprecated
"#,
    );
    check_rule(
        "MaintainerDeprecated",
        r#"
FROM alpine
LABEL org.opencontainers.image.authors="jane@example.com"
"#,
    );
}

// WorkdirRelativePath

#[test]
fn workdir_relative_path_fires_on_the_first_workdir_only() {
    check_rule(
        "WorkdirRelativePath",
        r#"
FROM nginx
WORKDIR usr/share/nginx/html
        ^^^^^^^^^^^^^^^^^^^^ WorkdirRelativePath
WORKDIR sub
FROM alpine AS a
WORKDIR "app"
        ^^^^^ WorkdirRelativePath
"#,
    );
}

#[test]
fn workdir_relative_path_valid() {
    check_rule(
        "WorkdirRelativePath",
        r#"
FROM alpine AS a
WORKDIR /app
WORKDIR sub

FROM a
WORKDIR other

FROM alpine
ARG DIR=/srv
WORKDIR $DIR/app
FROM alpine
WORKDIR $HOME/app
FROM mcr.microsoft.com/windows/nanoserver
WORKDIR C:\app
"#,
    );
}

#[test]
fn workdir_relative_path_resolves_known_variables() {
    check_rule(
        "WorkdirRelativePath",
        r#"
FROM alpine
ARG DIR=srv
WORKDIR ${DIR}/app
        ^^^^^^^^^^ WorkdirRelativePath
"#,
    );
}

// UndefinedVar

#[test]
fn undefined_var_in_scratch_stages_reports_everything() {
    check_rule(
        "UndefinedVar",
        r#"
FROM scratch
COPY $foo .
      ^^^ UndefinedVar
ARG DIR_ASSETS=assets/
COPY $DIR_ASSET .
      ^^^^^^^^^ UndefinedVar
ENV PATH=$PAHT:/bin
          ^^^^ UndefinedVar
"#,
    );
}

#[test]
fn undefined_var_in_image_stages_reports_only_sure_mistakes() {
    // An image berth's catalog does not have: its environment is unknown
    // (tests/rules_catalog.rs has the catalogued ones).
    check_rule(
        "UndefinedVar",
        r#"
ARG VERSION=1.4
FROM registry.example.com/team/java:21
COPY app-${VERSION}.jar /app.jar
           ^^^^^^^ UndefinedVar
COPY bin-$TARGETARCH /bin/app
          ^^^^^^^^^^ UndefinedVar
COPY $foo .
      ^^^ UndefinedVar
ARG foo=bar
ARG DIR_ASSETS=assets/
COPY $DIR_ASSET .
      ^^^^^^^^^ UndefinedVar
ENV PATH=$JAVA_HOME/bin:$PATH LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x
COPY $SOMETHING_THE_IMAGE_MAY_SET .
"#,
    );
}

#[test]
fn undefined_var_valid() {
    check_rule(
        "UndefinedVar",
        r#"
ARG NODE_VERSION=22
FROM node:${NODE_VERSION} AS base
ARG foo
COPY Dockerfile${foo} .
ENV X=$NODE_VERSION
RUN echo $UNDEFINED_IN_SHELL
CMD echo $ALSO_SHELL
EXPOSE $PORT
ONBUILD COPY $LATER .

FROM base
COPY $foo .

FROM scratch
ARG TARGETARCH
COPY bin-$TARGETARCH /app
ENV P=$PATH
ARG A=1 B=$A
"#,
    );
}

#[test]
fn undefined_var_same_env_instruction_is_not_yet_defined() {
    check_rule(
        "UndefinedVar",
        r#"
FROM scratch
ENV A=1 B=$A
           ^ UndefinedVar
"#,
    );
}

#[test]
fn undefined_var_honours_the_escape_directive() {
    check_rule(
        "UndefinedVar",
        r#"
# escape=`
FROM scratch
COPY `$foo $bar /x
            ^^^ UndefinedVar
"#,
    );
}

// MultipleInstructionsDisallowed

#[test]
fn multiple_instructions_disallowed_reports_all_but_the_last() {
    check_rule(
        "MultipleInstructionsDisallowed",
        r#"
FROM alpine
ENTRYPOINT ["/a"]
^^^^^^^^^^^^^^^^^ MultipleInstructionsDisallowed
CMD ["/a"]
^^^^^^^^^^ MultipleInstructionsDisallowed
HEALTHCHECK CMD ["/a"]
^^^^^^^^^^^^^^^^^^^^^^ MultipleInstructionsDisallowed
COPY <<EOF /a.txt
hello
EOF
ENTRYPOINT ["/b"]
CMD ["/b"]
^^^^^^^^^^ MultipleInstructionsDisallowed
HEALTHCHECK NONE
CMD ["/c"]
"#,
    );
}

#[test]
fn multiple_instructions_disallowed_valid() {
    check_rule(
        "MultipleInstructionsDisallowed",
        r#"
FROM alpine AS a
ENTRYPOINT ["/a"]
CMD ["/a"]
HEALTHCHECK CMD ["/a"]
ONBUILD CMD ["/later"]

FROM a AS b
ENTRYPOINT ["/b"]
CMD ["/b"]
HEALTHCHECK --interval=1s CMD ["/b"]

FROM alpine AS broken
HEALTHCHECK
HEALTHCHECK CONNECT TCP 7000
HEALTHCHECK NONE
"#,
    );
}

// LegacyKeyValueFormat

#[test]
fn legacy_key_value_format() {
    check_rule(
        "LegacyKeyValueFormat",
        r#"
FROM alpine
ENV JAVA_HOME /opt/java
    ^^^^^^^^^ LegacyKeyValueFormat
LABEL maintainer jane@example.com
      ^^^^^^^^^^ LegacyKeyValueFormat
ENV DEPS \
    ^^^^ LegacyKeyValueFormat
    curl \
    git
"#,
    );
    check_rule(
        "LegacyKeyValueFormat",
        r#"
FROM alpine
ENV JAVA_HOME=/opt/java A="b c"
LABEL a=b
ARG foo bar
ONBUILD ENV LATER value
"#,
    );
}

// RedundantTargetPlatform

#[test]
fn redundant_target_platform() {
    check_rule(
        "RedundantTargetPlatform",
        r#"
FROM --platform=$TARGETPLATFORM alpine AS a
     ^^^^^^^^^^^^^^^^^^^^^^^^^^ RedundantTargetPlatform
FROM --platform=${TARGETPLATFORM} alpine AS b
     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ RedundantTargetPlatform
FROM --platform="${TARGETPLATFORM:-linux/amd64}" alpine AS c
     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ RedundantTargetPlatform
"#,
    );
    check_rule(
        "RedundantTargetPlatform",
        r#"
ARG OTHER=linux/arm64
FROM --platform=$BUILDPLATFORM alpine AS a
FROM --platform=${TARGETPLATFORM:-$OTHER} alpine AS b
FROM --platform=$TARGETOS/$TARGETARCH alpine AS c
FROM --platform=${TARGETPLATFORM:+linux/arm64} alpine AS d
FROM alpine
"#,
    );
}

// SecretsUsedInArgOrEnv

#[test]
fn secrets_used_in_arg_or_env() {
    check_rule(
        "SecretsUsedInArgOrEnv",
        r#"
ARG GLOBAL_TOKEN
FROM scratch
ARG SECRET_PASSPHRASE
    ^^^^^^^^^^^^^^^^^ SecretsUsedInArgOrEnv
ENV SUPER_Secret=foo
    ^^^^^^^^^^^^ SecretsUsedInArgOrEnv
ENV password=bar secret=baz
    ^^^^^^^^ SecretsUsedInArgOrEnv
                 ^^^^^^ SecretsUsedInArgOrEnv
ARG super_duper_secret_token=foo auth=bar
    ^^^^^^^^^^^^^^^^^^^^^^^^ SecretsUsedInArgOrEnv
                                 ^^^^ SecretsUsedInArgOrEnv
ENV apikey=bar sunflower=foo
    ^^^^^^ SecretsUsedInArgOrEnv
ENV git_key=
    ^^^^^^^ SecretsUsedInArgOrEnv
ENV PUBLIC_KEY=
ARG public_token
ARG TOKEN_FILE
ENV AUTHOR=me MONKEY=1
ENV AWS_SECRET_ACCESS_KEY wx
    ^^^^^^^^^^^^^^^^^^^^^ SecretsUsedInArgOrEnv
ONBUILD ARG LATER_TOKEN
"#,
    );
}

// InvalidDefaultArgInFrom

#[test]
fn invalid_default_arg_in_from() {
    check_rule(
        "InvalidDefaultArgInFrom",
        r#"
ARG VERSION
ARG IMAGE
ARG SFX="box:"
FROM busybox:$VERSION AS a
     ^^^^^^^^^^^^^^^^ InvalidDefaultArgInFrom
FROM $IMAGE AS b
     ^^^^^^ InvalidDefaultArgInFrom
FROM busy${SFX} AS c
     ^^^^^^^^^^ InvalidBaseImageReference
"#,
    );
    // Every ARG has a default and the name is still invalid: the build
    // fails as written, an error of InvalidBaseImageReference's.
    check_rule(
        "InvalidBaseImageReference",
        r#"
ARG SFX="box:"
FROM busy${SFX} AS c
     ^^^^^^^^^^ InvalidBaseImageReference
"#,
    );
}

#[test]
fn invalid_default_arg_in_from_valid() {
    check_rule(
        "InvalidDefaultArgInFrom",
        r#"
ARG VERSION="latest"
ARG VARIANT
ARG TAG
ARG EMPTY=""
ARG BASE=alpine
FROM busybox:${VERSION} AS a
FROM busybox:stable${VARIANT} AS b
FROM alpine:${TAG:-3.20} AS c
FROM scratch${EMPTY-@bogus} AS d
FROM $BASE AS e
FROM a
FROM --platform=$BUILDPLATFORM golang:1.23-$TARGETOS AS f
FROM ${UNDECLARED_IS_ANOTHER_RULE}
"#,
    );
}

// FromPlatformFlagConstDisallowed

#[test]
fn from_platform_flag_const_disallowed() {
    check_rule(
        "FromPlatformFlagConstDisallowed",
        r#"
FROM --platform=linux/amd64 alpine
                ^^^^^^^^^^^ FromPlatformFlagConstDisallowed
FROM --platform=linux/arm64 alpine AS base
                ^^^^^^^^^^^ FromPlatformFlagConstDisallowed
"#,
    );
    check_rule(
        "FromPlatformFlagConstDisallowed",
        r#"
ARG P=linux/amd64
FROM --platform=linux/amd64 scratch AS my_amd64_stage
FROM --platform=linux/amd64 scratch AS linux
FROM --platform=linux/x86_64 scratch AS build-amd64
FROM --platform=$BUILDPLATFORM alpine AS cross
FROM --platform=$P alpine AS var
FROM --platform=not/a/valid/platform alpine AS broken
"#,
    );
}

// InvalidDefinitionDescription

#[test]
fn invalid_definition_description() {
    check_rule(
        "InvalidDefinitionDescription",
        r#"
# bar this is the bar
^^^^^^^^^^^^^^^^^^^^^ InvalidDefinitionDescription
ARG foo=bar
# BasE this is the BasE image
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ InvalidDefinitionDescription
FROM scratch AS base
# definitely a bad comment
^^^^^^^^^^^^^^^^^^^^^^^^^^ InvalidDefinitionDescription
ARG foo=baz bar=qux baz=quux
"#,
    );
}

#[test]
fn invalid_definition_description_valid() {
    check_rule(
        "InvalidDefinitionDescription",
        r#"
# foo this is the foo
ARG foo=bar

# base this is the base image
FROM scratch AS base

# version this is the version number
ARG version=latest
# baz this is the baz
ARG foo=baz bar=qux baz=quux
#
ARG bit=bat
# a comment separated by an empty line

ARG other=1
# hadolint ignore=DL3006
FROM base
# a comment before an unnamed stage
FROM scratch
# comment for something other than ARG or FROM
COPY Dockerfile .
"#,
    );
}

#[test]
fn invalid_definition_description_is_off_unless_enabled() {
    let text = "# not a description\nARG foo=1\nFROM scratch\n";
    let fired = |a: &berth::ide::Analysis| {
        a.diagnostics()
            .iter()
            .any(|d| d.code == "InvalidDefinitionDescription")
    };
    assert!(!fired(&analysis(text)));
    let mut settings = Settings::default();
    settings.rules.profile = Profile::Cli;
    assert!(!fired(&analysis_with(text, settings.clone())));
    settings
        .rules
        .enable
        .push("InvalidDefinitionDescription".into());
    assert!(fired(&analysis_with(text, settings)));
}

// ExposeProtoCasing and ExposeInvalidFormat

#[test]
fn expose_proto_casing() {
    check_rule(
        "ExposeProtoCasing",
        r#"
FROM alpine
EXPOSE 80/TcP 53/udp 443/TCP 8080:8081/UDP
          ^^^ ExposeProtoCasing
                         ^^^ ExposeProtoCasing
                                       ^^^ ExposeProtoCasing
"#,
    );
    check_rule(
        "ExposeProtoCasing",
        r#"
FROM alpine
EXPOSE 80/tcp 53/udp 9/sctp 80 $PORT/TCP 80/FOO
"#,
    );
}

#[test]
fn expose_invalid_format() {
    check_rule(
        "ExposeInvalidFormat",
        r#"
FROM alpine
EXPOSE 127.0.0.1:80:80 8080:80/tcp 80
       ^^^^^^^^^^^^ ExposeInvalidFormat
                       ^^^^ ExposeInvalidFormat
"#,
    );
    check_rule(
        "ExposeInvalidFormat",
        r#"
FROM alpine
EXPOSE 80 80/tcp :80 8000-8010 ${HOST}:80
"#,
    );
}

// The engine's pragmas, for the family.

#[test]
fn hadolint_ignore_silences_an_alias() {
    check_rule(
        "MaintainerDeprecated",
        r#"
FROM alpine
# hadolint ignore=DL4000
MAINTAINER someone
"#,
    );
}

#[test]
fn check_skip_silences_the_checks() {
    let text = "# check=skip=StageNameCasing,JSONArgsRecommended\nFROM alpine AS Build\nCMD run\nMAINTAINER x\n";
    let a = analysis(text);
    let codes: Vec<&str> = a.diagnostics().iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"StageNameCasing"), "{codes:?}");
    assert!(!codes.contains(&"JSONArgsRecommended"), "{codes:?}");
    assert!(codes.contains(&"MaintainerDeprecated"), "{codes:?}");
    let all = analysis("# check=skip=all\nFROM alpine AS Build\nCMD run\nMAINTAINER x\n");
    let left: Vec<&str> = all
        .diagnostics()
        .iter()
        .map(|d| d.code)
        .filter(|c| BUILDKIT_CHECKS.contains(c))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn check_error_true_makes_them_errors() {
    let text = "# check=error=true\nFROM alpine as Build\nCMD run\n";
    let a = analysis(text);
    let ours: Vec<_> = a
        .diagnostics()
        .iter()
        .filter(|d| ["StageNameCasing", "FromAsCasing", "JSONArgsRecommended"].contains(&d.code))
        .collect();
    assert_eq!(ours.len(), 3, "{ours:?}");
    assert!(ours.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn messages() {
    let text = r#"# not a description
ARG TAG
ARG SRC=src
FROM --platform=linux/amd64 busybox:${TAG} as Build
MAINTAINER Jane
WORKDIR app

ENV A 1
ARG NPM_TOKEN
COPY $SCR $TARGETARCH /x
EXPOSE 127.0.0.1:80:80/TCP
CMD one
CMD two \

  three
FROM --platform=$TARGETPLATFORM scratch
copy $UNKNOWN /y
"#;
    let codes = [
        "StageNameCasing",
        "FromAsCasing",
        "NoEmptyContinuation",
        "ConsistentInstructionCasing",
        "JSONArgsRecommended",
        "MaintainerDeprecated",
        "WorkdirRelativePath",
        "UndefinedVar",
        "MultipleInstructionsDisallowed",
        "LegacyKeyValueFormat",
        "RedundantTargetPlatform",
        "SecretsUsedInArgOrEnv",
        "InvalidDefaultArgInFrom",
        "FromPlatformFlagConstDisallowed",
        "InvalidDefinitionDescription",
        "ExposeProtoCasing",
        "ExposeInvalidFormat",
    ];
    let out: Vec<String> = codes
        .iter()
        .map(|c| format!("{c}:\n{}", rule_messages(c, text)))
        .collect();
    expect![[r#"
        StageNameCasing:
        warning `Build`: stage name `Build` should be lower case: write `build`
        FromAsCasing:
        warning `as`: `as` does not match the case of `FROM`: write `AS` (upper case)
        NoEmptyContinuation:
        warning `
        `: empty line inside the continued CMD instruction: remove it (or make it a comment)
        ConsistentInstructionCasing:
        warning `copy`: `copy` does not match the file's keyword style (upper case): write `COPY`
        JSONArgsRecommended:
        warning `one`: CMD in shell form runs under `/bin/sh -c`, which does not pass signals on to the program: write it as a JSON array, e.g. `CMD ["executable", "arg"]`
        warning `two \

          three`: CMD in shell form runs under `/bin/sh -c`, which does not pass signals on to the program: write it as a JSON array, e.g. `CMD ["executable", "arg"]`
        MaintainerDeprecated:
        warning `MAINTAINER Jane`: MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors="Jane"`
        WorkdirRelativePath:
        warning `app`: relative WORKDIR `app` depends on the base image's working directory: use an absolute path, e.g. `/app`
        UndefinedVar:
        warning `SCR`: `$SCR` is not defined; did you mean `$SRC`? It is declared before the first FROM: add `ARG SRC` in this stage to use it here
        warning `TARGETARCH`: `$TARGETARCH` is predefined by BuildKit but a stage sees it only after `ARG TARGETARCH`: add that line before this instruction
        warning `UNKNOWN`: `$UNKNOWN` is not defined: no ARG or ENV before this instruction declares it, so it expands to an empty string; declare it with `ARG UNKNOWN` or `ENV UNKNOWN=<value>`
        MultipleInstructionsDisallowed:
        warning `CMD one`: this CMD has no effect: a later CMD in the same stage replaces it; remove it or merge it into the last one
        LegacyKeyValueFormat:
        warning `A`: `ENV A <value>` is the legacy form: write `ENV A=1`
        RedundantTargetPlatform:
        warning `--platform=$TARGETPLATFORM`: `--platform=$TARGETPLATFORM` is redundant: stages are built for $TARGETPLATFORM by default; remove the flag
        SecretsUsedInArgOrEnv:
        warning `NPM_TOKEN`: `NPM_TOKEN` looks like a secret, and ARG values are stored in the image: pass it with a secret mount (`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN`) instead
        InvalidDefaultArgInFrom:
        warning `busybox:${TAG}`: without --build-arg, `busybox:${TAG}` expands to `busybox:`, which is not a valid image reference; give `ARG TAG` a default value
        FromPlatformFlagConstDisallowed:
        warning `linux/amd64`: constant platform `linux/amd64` pins this stage to one platform: remove it (pass --platform to docker build), use a variable such as $BUILDPLATFORM, or name the stage after the platform (e.g. `AS build-amd64`)
        InvalidDefinitionDescription:
        warning `# not a description`: this comment is read as the description of ARG `TAG`, but does not start with its name: write `# TAG <description>`, or put an empty line before the ARG
        ExposeProtoCasing:
        warning `TCP`: protocol `TCP` in `127.0.0.1:80:80/TCP` should be lower case: write `tcp`
        ExposeInvalidFormat:
        warning `127.0.0.1:80`: EXPOSE takes a container port only, found `127.0.0.1:80:80/TCP`: write `EXPOSE 80/TCP` and publish the host side with `docker run -p`"#]].assert_eq(&out.join("\n"));
}
