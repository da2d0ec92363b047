//! Folding ranges on fixtures: the text of each fold is written out.

mod common;

use berth::ide::FoldKind;
use common::analysis;

fn folds(text: &str) -> Vec<String> {
    analysis(text)
        .folding_ranges()
        .iter()
        .map(|f| {
            let kind = match f.kind {
                FoldKind::Region => "region",
                FoldKind::Comment => "comment",
            };
            format!("{kind} {:?}", f.range.slice(text))
        })
        .collect()
}

#[test]
fn stages_continuations_heredocs_and_comment_runs() {
    let text = "\
# Build stage:
# compiles the app
FROM golang AS build
# one comment alone
RUN go build \\
    -o /app
COPY <<EOF /etc/conf
a=1
EOF
FROM alpine
COPY --from=build /app /app
# trailing
# comments
";
    assert_eq!(
        folds(text),
        [
            r##"comment "# Build stage:\n# compiles the app""##,
            r##"region "FROM golang AS build\n# one comment alone\nRUN go build \\\n    -o /app\nCOPY <<EOF /etc/conf\na=1\nEOF""##,
            r##"region "RUN go build \\\n    -o /app""##,
            r##"region "COPY <<EOF /etc/conf\na=1\nEOF""##,
            r##"region "<<EOF /etc/conf\na=1\nEOF""##,
            r##"region "FROM alpine\nCOPY --from=build /app /app""##,
            r##"comment "# trailing\n# comments""##,
        ]
    );
}

#[test]
fn single_lines_do_not_fold() {
    assert!(folds("FROM a\n# x\n\n# y\n").is_empty());
    assert!(folds("").is_empty());
    let _ = folds("RUN <<EOF\n");
}

#[test]
fn crlf_comment_runs() {
    assert_eq!(
        folds("# a\r\n# b\r\nFROM x\r\n"),
        [r##"comment "# a\r\n# b""##]
    );
}
