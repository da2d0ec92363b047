use super::*;

/// `first-last KEYWORD` per instruction, lines 1-based as BuildKit reports them.
fn dump(text: &str) -> String {
    let file = parse(text);
    let line_of = |offset: TextSize| text[..offset as usize].matches('\n').count() + 1;
    let mut out = String::new();
    for ins in &file.instructions {
        let kw = lex(&ins.joined, 0, file.escape)
            .map(|p| p.keyword.value)
            .unwrap_or_default();
        let end = ins.range.end.saturating_sub(1).max(ins.range.start);
        out += &format!("{}-{} {}\n", line_of(ins.range.start), line_of(end), kw);
    }
    for e in &file.errors {
        out += &format!("error: {}\n", e.message);
    }
    out
}

#[test]
fn smoke() {
    assert_eq!(dump("FROM a\nRUN b\n"), "1-1 FROM\n2-2 RUN\n");
}

/// Boundaries worked out by hand from BuildKit's parser rules
/// (frontend/dockerfile/parser/parser.go) for the constructs where the
/// tree-sitter grammar goes wrong. Texts mirror ../shared/corpus/snippets.
#[test]
fn buildkit_line_joining() {
    let cases: &[(&str, &str, &str)] = &[
        // A continued RUN swallows the next line, whatever keyword it starts with.
        ("l16", "FROM alpine\nRUN echo a \\\nUSER root\n", "1-1 FROM\n2-3 RUN\n"),
        // A comment and a blank line inside a continuation are skipped, so CMD joins the RUN.
        (
            "l14",
            "FROM alpine\nRUN echo a \\\n# trailing comment\n\nCMD [\"sh\"]\n",
            "1-1 FROM\n2-5 RUN\n",
        ),
        // A mid-line `#` is not a comment.
        ("l25", "FROM alpine\nRUN echo \"x\" # c\nUSER root\n", "1-1 FROM\n2-2 RUN\n3-3 USER\n"),
        // An escaped escape character at the end of a line does not continue it.
        (
            "l24",
            "FROM x\nCOPY --from=x \\\n\tC:\\\\a.dll \\\n\tC:\\\\Windows\\\\System32\\\\\n\nENV V 1\n",
            "1-1 FROM\n2-4 COPY\n6-6 ENV\n",
        ),
        // Directives only count before any comment, blank line or instruction.
        ("d04", "# comment\n# escape=`\nFROM alpine\nRUN echo a `\nUSER root\n", "3-3 FROM\n4-4 RUN\n5-5 USER\n"),
        ("d09", "\n# escape=`\nFROM alpine\nRUN echo a `\nUSER root\n", "3-3 FROM\n4-4 RUN\n5-5 USER\n"),
        // With the backtick escape, a trailing backslash is plain text.
        ("d07", "# ESCAPE = `\nFROM w\nRUN dir c:\\\nUSER u\n", "2-2 FROM\n3-3 RUN\n4-4 USER\n"),
        ("w02", "# escape=`\nFROM w\nRUN a 'x:\\'; `\n    b\n", "2-2 FROM\n3-4 RUN\n"),
        // The byte-order mark is dropped before the directive is read.
        ("x07", "\u{feff}# escape=`\nFROM w\nRUN dir c:\\\nUSER u\n", "2-2 FROM\n3-3 RUN\n4-4 USER\n"),
        // Heredoc bodies are consumed raw, even when they look like instructions.
        (
            "h09",
            "FROM alpine\nRUN <<EOF\nFROM is text here\nRUN also text\nEOF\nCMD [\"sh\"]\n",
            "1-1 FROM\n2-5 RUN\n6-6 CMD\n",
        ),
        ("x06", "FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nCMD [\"sh\"]\r\n", "1-1 FROM\n2-4 RUN\n5-5 CMD\n"),
        ("h04", "FROM a\nRUN <<-EOF\n\techo\n\tEOF\nCMD x\n", "1-1 FROM\n2-4 RUN\n5-5 CMD\n"),
        // No heredoc in exec form.
        ("json", "FROM a\nRUN [\"cat\", \"<<EOF\"]\nCMD x\n", "1-1 FROM\n2-2 RUN\n3-3 CMD\n"),
        (
            "unterminated",
            "FROM a\nRUN <<EOF\necho\n",
            "1-1 FROM\n2-3 RUN\nerror: unterminated heredoc: no line `EOF` ends it\n",
        ),
        // A line that is only the escape character continues.
        ("lone", "FROM a\nRUN \\\n\\\n  echo\n", "1-1 FROM\n2-4 RUN\n"),
        ("dup", "# escape=`\n# escape=\\\nFROM a\n", "3-3 FROM\nerror: only one escape parser directive can be used\n"),
    ];
    for (name, text, want) in cases {
        assert_eq!(&dump(text), want, "case {name}");
    }
}

#[test]
fn directives_and_comments() {
    let file = parse("# syntax=docker/dockerfile:1\n#check=skip=all\n# not a directive\nFROM a\n");
    let names: Vec<_> = file
        .directives
        .iter()
        .map(|d| (d.name.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(
        names,
        [("syntax", "docker/dockerfile:1"), ("check", "skip=all")]
    );
    assert_eq!(file.comments.len(), 1);
}

#[test]
fn onbuild_wraps_an_instruction() {
    let file = parse("ONBUILD COPY --from=x a b\n");
    let parts = lex(&file.instructions[0].joined, 0, b'\\').unwrap();
    assert_eq!(parts.kind, Keyword::Onbuild);
    let sub = parts.sub.unwrap();
    assert_eq!(sub.kind, Keyword::Copy);
    assert_eq!(sub.flags[0].name, "from");
}
