//! Rules: one file per rule, each a static [`RuleMeta`] and a `check`
//! function over the model. [`REGISTRY`] lists them, one line each.
//! Severity overrides and enabling are applied centrally in [`run`].

use foldhash::HashMap;
use std::sync::OnceLock;

use crate::model::fs::Fs;
use crate::model::{Instruction, Kept, Model};
use crate::shell::{self, Command, Dialect, Script};
use crate::text::{TextEdit, TextRange};

mod buildkit;
mod core;
mod hadolint;
mod packages;
mod pragma;
mod reuse;
pub(crate) mod secrets;
mod shellrules;
mod stageaware;

pub use pragma::{pragmas, Pragma, PragmaKind, Suppressions};
pub use reuse::Inside;

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
    /// The stage graph, and what each stage holds and ships.
    Stages,
    /// ARG and ENV.
    Variables,
    /// Likely bugs and fragile builds.
    BestPractice,
    /// Secrets, privileges, untrusted sources.
    Security,
    /// Consistency and deprecated forms.
    Style,
    /// Package managers: pinning, caches, image size.
    Packages,
    /// Shell commands in RUN.
    Shell,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Stages => "stages",
            Category::Variables => "variables",
            Category::BestPractice => "best-practice",
            Category::Security => "security",
            Category::Style => "style",
            Category::Packages => "packages",
            Category::Shell => "shell",
        }
    }
}

/// Where a rule is on without configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Default {
    /// Editor and CLI.
    On,
    /// Editor only (a hint that would flood CI output).
    EditorOnly,
    /// Off unless enabled (`enable` in the settings, `--enable` in the CLI).
    Off,
}

/// Texts longer than this are modelled (navigation, symbols and completion
/// keep working) but not checked: no hand-written Dockerfile comes near it
/// (the largest of the 1,121 corpus files is 0.1 MB), and on a generated
/// multi-megabyte text the rules would stall an editor for nothing.
pub const MAX_CHECKED_BYTES: usize = 2 << 20;

/// The one diagnostic of a text over [`MAX_CHECKED_BYTES`].
fn too_large(len: usize) -> Diagnostic {
    Diagnostic {
        code: "FileTooLarge",
        aliases: &[],
        range: TextRange::empty(0),
        severity: Severity::Warning,
        message: format!(
            "this file is {:.1} MB; berth checks files up to {} MB, so no rule ran on it (navigation, symbols and completion still work)",
            len as f64 / (1 << 20) as f64,
            MAX_CHECKED_BYTES >> 20
        ),
        related: Vec::new(),
        tags: Vec::new(),
        fixes: Vec::new(),
    }
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

/// Whether a fix can be applied without looking (`berth fix`), or changes
/// behaviour in a way the user should review (`berth fix --unsafe`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    Safe,
    Unsafe,
}

/// A mechanical fix of one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What it does, as a code action title: "Replace `apt` with `apt-get`".
    pub label: String,
    pub safety: Safety,
    pub edits: Vec<TextEdit>,
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
    /// Fixes, best first (empty when the rule cannot fix it mechanically).
    pub fixes: Vec<Fix>,
}

/// What a rule's check sees: the text, the model, the shell scripts of
/// every RUN, and the rule configuration.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub model: &'a Model,
    pub config: &'a RuleSettings,
    /// Per instruction index: the scripts its RUN (or ONBUILD RUN) runs.
    scripts: Vec<Vec<Script>>,
    /// Per instruction index: the shell dialect those scripts were parsed
    /// in (for a RUN or ONBUILD RUN).
    dialects: Vec<Option<Dialect>>,
    /// Program base name → its commands (instruction, script, command), in
    /// source order. Most rules look at one program: they visit only its
    /// commands instead of every command of the file.
    by_program: Programs,
    /// The stage-aware filesystem model, built once for all rules.
    fs: OnceLock<Fs>,
    /// Per stage: whether it ships, and whether a stage is built FROM it.
    stage_use: OnceLock<Vec<(bool, bool)>>,
    /// When set, the scripts and commands of the other instructions are
    /// hidden: a rule local to RUN is checked on this one alone.
    focus: std::cell::Cell<Option<u32>>,
}

impl<'a> Ctx<'a> {
    pub fn new(text: &'a str, model: &'a Model, config: &'a RuleSettings) -> Ctx<'a> {
        Ctx::with_scripts(text, model, config, Scripts::default())
    }

    /// A context that takes the scripts `reused` holds (from an earlier
    /// version of the text, see [`Scripts::remap`]) and parses the others.
    pub fn with_scripts(
        text: &'a str,
        model: &'a Model,
        config: &'a RuleSettings,
        reused: Scripts,
    ) -> Ctx<'a> {
        let Scripts {
            parsed,
            fs,
            programs,
            ..
        } = reused;
        let mut reused = parsed.into_iter();
        let mut scripts = Vec::with_capacity(model.instructions.len());
        let mut dialects = Vec::with_capacity(model.instructions.len());
        // The instructions whose scripts were parsed here.
        let mut parsed_here = Vec::new();
        for ins in &model.instructions {
            let (dialect, parsed) = match reused.next().flatten() {
                Some(kept) => (kept.dialect, kept.scripts),
                None => {
                    parsed_here.push(ins.index as u32);
                    match shell::run_of(ins) {
                        Some(run) => {
                            let d = shell::dialect(model, run.index);
                            let parsed = shell::run_scripts_in(text, run, &d);
                            (Some(d), parsed)
                        }
                        None => (None, Vec::new()),
                    }
                }
            };
            scripts.push(parsed);
            dialects.push(dialect);
        }
        // The index of the reused scripts' commands, when it was carried
        // (their instructions kept their indices), with the entries of the
        // instructions parsed here made again; otherwise made afresh.
        let by_program = match programs {
            Some(mut by_program) => {
                by_program.retain(|_, at| {
                    at.retain(|c| parsed_here.binary_search(&c.0).is_err());
                    !at.is_empty()
                });
                for &i in &parsed_here {
                    index_commands(&mut by_program, i, &scripts[i as usize], true);
                }
                by_program
            }
            None => {
                let mut by_program = Programs::default();
                for (i, ss) in scripts.iter().enumerate() {
                    index_commands(&mut by_program, i as u32, ss, false);
                }
                by_program
            }
        };
        Ctx {
            text,
            model,
            config,
            scripts,
            dialects,
            by_program,
            fs: fs.map_or_else(OnceLock::new, OnceLock::from),
            stage_use: OnceLock::new(),
            focus: std::cell::Cell::new(None),
        }
    }

    /// The scripts of every instruction, for the next version's context.
    pub fn into_scripts(self) -> Scripts {
        Scripts {
            parsed: self
                .scripts
                .into_iter()
                .zip(self.dialects)
                .map(|(scripts, dialect)| Some(Parsed { dialect, scripts }))
                .collect(),
            fs: self.fs.into_inner(),
            programs: Some(self.by_program),
            previous: None,
        }
    }

    /// The stage-aware filesystem model ([`Fs::new`]), shared by the rules.
    pub fn fs(&self) -> &Fs {
        self.fs.get_or_init(|| Fs::new(self.model))
    }

    /// The scripts instruction `index` runs (empty unless a shell-form RUN
    /// in a POSIX-shell stage).
    pub fn scripts(&self, index: usize) -> &[Script] {
        if self.focus.get().is_some_and(|f| f as usize != index) {
            return &[];
        }
        self.scripts.get(index).map_or(&[], Vec::as_slice)
    }

    /// The command index: each program with its commands' (instruction,
    /// script, command) positions, by program name. For tests comparing an
    /// index carried across an edit with one made afresh.
    pub fn command_index(&self) -> Vec<(&str, &[CommandAt])> {
        let mut v: Vec<_> = self
            .by_program
            .iter()
            .map(|(p, at)| (&**p, at.as_slice()))
            .collect();
        v.sort_unstable();
        v
    }

    /// Whether the command at `at` is in view (see `focus`).
    fn in_view(&self, at: &CommandAt) -> bool {
        self.focus.get().is_none_or(|f| f == at.0)
    }

    /// Every simple command of every RUN, with its instruction.
    pub fn commands(&self) -> impl Iterator<Item = (&'a Instruction, &Command)> + '_ {
        let focus = self.focus.get().map(|f| f as usize);
        self.scripts
            .iter()
            .enumerate()
            .filter(move |(i, _)| focus.is_none_or(|f| f == *i))
            .flat_map(move |(i, ss)| {
                ss.iter()
                    .flat_map(|s| s.commands.iter())
                    .map(move |c| (&self.model.instructions[i], c))
            })
    }

    /// The commands whose [`Command::program`] is one of `programs`, with
    /// their instruction, in source order (as `commands()` filtered by
    /// program, without visiting the others).
    pub fn commands_named(
        &self,
        programs: &[&str],
    ) -> impl Iterator<Item = (&'a Instruction, &Command)> + '_ {
        let mut at: Vec<CommandAt> = programs
            .iter()
            .filter_map(|p| self.by_program.get(*p))
            .flatten()
            .copied()
            .filter(|at| self.in_view(at))
            .collect();
        if programs.len() > 1 {
            at.sort_unstable();
            at.dedup();
        }
        at.into_iter().map(move |at| self.command(at))
    }

    /// Whether any RUN runs one of `programs` (as [`Command::program`]).
    pub fn runs_any(&self, programs: &[&str]) -> bool {
        programs.iter().any(|p| {
            self.by_program
                .get(*p)
                .is_some_and(|at| at.iter().any(|at| self.in_view(at)))
        })
    }

    fn command(&self, (ins, script, cmd): CommandAt) -> (&'a Instruction, &Command) {
        (
            &self.model.instructions[ins as usize],
            &self.scripts[ins as usize][script as usize].commands[cmd as usize],
        )
    }

    /// Whether a stage ends up in the built image: the target, or a stage
    /// the target is built `FROM` (directly or through other stages).
    pub fn ships(&self, stage: usize) -> bool {
        self.stage_use().get(stage).is_some_and(|u| u.0)
    }

    /// Whether another stage is built `FROM` this one.
    pub fn built_upon(&self, stage: usize) -> bool {
        self.stage_use().get(stage).is_some_and(|u| u.1)
    }

    fn stage_use(&self) -> &[(bool, bool)] {
        self.stage_use.get_or_init(|| {
            let m = self.model;
            let mut uses = vec![(false, false); m.stages.len()];
            let mut s = m.target;
            while let Some(at) = s {
                uses[at].0 = true;
                s = match m.stages[at].base {
                    crate::model::Base::Stage(b) if b < at => Some(b),
                    _ => None,
                };
            }
            for st in &m.stages {
                if let crate::model::Base::Stage(b) = st.base {
                    if let Some(u) = uses.get_mut(b) {
                        u.1 = true;
                    }
                }
            }
            uses
        })
    }
}

/// The scripts of each instruction's RUN, in instruction order, as a
/// context parsed them, for the next version of the text. A script depends
/// only on its instruction's text and the shell dialect in effect there
/// (the SHELL before it, the base image), so the scripts of instructions
/// an edit did not touch serve again ([`Scripts::remap`]). With them, the
/// filesystem model the context built, if any: it serves again when the
/// edit changed only the text of one RUN. And, after an edit inside one
/// instruction, the previous version's findings, which the rules blind or
/// local to that instruction's kind keep ([`Scripts::keep_findings`]).
#[derive(Default)]
pub struct Scripts {
    parsed: Vec<Option<Parsed>>,
    fs: Option<Fs>,
    /// The index of the commands of `parsed`, while their instructions
    /// keep their indices.
    programs: Option<Programs>,
    previous: Option<(Vec<Diagnostic>, Inside)>,
}

/// Program base name → its commands, in source order.
type Programs = HashMap<Box<str>, Vec<CommandAt>>;

/// Where a command is: its instruction, script and place in the script.
pub type CommandAt = (u32, u32, u32);

/// Add the commands of instruction `i`'s scripts `ss` to `by_program`:
/// at the end of each program's list, or (`in_order`) where they belong.
fn index_commands(by_program: &mut Programs, i: u32, ss: &[Script], in_order: bool) {
    for (si, s) in ss.iter().enumerate() {
        for (ci, c) in s.commands.iter().enumerate() {
            let at = (i, si as u32, ci as u32);
            match by_program.get_mut(c.program()) {
                Some(v) if in_order => v.insert(v.partition_point(|x| *x < at), at),
                Some(v) => v.push(at),
                None => {
                    by_program.insert(c.program().into(), vec![at]);
                }
            }
        }
    }
}

/// One instruction's scripts (`None` where to parse again).
struct Parsed {
    dialect: Option<Dialect>,
    scripts: Vec<Script>,
}

impl Scripts {
    /// The filesystem model kept for the next version, if any.
    pub fn fs(&self) -> Option<&Fs> {
        self.fs.as_ref()
    }

    /// Keep `diagnostics`, the findings of the text before `edit` (with the
    /// same settings), for the rules blind or local to the edited
    /// instruction's kind.
    pub fn keep_findings(&mut self, diagnostics: Vec<Diagnostic>, edit: Inside) {
        self.previous = Some((diagnostics, edit));
    }

    /// The scripts for `model`, rebuilt from the model these were parsed
    /// for, which kept `kept` of its instructions: the prefix as it was,
    /// the moved tail where the dialect in effect is still the same.
    pub fn remap(self, kept: &Kept, model: &Model) -> Scripts {
        let Scripts {
            parsed: mut old,
            fs,
            programs,
            previous: _,
        } = self;
        // The command index serves again while every kept instruction
        // keeps its index.
        let programs = programs.filter(|_| {
            old.len() == model.instructions.len() && kept.tail.is_some_and(|t| t.new == t.old)
        });
        // One instruction rescanned, as many after it as before.
        let single = match kept.tail {
            Some(t) => t.old == kept.prefix + 1 && t.new == t.old,
            None => old.len() == kept.prefix + 1 && model.instructions.len() == old.len(),
        };
        let fs = fs
            .filter(|fs| single && fs.survives(model, kept.prefix))
            .map(|fs| fs.moved_after(kept.prefix, kept.tail.map_or(0, |t| t.delta)));
        // When that instruction was and is a RUN, no SHELL or FROM changed:
        // the dialect in effect after it is the same everywhere.
        let was_run = old
            .get(kept.prefix)
            .is_some_and(|p| p.as_ref().is_some_and(|p| p.dialect.is_some()));
        let same_dialects = single
            && was_run
            && model
                .instructions
                .get(kept.prefix)
                .and_then(shell::run_of)
                .is_some();
        let tail = match kept.tail {
            Some(t) if t.old <= old.len() => {
                let mut rest = old.split_off(t.old);
                rest.truncate(t.len);
                Some((t, rest))
            }
            _ => None,
        };
        old.truncate(kept.prefix);
        let Some((t, rest)) = tail else {
            return Scripts {
                parsed: old,
                fs,
                programs: None,
                previous: None,
            };
        };
        old.resize_with(t.new, || None);
        for (k, parsed) in rest.into_iter().enumerate() {
            let Some(ins) = model.instructions.get(t.new + k) else {
                break;
            };
            let parsed = parsed.and_then(|mut p| {
                if let Some(d) = &p.dialect {
                    let run = shell::run_of(ins)?;
                    if !same_dialects && shell::dialect(model, run.index) != *d {
                        return None;
                    }
                }
                for s in &mut p.scripts {
                    s.shift(t.delta);
                }
                Some(p)
            });
            old.push(parsed);
        }
        Scripts {
            parsed: old,
            fs,
            programs,
            previous: None,
        }
    }
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
            fixes: Vec::new(),
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

    /// Attach a fix.
    pub fn fix(
        &mut self,
        label: impl Into<String>,
        safety: Safety,
        edits: Vec<TextEdit>,
    ) -> &mut Self {
        self.fixes.push(Fix {
            label: label.into(),
            safety,
            edits,
        });
        self
    }
}

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Ctx, &mut Acc),
    /// Instruction kinds whose text, beyond each one's keyword and place,
    /// this rule's findings do not depend on: after an edit inside one
    /// instruction of such a kind, its previous findings are moved rather
    /// than checked again (see `reuse.rs`). Empty: every edit checks it.
    pub blind_to: &'static [crate::syntax::Keyword],
    /// Instruction kinds to which this rule's findings are local: a
    /// finding inside such an instruction depends on no other instruction
    /// of these kinds, and a finding elsewhere on none of them. After an
    /// edit inside one such instruction, the rule is checked on it alone
    /// ([`Ctx`] sees only its scripts) and keeps its other findings.
    pub local_to: &'static [crate::syntax::Keyword],
}

/// [`Rule::blind_to`] of the rules that read no RUN, COPY or ADD
/// instruction beyond its keyword and place.
pub(crate) const RUN_COPY_ADD: &[crate::syntax::Keyword] = &[
    crate::syntax::Keyword::Run,
    crate::syntax::Keyword::Copy,
    crate::syntax::Keyword::Add,
];

/// [`Rule::blind_to`] of the rules that read RUN scripts but no COPY or
/// ADD instruction beyond its keyword and place.
pub(crate) const COPY_ADD: &[crate::syntax::Keyword] =
    &[crate::syntax::Keyword::Copy, crate::syntax::Keyword::Add];

/// [`Rule::local_to`] of the rules whose findings about a RUN come from
/// that RUN alone (its scripts and flags, and what no RUN sets: ARG, ENV,
/// SHELL, the base image).
pub(crate) const RUN: &[crate::syntax::Keyword] = &[crate::syntax::Keyword::Run];

/// Every rule: each family lists its own, one line each.
pub fn all() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        [
            core::RULES,
            buildkit::RULES,
            hadolint::RULES,
            packages::RULES,
            shellrules::RULES,
            stageaware::RULES,
        ]
        .iter()
        .flat_map(|family| family.iter())
        .collect()
    })
}

/// The rule a code (or alias) names.
pub fn find(code: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| r.meta.answers_to(code))
}

/// BuildKit's build check names: `# check=skip=all` and `error=true`
/// apply to these.
pub const BUILDKIT_CHECKS: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

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
    /// Registries base images may come from (hadolint's
    /// `trustedRegistries`); empty means any.
    pub trusted_registries: Vec<String>,
    /// Required labels and their kind (hadolint's `label-schema`):
    /// `text`, `url`, `semver`, `hash`, `rfc3339`, `spdx`, `email`.
    pub label_schema: Vec<(String, String)>,
    /// Labels not in the schema are reported (hadolint's `strict-labels`).
    pub strict_labels: bool,
    /// The build context, when known (a Dockerfile on disk): the rules
    /// about COPY/ADD sources read it.
    pub context: Option<std::sync::Arc<crate::model::context::BuildContext>>,
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
            Default::Off => false,
        } || self.enable.iter().any(|c| meta.answers_to(c));
        on.then_some(meta.severity)
    }
}

/// Run every enabled rule, then apply the file's pragmas; diagnostics
/// sorted by position.
pub fn run(text: &str, model: &Model, settings: &RuleSettings) -> Vec<Diagnostic> {
    run_with(text, model, settings, Scripts::default()).diagnostics
}

/// What [`run_with`] found, and what it leaves for the next version.
pub struct Checked {
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    pub scripts: Scripts,
    /// How many rules' findings were moved from the previous version's
    /// (all of them, or those outside the edited instruction) rather than
    /// checked again.
    pub kept_rules: usize,
}

/// [`run`], starting from scripts parsed for an earlier version (see
/// [`Ctx::with_scripts`]) and that version's findings, if any (see
/// [`Scripts::keep_findings`]).
pub fn run_with(
    text: &str,
    model: &Model,
    settings: &RuleSettings,
    mut reused: Scripts,
) -> Checked {
    if text.len() > MAX_CHECKED_BYTES {
        return Checked {
            diagnostics: vec![too_large(text.len())],
            scripts: Scripts::default(),
            kept_rules: 0,
        };
    }
    // The findings of the rules blind to an edit, moved, and those of the
    // rules local to it outside the edited instruction; the others are
    // checked. The suppressions and settings are the ones they were made
    // with (see `reuse::Inside::before`).
    let (reuse, mut out, edited) = match reused.previous.take() {
        Some((previous, edit)) => {
            let (reuse, out) = reuse::keep(previous, &edit);
            let edited = model.instructions.get(edit.index());
            (reuse, out, edited)
        }
        None => (Vec::new(), Vec::new(), None),
    };
    let ctx = Ctx::with_scripts(text, model, settings, reused);
    let suppressions = Suppressions::new(model, text);
    for (i, rule) in all().iter().enumerate() {
        let how = reuse.get(i).copied().unwrap_or(reuse::Reuse::Check);
        if how == reuse::Reuse::Keep {
            continue;
        }
        let Some(level) = settings.level(rule.meta) else {
            continue;
        };
        if suppressions.skips_rule(rule.meta) {
            continue;
        }
        // Checked on the edited instruction alone: its findings there.
        let focus = edited.filter(|_| how == reuse::Reuse::Focus);
        ctx.focus.set(focus.map(|ins| ins.index as u32));
        let mut acc = Acc::default();
        (rule.check)(&ctx, &mut acc);
        ctx.focus.set(None);
        for mut d in acc.out {
            if focus.is_some_and(|ins| !ins.range.contains_range(d.range)) {
                continue;
            }
            if level != rule.meta.severity {
                d.severity = level;
            }
            if suppressions.suppresses(&d) {
                continue;
            }
            if suppressions.checks_are_errors && BUILDKIT_CHECKS.contains(&d.code) {
                d.severity = Severity::Error;
            }
            out.push(d);
        }
    }
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    Checked {
        diagnostics: out,
        scripts: ctx.into_scripts(),
        kept_rules: reuse.iter().filter(|&&r| r != reuse::Reuse::Check).count(),
    }
}
