//! Hover on keywords, flags, `--mount` keys, stages, variables and images.

mod common;

use common::{analysis, parse, show};

/// The hover at `$0` covers exactly the range marked `hover` (no mark: no
/// hover) and its markdown contains every string of `wanted`, in order.
fn check_hover(fixture: &str, wanted: &[&str]) -> String {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let got = a.hover(f.cursor.expect("fixture has $0"));
    let mark = f.marks.iter().find(|(_, l)| l == "hover").map(|(r, _)| *r);
    match (got, mark) {
        (None, None) => String::new(),
        (Some(h), Some(m)) => {
            assert_eq!(show(&f.text, h.range), show(&f.text, m), "in:\n{}", f.text);
            let mut from = 0;
            for w in wanted {
                match h.markdown[from..].find(w) {
                    Some(i) => from += i + w.len(),
                    None => panic!("{w:?} not (in order) in:\n{}", h.markdown),
                }
            }
            h.markdown
        }
        (got, mark) => panic!("hover {got:?}, mark {mark:?} in:\n{}", f.text),
    }
}

#[test]
fn an_instruction_keyword_shows_its_syntax_and_an_example() {
    check_hover(
        r#"
FROM alpine
CO$0PY . /src
^^^^ hover
"#,
        &[
            "**COPY**",
            "COPY [--from=<stage|image>]",
            "Example:",
            "COPY --from=build",
        ],
    );
    // Lower-case keywords and ONBUILD triggers are instructions too.
    check_hover(
        r#"
FROM alpine
onbuild r$0un make
        ^^^ hover
"#,
        &["**RUN**", "RUN [--mount=...]"],
    );
    check_hover(
        r#"
FROM alpine
$0HEALTHCHECK NONE
^^^^^^^^^^^ hover
"#,
        &["**HEALTHCHECK**", "HEALTHCHECK NONE"],
    );
    // An unknown instruction and the arguments of one have no hover.
    check_hover("FROM alpine\nFRO$0B x\n", &[]);
    check_hover("FROM alpine\nWORKDIR /s$0rc\n", &[]);
}

#[test]
fn a_flag_of_each_family_shows_its_docs() {
    check_hover(
        r#"
FROM --plat$0form=linux/amd64 alpine
     ^^^^^^^^^^^^^^^^^^^^^^ hover
"#,
        &[
            "**`--platform`** · FROM flag",
            "--platform=<os>/<arch>[/<variant>]",
        ],
    );
    check_hover(
        r#"
FROM alpine
COPY --chown=app:app$0 . /src
     ^^^^^^^^^^^^^^^ hover
"#,
        &["**`--chown`** · COPY flag", "/etc/passwd"],
    );
    check_hover(
        r#"
FROM alpine
ADD --$0checksum=sha256:abc https://example.com/a.tgz /a
    ^^^^^^^^^^^^^^^^^^^^^ hover
"#,
        &["**`--checksum`** · ADD flag", "--checksum=sha256:<hex>"],
    );
    check_hover(
        r#"
FROM alpine
RUN --network=n$0one make
    ^^^^^^^^^^^^^^ hover
"#,
        &["**`--network`** · RUN flag", "--network=default|none|host"],
    );
    check_hover(
        r#"
FROM alpine
HEALTHCHECK --start-i$0nterval=2s CMD true
            ^^^^^^^^^^^^^^^^^^^ hover
"#,
        &[
            "**`--start-interval`** · HEALTHCHECK flag",
            "`5s` by default",
        ],
    );
    // A flag the instruction does not take: nothing to say (a rule reports it).
    check_hover("FROM alpine\nCOPY --net$0work=none . /\n", &[]);
}

#[test]
fn a_mount_key_shows_the_docs_for_its_type() {
    check_hover(
        r#"
FROM alpine
RUN --mount=type=cache,sha$0ring=locked,target=/var/cache/apt apt-get update
                       ^^^^^^^^^^^^^^ hover
"#,
        &[
            "**`sharing`** · `cache` mount key",
            "sharing=shared|private|locked",
        ],
    );
    // `target` means something else for a secret than for a cache.
    check_hover(
        r#"
FROM alpine
RUN --mount=type=secret,id=npmrc,tar$0get=/root/.npmrc npm ci
                                 ^^^^^^^^^^^^^^^^^^^ hover
"#,
        &["**`target`** · `secret` mount key", "/run/secrets/<id>"],
    );
    // The type's value documents the type; no type means bind; aliases work.
    check_hover(
        r#"
FROM alpine
RUN --mount=type=tm$0pfs,target=/tmp true
            ^^^^^^^^^^ hover
"#,
        &["**`type=tmpfs`** mount", "An in-memory filesystem"],
    );
    check_hover(
        r#"
FROM alpine
RUN --mount=source=.,r$0w make
                     ^^ hover
"#,
        &["**`rw`** · `bind` mount key", "readwrite[=true|false]"],
    );
    // A key the type does not accept falls back to the flag's docs.
    check_hover(
        r#"
FROM alpine
RUN --mount=type=tmpfs,shar$0ing=locked true
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ hover
"#,
        &["**`--mount`** · RUN flag"],
    );
}

const STAGES: &str = r#"
FROM golang:1.23 AS deps
RUN go mod download
FROM deps AS build
RUN --mount=from=deps,target=/d go build
FROM alpine AS test
COPY --from=build /app /app
FROM scratch AS final
COPY --from=1 /app /app
"#;

#[test]
fn a_stage_declaration_summarises_the_stage() {
    let md = check_hover(
        &STAGES.replace("AS build", "AS bu$0ild\n             ^^^^^ hover"),
        &[
            "**stage `build`** · stage 1 · line 3",
            "- base: built on stage `deps`",
            "- copies from: stage `deps` (RUN --mount from=, line 4)",
            "- used by: `test` (COPY --from, line 6); `final` (COPY --from, line 8)",
            "- built: the target `final` needs it",
        ],
    );
    assert!(!md.contains("final image"), "{md}");
    check_hover(
        &STAGES.replace("AS test", "AS t$0est\n               ^^^^ hover"),
        &[
            "**stage `test`** · stage 2",
            "- base: image `alpine`",
            "- used by no other stage",
            "- not built: the target `final` does not need it",
        ],
    );
    check_hover(
        &STAGES.replace("AS final", "AS fin$0al\n                ^^^^^ hover"),
        &[
            "- base: `scratch` (an empty filesystem)",
            "- copies from: stage `build` (COPY --from, line 8)",
            "- the final image: this is the stage that is built",
        ],
    );
}

#[test]
fn a_stage_reference_by_name_and_by_index() {
    check_hover(
        &STAGES.replace(
            "--from=build /app /app",
            "--from=bui$0ld /app /app\n            ^^^^^ hover",
        ),
        &[
            "**stage `build`** · stage 1",
            "- base: built on stage `deps`",
        ],
    );
    check_hover(
        &STAGES.replace(
            "FROM deps AS build",
            "FROM d$0eps AS build\n     ^^^^ hover",
        ),
        &["**stage `deps`** · stage 0", "- base: image `golang:1.23`"],
    );
    check_hover(
        &STAGES.replace(
            "from=deps,target=/d go build",
            "from=de$0ps,target=/d go build\n                 ^^^^ hover",
        ),
        &[
            "**stage `deps`**",
            "`build` (FROM, line 3); `build` (RUN --mount from=, line 4)",
        ],
    );
    check_hover(
        &STAGES.replace(
            "--from=1 /app /app",
            "--from=$01 /app /app\n            ^ hover",
        ),
        &[
            "**stage `build`** · stage 1",
            "`1` refers to the stage by its index.",
        ],
    );
}

#[test]
fn a_variable_with_a_chain_of_defaults() {
    check_hover(
        r#"
ARG GO=1.23
FROM golang:${GO} AS build
ARG GO
ENV GOVERSION=go$GO
RUN echo $GOVERS$0ION
         ^^^^^^^^^^ hover
"#,
        &[
            "**`GOVERSION`** · ENV in stage `build`, line 4",
            "Declared value: `go$GO`",
            "Value here: `go1.23`",
        ],
    );
    check_hover(
        r#"
ARG GO=1.23
FROM golang:${G$0O} AS build
            ^^^^^ hover
"#,
        &["**`GO`** · global ARG, line 1", "Value here: `1.23`"],
    );
    check_hover(
        r#"
ARG GO=1.23
FROM golang AS build
ARG GO
COPY $G$0O /x
     ^^^ hover
"#,
        &[
            "ARG in stage `build`, line 3",
            "Declared without a value: it takes the global default `1.23`",
            "Value here: `1.23`",
        ],
    );
    // No default anywhere: only `--build-arg` knows.
    check_hover(
        r#"
FROM alpine
ARG VERSION
RUN echo ${VERS$0ION}
         ^^^^^^^^^^ hover
"#,
        &[
            "No default: set with `--build-arg VERSION=...`",
            "Value here: not known before the build",
        ],
    );
}

#[test]
fn modifiers_show_what_they_yield() {
    let text = r#"
FROM alpine
ENV EMPTY=
ENV V=1
RUN echo ${EMPTY:-fallback} ${EMPTY-kept} ${V:+on} ${NOPE:+on} ${V:?need V} ${NOPE:?need NOPE}
"#;
    let cases = [
        (
            "${EMPTY:-fallback}",
            "otherwise `fallback`",
            "Here it yields `fallback`",
        ),
        (
            "${EMPTY-kept}",
            "(even empty), otherwise `kept`",
            "Here it yields empty",
        ),
        (
            "${V:+on}",
            "`on` if the variable is set and not empty",
            "Here it yields `on`",
        ),
        (
            "${NOPE:+on}",
            "`on` if the variable is set",
            "Here it depends on build arguments",
        ),
        (
            "${V:?need V}",
            "the build fails with `need V`",
            "Here it yields `1`",
        ),
        (
            "${NOPE:?need NOPE}",
            "fails with `need NOPE`",
            "Here: the build fails: need NOPE",
        ),
    ];
    for (written, meaning, result) in cases {
        let at = text.find(written).unwrap();
        let fixture = format!(
            "{}$0{}",
            &text[..at + 3],
            &text[at + 3..].replacen(
                '\n',
                &format!(
                    "\n{}{} hover\n",
                    " ".repeat(at - text[..at].rfind('\n').unwrap() - 1),
                    "^".repeat(written.len())
                ),
                1
            )
        );
        check_hover(&fixture, &[&format!("`{written}`: "), meaning, result]);
    }
}

#[test]
fn predefined_platform_args_are_explained() {
    check_hover(
        r#"
FROM --platform=$BUILDPL$0ATFORM golang AS build
                ^^^^^^^^^^^^^^ hover
"#,
        &[
            "**`BUILDPLATFORM`**",
            "Predefined by BuildKit: platform of the node performing the build",
        ],
    );
    check_hover(
        r#"
FROM golang AS build
ARG TARGETARCH
RUN GOARCH=$TARGETA$0RCH go build
           ^^^^^^^^^^^ hover
"#,
        &[
            "ARG in stage `build`, line 2",
            "Predefined by BuildKit: architecture component of TARGETPLATFORM",
            "Value here: set by BuildKit for each build",
        ],
    );
}

#[test]
fn image_names_are_split_with_docker_hub_defaults() {
    check_hover(
        r#"
FROM ng$0inx
     ^^^^^ hover
"#,
        &[
            "**image** `nginx`",
            "| registry | `docker.io` (Docker Hub, implied) |",
            "| repository | `library/nginx` (an official image",
            "| tag | `latest` (implied) |",
        ],
    );
    check_hover(
        r#"
FROM ghcr.io/o/r:1.2@sha256:0123abc$0 AS app
     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ hover
"#,
        &[
            "| registry | `ghcr.io` |",
            "| repository | `o/r` |",
            "| tag | `1.2` |",
            "| digest | `sha256:0123abc` |",
            "the digest decides",
        ],
    );
    let md = check_hover(
        r#"
FROM localhost:5000/$0x
     ^^^^^^^^^^^^^^^^ hover
"#,
        &[
            "| registry | `localhost:5000` |",
            "| repository | `x` |",
            "| tag | `latest` (implied) |",
        ],
    );
    assert!(!md.contains("library/"), "{md}");
    check_hover(
        r#"
ARG TAG=3.20
FROM alp$0ine:${TAG}
     ^^^^^^^^^^^^^ hover
"#,
        &[
            "**image** `alpine:${TAG}` = `alpine:3.20` with the ARG defaults",
            "| tag | `3.20` |",
        ],
    );
    check_hover(
        r#"
FROM alpine
COPY --from=busybox:1.3$06 /bin/busybox /bin/
            ^^^^^^^^^^^^ hover
"#,
        &["**image** `busybox:1.36`", "`library/busybox`"],
    );
}

#[test]
fn variables_win_over_stage_refs_flags_and_keywords() {
    // Inside a mount flag value, on a variable: the variable.
    check_hover(
        r#"
FROM alpine
ARG CACHE=/c
RUN --mount=type=cache,target=$CA$0CHE true
                              ^^^^^^ hover
"#,
        &["**`CACHE`**", "Value here: `/c`"],
    );
}

#[test]
fn any_offset_of_broken_text_answers_without_panicking() {
    let texts = [
        "FROM\n",
        "RUN --mount=\n",
        "FROM a AS\nCOPY --from= .\n",
        "FROM a\nRUN --mount=type=cache,,=,target=${X:-\n",
        "ARG A=${B:?}\nFROM ${A}\nENV \\\n  X=é$\n",
        "FROM a\nONBUILD\nONBUILD COPY --from=0 . .\nHEALTHCHECK --interval\n",
        "FROM ghcr.io/@\nCOPY --from=9 . .\n",
    ];
    for t in texts {
        let a = analysis(t);
        for i in 0..=t.len() as u32 + 2 {
            let _ = a.hover(i);
        }
    }
}

#[test]
fn every_keyword_and_flag_completion_carries_its_docs() {
    let a = analysis("FROM alpine\n\n");
    let items = a.completions(12);
    assert_eq!(items.len(), 18);
    for i in &items {
        let doc = i
            .documentation
            .as_deref()
            .unwrap_or_else(|| panic!("{}", i.label));
        assert!(doc.contains(i.label.as_str()), "{}: {doc}", i.label);
    }
    for kw in ["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"] {
        let text = format!("FROM alpine\n{kw} --");
        let a = analysis(&text);
        let items = a.completions(text.len() as u32);
        assert!(!items.is_empty(), "{kw}");
        for i in items {
            let doc = i
                .documentation
                .unwrap_or_else(|| panic!("{kw} {}", i.label));
            let flag = i.label.trim_end_matches('=');
            assert!(doc.contains(flag), "{kw} {flag}: {doc}");
        }
    }
    for value in ["type=secret,", "type=", ""] {
        let text = format!("FROM alpine\nRUN --mount={value}");
        let a = analysis(&text);
        let items = a.completions(text.len() as u32);
        assert!(!items.is_empty(), "{value}");
        for i in items {
            assert!(i.documentation.is_some(), "{value} {}", i.label);
        }
    }
}

#[test]
fn stage_and_variable_completions_are_documented_on_demand() {
    let text = "ARG V=1\nFROM alpine AS base\nARG V\nFROM base\nCOPY --from=";
    let a = analysis(text);
    let items = a.completions(text.len() as u32);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].documentation, None);
    let doc = a
        .completion_documentation(text.len() as u32, &items[0])
        .unwrap();
    assert!(
        doc.starts_with("**stage `base`** · stage 0 · line 2"),
        "{doc}"
    );
    let text = "ARG V=1\nFROM alpine AS base\nARG V\nFROM base\nRUN echo $";
    let a = analysis(text);
    let items = a.completions(text.len() as u32);
    let v = items.iter().find(|i| i.label == "V").unwrap();
    let doc = a.completion_documentation(text.len() as u32, v).unwrap();
    assert!(doc.contains("ARG in stage `base`, line 3"), "{doc}");
    assert!(doc.contains("Value here: `1`"), "{doc}");
    let proxy = items.iter().find(|i| i.label == "HTTP_PROXY").unwrap();
    let doc = a
        .completion_documentation(text.len() as u32, proxy)
        .unwrap();
    assert!(doc.contains("Predefined by BuildKit"), "{doc}");
}

#[test]
fn a_declaration_on_the_last_line_shows_its_value() {
    check_hover(
        r#"
ARG B=x
FROM alpine
ARG B
ENV A$0=${B}-y C=1
    ^ hover
"#,
        &[
            "**`A`** · ENV in stage `stage-0`, line 4",
            "Value here: `x-y`",
        ],
    );
}

#[test]
fn hover_and_signature_help_answer_everywhere_in_the_examples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let mut hovers = 0;
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let a = analysis(&text);
        for i in 0..=text.len() as u32 {
            if let Some(h) = a.hover(i) {
                assert!(h.range.touches(i), "{:?} at {i}", e.path());
                hovers += 1;
            }
            let _ = a.signature_help(i);
        }
    }
    assert!(hovers > 1000, "{hovers}");
}
