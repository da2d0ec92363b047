//! Semantic tokens: each token written out with its text, type and
//! modifiers, and the LSP invariants (sorted, disjoint, one line each) on
//! real files and on every prefix of them.

use std::path::Path;

use berth::ide::{token_modifiers as tm, SemanticToken, TokenType};
use berth::text::TextRange;

mod common;

fn render(text: &str, tokens: &[SemanticToken]) -> String {
    let mut out = String::new();
    for t in tokens {
        let mut mods = Vec::new();
        for (bit, name) in tm::NAMES.iter().enumerate() {
            if t.modifiers & (1 << bit) != 0 {
                mods.push(*name);
            }
        }
        let mods = if mods.is_empty() {
            String::new()
        } else {
            format!(" +{}", mods.join("+"))
        };
        out.push_str(&format!("`{}` {:?}{mods}\n", t.range.slice(text), t.ty));
    }
    out
}

fn check(text: &str, want: &str) {
    let a = common::analysis(text);
    let got = render(text, &a.semantic_tokens());
    let want = want.strip_prefix('\n').unwrap_or(want);
    assert_eq!(got, want, "tokens of:\n{text}\ngot:\n{got}");
    invariants(text, &a.semantic_tokens());
}

/// Sorted, disjoint, non-empty, on one line, on char boundaries.
fn invariants(text: &str, tokens: &[SemanticToken]) {
    let mut prev_end = 0;
    for t in tokens {
        assert!(t.range.start < t.range.end, "empty token {t:?}");
        assert!(t.range.start >= prev_end, "overlap or disorder at {t:?}");
        let s = text.get(t.range.as_usize()).expect("char boundaries");
        assert!(!s.contains(['\n', '\r']), "multi-line token {t:?}");
        prev_end = t.range.end;
    }
}

#[test]
fn tokens_of_a_multi_stage_file() {
    check(
        r#"# syntax=docker/dockerfile:1
ARG GO=1.23
FROM golang:${GO} AS build
# hadolint ignore=DL3008,DL3015
RUN --mount=type=cache,target=/root/.cache echo $GO
FROM scratch
COPY --from=build --chmod=755 ["/out", "/app"]
EXPOSE 8080/tcp
"#,
        r#"
`# ` Comment
`syntax` Macro
`=` Comment
`docker/dockerfile:1` String
`ARG` Keyword
`GO` Variable +declaration
`FROM` Keyword
`golang:` Namespace
`${GO}` Variable
`AS` Keyword
`build` Class +declaration
`# ` Comment
`hadolint ignore=` Decorator
`DL3008` EnumMember
`,` Comment
`DL3015` EnumMember
`RUN` Keyword
`--mount` Parameter
`type=cache,target=/root/.cache` String
`$GO` Variable
`FROM` Keyword
`scratch` Namespace +defaultLibrary
`COPY` Keyword
`--from` Parameter
`build` Class
`--chmod` Parameter
`755` Number
`"/out"` String
`"/app"` String
`EXPOSE` Keyword
`8080` Number
"#,
    );
}

#[test]
fn variables_predefined_defaults_and_stage_indexes() {
    check(
        r#"FROM --platform=$BUILDPLATFORM alpine AS base
ARG TARGETARCH
ENV ARCH=${TARGETARCH:-amd64} PATH=/x
FROM base
COPY --from=0 /a /b
"#,
        r#"
`FROM` Keyword
`--platform` Parameter
`$BUILDPLATFORM` Variable +readonly+defaultLibrary
`alpine` Namespace
`AS` Keyword
`base` Class +declaration
`ARG` Keyword
`TARGETARCH` Variable +declaration+readonly+defaultLibrary
`ENV` Keyword
`ARCH` Variable +declaration
`${TARGETARCH` Variable +readonly+defaultLibrary
`}` Variable +readonly+defaultLibrary
`PATH` Variable +declaration
`FROM` Keyword
`base` Class
`COPY` Keyword
`--from` Parameter
`0` Number
"#,
    );
}

#[test]
fn multi_line_tokens_are_split_per_line() {
    // With blanks after the break the value would end at `cache,` (a
    // continuation keeps the next line's leading blanks).
    check(
        // BuildKit joins `\` + line break away: the flag value runs on.
        "RUN --mount=type=cache,\\\ntarget=/x \\\n  echo hi\n",
        r#"
`RUN` Keyword
`--mount` Parameter
`type=cache,` String
`target=/x` String
"#,
    );
}

#[test]
fn onbuild_triggers_and_check_directive() {
    check(
        "# check=skip=StageNameCasing\nFROM alpine\nONBUILD COPY --from=ghcr.io/o/i:1 /a /b\n",
        r#"
`# ` Comment
`check` Macro
`=` Comment
`skip=` String
`StageNameCasing` EnumMember
`FROM` Keyword
`alpine` Namespace
`ONBUILD` Keyword
`COPY` Keyword
`--from` Parameter
`ghcr.io/o/i:1` String
"#,
    );
}

#[test]
fn range_request_keeps_overlapping_tokens() {
    let text = "FROM alpine AS a\nRUN echo $HOME\nFROM a\n";
    let a = common::analysis(text);
    let line2 = TextRange::new(17, 31);
    let got = render(text, &a.semantic_tokens_in(line2));
    assert_eq!(got, "`RUN` Keyword\n`$HOME` Variable\n");
    assert!(TokenType::ALL
        .iter()
        .enumerate()
        .all(|(i, t)| t.index() == i as u32));
}

#[test]
fn examples_and_every_prefix_keep_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let a = common::analysis(&text);
        let all = a.semantic_tokens();
        invariants(&text, &all);
        assert!(
            all.iter().any(|t| t.ty == TokenType::Keyword),
            "{}",
            e.path().display()
        );
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let prefix = &text[..cut];
                invariants(prefix, &common::analysis(prefix).semantic_tokens());
            }
            cut += 13;
        }
        n += 1;
    }
    assert!(n > 5);
}

/// Figures for the report, not a timed assertion:
/// `cargo test --release --test ide_semantic_tokens -- --ignored --nocapture`
#[test]
#[ignore]
fn measure_5000_lines() {
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG GO=1.23\n");
    let mut i = 0;
    while text.lines().count() < 5000 {
        text.push_str(&format!(
            "FROM golang:${{GO}} AS s{i}\n# hadolint ignore=DL3008\nRUN --mount=type=cache,target=/c apt-get install -y curl && echo $GO\nCOPY --from=0 [\"/a\", \"/b\"]\nENV X{i}=${{GO:-1}}\nEXPOSE 80{}/tcp\n\n",
            i % 10
        ));
        i += 1;
    }
    let a = common::analysis(&text);
    let t = std::time::Instant::now();
    let n = a.semantic_tokens().len();
    let tokens = t.elapsed();
    let t = std::time::Instant::now();
    let pragmas = berth::rules::pragmas(a.model(), a.text()).len();
    println!("of which {pragmas} pragmas found in {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let hints = a
        .inlay_hints(
            TextRange::new(0, text.len() as u32),
            berth::ide::InlayHintConfig { stage_index: true },
        )
        .len();
    let inlay = t.elapsed();
    let t = std::time::Instant::now();
    let lenses = a.code_lenses().len();
    let lens = t.elapsed();
    let t = std::time::Instant::now();
    let links = a.document_links().len();
    let link = t.elapsed();
    println!(
        "{} lines, {} stages: {n} tokens in {tokens:?}; {hints} hints in {inlay:?}; {lenses} lenses in {lens:?}; {links} links in {link:?}",
        text.lines().count(),
        a.model().stages.len()
    );
}

#[test]
fn every_feature_answers_on_every_prefix_of_odd_files() {
    use berth::ide::InlayHintConfig;
    let odd = [
        "# escape=`\r\nFROM alpine AS a\r\nRUN --mount=type=cache,`\r\ntarget=/x echo $HOME\r\nCOPY --from=a [\"/é\", \"/b\"]\r\n",
        "FROM golang:1.2\rARG X=1\rFROM a${X:-\u{1F600}}\rCOPY --from=0 /a /b\r",
        "ONBUILD FROM x\nFROM ${A:-${B:-c}}:${\nHEALTHCHECK CMD [\"a\"\nEXPOSE 80-90/udp 8080\n# hadolint global ignore=DL3000 because\n",
        "ARG A=\"q u\"\nFROM $A AS\nCOPY <<EOF /x\n$A\nEOF\nRUN <<-E bash\n\techo $A\nE\n",
    ];
    for text in odd {
        for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
            let t = &text[..cut];
            let a = common::analysis(t);
            invariants(t, &a.semantic_tokens());
            let whole = TextRange::new(0, t.len() as u32);
            let _ = a.semantic_tokens_in(TextRange::new(t.len() as u32 / 2, t.len() as u32));
            for h in a.inlay_hints(whole, InlayHintConfig { stage_index: true }) {
                assert!(t.is_char_boundary(h.offset as usize), "{t:?}");
            }
            for l in a.document_links() {
                assert!(l.range.end as usize <= t.len());
            }
            let _ = a.code_lenses();
        }
    }
}
