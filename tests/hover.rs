//! Hover on a rule code written in a pragma: the rule's documentation.

mod common;

use common::{analysis, parse, show};

/// The hover at `$0` covers exactly the range marked `hover` (no mark: no
/// hover) and its markdown contains every string of `wanted`.
fn check_hover(fixture: &str, wanted: &[&str]) {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let got = a.hover(f.cursor.expect("fixture has $0"));
    let mark = f.marks.iter().find(|(_, l)| l == "hover").map(|(r, _)| *r);
    match (got, mark) {
        (None, None) => {}
        (Some(h), Some(m)) => {
            assert_eq!(show(&f.text, h.range), show(&f.text, m), "in:\n{}", f.text);
            for w in wanted {
                assert!(h.markdown.contains(w), "{w:?} not in:\n{}", h.markdown);
            }
        }
        (got, mark) => panic!("hover {got:?}, mark {mark:?} in:\n{}", f.text),
    }
}

#[test]
fn a_code_in_an_ignore_pragma() {
    check_hover(
        r#"
FROM alpine AS a
# hadolint ignore=DL30$022,SC2086
                  ^^^^^^ hover
COPY --from=b /x /y
"#,
        &[
            "**UndefinedStage**",
            "also: DL3022",
            "severity: warning",
            "## What",
        ],
    );
}

#[test]
fn the_second_code_and_its_edges() {
    check_hover(
        r#"
# hadolint ignore=DL3022, StageSelfReference$0
                          ^^^^^^^^^^^^^^^^^^ hover
FROM alpine
"#,
        &["**StageSelfReference**", "also: DL3023"],
    );
    check_hover(
        r#"
# berth global ignore=$0UnusedStage
                      ^^^^^^^^^^^ hover
FROM alpine
"#,
        &["**UnusedStage**", "off in `berth check` unless enabled"],
    );
}

#[test]
fn shellcheck_codes_link_to_the_wiki() {
    check_hover(
        r#"
FROM alpine
# hadolint ignore=sc20$086
                  ^^^^^^ hover
RUN echo $x
"#,
        &["**SC2086**", "https://www.shellcheck.net/wiki/SC2086"],
    );
}

#[test]
fn check_directive_codes() {
    check_hover(
        r#"
# check=skip=DuplicateStag$0eName;error=true
             ^^^^^^^^^^^^^^^^^^ hover
FROM alpine
"#,
        &["**DuplicateStageName**"],
    );
    check_hover(
        r#"
# check=skip=a$0ll
             ^^^ hover
FROM alpine
"#,
        &["every BuildKit build check"],
    );
}

#[test]
fn unknown_codes_suggest_the_closest() {
    check_hover(
        r#"
# hadolint ignore=UndefinedStag$0
                  ^^^^^^^^^^^^^ hover
FROM alpine
"#,
        &["No rule has the code `UndefinedStag`", "`UndefinedStage`"],
    );
}

#[test]
fn nothing_outside_the_codes() {
    check_hover("# hadolint ig$0nore=DL3022\nFROM alpine\n", &[]);
    check_hover("# a comment DL30$022\nFROM alpine\n", &[]);
    check_hover("FROM alpine\nRUN echo DL30$022\n", &[]);
}
