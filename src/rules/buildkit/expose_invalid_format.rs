//! `EXPOSE` with an IP address or a host port.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;

use super::expose::ports;

pub static META: RuleMeta = RuleMeta {
    code: "ExposeInvalidFormat",
    aliases: &[],
    summary: "EXPOSE with an IP address or host-port mapping",
    docs: "## What\nAn `EXPOSE` port written with an IP address or a host port: \
`EXPOSE 127.0.0.1:80:80`, `EXPOSE 8080:80`.\n\n\
## Why\n`EXPOSE` only documents which ports the container listens on. Which host address \
and port they are published on is decided when the container runs (`docker run -p`): the \
build drops those parts silently, and BuildKit will reject them in a future release.\n\n\
## Example\n```dockerfile\nEXPOSE 8080:80\n```\n\n\
## Fix\nKeep the container port and protocol only (`EXPOSE 80`), and publish it with \
`docker run -p 8080:80`.",
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
    for ins in &ctx.model.instructions {
        if ins.kind != Keyword::Expose {
            continue;
        }
        for p in ports(ins) {
            let Some(range) = p.host else { continue };
            acc.push(
                &META,
                range,
                format!(
                    "EXPOSE takes a container port only, found `{}`: write `EXPOSE {}` and publish the host side with `docker run -p`",
                    p.text, p.container
                ),
            );
        }
    }
}
