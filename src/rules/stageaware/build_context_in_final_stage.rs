//! The whole build context copied into a shipped stage of a multi-stage
//! build.

use crate::model::fs::{Copied, Origin};
use crate::model::RefKind;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

use super::common::{self, LineRange};

pub static META: RuleMeta = RuleMeta {
    code: "BuildContextInFinalStage",
    aliases: &[],
    summary:
        "`COPY . .` of the whole build context into a stage that ships, in a multi-stage build",
    docs: "## What\n`COPY . <dest>` or `ADD . <dest>` (the whole build context) in a stage that \
ships (the target, or a stage it is built `FROM`), when the shipped stage takes files from a \
build stage that itself received the whole context: the build was split into build and \
runtime stages, yet the runtime image receives everything again.\n\n\
## Why\nThe context holds sources, tests, build scripts, `.git`, local `.env` files and \
whatever else `.dockerignore` does not exclude. In the shipped image it costs size, leaks \
what should stay private, and any change to any file invalidates the layer. The build stage \
already had the sources; the runtime stage needs only the artifacts and the files the \
program reads.\n\n\
Not reported: single-stage Dockerfiles (see `ToolchainInFinalStage`), copies from another \
stage (`COPY --from=build . .`), and runtime stages whose build stages only took a few files \
(`COPY requirements.txt .`, `COPY package*.json ./`): interpreted applications (Python, Node, \
PHP) commonly install dependencies in a build stage and ship their sources with `COPY . .`.\n\n\
## Example\n```dockerfile\nFROM node:22 AS build\nWORKDIR /app\nCOPY . .\n\
RUN npm ci && npm run build\n\nFROM node:22-slim\nWORKDIR /app\n\
COPY --from=build /app/dist ./dist\nCOPY . .\nCMD [\"node\", \"dist/server.js\"]\n```\n\n\
## Fix\nCopy what the runtime needs: `COPY --from=build /app/dist ./dist`, \
`COPY package*.json ./`, and specific directories; or keep a strict `.dockerignore`.",
    severity: Severity::Warning,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn is_whole_context(c: &Copied) -> bool {
    c.sources
        .iter()
        .any(|s| s.origin == Origin::Context && s.path.as_deref() == Some("/"))
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    let Some(target) = m.target else { return };
    if m.stages.len() < 2 {
        return;
    }
    let fs = ctx.fs();
    let chain = fs.chain(target);
    // The stages the shipped chain takes files from.
    let mut feeders: Vec<usize> = fs
        .chain_copies(target)
        .flat_map(|c| c.sources.iter())
        .filter_map(|s| match s.origin {
            Origin::Stage(x) => Some(x),
            _ => None,
        })
        .chain(
            m.refs
                .iter()
                .filter(|r| r.kind == RefKind::MountFrom && chain.contains(&r.stage))
                .filter_map(|r| r.target_stage()),
        )
        .filter(|x| !chain.contains(x))
        .collect();
    feeders.sort_unstable();
    feeders.dedup();
    // A build stage that already received the whole context.
    let Some(build_copy) = feeders.iter().find_map(|&x| {
        fs.chain(x)
            .iter()
            .filter(|s| !chain.contains(s))
            .flat_map(|&s| fs.copied_paths(s))
            .find(|c| is_whole_context(c))
    }) else {
        return;
    };
    let build_label = common::stage_label(m, build_copy.stage);
    for &s in chain {
        for c in fs.copied_paths(s) {
            for src in &c.sources {
                if src.origin != Origin::Context || src.path.as_deref() != Some("/") {
                    continue;
                }
                let label = common::stage_label(m, s);
                let kw = m.instructions[c.instruction].kind.name();
                let msg = format!(
                    "{kw} copies the whole build context into stage {label}, which ships, although stage {build_label} already builds from it: sources, tests, .git and anything .dockerignore does not exclude end up in the runtime image; copy only the artifacts and the files the program reads"
                );
                acc.push(&META, src.range, msg).related(
                    m.instructions[build_copy.instruction].range_without_heredocs(),
                    format!("stage {build_label} receives the build context here"),
                );
            }
        }
    }
}
