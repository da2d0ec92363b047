//! Words of a logical line: BuildKit's splitting rules (whitespace, quoted
//! words, builder flags, JSON arrays, heredoc markers) with every word's
//! range mapped back to the source text.

use crate::text::{TextRange, TextSize};

/// The text of one logical instruction: the physical pieces BuildKit joins,
/// concatenated, with a map back to source offsets.
#[derive(Clone, Debug, Default)]
pub struct Joined {
    pub text: String,
    /// `(offset in text, source range)` for each piece, in order.
    pieces: Vec<(u32, TextRange)>,
}

impl Joined {
    pub fn new(source: &str, pieces: Vec<TextRange>) -> Joined {
        let mut text = String::with_capacity(pieces.iter().map(|p| p.len() as usize).sum());
        let mut out = Vec::with_capacity(pieces.len());
        for p in pieces {
            out.push((text.len() as u32, p));
            text.push_str(p.slice(source));
        }
        Joined { text, pieces: out }
    }

    /// Its source ranges moved by `delta` (the same text, elsewhere).
    pub fn shift(&mut self, delta: i64) {
        for (_, r) in &mut self.pieces {
            *r = r.shifted(delta);
        }
    }

    fn piece(&self, offset: usize, prefer_previous: bool) -> (u32, TextRange) {
        let idx = self.pieces.partition_point(|&(s, _)| {
            (s as usize) < offset || (!prefer_previous && s as usize == offset)
        });
        let idx = idx.saturating_sub(1);
        self.pieces.get(idx).copied().unwrap_or_default()
    }

    /// Source offset of a start position in the joined text.
    pub fn src_start(&self, offset: usize) -> TextSize {
        let (s, r) = self.piece(offset, false);
        (r.start + (offset as u32).saturating_sub(s)).min(r.end)
    }

    /// Source offset of an end position in the joined text.
    pub fn src_end(&self, offset: usize) -> TextSize {
        let (s, r) = self.piece(offset, true);
        (r.start + (offset as u32).saturating_sub(s)).min(r.end)
    }

    pub fn src_range(&self, start: usize, end: usize) -> TextRange {
        if start >= end {
            let at = self.src_start(start);
            return TextRange::empty(at);
        }
        let s = self.src_start(start);
        let e = self.src_end(end).max(s);
        TextRange::new(s, e)
    }

    /// The pieces: `(offset in the joined text, source range)`, in order.
    pub fn pieces(&self) -> &[(u32, TextRange)] {
        &self.pieces
    }

    /// The source range the joined text came from.
    pub fn source_range(&self) -> TextRange {
        match (self.pieces.first(), self.pieces.last()) {
            (Some(a), Some(b)) => TextRange::new(a.1.start, b.1.end),
            _ => TextRange::default(),
        }
    }
}

/// A word of an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Where it stands in the source (may span a line continuation).
    pub range: TextRange,
    /// Its start and end in the joined text.
    pub joined: (u32, u32),
    /// The raw joined text of the word.
    pub raw: String,
    /// The word after BuildKit's quote and escape processing.
    pub value: String,
}

impl Word {
    pub fn shift(&mut self, delta: i64) {
        self.range = self.range.shifted(delta);
    }
}

/// A span of the joined text, `start..end`.
pub type Span = (usize, usize);

pub fn word_at(j: &Joined, span: Span, value: String) -> Word {
    Word {
        range: j.src_range(span.0, span.1),
        joined: (span.0 as u32, span.1 as u32),
        raw: j.text[span.0..span.1].to_string(),
        value,
    }
}

/// The first `n` words of `split_whitespace`, without building the rest.
pub fn first_words(j: &Joined, span: Span, n: usize) -> Vec<Word> {
    let text = &j.text[span.0..span.1];
    let mut out = Vec::with_capacity(n);
    let mut rest = 0;
    while out.len() < n {
        let tail = &text[rest..];
        let Some(start) = tail.find(|c: char| !is_split_space(c)) else {
            break;
        };
        let word = &tail[start..];
        let len = word.find(is_split_space).unwrap_or(word.len());
        let a = span.0 + rest + start;
        out.push(word_at(j, (a, a + len), word[..len].to_string()));
        rest += start + len;
    }
    out
}

fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Split at runs of `[\t\v\f\r ]` (BuildKit's `parseStringsWhitespaceDelimited`).
pub fn split_whitespace(j: &Joined, span: Span) -> Vec<Word> {
    let text = &j.text[span.0..span.1];
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let ws = matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ');
        match (ws, start) {
            (true, Some(s)) => {
                out.push(word_at(j, (span.0 + s, span.0 + i), text[s..i].to_string()));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(word_at(j, (span.0 + s, span.1), text[s..].to_string()));
    }
    out
}

/// BuildKit's `parseWords`: whitespace-separated words where quotes group
/// and the escape character escapes; quotes are kept in the value.
pub fn split_quoted_words(j: &Joined, span: Span, escape: u8) -> Vec<Word> {
    let text = &j.text[span.0..span.1];
    let esc = escape as char;
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if is_go_space(c) {
            chars.next();
            continue;
        }
        let start = i;
        let mut end = text.len();
        let mut value = String::new();
        let mut quote: Option<char> = None;
        while let Some((i, c)) = chars.next() {
            match quote {
                None => {
                    if is_go_space(c) {
                        end = i;
                        break;
                    }
                    if c == '\'' || c == '"' {
                        quote = Some(c);
                    }
                    if c == esc {
                        if let Some((_, n)) = chars.next() {
                            value.push(c);
                            value.push(n);
                        }
                        continue;
                    }
                    value.push(c);
                }
                Some(q) => {
                    if c == q {
                        quote = None;
                    } else if c == esc && q != '\'' {
                        match chars.next() {
                            Some((_, n)) => {
                                value.push(c);
                                value.push(n);
                            }
                            None => {
                                quote = None;
                            }
                        }
                        continue;
                    }
                    value.push(c);
                }
            }
        }
        out.push(word_at(j, (span.0 + start, span.0 + end), value));
    }
    out
}

/// A builder flag (`--name=value` or `--name`) before an instruction's
/// arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub word: Word,
    /// Flag name without the dashes.
    pub name: String,
    pub name_range: TextRange,
    /// The value after `=` (quotes and escapes processed), if any.
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
}

impl Flag {
    pub fn shift(&mut self, delta: i64) {
        self.word.shift(delta);
        self.name_range = self.name_range.shifted(delta);
        self.value_range = self.value_range.map(|r| r.shifted(delta));
    }
}

/// BuildKit's `extractBuilderFlags`: leading `--words`, returns them and the
/// span where the arguments start.
pub fn extract_flags(j: &Joined, span: Span, escape: u8) -> (Vec<Flag>, usize) {
    let text = &j.text[..span.1];
    let bytes = text.as_bytes();
    let mut pos = span.0;
    let mut flags = Vec::new();
    loop {
        while pos < span.1 && is_go_space(text[pos..].chars().next().unwrap_or('x')) {
            pos += text[pos..].chars().next().map_or(1, char::len_utf8);
        }
        if pos >= span.1 {
            return (flags, span.1);
        }
        if !(bytes[pos] == b'-' && bytes.get(pos + 1) == Some(&b'-')) {
            return (flags, pos);
        }
        let start = pos;
        let mut value = String::new();
        let mut quote: Option<u8> = None;
        let mut eq: Option<(usize, usize)> = None; // (raw pos of '=', value len at that point)
        while pos < span.1 {
            let b = bytes[pos];
            if quote.is_none() && (b as char).is_ascii_whitespace() {
                break;
            }
            match quote {
                None if b == b'\'' || b == b'"' => {
                    quote = Some(b);
                    pos += 1;
                    continue;
                }
                Some(q) if b == q => {
                    quote = None;
                    pos += 1;
                    continue;
                }
                _ => {}
            }
            if b == escape && pos + 1 < span.1 {
                pos += 1;
            } else if b == escape {
                pos += 1;
                continue;
            }
            let ch = text[pos..].chars().next().unwrap_or('\u{fffd}');
            if ch == '=' && eq.is_none() {
                eq = Some((pos, value.len()));
            }
            value.push(ch);
            pos += ch.len_utf8();
        }
        let end = pos;
        if &text[start..end] == "--" {
            return (flags, end);
        }
        let word = word_at(j, (start, end), value.clone());
        let (name, name_end, val, value_range) = match eq {
            Some((raw_eq, vlen)) => (
                value[2..vlen].to_string(),
                raw_eq,
                Some(value[vlen + 1..].to_string()),
                Some(j.src_range(raw_eq + 1, end)),
            ),
            None => (value.get(2..).unwrap_or("").to_string(), end, None, None),
        };
        flags.push(Flag {
            name,
            name_range: j.src_range(start + 2, name_end),
            value: val,
            value_range,
            word,
        });
    }
}

/// A JSON array of strings (exec form), each string as a word.
/// `None` when the text is not a JSON string array, exactly as BuildKit
/// then falls back to shell form; `Some(Err)` when it is a JSON array with
/// non-string elements (BuildKit rejects that).
pub fn parse_json_array(j: &Joined, span: Span) -> Option<Result<Vec<Word>, String>> {
    let text = &j.text[span.0..span.1];
    let trimmed = text.trim_start_matches(is_go_space);
    if !trimmed.starts_with('[') {
        return None;
    }
    let base = span.0 + (text.len() - trimmed.len());
    let b = trimmed.as_bytes();
    let mut i = 1;
    let mut words = Vec::new();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if b.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            skip_ws(&mut i);
            if b.get(i) != Some(&b'"') {
                // BuildKit rejects a valid JSON array with a non-string
                // element; anything that is not valid JSON is shell form.
                return if valid_json(trimmed) {
                    Some(Err(
                        "when using JSON array syntax, arrays must be comprised of strings only"
                            .to_string(),
                    ))
                } else {
                    None
                };
            }
            let start = i;
            i += 1;
            let mut value = String::new();
            loop {
                match b.get(i) {
                    None => return None,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\\') => {
                        let (ch, used) = json_escape(&trimmed[i..])?;
                        value.push(ch);
                        i += used;
                    }
                    Some(c) if *c < 0x20 => return None,
                    Some(_) => {
                        let ch = trimmed[i..].chars().next()?;
                        value.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            words.push(word_at(j, (base + start, base + i), value));
            skip_ws(&mut i);
            match b.get(i) {
                Some(b',') => i += 1,
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    skip_ws(&mut i);
    if i != b.len() {
        return None; // trailing garbage: not JSON, shell form
    }
    Some(Ok(words))
}

/// `s` as a JSON string literal (what [`parse_json_array`] reads back):
/// quotes, backslashes and control characters escaped.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How deep Go's `encoding/json` (which BuildKit parses exec form with)
/// lets arrays and objects nest before it rejects the text.
const JSON_MAX_DEPTH: usize = 10_000;

/// Whether `text` is exactly one valid JSON value (surrounding whitespace
/// allowed). Iterative: the open arrays and objects are a stack of flags
/// (`true` for an object), so nesting costs heap, not call depth.
fn valid_json(text: &str) -> bool {
    fn ws(b: &[u8], i: &mut usize) {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    }
    fn string(b: &[u8], i: &mut usize) -> bool {
        *i += 1;
        while let Some(&c) = b.get(*i) {
            *i += 1;
            match c {
                b'"' => return true,
                b'\\' => *i += 1,
                c if c < 0x20 => return false,
                _ => {}
            }
        }
        false
    }
    // An object member's key and colon, before its value.
    fn key(b: &[u8], i: &mut usize) -> bool {
        ws(b, i);
        if b.get(*i) != Some(&b'"') || !string(b, i) {
            return false;
        }
        ws(b, i);
        if b.get(*i) != Some(&b':') {
            return false;
        }
        *i += 1;
        true
    }
    fn lit(b: &[u8], i: &mut usize, word: &[u8]) -> bool {
        if b[*i..].starts_with(word) {
            *i += word.len();
            true
        } else {
            false
        }
    }
    let close = |object: bool| if object { b'}' } else { b']' };
    let b = text.as_bytes();
    let mut i = 0;
    let mut open: Vec<bool> = Vec::new();
    loop {
        // A value is expected here.
        ws(b, &mut i);
        let scalar = match b.get(i) {
            Some(b'"') => string(b, &mut i),
            Some(&c @ (b'[' | b'{')) => {
                let object = c == b'{';
                i += 1;
                ws(b, &mut i);
                if b.get(i) == Some(&close(object)) {
                    i += 1;
                    true
                } else {
                    if open.len() >= JSON_MAX_DEPTH {
                        return false;
                    }
                    open.push(object);
                    if object && !key(b, &mut i) {
                        return false;
                    }
                    continue;
                }
            }
            Some(b't') => lit(b, &mut i, b"true"),
            Some(b'f') => lit(b, &mut i, b"false"),
            Some(b'n') => lit(b, &mut i, b"null"),
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                let start = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_digit() || b"+-.eE".contains(&b[i])) {
                    i += 1;
                }
                std::str::from_utf8(&b[start..i]).is_ok_and(|n| n.parse::<f64>().is_ok())
            }
            _ => false,
        };
        if !scalar {
            return false;
        }
        // A value ended: close what it ends, or go on after a comma.
        loop {
            ws(b, &mut i);
            let Some(&object) = open.last() else {
                return i == b.len();
            };
            match b.get(i) {
                Some(b',') => {
                    i += 1;
                    if object && !key(b, &mut i) {
                        return false;
                    }
                    break;
                }
                Some(&c) if c == close(object) => {
                    i += 1;
                    open.pop();
                }
                _ => return false,
            }
        }
    }
}

fn json_escape(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let c = *b.get(1)?;
    let simple = match c {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hex = s.get(2..6)?;
            let cp = u32::from_str_radix(hex, 16).ok()?;
            if (0xD800..0xDC00).contains(&cp) {
                // Surrogate pair.
                if s.get(6..8) == Some("\\u") {
                    let lo = u32::from_str_radix(s.get(8..12)?, 16).ok()?;
                    let c = 0x10000 + ((cp - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3ff);
                    return Some((char::from_u32(c).unwrap_or('\u{fffd}'), 12));
                }
                return Some(('\u{fffd}', 6));
            }
            return Some((char::from_u32(cp).unwrap_or('\u{fffd}'), 6));
        }
        _ => return None,
    };
    Some((simple, 2))
}

/// A variable reference `$NAME`, `${NAME}` or `${NAME<modifier>word}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The name's range.
    pub name_range: TextRange,
    /// The whole reference, `$` to the closing brace.
    pub range: TextRange,
    /// The modifier (`:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`), if any.
    pub modifier: Option<String>,
    /// The word after the modifier (may itself contain references, listed separately).
    pub word_range: Option<TextRange>,
}

/// How deep the analysis follows nesting in the text: variable references
/// inside the modifier words of other references (`${A:-${B:-...}}`), and
/// the like elsewhere. Past it the analysis stops descending (and the
/// model says so) rather than recurse, or loop, in proportion to the text.
pub const MAX_NESTING: usize = 64;

/// Variable references in `span` of a logical line, following BuildKit's
/// shell lexer: the escape character escapes `$`, single quotes are literal.
/// References nested in a modifier word are returned too, down to
/// [`MAX_NESTING`] levels.
pub fn scan_vars(j: &Joined, span: Span, escape: u8) -> Vec<VarRef> {
    scan_vars_checked(j, span, escape).refs
}

/// What [`scan_vars_checked`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VarScan {
    /// The references, outer ones before those nested in their words.
    pub refs: Vec<VarRef>,
    /// The first reference whose modifier word (with a `$` in it) was not
    /// scanned because the reference lies [`MAX_NESTING`] levels deep.
    pub too_deep: Option<TextRange>,
}

/// [`scan_vars`], also saying where nesting went past [`MAX_NESTING`].
pub fn scan_vars_checked(j: &Joined, span: Span, escape: u8) -> VarScan {
    /// A modifier word being scanned is a level pushed on a stack (no
    /// recursion): the span that encloses it, whether quotes count there,
    /// and where the enclosing scan goes on once the word is done.
    struct Level {
        end: usize,
        quotes: bool,
        in_double: bool,
        resume: usize,
    }
    let b = j.text.as_bytes();
    let mut out = VarScan::default();
    let mut stack: Vec<Level> = Vec::new();
    let mut i = span.0;
    let mut end = span.1.min(b.len());
    // Quotes count at the top level only: BuildKit reads a modifier word
    // with quotes processed by the word's own expansion.
    let mut quotes = true;
    let mut in_double = false;
    loop {
        if i >= end {
            let Some(outer) = stack.pop() else { break };
            i = outer.resume;
            end = outer.end;
            quotes = outer.quotes;
            in_double = outer.in_double;
            continue;
        }
        let c = b[i];
        if c == escape {
            i += 2;
            continue;
        }
        if quotes && c == b'\'' && !in_double {
            i += 1;
            while i < end && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
            continue;
        }
        if quotes && c == b'"' {
            in_double = !in_double;
            i += 1;
            continue;
        }
        if c != b'$' {
            i += 1;
            continue;
        }
        let dollar = i;
        i += 1;
        if i < end && b[i] == b'{' {
            i += 1;
            let name_start = i;
            while i < end && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let name_end = i;
            // Modifier.
            let mut modifier = None;
            let mut word_start = None;
            if i < end && b[i] != b'}' {
                let two = j.text.get(i..(i + 2).min(end)).unwrap_or("");
                let m = if [":-", ":+", ":?", "##", "%%", "//"].contains(&two) {
                    two
                } else {
                    // Single-character modifiers are ASCII; anything else
                    // (even a multi-byte character) is no modifier.
                    j.text.get(i..i + 1).unwrap_or("")
                };
                if [
                    "-", "+", "?", "#", "%", "/", ":-", ":+", ":?", "##", "%%", "//",
                ]
                .contains(&m)
                {
                    modifier = Some(m.to_string());
                    i += m.len();
                    word_start = Some(i);
                }
            }
            // Find the matching close brace. This scan is linear in what
            // follows; nesting is followed at most `MAX_NESTING` levels
            // deep, so the whole scan stays linear in the text.
            let mut depth = 1;
            while i < end {
                match b[i] {
                    c if c == escape => i += 1,
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let close = i.min(end);
            let after = (close + 1).min(end);
            if name_end > name_start {
                out.refs.push(VarRef {
                    name: j.text[name_start..name_end].to_string(),
                    name_range: j.src_range(name_start, name_end),
                    range: j.src_range(dollar, after),
                    modifier,
                    word_range: word_start.map(|w| j.src_range(w, close.max(w))),
                });
            }
            i = after;
            if let Some(w) = word_start {
                if stack.len() < MAX_NESTING {
                    stack.push(Level {
                        end,
                        quotes,
                        in_double,
                        resume: after,
                    });
                    i = w;
                    end = close.max(w);
                    quotes = false;
                    in_double = false;
                } else if out.too_deep.is_none() && b[w..close.max(w)].contains(&b'$') {
                    // Only a word that may hold a reference is a loss.
                    out.too_deep = Some(j.src_range(dollar, after));
                }
            }
        } else {
            let name_start = i;
            while i < end && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if i > name_start && !b[name_start].is_ascii_digit() {
                out.refs.push(VarRef {
                    name: j.text[name_start..i].to_string(),
                    name_range: j.src_range(name_start, i),
                    range: j.src_range(dollar, i),
                    modifier: None,
                    word_range: None,
                });
            }
        }
    }
    out
}

/// Go's `unicode.IsSpace` for the ASCII range, which is all BuildKit's
/// trimming meets in practice; non-ASCII spaces (U+0085, U+00A0) too.
pub fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(text: &str) -> Joined {
        Joined::new(text, vec![TextRange::from_usize(0, text.len())])
    }

    #[test]
    fn flags_with_quotes_and_values() {
        let j = joined(r#"--from=build --chown="a b" --link src dst"#);
        let (flags, rest) = extract_flags(&j, (0, j.text.len()), b'\\');
        let names: Vec<_> = flags.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["from", "chown", "link"]);
        assert_eq!(flags[0].value.as_deref(), Some("build"));
        assert_eq!(flags[0].value_range.unwrap().slice(&j.text), "build");
        assert_eq!(flags[1].value.as_deref(), Some("a b"));
        assert_eq!(flags[2].value, None);
        assert_eq!(&j.text[rest..], "src dst");
    }

    #[test]
    fn json_arrays() {
        let j = joined(r#"["a", "b\"c", "\u00e9"]"#);
        let words = parse_json_array(&j, (0, j.text.len())).unwrap().unwrap();
        let values: Vec<_> = words.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(values, ["a", "b\"c", "é"]);
        assert_eq!(words[1].range.slice(&j.text), r#""b\"c""#);
        let j = joined("[not json");
        assert!(parse_json_array(&j, (0, j.text.len())).is_none());
        let j = joined("[1, 2]");
        assert!(parse_json_array(&j, (0, j.text.len())).unwrap().is_err());
        // Not valid JSON: shell form, as BuildKit falls back to it.
        let j = joined("[ -f /etc/x ] && echo");
        assert!(parse_json_array(&j, (0, j.text.len())).is_none());
        let j = joined("[\"a\", {\"b\": [1, true, null]}]");
        assert!(parse_json_array(&j, (0, j.text.len())).unwrap().is_err());
    }

    #[test]
    fn a_non_ascii_character_after_a_name_is_no_modifier() {
        for text in ["${Aé}", "x:${TAGé}", "${é}", "${A:-é}"] {
            let j = joined(text);
            scan_vars(&j, (0, j.text.len()), b'\\');
        }
    }

    #[test]
    fn variables() {
        let j = joined(r#"${A:-${B}} $C '$D' "$E" \$F ${G%%x}"#);
        let names: Vec<_> = scan_vars(&j, (0, j.text.len()), b'\\')
            .into_iter()
            .map(|v| (v.name, v.modifier))
            .collect();
        assert_eq!(
            names,
            [
                ("A".into(), Some(":-".into())),
                ("B".into(), None),
                ("C".into(), None),
                ("E".into(), None),
                ("G".into(), Some("%%".into())),
            ]
        );
    }

    #[test]
    fn deep_json_is_checked_without_recursion() {
        // Valid JSON with a non-string element, nested as deep as Go
        // allows: an error; deeper: not JSON at all (shell form).
        for (depth, valid) in [(5_000, true), (JSON_MAX_DEPTH + 1, false)] {
            let text = format!("[{}1{}", "[".repeat(depth - 1), "]".repeat(depth));
            let j = joined(&text);
            let parsed = parse_json_array(&j, (0, j.text.len()));
            assert_eq!(parsed.is_some(), valid, "{depth} deep");
        }
        let text = format!("[1, {}", "{\"a\": [".repeat(50_000));
        assert!(parse_json_array(&joined(&text), (0, text.len())).is_none());
        assert!(valid_json("{\"a\": [1, {\"b\": null}], \"c\": \"d\"}"));
        assert!(!valid_json("{\"a\" 1}"));
        assert!(!valid_json("[1,]"));
        assert!(!valid_json("[1] 2"));
    }

    #[test]
    fn nesting_is_followed_to_the_limit_and_no_further() {
        // `${v0:-${v1:-...}}`: one reference per level.
        let nested = |depth: usize| {
            let mut text = String::from("x");
            for i in (0..depth).rev() {
                text = format!("${{v{i}:-{text}}}");
            }
            text
        };
        let text = nested(MAX_NESTING + 1);
        let scan = scan_vars_checked(&joined(&text), (0, text.len()), b'\\');
        assert_eq!(scan.refs.len(), MAX_NESTING + 1);
        assert_eq!(scan.too_deep, None);
        let text = nested(MAX_NESTING + 2);
        let scan = scan_vars_checked(&joined(&text), (0, text.len()), b'\\');
        assert_eq!(scan.refs.len(), MAX_NESTING + 1);
        let last = format!("v{MAX_NESTING}");
        assert_eq!(
            scan.refs.last().map(|r| r.name.as_str()),
            Some(last.as_str())
        );
        let cut = scan.too_deep.expect("the cut is reported");
        assert!(cut.slice(&text).starts_with(&format!("${{{last}:-")));
        // After a deep reference the scan goes on at the level it left.
        let text = format!("{} $after", nested(200));
        let names: Vec<_> = scan_vars(&joined(&text), (0, text.len()), b'\\')
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names.last().map(String::as_str), Some("after"));
        assert_eq!(names.len(), MAX_NESTING + 2);
    }

    #[test]
    fn pieces_map_back_across_continuations() {
        let src = "RUN a \\\n  b";
        let j = Joined::new(
            src,
            vec![TextRange::from_usize(0, 6), TextRange::from_usize(8, 11)],
        );
        assert_eq!(j.text, "RUN a   b");
        let words = split_whitespace(&j, (0, j.text.len()));
        assert_eq!(words[2].range.slice(src), "b");
        assert_eq!(words[1].range.slice(src), "a");
    }
}
