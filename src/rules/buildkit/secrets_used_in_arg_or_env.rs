//! ARG or ENV names that look like secrets.

use crate::model::VarKind;
use crate::rules::secrets::is_secret_name;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

pub static META: RuleMeta = RuleMeta {
    code: "SecretsUsedInArgOrEnv",
    aliases: &["DL3064"],
    summary: "ARG or ENV name that suggests a secret",
    docs: "## What\nAn `ARG` or `ENV` in a stage whose name contains one of the words `apikey`, \
`auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token` \
(case-insensitive, as a whole `_`-separated part: `GITHUB_TOKEN`, `db_password`, `AUTH`), \
unless it also contains `public`, `file` or `version` (`PUBLIC_KEY`, `TOKEN_FILE`).\n\n\
## Why\nBuild arguments and environment variables are recorded in the image: `ENV` values \
in its configuration, `ARG` values in the history of every layer built with them. Anyone \
who can pull the image can read them.\n\n\
berth uses BuildKit's list and, like BuildKit, does not check ARGs before the first `FROM` \
(they only reach a stage through a redeclaration, which is checked). hadolint's DL3064 \
uses its own list of names and flags some others (`TOKEN_FILE`, `PUBLIC_TOKEN`) while \
missing some (`APIKEY`).\n\n\
## Example\n```dockerfile\nFROM alpine\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > ~/.npmrc\n```\n\n\
## Fix\nPass the secret as a build secret and read it in the one `RUN` that needs it: \
`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`, built with \
`docker build --secret id=npm_token,env=NPM_TOKEN .`.",
    severity: Severity::Warning,
    category: Category::Security,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for d in &ctx.model.decls {
        if d.stage.is_none() || !is_secret_name(&d.name) {
            continue;
        }
        let kw = match d.kind {
            VarKind::Arg => "ARG",
            VarKind::Env => "ENV",
        };
        acc.push(
            &META,
            d.name_range,
            format!(
                "`{}` looks like a secret, and {kw} values are stored in the image: pass it with a secret mount (`RUN --mount=type=secret,id={},env={}`) instead",
                d.name,
                d.name.to_ascii_lowercase(),
                d.name
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::secrets::is_secret_name as looks_secret;

    #[test]
    fn buildkit_examples() {
        for yes in [
            "SECRET_PASSPHRASE",
            "SUPER_Secret",
            "password",
            "super_duper_secret_token",
            "auth",
            "apikey",
            "git_key",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(looks_secret(yes), "{yes}");
        }
        for no in [
            "sunflower",
            "PUBLIC_KEY",
            "public_token",
            "TOKEN_FILE",
            "KEY_VERSION",
            "api-key",
            "MONKEY",
            "AUTHOR",
            "keys",
        ] {
            assert!(!looks_secret(no), "{no}");
        }
    }
}
