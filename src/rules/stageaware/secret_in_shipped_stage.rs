//! Secrets in ARG/ENV of a stage that ships.

use crate::model::fs::Fs;
use foldhash::HashMap;

use crate::model::{VarDecl, VarKind, VarUse};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::common::{self, LineRange};
use crate::rules::secrets;

pub static META: RuleMeta = RuleMeta {
    code: "SecretInShippedStage",
    aliases: &[],
    summary: "A secret in an ENV, or in an ARG a RUN records, of a stage that ships",
    docs: "## What\nIn a stage that ships (the target, or a stage it is built `FROM`):\n\n\
- an `ENV` whose name looks like a secret (`API_KEY`, `DB_PASSWORD`, `GITHUB_TOKEN`: \
BuildKit's `SecretsUsedInArgOrEnv` reading of the name, with the secret word at the end of \
the name, so that `AUTH_ENABLED` or `APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE` are not \
reported), whose value has a known credential \
format (`ghp_...`, `AKIA...`, a private key), or whose value copies a secret-named variable \
(`ENV GH=$GITHUB_TOKEN`);\n\
- an `ARG` with such a name or default value, followed by a `RUN` in that stage or in a \
shipped stage built on it.\n\n\
## Why\n`ENV` values are stored in the image configuration: anyone who can pull the image reads \
them with `docker inspect`. `ARG` values are not in the configuration, but BuildKit records \
every build argument declared in the stage in the history entry of each later `RUN` \
(`|1 NPM_TOKEN=... /bin/sh -c npm ci`), which `docker history --no-trunc` shows. Secrets \
belong in secret mounts, which never reach the image.\n\n\
Unlike BuildKit's `SecretsUsedInArgOrEnv`, which reports every such name anywhere, this rule \
only reports what reaches the shipped image, and it skips values that cannot be secrets \
(empty, `true`/`false`, file paths such as `/run/secrets/db`, URLs without credentials, GPG \
key fingerprints).\n\n\
## Example\n```dockerfile\nFROM node:22-slim\nARG NPM_TOKEN\nWORKDIR /app\nCOPY . .\n\
RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci\n```\n\n\
## Fix\nMount the secret for the one `RUN` that needs it and pass it at build time:\n\
```dockerfile\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    \
echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n```\n\
`docker build --secret id=npm_token,env=NPM_TOKEN .`",
    severity: Severity::Warning,
    category: Category::Security,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn mount_hint(name: &str) -> String {
    format!(
        "use `RUN --mount=type=secret,id={},env={name} ...` in the RUN that needs it instead",
        name.to_ascii_lowercase()
    )
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    if m.decls.is_empty() {
        return;
    }
    // Uses of secret-looking names, by instruction: looked up per ENV pair
    // instead of scanning every use for each declaration.
    let mut secret_uses: HashMap<usize, Vec<&VarUse>> = HashMap::default();
    for u in m.uses.iter().filter(|u| secrets::names_a_secret(&u.name)) {
        secret_uses.entry(u.instruction).or_default().push(u);
    }
    for d in &m.decls {
        let Some(stage) = d.stage else { continue };
        if !ctx.ships(stage) {
            continue;
        }
        let value = d.value.as_deref().unwrap_or("");
        // An ARG without a default gets its value from `--build-arg`.
        let harmless = match d.kind {
            VarKind::Arg => !value.is_empty() && secrets::is_harmless_value(value),
            VarKind::Env => secrets::is_harmless_value(value),
        };
        let named = secrets::names_a_secret(&d.name)
            && !harmless
            && !secrets::is_key_fingerprint(&d.name, value);
        let kind = secrets::secret_value_kind(value);
        let label = common::stage_label(m, stage);
        match d.kind {
            VarKind::Env => {
                if d.value.is_none() {
                    continue;
                }
                if named {
                    acc.push(
                        &META,
                        d.name_range,
                        format!(
                            "ENV `{}` looks like a secret, and stage {label} ships: its value is stored in the image configuration (`docker inspect` shows it); {}",
                            d.name,
                            mount_hint(&d.name)
                        ),
                    );
                } else if let (Some(k), Some(r)) = (kind, d.value_range) {
                    acc.push(
                        &META,
                        r,
                        format!(
                            "the value of ENV `{}` looks like {k}, and stage {label} ships: it is stored in the image configuration; {}",
                            d.name,
                            mount_hint(&d.name)
                        ),
                    );
                } else if let Some(vr) = d.value_range {
                    // `ENV GH=$GITHUB_TOKEN`: a secret copied into ENV.
                    let u = secret_uses
                        .get(&d.instruction)
                        .and_then(|us| us.iter().find(|u| vr.contains_range(u.range)));
                    if let Some(u) = u {
                        acc.push(
                            &META,
                            u.range,
                            format!(
                                "ENV `{}` copies `{}`, which looks like a secret, and stage {label} ships: the value is stored in the image configuration; {}",
                                d.name,
                                u.name,
                                mount_hint(&u.name)
                            ),
                        );
                    }
                }
            }
            VarKind::Arg => {
                if !named && kind.is_none() {
                    continue;
                }
                let fs = ctx.fs();
                let Some(run) = recording_run(ctx, fs, d) else {
                    continue;
                };
                let (range, what) = match (named, kind, d.value_range) {
                    (false, Some(k), Some(r)) => {
                        (r, format!("the default of ARG `{}` looks like {k}", d.name))
                    }
                    _ => (
                        d.name_range,
                        format!("ARG `{}` looks like a secret", d.name),
                    ),
                };
                acc.push(
                    &META,
                    range,
                    format!(
                        "{what}, and stage {label} ships: BuildKit records its value in the image history of every later RUN (`docker history --no-trunc`); {}",
                        mount_hint(&d.name)
                    ),
                )
                .related(
                    m.instructions[run].range_without_heredocs(),
                    "this RUN records the value in the image history",
                );
            }
        }
    }
}

/// The first RUN that records ARG `d` in the shipped image's history: a
/// later RUN of its stage, or a RUN of a shipped stage built on it.
fn recording_run(ctx: &Ctx, fs: &Fs, d: &VarDecl) -> Option<usize> {
    let m = ctx.model;
    let stage = d.stage?;
    let own = m.instructions[m.stages[stage].instructions.clone()]
        .iter()
        .find(|i| i.index > d.instruction && i.kind == Keyword::Run);
    if let Some(i) = own {
        return Some(i.index);
    }
    let target = m.target?;
    let chain = fs.chain(target);
    let pos = chain.iter().position(|&s| s == stage)?;
    chain[pos + 1..].iter().find_map(|&s| {
        m.instructions[m.stages[s].instructions.clone()]
            .iter()
            .find(|i| i.kind == Keyword::Run)
            .map(|i| i.index)
    })
}
