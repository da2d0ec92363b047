//! ARG and ENV: declarations, uses, and BuildKit's scoping rules.
//!
//! - ARGs before the first FROM are global. They are visible in FROM lines
//!   (image and `--platform`) and inside a stage only after `ARG NAME`
//!   redeclares them.
//! - Inside a stage, an ARG or ENV is visible to the instructions after it.
//! - A stage built `FROM <stage>` inherits that stage's ENV and ARG values
//!   (BuildKit appends the base's build args).
//! - BuildKit predefines the platform ARGs (visible in FROM lines without a
//!   declaration, inside a stage after `ARG TARGETPLATFORM`) and the proxy
//!   ARGs (visible to RUN without a declaration).

use foldhash::HashMap;

use crate::syntax::{words, Joined, Keyword, Span, Word};

use super::{Base, Form, Model, UseContext, VarDecl, VarKind, VarUse};

/// ARGs BuildKit defines without a declaration.
pub const PREDEFINED_ARGS: &[(&str, &str)] = &[
    (
        "TARGETPLATFORM",
        "platform of the build result, e.g. linux/amd64",
    ),
    ("TARGETOS", "OS component of TARGETPLATFORM"),
    ("TARGETARCH", "architecture component of TARGETPLATFORM"),
    ("TARGETVARIANT", "variant component of TARGETPLATFORM"),
    ("BUILDPLATFORM", "platform of the node performing the build"),
    ("BUILDOS", "OS component of BUILDPLATFORM"),
    ("BUILDARCH", "architecture component of BUILDPLATFORM"),
    ("BUILDVARIANT", "variant component of BUILDPLATFORM"),
    ("TARGETSTAGE", "name of the stage being built"),
    ("HTTP_PROXY", "proxy setting passed with --build-arg"),
    ("http_proxy", "proxy setting passed with --build-arg"),
    ("HTTPS_PROXY", "proxy setting passed with --build-arg"),
    ("https_proxy", "proxy setting passed with --build-arg"),
    ("FTP_PROXY", "proxy setting passed with --build-arg"),
    ("ftp_proxy", "proxy setting passed with --build-arg"),
    ("NO_PROXY", "proxy setting passed with --build-arg"),
    ("no_proxy", "proxy setting passed with --build-arg"),
    ("ALL_PROXY", "proxy setting passed with --build-arg"),
    ("all_proxy", "proxy setting passed with --build-arg"),
];

/// Platform ARGs, usable in FROM lines without a declaration.
pub fn is_platform_arg(name: &str) -> bool {
    PREDEFINED_ARGS[..9].iter().any(|(n, _)| *n == name)
}

pub fn is_predefined(name: &str) -> bool {
    PREDEFINED_ARGS.iter().any(|(n, _)| *n == name)
}

/// The joined-text span covered by `words`.
fn span_of(words: &[Word]) -> Option<Span> {
    Some((
        words.first()?.joined.0 as usize,
        words.last()?.joined.1 as usize,
    ))
}

fn flag_value_span(w: &Word) -> Option<Span> {
    let eq = w.raw.find('=')?;
    Some((w.joined.0 as usize + eq + 1, w.joined.1 as usize))
}

/// Collect the declarations and uses of instruction `i`.
pub(super) fn collect(m: &mut Model, i: usize, j: &Joined) {
    let esc = m.escape;
    let ins = &m.instructions[i];
    let stage = ins.stage;
    let mut decls = Vec::new();
    let mut spans: Vec<(Span, UseContext)> = Vec::new();
    let declare =
        |decls: &mut Vec<VarDecl>, kind, w: &Word, values: &mut Vec<(Span, UseContext)>| {
            let (start, end) = (w.joined.0 as usize, w.joined.1 as usize);
            let eq = w.raw.find('=');
            let name_end = eq.map_or(end, |e| start + e);
            let name = j.text[start..name_end]
                .trim_matches(['"', '\''])
                .to_string();
            if name.is_empty() {
                return;
            }
            let value = eq.map(|_| w.value.split_once('=').map_or("", |x| x.1).to_string());
            let value_span = eq.map(|e| (start + e + 1, end));
            if let Some(vs) = value_span {
                values.push((vs, UseContext::Instruction));
            }
            decls.push(VarDecl {
                kind,
                name,
                name_range: j.src_range(start, name_end),
                value: value.map(|v| unquote(&v)),
                value_range: value_span.map(|(a, b)| j.src_range(a, b)),
                instruction: i,
                stage,
            });
        };
    match ins.kind {
        Keyword::From => {
            if let Some(w) = ins.args.first() {
                spans.push(((w.joined.0 as usize, w.joined.1 as usize), UseContext::From));
            }
            if let Some(f) = ins.flag("platform") {
                if let Some(s) = flag_value_span(&f.word) {
                    spans.push((s, UseContext::From));
                }
            }
        }
        Keyword::Arg => {
            for w in &ins.args {
                declare(&mut decls, VarKind::Arg, w, &mut spans);
            }
        }
        Keyword::Env => {
            let legacy = ins.args.first().is_some_and(|w| !w.value.contains('='));
            if legacy {
                if let Some(span) = span_of(&ins.args) {
                    let text = &j.text[span.0..span.1];
                    let name_len = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
                    let rest = text[name_len..].trim_start();
                    let value_start = span.1 - rest.len();
                    decls.push(VarDecl {
                        kind: VarKind::Env,
                        name: text[..name_len].to_string(),
                        name_range: j.src_range(span.0, span.0 + name_len),
                        value: Some(unquote(rest)),
                        value_range: Some(j.src_range(value_start, span.1)),
                        instruction: i,
                        stage,
                    });
                    spans.push(((value_start, span.1), UseContext::Instruction));
                }
            } else {
                for w in &ins.args {
                    declare(&mut decls, VarKind::Env, w, &mut spans);
                }
            }
        }
        Keyword::Label
        | Keyword::Copy
        | Keyword::Add
        | Keyword::Expose
        | Keyword::Stopsignal
        | Keyword::User
        | Keyword::Volume
        | Keyword::Workdir => {
            // COPY/ADD heredoc sources are not arguments to expand.
            if let Some(s) = span_of(&ins.args) {
                spans.push((s, UseContext::Instruction));
            }
        }
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint if ins.form == Form::Shell => {
            if let Some(s) = span_of(&ins.args) {
                spans.push((s, UseContext::Shell));
            }
        }
        Keyword::Healthcheck if ins.form == Form::Shell => {
            if let Some(s) = span_of(ins.args.get(1..).unwrap_or(&[])) {
                spans.push((s, UseContext::Shell));
            }
        }
        _ => {}
    }
    if !matches!(ins.kind, Keyword::From | Keyword::Onbuild) {
        for f in &ins.flags {
            if matches!(f.name.as_str(), "chown" | "chmod" | "mount" | "checksum") {
                if let Some(s) = flag_value_span(&f.word) {
                    spans.push((s, UseContext::Instruction));
                }
            }
        }
    }
    let mut uses = Vec::new();
    let mut too_deep = None;
    for (span, context) in spans {
        let scan = words::scan_vars_checked(j, span, esc);
        too_deep = too_deep.or(scan.too_deep);
        for v in scan.refs {
            uses.push(VarUse {
                name: v.name,
                name_range: v.name_range,
                range: v.range,
                modifier: v.modifier,
                instruction: i,
                stage,
                context,
                decl: None,
            });
        }
    }
    m.decls.extend(decls);
    m.uses.extend(uses);
    if let Some(range) = too_deep {
        // One note per instruction: where the scan stopped descending.
        m.problems.push(super::Problem {
            code: super::build::NESTING_TOO_DEEP,
            range,
            message: format!(
                "variable references nested deeper than {} levels are not analysed",
                words::MAX_NESTING
            ),
        });
    }
}

fn unquote(v: &str) -> String {
    let t = v.trim();
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

/// Index of declarations by name, in source order.
fn index(m: &Model) -> HashMap<&str, Vec<usize>> {
    let mut map: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, d) in m.decls.iter().enumerate() {
        map.entry(d.name.as_str()).or_default().push(i);
    }
    map
}

/// The declaration of `name` visible to instruction `at` in `stage` (or in
/// a FROM line when `from_line`).
pub fn lookup(
    m: &Model,
    by_name: &HashMap<&str, Vec<usize>>,
    name: &str,
    at: usize,
    stage: Option<usize>,
    from_line: bool,
    use_offset: crate::text::TextSize,
) -> Option<usize> {
    let candidates = by_name.get(name)?;
    // An ARG instruction declares its names in order: `ARG A=1 B=$A` sees A.
    // (ENV expands every value with the environment before the instruction.)
    let visible = |d: &VarDecl, bound: usize| {
        d.instruction < bound
            || (d.instruction == at
                && bound == at
                && d.kind == VarKind::Arg
                && d.name_range.end <= use_offset)
    };
    let before = |bound: usize, st: Option<usize>| {
        candidates
            .iter()
            .rev()
            .copied()
            .find(|&d| m.decls[d].stage == st && visible(&m.decls[d], bound))
    };
    if from_line || stage.is_none() {
        return before(at, None);
    }
    let mut st = stage?;
    let mut bound = at;
    for _ in 0..=m.stages.len() {
        if let Some(d) = before(bound, Some(st)) {
            return Some(d);
        }
        match m.stages.get(st)?.base {
            Base::Stage(b) if b < st => {
                st = b;
                bound = usize::MAX;
            }
            _ => return None,
        }
    }
    None
}

pub(super) fn resolve(m: &mut Model) {
    let by_name = index(m);
    let resolved: Vec<Option<usize>> = m
        .uses
        .iter()
        .map(|u| {
            lookup(
                m,
                &by_name,
                &u.name,
                u.instruction,
                u.stage,
                u.context == UseContext::From,
                u.name_range.start,
            )
        })
        .collect();
    for (u, d) in m.uses.iter_mut().zip(resolved) {
        u.decl = d;
    }
}

/// Expand `text` as BuildKit expands a FROM line: global ARG defaults
/// declared before instruction `before`. `None` when a variable has no
/// known value.
pub(super) fn expand_global(m: &Model, text: &str, before: usize) -> Option<String> {
    if !text.contains('$') {
        return expand(text, m.escape, &|_| None, 0);
    }
    // Global ARGs come before the first FROM: a prefix of the
    // declarations. Indexed by name on the first lookup, so a FROM line
    // with many references costs one pass over them, not one per
    // reference (and never a pass over the stages' declarations).
    let globals = &m.decls[..m.decls.partition_point(|d| d.stage.is_none())];
    let index: std::cell::OnceCell<HashMap<&str, &VarDecl>> = std::cell::OnceCell::new();
    let lookup = |name: &str| {
        let index = index.get_or_init(|| {
            let mut map = HashMap::default();
            for d in globals.iter().filter(|d| d.instruction < before) {
                map.insert(d.name.as_str(), d);
            }
            map
        });
        index.get(name).map(|d| d.value.clone())
    };
    expand(text, m.escape, &lookup, 0)
}

/// What an ARG without a value (or no declaration) expands to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unset {
    /// Not knowable (it may come from `--build-arg`): the result is `None`.
    Unknown,
    /// The empty string, as BuildKit expands it with the defaults alone.
    Empty,
}

/// Expand variables in `text` with quote and escape processing. `lookup`
/// answers `None` for an undeclared name and `Some(None)` for a declared
/// name without a value. Returns `None` when the result is not knowable.
pub fn expand(
    text: &str,
    escape: u8,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
    depth: usize,
) -> Option<String> {
    expand_with(text, escape, lookup, Unset::Unknown, depth)
}

/// How many references one expansion may expand, values of values
/// included, before it gives up (`None`, not knowable): eight levels of
/// values that each name another variable many times would otherwise
/// expand exponentially many references ("billion laughs").
const EXPAND_REFERENCES: usize = 10_000;

/// The longest result an expansion builds before it gives up.
const EXPAND_BYTES: usize = 1 << 20;

/// [`expand`] with a choice of what unset variables become.
pub fn expand_with(
    text: &str,
    escape: u8,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
    unset: Unset,
    depth: usize,
) -> Option<String> {
    let budget = std::cell::Cell::new(EXPAND_REFERENCES);
    expand_within(text, escape, lookup, unset, depth, &budget)
}

/// [`expand_with`], spending `budget` (references left to expand). The
/// recursion into values and modifier words is at most 8 levels deep.
fn expand_within(
    text: &str,
    escape: u8,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
    unset: Unset,
    depth: usize,
    budget: &std::cell::Cell<usize>,
) -> Option<String> {
    if depth > 8 {
        return None;
    }
    if !text.contains('$') && !text.contains(['"', '\'', escape as char]) {
        return Some(text.to_string());
    }
    let j = Joined::new(
        text,
        vec![crate::text::TextRange::new(0, text.len() as u32)],
    );
    let refs = words::scan_vars(&j, (0, text.len()), escape);
    let mut out = String::new();
    let mut pos = 0;
    let b = text.as_bytes();
    // Only top-level references: nested ones sit inside a reference's range.
    let mut top: Vec<&words::VarRef> = Vec::new();
    for r in &refs {
        if top.last().is_none_or(|t| r.range.start >= t.range.end) {
            top.push(r);
        }
    }
    let mut next_ref = top.into_iter().peekable();
    let mut quote: Option<u8> = None;
    while pos < b.len() {
        if let Some(r) = next_ref.peek() {
            if r.range.start as usize == pos && quote != Some(b'\'') {
                budget.set(budget.get().checked_sub(1)?);
                let again = |t: &str| expand_within(t, escape, lookup, unset, depth + 1, budget);
                let declared = lookup(&r.name);
                let is_set = matches!(declared, Some(Some(_)));
                let value = match declared {
                    Some(Some(v)) => again(&v),
                    _ if unset == Unset::Empty => Some(String::new()),
                    _ => None,
                };
                let word = r
                    .word_range
                    .map(|w| w.slice(text).to_string())
                    .unwrap_or_default();
                let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
                let piece = match r.modifier.as_deref() {
                    None => value,
                    Some(":-") if non_empty => value,
                    Some(":-") => again(&word),
                    Some("-") if is_set => value,
                    Some("-") => again(&word),
                    Some(":+") if non_empty => again(&word),
                    Some(":+") => value.map(|_| String::new()),
                    Some("+") if is_set => again(&word),
                    Some("+") => Some(String::new()),
                    _ => None,
                };
                out.push_str(&piece?);
                if out.len() > EXPAND_BYTES {
                    return None;
                }
                pos = r.range.end as usize;
                next_ref.next();
                continue;
            }
        }
        let c = b[pos];
        match (c, quote) {
            (b'\'', None) | (b'"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (e, q) if e == escape && q != Some(b'\'') && pos + 1 < b.len() => {
                pos += 1;
                let ch = text[pos..].chars().next()?;
                out.push(ch);
                pos += ch.len_utf8();
                continue;
            }
            _ => {
                let ch = text[pos..].chars().next()?;
                out.push(ch);
                pos += ch.len_utf8();
                continue;
            }
        }
        pos += 1;
    }
    Some(out)
}

/// Declarations visible to instruction `at` (one per name, the one in
/// scope), for completion.
pub fn vars_visible(m: &Model, at: usize) -> Vec<usize> {
    let ins = m.instructions.get(at);
    let from_line = ins.is_none_or(|i| i.kind == Keyword::From || i.stage.is_none());
    let mut out: Vec<usize> = Vec::new();
    let mut seen: foldhash::HashSet<&str> = foldhash::HashSet::default();
    let mut push = |d: usize, out: &mut Vec<usize>| {
        if seen.insert(m.decls[d].name.as_str()) {
            out.push(d);
        }
    };
    if from_line {
        for d in (0..m.decls.len()).rev() {
            if m.decls[d].stage.is_none() && m.decls[d].instruction < at {
                push(d, &mut out);
            }
        }
        return out;
    }
    let mut st = ins.and_then(|i| i.stage);
    let mut bound = at;
    while let Some(s) = st {
        for d in (0..m.decls.len()).rev() {
            if m.decls[d].stage == Some(s) && m.decls[d].instruction < bound {
                push(d, &mut out);
            }
        }
        st = match m.stages[s].base {
            Base::Stage(b) if b < s => Some(b),
            _ => None,
        };
        bound = usize::MAX;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<Option<String>> {
        match name {
            "V" => Some(Some("1.23".into())),
            "E" => Some(None),
            _ => None,
        }
    }

    #[test]
    fn expansion() {
        assert_eq!(
            expand("golang:${V}", b'\\', &lookup, 0).as_deref(),
            Some("golang:1.23")
        );
        assert_eq!(
            expand("a:${E:-x}", b'\\', &lookup, 0).as_deref(),
            Some("a:x")
        );
        assert_eq!(
            expand("a:${U:-y}", b'\\', &lookup, 0).as_deref(),
            Some("a:y")
        );
        assert_eq!(expand("a:$U", b'\\', &lookup, 0), None);
        assert_eq!(expand("\"q\"", b'\\', &lookup, 0).as_deref(), Some("q"));
    }
}
