//! `name_stage`: "Name this stage".
//!
//! On the FROM line of a stage without a name: add `AS <name>` and rewrite
//! every reference to the stage by index (`COPY --from=0`,
//! `RUN --mount=from=0`) to the name. The name comes from the base: a
//! toolchain image is `build` (`builder` when taken), the last stage of a
//! multi-stage file is `runtime`, another image its last path component
//! (`alpine`, `static-debian12`); a number is appended to make it unique.

use crate::model::fs;
use crate::model::{valid_stage_name, Base, Model};
use crate::text::{TextEdit, TextRange};

use super::{Assist, AssistCtx, AssistKind, SourceChange};

pub fn name_stage(ctx: &AssistCtx, out: &mut Vec<Assist>) {
    let m = ctx.model;
    let at = ctx.range.start;
    // The stage whose FROM line holds the cursor (cheap: FROMs only).
    let Some(st) = m.stages.iter().find(|s| {
        let from = &m.instructions[s.from];
        from.range.start <= at && at <= from.logical_end
    }) else {
        return;
    };
    if st.name.is_some() || st.as_range.is_some() || st.base == Base::Missing {
        return;
    }
    let name = stage_name(m, st.index);
    let from = &m.instructions[st.from];
    let kw = from.keyword.range.slice(ctx.text);
    let as_kw = if kw.chars().all(|c| !c.is_ascii_uppercase()) {
        "as"
    } else {
        "AS"
    };
    let mut edits = vec![TextEdit::insert(
        st.base_range.end,
        format!(" {as_kw} {name}"),
    )];
    for r in &m.refs {
        if r.by_index && r.target_stage() == Some(st.index) {
            edits.push(TextEdit::replace(r.range, name.clone()));
        }
    }
    out.push(Assist {
        id: "name_stage",
        label: format!("Name this stage `{name}`"),
        kind: AssistKind::RefactorRewrite,
        target: TextRange::new(from.range.start, from.logical_end),
        change: SourceChange {
            edits,
            is_snippet: false,
        },
    });
}

fn is_toolchain(base: &Base) -> bool {
    let Base::Image(img) = base else { return false };
    if img.registry.as_deref() == Some("mcr.microsoft.com") {
        return img.repository == "dotnet/sdk";
    }
    let tag = img.tag.as_deref().unwrap_or("");
    matches!(
        fs::official_name(img),
        Some("golang" | "rust" | "maven" | "gradle" | "gcc" | "composer")
    ) || (matches!(
        fs::official_name(img),
        Some("eclipse-temurin" | "openjdk" | "amazoncorretto")
    ) && !tag.contains("jre"))
}

/// A valid, unused stage name for stage `index`.
fn stage_name(m: &Model, index: usize) -> String {
    let st = &m.stages[index];
    let last = index + 1 == m.stages.len() && m.stages.len() > 1;
    let mut candidates: Vec<String> = Vec::new();
    if is_toolchain(&st.base) {
        candidates.extend(["build".into(), "builder".into()]);
    } else if last {
        candidates.push("runtime".into());
    } else {
        let base = match &st.base {
            Base::Image(img) => img.repository.rsplit('/').next().unwrap_or("").to_string(),
            Base::Scratch => "empty".into(),
            Base::Stage(s) => m.stages[*s].display_name(),
            _ => String::new(),
        };
        let clean: String = base
            .to_ascii_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        // A name that is also an image (`alpine`) would shadow it in a
        // later `FROM alpine`: say it is a stage.
        if valid_stage_name(&clean) && clean != "scratch" && clean != "context" {
            candidates.push(format!("{clean}-stage"));
        }
        candidates.push("stage".into());
    }
    let taken = |n: &str| {
        m.stages
            .iter()
            .any(|s| s.name.as_deref() == Some(n) || s.base_text.eq_ignore_ascii_case(n))
    };
    for c in &candidates {
        if !taken(c) {
            return c.clone();
        }
    }
    let stem = candidates
        .first()
        .cloned()
        .unwrap_or_else(|| "stage".into());
    (2..)
        .map(|i| format!("{stem}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}
