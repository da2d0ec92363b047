//! What looks like a secret: variable names (BuildKit's token rule) and
//! values (well-known credential formats).
//!
//! The name rule reproduces BuildKit's `SecretsUsedInArgOrEnv`
//! (frontend/dockerfile/dockerfile2llb/validations.go): split the name at
//! `_`; it is a secret if a part is one of the deny tokens and no part is
//! one of the allow tokens, case-insensitively.
//! Shared by BuildKit's `SecretsUsedInArgOrEnv` and berth's
//! `SecretInShippedStage`.

const DENY: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOW: &[&str] = &["public", "file", "version"];

/// BuildKit's reading of a secret-looking ARG/ENV name.
pub fn is_secret_name(name: &str) -> bool {
    let parts = || name.split('_');
    parts().any(|p| DENY.iter().any(|d| d.eq_ignore_ascii_case(p)))
        && !parts().any(|p| ALLOW.iter().any(|a| a.eq_ignore_ascii_case(p)))
}

/// Stricter than [`is_secret_name`], for reports about values that reach
/// an image: the secret token must end the name (`DB_PASSWORD`,
/// `AWS_SECRET_ACCESS_KEY`), so settings *about* secrets
/// (`APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE`, `AUTH_ENABLED`,
/// `TOKEN_EXPIRY`) are left out; Rails' `SECRET_KEY_BASE` is kept.
pub fn names_a_secret(name: &str) -> bool {
    if !is_secret_name(name) {
        return false;
    }
    let last = name.rsplit('_').next().unwrap_or("");
    DENY.iter().any(|d| d.eq_ignore_ascii_case(last))
        || name.to_ascii_uppercase().ends_with("SECRET_KEY_BASE")
}

/// The kind of credential a value looks like, by its well-known format.
pub fn secret_value_kind(v: &str) -> Option<&'static str> {
    let v = v.trim();
    let tail_ok = |prefix: &str, min: usize| {
        v.strip_prefix(prefix).is_some_and(|t| {
            t.len() >= min
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    };
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| tail_ok(p, 30))
        || tail_ok("github_pat_", 30)
    {
        return Some("a GitHub token");
    }
    if tail_ok("glpat-", 20) {
        return Some("a GitLab token");
    }
    if v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key ID");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| tail_ok(p, 20))
    {
        return Some("a Slack token");
    }
    if tail_ok("sk_live_", 20) || tail_ok("rk_live_", 20) {
        return Some("a Stripe live key");
    }
    if tail_ok("npm_", 36) {
        return Some("an npm token");
    }
    if tail_ok("AIza", 35) {
        return Some("a Google API key");
    }
    if tail_ok("sk-", 40) {
        return Some("an API secret key");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    None
}

/// Whether a value cannot hold a secret: empty, a reference to another
/// variable only, a boolean or small number, an absolute file path, or a
/// URL without credentials.
pub fn is_harmless_value(v: &str) -> bool {
    let v = v.trim();
    let l = v.to_ascii_lowercase();
    v.is_empty()
        || matches!(
            l.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        )
        || (v.len() <= 3 && v.chars().all(|c| c.is_ascii_digit()))
        || (v.starts_with('/') && !v.contains(char::is_whitespace))
        || ((l.starts_with("http://") || l.starts_with("https://")) && !v.contains('@'))
}

/// A GPG/PGP key *fingerprint* (public, not a secret): `GPG_KEY=<hex>`.
pub fn is_key_fingerprint(name: &str, v: &str) -> bool {
    let n = name.to_ascii_uppercase();
    (n.contains("GPG") || n.contains("PGP") || n.contains("FINGERPRINT"))
        && v.split([' ', ','])
            .filter(|p| !p.is_empty())
            .map(|p| p.strip_prefix("0x").unwrap_or(p))
            .all(|p| p.len() >= 8 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_buildkit() {
        for n in [
            "api_key",
            "DATABASE_PASSWORD",
            "GITHUB_TOKEN",
            "secret_MESSAGE",
            "AUTH",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "PUBLIC_KEY",
            "KEY_FILE",
            "TOKEN_VERSION",
            "MONKEY",
            "PASSWORDS",
            "keycloak_url",
            "",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn stricter_names_for_shipped_values() {
        assert!(names_a_secret("DB_PASSWORD"));
        assert!(names_a_secret("SECRET_KEY_BASE"));
        assert!(names_a_secret("aws_secret_access_key"));
        assert!(!names_a_secret("APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE"));
        assert!(!names_a_secret("AUTH_ENABLED"));
        assert!(!names_a_secret("PUBLIC_KEY"));
    }

    #[test]
    fn values_by_format() {
        assert_eq!(
            secret_value_kind("ghp_0123456789abcdefghijABCDEFGHIJ0123"),
            Some("a GitHub token")
        );
        assert_eq!(
            secret_value_kind("AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key ID")
        );
        assert_eq!(secret_value_kind("AKIA-not-a-key"), None);
        assert_eq!(secret_value_kind("production"), None);
        assert!(is_harmless_value("/run/secrets/db"));
        assert!(is_harmless_value("true"));
        assert!(!is_harmless_value("hunter2"));
        assert!(!is_harmless_value("https://user:pw@host"));
        assert!(is_key_fingerprint(
            "GPG_KEY",
            "A035C8C19219BA821ECEA86B64E628F8D684696D"
        ));
        assert!(is_key_fingerprint(
            "RABBITMQ_PGP_KEY_ID",
            "0x0A9AF2115F4687BD29803A206B73A36E6026DFCA"
        ));
        assert!(!is_key_fingerprint("API_KEY", "A035C8C19219BA821ECEA86B"));
    }
}
