//! A stage reference that names no stage and will be pulled as an image.

use crate::model::{closest, Base, ImageRef, RefKind, Resolution};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::text::TextEdit;

pub static META: RuleMeta = RuleMeta {
    code: "UndefinedStage",
    aliases: &["DL3022"],
    summary: "A `--from` or `FROM` name that is no stage (BuildKit pulls it as an image)",
    docs: "## What\nA `COPY --from=NAME`, `RUN --mount=from=NAME` or `FROM NAME` where NAME is \
no stage of this Dockerfile, but is close to one (a typo), or is a bare word that only makes \
sense as a stage.\n\n\
## Why\nBuildKit does not fail: it treats an unknown name as an image and tries to pull it \
from Docker Hub, so a typo turns into a confusing registry error, or worse, silently copies \
from a public image. `FROM` matches stage names exactly as written (`FROM Build` is not the \
stage `build`, and BuildKit refuses it as an image name: InvalidBaseImageReference reports \
it), while `--from` ignores case.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS builder\nRUN go build -o /app .\n\
FROM scratch\nCOPY --from=buidler /app /app\n```\n\n\
## Fix\nUse the stage's name (`--from=builder`). Image references such as `nginx:1.27` or \
`ghcr.io/org/tool` are not reported.",
    severity: Severity::Warning,
    category: Category::Stages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let names: Vec<&str> = m.stages.iter().filter_map(|s| s.name.as_deref()).collect();
    for r in &m.refs {
        if r.resolution != Resolution::Image || r.kind == RefKind::From {
            continue;
        }
        if ImageRef::is_qualified(&r.text) || r.text.eq_ignore_ascii_case("scratch") {
            continue;
        }
        // Only stages defined before the referring stage make sense.
        let earlier: Vec<&str> = m.stages[..r.stage]
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect();
        let what = match r.kind {
            RefKind::CopyFrom => "--from",
            _ => "from=",
        };
        match closest(
            &r.text,
            earlier.iter().copied().chain(names.iter().copied()),
        ) {
            Some(near) => {
                let stage = m.stages_named(near).next().expect("named stage exists");
                acc.push(
                    &META,
                    r.range,
                    format!(
                        "`{}` is not a stage: BuildKit will pull it as the image docker.io/library/{}; did you mean `{near}`?",
                        r.text, r.text
                    ),
                )
                .related(stage.name_range.unwrap_or(stage.base_range), format!("stage `{near}` is defined here"))
                .fix(format!("Change to `{near}`"), Safety::Unsafe, vec![TextEdit::replace(r.range, near)]);
            }
            None => {
                let d = acc.push(
                    &META,
                    r.range,
                    format!(
                        "`{}` is not a stage of this Dockerfile: BuildKit will pull it as the image docker.io/library/{}",
                        r.text, r.text
                    ),
                );
                d.severity = Severity::Info;
                let _ = what;
            }
        }
    }
    // FROM <name>: a near miss of an earlier stage name (case or typo).
    for s in &m.stages {
        let Base::Image(_) = &s.base else { continue };
        // A name BuildKit refuses (`FROM Builder`) is InvalidBaseImageReference's,
        // which names the stage too.
        if super::invalid_base_image_reference::refused(s) {
            continue;
        }
        let text = &s.base_expanded;
        if ImageRef::is_qualified(text) {
            continue;
        }
        let earlier = m.stages[..s.index].iter().filter_map(|e| e.name.as_deref());
        let Some(near) = closest(text, earlier) else {
            continue;
        };
        let stage = m.stages[..s.index]
            .iter()
            .rev()
            .find(|e| e.name.as_deref() == Some(near))
            .expect("named stage exists");
        // A name differing from a stage's only in case has upper case:
        // BuildKit refuses it as a reference (see above), so this is a typo.
        let why = format!("`{text}` is not a stage: BuildKit will pull it as an image; did you mean the stage `{near}`?");
        let d = acc.push(&META, s.base_range, why).related(
            stage.name_range.unwrap_or(stage.base_range),
            format!("stage `{near}` is defined here"),
        );
        if s.base_text == s.base_expanded {
            d.fix(
                format!("Change to `{near}`"),
                Safety::Unsafe,
                vec![TextEdit::replace(s.base_range, near)],
            );
        }
    }
}
