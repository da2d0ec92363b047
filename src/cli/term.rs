//! Names from outside berth (file names, paths) made safe to print where a
//! terminal may read them.
//!
//! A file name may hold any byte but `/` and NUL: a line break would forge
//! a line of output (a fake finding, a fake file in `fmt --check`), an ESC
//! starts a sequence that recolours, retitles or clears the terminal, and
//! the Unicode bidirectional controls reorder what is shown. Such a name
//! is printed quoted the way GNU `ls` does by default on a terminal
//! (`--quoting-style=shell-escape`): the plain parts in single quotes, the
//! dangerous characters as `$'…'` escapes (`\n`, `\t`, `\r`, octal bytes
//! otherwise). The result is a shell word that names the same file.
//! Every other name, spaces and quotes included, is printed unchanged.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw: control characters (C0,
/// DEL, C1), the bidirectional marks, embeddings, overrides and isolates,
/// and the Unicode line and paragraph separators.
fn dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `name` as it is safe to print: unchanged when it holds no dangerous
/// character, else shell-escape quoted (`'new'$'\n''line'`). Applying it
/// twice gives the same text as once (the quoted form holds no dangerous
/// character), so a name escaped early is not garbled by a later escape.
pub fn shown(name: &str) -> Cow<'_, str> {
    if !name.chars().any(dangerous) {
        return Cow::Borrowed(name);
    }
    #[derive(PartialEq)]
    enum Open {
        None,
        /// Inside `'…'`.
        Quote,
        /// Inside `$'…'`.
        Dollar,
    }
    let mut out = String::with_capacity(name.len() + 8);
    let mut open = Open::None;
    for c in name.chars() {
        if dangerous(c) {
            if open == Open::Quote {
                out.push('\'');
            }
            if open != Open::Dollar {
                out.push_str("$'");
                open = Open::Dollar;
            }
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                _ => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(out, "\\{b:03o}");
                    }
                }
            }
        } else {
            if open == Open::Dollar {
                out.push('\'');
            }
            if open != Open::Quote {
                out.push('\'');
                open = Open::Quote;
            }
            if c == '\'' {
                // Close the quote, an escaped quote, open again.
                out.push_str("'\\''");
            } else {
                out.push(c);
            }
        }
    }
    if open != Open::None {
        out.push('\'');
    }
    Cow::Owned(out)
}

/// A configuration file's error as the command line prints it, its path
/// [`shown`].
pub fn config_error(e: &crate::host::config::ConfigError) -> String {
    let path = e.path.to_string_lossy();
    let path = shown(&path);
    match e.line {
        Some(l) => format!("{path}:{l}: {}", e.message),
        None => format!("{path}: {}", e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_unchanged() {
        for name in [
            "Dockerfile",
            "dir/api.Dockerfile",
            "with space/it's.Dockerfile",
            "/abs/ünïcödé/Dockerfile",
            "<stdin>",
            "",
        ] {
            assert!(
                matches!(shown(name), Cow::Borrowed(n) if n == name),
                "{name}"
            );
        }
    }

    #[test]
    fn dangerous_characters_are_escaped_like_gnu_ls() {
        assert_eq!(shown("new\nline"), "'new'$'\\n''line'");
        assert_eq!(shown("bad\x1b[31m"), "'bad'$'\\033''[31m'");
        assert_eq!(shown("\x1b]0;t\x07"), "$'\\033'']0;t'$'\\007'");
        assert_eq!(shown("a\r\n\tb"), "'a'$'\\r\\n\\t''b'");
        assert_eq!(shown("it's\n"), "'it'\\''s'$'\\n'");
        // C1 controls and bidirectional overrides, as UTF-8 bytes.
        assert_eq!(shown("x\u{9b}"), "'x'$'\\302\\233'");
        assert_eq!(shown("a\u{202e}b"), "'a'$'\\342\\200\\256''b'");
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        for name in ["new\nline", "bad\x1b[31m", "it's\n", "plain"] {
            let once = shown(name).into_owned();
            assert_eq!(shown(&once), once);
        }
    }
}
