//! Hover: variables (declaration and value at that point), stage names
//! and references (a summary of the stage), image names (split into
//! registry, repository, tag and digest), flags and `--mount` keys,
//! instruction keywords, and rule codes written in a pragma
//! (`# hadolint ignore=DL3008`, `# berth global ignore=...`,
//! `# check=skip=StageNameCasing`).
//!
//! When ranges overlap the innermost meaning wins: variable, then stage
//! reference or image, then flag, then keyword.

use std::collections::HashMap;
use std::fmt::Write;

use super::docs;
use super::Analysis;
use crate::model::catalog::{self, ImageFacts, Libc, Os};
use crate::model::{
    closest, expand, is_predefined, vars_visible, Base, ImageRef, Instruction, Model, RefKind,
    Resolution, VarDecl, VarKind, PREDEFINED_ARGS,
};
use crate::rules::{self, pragmas, Default, PragmaKind};
use crate::text::{PositionEncoding, TextRange, TextSize};

/// Markdown to show, and the range it is about (the code under the cursor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub markdown: String,
    pub range: TextRange,
}

fn is_sc_code(code: &str) -> bool {
    code.len() > 2
        && code[..2].eq_ignore_ascii_case("SC")
        && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The markdown for `code` as written in a pragma of `kind`.
pub fn code_docs(code: &str, kind: PragmaKind) -> String {
    if kind == PragmaKind::CheckSkip && code.eq_ignore_ascii_case("all") {
        return "**all**: every BuildKit build check is skipped in this file.".to_string();
    }
    if let Some(rule) = rules::find(code) {
        let m = rule.meta;
        let mut out = format!("**{}**: {}\n\n", m.code, m.summary);
        let mut facts = vec![
            format!("severity: {}", m.severity.as_str()),
            format!("category: {}", m.category.as_str()),
        ];
        if !m.aliases.is_empty() {
            facts.insert(0, format!("also: {}", m.aliases.join(", ")));
        }
        if m.default == Default::EditorOnly {
            facts.push("off in `berth check` unless enabled".to_string());
        }
        out.push_str(&format!("*{}*\n\n---\n\n", facts.join(" · ")));
        out.push_str(m.docs.trim());
        out.push('\n');
        return out;
    }
    if let Some(check) = rules::BUILDKIT_CHECKS
        .iter()
        .find(|c| c.eq_ignore_ascii_case(code))
    {
        return format!(
            "**{check}**: a BuildKit build check (`docker build` reports it); \
             berth has no rule of this name yet."
        );
    }
    if is_sc_code(code) {
        let code = code.to_ascii_uppercase();
        return format!(
            "**{code}**: a ShellCheck check on the scripts of RUN instructions \
             (reported when `shellcheck` is installed).\n\n\
             See [{code}](https://www.shellcheck.net/wiki/{code}) in the ShellCheck wiki."
        );
    }
    let names = rules::all()
        .iter()
        .flat_map(|r| std::iter::once(r.meta.code).chain(r.meta.aliases.iter().copied()));
    match closest(code, names) {
        Some(near) => format!("No rule has the code `{code}`. Did you mean `{near}`?"),
        None => format!("No rule has the code `{code}` (`berth rules` lists them)."),
    }
}

fn pragma_hover(m: &Model, text: &str, offset: TextSize) -> Option<HoverResult> {
    pragmas(m, text)
        .into_iter()
        .filter(|p| p.range.touches(offset))
        .find_map(|p| {
            p.codes
                .iter()
                .find(|(_, r)| r.touches(offset))
                .map(|(code, range)| HoverResult {
                    markdown: code_docs(code, p.kind),
                    range: *range,
                })
        })
}

impl Analysis {
    /// 1-based line of `offset`, for display in hover text.
    pub(super) fn line_of(&self, offset: TextSize) -> u32 {
        self.line_index()
            .line_col(offset, PositionEncoding::Utf8)
            .line
            + 1
    }
}

pub(super) fn hover(a: &Analysis, offset: TextSize) -> Option<HoverResult> {
    let m = a.model();
    let text = a.text();
    if offset as usize > text.len() {
        return None;
    }
    if let Some(h) = pragma_hover(m, text, offset) {
        return Some(h);
    }
    variable_hover(a, offset)
        .or_else(|| stage_hover(a, offset))
        .or_else(|| {
            let ins = m.instruction_at(offset)?;
            instruction_hover(a, ins, offset)
                .or_else(|| instruction_hover(a, ins.onbuild.as_deref()?, offset))
        })
}

// ---------------------------------------------------------------- variables

/// The value a declaration gives its name: its own default, or for a stage
/// ARG without one, the default of the global ARG it redeclares.
fn decl_value(m: &Model, d: &VarDecl) -> Option<String> {
    if let Some(v) = &d.value {
        return Some(v.clone());
    }
    if d.kind == VarKind::Arg && d.stage.is_some() {
        let first_from = m.stages.first().map_or(usize::MAX, |s| s.from);
        return m
            .global_args()
            .filter(|g| g.name == d.name && g.instruction < first_from)
            .last()
            .and_then(|g| g.value.clone());
    }
    None
}

/// The lookup BuildKit would use at instruction `at`: each visible name
/// with its value (`Some(None)`: declared, value unknown).
fn scope(m: &Model, at: usize) -> HashMap<String, Option<String>> {
    vars_visible(m, at)
        .into_iter()
        .map(|d| (m.decls[d].name.clone(), decl_value(m, &m.decls[d])))
        .collect()
}

fn code(s: &str) -> String {
    if s.is_empty() {
        return "empty".to_string();
    }
    let ticks = if s.contains('`') { "``" } else { "`" };
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

fn modifier_meaning(modifier: &str, word: &str) -> String {
    let w = code(word);
    match modifier {
        ":-" => format!("the value if set and not empty, otherwise {w}"),
        "-" => format!("the value if set (even empty), otherwise {w}"),
        ":+" => format!("{w} if the variable is set and not empty, otherwise empty"),
        "+" => format!("{w} if the variable is set, otherwise empty"),
        ":?" => format!("the value if set and not empty, otherwise the build fails with {w}"),
        "?" => format!("the value if set, otherwise the build fails with {w}"),
        "#" => format!("the value without its shortest prefix matching {w}"),
        "##" => format!("the value without its longest prefix matching {w}"),
        "%" => format!("the value without its shortest suffix matching {w}"),
        "%%" => format!("the value without its longest suffix matching {w}"),
        "/" => format!("the value with the first match of the pattern in {w} replaced"),
        "//" => format!("the value with every match of the pattern in {w} replaced"),
        _ => format!("modifier `{modifier}`"),
    }
}

fn kind_name(k: VarKind) -> &'static str {
    match k {
        VarKind::Arg => "ARG",
        VarKind::Env => "ENV",
    }
}

/// Where a declaration is, for display: `global ARG, line 2`.
fn decl_place(a: &Analysis, d: &VarDecl) -> String {
    let m = a.model();
    let line = a.line_of(d.name_range.start);
    match d.stage {
        None => format!("global {}, line {line}", kind_name(d.kind)),
        Some(s) => format!(
            "{} in stage `{}`, line {line}",
            kind_name(d.kind),
            m.stages[s].display_name()
        ),
    }
}

fn predefined_doc(name: &str) -> Option<&'static str> {
    PREDEFINED_ARGS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| *d)
}

/// The markdown describing variable `name` as seen from instruction `at`
/// (its declaration `decl`, if any), without any modifier.
pub(super) fn variable_markdown(a: &Analysis, name: &str, decl: Option<usize>) -> String {
    let m = a.model();
    let mut out = format!("**`{name}`**");
    match decl.map(|d| &m.decls[d]) {
        Some(d) => {
            let _ = write!(out, " · {}", decl_place(a, d));
            out.push_str("\n\n");
            match (&d.value, decl_value(m, d)) {
                (Some(v), _) => {
                    let _ = writeln!(out, "Declared value: {}", code(v));
                }
                (None, Some(v)) => {
                    let _ = writeln!(
                        out,
                        "Declared without a value: it takes the global default {}",
                        code(&v)
                    );
                }
                (None, None) if d.kind == VarKind::Arg && is_predefined(name) => {}
                (None, None) => {
                    let _ = writeln!(
                        out,
                        "No default: set with `--build-arg {name}=...`, empty otherwise"
                    );
                }
            }
        }
        None if is_predefined(name) => out.push('\n'),
        None => {
            out.push_str("\n\nNot declared by an `ARG` or `ENV` visible here");
            if m.uses
                .iter()
                .any(|u| u.name == name && u.context == crate::model::UseContext::Shell)
            {
                out.push_str(" (in a shell command it may come from the base image's environment)");
            }
            out.push('\n');
        }
    }
    if let Some(doc) = predefined_doc(name) {
        let _ = writeln!(
            out,
            "\nPredefined by BuildKit: {doc}. Its value is set for each build{}.",
            if crate::model::is_platform_arg(name) && decl.is_none() {
                " (inside a stage, declare `ARG ".to_string() + name + "` to use it)"
            } else {
                String::new()
            }
        );
    }
    if let Some(d) = decl.map(|d| &m.decls[d]) {
        // The value is expanded with what is visible where it is declared.
        let env = scope(m, d.instruction);
        let lookup = |n: &str| env.get(n).cloned();
        let here = decl_value(m, d).and_then(|v| expand(&v, m.escape, &lookup, 0));
        match here {
            Some(v) => {
                let _ = writeln!(out, "\nValue here: {}", code(&v));
            }
            None if is_predefined(name) => {
                out.push_str("\nValue here: set by BuildKit for each build\n")
            }
            None => out.push_str("\nValue here: not known before the build (a build argument)\n"),
        }
    }
    out
}

fn variable_hover(a: &Analysis, offset: TextSize) -> Option<HoverResult> {
    let m = a.model();
    let text = a.text();
    // The innermost reference (`${A:-$B}` on `$B` is about B).
    if let Some(u) = m
        .uses
        .iter()
        .filter(|u| u.range.touches(offset))
        .min_by_key(|u| (u.range.len(), std::cmp::Reverse(u.range.start)))
    {
        let mut md = variable_markdown(a, &u.name, u.decl);
        if let Some(modifier) = u.modifier.as_deref() {
            let word_start = (u.name_range.end as usize + modifier.len()).min(text.len());
            let word_end = (u.range.end as usize).saturating_sub(1).max(word_start);
            let word = text.get(word_start..word_end).unwrap_or("");
            let written = u.range.slice(text);
            let env = scope(m, u.instruction);
            let lookup = |n: &str| env.get(n).cloned();
            let _ = write!(md, "\n`{written}`: {}", modifier_meaning(modifier, word));
            let set = env
                .get(&u.name)
                .cloned()
                .flatten()
                .and_then(|v| expand(&v, m.escape, &lookup, 0));
            let result = match modifier {
                ":?" | "?" => match &set {
                    Some(v) if !v.is_empty() || modifier == "?" => Some(v.clone()),
                    Some(_) => Some(format!("the build fails: {word}")),
                    None if !env.contains_key(&u.name) => Some(format!("the build fails: {word}")),
                    None => None,
                },
                _ => expand(written, m.escape, &lookup, 0),
            };
            match result {
                Some(r) if r.starts_with("the build fails") => {
                    let _ = writeln!(md, "\n\nHere: {r}");
                }
                Some(r) => {
                    let _ = writeln!(md, "\n\nHere it yields {}", code(&r));
                }
                None => md.push_str("\n\nHere it depends on build arguments\n"),
            }
        }
        return Some(HoverResult {
            markdown: md,
            range: u.range,
        });
    }
    // A declaration's name.
    let (i, d) = m
        .decls
        .iter()
        .enumerate()
        .find(|(_, d)| d.name_range.touches(offset))?;
    Some(HoverResult {
        markdown: variable_markdown(a, &d.name, Some(i)),
        range: d.name_range,
    })
}

// ------------------------------------------------------------------- stages

fn ref_kind(k: RefKind) -> &'static str {
    match k {
        RefKind::From => "FROM",
        RefKind::CopyFrom => "COPY --from",
        RefKind::MountFrom => "RUN --mount from=",
    }
}

/// A summary of stage `s`: base, what it copies from, who uses it, whether
/// the target needs it.
pub fn stage_summary(a: &Analysis, s: usize) -> String {
    let m = a.model();
    let st = &m.stages[s];
    let mut out = format!(
        "**stage `{}`** · stage {} · line {}\n\n",
        st.display_name(),
        st.index,
        a.line_of(st.range.start)
    );
    let base = match &st.base {
        Base::Scratch => "`scratch` (an empty filesystem)".to_string(),
        Base::Stage(b) => format!("built on stage `{}`", m.stages[*b].display_name()),
        Base::Image(_) if st.base_text != st.base_expanded => format!(
            "image {} ({} with the ARG defaults)",
            code(&st.base_text),
            code(&st.base_expanded)
        ),
        Base::Image(_) => format!("image {}", code(&st.base_text)),
        Base::Variable => format!(
            "image {} (depends on build arguments without defaults)",
            code(&st.base_text)
        ),
        Base::Missing => "missing (`FROM` names no image)".to_string(),
    };
    let _ = writeln!(out, "- base: {base}");
    let sources: Vec<String> = m
        .refs
        .iter()
        .filter(|r| r.stage == s && r.kind != RefKind::From)
        .map(|r| {
            let what = match r.target_stage() {
                Some(t) => format!("stage `{}`", m.stages[t].display_name()),
                None => format!("image {}", code(&r.text)),
            };
            format!(
                "{what} ({}, line {})",
                ref_kind(r.kind),
                a.line_of(r.range.start)
            )
        })
        .collect();
    if !sources.is_empty() {
        let _ = writeln!(out, "- copies from: {}", sources.join("; "));
    }
    let users: Vec<String> = m
        .refs
        .iter()
        .filter(|r| r.stage != s && r.target_stage() == Some(s))
        .map(|r| {
            format!(
                "`{}` ({}, line {})",
                m.stages[r.stage].display_name(),
                ref_kind(r.kind),
                a.line_of(r.range.start)
            )
        })
        .collect();
    if users.is_empty() {
        out.push_str("- used by no other stage\n");
    } else {
        let _ = writeln!(out, "- used by: {}", users.join("; "));
    }
    if let Some(t) = m.target {
        let target = m.stages[t].display_name();
        if t == s {
            out.push_str("- the final image: this is the stage that is built\n");
        } else if m.reachable.get(s).copied().unwrap_or(false) {
            let _ = writeln!(out, "- built: the target `{target}` needs it");
        } else {
            let _ = writeln!(
                out,
                "- not built: the target `{target}` does not need it (BuildKit skips it)"
            );
        }
    }
    out
}

/// Registry, repository, tag and digest of an image reference, Docker
/// Hub's defaults made explicit.
pub fn image_markdown(written: &str, expanded: &str) -> String {
    let r = ImageRef::parse(expanded);
    let mut out = format!("**image** {}", code(written));
    if written != expanded {
        let _ = write!(out, " = {} with the ARG defaults", code(expanded));
    }
    out.push_str("\n\n| part | value |\n|---|---|\n");
    let hub = r.registry.as_deref().is_none_or(|h| h == "docker.io");
    match r.registry.as_deref() {
        Some(h) => {
            let _ = writeln!(out, "| registry | `{h}` |");
        }
        None => out.push_str("| registry | `docker.io` (Docker Hub, implied) |\n"),
    }
    if hub && !r.repository.contains('/') {
        let _ = writeln!(
            out,
            "| repository | `library/{}` (an official image, written without `library/`) |",
            r.repository
        );
    } else {
        let _ = writeln!(out, "| repository | `{}` |", r.repository);
    }
    match (&r.tag, &r.digest) {
        (Some(t), _) => {
            let _ = writeln!(out, "| tag | `{t}` |");
        }
        (None, Some(_)) => out.push_str("| tag | none: the digest pins the image |\n"),
        (None, None) => out.push_str("| tag | `latest` (implied) |\n"),
    }
    if let Some(dg) = &r.digest {
        let _ = writeln!(out, "| digest | `{dg}` |");
        if r.tag.is_some() {
            out.push_str("\nWith both a tag and a digest, the digest decides; the tag is only informative.\n");
        }
    }
    if let Some(f) = catalog::lookup(&r) {
        out.push_str(&image_facts_markdown(f));
    } else if catalog::knows_repository(&r) {
        let _ = write!(
            out,
            "\nberth's catalog has `{}`, but not this tag.\n",
            catalog::catalog_name(&r)
        );
    }
    out
}

/// What the catalog knows of an image family, for hover.
fn image_facts_markdown(f: &ImageFacts) -> String {
    let mut out = String::from("\n**In the image** (berth's catalog)\n\n| | |\n|---|---|\n");
    let os = match f.os {
        Os::Debian => "Debian",
        Os::Ubuntu => "Ubuntu",
        Os::Alpine => "Alpine",
        Os::Wolfi => "Wolfi",
        Os::Busybox => "Busybox",
        Os::Distroless => "distroless",
        Os::Rpm => "Red Hat family",
        Os::Windows => "Windows",
    };
    let release = match f.release {
        "" => String::new(),
        r => format!(" {r}"),
    };
    let libc = match f.libc {
        Libc::Glibc => "glibc",
        Libc::Musl => "musl",
        Libc::None => "none",
    };
    let _ = writeln!(out, "| system | {os}{release}, libc: {libc} |");
    let _ = writeln!(
        out,
        "| shell | {} |",
        match (f.has_shell, f.os) {
            (_, Os::Windows) => "cmd (Windows)",
            (true, _) => "`/bin/sh`",
            (false, _) => "**none**: shell-form RUN/CMD/ENTRYPOINT cannot run",
        }
    );
    if let Some(pm) = f.package_manager {
        let _ = writeln!(out, "| packages | `{pm}` |");
    }
    let _ = writeln!(out, "| user | `{}` |", f.user.unwrap_or("root (not set)"));
    if let Some(w) = f.workdir {
        let _ = writeln!(out, "| workdir | `{w}` |");
    }
    if let Some(e) = f.entrypoint {
        let _ = writeln!(out, "| entrypoint | `{e}` |");
    }
    if let Some(c) = f.cmd {
        let _ = writeln!(out, "| cmd | `{c}` |");
    }
    if !f.exposed.is_empty() {
        let _ = writeln!(out, "| exposes | {} |", f.exposed.join(", "));
    }
    if !f.env.is_empty() {
        let names: Vec<String> = f
            .env
            .iter()
            .take(12)
            .map(|(n, _)| format!("`{n}`"))
            .collect();
        let more = f.env.len().saturating_sub(12);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(out, "| environment | {}{more} |", names.join(", "));
    }
    let _ = writeln!(out, "\nFrom {}.", f.source);
    out
}

fn stage_hover(a: &Analysis, offset: TextSize) -> Option<HoverResult> {
    let m = a.model();
    if let Some(r) = m.refs.iter().find(|r| r.range.touches(offset)) {
        let markdown = match (&r.resolution, r.target_stage()) {
            (_, Some(t)) => {
                let mut md = stage_summary(a, t);
                if r.by_index {
                    let _ = write!(md, "\n`{}` refers to the stage by its index.\n", r.text);
                }
                match r.resolution {
                    Resolution::LaterStage(_) => md.push_str(
                        "\nThis stage is defined later: BuildKit rejects the reference.\n",
                    ),
                    Resolution::SelfRef(_) => md.push_str("\nA stage cannot refer to itself.\n"),
                    _ => {}
                }
                md
            }
            (Resolution::Image, None) => image_markdown(&r.text, &r.text),
            (Resolution::IndexOutOfRange(_), None) => {
                format!("No stage has index `{}`.", r.text)
            }
            _ => format!(
                "{}: a reference with variables, which BuildKit does not expand here.",
                code(&r.text)
            ),
        };
        return Some(HoverResult {
            markdown,
            range: r.range,
        });
    }
    for st in &m.stages {
        if st.name_range.is_some_and(|r| r.touches(offset)) {
            return Some(HoverResult {
                markdown: stage_summary(a, st.index),
                range: st.name_range?,
            });
        }
        if st.base_range.touches(offset) && !st.base_range.is_empty() {
            let markdown = match &st.base {
                Base::Image(_) => image_markdown(&st.base_text, &st.base_expanded),
                Base::Scratch => {
                    "**`scratch`**: the empty image; the stage starts with no files.".to_string()
                }
                _ => return None,
            };
            return Some(HoverResult {
                markdown,
                range: st.base_range,
            });
        }
    }
    None
}

// ------------------------------------------------------- flags and keywords

/// The `key=value` field of a `--mount` value under `offset`: (type of the
/// mount, key, range of the field, whether the cursor is on the value).
pub(super) fn mount_field_at(
    text: &str,
    value_range: TextRange,
    offset: TextSize,
) -> (String, Option<(String, TextRange, bool)>) {
    let value = value_range.slice(text);
    let mut typ = String::from("bind");
    let mut found = None;
    let mut start = value_range.start;
    for field in value.split(',') {
        let range = TextRange::new(start, start + field.len() as TextSize);
        start = range.end + 1;
        let clean = |s: &str| {
            s.trim_matches(|c: char| c.is_whitespace() || c == '\\' || c == '"')
                .to_string()
        };
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (clean(k), Some(clean(v))),
            None => (clean(field), None),
        };
        if key == "type" {
            if let Some(v) = &val {
                typ = v.clone();
            }
        }
        if found.is_none() && range.touches(offset) {
            let on_value = field
                .find('=')
                .is_some_and(|eq| offset > range.start + eq as TextSize);
            found = Some((key, range, on_value));
        }
    }
    (typ, found)
}

fn instruction_hover(a: &Analysis, ins: &Instruction, offset: TextSize) -> Option<HoverResult> {
    let text = a.text();
    if let Some(f) = ins.flags.iter().find(|f| f.word.range.touches(offset)) {
        if f.name == "mount" && ins.kind == Keyword::Run {
            if let Some(vr) = f.value_range.filter(|r| r.touches(offset)) {
                let (typ, field) = mount_field_at(text, vr, offset);
                if let Some((key, range, on_value)) = field {
                    let doc = if key == "type" && on_value {
                        docs::mount_type_doc(&typ)
                    } else {
                        docs::mount_key_doc(&typ, &key)
                    };
                    if let Some(doc) = doc {
                        let title = if key == "type" && on_value {
                            format!("**`type={typ}`** mount")
                        } else {
                            format!("**`{key}`** · `{typ}` mount key")
                        };
                        return Some(HoverResult {
                            markdown: format!("{title}\n\n{}", doc.markdown()),
                            range,
                        });
                    }
                }
            }
        }
        let doc = docs::flag_doc(ins.kind, &f.name)?;
        return Some(HoverResult {
            markdown: format!(
                "**`--{}`** · {} flag\n\n{}",
                f.name,
                ins.kind.name(),
                doc.markdown()
            ),
            range: f.word.range,
        });
    }
    if ins.keyword.range.touches(offset) {
        let doc = docs::keyword_doc(ins.kind)?;
        return Some(HoverResult {
            markdown: format!("**{}**\n\n{}", ins.kind.name(), doc.markdown()),
            range: ins.keyword.range,
        });
    }
    None
}

use crate::syntax::Keyword;

impl Analysis {
    /// The documentation of a completion item offered at `offset`: the
    /// item's own, or (computed now, for `completionItem/resolve`) the
    /// summary of a stage or the declaration and value of a variable.
    pub fn completion_documentation(
        &self,
        offset: TextSize,
        item: &super::CompletionItem,
    ) -> Option<String> {
        use super::CompletionKind;
        if item.documentation.is_some() {
            return item.documentation.clone();
        }
        let m = self.model();
        let at = match m.instruction_at(offset) {
            Some(i) => i.index,
            None => m.instructions.partition_point(|i| i.range.start <= offset),
        };
        match item.kind {
            CompletionKind::Stage => {
                let current = m
                    .instructions
                    .get(at)
                    .and_then(|i| i.stage)
                    .unwrap_or(m.stages.len());
                let s = match item.label.parse::<usize>() {
                    Ok(i) => m.stages.get(i)?.index,
                    Err(_) => {
                        m.stages_named(&item.label)
                            .filter(|s| s.index < current)
                            .last()
                            .or_else(|| m.stages_named(&item.label).next())?
                            .index
                    }
                };
                Some(stage_summary(self, s))
            }
            CompletionKind::Variable => {
                let decl = vars_visible(m, at)
                    .into_iter()
                    .find(|&d| m.decls[d].name == item.label);
                if decl.is_none() && !is_predefined(&item.label) {
                    return None;
                }
                Some(variable_markdown(self, &item.label, decl))
            }
            _ => None,
        }
    }
}
