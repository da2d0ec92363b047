//! DL3011: an EXPOSE port outside 0–65535.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};
use crate::syntax::Keyword;

pub static META: RuleMeta = RuleMeta {
    code: "DL3011",
    aliases: &[],
    summary: "EXPOSE a port outside 0–65535",
    docs: "## What\nAn `EXPOSE` port, or either end of a port range (`8000-8010`), above 65535, \
with or without a protocol (`/tcp`, `/udp`). Ports given by a variable are not checked.\n\n\
## Why\nTCP and UDP ports are 16-bit numbers: a larger one is a typo, and the image metadata \
it produces is useless (`docker run -P` cannot publish it).\n\n\
## Example\n```dockerfile\nFROM nginx:1.27\nEXPOSE 80800\n```\n\n\
## Fix\nCorrect the number: `EXPOSE 8080`.",
    severity: Severity::Error,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

/// The first number of `spec` above 65535, if any. Variables are skipped.
fn out_of_range(spec: &str) -> Option<&str> {
    // `ip:host:container` is ExposeInvalidFormat's business; the container
    // port is still a port.
    let spec = spec.rsplit(':').next().unwrap_or(spec);
    let ports = spec.split('/').next().unwrap_or(spec);
    ports.split('-').find(|p| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.trim_start_matches('0').len() > 5
            || p.parse::<u32>().is_ok_and(|n| n > 65535)
    })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in ctx
        .model
        .instructions
        .iter()
        .filter(|i| i.kind == Keyword::Expose)
    {
        for w in &ins.args {
            if w.value.contains('$') {
                continue;
            }
            if let Some(port) = out_of_range(&w.value) {
                acc.push(
                    &META,
                    w.range,
                    format!("port {port} does not exist: ports range from 0 to 65535"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::out_of_range;

    #[test]
    fn ports() {
        assert_eq!(out_of_range("80"), None);
        assert_eq!(out_of_range("65535/tcp"), None);
        assert_eq!(out_of_range("65536"), Some("65536"));
        assert_eq!(out_of_range("8000-70000/udp"), Some("70000"));
        assert_eq!(
            out_of_range("99999999999999999999"),
            Some("99999999999999999999")
        );
        assert_eq!(out_of_range("8080:80"), None);
        assert_eq!(out_of_range("abc"), None);
    }
}
