//! EXPOSE port specifications, split the way BuildKit splits them.

use crate::model::Instruction;
use crate::text::TextRange;

/// One `[ip:][hostPort:]containerPort[/proto]` argument.
pub struct Port {
    pub text: String,
    /// `containerPort[/proto]`.
    pub container: String,
    /// The `ip:hostPort` part, when given.
    pub host: Option<TextRange>,
    pub proto: Option<(String, TextRange)>,
}

/// The ports of an EXPOSE that BuildKit would accept (a known protocol,
/// a port), skipping arguments with variables or quotes.
pub fn ports(ins: &Instruction) -> Vec<Port> {
    let mut out = Vec::new();
    for w in &ins.args {
        let raw = w.raw.as_str();
        if raw.contains(['$', '"', '\'', '\\', '`']) || raw.is_empty() {
            continue;
        }
        // Offsets in `raw` map to the source only when the word is not
        // split by a line continuation.
        let exact = w.range.len() as usize == raw.len();
        let at = |a: usize, b: usize| {
            if exact {
                TextRange::new(w.range.start + a as u32, w.range.start + b as u32)
            } else {
                w.range
            }
        };
        let (host_end, container) = match raw.rfind(':') {
            Some(i) => (Some(i), &raw[i + 1..]),
            None => (None, raw),
        };
        let (port, proto) = match container.split_once('/') {
            Some((p, pr)) => (p, Some(pr)),
            None => (container, None),
        };
        if port.is_empty() {
            continue;
        }
        if let Some(pr) = proto {
            if !["tcp", "udp", "sctp"]
                .iter()
                .any(|k| pr.eq_ignore_ascii_case(k))
            {
                continue; // BuildKit fails on it
            }
        }
        let container_start = host_end.map_or(0, |i| i + 1);
        // `:80` has an empty IP and host port: BuildKit does not warn.
        let host = host_end
            .filter(|&i| raw[..i].bytes().any(|b| b != b':'))
            .map(|i| at(0, i));
        let proto = proto.map(|pr| {
            let s = container_start + port.len() + 1;
            (pr.to_string(), at(s, s + pr.len()))
        });
        out.push(Port {
            text: raw.to_string(),
            container: container.to_string(),
            host,
            proto,
        });
    }
    out
}
