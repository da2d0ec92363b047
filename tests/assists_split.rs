//! `split_stages`: a single toolchain stage becomes build + runtime stages.

mod common;

use std::path::Path;

use berth::text::TextRange;
use common::{analysis, assert_keeps_quality, check_assist, check_no_assist};

fn example(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/examples")
        .join(name);
    match std::fs::read_to_string(p) {
        Ok(t) => Some(t),
        Err(_) => {
            println!("SKIPPED: ../shared absent");
            None
        }
    }
}

const ID: &str = "split_stages";

/// Split `before` (cursor at `$0`), compare, and check the result: the
/// toolchain diagnostic is gone and the assist is not offered again.
fn check_split(before: &str, after: &str) {
    check_assist(ID, before, after);
    let after = after.strip_prefix('\n').unwrap_or(after);
    let a = analysis(after);
    assert!(
        a.diagnostics()
            .iter()
            .all(|d| d.code != "ToolchainInFinalStage"),
        "ToolchainInFinalStage left in:\n{after}"
    );
    for at in [0, after.len() as u32 / 2, after.len() as u32] {
        let offered = a.assists(TextRange::empty(at));
        assert!(
            offered.iter().all(|x| x.id != ID),
            "offered again at {at}:\n{after}"
        );
    }
}

fn check_example(name: &str, after: &str) {
    let Some(text) = example(name) else { return };
    let before = analysis(&text);
    assert!(
        before
            .diagnostics()
            .iter()
            .any(|d| d.code == "ToolchainInFinalStage"),
        "{name} is not flagged"
    );
    check_split(&format!("$0{text}"), after);
}

#[test]
fn go_single_stage_static_build_ships_on_scratch_with_ca_certificates() {
    check_example(
        "go-single-stage.Dockerfile",
        "FROM golang:1.17 AS build\n\nWORKDIR /app\n  \nCOPY . .\n  \n\
RUN CGO_ENABLED=0 GOOS=linux go build -o main\n\n\
FROM scratch\n\
WORKDIR /app\n\
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
COPY --from=build /app/main /app/main\n\n\
ENTRYPOINT [\"/app/main\"]\n",
    );
}

#[test]
fn go_installed_on_ubuntu_ships_on_distroless_base() {
    check_example(
        "go-ubuntu-single.Dockerfile",
        r#"
FROM ubuntu:latest AS build

WORKDIR /app

RUN apt update \
   && apt install -y golang

COPY /hello-world-go/main.go .

RUN go mod init hello-world-go && go build -o hello-world-go

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /app
COPY --from=build /app/hello-world-go /app/hello-world-go

EXPOSE 80
CMD ["./hello-world-go"]
"#,
    );
}

#[test]
fn node_ships_the_output_and_production_dependencies_on_slim() {
    check_example(
        "node-single.Dockerfile",
        r#"
FROM node:lts-slim AS build

WORKDIR /app
COPY . .

RUN npm ci
RUN npm run build

FROM node:lts-slim
WORKDIR /app
COPY --from=build /app/package*.json ./
RUN npm ci --omit=dev
COPY --from=build /app/.output /app/.output

ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "/app/.output/index.mjs"]
"#,
    );
}

#[test]
fn not_offered_on_a_multi_stage_file_that_ships_a_runtime_image() {
    let Some(text) = example("go-alpine.Dockerfile") else {
        return;
    };
    for at in [0, text.len() / 2, text.len()] {
        let mut f = text.clone();
        f.insert_str(at, "$0");
        check_no_assist(ID, &f);
    }
}

#[test]
fn rust_release_binary_named_by_cmd() {
    check_split(
        r#"
FROM rust:1.80
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release$0
EXPOSE 8080
CMD ["myapp"]
"#,
        r#"
FROM rust:1.80 AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/target/release/myapp /usr/src/app/target/release/myapp

EXPOSE 8080
CMD ["/usr/src/app/target/release/myapp"]
"#,
    );
}

#[test]
fn rust_musl_target_ships_on_scratch() {
    check_split(
        r#"
FROM rust:1.80 AS compile
WORKDIR /src
COPY . .
RUN rustup target add x86_64-unknown-linux-musl && cargo build --release --target x86_64-unknown-linux-musl
USER 1000
ENTRYPOINT ["/src/target/x86_64-unknown-linux-musl/release/srv"]$0
"#,
        r#"
FROM rust:1.80 AS compile
WORKDIR /src
COPY . .
RUN rustup target add x86_64-unknown-linux-musl && cargo build --release --target x86_64-unknown-linux-musl

FROM scratch
WORKDIR /src
COPY --from=compile /src/target/x86_64-unknown-linux-musl/release/srv /src/target/x86_64-unknown-linux-musl/release/srv

USER 1000
ENTRYPOINT ["/src/target/x86_64-unknown-linux-musl/release/srv"]
"#,
    );
}

#[test]
fn maven_jar_on_the_same_temurin_version_jre() {
    check_split(
        r#"
$0FROM maven:3.9-eclipse-temurin-21
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "target/app.jar"]
"#,
        r#"
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /app/target/*.jar /app/target/

EXPOSE 8080
ENTRYPOINT ["java", "-jar", "target/app.jar"]
"#,
    );
}

#[test]
fn gradle_jar_from_build_libs() {
    check_split(
        r#"
FROM gradle:8-jdk17
WORKDIR /home/gradle/project
COPY . .
RUN gradle build --no-daemon
CMD ["java", "-jar", "build/libs/app.jar"]$0
"#,
        r#"
FROM gradle:8-jdk17 AS build
WORKDIR /home/gradle/project
COPY . .
RUN gradle build --no-daemon

FROM eclipse-temurin:17-jre
WORKDIR /home/gradle/project
COPY --from=build /home/gradle/project/build/libs/*.jar /home/gradle/project/build/libs/

CMD ["java", "-jar", "build/libs/app.jar"]
"#,
    );
}

#[test]
fn python_site_packages_and_sources_on_slim() {
    check_split(
        r#"
FROM python:3.12
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["python", "app.py"]$0
"#,
        r#"
FROM python:3.12 AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

FROM python:3.12-slim
WORKDIR /app
COPY --from=build /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages
COPY --from=build /usr/local/bin /usr/local/bin
COPY --from=build /app /app

EXPOSE 8000
CMD ["python", "app.py"]
"#,
    );
}

#[test]
fn python_virtual_environment_is_copied() {
    check_split(
        r#"
FROM python:3.11-bookworm
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir .
CMD ["serve"]$0
"#,
        r#"
FROM python:3.11-bookworm AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir .

FROM python:3.11-slim
WORKDIR /srv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv /srv

CMD ["serve"]
"#,
    );
}

#[test]
fn dotnet_publish_output_on_aspnet_and_comments_move_along() {
    check_split(
        r#"
FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app/out
# The web port
EXPOSE 8080$0
ENTRYPOINT ["dotnet", "/app/out/Web.dll"]
"#,
        r#"
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app/out

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /src
COPY --from=build /app/out /app/out

# The web port
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/out/Web.dll"]
"#,
    );
}

#[test]
fn runtime_instructions_in_the_middle_move_and_args_are_redeclared() {
    check_split(
        r#"
ARG GO=1.23
FROM golang:${GO}-bookworm
ARG PORT=8080
EXPOSE ${PORT}
LABEL org.opencontainers.image.source="https://example.com/app"

WORKDIR /src
COPY . .
ENV CGO_ENABLED=0
RUN go build -o /out/app ./cmd/app$0
ENV PORT=${PORT}
CMD ["/out/app"]
"#,
        r#"
ARG GO=1.23
FROM golang:${GO}-bookworm AS build
ARG PORT=8080

WORKDIR /src
COPY . .
ENV CGO_ENABLED=0
RUN go build -o /out/app ./cmd/app

FROM scratch
ARG PORT=8080
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/app /out/app

EXPOSE ${PORT}
LABEL org.opencontainers.image.source="https://example.com/app"
ENV PORT=${PORT}
CMD ["/out/app"]
"#,
    );
}

#[test]
fn crlf_line_endings_are_kept() {
    let before = "FROM golang:1.22\r\nWORKDIR /app\r\nCOPY . .\r\nRUN CGO_ENABLED=0 go build -o app$0\r\nCMD [\"./app\"]\r\n";
    let after = "FROM golang:1.22 AS build\r\nWORKDIR /app\r\nCOPY . .\r\nRUN CGO_ENABLED=0 go build -o app\r\n\r\n\
FROM scratch\r\nWORKDIR /app\r\n\
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\r\n\
COPY --from=build /app/app /app/app\r\n\r\nCMD [\"./app\"]\r\n";
    check_split(before, after);
}

#[test]
fn no_final_line_break_and_existing_build_name() {
    check_split(
        "FROM alpine:3.20 AS build\nRUN true\n\nFROM golang:1.22-alpine AS $0app\nWORKDIR /app\nCOPY . .\nRUN go build -o app\nCMD [\"./app\"]",
        "FROM alpine:3.20 AS build\nRUN true\n\nFROM golang:1.22-alpine AS app\nWORKDIR /app\nCOPY . .\nRUN go build -o app\n\n\
FROM gcr.io/distroless/base-debian12:nonroot\nWORKDIR /app\nCOPY --from=app /app/app /app/app\n\nCMD [\"./app\"]\n",
    );
}

#[test]
fn unknown_artifact_is_a_snippet_placeholder_with_a_plain_text_variant() {
    let text =
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build ./...\nCMD [\"/app/server\"]\n";
    let a = analysis(text);
    let assist = a
        .assists(TextRange::empty(0))
        .into_iter()
        .find(|x| x.id == ID)
        .expect("offered");
    assert!(assist.change.is_snippet);
    let snippet = assist.change.apply(text).unwrap();
    assert!(
        snippet.contains("COPY --from=build ${1:/app} /app\n"),
        "{snippet}"
    );
    let plain = berth::ide::assists::split_stages::plain_text(&assist.change);
    assert!(!plain.is_snippet);
    let result = plain.apply(text).unwrap();
    assert_eq!(
        result,
        "FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN go build ./...\n\n\
FROM gcr.io/distroless/base-debian12:nonroot\nWORKDIR /app\n\
# TODO: copy the build output\nCOPY --from=build /app /app\n\nCMD [\"/app/server\"]\n"
    );
    // The plain variant parses and is not offered again.
    let b = analysis(&result);
    assert!(b.assists(TextRange::empty(0)).iter().all(|x| x.id != ID));
    assert!(b
        .diagnostics()
        .iter()
        .all(|d| d.code != "ToolchainInFinalStage"));
    assert_keeps_quality(text, &result);
}

#[test]
fn node_alpine_with_yarn_copies_node_modules() {
    check_split(
        r#"
FROM node:20-alpine
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile && yarn build
USER node
CMD ["node", "dist/main.js"]$0
"#,
        r#"
FROM node:20-alpine AS build
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile && yarn build

FROM node:20-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/dist /app/dist

USER node
CMD ["node", "dist/main.js"]
"#,
    );
}

#[test]
fn not_offered_without_a_build_or_outside_the_shipped_stage() {
    // Runs an application, builds nothing.
    check_no_assist(
        ID,
        "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"index.js\"]$0\n",
    );
    // Already a slim Python.
    check_no_assist(
        ID,
        "FROM python:3.12-slim\nCOPY . .\nRUN pip install .$0\nCMD [\"app\"]\n",
    );
    // A global ARG before the FROM.
    check_no_assist(
        ID,
        "ARG V=1$0\nFROM golang:1.22\nRUN go build -o /app .\nCMD [\"/app\"]\n",
    );
    // A build stage that does not ship.
    check_no_assist(
        ID,
        "FROM golang:1.22 AS b\nRUN go build -o /app .$0\nFROM alpine:3.20\nCOPY --from=b /app /app\nCMD [\"/app\"]\n",
    );
    // A toolchain image that builds nothing.
    check_no_assist(ID, "FROM golang:1.22\nCMD [\"go\", \"version\"]$0\n");
}

#[test]
fn backtick_escape_and_shell_form_go_run() {
    check_split(
        "# escape=`\nFROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 `\n    go build -o server$0\nCMD go run main.go\n",
        "# escape=`\nFROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 `\n    go build -o server\n\n\
FROM scratch\nWORKDIR /app\n\
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
COPY --from=build /app/server /app/server\n\nCMD [\"/app/server\"]\n",
    );
}

#[test]
fn an_env_read_by_a_build_step_stays() {
    check_split(
        r#"
FROM golang:1.22
COPY . /src
RUN go build -o /out/app /src$0
ENV OUT=/out
WORKDIR $OUT
CMD ["/out/app"]
"#,
        r#"
FROM golang:1.22 AS build
COPY . /src
RUN go build -o /out/app /src
ENV OUT=/out
WORKDIR $OUT

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /out
COPY --from=build /out/app /out/app

CMD ["/out/app"]
"#,
    );
}

/// On every file of the shared corpus and examples: no panic, and where
/// the split is offered its result parses, keeps every RUN, raises no new
/// warning, clears ToolchainInFinalStage and is not offered again.
#[test]
fn corpus_results_keep_quality() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut files = Vec::new();
    for dir in ["corpus", "examples"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            files.extend(rd.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    if files.is_empty() {
        println!("SKIPPED: ../shared absent");
        return;
    }
    files.sort();
    let mut offered = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let a = analysis(&text);
        let Some(assist) = a
            .assists(TextRange::empty(text.len() as u32))
            .into_iter()
            .find(|x| x.id == ID)
        else {
            continue;
        };
        offered += 1;
        let change = berth::ide::assists::split_stages::plain_text(&assist.change);
        let result = change.apply(&text).expect("edits apply");
        let runs = |t: &str| {
            analysis(t)
                .model()
                .instructions
                .iter()
                .filter(|i| i.kind == berth::syntax::Keyword::Run)
                .map(|i| i.range.slice(t).to_string())
                .collect::<Vec<_>>()
        };
        let after_runs = runs(&result);
        for r in runs(&text) {
            assert!(
                after_runs.contains(&r),
                "{}: lost `{r}`:\n{result}",
                f.display()
            );
        }
        let b = analysis(&result);
        if change == assist.change {
            assert_keeps_quality(&text, &result);
        } else {
            // A placeholder to complete: parsing is all that is asked.
            let syntax: Vec<_> = b
                .diagnostics()
                .iter()
                .filter(|d| {
                    berth::rules::find(d.code)
                        .is_some_and(|r| r.meta.category == berth::rules::Category::Syntax)
                })
                .map(|d| d.message.clone())
                .collect();
            assert!(syntax.is_empty(), "{}: {syntax:?}\n{result}", f.display());
        }
        assert!(
            b.diagnostics()
                .iter()
                .all(|d| d.code != "ToolchainInFinalStage"),
            "{}: still flagged:\n{result}",
            f.display()
        );
        assert!(
            b.assists(TextRange::empty(result.len() as u32))
                .iter()
                .all(|x| x.id != ID),
            "{}: offered again",
            f.display()
        );
    }
    println!("split offered on {offered} of {} files", files.len());
}

#[test]
fn go_install_binary_in_gopath_bin_runs_by_absolute_path() {
    check_split(
        r#"
FROM golang:1.23
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install ./cmd/api$0
ENTRYPOINT ["api", "--listen", ":8080"]
"#,
        r#"
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install ./cmd/api

FROM scratch
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /go/bin/api /go/bin/api

ENTRYPOINT ["/go/bin/api", "--listen", ":8080"]
"#,
    );
}

#[test]
fn rust_binary_named_by_bin_flag() {
    check_split(
        r#"
FROM rust:1.80-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release --bin server$0
CMD ["./target/release/server"]
"#,
        r#"
FROM rust:1.80-bookworm AS build
WORKDIR /app
COPY . .
RUN cargo build --release --bin server

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /app/target/release/server /app/target/release/server

CMD ["./target/release/server"]
"#,
    );
}

#[test]
fn lower_case_from_gets_lower_case_as() {
    check_split(
        "from golang:1.22\nrun CGO_ENABLED=0 go build -o /bin/app$0\ncmd [\"/bin/app\"]\n",
        "from golang:1.22 as build\nrun CGO_ENABLED=0 go build -o /bin/app\n\n\
from scratch\n\
copy --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
copy --from=build /bin/app /bin/app\n\ncmd [\"/bin/app\"]\n",
    );
}

// name_stage

#[test]
fn name_stage_names_a_toolchain_stage_and_rewrites_index_references() {
    check_assist(
        "name_stage",
        r#"
FROM golang:1.22$0
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .

FROM alpine:3.20
COPY --from=0 /out/app /app
CMD ["/app"]
"#,
        r#"
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .

FROM alpine:3.20
COPY --from=build /out/app /app
CMD ["/app"]
"#,
    );
}

#[test]
fn name_stage_picks_unique_names_from_the_base() {
    check_assist(
        "name_stage",
        r#"
FROM rust:1.80 AS build
RUN cargo build --release
FROM rust:1.80$0
RUN cargo build --release --bin tool
FROM alpine:3.20
COPY --from=build /target/release/x /x
COPY --from=1 /target/release/tool /tool
"#,
        r#"
FROM rust:1.80 AS build
RUN cargo build --release
FROM rust:1.80 AS builder
RUN cargo build --release --bin tool
FROM alpine:3.20
COPY --from=build /target/release/x /x
COPY --from=builder /target/release/tool /tool
"#,
    );
    check_assist(
        "name_stage",
        "FROM alpine:3.20\nRUN echo hi > /x\n$0from debian:bookworm-slim\nCOPY --from=0 /x /x\n",
        "FROM alpine:3.20\nRUN echo hi > /x\nfrom debian:bookworm-slim as runtime\nCOPY --from=0 /x /x\n",
    );
    check_assist(
        "name_stage",
        "FROM alpine:3.20$0\nRUN echo hi > /x\nFROM debian:bookworm-slim\nCOPY --from=0 /x /x\n",
        "FROM alpine:3.20 AS alpine-stage\nRUN echo hi > /x\nFROM debian:bookworm-slim\nCOPY --from=alpine-stage /x /x\n",
    );
}

#[test]
fn name_stage_not_offered_on_a_named_stage_or_off_the_from_line() {
    check_no_assist("name_stage", "FROM golang:1.22 AS b$0\nRUN go build\n");
    check_no_assist("name_stage", "FROM golang:1.22\nRUN go build$0\n");
    // Applying it twice offers nothing.
    check_no_assist("name_stage", "FROM golang:1.22 AS build$0\n");
}

/// name_stage on every unnamed FROM of the shared corpus: the result
/// parses, raises no new warning, and the stage is named.
#[test]
fn name_stage_on_the_corpus_keeps_quality() {
    let Ok(rd) = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
    else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let mut files: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for (n, f) in files.into_iter().enumerate() {
        if f.extension().is_none_or(|e| e != "Dockerfile") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let a = analysis(&text);
        let broken = a.diagnostics().iter().any(|d| {
            berth::rules::find(d.code)
                .is_some_and(|r| r.meta.category == berth::rules::Category::Syntax)
        });
        // Every file with `--from=<index>`, and a sample of the rest (the
        // check analyses each result twice: keep the test quick).
        let by_index = a.model().refs.iter().any(|r| r.by_index);
        if broken || !(by_index || n % 8 == 0) {
            continue;
        }
        // At most four stages a file (large-3000-lines has 86).
        for st in a.model().stages.iter().take(4) {
            let at = a.model().instructions[st.from].range.start;
            let Some(assist) = a
                .assists(TextRange::empty(at))
                .into_iter()
                .find(|x| x.id == "name_stage")
            else {
                continue;
            };
            assert!(
                st.name.is_none(),
                "{}: offered on a named stage",
                f.display()
            );
            let result = assist.change.apply(&text).expect("edits apply");
            assert_keeps_quality(&text, &result);
            let b = analysis(&result);
            assert!(b.model().stages[st.index].name.is_some(), "{}", f.display());
        }
    }
}

#[test]
fn go_static_with_a_shell_form_cmd_or_a_curl_healthcheck_ships_on_alpine() {
    check_split(
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app\nCMD ./app --port $PORT$0\n",
        "FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app\n\n\
FROM alpine:3.20\nWORKDIR /app\nCOPY --from=build /app/app /app/app\n\nCMD ./app --port $PORT\n",
    );
    check_split(
        r#"
FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o app
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
CMD ["./app"]$0
"#,
        r#"
FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o app

FROM alpine:3.20
WORKDIR /app
COPY --from=build /app/app /app/app

HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
CMD ["./app"]
"#,
    );
}

#[test]
fn node_without_a_lockfile_installs_production_dependencies() {
    check_split(
        r#"
FROM node:20-bookworm
WORKDIR /srv
COPY . .
RUN npm install && npm run build:prod
CMD ["npm", "start"]$0
"#,
        r#"
FROM node:20-bookworm AS build
WORKDIR /srv
COPY . .
RUN npm install && npm run build:prod

FROM node:20-bookworm-slim
WORKDIR /srv
ENV NODE_ENV=production
COPY --from=build /srv/package*.json ./
RUN npm install --omit=dev
COPY --from=build ${1:/srv/dist} ${1:/srv/dist}

CMD ["npm", "start"]
"#,
    );
}

#[test]
fn args_read_by_moved_instructions_are_redeclared() {
    check_split(
        r#"
ARG VERSION=1.0.0
FROM rust:1.80-slim
ARG VERSION
WORKDIR /app
COPY . .
RUN cargo build --release
LABEL org.opencontainers.image.version=$VERSION
ENTRYPOINT ["/app/target/release/tool"]$0
"#,
        r#"
ARG VERSION=1.0.0
FROM rust:1.80-slim AS build
ARG VERSION
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
ARG VERSION
WORKDIR /app
COPY --from=build /app/target/release/tool /app/target/release/tool

LABEL org.opencontainers.image.version=$VERSION
ENTRYPOINT ["/app/target/release/tool"]
"#,
    );
}

#[test]
fn snippet_text_escapes_dollars_and_the_plain_variant_restores_them() {
    let text = "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build ./...\nENV GREETING=\"${USER:-x} }\"\nCMD [\"/app/server\"]\n";
    let a = analysis(text);
    let assist = a
        .assists(TextRange::empty(0))
        .into_iter()
        .find(|x| x.id == ID)
        .expect("offered");
    assert!(assist.change.is_snippet);
    let snippet = assist.change.apply(text).unwrap();
    assert!(
        snippet.contains("COPY --from=build ${1:/app} /app\n")
            && snippet.contains("ENV GREETING=\"\\${USER:-x\\} \\}\"\n"),
        "{snippet}"
    );
    let plain = berth::ide::assists::split_stages::plain_text(&assist.change)
        .apply(text)
        .unwrap();
    assert!(
        plain.ends_with(
            "# TODO: copy the build output\nCOPY --from=build /app /app\n\n\
ENV GREETING=\"${USER:-x} }\"\nCMD [\"/app/server\"]\n"
        ),
        "{plain}"
    );
}

/// A USER the runtime image does not have would stop the container from
/// starting: the split writes the numeric ID the build image gives the
/// name, or copies the passwd and group files where a RUN made the user.
#[test]
fn a_moved_user_exists_in_the_runtime_image() {
    let numeric = "
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM scratch
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /app /app

USER 65534
ENTRYPOINT [\"/app\"]
";
    check_split(
        "$0FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nUSER nobody\nENTRYPOINT [\"/app\"]\n",
        numeric,
    );
    let copied = "
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN useradd -r app && CGO_ENABLED=0 go build -o /app .

FROM scratch
WORKDIR /src
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /app /app

COPY --from=build /etc/passwd /etc/group /etc/
USER app
ENTRYPOINT [\"/app\"]
";
    check_split(
        "$0FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN useradd -r app && CGO_ENABLED=0 go build -o /app .\nUSER app\nENTRYPOINT [\"/app\"]\n",
        copied,
    );
    for after in [numeric, copied] {
        let a = analysis(after);
        assert!(
            a.diagnostics().iter().all(|d| d.code != "UnknownUser"),
            "{after}"
        );
    }
}
