//! Find references and document highlight on fixtures: `w` marks a
//! declaration (write), `r` a use (read), `i` a reference by index or
//! through a variable (read, left alone by rename).

mod common;

use berth::ide::Access;
use common::{analysis, parse, show};

fn check(fixture: &str) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let cursor = f.cursor.expect("fixture has $0");
    let got: Vec<String> = a
        .highlights(cursor)
        .iter()
        .map(|o| {
            let kind = match (o.access, o.indirect) {
                (Access::Write, _) => "w",
                (Access::Read, false) => "r",
                (Access::Read, true) => "i",
            };
            format!("{} {kind}", show(&f.text, o.range))
        })
        .collect();
    let mut want: Vec<(u32, String)> = f
        .marks
        .iter()
        .map(|(r, l)| (r.start, format!("{} {l}", show(&f.text, *r))))
        .collect();
    want.sort();
    let want: Vec<String> = want.into_iter().map(|x| x.1).collect();
    assert_eq!(got, want, "highlights at {cursor} in:\n{}", f.text);
    // references without the declaration: the same, minus the writes.
    let reads: Vec<String> = a
        .references(cursor, false)
        .iter()
        .map(|o| format!("{} ", show(&f.text, o.range)))
        .collect();
    let want_reads: Vec<String> = want
        .iter()
        .filter(|x| !x.ends_with(" w"))
        .map(|x| x[..x.len() - 1].to_string())
        .collect();
    assert_eq!(
        reads, want_reads,
        "references without declaration in:\n{}",
        f.text
    );
}

#[test]
fn stage_from_its_declaration() {
    check(
        r#"
FROM golang:1.22 AS bu$0ild
                    ^^^^^ w
RUN go build -o /app
FROM build AS test
     ^^^^^ r
FROM alpine
COPY --from=build /app /app
            ^^^^^ r
COPY --from=0 /x /x
            ^ i
RUN --mount=type=cache,from=build,target=/c true
                            ^^^^^ r
COPY --from=builder /y /y
"#,
    );
}

#[test]
fn stage_from_a_use_case_insensitive_copy() {
    check(
        r#"
FROM golang AS build
               ^^^^^ w
FROM alpine
COPY --from=BUI$0LD /app /app
            ^^^^^ r
"#,
    );
}

#[test]
fn stage_reference_through_a_global_arg_is_indirect() {
    check(
        r#"
ARG BASE=build
FROM golang AS build
               ^^^^^ w
FROM ${BASE}
     ^^^^^^^ i
COPY --from="bui$0ld" /a /a
             ^^^^^ r
"#,
    );
}

#[test]
fn same_name_different_case_in_from_is_an_image() {
    check(
        r#"
FROM golang AS build$0
               ^^^^^ w
FROM Build
"#,
    );
}

#[test]
fn global_arg_with_redeclarations() {
    check(
        r#"
ARG VER$0SION=1.22
    ^^^^^^^ w
FROM golang:${VERSION} AS build
              ^^^^^^^ r
ARG VERSION
    ^^^^^^^ w
RUN echo $VERSION
          ^^^^^^^ r
FROM alpine:$VERSION
             ^^^^^^^ r
RUN echo $VERSION
"#,
    );
}

#[test]
fn use_in_stage_finds_the_global_symbol() {
    check(
        r#"
ARG V=1
    ^ w
FROM a:$V
        ^ r
ARG V
    ^ w
COPY x /opt/${V$0:-0}
              ^ r
"#,
    );
}

#[test]
fn env_is_scoped_to_its_stage_and_stages_built_from_it() {
    check(
        r#"
FROM alpine AS base
ENV AP$0P=/srv
    ^^^ w
WORKDIR $APP
         ^^^ r
FROM base AS child
RUN ls $APP
        ^^^ r
ENV APP=/opt
    ^^^ w
FROM alpine
ENV APP=/other
RUN ls $APP
"#,
    );
}

#[test]
fn other_stage_env_of_the_same_name_is_another_symbol() {
    check(
        r#"
FROM alpine AS base
ENV APP=/srv
FROM alpine
ENV APP=/other
    ^^^ w
RUN ls ${AP$0P}
         ^^^ r
"#,
    );
}

#[test]
fn arg_then_env_of_the_same_name_are_two_variables() {
    check(
        r#"
FROM alpine
ARG V$0
    ^ w
ENV V=$V
       ^ r
RUN echo $V
"#,
    );
}

#[test]
fn predefined_arg_uses_are_found() {
    check(
        r#"
FROM --platform=$BUILDPLATFORM golang AS build
FROM --platform=$TARGET$0PLATFORM alpine
                 ^^^^^^^^^^^^^^ r
FROM --platform=$TARGETPLATFORM busybox
                 ^^^^^^^^^^^^^^ r
"#,
    );
}

#[test]
fn nothing_on_keywords_images_and_blank_space() {
    for fixture in [
        "FR$0OM alpine\n",
        "FROM alp$0ine\n",
        "FROM alpine\n$0\nRUN x\n",
        "$0",
        "FROM alpine AS\n$0",
        "COPY --from=$0 a b\n",
    ] {
        let f = parse(fixture);
        let a = analysis(&f.text);
        assert!(a.highlights(f.cursor.unwrap()).is_empty(), "{fixture}");
    }
}

#[test]
fn any_offset_of_broken_text_answers() {
    let text = "ARG A=${\nFROM ${A AS b\\\nCOPY --from=b\\\n  --from= x\nENV =1 B\nRUN --mount=from=,from=b echo ${B:-$A}\n";
    let a = analysis(text);
    for o in 0..=text.len() as u32 {
        let _ = a.references(o, true);
        let _ = a.prepare_rename(o);
        let _ = a.rename(o, "zz");
        let _ = a.selection_ranges(o);
    }
    let _ = a.document_symbols();
    let _ = a.folding_ranges();
}

#[test]
fn linear_on_a_large_file() {
    // 7,501 lines: a global ARG redeclared and used in 2,500 stages.
    let mut text = String::from("ARG V=1\n");
    for i in 0..2500 {
        text.push_str(&format!("FROM alpine:$V AS s{i}\nARG V\nENV E{i}=$V\n"));
    }
    let a = analysis(&text);
    a.model();
    let time = |what: &str, f: &dyn Fn()| {
        let start = std::time::Instant::now();
        f();
        let took = start.elapsed();
        println!("{what}: {took:?}");
        assert!(
            took < std::time::Duration::from_secs(2),
            "{what} took {took:?}"
        );
    };
    time("references", &|| {
        assert_eq!(a.references(5, true).len(), 1 + 2500 * 3)
    });
    time("rename", &|| {
        assert_eq!(a.rename(5, "W").unwrap().edits.len(), 1 + 2500 * 3)
    });
    let last_env = text.rfind("E2499").unwrap() as u32;
    time("references of a stage ENV", &|| {
        assert_eq!(a.references(last_env, true).len(), 1)
    });
    time("stage references", &|| {
        assert_eq!(a.references(27, true).len(), 1)
    });
    time("document symbols", &|| {
        assert_eq!(a.document_symbols().len(), 2501)
    });
    time("workspace symbols", &|| {
        assert_eq!(a.workspace_symbols("s2499").len(), 1)
    });
    time("folding", &|| assert_eq!(a.folding_ranges().len(), 2500));
    time("selection", &|| {
        assert!(a.selection_ranges(last_env).len() >= 4)
    });
}
