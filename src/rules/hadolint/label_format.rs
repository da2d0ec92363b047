//! DL3052–DL3056, DL3058: a label of the label schema whose value does not
//! have the schema's format (url, rfc3339, spdx, hash, semver, email).

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

use super::{label_pairs, label_values as v, labels, schema_kind};

/// Report the labels of schema kind `kind` whose value fails `valid`.
fn check_kind(ctx: &Ctx, acc: &mut Acc, meta: &'static RuleMeta, kind: &str, what: &str) {
    let valid: fn(&str) -> bool = match kind {
        "url" => v::is_url,
        "rfc3339" => v::is_rfc3339,
        "spdx" => v::is_spdx,
        "hash" => v::is_git_hash,
        "semver" => v::is_semver,
        _ => v::is_email,
    };
    let schema = &ctx.config.label_schema;
    if !schema.iter().any(|(_, k)| k == kind) {
        return;
    }
    for ins in labels(ctx.model) {
        for p in label_pairs(ins, ctx.model.escape) {
            // Empty values are DL3051's; variables are filled in at build time.
            if p.value.is_empty() || p.has_var || schema_kind(schema, &p.key) != Some(kind) {
                continue;
            }
            if !valid(&p.value) {
                acc.push(
                    meta,
                    p.range,
                    format!("label `{}` is not {what}: `{}`", p.key, p.value),
                );
            }
        }
    }
}

macro_rules! label_format_rule {
    ($rule:ident, $meta:ident, $code:expr, $kind:expr, $what:expr, $summary:expr, $docs:expr) => {
        pub static $meta: RuleMeta = RuleMeta {
            code: $code,
            aliases: &[],
            summary: $summary,
            docs: $docs,
            severity: Severity::Warning,
            category: Category::BestPractice,
            default: Default::On,
        };
        pub const $rule: Rule = Rule {
            meta: &$meta,
            check: |ctx, acc| check_kind(ctx, acc, &$meta, $kind, $what),
            blind_to: crate::rules::RUN_COPY_ADD,
            local_to: &[],
        };
    };
}

label_format_rule!(
    URL_RULE,
    URL,
    "DL3052",
    "url",
    "a valid URL",
    "A `url` label of the label schema is not a URL",
    concat!(
        "## What\nA label that the configured label schema types `url` and whose value is not \
an absolute URI (RFC 3986: a scheme, `:`, then only the characters URIs allow). ",
        "Silent when no schema is configured; values with a variable (filled in at build time) and empty values \
(DL3051) are not checked, where hadolint checks the text as written.\n\n",
        "## Why\nTools follow these labels to the source or documentation of an image; a value \
like `github.com/org/app` (no scheme) or with a space is not a link.\n\n",
        "## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.source: url}\n\
FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"github.com/org/app\"\n```\n\n",
        "## Fix\nWrite the full URL: `https://github.com/org/app`."
    )
);

label_format_rule!(
    RFC3339_RULE,
    RFC3339,
    "DL3053",
    "rfc3339",
    "an RFC 3339 date and time",
    "An `rfc3339` label of the label schema is not an RFC 3339 time",
    concat!(
        "## What\nA label that the configured label schema types `rfc3339` and whose value is \
not a date and time in RFC 3339 format (`2024-05-01T12:00:00Z`, with seconds and a time \
zone). ",
        "Silent when no schema is configured; values with a variable (filled in at build time) and empty values \
(DL3051) are not checked, where hadolint checks the text as written.\n\n",
        "## Why\nBuild timestamps such as `org.opencontainers.image.created` are compared and \
sorted by tools; a date without a time or zone is ambiguous.\n\n",
        "## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.created: rfc3339}\n\
FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2024-05-01\"\n```\n\n",
        "## Fix\nWrite a full timestamp: `2024-05-01T00:00:00Z`, usually from a build \
argument (`--build-arg CREATED=$(date -u +%FT%TZ)`)."
    )
);

label_format_rule!(
    SPDX_RULE,
    SPDX,
    "DL3054",
    "spdx",
    "an SPDX licence identifier",
    "An `spdx` label of the label schema is not an SPDX licence identifier",
    concat!(
        "## What\nA label that the configured label schema types `spdx` and whose value is not \
one SPDX licence identifier (`MIT`, `Apache-2.0`, `GPL-3.0-or-later`). As in hadolint, the \
identifiers are those of the SPDX list hadolint 2.15.1 ships, case-sensitive; expressions \
(`MIT OR Apache-2.0`) and deprecated identifiers (`GPL-2.0`) are reported. ",
        "Silent when no schema is configured; values with a variable (filled in at build time) and empty values \
(DL3051) are not checked, where hadolint checks the text as written.\n\n",
        "## Why\nLicence scanners match the identifier exactly; `mit` or `Apache 2` is not \
recognised.\n\n",
        "## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.licenses: spdx}\n\
FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache 2\"\n```\n\n",
        "## Fix\nUse the SPDX identifier: `Apache-2.0`."
    )
);

label_format_rule!(
    HASH_RULE,
    HASH,
    "DL3055",
    "hash",
    "a git commit hash (7 or 40 lower-case hex digits)",
    "A `hash` label of the label schema is not a git hash",
    concat!(
        "## What\nA label that the configured label schema types `hash` and whose value is not \
a git commit hash: 7 or 40 lower-case hexadecimal digits. ",
        "Silent when no schema is configured; values with a variable (filled in at build time) and empty values \
(DL3051) are not checked, where hadolint checks the text as written.\n\n",
        "## Why\nThe revision label (`org.opencontainers.image.revision`) ties an image to the \
commit it was built from; anything else cannot be looked up.\n\n",
        "## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.revision: hash}\n\
FROM alpine:3.20\nLABEL org.opencontainers.image.revision=\"main\"\n```\n\n",
        "## Fix\nPass the commit: `--build-arg REVISION=$(git rev-parse HEAD)` and \
`LABEL org.opencontainers.image.revision=$REVISION`."
    )
);

label_format_rule!(
    SEMVER_RULE,
    SEMVER,
    "DL3056",
    "semver",
    "a semantic version (MAJOR.MINOR.PATCH)",
    "A `semver` label of the label schema is not a semantic version",
    concat!(
        "## What\nA label that the configured label schema types `semver` and whose value is \
not a semantic version `MAJOR.MINOR.PATCH`, optionally with `-prerelease` and `+build` parts \
(`1.4.2`, `2.0.0-rc.1`). A `v` prefix or a two-part version (`1.4`) is reported. ",
        "Silent when no schema is configured; values with a variable (filled in at build time) and empty values \
(DL3051) are not checked, where hadolint checks the text as written.\n\n",
        "## Why\nTools sort and compare versions; a value outside the format cannot be \
ordered.\n\n",
        "## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.version: semver}\n\
FROM alpine:3.20\nLABEL org.opencontainers.image.version=\"v1.4\"\n```\n\n",
        "## Fix\nWrite the full version: `1.4.0`."
    )
);

label_format_rule!(
    EMAIL_RULE,
    EMAIL,
    "DL3058",
    "email",
    "an email address",
    "An `email` label of the label schema is not an email address",
    concat!(
        "## What\nA label that the configured label schema types `email` and whose value is \
not an RFC 5322 address (`team@example.com`). A display name (`Ops <ops@example.com>`) is \
reported. ",
        "Silent when no schema is configured; values with a variable (filled in at build time) and empty values \
(DL3051) are not checked, where hadolint checks the text as written.\n\n",
        "## Why\nThe contact in an image's metadata is used to reach its owners; a malformed \
address is a dead end.\n\n",
        "## Example\n```dockerfile\n# label-schema: {org.opencontainers.image.authors: email}\n\
FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Ops team\"\n```\n\n",
        "## Fix\nWrite the bare address: `ops@example.com`."
    )
);
