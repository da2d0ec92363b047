//! Formatting: one before/after fixture per rule, idempotence, minimal
//! edits and range formatting.

use std::sync::Arc;

use berth::ide::format::formatted;
use berth::ide::{Analysis, Settings};
use berth::text::{apply_edits, TextRange};

/// Formats `before`, checks the result is `after`, that formatting it again
/// changes nothing, and that the edits are minimal, sorted and disjoint.
#[track_caller]
fn check(before: &str, after: &str) {
    let a = Analysis::from_text(before, Arc::new(Settings::default()));
    let edits = a.format();
    for w in edits.windows(2) {
        assert!(
            w[0].range.end <= w[1].range.start,
            "sorted, disjoint: {edits:?}"
        );
    }
    for e in &edits {
        assert_ne!(
            e.range.slice(before),
            e.new_text,
            "an edit that changes nothing: {e:?}"
        );
    }
    let got = apply_edits(before, &edits).expect("valid edits");
    assert_eq!(got, after, "\nformatted:\n{got}");
    assert_eq!(formatted(&got), got, "not idempotent");
}

#[test]
fn keywords_are_upper_cased() {
    check(
        "from alpine:3.20\nrun echo hi\nCopy a b\nworkdir /x\n",
        "FROM alpine:3.20\nRUN echo hi\nCOPY a b\nWORKDIR /x\n",
    );
}

#[test]
fn unknown_instructions_keep_their_keyword_casing() {
    check("FROM a\nfrobnicate  x\n", "FROM a\nfrobnicate x\n");
}

#[test]
fn lower_case_from_as_becomes_upper_case() {
    check(
        "from golang:1.22 as build\nfrom  scratch   As   final\nCOPY --from=build /a /a\n",
        "FROM golang:1.22 AS build\nFROM scratch AS final\nCOPY --from=build /a /a\n",
    );
}

#[test]
fn one_space_after_the_keyword_and_between_flags() {
    check(
        "FROM a\nCOPY   --from=a    --chown=1:1\t/src   /dst\nRUN\t\t--mount=type=cache,target=/c   make  all\n",
        "FROM a\nCOPY --from=a --chown=1:1 /src   /dst\nRUN --mount=type=cache,target=/c make  all\n",
    );
}

#[test]
fn onbuild_triggers_are_formatted_too() {
    check(
        "FROM a\nonbuild   run   echo hi\nONBUILD copy  --chown=1 . /app\n",
        "FROM a\nONBUILD RUN echo hi\nONBUILD COPY --chown=1 . /app\n",
    );
}

#[test]
fn trailing_whitespace_goes_and_a_final_newline_comes() {
    check(
        "# a comment  \nFROM a \t\n\n   \nRUN echo hi  \\  \n    && true   ",
        "# a comment\nFROM a\n\n\nRUN echo hi  \\\n    && true\n",
    );
}

#[test]
fn continuation_lines_move_to_four_spaces_keeping_their_nesting() {
    check(
        "FROM a\nRUN set -eux; \\\n  if true; then \\\n      echo yes; \\\n  fi\n",
        "FROM a\nRUN set -eux; \\\n    if true; then \\\n        echo yes; \\\n    fi\n",
    );
    check(
        "FROM a\nRUN apt-get update \\\n\t&& apt-get install -y curl \\\n\t\t&& true\n",
        "FROM a\nRUN apt-get update \\\n    && apt-get install -y curl \\\n        && true\n",
    );
    check(
        "FROM a\nENV A=1 \\\nB=2 \\\n            C=3\n",
        "FROM a\nENV A=1 \\\n    B=2 \\\n                C=3\n",
    );
}

#[test]
fn comments_inside_a_continuation_are_indented_like_it() {
    check(
        "FROM a\nRUN apt-get update \\\n# the tools\n      && apt-get install -y curl \\\n          # more\n      && true\n",
        "FROM a\nRUN apt-get update \\\n    # the tools\n    && apt-get install -y curl \\\n        # more\n    && true\n",
    );
}

#[test]
fn indentation_that_is_part_of_a_word_is_kept() {
    // Inside quotes, the leading whitespace is in the string.
    check(
        "FROM a\nRUN echo \"one \\\n  two\" \\\n  && true\n",
        "FROM a\nRUN echo \"one \\\n  two\" \\\n    && true\n",
    );
    // Glued to the previous word: `foo\` + `bar` is `foobar`.
    check(
        "FROM a\nRUN echo foo\\\nbar\n",
        "FROM a\nRUN echo foo\\\nbar\n",
    );
    // ENV values are BuildKit words: quotes count.
    check(
        "FROM a\nENV MSG='a \\\n b' \\\n  X=1\n",
        "FROM a\nENV MSG='a \\\n b' \\\n    X=1\n",
    );
}

#[test]
fn exec_form_json_is_left_as_is() {
    check(
        "FROM a\nCMD   [ \"a\",   \"b c\" ]\nENTRYPOINT [\"x\", \\\n  \"y\"]\n",
        "FROM a\nCMD [ \"a\",   \"b c\" ]\nENTRYPOINT [\"x\", \\\n    \"y\"]\n",
    );
}

#[test]
fn heredoc_bodies_keep_their_trailing_spaces() {
    check(
        "FROM a\nrun <<EOF  \n  echo hi   \n\tindented \nEOF\ncopy <<-X /etc/conf \n  key = value  \n\tX\nrun echo done  \n",
        "FROM a\nRUN <<EOF\n  echo hi   \n\tindented \nEOF\nCOPY <<-X /etc/conf\n  key = value  \n\tX\nRUN echo done\n",
    );
}

#[test]
fn an_unterminated_heredoc_gets_no_final_newline() {
    check(
        "FROM a\nRUN <<EOF\necho hi  ",
        "FROM a\nRUN <<EOF\necho hi  ",
    );
}

#[test]
fn the_escape_directive_is_honoured() {
    check(
        "# escape=`\nfrom mcr.microsoft.com/windows  \nrun dir c:\\ `\n  && echo done  `\n        && exit 0\n",
        "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n    && echo done  `\n          && exit 0\n",
    );
    // With a backtick escape, a backslash ending a line is text, not a
    // continuation: the next line is an instruction of its own.
    check(
        "# escape=`\nFROM a\nrun echo c:\\\n  workdir c:\\x\n",
        "# escape=`\nFROM a\nRUN echo c:\\\n  WORKDIR c:\\x\n",
    );
}

#[test]
fn crlf_files_stay_crlf() {
    check(
        "from a  \r\nrun echo hi \\\r\n  && true \r\n\r\ncopy a b",
        "FROM a\r\nRUN echo hi \\\r\n    && true\r\n\r\nCOPY a b\r\n",
    );
}

#[test]
fn formatted_files_are_left_alone() {
    let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.20 AS build\n\n# Tools\nRUN apk add --no-cache curl \\\n    && curl -V\nCOPY --from=build /a /b\nCMD [\"sh\"]\n";
    check(text, text);
}

#[test]
fn broken_and_empty_inputs_format_without_panicking() {
    check("", "");
    check("\n", "\n");
    check("  \n", "\n");
    check("RUN \\", "RUN \\\n");
    check("from", "FROM\n");
    check(
        "FROM a\nRUN echo \"unterminated \\\n   x",
        "FROM a\nRUN echo \"unterminated \\\n   x\n",
    );
    for text in [
        "\u{feff}from a\n",
        "ONBUILD",
        "onbuild onbuild run x",
        "RUN [\"a\",\r\r\n",
        "\r\r",
        "é \\\n é",
    ] {
        let once = formatted(text);
        assert_eq!(formatted(&once), once, "{text:?}");
    }
}

#[test]
fn range_formatting_touches_only_the_instructions_in_range() {
    let text = "from a  \nrun  echo 1  \nrun  echo 2 \\\n  && true  \n# note  \n";
    let a = Analysis::from_text(text, Arc::new(Settings::default()));
    // The second RUN: from its second line only.
    let start = text.find("  && true").unwrap() as u32;
    let edits = a.format_range(TextRange::new(start, start + 3));
    assert_eq!(
        apply_edits(text, &edits).unwrap(),
        "from a  \nrun  echo 1  \nRUN echo 2 \\\n    && true\n# note  \n"
    );
    // An empty range (a cursor) inside the first RUN.
    let at = text.find("echo 1").unwrap() as u32;
    let edits = a.format_range(TextRange::empty(at));
    assert_eq!(
        apply_edits(text, &edits).unwrap(),
        "from a  \nRUN echo 1\nrun  echo 2 \\\n  && true  \n# note  \n"
    );
    // Whole lines selected: the range ends where the next line starts.
    let end = text.find("run  echo 1").unwrap() as u32;
    let edits = a.format_range(TextRange::new(0, end));
    assert_eq!(
        apply_edits(text, &edits).unwrap(),
        "FROM a\nrun  echo 1  \nrun  echo 2 \\\n  && true  \n# note  \n"
    );
}

#[test]
fn powershell_stages_read_backtick_escapes_and_posix_stages_backslashes() {
    // In a POSIX shell, `\"` inside double quotes does not end the string:
    // the next line's indentation is inside it and kept.
    check(
        "FROM a\nRUN echo \"a\\\" \\\n  b\" \\\n  && true\n",
        "FROM a\nRUN echo \"a\\\" \\\n  b\" \\\n    && true\n",
    );
    // After SHELL ["powershell"], a backslash is text: `"a\"` is a whole
    // string and the next line is outside it.
    check(
        "FROM a\nSHELL [\"powershell\", \"-Command\"]\nRUN echo \"a\\\" \\\n  b \\\n  c\n",
        "FROM a\nSHELL [\"powershell\", \"-Command\"]\nRUN echo \"a\\\" \\\n    b \\\n    c\n",
    );
}

#[test]
fn a_long_file_formats_in_linear_time() {
    let unit = "from a as b\nSHELL [\"/bin/bash\", \"-c\"]\nrun  echo 1 \\\n  && echo 2  \n";
    let small: String = unit.repeat(250);
    let large: String = unit.repeat(2500);
    let time = |t: &str| {
        let start = std::time::Instant::now();
        let out = formatted(t);
        (start.elapsed(), out)
    };
    let (ts, _) = time(&small);
    let (tl, out) = time(&large);
    assert_eq!(out.lines().count(), 10_000);
    assert!(out
        .starts_with("FROM a AS b\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo 1 \\\n    && echo 2\n"));
    // Ten times the text: far less than a hundred times the time.
    assert!(
        tl < ts * 40 + std::time::Duration::from_millis(50),
        "{ts:?} vs {tl:?}"
    );
}

#[test]
fn edits_touch_only_what_changes() {
    let text = "from a\nRUN  true \\\n  && false\n";
    let a = Analysis::from_text(text, Arc::new(Settings::default()));
    let shown: Vec<String> = a
        .format()
        .iter()
        .map(|e| format!("{}..{} {:?}", e.range.start, e.range.end, e.new_text))
        .collect();
    // `from` → `FROM`; one of the two spaces after RUN goes; two spaces
    // are added to the continuation's two.
    assert_eq!(shown, ["0..4 \"FROM\"", "11..12 \"\"", "21..21 \"  \""]);
}

/// How a generated quoted string is quoted.
#[derive(Clone, Copy, Debug)]
enum QuoteKind {
    Double,
    Single,
    /// `$'...'`: a quote in the shell, a `$` and a single-quoted word
    /// elsewhere.
    AnsiC,
}

/// Instructions with `{Q}` where a quoted string goes. `true`: exec form
/// (JSON), where only double quotes make a string.
const QUOTE_TEMPLATES: &[(&str, bool)] = &[
    ("FROM alpine {Q}", false),
    ("FROM {Q} AS b", false),
    ("from a as {Q}", false),
    ("LABEL a={Q} b=c", false),
    ("LABEL {Q}=x", false),
    ("ENV a={Q}", false),
    ("ENV a {Q}", false),
    ("ARG a={Q}", false),
    ("COPY --chown={Q} a /b/", false),
    ("COPY {Q} /dst/", false),
    ("ADD --checksum={Q} {Q} /x", false),
    ("RUN echo {Q} && true", false),
    ("RUN --mount=type=cache,target={Q} make", false),
    ("RUN [\"sh\", \"-c\", {Q}]", true),
    ("CMD {Q}", false),
    ("CMD [\"echo\", {Q}]", true),
    ("ENTRYPOINT {Q}", false),
    ("ENTRYPOINT [{Q}]", true),
    ("USER {Q}", false),
    ("WORKDIR {Q}", false),
    ("EXPOSE {Q}", false),
    ("HEALTHCHECK --interval=5s CMD echo {Q}", false),
    ("HEALTHCHECK CMD [\"echo\", {Q}]", true),
    ("ONBUILD run echo {Q}", false),
    ("ONBUILD COPY {Q} /x", false),
    ("SHELL [\"sh\", {Q}]", true),
    ("VOLUME {Q}", false),
    ("VOLUME [{Q}]", true),
    ("STOPSIGNAL {Q}", false),
    ("MAINTAINER {Q}", false),
    ("frobnicate {Q}", false),
];

/// Runs of blanks inside the generated quoted strings.
const BLANK_RUNS: &[&str] = &["  ", "\t", " \t ", "     ", "\t\t  "];

/// A quoted string with unique markers at both ends of its content
/// (`qa7` ... `7qz`) so it can be found again after formatting. With
/// `across`, the string spans a line continuation (its continuation line
/// indented by `indent`).
fn quoted(id: usize, kind: QuoteKind, blanks: &str, across: bool, indent: &str) -> String {
    let inner = if across {
        format!("qa{id}{blanks}x{blanks}\\\n{indent}y{blanks}{id}qz")
    } else {
        format!("qa{id}{blanks}x{blanks}y{blanks}{id}qz")
    };
    match kind {
        QuoteKind::Double => format!("\"{inner}\""),
        QuoteKind::Single => format!("'{inner}'"),
        QuoteKind::AnsiC => format!("$'{inner}'"),
    }
}

/// The quoted string with markers `id` in `text`: from its opening quote
/// to its closing quote.
fn quoted_region(text: &str, id: usize) -> Option<&str> {
    let open = format!("qa{id}");
    let close = format!("{id}qz");
    let start = text.find(&open)?.checked_sub(1)?;
    let end = text[start..].find(&close)? + start + close.len() + 1;
    text.get(start..end)
}

/// Generated Dockerfiles with quoted strings holding runs of blanks, in
/// every instruction kind: on the instruction's line, on a continuation
/// line after it (the string first on its line), and spanning a
/// continuation themselves; with the rest of the line spaced out so the
/// formatter has gaps to close.
fn quoted_texts() -> Vec<String> {
    let mut out = Vec::new();
    let mut id = 0;
    for (template, json) in QUOTE_TEMPLATES {
        let kinds: &[QuoteKind] = if *json {
            &[QuoteKind::Double]
        } else {
            &[QuoteKind::Double, QuoteKind::Single, QuoteKind::AnsiC]
        };
        for &kind in kinds {
            for blanks in BLANK_RUNS {
                for shape in 0..3 {
                    for indent in ["", "  ", "\t", "        "] {
                        for spaced in [false, true] {
                            let mut line = String::new();
                            for (n, part) in template.split("{Q}").enumerate() {
                                if n > 0 {
                                    id += 1;
                                    let q = quoted(id, kind, blanks, shape == 2, indent);
                                    if shape == 1 {
                                        // The string starts a continuation line.
                                        line.push_str(&format!("\\\n{indent}"));
                                    }
                                    line.push_str(&q);
                                }
                                if spaced && !json {
                                    line.push_str(&part.replace(' ', "  "));
                                } else {
                                    line.push_str(part);
                                }
                            }
                            let head = if template.to_ascii_lowercase().starts_with("from") {
                                ""
                            } else {
                                "FROM base\n"
                            };
                            out.push(format!("{head}{line}\nRUN true  \n"));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The formatter never changes a byte inside a quoted string, in any
/// instruction, valid or not: whitespace the formatter would otherwise
/// collapse (between FROM's words, after a keyword or a flag) or move
/// (continuation indentation) is kept when it is inside quotes.
#[test]
fn quoted_strings_are_never_changed() {
    let texts = quoted_texts();
    assert!(texts.len() > 5_000, "{} texts", texts.len());
    let mut failures = Vec::new();
    let mut ids = 0;
    for text in &texts {
        let after = formatted(text);
        let mut id = ids;
        while let Some(before) = quoted_region(text, id + 1) {
            id += 1;
            if quoted_region(&after, id) != Some(before) {
                failures.push(format!("{text:?}\n  became {after:?}"));
            }
        }
        assert!(id > ids, "no quoted string found in {text:?}");
        ids = id;
    }
    assert!(
        failures.is_empty(),
        "{} of {} texts changed a quoted string, e.g.:\n{}",
        failures.len(),
        texts.len(),
        failures[..failures.len().min(12)].join("\n")
    );
}

#[test]
fn from_continuation_keeps_quoted_blanks() {
    // The reported case: an invalid FROM whose quoted word is on a
    // continuation line.
    check(
        "FROM alpine \\\n    \"q  r\"\n",
        "FROM alpine \\\n    \"q  r\"\n",
    );
}
