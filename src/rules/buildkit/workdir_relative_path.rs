//! A relative WORKDIR before any absolute one.

use crate::model::{Base, Model};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

pub static META: RuleMeta = RuleMeta {
    code: "WorkdirRelativePath",
    aliases: &["DL3000"],
    summary: "Relative WORKDIR without an earlier WORKDIR in the stage",
    docs: "## What\nThe first `WORKDIR` of a stage (counting the stages it is built `FROM`) is \
a relative path.\n\n\
## Why\nA relative `WORKDIR` is resolved against the working directory the base image \
happens to set. If the image changes it upstream, the files land elsewhere. Once the \
Dockerfile has set a working directory itself, later relative `WORKDIR`s are resolved \
against it and are fine.\n\n\
berth follows BuildKit: only the first `WORKDIR` of a stage chain is checked, and a path \
that starts with a variable is checked only when the variable's value is known. hadolint's \
DL3000 is stricter (an error on every relative `WORKDIR`, wherever it is).\n\n\
## Example\n```dockerfile\nFROM nginx\nWORKDIR usr/share/nginx/html\n```\n\n\
## Fix\nUse an absolute path: `WORKDIR /usr/share/nginx/html`.",
    severity: Severity::Warning,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    // Whether a stage, or a stage it is built FROM, sets a WORKDIR: filled
    // in stage order, each from its base (an earlier stage), so a long
    // chain of stages costs one pass.
    let mut sets_workdir: Vec<bool> = Vec::with_capacity(m.stages.len());
    for st in &m.stages {
        // A WORKDIR in a stage this one is built FROM already set it.
        let inherited = match st.base {
            Base::Stage(b) if b < st.index => sets_workdir[b],
            _ => false,
        };
        let own = m.instructions[st.instructions.clone()]
            .iter()
            .any(|i| i.kind == Keyword::Workdir);
        sets_workdir.push(inherited || own);
        if inherited {
            continue;
        }
        let Some(ins) = m.instructions[st.instructions.clone()]
            .iter()
            .find(|i| i.kind == Keyword::Workdir)
        else {
            continue;
        };
        let Some(w) = ins.args.first() else { continue };
        if w.value.trim_matches(['"', '\'']).is_empty() {
            continue;
        }
        if is_absolute(m, ins.index, w.range.start, &w.value) != Some(false) {
            continue;
        }
        let path = w.value.trim_matches(['"', '\'']);
        let example = path.trim_start_matches("./");
        let hint = if example.starts_with("..") || example.starts_with('$') {
            String::new()
        } else {
            format!(", e.g. `/{example}`")
        };
        let d = acc.push(
            &META,
            w.range,
            format!(
                "relative WORKDIR `{path}` depends on the base image's working directory: use an absolute path{hint}"
            ),
        );
        // This is the stage's first WORKDIR and none is inherited: the
        // base's directory is usually `/`, so `/` + path is usually what
        // the author meant; unsafe, because an image with another WORKDIR
        // (`golang` has /go) resolved it elsewhere. Only a plain word.
        if !hint.is_empty() && w.raw == w.value && !path.starts_with('$') {
            let quote = (w.value.len() - w.value.trim_start_matches(['"', '\'']).len()) as u32;
            let at = w.range.start + quote;
            let dot = if path.starts_with("./") { 2 } else { 0 };
            d.fix(
                format!("Use `/{example}`"),
                Safety::Unsafe,
                vec![TextEdit::replace(TextRange::new(at, at + dot), "/")],
            );
        }
    }
}

/// Whether a WORKDIR path is absolute; `None` when it depends on a value
/// that is not known.
fn is_absolute(m: &Model, ins: usize, start: u32, value: &str) -> Option<bool> {
    let quote = value.len() - value.trim_start_matches(['"', '\'']).len();
    let path = value.trim_matches(['"', '\'']);
    if path.starts_with('$') {
        if value.starts_with('\'') {
            return Some(false); // single quotes: a literal `$`
        }
        // The value of the variable the path starts with.
        let u = m.uses.iter().find(|u| {
            u.instruction == ins && u.range.start == start + quote as u32 && u.modifier.is_none()
        })?;
        let d = m.decls.get(u.decl?)?;
        let v = d.value.as_deref()?;
        if v.is_empty() || v.starts_with('$') {
            return None;
        }
        return Some(abs(v));
    }
    Some(abs(path))
}

fn abs(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with(['/', '\\']) || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}
