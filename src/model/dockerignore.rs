//! `.dockerignore`: which build-context paths the client leaves out.
//!
//! The rules follow Docker's documentation ("dockerignore") and
//! moby/patternmatcher, which BuildKit uses:
//! - one pattern per line; a line whose first character is `#` is a
//!   comment; surrounding white space is trimmed and empty lines skipped;
//! - a leading `!` makes the pattern an exception (re-includes);
//! - patterns are cleaned like Go's `filepath.Clean` (`.`/`..` segments,
//!   doubled and trailing slashes) and a leading `/` is dropped: patterns
//!   are relative to the context root;
//! - Go `filepath.Match` syntax: `*` (no `/`), `?`, `[...]` classes, `\`
//!   escapes; plus `**`, any number of directories (zero included);
//! - a pattern matching a directory matches everything below it;
//! - the last pattern that matches a path decides.

/// One cleaned pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The cleaned pattern, without its `!`.
    pub text: String,
    pub exclusion: bool,
    /// `None` when malformed (an unclosed `[`): it matches nothing.
    toks: Option<Vec<Tok>>,
}

impl Pattern {
    pub fn new(text: &str, exclusion: bool) -> Pattern {
        Pattern {
            text: text.to_string(),
            exclusion,
            toks: compile(text),
        }
    }

    /// Whether the pattern matches the whole of `path`.
    pub fn matches(&self, path: &str) -> bool {
        let Some(toks) = &self.toks else {
            return false;
        };
        let path: Vec<char> = path.chars().collect();
        match_at(toks, &path)
    }

    /// Whether the pattern matches `path` or one of its parent directories.
    pub fn matches_or_parent(&self, path: &str) -> bool {
        self.matches(path)
            || path
                .match_indices('/')
                .any(|(i, _)| self.matches(&path[..i]))
    }
}

/// The patterns of a `.dockerignore` file, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    pub patterns: Vec<Pattern>,
}

impl DockerIgnore {
    /// Read a `.dockerignore` file's text.
    pub fn parse(text: &str) -> DockerIgnore {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut p = line.trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if exclusion {
                p = p[1..].trim();
            }
            let mut cleaned = if p.is_empty() {
                String::new()
            } else {
                clean(p)
            };
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            patterns.push(Pattern::new(&cleaned, exclusion));
        }
        DockerIgnore { patterns }
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether some pattern is an exception (`!pattern`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `path` (relative to the context root, `/`-separated) is
    /// left out of the context: the last pattern matching it or one of its
    /// parent directories decides.
    pub fn excludes(&self, path: &str) -> bool {
        let path = path.trim_start_matches('/');
        if path.is_empty() || path == "." {
            return false;
        }
        let mut matched = false;
        for p in &self.patterns {
            // An exception only matters once excluded, an exclusion only
            // while included.
            if p.exclusion != matched {
                continue;
            }
            if p.matches_or_parent(path) {
                matched = !p.exclusion;
            }
        }
        matched
    }
}

/// Go's `filepath.Clean` on a `/`-separated path.
pub fn clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// One element of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?`: one character but `/`.
    Any,
    /// `*`: any run of characters without `/`.
    Star,
    /// `**/` or inner `**`: any run of whole directories, possibly none.
    Dirs,
    /// `**` at the end: anything.
    Rest,
    /// `[...]`: (negated, ranges).
    Class(bool, Vec<(char, char)>),
}

fn compile(pattern: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                out.push(if i >= chars.len() {
                    Tok::Rest
                } else {
                    Tok::Dirs
                });
            }
            '*' => out.push(Tok::Star),
            '?' => out.push(Tok::Any),
            '\\' => {
                out.push(Tok::Lit(*chars.get(i)?));
                i += 1;
            }
            '[' => {
                let mut negated = false;
                if chars.get(i) == Some(&'^') {
                    negated = true;
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let c = *chars.get(i)?;
                    if c == ']' && !first {
                        i += 1;
                        break;
                    }
                    first = false;
                    let lo = if c == '\\' {
                        i += 1;
                        *chars.get(i)?
                    } else {
                        c
                    };
                    i += 1;
                    let mut hi = lo;
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| c != ']') {
                        hi = chars[i + 1];
                        if hi == '\\' {
                            hi = *chars.get(i + 2)?;
                            i += 1;
                        }
                        i += 2;
                    }
                    ranges.push((lo, hi));
                }
                out.push(Tok::Class(negated, ranges));
            }
            c => out.push(Tok::Lit(c)),
        }
    }
    Some(out)
}

/// Whether `pattern` (dockerignore syntax) matches the whole of `path`.
/// A malformed pattern (an unclosed `[`) matches nothing.
pub fn pattern_match(pattern: &str, path: &str) -> bool {
    Pattern::new(pattern, false).matches(path)
}

/// Whether the tokens match all of `s`. Iterative, over the set of
/// positions of `s` reachable after each token: time is tokens × length
/// and nothing recurses, so a pattern of 50,000 `**/` (which overflowed
/// the stack) or many stars (which backtracked exponentially) costs only
/// its length.
fn match_at(toks: &[Tok], s: &[char]) -> bool {
    let mut reach = vec![false; s.len() + 1];
    reach[0] = true;
    let mut next = vec![false; s.len() + 1];
    for t in toks {
        next.iter_mut().for_each(|r| *r = false);
        match t {
            Tok::Lit(_) | Tok::Any | Tok::Class(..) => {
                for (p, &c) in s.iter().enumerate() {
                    let fits = match t {
                        Tok::Lit(l) => c == *l,
                        Tok::Any => c != '/',
                        Tok::Class(neg, ranges) => {
                            c != '/' && ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *neg
                        }
                        _ => false,
                    };
                    next[p + 1] = reach[p] && fits;
                }
            }
            // Any run of characters other than `/`.
            Tok::Star => {
                let mut active = false;
                for p in 0..=s.len() {
                    active |= reach[p];
                    next[p] = active;
                    if p < s.len() && s[p] == '/' {
                        active = false;
                    }
                }
            }
            // `(.*/)?`: nothing, or up to and including any later `/`.
            Tok::Dirs => {
                let mut active = false;
                for p in 0..=s.len() {
                    next[p] |= reach[p];
                    active |= reach[p];
                    if active && p < s.len() && s[p] == '/' {
                        next[p + 1] = true;
                    }
                }
            }
            Tok::Rest => return reach.iter().any(|&r| r),
        }
        std::mem::swap(&mut reach, &mut next);
        if !reach.iter().any(|&r| r) {
            return false;
        }
    }
    reach[s.len()]
}
