//! `USER <name>` in a stage whose base has no such user.

use crate::model::catalog::{self, ImageFacts, Os};
use crate::model::fs::Fs;
use crate::model::{Base, Model};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Safety, Severity};
use crate::syntax::Keyword;
use crate::text::{TextEdit, TextRange};

use super::common;

pub static META: RuleMeta = RuleMeta {
    code: "UnknownUser",
    aliases: &[],
    summary: "USER names a user the base image does not have (scratch, distroless, or another distribution's name)",
    docs: "## What\nA `USER` with a user *name* (not a numeric UID) in a stage built on `scratch` or on \
an image berth's catalog knows, when that image has no user of that name and nothing in the \
stage could have added one (no `RUN`, no `COPY`/`ADD` into `/etc`).\n\n\
## Why\nA name is looked up in the container's `/etc/passwd` when a build step or the container \
starts. `scratch` has no `/etc/passwd` at all, distroless images know only `root`, `nonroot` \
(65532) and `nobody` (65534), and Debian and Alpine name their system users differently \
(`www-data` is uid 33 on Debian and 82 on Alpine; Alpine has no `_apt`). The build step or the \
container then fails with `unable to find user ...: no matching entries in passwd file`. \
A numeric UID needs no `/etc/passwd`.\n\n\
## Example\n```dockerfile\nFROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\
FROM scratch\nCOPY --from=build /out/app /app\nUSER nobody\nENTRYPOINT [\"/app\"]\n```\n\n\
## Fix\nUse the numeric form (`USER 65534`, or `USER 65532:65532` on distroless), or create \
the user in a stage that has a shell and copy `/etc/passwd` and `/etc/group` over.",
    severity: Severity::Warning,
    category: Category::Stages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    // A RUN counts by its place alone (it may have added the user).
    blind_to: &[Keyword::Run],
    local_to: &[],
};

/// Well-known names and the UID they have wherever they exist.
const WELL_KNOWN: &[(&str, u32)] = &[("root", 0), ("nobody", 65534), ("nonroot", 65532)];

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    if !m.instructions.iter().any(|i| i.kind == Keyword::User) {
        return;
    }
    let images = catalog::for_stages(m);
    // Built on scratch, through `FROM <stage>` (from the model alone: the
    // filesystem model is built only when a USER name needs it).
    let mut scratch: Vec<bool> = Vec::with_capacity(m.stages.len());
    for (i, st) in m.stages.iter().enumerate() {
        let s = match st.base {
            Base::Scratch => true,
            Base::Stage(p) if p < i => scratch[p],
            _ => false,
        };
        scratch.push(s);
    }
    for st in &m.stages {
        let scratch = scratch[st.index];
        let families = images.get(st.index).map_or(&[][..], Vec::as_slice);
        if !scratch && (families.is_empty() || families.iter().any(|f| f.os == Os::Windows)) {
            continue;
        }
        for ins in &m.instructions[st.instructions.clone()] {
            if ins.kind != Keyword::User {
                continue;
            }
            let Some(word) = ins.args.first() else {
                continue;
            };
            let spec = word.value.as_str();
            let name = spec.split(':').next().unwrap_or(spec);
            if name.is_empty() || name.contains('$') || name.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if !scratch && families.iter().any(|f| f.has_user(name)) {
                continue;
            }
            let fs = ctx.fs();
            // A RUN (useradd) or a COPY of /etc/passwd may have made it.
            if common::chain_may_write(fs, st.index, ins.index, &["/etc/passwd"]) {
                continue;
            }
            report(
                m, fs, acc, st.index, word.range, spec, name, families, scratch,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    m: &Model,
    fs: &Fs,
    acc: &mut Acc,
    stage: usize,
    range: TextRange,
    spec: &str,
    name: &str,
    families: &[&'static ImageFacts],
    scratch: bool,
) {
    let (base, has) = match families.first() {
        Some(f) if !scratch => {
            let mut users: Vec<&str> = f.users.iter().map(|(n, _)| *n).collect();
            users.truncate(8);
            (
                format!("`{}`", f.repository),
                format!("its users are {}", users.join(", ")),
            )
        }
        _ => (
            "scratch".to_string(),
            "it has no /etc/passwd at all".to_string(),
        ),
    };
    let d = acc.push(
        &META,
        range,
        format!(
            "`USER {spec}`: this stage is built on {base}, which has no user `{name}` ({has}); the build step or container fails with \"unable to find user {name}\"; use a numeric UID"
        ),
    );
    if let Some(r) = common::root_from_range(m, fs, stage) {
        d.related(r, "the base image");
    }
    let uid = WELL_KNOWN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, id)| *id);
    if let Some(uid) = uid {
        // The group part keeps its name only when it is numeric too.
        let group = spec.split_once(':').map(|(_, g)| g);
        let new = match group {
            Some(g) if !g.bytes().all(|b| b.is_ascii_digit()) => format!("{uid}:{uid}"),
            Some(g) => format!("{uid}:{g}"),
            None => uid.to_string(),
        };
        d.fix(
            format!("Use the numeric form `USER {new}`"),
            Safety::Safe,
            vec![TextEdit::replace(range, new)],
        );
    }
}
