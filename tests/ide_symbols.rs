//! Document and workspace symbols, rendered as an indented outline:
//! `kind name [detail] @selection-text`.

mod common;

use berth::ide::{Symbol, SymbolKind};
use common::analysis;

fn render(text: &str, symbols: &[Symbol], depth: usize, out: &mut String) {
    for s in symbols {
        assert!(
            s.range.contains_range(s.selection),
            "selection outside range: {s:?}"
        );
        let kind = match s.kind {
            SymbolKind::Stage => "stage",
            SymbolKind::Arg => "arg",
            SymbolKind::VarInstruction => "var",
            SymbolKind::Instruction => "ins",
        };
        out.push_str(&format!(
            "{}{kind} {}{} @{}\n",
            "  ".repeat(depth),
            s.name,
            s.detail
                .as_ref()
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default(),
            s.selection.slice(text)
        ));
        for c in &s.children {
            assert!(s.range.contains_range(c.range), "child outside parent");
        }
        render(text, &s.children, depth + 1, out);
    }
}

fn outline(text: &str) -> String {
    let mut out = String::new();
    render(text, &analysis(text).document_symbols(), 0, &mut out);
    out
}

#[test]
fn global_args_then_stages_with_their_instructions() {
    let text = "\
# syntax=docker/dockerfile:1
ARG GO=1.22 DEBIAN
FROM golang:${GO} AS build
WORKDIR /src
COPY --link --chown=1000 . .
RUN go build -o /out/app ./cmd/app && \\
    strip /out/app
FROM gcr.io/distroless/static
ENV PORT=8080
COPY --from=build /out/app /app
";
    assert_eq!(
        outline(text),
        "\
arg GO [1.22] @GO
arg DEBIAN @DEBIAN
stage build [golang:${GO}] @build
  ins WORKDIR /src @WORKDIR
  ins COPY . . [--link --chown=1000] @COPY
  ins RUN go build -o /out/app ./cmd/app && strip /… @RUN
stage stage 1 [gcr.io/distroless/static] @FROM
  var ENV PORT=8080 @ENV
  ins COPY /out/app /app [--from=build] @COPY
"
    );
}

#[test]
fn broken_files_still_have_an_outline() {
    assert_eq!(outline(""), "");
    assert_eq!(outline("FROM\n"), "stage stage 0 @FROM\n");
    assert_eq!(
        outline("RUN x\nFROM a AS\nfrom b as B\n"),
        "ins RUN x @RUN\nstage stage 0 [a] @FROM\nstage b [b] @B\n"
    );
}

#[test]
fn workspace_symbols_are_stages_and_args_filtered_by_subsequence() {
    let text =
        "ARG VERSION=1\nFROM a AS builder\nARG BUILD_FLAGS\nFROM builder AS test\nENV VERBOSE=1\n";
    let a = analysis(text);
    let names = |q: &str| -> Vec<String> {
        a.workspace_symbols(q)
            .iter()
            .map(|s| {
                format!(
                    "{}{}",
                    s.name,
                    s.container
                        .as_ref()
                        .map(|c| format!(" in {c}"))
                        .unwrap_or_default()
                )
            })
            .collect()
    };
    assert_eq!(
        names(""),
        ["VERSION", "builder", "BUILD_FLAGS in builder", "test"]
    );
    assert_eq!(names("bld"), ["builder", "BUILD_FLAGS in builder"]);
    assert_eq!(names("VRS"), ["VERSION"]);
    assert_eq!(names("tst"), ["test"]);
    assert!(names("zzz").is_empty());
}

/// Selection ranges at `$0`, innermost first, as texts.
fn selections(fixture: &str) -> Vec<String> {
    let f = common::parse(fixture);
    let a = analysis(&f.text);
    let chain = a.selection_ranges(f.cursor.unwrap());
    for w in chain.windows(2) {
        assert!(
            w[1].contains_range(w[0]) && w[1].len() > w[0].len(),
            "{chain:?}"
        );
    }
    chain.iter().map(|r| r.slice(&f.text).to_string()).collect()
}

#[test]
fn selection_grows_from_word_to_file() {
    let text = "FROM golang AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    go build -o /app ./c$0md\nFROM alpine\n";
    assert_eq!(
        selections(text),
        [
            "./cmd",
            "go build -o /app ./cmd",
            "--mount=type=cache,target=/root/.cache \\\n    go build -o /app ./cmd",
            "RUN --mount=type=cache,target=/root/.cache \\\n    go build -o /app ./cmd",
            "FROM golang AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    go build -o /app ./cmd",
            "FROM golang AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    go build -o /app ./cmd\nFROM alpine\n",
        ]
    );
}

#[test]
fn selection_in_a_flag_and_a_variable() {
    let text = "FROM a AS b\nRUN --mount=type=cache,tar$0get=/c true\n";
    assert_eq!(
        selections(text)[..4],
        [
            "target",
            "target=/c",
            "type=cache,target=/c",
            "--mount=type=cache,target=/c",
        ]
    );
    let text = "ARG V=1\nFROM a:${V$0:-2}\n";
    assert_eq!(
        selections(text)[..4],
        ["V", "${V:-2}", "a:${V:-2}", "FROM a:${V:-2}"]
    );
}

#[test]
fn selection_answers_everywhere() {
    for text in ["", "\n\n", "FROM", "RUN \"unterminated\\\n", "# c\n# d\n"] {
        let a = analysis(text);
        for o in 0..=text.len() as u32 + 2 {
            let chain = a.selection_ranges(o);
            assert_eq!(chain.last().map(|r| r.len()), Some(text.len() as u32));
        }
    }
}
