//! What reads berth's catalog of base images (src/model/catalog): shell
//! form on an image without a shell, a USER the image does not have,
//! UndefinedVar at BuildKit's behaviour where the base image's environment
//! is known, and the editor's hover on an image, completion of its tags
//! and of its environment's variables. The images named here are in the catalog; each
//! fact used is one a reader can check in the image's own Dockerfile.

mod common;

use common::{analysis, check_rule, parse, rule_messages};

fn labels(fixture: &str) -> Vec<String> {
    let f = parse(fixture);
    analysis(&f.text)
        .completions(f.cursor.expect("fixture has $0"))
        .into_iter()
        .map(|c| c.label)
        .collect()
}

#[test]
fn hover_on_an_image_shows_what_is_in_it() {
    let f = parse("FROM pyth$0on:3.12-slim\n");
    let h = analysis(&f.text).hover(f.cursor.unwrap()).expect("hover");
    for want in [
        "Debian",
        "glibc",
        "`/bin/sh`",
        "apt-get",
        "`PYTHON_VERSION`",
        "docker-library/python",
    ] {
        assert!(
            h.markdown.contains(want),
            "{want:?} not in:\n{}",
            h.markdown
        );
    }
    let f = parse("FROM gcr.io/distroless/static-debian12:non$0root\n");
    let h = analysis(&f.text).hover(f.cursor.unwrap()).expect("hover");
    assert!(h.markdown.contains("**none**"), "{}", h.markdown);
}

#[test]
fn completion_of_tags_and_of_the_image_environment() {
    let tags = labels("FROM python:3.12-$0\n");
    assert!(tags.contains(&"3.12-slim".to_string()), "{tags:?}");
    assert!(tags.contains(&"3.12-alpine".to_string()), "{tags:?}");
    assert!(labels("FROM not-catalogued-image:$0\n").is_empty());
    let vars = labels("FROM golang:1.22\nARG MINE=1\nRUN echo $G$0\n");
    assert!(vars.contains(&"GOPATH".to_string()), "{vars:?}");
    assert!(vars.contains(&"GOLANG_VERSION".to_string()), "{vars:?}");
    assert!(vars.contains(&"MINE".to_string()), "{vars:?}");
}

#[test]
fn shell_form_on_distroless_cannot_start() {
    check_rule(
        "ScratchShellForm",
        r#"
FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT /usr/local/bin/app
           ^^^^^^^^^^^^^^^^^^ ScratchShellForm
FROM gcr.io/distroless/base-debian12 AS tools
RUN echo no shell to run this
    ^^^^^^^^^^^^^^^^^^^^^^^^^ ScratchShellForm
"#,
    );
    // The mechanical fix: the exec form, which needs no shell.
    let text = "FROM gcr.io/distroless/static-debian13\nENTRYPOINT /usr/local/bin/app\n";
    let a = analysis(text);
    let d = a
        .diagnostics()
        .iter()
        .find(|d| d.code == "ScratchShellForm")
        .expect("reported on distroless static-debian13");
    let fixed = berth::text::apply_edits(text, &d.fixes[0].edits).unwrap();
    assert_eq!(
        fixed,
        "FROM gcr.io/distroless/static-debian13\nENTRYPOINT [\"/usr/local/bin/app\"]\n"
    );
    let msgs = rule_messages(
        "ScratchShellForm",
        "FROM gcr.io/distroless/static-debian12\nCMD /app\n",
    );
    assert!(
        msgs.contains("gcr.io/distroless/static-debian12") && msgs.contains("without a shell"),
        "{msgs}"
    );
}

#[test]
fn shell_form_is_fine_where_a_shell_exists_or_may() {
    check_rule(
        "ScratchShellForm",
        r#"
FROM alpine:3.20
RUN echo alpine has /bin/sh
FROM gcr.io/distroless/static-debian12 AS exec
ENTRYPOINT ["/app"]
FROM gcr.io/distroless/static-debian12 AS copied
COPY --from=busybox:1.36 /bin/busybox /bin/sh
CMD /app
FROM gcr.io/distroless/static-debian12 AS other-shell
SHELL ["/busybox/sh", "-c"]
CMD /app
FROM some.registry.example/unknown/image:1
CMD /app
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
CMD echo windows runs cmd
"#,
    );
}

#[test]
fn a_user_name_the_base_does_not_have() {
    check_rule(
        "UnknownUser",
        r#"
FROM golang:1.22 AS build
RUN go build -o /app .
FROM scratch
COPY --from=build /app /app
USER nobody
     ^^^^^^ UnknownUser
FROM gcr.io/distroless/static-debian12
USER appuser
     ^^^^^^^ UnknownUser
FROM alpine:3.20
USER nobody
FROM debian:bookworm-slim
USER www-data
FROM node:20
USER node
FROM alpine:3.20 AS added
RUN adduser -D app
USER app
FROM scratch AS numeric
USER 65534:65534
FROM gcr.io/distroless/static-debian12 AS known
USER nonroot:nonroot
"#,
    );
}

#[test]
fn undefined_var_where_the_base_image_is_known() {
    // BuildKit reads the image's environment: it reports what the image
    // does not set, and is silent on what it does.
    check_rule(
        "UndefinedVar",
        r#"
FROM golang:1.22
LABEL ref=${UNDEFINED_THING}
            ^^^^^^^^^^^^^^^ UndefinedVar
WORKDIR $GOPATH/src
FROM alpine:3.20
ENV A=$NOPE
       ^^^^ UndefinedVar
FROM python:3.12-slim
ENV V=$PYTHON_VERSION
FROM node:20
ENV N=$NODE_VERSION Y=$YARN_VERSION
FROM eclipse-temurin:21
ENV PATH=$JAVA_HOME/bin:$PATH LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x
                                               ^^^^^^^^^^^^^^^ UndefinedVar
"#,
    );
    // A tag the catalog does not have (an old one may set more): the
    // caution of unknown images.
    check_rule("UndefinedVar", "FROM ruby:2.4\nENV B=$BUNDLE_PATH\n");
}
