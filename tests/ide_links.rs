//! Document links: image references to their registry pages.

use std::path::Path;

use berth::ide::image_url;

mod common;

fn links(text: &str) -> String {
    common::analysis(text)
        .document_links()
        .iter()
        .map(|l| format!("`{}` -> {}\n", l.range.slice(text), l.target))
        .collect()
}

#[test]
fn images_link_to_their_registry() {
    let text = r#"ARG BASE=node:20
ARG UNKNOWN
FROM ${BASE} AS deps
FROM golang:1.23 AS build
FROM ghcr.io/owner/tool:1 AS tool
FROM quay.io/prometheus/busybox
FROM mcr.microsoft.com/dotnet/sdk:8.0@sha256:abc
FROM registry.example.com:5000/team/app
FROM localhost:5000/app
FROM bitnami/redis
FROM docker.io/library/alpine
FROM public.ecr.aws/docker/library/nginx
FROM ${UNKNOWN}
FROM build
FROM scratch
COPY --from=deps /a /b
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
COPY --from=nginx /x /y
RUN --mount=from=ghcr.io/o/cache,target=/c true
"#;
    let want = r#"`${BASE}` -> https://hub.docker.com/_/node
`golang:1.23` -> https://hub.docker.com/_/golang
`ghcr.io/owner/tool:1` -> https://ghcr.io/owner/tool
`quay.io/prometheus/busybox` -> https://quay.io/repository/prometheus/busybox
`mcr.microsoft.com/dotnet/sdk:8.0@sha256:abc` -> https://mcr.microsoft.com/artifact/mar/dotnet/sdk
`registry.example.com:5000/team/app` -> https://registry.example.com:5000/team/app
`bitnami/redis` -> https://hub.docker.com/r/bitnami/redis
`docker.io/library/alpine` -> https://hub.docker.com/_/alpine
`public.ecr.aws/docker/library/nginx` -> https://gallery.ecr.aws/docker/library/nginx
`nginx:1.27` -> https://hub.docker.com/_/nginx
`ghcr.io/o/cache` -> https://ghcr.io/o/cache
"#;
    assert_eq!(links(text), want);
}

#[test]
fn tooltips_name_the_site() {
    let a = common::analysis("FROM golang:1.23\nFROM quay.io/o/r\n");
    let tips: Vec<_> = a.document_links().into_iter().map(|l| l.tooltip).collect();
    assert_eq!(tips, ["Open golang on Docker Hub", "Open o/r on Quay"]);
}

#[test]
fn not_images_no_links() {
    assert_eq!(image_url("Builder"), None);
    assert_eq!(image_url(""), None);
    assert_eq!(image_url("localhost/app"), None);
    // Half-typed lines answer without a link or a panic.
    for text in [
        "FROM ",
        "FROM golang:",
        "FROM ${",
        "COPY --from= /a /b",
        "FROM ghcr.io/",
    ] {
        let _ = links(text);
    }
    assert_eq!(links("FROM golang:\n"), "");
}

#[test]
fn example_files() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/examples/go-multi-stage-broken.Dockerfile");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    // `FROM scratch` and `--from=build` are no images.
    assert_eq!(
        links(&text),
        "`golang:1.17` -> https://hub.docker.com/_/golang\n"
    );
}
