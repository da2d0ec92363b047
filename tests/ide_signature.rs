//! Signature help inside flag values; `--mount=` lists the keys of its type.

mod common;

use common::{analysis, parse};

/// The signature at `$0`: its label and the active parameter's text.
fn sig(fixture: &str) -> Option<(String, Option<String>)> {
    let f = parse(fixture);
    let a = analysis(&f.text);
    let s = a.signature_help(f.cursor.expect("fixture has $0"))?;
    let active = s.active_parameter.map(|i| s.parameter_text(i).to_string());
    Some((s.label, active))
}

#[test]
fn a_plain_flag_value_shows_the_flag_syntax() {
    assert_eq!(
        sig("FROM --platform=$0 alpine\n"),
        Some((
            "--platform=<os>/<arch>[/<variant>]".into(),
            Some("<os>/<arch>[/<variant>]".into())
        ))
    );
    assert_eq!(
        sig("FROM alpine\nRUN --network=no$0 true\n"),
        Some((
            "--network=default|none|host".into(),
            Some("default|none|host".into())
        ))
    );
    assert_eq!(
        sig("FROM alpine\nHEALTHCHECK --retries=$0\n"),
        Some(("--retries=<n>".into(), Some("<n>".into())))
    );
    assert_eq!(
        sig("FROM a\nADD --checksum=$0 https://x/y /y\n").map(|s| s.0),
        Some("--checksum=sha256:<hex>".into())
    );
}

#[test]
fn mount_keys_follow_the_type_with_the_key_under_the_cursor_active() {
    assert_eq!(
        sig("FROM alpine\nRUN --mount=type=cache,$0\n"),
        Some((
            "--mount=type=cache,target=<path>,id=<id>,sharing=shared|private|locked,\
             from=<stage|image>,source=<path>,mode=<octal>,uid=<number>,gid=<number>,\
             readonly[=true|false]"
                .into(),
            None
        ))
    );
    assert_eq!(
        sig("FROM alpine\nRUN --mount=type=cache,sharing=lo$0 true\n").and_then(|s| s.1),
        Some("sharing=shared|private|locked".into())
    );
    assert_eq!(
        sig("FROM alpine\nRUN --mount=type=secret,id=a,dst=$0\n").and_then(|s| s.1),
        Some("target=<path>".into())
    );
    assert_eq!(
        sig("FROM alpine\nRUN --mount=typ$0e=tmpfs true\n"),
        Some((
            "--mount=type=tmpfs,target=<path>,size=<bytes>".into(),
            Some("type=tmpfs".into())
        ))
    );
    // No type yet: bind's keys.
    assert_eq!(
        sig("FROM alpine\nRUN --mount=$0\n"),
        Some((
            "--mount=type=bind,target=<path>,source=<path>,from=<stage|image>,readwrite[=true|false]"
                .into(),
            None
        ))
    );
    assert_eq!(
        sig("FROM alpine\nRUN --mount=from=build,so$0\n").and_then(|s| s.1),
        Some("source=<path>".into())
    );
}

#[test]
fn nothing_outside_flag_values() {
    assert_eq!(sig("FROM alpine\nRUN --mo$0unt=type=cache true\n"), None);
    assert_eq!(sig("FROM alpine\nRUN --mount=type=cache tr$0ue\n"), None);
    assert_eq!(sig("FR$0OM alpine\n"), None);
    assert_eq!(sig("FROM alpine\nCOPY --link$0 . /\n"), None);
    // A flag the instruction does not take.
    assert_eq!(sig("FROM alpine\nCOPY --network=$0 . /\n"), None);
    for t in [
        "RUN --mount=",
        "FROM --platform=",
        "RUN --mount=,,=,\\\n  type=",
        "",
    ] {
        let a = analysis(t);
        for i in 0..=t.len() as u32 + 1 {
            let _ = a.signature_help(i);
        }
    }
}
