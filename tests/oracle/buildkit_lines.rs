//! The test oracle for berth's grammar: BuildKit's line joining,
//! reproduced line by line over the text. The product reads the syntax
//! tree (`src/syntax/tree.rs`); tests/corpus.rs compares that reading with
//! this one field by field on every corpus file.
//!
//! BuildKit reads a Dockerfile line by line (`\n` only): parser directives at
//! the top, whole-line comments dropped, an escape character at the end of a
//! line continues the instruction, comment and blank lines inside a
//! continuation are skipped, and heredoc bodies (`RUN <<EOF`) are consumed
//! raw up to their terminator.
#![allow(dead_code)]

use berth::syntax::directives::DirectiveParser;
use berth::syntax::words::{
    extract_flags, first_words, is_go_space, parse_json_array, Joined, Span,
};
use berth::syntax::{Comment, Heredoc, RawInstruction, SyntaxError, SyntaxFile};
use berth::text::{TextRange, TextSize};

/// A physical line: `start..content_end` is the text without trailing `\r`
/// and `\n` characters.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
}

/// The physical lines of a text from a line start on, found as they are
/// asked for: a rescan after an edit stops a few lines on, and the lines
/// to the end of a large file are never looked at.
struct PhysicalLines<'t> {
    bytes: &'t [u8],
    found: Vec<Line>,
    /// Where the next line not yet in `found` starts.
    next: usize,
}

impl<'t> PhysicalLines<'t> {
    fn new(text: &'t str, first: usize) -> PhysicalLines<'t> {
        PhysicalLines {
            bytes: text.as_bytes(),
            found: Vec::new(),
            next: first,
        }
    }

    /// Line `i` (from the first), if the text has that many.
    fn get(&mut self, i: usize) -> Option<Line> {
        while self.found.len() <= i && self.next < self.bytes.len() {
            let start = self.next;
            let nl = self.bytes[start..].iter().position(|&b| b == b'\n');
            let end = nl.map_or(self.bytes.len(), |i| start + i + 1);
            let mut content_end = end;
            while content_end > start && matches!(self.bytes[content_end - 1], b'\n' | b'\r') {
                content_end -= 1;
            }
            self.found.push(Line { start, content_end });
            self.next = end;
        }
        self.found.get(i).copied()
    }
}

fn trim_start(text: &str, start: usize, end: usize) -> usize {
    let s = &text[start..end];
    start + (s.len() - s.trim_start_matches(is_go_space).len())
}

fn is_comment(text: &str, line: Line) -> bool {
    let s = trim_start(text, line.start, line.content_end);
    text.as_bytes().get(s) == Some(&b'#') && s < line.content_end
}

fn is_blank(text: &str, line: Line) -> bool {
    trim_start(text, line.start, line.content_end) == line.content_end
}

/// BuildKit's continuation test: the escape character is the last non-blank
/// (space/tab) character and is not itself escaped. Returns the end of the
/// content that is kept.
fn continuation(text: &str, start: usize, end: usize, escape: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut e = end;
    while e > start && matches!(bytes[e - 1], b' ' | b'\t') {
        e -= 1;
    }
    if e > start && bytes[e - 1] == escape && (e - 1 == start || bytes[e - 2] != escape) {
        return Some(e - 1);
    }
    None
}

pub fn split(text: &str) -> SyntaxFile {
    let bom = text.starts_with('\u{feff}');
    split_from(text, if bom { 3 } else { 0 }, b'\\', false, &|_| false).0
}

/// [`split`] from `first`, the start of a line where the scan of the
/// whole text would stand ready for a new instruction (an instruction's
/// `scan_end`), with the escape character the directives chose.
/// Stops after an instruction whose `scan_end` satisfies `stop`, and
/// says where.
pub fn split_from(
    text: &str,
    first: usize,
    escape: u8,
    after_directives: bool,
    stop: &dyn Fn(TextSize) -> bool,
) -> (SyntaxFile, Option<TextSize>) {
    let mut lines = PhysicalLines::new(text, first);
    let mut out = SyntaxFile::empty(text, escape);
    let mut dp = DirectiveParser::default();
    if after_directives {
        dp.end();
    }
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        let start = trim_start(text, line.start, line.content_end);
        let is_directive = dp.line(
            text,
            TextRange::from_usize(start, line.content_end),
            &mut out,
        );
        if is_comment(text, line) {
            if !is_directive {
                out.comments.push(Comment {
                    range: TextRange::from_usize(start, line.content_end),
                    in_continuation: false,
                });
            }
            continue;
        }
        if start == line.content_end {
            continue; // blank line
        }
        let escape = out.escape;
        let mut pieces: Vec<TextRange> = Vec::new();
        let mut empty_lines = Vec::new();
        let mut cont = continuation(text, start, line.content_end, escape);
        pieces.push(TextRange::from_usize(
            start,
            cont.unwrap_or(line.content_end),
        ));
        let mut last_line_end = line.content_end;
        while cont.is_some() {
            let Some(l) = lines.get(i) else { break };
            i += 1;
            if is_comment(text, l) {
                let s = trim_start(text, l.start, l.content_end);
                out.comments.push(Comment {
                    range: TextRange::from_usize(s, l.content_end),
                    in_continuation: true,
                });
                continue;
            }
            if is_blank(text, l) {
                empty_lines.push(TextRange::from_usize(l.start, l.content_end));
                continue;
            }
            cont = continuation(text, l.start, l.content_end, escape);
            pieces.push(TextRange::from_usize(
                l.start,
                cont.unwrap_or(l.content_end),
            ));
            last_line_end = l.content_end;
        }
        let joined = Joined::new(text, pieces);
        let mut heredocs = Vec::new();
        let mut end = last_line_end;
        for marker in heredoc_markers(&joined, escape) {
            let body_start = lines.get(i).map_or(text.len(), |l| l.start);
            let mut terminator = None;
            while let Some(l) = lines.get(i) {
                i += 1;
                let mut content = &text[l.start..l.content_end];
                if marker.chomp {
                    content = content.trim_start_matches('\t');
                }
                if content == marker.name {
                    terminator = Some(TextRange::from_usize(
                        l.content_end - content.len(),
                        l.content_end,
                    ));
                    break;
                }
            }
            let body_end = match terminator {
                Some(t) => lines
                    .get(i - 1)
                    .map_or(t.start as usize, |l| l.start.min(t.start as usize)),
                None => text.len(),
            };
            match terminator {
                Some(t) => end = t.end as usize,
                None => {
                    end = text.len();
                    out.errors.push(SyntaxError {
                        range: marker.range,
                        message: format!("unterminated heredoc: no line `{}` ends it", marker.name),
                    });
                }
            }
            heredocs.push(Heredoc {
                name: marker.name,
                marker: marker.range,
                body: TextRange::from_usize(body_start.min(body_end), body_end),
                terminator,
                chomp: marker.chomp,
                expand: marker.expand,
                fd: marker.fd,
            });
        }
        // Strip trailing whitespace of an unterminated body's end.
        let end = end.max(start) as TextSize;
        let open_heredoc = heredocs.iter().any(|h| h.terminator.is_none());
        out.instructions.push(RawInstruction {
            // At the end of the text: text added there joins the last line
            // when the text has no final line break, the instruction when
            // it ends in a continuation, a heredoc body left open.
            scan_end: match lines.get(i) {
                Some(l) => l.start as TextSize,
                None if text.ends_with('\n') && cont.is_none() && !open_heredoc => {
                    text.len() as TextSize
                }
                None => TextSize::MAX,
            },
            range: TextRange::new(start as TextSize, end),
            logical_end: last_line_end as TextSize,
            joined,
            heredocs,
            empty_continuation_lines: empty_lines,
        });
        let scan_end = out
            .instructions
            .last()
            .map_or(TextSize::MAX, |r| r.scan_end);
        if scan_end != TextSize::MAX && stop(scan_end) {
            return (out, Some(scan_end));
        }
    }
    (out, None)
}

/// A heredoc marker (`<<EOF`, `<<-"EOF"`, `3<<EOF`) on an instruction line.
#[derive(Clone, Debug)]
pub struct HeredocMarker {
    pub name: String,
    pub range: TextRange,
    pub chomp: bool,
    pub expand: bool,
    pub fd: Option<u32>,
}

/// Heredoc markers of a logical line, found as BuildKit finds them: only for
/// RUN, COPY and ADD (also behind ONBUILD), not in exec form, from the words
/// of the whole line split like a shell would (quotes kept).
pub fn heredoc_markers(j: &Joined, escape: u8) -> Vec<HeredocMarker> {
    if !j.text.contains("<<") {
        return Vec::new();
    }
    let head = first_words(j, (0, j.text.len()), 2);
    let mut kw_index = 0;
    let Some(first) = head.first() else {
        return Vec::new();
    };
    let mut kw = first.value.to_ascii_lowercase();
    if kw == "onbuild" {
        kw_index = 1;
        kw = head
            .get(1)
            .map(|w| w.value.to_ascii_lowercase())
            .unwrap_or_default();
    }
    if !matches!(kw.as_str(), "run" | "copy" | "add") {
        return Vec::new();
    }
    let after_kw = head[kw_index].joined.1 as usize;
    let (_, args_start) = extract_flags(j, (after_kw, j.text.len()), escape);
    if let Some(Ok(_)) = parse_json_array(j, (args_start, j.text.len())) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (start, end) in shell_words(&j.text) {
        let w = &j.text[start..end];
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        let Some(rest) = w[digits..].strip_prefix("<<") else {
            continue;
        };
        let (chomp, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let rest = rest.trim_start();
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let name: String = rest.chars().filter(|&c| c != '"' && c != '\'').collect();
        if name.is_empty() {
            continue;
        }
        out.push(HeredocMarker {
            expand: name.len() == rest.len(),
            name,
            range: j.src_range(start, end),
            chomp,
            fd: if digits > 0 {
                w[..digits].parse().ok()
            } else {
                None
            },
        });
    }
    out
}

/// Shell-like word spans: whitespace separates, quotes and backslash escapes
/// group (kept raw), as BuildKit's lexer does with raw quotes and escapes.
fn shell_words(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        let mut quote = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                None if (c as char).is_ascii_whitespace() => break,
                None if c == b'\'' || c == b'"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ if c == b'\\' && quote != Some(b'\'') => i += 1,
                _ => {}
            }
            i += 1;
        }
        out.push((start, i.min(b.len())));
    }
    out
}
