//! berth's stage-aware rules: one invalid and one valid fixture per rule
//! at least, plus the cases where the filesystem model must stay silent,
//! pragmas, heredocs, the escape directive, ONBUILD and Windows stages.

mod common;

use berth::ide::Settings;
use common::{analysis, analysis_with, check_rule, rule_messages};
use expect_test::expect;

// ScratchShellForm

#[test]
fn scratch_shell_form_fires_on_run_cmd_entrypoint_healthcheck() {
    check_rule(
        "ScratchShellForm",
        r#"
FROM golang:1.23 AS build
RUN go build -o /out/app .
FROM scratch AS run
COPY --from=build /out/app /app
RUN echo hello
    ^^^^^^^^^^ ScratchShellForm
FROM scratch
COPY --from=build /out/app /app
HEALTHCHECK --interval=5s CMD /app health
                              ^^^^^^^^^^^ ScratchShellForm
CMD /app --port 8080
    ^^^^^^^^^^^^^^^^ ScratchShellForm
"#,
    );
    check_rule(
        "ScratchShellForm",
        r#"
FROM scratch AS base
COPY app /app
FROM base
ENTRYPOINT /app serve
           ^^^^^^^^^^ ScratchShellForm
"#,
    );
}

#[test]
fn scratch_shell_form_valid() {
    check_rule(
        "ScratchShellForm",
        r#"
FROM alpine:3.20
RUN echo a shell exists here
CMD echo fine
FROM scratch AS exec
COPY app /app
CMD ["/app"]
FROM scratch AS busybox-shell
COPY --from=busybox:1.36-musl /bin/busybox /bin/sh
RUN echo copied a shell
CMD echo still fine
FROM scratch AS dir-copy
COPY --from=busybox:1.36-musl /bin /bin
RUN echo the shell may be in /bin
FROM scratch AS rootfs
ADD alpine-minirootfs.tar.gz /
CMD /bin/sh -c true
FROM scratch AS custom-shell
COPY --from=busybox:1.36-musl /bin/busybox /busybox/sh
SHELL ["/busybox/sh", "-c"]
RUN echo uses the copied shell
FROM scratch AS variable-dest
ARG DIR
COPY --from=busybox:1.36-musl /bin/busybox $DIR
RUN echo the destination is unknown
FROM scratch AS mounted-shell
RUN --mount=from=busybox:1.36-musl,src=/bin/busybox,dst=/bin/sh echo the mount brings a shell
FROM scratch AS mounted-bin
RUN --mount=type=bind,from=busybox:1.36-musl,source=/bin,target=/bin ls
FROM scratch AS entry-with-cmd
COPY app /app
ENTRYPOINT ["/app"]
CMD --help and shell form is only arguments here
"#,
    );
}

#[test]
fn scratch_shell_form_follows_path_for_a_bare_shell_name() {
    check_rule(
        "ScratchShellForm",
        r#"
FROM scratch AS bare
SHELL ["sh", "-c"]
RUN true
    ^^^^ ScratchShellForm
FROM scratch AS in-path
COPY --from=busybox:1.36-musl /bin/busybox /usr/bin/sh
SHELL ["sh", "-c"]
RUN true
"#,
    );
}

#[test]
fn scratch_shell_form_waits_for_every_stage_a_cmd_ends_up_in() {
    // The CMD of `base` runs in `final`, which copied a shell.
    check_rule(
        "ScratchShellForm",
        r#"
FROM scratch AS base
CMD echo hi
FROM base AS final
COPY --from=busybox:1.36-musl /bin/busybox /bin/sh
"#,
    );
}

#[test]
fn scratch_shell_form_heredoc_onbuild_and_escape() {
    check_rule(
        "ScratchShellForm",
        r#"
FROM scratch
ONBUILD RUN echo runs in the child, not here
RUN <<EOF
    ^^^^^ ScratchShellForm
echo hi
EOF
"#,
    );
    // After a RUN anything may exist: the second RUN is not reported.
    let text = "# escape=`\nFROM scratch\nRUN echo a `\n    b\nRUN echo c\n";
    let a = analysis(text);
    let got: Vec<&str> = a
        .diagnostics()
        .iter()
        .filter(|d| d.code == "ScratchShellForm")
        .map(|d| d.range.slice(text))
        .collect();
    assert_eq!(got, ["echo a `\n    b"]);
}

#[test]
fn scratch_shell_form_messages() {
    let text = "FROM scratch\nRUN echo hi\nFROM scratch\nCOPY app /app\nCMD /app\n";
    expect![[r#"
        error `echo hi`: shell-form RUN runs `/bin/sh -c ...`, but this stage is built on scratch and nothing copied `/bin/sh` into it: the build fails with "no such file or directory"; write it in exec form (`RUN ["/path/to/program", "arg"]`) or copy a shell into the stage
        error `/app`: shell-form CMD runs `/bin/sh -c ...`, but this stage is built on scratch and nothing copied `/bin/sh` into it: the container fails to start with "no such file or directory"; write it in exec form (`CMD ["/path/to/program", "arg"]`), which needs no shell"#]]
    .assert_eq(&rule_messages("ScratchShellForm", text));
}

// ScratchMissingExecutable

#[test]
fn scratch_missing_executable_fires_on_the_go_example() {
    check_rule(
        "ScratchMissingExecutable",
        r#"
FROM golang:1.17 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o main

FROM scratch As application
COPY --from=build /app/main /main
ENTRYPOINT ["run", "main.go"]
            ^^^^^ ScratchMissingExecutable
"#,
    );
}

#[test]
fn scratch_missing_executable_absolute_relative_cmd_run_healthcheck() {
    check_rule(
        "ScratchMissingExecutable",
        r#"
FROM scratch AS run
COPY --from=build /out/app /bin/app
RUN --mount=type=cache,target=/cache ["/app", "--init"]
                                      ^^^^^^ ScratchMissingExecutable
RUN ["/after-a-run-anything-may-exist"]
FROM scratch AS abs
COPY --from=build /out/app /bin/app
HEALTHCHECK CMD ["/healthcheck"]
                 ^^^^^^^^^^^^^^ ScratchMissingExecutable
CMD ["/app"]
     ^^^^^^ ScratchMissingExecutable
FROM scratch AS rel
WORKDIR /srv
COPY --from=build /out/app /opt/app
CMD ["./app"]
     ^^^^^^^ ScratchMissingExecutable
"#,
    );
}

#[test]
fn scratch_missing_executable_valid() {
    check_rule(
        "ScratchMissingExecutable",
        r#"
FROM scratch AS direct
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
CMD ["--help"]
FROM scratch AS dir-copy
COPY --from=build /out/ /app/
ENTRYPOINT ["/app/server"]
FROM scratch AS workdir-copy
WORKDIR /srv
COPY --from=build /out/app .
CMD ["./app"]
FROM scratch AS in-path
COPY --from=build /out/app /usr/local/bin/
CMD ["app"]
FROM scratch AS env-path
ENV PATH=/opt/bin:$PATH
COPY --from=build /out/tool /opt/bin/tool
CMD ["tool"]
FROM scratch AS after-run
COPY --from=busybox:1.36-musl /bin/busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["ls"]
FROM scratch AS mounted
RUN --mount=from=build,src=/out,target=/tools ["/tools/gen"]
FROM scratch AS wasm
COPY --from=build /kafka.wasm /kafka.wasm
ENTRYPOINT ["kafka.wasm"]
FROM scratch AS variable-path
ARG BIN=/app
COPY --from=build /out/app /app
CMD ["$BIN"]
FROM alpine:3.20 AS image
CMD ["missing-but-the-image-may-have-it"]
FROM scratch AS child-base
CMD ["/later"]
FROM child-base
COPY --from=build /out/app /later
"#,
    );
}

#[test]
fn scratch_missing_executable_cmd_is_arguments_under_an_entrypoint() {
    check_rule(
        "ScratchMissingExecutable",
        r#"
FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
CMD ["serve"]
"#,
    );
    // An ENTRYPOINT in a later stage clears the inherited CMD.
    check_rule(
        "ScratchMissingExecutable",
        r#"
FROM scratch AS base
CMD ["/gone"]
FROM base
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
"#,
    );
}

#[test]
fn scratch_missing_executable_messages() {
    let text =
        "FROM scratch\nCOPY --from=build /app/main /main\nENTRYPOINT [\"run\", \"main.go\"]\n";
    expect![[r#"warning `"run"`: `run` is looked up in PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin), and nothing was copied there in this scratch stage: the container fails to start with `exec: "run": executable file not found in $PATH`; name the copied program by its absolute path"#]]
    .assert_eq(&rule_messages("ScratchMissingExecutable", text));
    let a = analysis(text);
    let d = a
        .diagnostics()
        .iter()
        .find(|d| d.code == "ScratchMissingExecutable")
        .expect("reported");
    assert_eq!(d.related.len(), 1);
    assert_eq!(
        d.related[0].range.slice(text),
        "COPY --from=build /app/main /main"
    );
    assert_eq!(d.related[0].message, "COPY puts /main here");
}

// CopyFromMissingPath

#[test]
fn copy_from_missing_path_in_a_scratch_stage() {
    check_rule(
        "CopyFromMissingPath",
        r#"
FROM scratch AS assets
COPY web/ /web/
COPY <<EOF /etc/motd
hello
EOF
FROM nginx:1.27
COPY --from=assets /web /usr/share/nginx/html
COPY --from=assets web/index.html /usr/share/nginx/html/
COPY --from=assets /etc/motd /etc/motd
COPY --from=assets /www /usr/share/nginx/html
                   ^^^^ CopyFromMissingPath
COPY --from=assets /etc/issue /etc/issue
                   ^^^^^^^^^^ CopyFromMissingPath
COPY --from=assets /srv/*.html /srv/
                   ^^^^^^^^^^^ CopyFromMissingPath
"#,
    );
    expect![[r#"warning `/srv/*.html`: `/srv/*.html` matches nothing: /srv does not exist in stage `assets`, which is built on scratch with no RUN, and no COPY or ADD put anything there (BuildKit copies nothing for a wildcard without matches)"#]]
    .assert_eq(&rule_messages(
        "CopyFromMissingPath",
        "FROM scratch AS assets\nCOPY web/ /web/\nFROM nginx:1.27\nCOPY --from=assets /srv/*.html /srv/\n",
    ));
}

#[test]
fn copy_from_missing_path_relative_sources_start_at_the_root() {
    check_rule(
        "CopyFromMissingPath",
        r#"
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o app .
FROM alpine:3.20
COPY --from=build app /usr/local/bin/app
                  ^^^ CopyFromMissingPath
COPY --from=build /src/app /usr/local/bin/app
"#,
    );
}

#[test]
fn copy_from_missing_path_absolute_path_of_another_workdir() {
    check_rule(
        "CopyFromMissingPath",
        r#"
FROM node:22 AS build
WORKDIR /usr/src/app
COPY . .
RUN npm ci && npm run build
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
                  ^^^^^^^^^ CopyFromMissingPath
COPY --from=build /usr/src/app/dist /usr/share/nginx/html
"#,
    );
    // Without a WORKDIR there is nothing to point at: silent.
    check_rule(
        "CopyFromMissingPath",
        "FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=build /a /b\n",
    );
    // nginx keeps files at its root (/docker-entrypoint.d): unknowable.
    check_rule(
        "CopyFromMissingPath",
        "FROM nginx:1.27 AS web\nWORKDIR /srv\nFROM alpine:3.20\nCOPY --from=web /docker-entrypoint.d /d\n",
    );
}

#[test]
fn copy_from_missing_path_cargo_output_of_the_rust_example() {
    check_rule(
        "CopyFromMissingPath",
        r#"
FROM rust:1.66.0-alpine3.17 AS build
COPY . .
RUN cargo build --release

FROM scratch
COPY --from=build /app/target/release/namaste-world /app/namaste-world
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ CopyFromMissingPath
CMD ["/app/namaste-world"]
"#,
    );
}

#[test]
fn copy_from_missing_path_valid() {
    check_rule(
        "CopyFromMissingPath",
        r#"
FROM rust:1.80 AS good-rust
WORKDIR /app
COPY . .
RUN cargo build --release
FROM rust:1.80 AS moved-rust
COPY . .
RUN cargo build --release && mkdir -p /app/target/release && cp target/release/x /app/target/release/
FROM rust:1.80 AS target-dir
COPY . .
ENV CARGO_TARGET_DIR=/app/target
RUN cargo build --release
FROM rust:1.80 AS makefile
COPY . .
RUN make release
FROM golang:1.23 AS redirect
RUN go env GOARCH > /goarch
FROM alpine:3.20 AS written
RUN echo data > /output.txt
FROM ghcr.io/me/builder:1 AS unknown-image
WORKDIR /src
RUN build-it
FROM node:22 AS cd
WORKDIR /src
RUN cd / && mkdir dist
FROM node:22 AS var
WORKDIR /src
RUN mkdir -p $OUT
FROM alpine:3.20
COPY --from=good-rust /app/target/release/x /x
COPY --from=moved-rust /app/target/release/x /x
COPY --from=target-dir /app/target/release/x /x
COPY --from=makefile /app/target/release/x /x
COPY --from=redirect /goarch /goarch
COPY --from=written /output.txt /output.txt
COPY --from=unknown-image dist /dist
COPY --from=unknown-image /app/dist /dist
COPY --from=cd dist /dist
COPY --from=var dist /dist
COPY --from=golang:1.23 /usr/local/go /usr/local/go
COPY --from=redirect go/bin /go/bin
"#,
    );
}

#[test]
fn copy_from_missing_path_messages() {
    let text = "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\n\
FROM alpine:3.20\nCOPY --from=build app /app\n\
FROM rust:1.66.0-alpine3.17 AS r\nCOPY . .\nRUN cargo build --release\n\
FROM scratch\nCOPY --from=r /app/target/release/x /x\n";
    expect![[r#"
        warning `app`: BuildKit reads `--from` paths from `/` of stage `build`, not from its WORKDIR /src: this copies /app, and nothing in that stage creates /app; write `/src/app`
        warning `/app/target/release/x`: /app/target/release/x is not created in stage `r`: `cargo build` runs in / (the WORKDIR of `rust:1.66.0-alpine3.17`: the stage sets none) and writes its output to /target/release/; copy `/target/release/x`, or set `WORKDIR` in stage `r` before its `COPY`"#]]
    .assert_eq(&rule_messages("CopyFromMissingPath", text));
}

// RuntimePathMismatch

#[test]
fn runtime_path_mismatch_fires_on_the_node_example() {
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM node:lts-slim AS build
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build

FROM node:lts-slim AS runtime
WORKDIR /app
COPY --from=build /app/.output .
ENV NODE_ENV=production
CMD ["node", "/app/.output/index.mjs"]
             ^^^^^^^^^^^^^^^^^^^^^^^^ RuntimePathMismatch
"#,
    );
}

#[test]
fn runtime_path_mismatch_files_and_context_directories() {
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM golang:1.23 AS build
RUN go build -o /out/server .
FROM alpine:3.20
COPY --from=build /out/server /usr/local/bin/
COPY dist /srv
ENTRYPOINT ["/out/server"]
            ^^^^^^^^^^^^^ RuntimePathMismatch
CMD ["--static", "/srv/dist/index.html"]
                 ^^^^^^^^^^^^^^^^^^^^^^ RuntimePathMismatch
"#,
    );
}

#[test]
fn runtime_path_mismatch_valid() {
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM node:22 AS build
WORKDIR /app
RUN npm run build
FROM node:22-slim AS same-name
WORKDIR /app
COPY --from=build /app/.output ./.output
CMD ["node", "/app/.output/index.mjs"]
"#,
    );
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM node:22 AS build
RUN npm run build
FROM node:22-slim
WORKDIR /app
COPY --from=build /app/.output .
RUN mkdir .output && mv index.mjs .output/
CMD ["node", "/app/.output/index.mjs"]
"#,
    );
    // A redirection the command model does not list.
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM node:22 AS build
RUN npm run build
FROM node:22-slim
WORKDIR /app
COPY --from=build /app/.output .
RUN echo "import './index.mjs'" > /app/.output/index.mjs
CMD ["node", "/app/.output/index.mjs"]
"#,
    );
    // The whole filesystem of a stage, and a destination at the root.
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM alpine:3.20 AS rootfs
FROM scratch
COPY --from=rootfs / /
COPY dist /
CMD ["/dist/x", "/rootfs/y"]
"#,
    );
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM golang:1.23 AS build
RUN go build -o /out/server .
FROM alpine:3.20
COPY --from=build /out/server /usr/local/bin/
COPY --from=build /out /out
COPY dist /srv/dist
COPY . /app
RUN apk add --no-cache ca-certificates
ENTRYPOINT ["/out/server"]
CMD ["/srv/dist/index.html", "/app/dist/x", "/usr/share/zoneinfo/UTC", "/etc/app.conf"]
"#,
    );
    // A RUN that may write anything, a final stage built on the build stage.
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM golang:1.23 AS build
RUN go build -o /out/server .
FROM alpine:3.20
COPY --from=build /out/server /usr/local/bin/
RUN ./setup.sh
ENTRYPOINT ["/out/server"]
"#,
    );
    check_rule(
        "RuntimePathMismatch",
        r#"
FROM golang:1.23 AS build
RUN go build -o /out/server .
FROM build
COPY --from=build /out/server /usr/local/bin/
ENTRYPOINT ["/out/server"]
"#,
    );
}

#[test]
fn runtime_path_mismatch_messages() {
    let text = "FROM node:22 AS build\nFROM node:22-slim\nWORKDIR /app\n\
COPY --from=build /app/.output .\nCOPY dist /srv\n\
CMD [\"node\", \"/app/.output/index.mjs\", \"/srv/dist/x.js\"]\n";
    expect![[r#"
        warning `"/app/.output/index.mjs"`: /app/.output/index.mjs is where the files were in stage `build`; `COPY --from=build /app/.output .` put them in /app, so this file is /app/index.mjs
        warning `"/srv/dist/x.js"`: /srv/dist/x.js does not exist: COPY copies what is inside a directory, not the directory itself, so the files are in /srv/ and this is /srv/x.js"#]]
    .assert_eq(&rule_messages("RuntimePathMismatch", text));
}

// ToolchainInFinalStage

#[test]
fn toolchain_in_final_stage_fires_on_single_stage_builds() {
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM golang:1.17
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o main
                             ^^^^^^^^ ToolchainInFinalStage
ENTRYPOINT ["run", "main.go"]
"#,
    );
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM node:lts-slim
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build
    ^^^^^^^^^^^^^ ToolchainInFinalStage
CMD ["node", "/app/.output/index.mjs"]
"#,
    );
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y golang
RUN go build -o /app .
    ^^^^^^^^ ToolchainInFinalStage
"#,
    );
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B clean package -DskipTests
    ^^^^^^^^^^^^^^^^^^^^ ToolchainInFinalStage
FROM build AS final
CMD ["java", "-jar", "target/app.jar"]
"#,
    );
}

#[test]
fn toolchain_in_final_stage_valid() {
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM golang:1.23 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
"#,
    );
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM node:22 AS build
RUN npm ci && npm run build
FROM node:22-slim
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
"#,
    );
    check_rule(
        "ToolchainInFinalStage",
        r#"
FROM eclipse-temurin:21-jre
RUN ./mvnw package
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
 && make && make install \
 && apt-get purge -y build-essential
FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps go && go build -o /x . && apk del .build-deps
"#,
    );
}

// BuildContextInFinalStage

#[test]
fn build_context_in_final_stage_fires_after_a_build_stage_took_the_context() {
    check_rule(
        "BuildContextInFinalStage",
        r#"
FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY . .
     ^ BuildContextInFinalStage
ADD ./ /srv/
    ^^ BuildContextInFinalStage
"#,
    );
}

#[test]
fn build_context_in_final_stage_valid() {
    // Single stage.
    check_rule(
        "BuildContextInFinalStage",
        "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
    );
    // Dependencies built apart, sources shipped: the usual Python layout.
    check_rule(
        "BuildContextInFinalStage",
        r#"
FROM python:3.12 AS deps
COPY requirements.txt .
RUN pip wheel -r requirements.txt -w /wheels
FROM python:3.12-slim
COPY --from=deps /wheels /wheels
COPY . .
"#,
    );
    // The build stage is not the one the context reaches twice.
    check_rule(
        "BuildContextInFinalStage",
        r#"
FROM golang:1.23 AS build
COPY . .
RUN go build -o /app .
FROM alpine:3.20 AS test
COPY . .
FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
COPY --from=build . /src
"#,
    );
}

// SecretInShippedStage

#[test]
fn secret_in_shipped_stage_env_and_recorded_args() {
    check_rule(
        "SecretInShippedStage",
        r#"
FROM node:22-slim
ARG NPM_TOKEN
    ^^^^^^^^^ SecretInShippedStage
ENV DB_PASSWORD=changeme
    ^^^^^^^^^^^ SecretInShippedStage
ENV GH=ghp_0123456789abcdefghijABCDEFGHIJ0123
       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ SecretInShippedStage
ARG GITHUB_TOKEN
    ^^^^^^^^^^^^ SecretInShippedStage
ENV COPY_OF=$GITHUB_TOKEN
            ^^^^^^^^^^^^^ SecretInShippedStage
RUN npm ci
"#,
    );
}

#[test]
fn secret_in_shipped_stage_valid() {
    check_rule(
        "SecretInShippedStage",
        r#"
FROM node:22 AS build
ARG NPM_TOKEN
ENV API_KEY=in-a-build-stage-that-does-not-ship
RUN npm ci
FROM node:22-slim
ARG SECRET_NOT_RECORDED
ENV PASSWORD_FILE=/run/secrets/db
ENV AUTH_ENABLED=true
ENV TOKEN_URL=https://auth.example.com/token
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ENV API_TOKEN=
ENV NODE_ENV=production
COPY --from=build /app /app
"#,
    );
}

#[test]
fn secret_in_shipped_stage_arg_recorded_by_a_shipped_child_stage() {
    check_rule(
        "SecretInShippedStage",
        r#"
FROM alpine:3.20 AS base
ARG API_KEY
    ^^^^^^^ SecretInShippedStage
FROM base
RUN wget https://example.com/x
"#,
    );
}

#[test]
fn secret_in_shipped_stage_messages() {
    let text = "FROM alpine:3.20\nARG NPM_TOKEN\nENV DB_PASSWORD=x\nRUN true\n";
    expect![[r#"
        warning `NPM_TOKEN`: ARG `NPM_TOKEN` looks like a secret, and stage 0 ships: BuildKit records its value in the image history of every later RUN (`docker history --no-trunc`); use `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN ...` in the RUN that needs it instead
        warning `DB_PASSWORD`: ENV `DB_PASSWORD` looks like a secret, and stage 0 ships: its value is stored in the image configuration (`docker inspect` shows it); use `RUN --mount=type=secret,id=db_password,env=DB_PASSWORD ...` in the RUN that needs it instead"#]]
    .assert_eq(&rule_messages("SecretInShippedStage", text));
}

// PackageManagerMismatch

#[test]
fn package_manager_mismatch_fires() {
    check_rule(
        "PackageManagerMismatch",
        r#"
FROM python:3.12-slim AS py
RUN apk add --no-cache curl
    ^^^ PackageManagerMismatch
FROM golang:1.23-alpine AS go
RUN apt-get update && apt-get install -y git
    ^^^^^^^ PackageManagerMismatch
FROM go AS child
RUN yum install -y make
    ^^^ PackageManagerMismatch
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN apt-get install -y curl
    ^^^^^^^ PackageManagerMismatch
"#,
    );
}

#[test]
fn package_manager_mismatch_valid() {
    check_rule(
        "PackageManagerMismatch",
        r#"
FROM python:3.12-slim
RUN apt-get update && apt-get install -y curl
FROM node:22-alpine
RUN apk add --no-cache git
FROM ghcr.io/me/unknown:1
RUN apk add curl
FROM ubuntu:24.04
RUN if command -v apk; then apk add curl; else apt-get install -y curl; fi
RUN [ -f /etc/alpine-release ] && apk add curl || true
FROM ${BASE:-alpine}
RUN apt-get install -y curl
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN apk add curl
FROM fedora:40
RUN dnf install -y git
"#,
    );
}

#[test]
fn package_manager_mismatch_windows_stage_and_variable_base() {
    check_rule(
        "PackageManagerMismatch",
        r#"
ARG BASE=alpine
FROM ${BASE}
RUN apt-get install -y curl
FROM python:3.12-windowsservercore
SHELL ["powershell", "-Command"]
RUN apk add curl
"#,
    );
}

#[test]
fn package_manager_mismatch_messages() {
    expect![[r#"warning `apk`: `apk` is the package manager of Alpine, but this stage is built on `python:3.12-slim` (Debian/Ubuntu): the build fails with "apk: not found"; use apt-get or a base image of the other distribution"#]]
    .assert_eq(&rule_messages(
        "PackageManagerMismatch",
        "FROM python:3.12-slim\nRUN apk add curl\n",
    ));
}

// Family-wide

#[test]
fn pragmas_silence_stage_aware_rules() {
    let text = "FROM scratch\n# hadolint ignore=ScratchShellForm\nRUN echo hi\nFROM scratch\nRUN echo again\n";
    let a = analysis(text);
    let got: Vec<&str> = a
        .diagnostics()
        .iter()
        .filter(|d| d.code == "ScratchShellForm")
        .map(|d| d.range.slice(text))
        .collect();
    assert_eq!(got, ["echo again"]);
}

#[test]
fn rules_can_be_turned_off() {
    let mut s = Settings::default();
    s.rules
        .overrides
        .push(("ScratchShellForm".to_string(), None));
    let a = analysis_with("FROM scratch\nRUN echo hi\n", s);
    assert!(a.diagnostics().iter().all(|d| d.code != "ScratchShellForm"));
}

#[test]
fn broken_files_do_not_panic() {
    for text in [
        "",
        "FROM",
        "FROM scratch\nCOPY\nRUN\nCMD\nENTRYPOINT []\nHEALTHCHECK CMD\n",
        "FROM scratch\nCOPY --from= a b\nCOPY --from=9 /x /y\nWORKDIR ${\n",
        "FROM scratch AS a\nFROM a AS b\nFROM b\nCMD [\"x\"]\nCOPY --from=c /x /\n",
        "FROM scratch\nENV PATH=$PATH:$PATH\nCMD [\"x\"]\n",
        "FROM node\nCMD [\"/\", \"//\", \"/..\", \"/a/../..\"]\nCOPY --from=0 / /\n",
        "FROM rust AS b\nRUN cargo build --release\nFROM scratch\nCOPY --from=b /target/release/ /\n",
        "FROM scratch\nCOPY [\"a\", \"b\", \"/c/\"]\nENTRYPOINT [\"\"]\n",
        "FROM scratch\nCOPY C:\\\\x C:\\\\y\nCMD [\"C:\\\\y\"]\n",
    ] {
        let _ = analysis(text).diagnostics();
    }
}

const CODES: &[&str] = &[
    "ScratchShellForm",
    "ScratchMissingExecutable",
    "CopyFromMissingPath",
    "RuntimePathMismatch",
    "ToolchainInFinalStage",
    "BuildContextInFinalStage",
    "SecretInShippedStage",
    "PackageManagerMismatch",
];

/// The ```dockerfile blocks of a docs section.
fn dockerfile_blocks<'a>(docs: &'a str, section: &str) -> Vec<&'a str> {
    let Some(start) = docs.find(section) else {
        return Vec::new();
    };
    let body = &docs[start + section.len()..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    body.split("```dockerfile\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect()
}

#[test]
fn every_docs_example_is_reported_and_every_fix_is_not() {
    for code in CODES {
        let rule = berth::rules::find(code).expect("registered");
        let docs = rule.meta.docs;
        for section in ["## What", "## Why", "## Example", "## Fix"] {
            assert!(docs.contains(section), "{code} docs lack {section}");
        }
        let examples = dockerfile_blocks(docs, "## Example");
        assert!(!examples.is_empty(), "{code} has no example");
        for ex in examples {
            assert!(
                !rule_messages(code, ex).is_empty(),
                "{code}: its docs example is not reported:\n{ex}"
            );
        }
        for fix in dockerfile_blocks(docs, "## Fix") {
            // A fix that is a whole Dockerfile must be clean.
            if fix.starts_with("FROM") {
                assert_eq!(rule_messages(code, fix), "", "{code}: fix still reported");
            }
        }
    }
}
