//! What the client said it can do, and the server's reports to it:
//! `window/workDoneProgress` around long work, `$/setTrace` + `$/logTrace`,
//! the startup `window/logMessage`, and plain text for clients that do not
//! render markdown.

use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};
use std::time::Instant;

use tower_lsp_server::ls_types::notification::LogTrace;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::code_actions::strip_snippet;
use super::settings::ClientSettings;

/// A document this long gets a progress report around its first analysis.
pub const LONG_DOCUMENT_LINES: usize = 2000;

/// The parts of the client's capabilities the server adapts to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientCaps {
    /// `window.workDoneProgress`: the client takes server-created progress.
    pub work_done_progress: bool,
    /// `completionItem.snippetSupport`: without it a snippet item is sent
    /// as its plain text (`adapt`).
    pub snippets: bool,
}

impl ClientCaps {
    pub fn from_params(caps: &ClientCapabilities) -> ClientCaps {
        let text = caps.text_document.as_ref();
        let completion_item = text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref());
        ClientCaps {
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            snippets: completion_item
                .and_then(|c| c.snippet_support)
                .unwrap_or(false),
        }
    }

    /// A completion item as this client takes it: snippet syntax removed
    /// where snippets are not supported (documentation is rendered for the
    /// client's formats in `hover.rs`).
    pub fn adapt(&self, mut item: CompletionItem) -> CompletionItem {
        if !self.snippets && item.insert_text_format == Some(InsertTextFormat::SNIPPET) {
            item.insert_text_format = Some(InsertTextFormat::PLAIN_TEXT);
            if let Some(t) = &mut item.insert_text {
                *t = strip_snippet(t);
            }
            match &mut item.text_edit {
                Some(CompletionTextEdit::Edit(e)) => e.new_text = strip_snippet(&e.new_text),
                Some(CompletionTextEdit::InsertAndReplace(e)) => {
                    e.new_text = strip_snippet(&e.new_text)
                }
                None => {}
            }
        }
        item
    }
}

/// Markdown as readable plain text: fences and emphasis go, links keep
/// their address, inline code keeps its text.
pub fn markdown_to_plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.trim_end() == "---" {
            continue;
        }
        let line = match t.strip_prefix('#') {
            Some(_) => t.trim_start_matches('#').trim_start(),
            None => line,
        };
        // A whole line in emphasis: `*severity: warning*`.
        let line = match line.strip_prefix('*').and_then(|l| l.strip_suffix('*')) {
            Some(inner) if !inner.starts_with('*') => inner,
            _ => line,
        };
        let mut rest = line;
        while !rest.is_empty() {
            // [text](url) → text (url)
            if let Some(after) = rest.strip_prefix('[') {
                if let Some(close) = after.find("](") {
                    if let Some(end) = after[close + 2..].find(')') {
                        let text = &after[..close];
                        let url = &after[close + 2..close + 2 + end];
                        out.push_str(&strip_inline(text));
                        out.push_str(" (");
                        out.push_str(url);
                        out.push(')');
                        rest = &after[close + 2 + end + 1..];
                        continue;
                    }
                }
            }
            let next = rest[1..].find('[').map_or(rest.len(), |i| i + 1);
            out.push_str(&strip_inline(&rest[..next]));
            rest = &rest[next..];
        }
        out.push('\n');
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

fn strip_inline(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

/// `off`, `messages`, `verbose`, set by `initialize`'s `trace` and by
/// `$/setTrace`.
#[derive(Default)]
pub struct Trace(AtomicU8);

impl Trace {
    pub fn set(&self, value: TraceValue) {
        let v = match value {
            TraceValue::Messages => 1,
            TraceValue::Verbose => 2,
            _ => 0,
        };
        self.0.store(v, Ordering::SeqCst);
    }

    pub fn on(&self) -> bool {
        self.0.load(Ordering::SeqCst) > 0
    }

    pub fn verbose(&self) -> bool {
        self.0.load(Ordering::SeqCst) > 1
    }

    /// Send `$/logTrace` when tracing is on; `verbose` goes along only at
    /// the verbose level.
    pub async fn log(&self, client: &Client, message: String, verbose: impl FnOnce() -> String) {
        if !self.on() {
            return;
        }
        let verbose = self.verbose().then(verbose);
        client
            .send_notification::<LogTrace>(LogTraceParams { message, verbose })
            .await;
    }
}

/// Parameters of `$/setTrace`.
#[derive(serde::Deserialize)]
pub struct SetTraceParams {
    pub value: TraceValue,
}

/// Begin a progress report titled `title`, if the client takes them;
/// `None` when it does not or refuses the token.
pub async fn begin(
    client: &Client,
    caps: ClientCaps,
    title: &str,
    message: String,
) -> Option<Ongoing> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    if !caps.work_done_progress {
        return None;
    }
    {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let token = NumberOrString::String(format!("berth/{n}"));
        client.create_work_done_progress(token.clone()).await.ok()?;
        client
            .send_notification::<notification::Progress>(ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(WorkDoneProgress::Begin(
                    WorkDoneProgressBegin {
                        title: title.to_string(),
                        cancellable: Some(false),
                        message: Some(message),
                        percentage: None,
                    },
                )),
            })
            .await;
        Some(Ongoing {
            token,
            start: Instant::now(),
        })
    }
}

pub struct Ongoing {
    token: NumberOrString,
    start: Instant,
}

impl Ongoing {
    pub async fn end(self, client: &Client) {
        let ms = self.start.elapsed().as_millis();
        client
            .send_notification::<notification::Progress>(ProgressParams {
                token: self.token,
                value: ProgressParamsValue::WorkDone(WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some(format!("done in {ms} ms")),
                })),
            })
            .await;
    }
}

/// The startup log line: version, position encoding, effective settings.
pub fn startup_message(
    encoding: &str,
    settings: &ClientSettings,
    caps: ClientCaps,
    hover_markdown: bool,
) -> String {
    format!(
        "berth {} ready (position encoding {encoding}; {}; hover {}, progress {})",
        env!("CARGO_PKG_VERSION"),
        describe_settings(settings),
        if hover_markdown {
            "markdown"
        } else {
            "plain text"
        },
        if caps.work_done_progress { "on" } else { "off" },
    )
}

/// The client's settings in one line, defaults spelled out.
pub fn describe_settings(s: &ClientSettings) -> String {
    let target = match &s.target {
        Some(Some(t)) => format!("target {t}"),
        _ => "target: the last stage".to_string(),
    };
    let mut rules: Vec<String> = s
        .overrides
        .iter()
        .map(|(code, sev)| match sev {
            None => format!("{code}=off"),
            Some(sev) => format!("{code}={}", sev.as_str()),
        })
        .collect();
    rules.extend(s.enable.iter().map(|c| format!("{c}=on")));
    let rules = if rules.is_empty() {
        "rules: defaults".to_string()
    } else {
        format!("rules: {}", rules.join(", "))
    };
    let registries = match &s.trusted_registries {
        Some(r) if r.is_empty() => "; trusted registries: none".to_string(),
        Some(r) => format!("; trusted registries: {}", r.join(", ")),
        None => String::new(),
    };
    format!(
        "settings: {target}, shellcheck {}, {rules}{registries}",
        if s.shellcheck() { "on" } else { "off" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "**DL3008** `apt-get install` without versions\n*severity: warning*\n---\n\n```dockerfile\nRUN apt-get install -y curl\n```\n## Why\nSee [the wiki](https://example.com/DL3008).";
        assert_eq!(
            markdown_to_plain(md),
            "DL3008 apt-get install without versions\nseverity: warning\n\nRUN apt-get install -y curl\nWhy\nSee the wiki (https://example.com/DL3008)."
        );
        // Brackets that are not links stay.
        assert_eq!(markdown_to_plain("a [b] c ["), "a [b] c [");
        assert_eq!(markdown_to_plain(""), "");
    }

    #[test]
    fn capabilities_read_from_initialize() {
        let caps: ClientCapabilities = serde_json::from_value(json!({
            "window": { "workDoneProgress": true },
            "textDocument": {
                "hover": { "contentFormat": ["plaintext"] },
                "completion": { "completionItem": {
                    "snippetSupport": false,
                    "documentationFormat": ["markdown", "plaintext"]
                } }
            }
        }))
        .unwrap();
        assert_eq!(
            ClientCaps::from_params(&caps),
            ClientCaps {
                work_done_progress: true,
                snippets: false,
            }
        );
        assert_eq!(
            ClientCaps::from_params(&ClientCapabilities::default()),
            ClientCaps::default()
        );
    }

    #[test]
    fn settings_described() {
        let s = ClientSettings::from_json(&json!({
            "target": "prod", "shellcheck": false,
            "rules": {"DL3008": "off", "UnusedStage": "error", "X": "on"},
            "trustedRegistries": ["docker.io"]
        }));
        assert_eq!(
            describe_settings(&s),
            "settings: target prod, shellcheck off, rules: DL3008=off, UnusedStage=error, X=on; trusted registries: docker.io"
        );
        assert_eq!(
            describe_settings(&ClientSettings::default()),
            "settings: target: the last stage, shellcheck on, rules: defaults"
        );
    }
}
