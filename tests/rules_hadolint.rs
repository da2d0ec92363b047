//! hadolint's DL rules that read instructions. Expectations were checked
//! against hadolint 2.15.1 where berth follows it; the rule docs list the
//! deliberate differences, and the tests marked "berth:" pin them.

mod common;

use std::sync::Arc;

use berth::ide::{Analysis, Settings};
use berth::rules::Profile;
use common::{check_rule, check_rule_with};
use expect_test::expect;

fn schema_settings(strict: bool) -> Settings {
    let mut s = Settings::default();
    s.rules.label_schema = [
        ("org.opencontainers.image.source", "url"),
        ("org.opencontainers.image.created", "rfc3339"),
        ("org.opencontainers.image.licenses", "spdx"),
        ("org.opencontainers.image.revision", "hash"),
        ("org.opencontainers.image.version", "semver"),
        ("org.opencontainers.image.authors", "email"),
        ("org.opencontainers.image.title", "text"),
    ]
    .iter()
    .map(|(k, t)| (k.to_string(), t.to_string()))
    .collect();
    s.rules.strict_labels = strict;
    s
}

fn trusted(list: &[&str]) -> Settings {
    let mut s = Settings::default();
    s.rules.trusted_registries = list.iter().map(|r| r.to_string()).collect();
    s
}

/// Messages of every rule of this family on `text`, for snapshots.
fn messages(settings: Settings, text: &str) -> String {
    let a = Analysis::from_text(text, Arc::new(settings));
    a.diagnostics()
        .iter()
        .filter(|d| d.code.starts_with("DL"))
        .map(|d| {
            format!(
                "{} {} `{}`: {}",
                d.severity.as_str(),
                d.code,
                d.range.slice(text),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------- DL1001

#[test]
fn dl1001_inline_pragmas() {
    check_rule(
        "DL1001",
        r#"
FROM debian:12
# hadolint ignore=DL3008
^^^^^^^^^^^^^^^^^^^^^^^^ DL1001
RUN apt-get update && apt-get install -y curl
# berth ignore=DL3059
^^^^^^^^^^^^^^^^^^^^^ DL1001
RUN echo hi
"#,
    );
    check_rule(
        "DL1001",
        r#"
# hadolint global ignore=DL3008
FROM debian:12
# an ordinary comment about hadolint
RUN echo hi
"#,
    );
}

#[test]
fn dl1001_is_off_unless_enabled() {
    let mut s = Settings::default();
    s.rules.profile = Profile::Cli;
    let text = "FROM debian:12\n# hadolint ignore=DL3059\nRUN a\nRUN b\n";
    let a = Analysis::from_text(text, Arc::new(s.clone()));
    assert!(a.diagnostics().iter().all(|d| d.code != "DL1001"));
    let a = common::analysis(text);
    assert!(a.diagnostics().iter().all(|d| d.code != "DL1001"));
    s.rules.enable.push("DL1001".into());
    let a = Analysis::from_text(text, Arc::new(s));
    assert!(a.diagnostics().iter().any(|d| d.code == "DL1001"));
}

// ---------------------------------------------------------------- DL3002

#[test]
fn dl3002_last_user_root() {
    check_rule(
        "DL3002",
        r#"
FROM debian:12
USER root
RUN apt-get update
USER 0:0
     ^^^ DL3002
"#,
    );
    // A base stage that ends as root and is not used is an image too.
    check_rule(
        "DL3002",
        r#"
FROM debian:12 AS base
USER root
     ^^^^ DL3002
FROM scratch
USER foo
"#,
    );
    // Inherited through FROM <stage>: reported where root is set.
    check_rule(
        "DL3002",
        r#"
FROM debian:12 AS base
USER root:root
     ^^^^^^^^^ DL3002
FROM base
RUN make
"#,
    );
}

#[test]
fn dl3002_valid() {
    check_rule(
        "DL3002",
        r#"
FROM debian:12
USER root
RUN apt-get update
USER app
FROM debian:12 AS with-args
USER ${RUNTIME_USER}
ONBUILD USER root
"#,
    );
    // berth: a builder stage that ends as root but only feeds COPY --from
    // is not an image (hadolint reports it), nor is a parent whose child
    // switches user.
    check_rule(
        "DL3002",
        r#"
FROM golang:1.23 AS build
USER root
RUN go build -o /app .
FROM debian:12 AS base
USER root
FROM base
USER 10001
COPY --from=build /app /app
"#,
    );
}

// ---------------------------------------------------------------- DL3006

#[test]
fn dl3006_untagged() {
    check_rule(
        "DL3006",
        r#"
FROM debian
     ^^^^^^ DL3006
FROM golang:1.23 AS build
FROM node AS test
     ^^^^ DL3006
FROM --platform=$BUILDPLATFORM reg.io/team/app AS app
                               ^^^^^^^^^^^^^^^ DL3006
FROM localhost:5000/app
     ^^^^^^^^^^^^^^^^^^ DL3006
"#,
    );
}

#[test]
fn dl3006_valid() {
    check_rule(
        "DL3006",
        r#"
ARG BASE=debian
FROM ${BASE}
FROM ruby@sha256:f1dbca0f5dbc9
FROM ruby:3
FROM golang:1.23 AS build
FROM build AS test
FROM scratch
FROM node:${NODE_VERSION:-22}
FROM org/${IMAGE}
FROM reg.io/${IMAGE}
"#,
    );
}

// ---------------------------------------------------------------- DL3007

#[test]
fn dl3007_latest() {
    check_rule(
        "DL3007",
        r#"
FROM node:latest AS build
         ^^^^^^^ DL3007
FROM reg.io:5000/team/app:latest
                         ^^^^^^^ DL3007
FROM $IMAGE:latest
           ^^^^^^^ DL3007
"#,
    );
    check_rule(
        "DL3007",
        r#"
FROM node:latest@sha256:f1dbca0f5dbc9
FROM node:22
FROM localhost:5000/latest
FROM node:${TAG:-latest}
FROM node:Latest-ish
"#,
    );
}

// ---------------------------------------------------------------- DL3011

#[test]
fn dl3011_ports() {
    check_rule(
        "DL3011",
        r#"
FROM nginx:1.27
EXPOSE 80 65536
          ^^^^^ DL3011
EXPOSE 70000/udp 8000-70000 99999-1/tcp
       ^^^^^^^^^ DL3011
                 ^^^^^^^^^^ DL3011
                            ^^^^^^^^^^^ DL3011
"#,
    );
    check_rule(
        "DL3011",
        r#"
FROM nginx:1.27
EXPOSE 0 80 65535 80/tcp 53/udp 8000-8010 8000-8010/tcp $PORT ${PORT:-99999}
"#,
    );
}

// ---------------------------------------------------------------- DL3020

#[test]
fn dl3020_add_local_files() {
    check_rule(
        "DL3020",
        r#"
FROM alpine:3.20
ADD app.py /app/
    ^^^^^^ DL3020
ADD "config" file.zip /etc/app/
    ^^^^^^^^ DL3020
             ^^^^^^^^ DL3020
ADD ["run.sh", "/usr/local/bin/"]
     ^^^^^^^^ DL3020
"#,
    );
}

#[test]
fn dl3020_valid() {
    check_rule(
        "DL3020",
        r#"
FROM alpine:3.20
ADD rootfs.tar.gz /
ADD "file.tgz" app.tar.xz data.tar.zst /srv/
ADD https://example.com/tool /usr/local/bin/tool
ADD --checksum=sha256:24454f830cdd http://example.com/a.bin /a.bin
ADD git@github.com:moby/buildkit.git /src
ADD ${SOURCE_URL} /src/
COPY app.py /app/
"#,
    );
}

// ---------------------------------------------------------------- DL3021

#[test]
fn dl3021_copy_destination() {
    check_rule(
        "DL3021",
        r#"
FROM node:22
COPY package.json package-lock.json /app
                                    ^^^^ DL3021
COPY a b "dist"
         ^^^^^^ DL3021
COPY ["a", "b", "c"]
                ^^^ DL3021
COPY a b .
         ^ DL3021
"#,
    );
    check_rule(
        "DL3021",
        r#"
FROM node:22
COPY package.json /app
COPY a b /app/
COPY a b "dist/"
COPY a b ./
COPY a.dll b.dll C:\\Windows\\System32\\
ADD a b /app
"#,
    );
}

// ---------------------------------------------------------------- DL3026

#[test]
fn dl3026_untrusted_registries() {
    check_rule_with(
        trusted(&["docker.io", "*.corp.com"]),
        "DL3026",
        r#"
FROM quay.io/prometheus/busybox:1.36 AS tools
     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3026
FROM registry.corp.com/base:1
FROM corp.com/base:1
     ^^^^^^^^^^^^^^^ DL3026
FROM ubuntu:24.04
FROM zemanlx/ubuntu:24.04
FROM docker.io/zemanlx/ubuntu:24.04
FROM tools
COPY --from=ghcr.io/org/tool:1 /tool /tool
            ^^^^^^^^^^^^^^^^^^ DL3026
COPY --from=tools /bin/busybox /bin/
COPY --from=0 /bin/busybox /bin/
RUN --mount=type=bind,from=gcr.io/distroless/base:nonroot,target=/x ls /x
                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3026
"#,
    );
    // Docker Hub is untrusted unless listed; the ARG default is checked.
    check_rule_with(
        trusted(&["ghcr.io"]),
        "DL3026",
        r#"
ARG BASE=quay.io/org/app:1
FROM ${BASE}
     ^^^^^^^ DL3026
FROM nginx:1.27
     ^^^^^^^^^^ DL3026
FROM ghcr.io/org/app:1
FROM ${UNKNOWN}
FROM scratch
"#,
    );
}

#[test]
fn dl3026_is_silent_without_configuration() {
    check_rule(
        "DL3026",
        r#"
FROM quay.io/prometheus/busybox:1.36
COPY --from=ghcr.io/org/tool:1 /tool /tool
"#,
    );
    check_rule_with(
        trusted(&["*"]),
        "DL3026",
        r#"
FROM quay.io/prometheus/busybox:1.36
FROM nginx:1.27
"#,
    );
}

// ---------------------------------------------------------------- DL3044

#[test]
fn dl3044_env_self_reference() {
    check_rule(
        "DL3044",
        r#"
FROM debian:12
ENV BLA="blubb" BLUBB="${BLA}/blubb"
                       ^^^^^^ DL3044
ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH
                           ^^^^^^^^^ DL3044
FROM debian:12
ENV PATH=/bla:${PATH} PATH=/blubb:${PATH}
                                  ^^^^^^^ DL3044
ENV X=1 \
    Y=$X
      ^^ DL3044
"#,
    );
}

#[test]
fn dl3044_valid() {
    check_rule(
        "DL3044",
        r#"
FROM debian:12
ENV BLA="blubb"
ENV BLUBB="${BLA}/blubb"
ENV BLA2="blubb" BLUBB2="${FOOBLA2}/blubb" C="$BLA2FOO/x"
ENV PATH=/bla:${PATH}
ARG VERSION
ENV VERSION=${VERSION} FULL=app-${VERSION}
ENV LEGACY value with $LEGACY
ENV B3=$A3 A3=1
"#,
    );
}

// ---------------------------------------------------------------- DL3045

#[test]
fn dl3045_relative_copy_without_workdir() {
    check_rule(
        "DL3045",
        r#"
FROM python:3.13
COPY requirements.txt .
                      ^ DL3045
COPY ["app.py", "app/"]
                ^^^^^^ DL3045
WORKDIR /app
COPY . .
FROM debian:12 AS stage1
WORKDIR /usr
FROM debian:12
COPY foo "bar"
         ^^^^^ DL3045
"#,
    );
}

#[test]
fn dl3045_valid() {
    check_rule(
        "DL3045",
        r#"
FROM debian:12 AS base1
WORKDIR /usr
FROM base1 AS base2
RUN foo
FROM base2
COPY foo bar
FROM debian:12
COPY bla.sh /usr/local/bin/blubb.sh
COPY bla.sh "/usr/local/bin/"
COPY bla.sh c:\system32\blubb.sh
COPY bla.sh d:/mypath/blubb.sh
COPY src.sh ${SRC_BASE_ENV}
COPY src.sh "$SRC_BASE_ENV"
ADD app.tar.gz app/
ONBUILD COPY foo bar
"#,
    );
    // berth: an unnamed stage does not inherit the WORKDIR of an earlier
    // unnamed stage built on the same image (hadolint matches by name).
    check_rule(
        "DL3045",
        r#"
FROM debian:12
WORKDIR /app
FROM debian:12
COPY a b
       ^ DL3045
"#,
    );
}

// ---------------------------------------------------------------- DL3048

#[test]
fn dl3048_label_keys() {
    check_rule(
        "DL3048",
        r#"
FROM alpine:3.20
LABEL com.docker.label="foo" io.docker.x=1 org.dockerproject.y=2
      ^^^^^^^^^^^^^^^^ DL3048
                             ^^^^^^^^^^^ DL3048
                                           ^^^^^^^^^^^^^^^^^^^ DL3048
LABEL invalid$character="foo" Maintainer=me .x=1 -x=1 1x=1 x-=1
      ^^^^^^^^^^^^^^^^^ DL3048
                              ^^^^^^^^^^ DL3048
                                            ^^ DL3048
                                                 ^^ DL3048
                                                      ^^ DL3048
                                                           ^^ DL3048
LABEL invalid..character="foo" invalid--character="foo"
      ^^^^^^^^^^^^^^^^^^ DL3048
                               ^^^^^^^^^^^^^^^^^^ DL3048
LABEL Description "legacy form"
      ^^^^^^^^^^^ DL3048
"#,
    );
    check_rule(
        "DL3048",
        r#"
FROM alpine:3.20
LABEL org.valid-key.label3="foo" validlabel="foo" "quoted.key"=1 a/b_c=2
LABEL description "legacy form"
ONBUILD LABEL Bad=1
"#,
    );
}

// ---------------------------------------------------------- DL3049–DL3058

#[test]
fn dl3049_missing_labels() {
    let fixture = r#"
FROM golang:1.23 AS build
RUN go build -o /app .
FROM alpine:3.20 AS base
LABEL org.opencontainers.image.source="https://github.com/org/app"
FROM base
COPY --from=build /app /app
FROM alpine:3.20
^^^^^^^^^^^^^^^^ DL3049
"#;
    let mut s = Settings::default();
    s.rules.label_schema = vec![("org.opencontainers.image.source".into(), "url".into())];
    check_rule_with(s.clone(), "DL3049", fixture);
    // One finding per missing label.
    s.rules
        .label_schema
        .push(("maintainer".into(), "email".into()));
    let f = common::parse(fixture);
    let a = Analysis::from_text(&f.text, Arc::new(s));
    let n = a
        .diagnostics()
        .iter()
        .filter(|d| d.code == "DL3049")
        .count();
    // build is a COPY source and base has a child: the child misses one,
    // the last stage both.
    assert_eq!(n, 3);
    // Silent without a schema.
    check_rule("DL3049", "FROM alpine:3.20\n");
}

#[test]
fn dl3050_superfluous_labels() {
    check_rule_with(
        schema_settings(true),
        "DL3050",
        r#"
FROM alpine:3.20
LABEL org.opencontainers.image.title=app team=payments
                                         ^^^^ DL3050
"#,
    );
    check_rule_with(
        schema_settings(false),
        "DL3050",
        "FROM alpine:3.20\nLABEL team=payments\n",
    );
}

#[test]
fn dl3051_empty_labels() {
    check_rule_with(
        schema_settings(false),
        "DL3051",
        r#"
FROM alpine:3.20
LABEL org.opencontainers.image.version="" org.opencontainers.image.title= other=""
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3051
                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3051
"#,
    );
}

#[test]
fn dl3052_to_dl3058_label_formats() {
    let fixture = r#"
FROM alpine:3.20
LABEL org.opencontainers.image.source="github.com/org/app"
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3052
LABEL org.opencontainers.image.source="https://github.com/org/app"
LABEL org.opencontainers.image.created="2024-05-01"
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3053
LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z"
LABEL org.opencontainers.image.licenses="MIT OR Apache-2.0"
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3054
LABEL org.opencontainers.image.licenses=Apache-2.0
LABEL org.opencontainers.image.revision=main
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3055
LABEL org.opencontainers.image.revision=0123456
LABEL org.opencontainers.image.version="v1.4"
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3056
LABEL org.opencontainers.image.version="1.4.0-rc.1"
LABEL org.opencontainers.image.authors="Ops <ops@example.com>"
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3058
LABEL org.opencontainers.image.authors=ops@example.com
LABEL org.opencontainers.image.version="${VERSION}" org.opencontainers.image.revision=$SHA
LABEL org.opencontainers.image.title="anything goes" other.url=nope
"#;
    for code in ["DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"] {
        check_rule_with(schema_settings(false), code, fixture);
        // Silent without a schema.
        let f = common::parse(fixture);
        let a = common::analysis(&f.text);
        assert!(a.diagnostics().iter().all(|d| d.code != code), "{code}");
    }
}

// ---------------------------------------------------------------- DL3057

#[test]
fn dl3057_missing_healthcheck() {
    check_rule(
        "DL3057",
        r#"
FROM scratch AS base1
FROM base1 AS base2
FROM base2 AS end1
HEALTHCHECK NONE
FROM base2 AS end2
^^^^^^^^^^^^^^^^^^ DL3057
FROM golang:1.23 AS build
FROM alpine:3.20
^^^^^^^^^^^^^^^^ DL3057
COPY --from=build /app /app
"#,
    );
    check_rule(
        "DL3057",
        r#"
FROM scratch AS base
HEALTHCHECK CMD /bin/check
FROM base
"#,
    );
}

#[test]
fn dl3057_is_off_in_the_cli() {
    let mut s = Settings::default();
    s.rules.profile = Profile::Cli;
    let a = Analysis::from_text("FROM alpine:3.20\n", Arc::new(s));
    assert!(a.diagnostics().iter().all(|d| d.code != "DL3057"));
}

// ---------------------------------------------------------------- DL3059

#[test]
fn dl3059_consecutive_runs() {
    check_rule(
        "DL3059",
        r#"
FROM debian:12
RUN apt-get update
RUN apt-get install -y curl
^^^ DL3059
# a comment does not separate them
RUN echo done
^^^ DL3059
RUN --mount=type=secret,id=foo /foo.sh
RUN --mount=type=secret,id=foo /bar.sh
^^^ DL3059
RUN ["a"]
RUN ["b"]
^^^ DL3059
"#,
    );
}

#[test]
fn dl3059_valid() {
    check_rule(
        "DL3059",
        r#"
FROM debian:12
RUN /foo.sh
WORKDIR /
RUN /bar.sh
RUN foo && bar
RUN foobar
RUN foo; bar
RUN --mount=type=secret,id=foo /foo.sh
RUN /bar.sh
RUN a | b
RUN c
RUN <<EOF
apt-get update
apt-get install -y curl
EOF
RUN d
"#,
    );
    // PowerShell: commands are counted by their separators.
    check_rule(
        "DL3059",
        r#"
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Write-Host 'a' ; Write-Host 'b'
RUN Write-Host 'c'
RUN Write-Host 'd';
^^^ DL3059
"#,
    );
}

// ---------------------------------------------------------------- DL3061

#[test]
fn dl3061_instruction_before_from() {
    check_rule(
        "DL3061",
        r#"
# syntax=docker/dockerfile:1
ARG A=B
LABEL foo=bar
^^^^^ DL3061
run echo hi
^^^ DL3061
FROM alpine:3.20
LABEL foo=bar
"#,
    );
    check_rule(
        "DL3061",
        r#"
# syntax=docker/dockerfile:1
# a comment
ARG A=B
FROM alpine:3.20
ARG C
RUN echo bla
"#,
    );
}

// ---------------------------------------------------------------- DL3066

#[test]
fn dl3066_non_numeric_user() {
    check_rule(
        "DL3066",
        r#"
FROM debian:12
USER foobar
     ^^^^^^ DL3066
USER foobar:barfoo
     ^^^^^^ DL3066
USER root
     ^^^^ DL3066
ENV NAME=app
USER $NAME
     ^^^^^ DL3066
"#,
    );
    check_rule(
        "DL3066",
        r#"
FROM debian:12
USER 12345
USER 1234:5678
ARG APP_UID=1000
USER ${APP_UID}:${APP_UID}
USER $APP_UID
ONBUILD USER app
"#,
    );
}

// ---------------------------------------------------------------- DL3067

#[test]
fn dl3067_copy_root_filesystem() {
    check_rule(
        "DL3067",
        r#"
FROM debian:12 AS build
FROM scratch
COPY --from=build / /
                  ^ DL3067
COPY --from=build "/" "/"
                  ^^^ DL3067
COPY --from=alpine:3.20 a / /
                          ^ DL3067
"#,
    );
    check_rule(
        "DL3067",
        r#"
FROM debian:12 AS build
FROM scratch
COPY / /
COPY --from=build /app /
COPY --from=build / /app
"#,
    );
}

// ---------------------------------------------------------------- shared

#[test]
fn pragmas_silence_the_family() {
    check_rule(
        "DL3006",
        r#"
# hadolint ignore=DL3006
FROM debian
FROM ubuntu
     ^^^^^^ DL3006
"#,
    );
}

#[test]
fn escape_directive() {
    check_rule(
        "DL3021",
        r#"
# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY a.txt `
     b.txt C:\app
           ^^^^^^ DL3021
"#,
    );
    check_rule(
        "DL3048",
        r#"
# escape=`
FROM alpine:3.20
LABEL "a`"b"=1 good.key=2
      ^^^^^^ DL3048
"#,
    );
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "FROM",
        "LABEL",
        "LABEL =",
        "LABEL a=\"",
        "FROM :latest",
        "FROM @",
        "EXPOSE -",
        "EXPOSE 99999999999999999999999999",
        "COPY",
        "USER",
        "ENV A=$A B=${A",
        "FROM a\nCOPY --from=",
        "FROM ${",
        "FROM a:${b",
    ] {
        let mut s = schema_settings(true);
        s.rules.trusted_registries = vec!["x".into()];
        let _ = Analysis::from_text(text, Arc::new(s)).diagnostics().len();
    }
}

#[test]
fn snapshot_messages() {
    let text = r#"# hadolint ignore=DL3008
LABEL early=1
FROM debian AS base
USER root
FROM node:latest
EXPOSE 70000
ADD app.py /app/
COPY a b /dst
ENV A=1 B=$A
COPY x y
LABEL Bad=1 org.opencontainers.image.version=v1 org.opencontainers.image.source=x
LABEL org.opencontainers.image.created=2024 org.opencontainers.image.licenses=mit
LABEL org.opencontainers.image.revision=main org.opencontainers.image.authors=me
LABEL org.opencontainers.image.title=
RUN a
RUN b
USER app
COPY --from=base / /
"#;
    let mut s = schema_settings(true);
    s.rules.trusted_registries = vec!["ghcr.io".into()];
    // Both are off by default, as in hadolint.
    s.rules.enable = vec!["DL1001".into(), "DL3057".into()];
    expect![[r#"
        info DL1001 `# hadolint ignore=DL3008`: inline ignore pragma: fix the finding, or record the exception in the configuration instead
        error DL3061 `LABEL`: `LABEL` before the first FROM: only ARG may come before FROM; move it into a stage
        info DL3050 `early`: label `early` is not in the label schema: remove it or add it to the schema
        warning DL3006 `debian`: `debian` has no tag, so the build takes whatever `latest` is that day: pin one, e.g. `debian:<version>`
        error DL3026 `debian`: Docker Hub (`docker.io`) is not a trusted registry for `debian`: use an image from `ghcr.io`
        info DL3066 `root`: `root` is a user name, resolved only inside the container: use its numeric UID (`USER <uid>:<gid>`)
        info DL3057 `FROM node:latest`: image `stage-1` has no HEALTHCHECK: add `HEALTHCHECK CMD <command>` (or `HEALTHCHECK NONE`)
        error DL3026 `node:latest`: Docker Hub (`docker.io`) is not a trusted registry for `node:latest`: use an image from `ghcr.io`
        warning DL3007 `:latest`: `latest` moves whenever `node` is republished: pin a release tag, e.g. `node:<version>`
        error DL3011 `70000`: port 70000 does not exist: ports range from 0 to 65535
        error DL3020 `app.py`: `app.py` is a local file or folder: use COPY (ADD is for URLs and archives to unpack)
        error DL3021 `/dst`: 2 sources are copied into a directory: end the destination with `/` (`/dst/`)
        error DL3044 `$A`: `$A` is expanded before this ENV sets `A`: it gets the value from before (the base image's, or empty); set `A` in an ENV of its own first
        warning DL3045 `y`: `y` is relative and no WORKDIR is set in this stage: it depends on the base image's working directory; set `WORKDIR` first or use an absolute path
        info DL3048 `Bad`: invalid label key `Bad`: it must start with a lower-case letter
        info DL3050 `Bad`: label `Bad` is not in the label schema: remove it or add it to the schema
        warning DL3056 `org.opencontainers.image.version=v1`: label `org.opencontainers.image.version` is not a semantic version (MAJOR.MINOR.PATCH): `v1`
        warning DL3052 `org.opencontainers.image.source=x`: label `org.opencontainers.image.source` is not a valid URL: `x`
        warning DL3053 `org.opencontainers.image.created=2024`: label `org.opencontainers.image.created` is not an RFC 3339 date and time: `2024`
        warning DL3054 `org.opencontainers.image.licenses=mit`: label `org.opencontainers.image.licenses` is not an SPDX licence identifier: `mit`
        warning DL3055 `org.opencontainers.image.revision=main`: label `org.opencontainers.image.revision` is not a git commit hash (7 or 40 lower-case hex digits): `main`
        warning DL3058 `org.opencontainers.image.authors=me`: label `org.opencontainers.image.authors` is not an email address: `me`
        warning DL3051 `org.opencontainers.image.title=`: label `org.opencontainers.image.title` is empty: give it a value
        info DL3059 `RUN`: this RUN follows another RUN of one command: merge them with `&&` to save a layer
        info DL3066 `app`: `app` is a user name, resolved only inside the container: use its numeric UID (`USER <uid>:<gid>`)
        warning DL3067 `/`: copies the whole filesystem of `base` over this one: copy only the paths the image needs"#]]
    .assert_eq(&messages(s, text));
}
