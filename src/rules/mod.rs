//! Rules: one file per rule, each a static [`RuleMeta`] and a `check`
//! function over the model. [`REGISTRY`] lists them, one line each.
//! Severity overrides and enabling are applied centrally in [`run`].

use crate::model::Model;
use crate::text::TextRange;

mod copy_from_variable;
mod duplicate_stage_name;
mod reserved_stage_name;
mod stage_forward_reference;
mod stage_index_out_of_range;
mod stage_self_reference;
mod syntax;
mod undefined_arg_in_from;
mod undefined_stage;
mod unused_stage;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" | "style" => Some(Severity::Hint),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// BuildKit rejects the Dockerfile.
    Syntax,
    /// The stage graph.
    Stages,
    /// ARG and ENV.
    Variables,
}

/// Where a rule is on without configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Default {
    /// Editor and CLI.
    On,
    /// Editor only (a hint that would flood CI output).
    EditorOnly,
}

#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    /// Other codes users write for the same problem (hadolint's `DL3024`).
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
    /// Markdown with What / Why / Example / Fix sections.
    pub docs: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub default: Default,
}

impl RuleMeta {
    /// Whether `code` names this rule (its code or an alias), case-insensitive.
    pub fn answers_to(&self, code: &str) -> bool {
        self.code.eq_ignore_ascii_case(code)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub aliases: &'static [&'static str],
    pub range: TextRange,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<Related>,
    pub tags: Vec<Tag>,
}

/// What a rule's check sees.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub model: &'a Model,
}

/// Collects a rule's findings.
#[derive(Default)]
pub struct Acc {
    out: Vec<Diagnostic>,
}

impl Acc {
    pub fn push(
        &mut self,
        meta: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            code: meta.code,
            aliases: meta.aliases,
            range,
            severity: meta.severity,
            message: message.into(),
            related: Vec::new(),
            tags: Vec::new(),
        });
        self.out.last_mut().expect("just pushed")
    }
}

impl Diagnostic {
    pub fn related(&mut self, range: TextRange, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    pub fn tag(&mut self, tag: Tag) -> &mut Self {
        self.tags.push(tag);
        self
    }
}

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Ctx, &mut Acc),
}

/// Every rule, one line each.
pub static REGISTRY: &[Rule] = &[
    syntax::UNKNOWN_INSTRUCTION_RULE,
    syntax::INVALID_FLAG_RULE,
    syntax::INVALID_ARGUMENTS_RULE,
    syntax::INVALID_STAGE_NAME_RULE,
    syntax::UNTERMINATED_HEREDOC_RULE,
    syntax::INVALID_DIRECTIVE_RULE,
    undefined_stage::RULE,
    duplicate_stage_name::RULE,
    reserved_stage_name::RULE,
    stage_self_reference::RULE,
    stage_forward_reference::RULE,
    stage_index_out_of_range::RULE,
    copy_from_variable::RULE,
    unused_stage::RULE,
    undefined_arg_in_from::RULE,
];

/// The rule a code (or alias) names.
pub fn find(code: &str) -> Option<&'static Rule> {
    REGISTRY.iter().find(|r| r.meta.answers_to(code))
}

/// Who is asking: the editor shows hints the CLI leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, std::default::Default)]
pub enum Profile {
    #[default]
    Editor,
    Cli,
}

/// Per-rule configuration.
#[derive(Clone, Debug, std::default::Default, PartialEq, Eq)]
pub struct RuleSettings {
    pub profile: Profile,
    /// Code or alias → severity, or `None` to turn the rule off.
    pub overrides: Vec<(String, Option<Severity>)>,
    /// Codes or aliases to enable that are off by default in this profile.
    pub enable: Vec<String>,
}

impl RuleSettings {
    fn level(&self, meta: &RuleMeta) -> Option<Severity> {
        for (code, sev) in self.overrides.iter().rev() {
            if meta.answers_to(code) {
                return *sev;
            }
        }
        let on = match meta.default {
            Default::On => true,
            Default::EditorOnly => self.profile == Profile::Editor,
        } || self.enable.iter().any(|c| meta.answers_to(c));
        on.then_some(meta.severity)
    }
}

/// Run every enabled rule; diagnostics sorted by position.
pub fn run(text: &str, model: &Model, settings: &RuleSettings) -> Vec<Diagnostic> {
    let ctx = Ctx { text, model };
    let mut all = Vec::new();
    for rule in REGISTRY {
        let Some(level) = settings.level(rule.meta) else {
            continue;
        };
        let mut acc = Acc::default();
        (rule.check)(&ctx, &mut acc);
        for mut d in acc.out {
            if level != rule.meta.severity {
                d.severity = level;
            }
            all.push(d);
        }
    }
    all.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    all
}
