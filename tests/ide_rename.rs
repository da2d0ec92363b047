//! prepareRename and rename on fixtures: the result text is written out,
//! refusals are checked by their message.

mod common;

use common::{analysis, parse};

/// Rename at `$0` to `new` and compare the edited text with `after`;
/// `unchanged` are the texts of the references left alone.
fn check(before: &str, new: &str, after: &str, unchanged: &[&str]) {
    let f = parse(before);
    let a = analysis(&f.text);
    let cursor = f.cursor.expect("fixture has $0");
    let r = a
        .rename(cursor, new)
        .unwrap_or_else(|e| panic!("rename refused: {e}\n{}", f.text));
    let mut text = f.text.clone();
    let mut edits = r.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    for e in edits {
        text.replace_range(e.range.as_usize(), &e.new_text);
    }
    let after = after.strip_prefix('\n').unwrap_or(after);
    assert_eq!(text, after);
    let left: Vec<&str> = r.left_unchanged.iter().map(|x| x.slice(&f.text)).collect();
    assert_eq!(left, unchanged);
}

/// prepareRename at `$0` must refuse with a message containing `why`.
fn refused(fixture: &str, why: &str) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let e = a.prepare_rename(f.cursor.unwrap()).unwrap_err();
    assert!(e.0.contains(why), "`{e}` should say `{why}`");
}

/// rename at `$0` to `new` must refuse with a message containing `why`.
fn rejected(fixture: &str, new: &str, why: &str) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    assert!(a.prepare_rename(f.cursor.unwrap()).is_ok());
    let e = a.rename(f.cursor.unwrap(), new).unwrap_err();
    assert!(e.0.contains(why), "`{e}` should say `{why}`");
}

#[test]
fn prepare_gives_the_name_under_the_cursor() {
    let f = parse(
        r#"
FROM golang AS build
FROM alpine
COPY --from="bu$0ild" /a /a
             ^^^^^ name
"#,
    );
    let a = analysis(&f.text);
    let t = a.prepare_rename(f.cursor.unwrap()).unwrap();
    assert_eq!(t.range, f.marks[0].0);
    assert_eq!(t.placeholder, "build");
    let f = parse("ARG V=1\nFROM a:${V$0:-2}\n           ^ name\n");
    let a = analysis(&f.text);
    let t = a.prepare_rename(f.cursor.unwrap()).unwrap();
    assert_eq!((t.range, t.placeholder.as_str()), (f.marks[0].0, "V"));
}

#[test]
fn stage_rename_leaves_index_and_variable_references() {
    check(
        r#"
ARG BASE=build
FROM golang AS bu$0ild
FROM ${BASE}
FROM build AS test
COPY --from=Build /a /a
COPY --from=0 /b /b
RUN --mount=from=build,target=/c true
"#,
        "compile",
        r#"
ARG BASE=build
FROM golang AS compile
FROM ${BASE}
FROM compile AS test
COPY --from=compile /a /a
COPY --from=0 /b /b
RUN --mount=from=compile,target=/c true
"#,
        &["${BASE}", "0"],
    );
}

#[test]
fn global_arg_rename_follows_redeclarations() {
    check(
        r#"
ARG GO=1.22
FROM golang:${GO}-alpine AS build
ARG GO
RUN echo "$GO" ${GO:-none}
FROM alpine
ENV GO=other
RUN echo $G$0O
"#,
        "GO_VERSION",
        r#"
ARG GO=1.22
FROM golang:${GO}-alpine AS build
ARG GO
RUN echo "$GO" ${GO:-none}
FROM alpine
ENV GO_VERSION=other
RUN echo $GO_VERSION
"#,
        &[],
    );
    check(
        "ARG G$0O=1.22\nFROM golang:${GO}-alpine AS build\nARG GO\nRUN echo \"$GO\" ${GO:-none}\n",
        "GO_VERSION",
        "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine AS build\nARG GO_VERSION\nRUN echo \"$GO_VERSION\" ${GO_VERSION:-none}\n",
        &[],
    );
}

#[test]
fn env_rename_reaches_stages_built_from_it() {
    check(
        "FROM alpine AS base\nENV APP$0=/srv\nFROM base\nWORKDIR $APP\nFROM alpine\nRUN echo $APP\n",
        "APP_DIR",
        "FROM alpine AS base\nENV APP_DIR=/srv\nFROM base\nWORKDIR $APP_DIR\nFROM alpine\nRUN echo $APP\n",
        &[],
    );
}

#[test]
fn refuses_what_is_not_a_symbol() {
    refused("FR$0OM alpine AS a\n", "`FROM` is an instruction keyword");
    refused("FROM alp$0ine AS a\n", "`alpine` is an image name");
    refused("FROM alpine\nCOPY --from=ngi$0nx:1 /a /a\n", "is an image");
    refused(
        "FROM --platform=$TARGET$0PLATFORM alpine\n",
        "`TARGETPLATFORM` is predefined by BuildKit",
    );
    refused(
        "FROM alpine\nARG TARGET$0ARCH\n",
        "`TARGETARCH` is predefined by BuildKit",
    );
    refused("FROM alpine\nRUN echo $HO$0ME\n", "`HOME` is not declared");
    refused(
        "FROM alpine AS a\nFROM alpine\nCOPY --from=$00 /a /a\n",
        "by index",
    );
    refused(
        "FROM alpine\n$0\n",
        "only stage names and ARG/ENV variables",
    );
}

#[test]
fn stage_names_follow_buildkit() {
    let f = "FROM alpine AS bu$0ild\nFROM golang AS other\nFROM build\nFROM alpine\nCOPY --from=nginx /a /a\n";
    rejected(f, "Compile", "stage names are lower case");
    rejected(f, "Compile", "use `compile`");
    rejected(f, "9lives", "`^[a-z][a-z0-9-_.]*$`");
    rejected(f, "a b", "`^[a-z][a-z0-9-_.]*$`");
    rejected(f, "scratch", "reserved");
    rejected(f, "context", "reserved");
    rejected(f, "other", "`other` already names stage 1");
    rejected(f, "nginx", "used as an image");
    rejected(
        "FROM alpine AS bu$0ild\nFROM golang\n",
        "golang",
        "`FROM golang` in stage 1 would then refer to this stage",
    );
}

#[test]
fn variable_names_are_checked() {
    let f = "ARG V$0=1\nARG W=2\nFROM a:$V\nENV E=1\n";
    rejected(f, "1V", "`[A-Za-z_][A-Za-z0-9_]*`");
    rejected(f, "A-B", "`[A-Za-z_][A-Za-z0-9_]*`");
    rejected(f, "W", "`W` is already declared as a global ARG");
    rejected(f, "TARGETOS", "predefined");
    // A name declared in another stage does not clash.
    check(
        "FROM alpine\nENV E$0=1\nFROM alpine\nENV F=2\n",
        "F",
        "FROM alpine\nENV F=1\nFROM alpine\nENV F=2\n",
        &[],
    );
}

#[test]
fn renaming_to_the_same_name_changes_nothing() {
    check("FROM a AS b$0\nFROM b\n", "b", "FROM a AS b\nFROM b\n", &[]);
}
