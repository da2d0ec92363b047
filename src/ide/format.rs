//! Formatting: the minimal edits that bring a Dockerfile to berth's layout.
//!
//! The rules, all of which leave what BuildKit and the shell read unchanged:
//!
//! - Instruction keywords are upper-cased (`run` → `RUN`), ONBUILD's trigger
//!   too, and a stage's `as` becomes `AS`. A keyword split by a line
//!   continuation is left alone.
//! - Exactly one space separates the keyword from what follows it on the
//!   same line, flags from each other and from the arguments, and the words
//!   of a `FROM` line. Whitespace that crosses a line continuation is not
//!   touched.
//! - Continuation lines are indented by 4 spaces more than their
//!   instruction, and keep their depth relative to each other: the
//!   shallowest continuation line of an instruction moves to 4 spaces and
//!   the others move by the same amount (a tab counts up to the next
//!   multiple of 4 columns; the new indentation is spaces). Comment lines
//!   inside a continuation move by the same amount, but never shallower
//!   than 4 spaces. A continuation line whose leading whitespace is part of
//!   a word (inside quotes, after an escape, or glued to the previous line's
//!   last word) keeps its indentation and does not count.
//! - Trailing spaces and tabs are removed, except inside heredoc bodies
//!   (which are never changed at all).
//! - The file ends with a line break, in the file's own style (`\r\n` when
//!   its first line ends so). An unterminated heredoc at the end is left as
//!   it is.
//!
//! Shell text, exec-form JSON, comments and blank lines are otherwise kept as
//! written, the escape directive (`# escape=\``) is honoured, and lines are
//! never joined or split. Formatting is idempotent.
//!
//! Range formatting formats the instructions that intersect the range and
//! the lines outside instructions that intersect it; the final line break
//! only when the range reaches the end of the text.

use crate::model::{Form, Instruction, Model};
use crate::shell::{self, Dialect};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange, TextSize};

use super::Analysis;

/// Indentation of continuation lines, relative to their instruction.
pub const CONTINUATION_INDENT: usize = 4;

impl Analysis {
    /// The edits that format the whole document: sorted, non-overlapping,
    /// and only where something changes.
    pub fn format(&self) -> Vec<TextEdit> {
        format(self.text(), self.model())
    }

    /// The edits that format the instructions intersecting `range`.
    pub fn format_range(&self, range: TextRange) -> Vec<TextEdit> {
        format_range(self.text(), self.model(), range)
    }
}

/// The formatted text of `text`.
pub fn formatted(text: &str) -> String {
    let model = Model::build(text);
    let edits = format(text, &model);
    crate::text::apply_edits(text, &edits).unwrap_or_else(|| text.to_string())
}

/// Edits formatting the whole of `text` (`model` is its model).
pub fn format(text: &str, model: &Model) -> Vec<TextEdit> {
    finish(
        Formatter::new(text, model)
            .run()
            .into_iter()
            .map(|(e, _)| e)
            .collect(),
    )
}

/// Edits formatting the instructions of `text` that intersect `range`.
pub fn format_range(text: &str, model: &Model, range: TextRange) -> Vec<TextEdit> {
    let hit = |scope: TextRange| {
        if range.is_empty() || scope.is_empty() {
            scope.start <= range.end && range.start <= scope.end
        } else {
            scope.start < range.end && range.start < scope.end
        }
    };
    finish(
        Formatter::new(text, model)
            .run()
            .into_iter()
            .filter(|(_, scope)| hit(*scope))
            .map(|(e, _)| e)
            .collect(),
    )
}

/// Sort, and drop an edit that would overlap the one before it (none
/// should; this keeps the result valid whatever happens).
fn finish(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for e in edits {
        if out.last().is_some_and(|p| p.range.end > e.range.start) {
            continue;
        }
        out.push(e);
    }
    out
}

/// A physical line: `start..content_end` without the line break (`\n`, or
/// `\r\n`), `end` after it.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = 0;
    while start < bytes.len() {
        let (content_end, end) = match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                let nl = start + i;
                let ce = if nl > start && bytes[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (ce, nl + 1)
            }
            None => (bytes.len(), bytes.len()),
        };
        out.push(Line {
            start,
            content_end,
            end,
        });
        start = end;
    }
    out
}

fn is_blank_byte(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Column width of leading spaces and tabs (a tab goes to the next multiple
/// of 4).
fn width(ws: &str) -> usize {
    ws.bytes()
        .fold(0, |w, b| if b == b'\t' { (w / 4 + 1) * 4 } else { w + 1 })
}

/// How the words of an instruction's joined text are quoted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Shell form: `'...'`, `"..."` with `\`, `$'...'`, `#` comments.
    Shell,
    /// Exec form: JSON strings.
    Json,
    /// BuildKit's own word splitting with the escape character.
    Words(u8),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
    AnsiC,
    Comment,
}

/// For each offset in `offsets` (sorted), whether whitespace inserted or
/// removed there is outside any quote and not escaped.
fn free_at(text: &str, mode: Mode, offsets: &[usize]) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let mut next = offsets.iter().peekable();
    let mut q = Quote::None;
    let mut escaped = false;
    for i in 0..=bytes.len() {
        while next.peek().is_some_and(|&&o| o == i) {
            next.next();
            out.push(!escaped && matches!(q, Quote::None | Quote::Comment));
        }
        let Some(&c) = bytes.get(i) else { break };
        if escaped {
            escaped = false;
            continue;
        }
        match mode {
            Mode::Shell => match q {
                Quote::None => match c {
                    b'\\' => escaped = true,
                    b'\'' if i > 0 && bytes[i - 1] == b'$' => q = Quote::AnsiC,
                    b'\'' => q = Quote::Single,
                    b'"' => q = Quote::Double,
                    b'#' if i == 0 || is_blank_byte(bytes[i - 1]) => q = Quote::Comment,
                    _ => {}
                },
                Quote::Single if c == b'\'' => q = Quote::None,
                Quote::Double | Quote::AnsiC if c == b'\\' => escaped = true,
                Quote::Double if c == b'"' => q = Quote::None,
                Quote::AnsiC if c == b'\'' => q = Quote::None,
                _ => {}
            },
            Mode::Json => match q {
                Quote::None if c == b'"' => q = Quote::Double,
                Quote::Double if c == b'\\' => escaped = true,
                Quote::Double if c == b'"' => q = Quote::None,
                _ => {}
            },
            Mode::Words(esc) => {
                if c == esc {
                    escaped = true;
                    continue;
                }
                match q {
                    Quote::None if c == b'\'' => q = Quote::Single,
                    Quote::None if c == b'"' => q = Quote::Double,
                    Quote::Single if c == b'\'' => q = Quote::None,
                    Quote::Double if c == b'"' => q = Quote::None,
                    _ => {}
                }
            }
        }
    }
    // Offsets past the end (none are expected) are not free.
    out.resize(offsets.len(), false);
    out
}

/// How to read the quotes of `outer` (an instruction of `model`, or the
/// ONBUILD that wraps it). Shell text in a PowerShell stage uses its
/// backtick escape, in a cmd stage its caret.
fn mode_of(model: &Model, outer: &Instruction, dialect: impl FnOnce() -> Dialect) -> Mode {
    let ins = match &outer.onbuild {
        Some(sub) => sub,
        None => outer,
    };
    if ins.form == Form::Exec {
        return Mode::Json;
    }
    match ins.kind {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
            match dialect() {
                Dialect::Posix { .. } => Mode::Shell,
                Dialect::Other(name) if name.starts_with("cmd") => Mode::Words(b'^'),
                Dialect::Other(_) => Mode::Words(b'`'),
            }
        }
        _ => Mode::Words(model.escape),
    }
}

/// An edit of an instruction's head, made only outside quotes.
enum HeadEdit {
    /// [`Formatter::gap`] between two source offsets.
    Gap(TextSize, TextSize),
    /// `as` → `AS`.
    Upper(TextRange),
}

/// (stage, the exec-form SHELL in effect): what decides the dialect.
type DialectKey = (Option<usize>, Option<usize>);

struct Formatter<'a> {
    text: &'a str,
    model: &'a Model,
    lines: Vec<Line>,
    /// The shell dialect of the last (stage, SHELL in effect) asked about:
    /// looking it up once per stretch keeps the formatter linear.
    dialect: Option<(DialectKey, Dialect)>,
    /// The last exec-form SHELL of the current stage.
    last_shell: Option<usize>,
    /// `(edit, scope)`: the scope decides whether range formatting keeps it.
    edits: Vec<(TextEdit, TextRange)>,
}

impl<'a> Formatter<'a> {
    fn new(text: &'a str, model: &'a Model) -> Formatter<'a> {
        Formatter {
            text,
            model,
            lines: lines(text),
            edits: Vec::new(),
            dialect: None,
            last_shell: None,
        }
    }

    /// Replace `start..end` with `new`, leaving out what they share at
    /// either end (`"  "` → `"    "` inserts two spaces).
    fn edit(&mut self, start: usize, end: usize, new: &str, scope: TextRange) {
        let Some(old) = self.text.get(start..end) else {
            return;
        };
        if old == new {
            return;
        }
        let (o, n) = (old.as_bytes(), new.as_bytes());
        let mut pre = o.iter().zip(n).take_while(|(a, b)| a == b).count();
        while !(old.is_char_boundary(pre) && new.is_char_boundary(pre)) {
            pre -= 1;
        }
        let mut suf = o[pre..]
            .iter()
            .rev()
            .zip(n[pre..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        while !(old.is_char_boundary(o.len() - suf) && new.is_char_boundary(n.len() - suf)) {
            suf -= 1;
        }
        let range = TextRange::from_usize(start + pre, end - suf);
        let text = &new[pre..n.len() - suf];
        self.edits.push((TextEdit::replace(range, text), scope));
    }

    fn run(mut self) -> Vec<(TextEdit, TextRange)> {
        let model = self.model;
        let mut li = 0;
        for ins in &model.instructions {
            if ins.kind == Keyword::From {
                self.last_shell = None;
            }
            let start = ins.range.start as usize;
            let logical_end = (ins.logical_end as usize).max(start);
            // Lines before the instruction: comments, blank lines, directives.
            while li < self.lines.len() && self.lines[li].end <= start {
                let l = self.lines[li];
                self.trailing(l, TextRange::from_usize(l.start, l.end));
                li += 1;
            }
            let first = li;
            while li < self.lines.len() && (self.lines[li].start <= logical_end || li == first) {
                li += 1;
            }
            self.instruction(ins, first..li);
            if ins.kind == Keyword::Shell && ins.form == Form::Exec {
                self.last_shell = Some(ins.index);
            }
            // Heredoc bodies and terminators: untouched.
            while li < self.lines.len() && self.lines[li].start < ins.range.end as usize {
                li += 1;
            }
        }
        while li < self.lines.len() {
            let l = self.lines[li];
            self.trailing(l, TextRange::from_usize(l.start, l.end));
            li += 1;
        }
        self.final_newline();
        self.edits
    }

    /// Remove the spaces and tabs that end `l`.
    fn trailing(&mut self, l: Line, scope: TextRange) {
        let bytes = self.text.as_bytes();
        let mut e = l.content_end;
        while e > l.start && is_blank_byte(bytes[e - 1]) {
            e -= 1;
        }
        if e < l.content_end {
            self.edit(e, l.content_end, "", scope);
        }
    }

    fn final_newline(&mut self) {
        let text = self.text;
        if text.is_empty() || text.ends_with('\n') {
            return;
        }
        // An unterminated heredoc body would gain a line.
        if let Some(last) = self.model.instructions.last() {
            if last.heredocs.iter().any(|h| h.terminator.is_none()) {
                return;
            }
        }
        let crlf = text
            .find('\n')
            .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');
        let eol = if crlf { "\r\n" } else { "\n" };
        let at = text.len();
        self.edits.push((
            TextEdit::insert(at as TextSize, eol),
            TextRange::empty(at as TextSize),
        ));
    }

    /// Replace the gap between two words with one space when it is only
    /// spaces and tabs (the words are on the same line).
    fn gap(&mut self, from: TextSize, to: TextSize, scope: TextRange) {
        let (a, b) = (from as usize, to as usize);
        if a >= b {
            return;
        }
        let Some(gap) = self.text.get(a..b) else {
            return;
        };
        if gap.bytes().all(is_blank_byte) {
            self.edit(a, b, " ", scope);
        }
    }

    fn keyword(&mut self, ins: &Instruction, scope: TextRange) {
        if ins.kind == Keyword::Unknown {
            return;
        }
        let r = ins.keyword.range;
        let name = ins.kind.name();
        if r.slice(self.text).eq_ignore_ascii_case(name) {
            self.edit(r.start as usize, r.end as usize, name, scope);
        }
    }

    /// Keyword casing and single spaces after the keyword and between flags
    /// (ONBUILD's trigger too, and FROM's words and its `AS`). FROM's words
    /// are split at whitespace without regard to quotes, as BuildKit splits
    /// them, so a gap or an `as` may lie inside a quoted string, which must
    /// not change: each of these edits is made only where the instruction's
    /// joined text, read with BuildKit's quotes and escape character, is
    /// outside quotes.
    fn head(&mut self, ins: &Instruction, scope: TextRange) {
        // (offset in the joined text where the edit starts, the edit).
        let mut pending: Vec<(u32, HeadEdit)> = Vec::new();
        let mut cur = ins;
        loop {
            self.keyword(cur, scope);
            let mut prev = cur.keyword.range.end;
            let mut prev_joined = cur.keyword.joined.1;
            if let Some(sub) = &cur.onbuild {
                pending.push((prev_joined, HeadEdit::Gap(prev, sub.keyword.range.start)));
                cur = sub;
                continue;
            }
            for f in &cur.flags {
                pending.push((prev_joined, HeadEdit::Gap(prev, f.word.range.start)));
                prev = f.word.range.end;
                prev_joined = f.word.joined.1;
            }
            if let Some(first) = cur.args.first() {
                if first.range.start >= prev && !cur.args_range.is_empty() {
                    let at = if cur.form == Form::Exec {
                        cur.args_range.start
                    } else {
                        first.range.start.min(cur.args_range.start)
                    };
                    pending.push((prev_joined, HeadEdit::Gap(prev, at)));
                }
            }
            if cur.kind == Keyword::From {
                for w in cur.args.windows(2) {
                    pending.push((
                        w[0].joined.1,
                        HeadEdit::Gap(w[0].range.end, w[1].range.start),
                    ));
                }
                if let [_, as_kw, _] = cur.args.as_slice() {
                    if as_kw.value.eq_ignore_ascii_case("as") && as_kw.range.len() == 2 {
                        pending.push((as_kw.joined.0, HeadEdit::Upper(as_kw.range)));
                    }
                }
            }
            break;
        }
        pending.sort_by_key(|(at, _)| *at);
        let offsets: Vec<usize> = pending.iter().map(|(at, _)| *at as usize).collect();
        let free = free_at(&ins.joined.text, Mode::Words(self.model.escape), &offsets);
        for ((_, edit), free) in pending.into_iter().zip(free) {
            if !free {
                continue;
            }
            match edit {
                HeadEdit::Gap(from, to) => self.gap(from, to, scope),
                HeadEdit::Upper(r) => self.edit(r.start as usize, r.end as usize, "AS", scope),
            }
        }
    }

    fn instruction(&mut self, ins: &Instruction, lines: std::ops::Range<usize>) {
        let scope = ins.range;
        self.head(ins, scope);
        let text = self.text;
        let bytes = text.as_bytes();
        let Some(&first) = self.lines.get(lines.start) else {
            return;
        };
        let lead = |l: &Line| {
            let mut e = l.start;
            while e < l.content_end && is_blank_byte(bytes[e]) {
                e += 1;
            }
            e
        };
        let base = width(&text[first.start..lead(&first)]) + CONTINUATION_INDENT;

        // Continuation pieces: where they start in the joined text, and
        // whether their leading whitespace is free to change.
        let joined = &ins.joined;
        let pieces = joined.pieces();
        let starts: Vec<usize> = pieces.iter().skip(1).map(|p| p.0 as usize).collect();
        let free = if starts.is_empty() {
            Vec::new()
        } else {
            let model = self.model;
            let key = (ins.stage, self.last_shell);
            let cache = &mut self.dialect;
            let mode = mode_of(model, ins, || match cache {
                Some((k, d)) if *k == key => d.clone(),
                _ => {
                    let d = shell::dialect(model, ins.index);
                    *cache = Some((key, d.clone()));
                    d
                }
            });
            free_at(&joined.text, mode, &starts)
        };
        let mut movable: Vec<(usize, bool)> = Vec::new(); // (line index, is a piece)
        let mut pi = 0; // index into `starts`/`free`
        let mut min: Option<usize> = None;
        for (li, l) in self
            .lines
            .iter()
            .enumerate()
            .take(lines.end)
            .skip(lines.start + 1)
        {
            let e = lead(l);
            if e == l.content_end {
                continue; // blank: only trailing whitespace goes
            }
            while pi < starts.len() && (pieces[pi + 1].1.start as usize) < l.start {
                pi += 1;
            }
            let is_piece = pi < starts.len() && pieces[pi + 1].1.start as usize == l.start;
            if is_piece {
                let glued = e == l.start
                    && !joined.text[..starts[pi]]
                        .bytes()
                        .next_back()
                        .is_some_and(is_blank_byte);
                if free[pi] && !glued {
                    let w = width(&text[l.start..e]);
                    min = Some(min.map_or(w, |m: usize| m.min(w)));
                    movable.push((li, true));
                }
            } else if bytes[e] == b'#' {
                movable.push((li, false));
            }
        }
        let delta = min.map_or(0, |m| base as isize - m as isize);
        for (li, is_piece) in movable {
            let l = self.lines[li];
            let e = lead(&l);
            let w = width(&text[l.start..e]) as isize + delta;
            let w = if is_piece {
                w.max(1) as usize
            } else {
                w.max(base as isize) as usize
            };
            self.edit(l.start, e, &" ".repeat(w), scope);
        }
        for i in lines {
            let l = self.lines[i];
            self.trailing(l, scope);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_count_to_the_next_stop() {
        assert_eq!(width("\t"), 4);
        assert_eq!(width("  \t"), 4);
        assert_eq!(width("\t  "), 6);
    }

    #[test]
    fn quotes_and_escapes_are_not_free() {
        let t = "a 'b c' \"d \\\" e\" f # ' g";
        let offs: Vec<usize> = vec![1, 4, 11, 17, 23];
        assert_eq!(
            free_at(t, Mode::Shell, &offs),
            [true, false, false, true, true]
        );
        assert_eq!(
            free_at("x\\ y", Mode::Words(b'`'), &[2]),
            [true],
            "a backslash is not the escape"
        );
        assert_eq!(free_at("x` y", Mode::Words(b'`'), &[2]), [false]);
    }
}
