//! Value formats of the label schema, as the libraries hadolint 2.15.1
//! uses accept them (network-uri, timerep, Cabal's SPDX list, semver,
//! email-validate); measured against the hadolint binary.

use super::spdx;

/// An absolute URI (RFC 3986 `absolute-URI` with an optional fragment).
pub(super) fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.bytes();
    if !sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !sc.all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| !uri_chars(f, b":@/?")) {
        return false;
    }
    let (hier, query) = match rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    if query.is_some_and(|q| !uri_chars(q, b":@/?")) {
        return false;
    }
    match hier.strip_prefix("//") {
        Some(after) => {
            let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
            is_authority(authority) && uri_chars(path, b":@/")
        }
        None => uri_chars(hier, b":@/"),
    }
}

/// Unreserved, percent-encoded and sub-delimiter characters, plus `extra`.
fn uri_chars(s: &str, extra: &[u8]) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&c) || extra.contains(&c)) {
            return false;
        }
        i += 1;
    }
    true
}

fn is_authority(a: &str) -> bool {
    let (userinfo, hostport) = match a.split_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, a),
    };
    if userinfo.is_some_and(|u| !uri_chars(u, b":")) {
        return false;
    }
    let (host_ok, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let Some((lit, after)) = inner.split_once(']') else {
            return false;
        };
        let ok = lit.parse::<core::net::Ipv6Addr>().is_ok() || is_ipv_future(lit);
        let port = match after {
            "" => None,
            p => match p.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        (ok, port)
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (uri_chars(h, b""), Some(p)),
            None => (uri_chars(hostport, b""), None),
        }
    };
    host_ok && port.is_none_or(|p| p.bytes().all(|c| c.is_ascii_digit()))
}

/// `v` HEXDIG+ `.` ( unreserved / sub-delims / `:` )+
fn is_ipv_future(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some((hex, tail)) = rest.split_once('.') else {
        return false;
    };
    !hex.is_empty()
        && hex.bytes().all(|c| c.is_ascii_hexdigit())
        && !tail.is_empty()
        && !tail.contains('%')
        && uri_chars(tail, b":")
}

/// RFC 3339 date and time: `2024-05-01T12:00:00Z`, `...T12:00:00.5+02:00`.
/// Like timerep, surrounding whitespace, lower-case `t`/`z`, an offset
/// without a colon and a leap second are accepted; dates must exist.
pub(super) fn is_rfc3339(s: &str) -> bool {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let b = s.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if neg {
        i += 1;
    }
    let year_len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if year_len == 0 {
        return false;
    }
    let year: i64 = s[i..i + year_len].parse().unwrap_or(1);
    let year = if neg { -year } else { year };
    i += year_len;
    let two = |i: usize| -> Option<u32> {
        let d = b.get(i..i + 2)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let (Some(month), Some(day)) = (
        at(i, b'-').then(|| two(i + 1)).flatten(),
        at(i + 3, b'-').then(|| two(i + 4)).flatten(),
    ) else {
        return false;
    };
    i += 6;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || !(at(i, b'T') || at(i, b't')) {
        return false;
    }
    let (Some(h), Some(m), Some(sec)) = (
        two(i + 1),
        at(i + 3, b':').then(|| two(i + 4)).flatten(),
        at(i + 6, b':').then(|| two(i + 7)).flatten(),
    ) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 60 {
        return false;
    }
    i += 9;
    if at(i, b'.') {
        i += 1 + b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let rest = &s[i + 1..];
            let digits = rest.replacen(':', "", 1);
            rest.len() >= 4
                && (rest.len() == 4 || rest.as_bytes().get(2) == Some(&b':'))
                && digits.len() == 4
                && digits.bytes().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// A single SPDX licence identifier of the list hadolint knows (no
/// expressions, no deprecated identifiers, case-sensitive).
pub(super) fn is_spdx(s: &str) -> bool {
    let id = s.trim_end_matches(|c: char| c.is_ascii_whitespace());
    spdx::IDS.binary_search(&id).is_ok()
}

/// A short (7) or full (40) lower-case hexadecimal git commit hash.
pub(super) fn is_git_hash(s: &str) -> bool {
    (s.len() == 7 || s.len() == 40) && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// `MAJOR.MINOR.PATCH[-pre][+build]` as the semver package reads it.
pub(super) fn is_semver(s: &str) -> bool {
    fn number(s: &str) -> Option<&str> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (n > 0).then(|| &s[n..])
    }
    // Dot-separated identifiers, a trailing dot allowed (`sepEndBy`).
    fn idents(mut s: &str) -> &str {
        loop {
            let n = s
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                .count();
            if n == 0 {
                return s;
            }
            s = &s[n..];
            match s.strip_prefix('.') {
                Some(r) => s = r,
                None => return s,
            }
        }
    }
    let core = || -> Option<&str> {
        let r = number(s)?.strip_prefix('.')?;
        let r = number(r)?.strip_prefix('.')?;
        number(r)
    };
    let Some(mut rest) = core() else {
        return false;
    };
    if let Some(r) = rest.strip_prefix('-') {
        rest = idents(r);
    }
    if let Some(r) = rest.strip_prefix('+') {
        rest = idents(r);
    }
    rest.is_empty()
}

/// An RFC 5322 address (`local@domain`), as email-validate accepts it.
pub(super) fn is_email(s: &str) -> bool {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let (local_len, domain) = if let Some(q) = s.strip_prefix('"') {
        // Quoted local part.
        let b = q.as_bytes();
        let mut i = 0;
        loop {
            match b.get(i) {
                None => return false,
                Some(b'"') => break,
                Some(b'\\') => {
                    if !b.get(i + 1).is_some_and(|c| (32..127).contains(c)) {
                        return false;
                    }
                    i += 2;
                }
                Some(c) if (32..127).contains(c) => i += 1,
                Some(_) => return false,
            }
        }
        match q[i + 1..].strip_prefix('@') {
            Some(d) => (i + 2, d),
            None => return false,
        }
    } else {
        let Some((local, domain)) = s.split_once('@') else {
            return false;
        };
        let atext = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&c);
        if local
            .split('.')
            .any(|a| a.is_empty() || !a.bytes().all(atext))
        {
            return false;
        }
        (local.len(), domain)
    };
    if local_len > 64 || domain.is_empty() || domain.len() > 255 {
        return false;
    }
    if let Some(lit) = domain.strip_prefix('[') {
        return lit.strip_suffix(']').is_some_and(|inner| {
            inner
                .bytes()
                .all(|c| (33..127).contains(&c) && !b"[]\\".contains(&c))
        });
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    domain.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expectations measured with hadolint 2.15.1.
    #[test]
    fn urls() {
        for ok in [
            "https://example.com/a?b=c#d",
            "ftp://x",
            "mailto:a@b.c",
            "urn:isbn:123",
            "http://[::1]:80/",
            "a:b",
            "https://example.com:99999/",
            "http://user:pw@host/",
            "git+ssh://a/b",
            "http:",
            "h://",
            "h://[v1.x]/",
            "h://a/b!$&()*+,;=:@",
            "h://%41/",
        ] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "http://exa mple",
            "http://a/%zz",
            "1a:b",
            "http://a/b{c}",
            "http://a#b#c",
            "/relative",
            "http://a/é",
            "http://a:b/",
            "http://[zz]/",
            "h://a@b@c/",
            "h://a/[x]",
            "h://a:80:90/",
            "-h:x",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn times() {
        for ok in [
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00+01:00",
            "2020-01-01T00:00:00.123Z",
            "2020-01-01t00:00:00z",
            "2020-01-01T00:00:60Z",
            "2020-01-01T00:00:00+0100",
            "2020-01-01T00:00:00.Z",
            "20-01-01T00:00:00Z",
            "-2020-01-01T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "  2020-01-01T00:00:00Z ",
            "2020-01-01T00:00:00+99:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2020-01-01 00:00:00Z",
            "2020-01-01T00:00:00",
            "2020-01-01",
            "2020-13-01T00:00:00Z",
            "2020-02-30T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2020-01-01T24:00:00Z",
            "2020-01-01T00:00Z",
            "2020-1-01T00:00:00Z",
            "2020-01-01T00:00:00+01",
            "2020-01-01T00:00:00+1:00",
            "+2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00ZZ",
            "2020-01-01T00:00:00+01:00:00",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn licences() {
        for ok in [
            "MIT",
            "Apache-2.0",
            "GPL-2.0-or-later",
            "0BSD",
            "Apache-2.0 ",
        ] {
            assert!(is_spdx(ok), "{ok}");
        }
        for bad in [
            "mit",
            "MIT OR Apache-2.0",
            "GPL-2.0",
            "NONE",
            "LicenseRef-x",
            "",
        ] {
            assert!(!is_spdx(bad), "{bad}");
        }
        assert!(spdx::IDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn hashes() {
        assert!(is_git_hash("abcdef0"));
        assert!(is_git_hash("0123456789012345678901234567890123456789"));
        assert!(!is_git_hash("ABCDEF0"));
        assert!(!is_git_hash("abcdef01"));
    }

    #[test]
    fn versions() {
        for ok in [
            "1.2.3",
            "1.2.3-rc.1+build.5",
            "01.2.3",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a.",
            "1.2.3--",
            "1.2.3-+",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "1.2",
            "v1.2.3",
            "1.2.3-rc..1",
            "1.2.3 ",
            "1.2.3-rc_1",
            "1.2.3+a+b",
            "1.2.3-.",
            "1.2.3.4",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.c",
            "a@b",
            "\"a b\"@c.d",
            "a@[1.2.3.4]",
            "a@b.c.",
            "a+tag@b.c",
            "a!#$%&'*+/=?^_`{|}~-@b.c",
            " a@b.c ",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "a..b@c.d",
            "@b.c",
            "a@",
            "a b@c.d",
            "Joe <a@b.c>",
            "a@-b.c",
            ".a@b.c",
            "a@b_c.d",
            "a@b..c",
            "ü@b.c",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
