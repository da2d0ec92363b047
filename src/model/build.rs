//! Building the model from the syntax layer.

use crate::syntax::{self, words, Flag, FlagKind, Joined, Keyword, Parts, Word};
use crate::text::{Document, TextRange, TextSize};
use foldhash::HashMap;

use super::image::ImageRef;
use super::{
    graph, vars, Base, Form, Instruction, Model, ModelSettings, Problem, RefKind, Resolution,
    Stage, StageRef,
};

pub const UNKNOWN_INSTRUCTION: &str = "UnknownInstruction";
pub const INVALID_FLAG: &str = "InvalidFlag";
pub const INVALID_ARGUMENTS: &str = "InvalidArguments";
pub const INVALID_STAGE_NAME: &str = "InvalidStageName";
pub const UNTERMINATED_HEREDOC: &str = "UnterminatedHeredoc";
pub const INVALID_DIRECTIVE: &str = "InvalidDirective";
pub const INVALID_ONBUILD_TRIGGER: &str = "InvalidOnbuildTrigger";
/// Not a BuildKit error: variable references nested deeper than
/// [`words::MAX_NESTING`] levels, which the analysis does not follow.
pub const NESTING_TOO_DEEP: &str = "NestingTooDeep";

impl Model {
    pub fn build(text: &str) -> Model {
        Model::build_with(text, &ModelSettings::default())
    }

    /// The model of `text`, parsed afresh.
    pub fn build_with(text: &str, settings: &ModelSettings) -> Model {
        Model::from_syntax(syntax::parse(text), settings)
    }

    /// The model of an open document, read from the tree it keeps.
    pub fn build_from(doc: &Document, settings: &ModelSettings) -> Model {
        Model::from_syntax(syntax::read_document(doc), settings)
    }

    fn from_syntax(file: syntax::SyntaxFile, settings: &ModelSettings) -> Model {
        let mut m = Model {
            escape: file.escape,
            recovered: file.recovered,
            directives: file.directives,
            comments: file.comments,
            ..Model::default()
        };
        push_errors(&mut m.problems, file.errors);
        m.syntax_problems = m.problems.len();
        let mut names: HashMap<String, usize> = HashMap::default();
        for raw in file.instructions {
            if let Some(parts) = syntax::lex(&raw.joined, 0, m.escape) {
                add_instruction(&mut m, parts, raw, None, &mut names);
            }
        }
        finish(&mut m, settings);
        m
    }

    /// How many instructions [`Model::rebuild`] keeps for a change at
    /// `changed`: those the parser was done with before it.
    pub fn unchanged_before(&self, changed: TextSize) -> usize {
        self.scan_ends.partition_point(|&e| e <= changed)
    }

    /// The model of `doc`, whose text is `prev`'s text with
    /// `old_start..old_end` replaced by `text[old_start..new_end]`:
    /// `prev`'s instructions whose scan ended at or before the change are
    /// kept, the document's tree is read again from there until the read
    /// reaches, after the change, a point where `prev`'s read stood ready
    /// for an instruction; `prev`'s instructions from there on are kept
    /// too, moved and renumbered. References, variable links and the stage
    /// graph are computed afresh. The model equals [`Model::build_from`]
    /// of `doc`; with it comes which of `prev`'s instructions were kept.
    pub fn rebuild(
        prev: Model,
        doc: &Document,
        old_start: TextSize,
        old_end: TextSize,
        new_end: TextSize,
        settings: &ModelSettings,
    ) -> (Model, Kept) {
        let keep = prev.unchanged_before(old_start);
        if keep == 0 || prev.recovered {
            return (Model::build_from(doc, settings), Kept::default());
        }
        let delta = new_end as i64 - old_end as i64;
        let resume = prev.scan_ends[keep - 1];
        let kept_end = prev.instructions[keep - 1].range.end;
        // Where an old instruction's scan ended, after the change: the
        // old instructions after it follow, unchanged but for their place.
        let resync = |new_scan_end: TextSize| -> Option<usize> {
            let old = new_scan_end as i64 - delta;
            if old < old_end as i64 || old >= TextSize::MAX as i64 {
                return None;
            }
            prev.scan_ends.binary_search(&(old as TextSize)).ok()
        };
        let read = syntax::read_document_until(doc, resume, prev.escape, &|e| resync(e).is_some());
        let Some((file, stopped)) = read else {
            return (Model::build_from(doc, settings), Kept::default());
        };
        let tail_from = stopped.and_then(resync).map(|j| j + 1);
        let mut m = prev;
        let escape = m.escape;
        let lexed: Vec<_> = file
            .instructions
            .into_iter()
            .filter_map(|raw| Some((syntax::lex(&raw.joined, 0, escape)?, raw)))
            .collect();
        // As many instructions as were scanned again: the tail stays where
        // it is (instructions are large: moving them out and back was a
        // tenth of a keystroke on a large file), the new ones take the old
        // ones' places.
        let in_place = tail_from == Some(keep + lexed.len());
        let mut tail = match tail_from {
            Some(from) => Tail::split_off(&mut m, from, delta, in_place),
            None => Tail::default(),
        };
        if !in_place {
            m.instructions.truncate(keep);
            m.scan_ends.truncate(keep);
        }
        let stages = m.stages.partition_point(|s| s.from < keep);
        m.stages.truncate(stages);
        if let Some(last) = m.stages.last_mut() {
            last.instructions.end = last.instructions.end.min(keep);
            last.range.end = m.instructions[last.instructions.end - 1].range.end;
        }
        // FROM references come first, in order (pushed as stages start);
        // the others are all collected again in `finish`.
        m.refs
            .retain(|r| r.kind == RefKind::From && r.instruction < keep);
        let decls = m.decls.partition_point(|d| d.instruction < keep);
        m.decls.truncate(decls);
        let uses = m.uses.partition_point(|u| u.instruction < keep);
        m.uses.truncate(uses);
        m.exec_shells.retain(|&i| i < keep);
        m.comments.retain(|c| c.range.start < resume);
        // Problems: the parser's first, then each instruction's.
        let kept = |p: &Problem| p.range.start <= kept_end;
        let mut validation: Vec<Problem> = m.problems.split_off(m.syntax_problems);
        m.problems.retain(kept);
        validation.retain(kept);
        m.comments.extend(file.comments);
        m.comments.append(&mut tail.comments);
        push_errors(&mut m.problems, file.errors);
        m.problems.append(&mut tail.syntax_problems);
        m.syntax_problems = m.problems.len();
        m.problems.extend(validation);
        let mut names: HashMap<String, usize> = HashMap::default();
        for s in &m.stages {
            if let Some(n) = &s.name {
                names.insert(n.clone(), s.index);
            }
        }
        for (at, (parts, raw)) in lexed.into_iter().enumerate() {
            let place = in_place.then_some(keep + at);
            add_instruction(&mut m, parts, raw, place, &mut names);
        }
        let first = match tail_from {
            Some(from) if in_place => from,
            _ => m.instructions.len(),
        };
        let tail_len = if in_place {
            m.instructions.len() - first
        } else {
            tail.instructions.len()
        };
        let kept = Kept {
            prefix: keep,
            tail: tail_from.map(|old| Moved {
                old,
                new: first,
                len: tail_len,
                delta,
            }),
        };
        tail.append(&mut m, first, &mut names);
        m.target = None;
        m.unknown_target = None;
        m.reachable.clear();
        finish(&mut m, settings);
        (m, kept)
    }
}

/// Which instructions of the previous model [`Model::rebuild`] kept
/// (their text is the same): the first `prefix` as they were, and `tail`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    pub prefix: usize,
    pub tail: Option<Moved>,
}

/// Old instructions `old..old + len`, now `new..new + len`, moved by
/// `delta` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub old: usize,
    pub new: usize,
    pub len: usize,
    pub delta: i64,
}

/// The old instructions after a change that scan as before, with what
/// was derived from each of them alone, already moved by the change's
/// length.
#[derive(Default)]
struct Tail {
    instructions: Vec<Instruction>,
    scan_ends: Vec<TextSize>,
    decls: Vec<super::VarDecl>,
    uses: Vec<super::VarUse>,
    validation: Vec<Problem>,
    syntax_problems: Vec<Problem>,
    comments: Vec<syntax::Comment>,
}

impl Tail {
    /// Take instructions `from..` of `m` (`from` ≥ 1) and everything
    /// after the scan end of instruction `from - 1` out of it, moved by
    /// `delta`.
    /// With `in_place`, the instructions and their scan ends stay in `m`
    /// (moved there): as many instructions come before them as before.
    fn split_off(m: &mut Model, from: usize, delta: i64, in_place: bool) -> Tail {
        let mut t = Tail::default();
        // Everything of the tail lies at or after the end of the scan
        // before it.
        let boundary = m.scan_ends[from - 1];
        if !in_place {
            t.scan_ends = m.scan_ends.split_off(from);
            t.instructions = m.instructions.split_off(from);
        }
        let (instructions, scan_ends) = if in_place {
            (&mut m.instructions[from..], &mut m.scan_ends[from..])
        } else {
            (&mut t.instructions[..], &mut t.scan_ends[..])
        };
        for ins in instructions {
            ins.shift(delta);
        }
        for end in scan_ends {
            if *end != TextSize::MAX {
                *end = (*end as i64 + delta) as TextSize;
            }
        }
        let at = m.decls.partition_point(|d| d.instruction < from);
        t.decls = m.decls.split_off(at);
        for d in &mut t.decls {
            d.name_range = d.name_range.shifted(delta);
            d.value_range = d.value_range.map(|r| r.shifted(delta));
        }
        let at = m.uses.partition_point(|u| u.instruction < from);
        t.uses = m.uses.split_off(at);
        for u in &mut t.uses {
            u.name_range = u.name_range.shifted(delta);
            u.range = u.range.shifted(delta);
        }
        let mut validation = m.problems.split_off(m.syntax_problems);
        let at = validation.partition_point(|p| p.range.start < boundary);
        t.validation = validation.split_off(at);
        m.problems.extend(validation);
        let syntax: Vec<Problem> = m.problems.drain(..m.syntax_problems).collect();
        let (before, after): (Vec<Problem>, Vec<Problem>) =
            syntax.into_iter().partition(|p| p.range.start < boundary);
        m.syntax_problems = before.len();
        m.problems.splice(0..0, before);
        t.syntax_problems = after;
        let at = m.comments.partition_point(|c| c.range.start < boundary);
        t.comments = m.comments.split_off(at);
        for p in t.validation.iter_mut().chain(&mut t.syntax_problems) {
            p.range = p.range.shifted(delta);
        }
        for c in &mut t.comments {
            c.range = c.range.shifted(delta);
        }
        t
    }

    /// Append the tail's instructions to `m`, renumbered: each as
    /// `add_instruction` would model it, without parsing it again.
    /// The instructions are in `m` from `first` on already when the tail
    /// was split off in place.
    fn append(mut self, m: &mut Model, first: usize, names: &mut HashMap<String, usize>) {
        let mut decls = self.decls.into_iter().peekable();
        let mut uses = self.uses.into_iter().peekable();
        let mut validation = self.validation.into_iter().peekable();
        // Moved in one piece (instructions are large), then placed in turn.
        m.instructions.append(&mut self.instructions);
        m.scan_ends.append(&mut self.scan_ends);
        for index in first..m.instructions.len() {
            let ins = &mut m.instructions[index];
            let old = ins.index;
            ins.index = index;
            if let Some(sub) = &mut ins.onbuild {
                sub.index = index;
            }
            let all = std::mem::take(&mut m.instructions);
            let stage = stage_of(m, &all[index], names);
            m.instructions = all;
            let ins = &mut m.instructions[index];
            ins.stage = stage;
            let end = ins.range.end;
            let exec_shell = ins.kind == Keyword::Shell && ins.form == Form::Exec;
            while let Some(p) = validation.next_if(|p| p.range.start <= end) {
                m.problems.push(p);
            }
            if exec_shell {
                m.exec_shells.push(index);
            }
            while let Some(mut d) = decls.next_if(|d| d.instruction == old) {
                d.instruction = index;
                d.stage = stage;
                m.decls.push(d);
            }
            while let Some(mut u) = uses.next_if(|u| u.instruction == old) {
                u.instruction = index;
                u.stage = stage;
                m.uses.push(u);
            }
        }
    }
}

impl Instruction {
    /// Move every range by `delta` (the same instruction, elsewhere).
    fn shift(&mut self, delta: i64) {
        self.range = self.range.shifted(delta);
        for h in &mut self.heredocs {
            h.shift(delta);
        }
        for r in &mut self.empty_continuation_lines {
            *r = r.shifted(delta);
        }
        self.logical_end = (self.logical_end as i64 + delta) as TextSize;
        self.shift_parsed(delta);
    }

    /// Move what `instruction` set (all an ONBUILD trigger has).
    fn shift_parsed(&mut self, delta: i64) {
        self.keyword.shift(delta);
        for f in &mut self.flags {
            f.shift(delta);
        }
        for w in &mut self.args {
            w.shift(delta);
        }
        self.args_range = self.args_range.shifted(delta);
        if let Some(sub) = &mut self.onbuild {
            sub.shift_parsed(delta);
        }
        self.joined.shift(delta);
    }
}

fn push_errors(problems: &mut Vec<Problem>, errors: Vec<syntax::SyntaxError>) {
    for e in errors {
        let code = if e.message.starts_with("unterminated heredoc") {
            UNTERMINATED_HEREDOC
        } else {
            INVALID_DIRECTIVE
        };
        problems.push(Problem {
            code,
            range: e.range,
            message: e.message,
        });
    }
}

/// Model one raw instruction, after those before it. `names` holds the
/// last stage of each name registered so far: lookups stay linear on
/// files with 100,000 stages.
/// Model `raw` (lexed into `parts`) as the next instruction, or (`place`)
/// as the instruction at that index, in the place of the one there.
fn add_instruction(
    m: &mut Model,
    parts: Parts,
    raw: syntax::RawInstruction,
    place: Option<usize>,
    names: &mut HashMap<String, usize>,
) {
    let escape = m.escape;
    let index = place.unwrap_or(m.instructions.len());
    let mut ins = instruction(&raw.joined, &parts, index, escape);
    ins.range = raw.range;
    ins.heredocs = raw.heredocs;
    ins.empty_continuation_lines = raw.empty_continuation_lines;
    ins.logical_end = raw.logical_end;
    ins.stage = stage_of(m, &ins, names);
    validate(&mut m.problems, &ins, escape);
    if let Some(sub) = &ins.onbuild {
        validate(&mut m.problems, sub, escape);
    }
    if ins.kind == Keyword::Shell && ins.form == Form::Exec {
        m.exec_shells.push(index);
    }
    match place {
        Some(at) => {
            m.instructions[at] = ins;
            m.scan_ends[at] = raw.scan_end;
        }
        None => {
            m.instructions.push(ins);
            m.scan_ends.push(raw.scan_end);
        }
    }
    vars::collect(m, index, &raw.joined);
}

/// The stage instruction `ins` belongs to, its stage extended to it: a
/// FROM starts one (`names`: the last stage of each name so far). The
/// instructions before it are placed already; `m.instructions` is not read.
fn stage_of(m: &mut Model, ins: &Instruction, names: &mut HashMap<String, usize>) -> Option<usize> {
    if ins.kind == Keyword::From {
        start_stage(m, ins, names);
        if let Some(n) = &m.stages.last().and_then(|s| s.name.clone()) {
            names.insert(n.clone(), m.stages.len() - 1);
        }
    }
    let stage = m.stages.len().checked_sub(1);
    if let Some(s) = stage {
        m.stages[s].instructions.end = ins.index + 1;
        m.stages[s].range.end = ins.range.end;
    }
    stage
}

/// What depends on all instructions: references (looked up among all
/// stages, case-insensitively), variable links, the stage graph.
fn finish(m: &mut Model, settings: &ModelSettings) {
    let mut folded: HashMap<String, usize> = HashMap::default();
    for s in &m.stages {
        if let Some(n) = &s.name {
            folded.insert(n.to_ascii_lowercase(), s.index);
        }
    }
    for i in 0..m.instructions.len() {
        collect_refs(m, i, &folded);
    }
    vars::resolve(m);
    graph::compute(m, settings);
}

fn single_word(j: &Joined, span: (usize, usize)) -> Vec<Word> {
    if span.0 >= span.1 {
        return Vec::new();
    }
    vec![words::word_at(j, span, j.text[span.0..span.1].to_string())]
}

/// The instruction `parts` lexed, with its ONBUILD trigger. A trigger's
/// own trigger (`ONBUILD ONBUILD ...`, which BuildKit rejects) is not
/// modelled: the model nests one level, however many the text has.
fn instruction(j: &Joined, parts: &Parts, index: usize, escape: u8) -> Instruction {
    let mut ins = instruction_alone(j, parts, index, escape);
    ins.onbuild = parts
        .sub
        .as_ref()
        .map(|sub| Box::new(instruction_alone(j, sub, index, escape)));
    ins
}

/// The instruction `parts` lexed, without its ONBUILD trigger.
fn instruction_alone(j: &Joined, parts: &Parts, index: usize, escape: u8) -> Instruction {
    let span = parts.args;
    let mut form = Form::Shell;
    let json = |form: &mut Form| match words::parse_json_array(j, span) {
        Some(Ok(w)) => {
            *form = Form::Exec;
            Some(w)
        }
        _ => None,
    };
    let args = match parts.kind {
        Keyword::From | Keyword::Expose => words::split_whitespace(j, span),
        Keyword::Copy | Keyword::Add | Keyword::Volume => {
            json(&mut form).unwrap_or_else(|| words::split_whitespace(j, span))
        }
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            json(&mut form).unwrap_or_else(|| single_word(j, span))
        }
        Keyword::Arg | Keyword::Env | Keyword::Label => words::split_quoted_words(j, span, escape),
        Keyword::Healthcheck => {
            let text = &j.text[span.0..span.1];
            let type_len = text.find(char::is_whitespace).unwrap_or(text.len());
            let mut out = single_word(j, (span.0, span.0 + type_len));
            let rest = text[type_len..].trim_start();
            let rest_start = span.1 - rest.len();
            match words::parse_json_array(j, (rest_start, span.1)) {
                Some(Ok(w)) => {
                    form = Form::Exec;
                    out.extend(w);
                }
                _ => out.extend(single_word(j, (rest_start, span.1))),
            }
            out
        }
        _ => single_word(j, span),
    };
    Instruction {
        index,
        kind: parts.kind,
        range: TextRange::default(),
        keyword: parts.keyword.clone(),
        flags: parts.flags.clone(),
        args,
        args_range: j.src_range(span.0, span.1),
        form,
        heredocs: Vec::new(),
        stage: None,
        onbuild: None,
        empty_continuation_lines: Vec::new(),
        logical_end: 0,
        joined: j.clone(),
    }
}

fn start_stage(m: &mut Model, ins: &Instruction, names: &HashMap<String, usize>) {
    let index = m.stages.len();
    let args = &ins.args;
    let (name, name_range, as_range) = match args.as_slice() {
        [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => (
            Some(name.value.to_ascii_lowercase()),
            Some(name.range),
            Some(as_kw.range),
        ),
        _ => (None, None, None),
    };
    let (base_text, base_range) = match args.first() {
        Some(w) => (w.value.clone(), w.range),
        None => (String::new(), ins.keyword.range),
    };
    let base_expanded = vars::expand_global(m, &base_text, ins.index);
    let base = if base_text.is_empty() {
        Base::Missing
    } else if base_expanded.is_none() {
        Base::Variable
    } else {
        let expanded = base_expanded.clone().unwrap_or_default();
        // BuildKit matches FROM against names registered so far, exactly
        // (stage names are stored lower-cased, the reference is not).
        match names.get(expanded.as_str()) {
            Some(&s) => Base::Stage(s),
            None if expanded.eq_ignore_ascii_case("scratch") => Base::Scratch,
            None => Base::Image(ImageRef::parse(&expanded)),
        }
    };
    if let Base::Stage(target) = base {
        m.refs.push(StageRef {
            kind: RefKind::From,
            text: base_text.clone(),
            range: base_range,
            instruction: ins.index,
            stage: index,
            resolution: Resolution::Stage(target),
            by_index: false,
        });
    }
    m.stages.push(Stage {
        index,
        name,
        name_range,
        as_range,
        from: ins.index,
        base_expanded: base_expanded.unwrap_or_else(|| base_text.clone()),
        base_text,
        base_range,
        base,
        platform: ins.flag("platform").cloned(),
        instructions: ins.index..ins.index + 1,
        range: ins.range,
    });
}

fn resolve_ref(
    m: &Model,
    folded: &HashMap<String, usize>,
    text: &str,
    current: usize,
    allow_index: bool,
) -> (Resolution, bool) {
    if text.contains('$') {
        return (Resolution::Variable, false);
    }
    let classify = |s: usize| {
        if s == current {
            Resolution::SelfRef(s)
        } else if s > current {
            Resolution::LaterStage(s)
        } else {
            Resolution::Stage(s)
        }
    };
    if allow_index && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<usize>() {
            Ok(i) if i < m.stages.len() => (classify(i), true),
            Ok(i) => (Resolution::IndexOutOfRange(i), true),
            Err(_) => (Resolution::IndexOutOfRange(usize::MAX), true),
        };
    }
    // BuildKit looks names up after all stages are registered: the last
    // stage with the name wins, wherever it is.
    match folded.get(&text.to_ascii_lowercase()) {
        Some(&s) => (classify(s), false),
        None => (Resolution::Image, false),
    }
}

fn collect_refs(m: &mut Model, i: usize, folded: &HashMap<String, usize>) {
    let ins = &m.instructions[i];
    let Some(stage) = ins.stage else { return };
    let mut found: Vec<(RefKind, String, TextRange)> = Vec::new();
    match ins.kind {
        Keyword::Copy => {
            if let Some(f) = ins.flag("from") {
                if let (Some(v), Some(r)) = (&f.value, f.value_range) {
                    found.push((RefKind::CopyFrom, v.clone(), r));
                }
            }
        }
        Keyword::Run => {
            for f in ins.flags.iter().filter(|f| f.name == "mount") {
                if let Some((v, r)) = mount_field(f, "from") {
                    found.push((RefKind::MountFrom, v, r));
                }
            }
        }
        _ => {}
    }
    for (kind, text, range) in found {
        if text.is_empty() {
            continue; // `--from=` names nothing: BuildKit copies from the context
        }
        let (resolution, by_index) =
            resolve_ref(m, folded, &text, stage, kind == RefKind::CopyFrom);
        m.refs.push(StageRef {
            kind,
            text,
            range,
            instruction: i,
            stage,
            resolution,
            by_index,
        });
    }
}

/// A `key=value` field of a `--mount=` flag, with the value's range.
pub fn mount_field(flag: &Flag, key: &str) -> Option<(String, TextRange)> {
    let value = flag.value.as_ref()?;
    let range = flag.value_range?;
    let raw = flag.word.raw.as_str();
    // Offsets are taken from the raw word when it has no quoting, which is
    // how mounts are written; otherwise the whole value range is used.
    let plain = !raw.contains(['"', '\'', '\\', '`']);
    let mut offset = 0usize;
    for field in value.split(',') {
        let (k, v) = field.split_once('=').unwrap_or((field, ""));
        if k.trim().eq_ignore_ascii_case(key) {
            let r = if plain && range.len() as usize == value.len() {
                let start = range.start + (offset + k.len() + 1) as u32;
                TextRange::new(start, start + v.len() as u32)
            } else {
                range
            };
            return Some((v.to_string(), r));
        }
        offset += field.len() + 1;
    }
    None
}

fn problem(out: &mut Vec<Problem>, code: &'static str, range: TextRange, message: String) {
    out.push(Problem {
        code,
        range,
        message,
    });
}

/// Parse-time errors BuildKit reports for an instruction.
fn validate(out: &mut Vec<Problem>, ins: &Instruction, _escape: u8) {
    let kw = ins.kind.name();
    let kw_range = ins.keyword.range;
    let at_args = if ins.args_range.is_empty() {
        kw_range
    } else {
        ins.args_range
    };
    if ins.kind == Keyword::Unknown {
        let word = &ins.keyword.value;
        let hint = closest_keyword(word)
            .map(|k| format!(" (did you mean {k}?)"))
            .unwrap_or_default();
        problem(
            out,
            UNKNOWN_INSTRUCTION,
            kw_range,
            format!("unknown instruction: {word}{hint}"),
        );
        return;
    }
    validate_flags(out, ins);
    let n = ins.args.len();
    let heredoc_only = !ins.heredocs.is_empty();
    match ins.kind {
        Keyword::From => {
            if n != 1 && !(n == 3 && ins.args[1].value.eq_ignore_ascii_case("as")) {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    "FROM requires either one or three arguments (`FROM image [AS name]`)".into(),
                );
            } else if n == 3 {
                let name = ins.args[2].value.to_ascii_lowercase();
                if name.contains('$') {
                    problem(
                        out,
                        INVALID_STAGE_NAME,
                        ins.args[2].range,
                        format!(
                            "invalid name for build stage: {:?}: BuildKit does not expand variables in stage names (buildah and podman do)",
                            ins.args[2].value
                        ),
                    );
                } else if !valid_stage_name(&name) {
                    problem(
                        out,
                        INVALID_STAGE_NAME,
                        ins.args[2].range,
                        format!(
                            "invalid name for build stage: {:?}: a stage name starts with a letter and contains only letters, digits, `-`, `_` and `.`",
                            ins.args[2].value
                        ),
                    );
                }
            }
        }
        Keyword::Copy | Keyword::Add => {
            if n < 2 {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    format!("{kw} requires at least two arguments (sources and a destination), but {} given", if n == 0 { "none was".to_string() } else { "only one was".to_string() }),
                );
            }
        }
        Keyword::Env | Keyword::Label => validate_key_values(out, ins, at_args),
        Keyword::Arg => {
            if n == 0 {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    "ARG requires at least one argument".into(),
                );
            }
            for w in &ins.args {
                if w.value.starts_with('=') {
                    problem(
                        out,
                        INVALID_ARGUMENTS,
                        w.range,
                        "ARG names can not be blank".into(),
                    );
                }
            }
        }
        Keyword::Expose | Keyword::Volume | Keyword::Onbuild => {
            if n == 0 {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    format!("{kw} requires at least one argument"),
                );
            }
            if ins.kind == Keyword::Onbuild {
                if let Some(sub) = &ins.onbuild {
                    if matches!(
                        sub.kind,
                        Keyword::Onbuild | Keyword::From | Keyword::Maintainer
                    ) {
                        let msg = if sub.kind == Keyword::Onbuild {
                            "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string()
                        } else {
                            format!("{} isn't allowed as an ONBUILD trigger", sub.kind.name())
                        };
                        problem(out, INVALID_ONBUILD_TRIGGER, sub.keyword.range, msg);
                    }
                }
            }
            if ins.kind == Keyword::Volume && ins.args.iter().any(|w| w.value.trim().is_empty()) {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    "VOLUME specified can not be an empty string".into(),
                );
            }
        }
        Keyword::Shell => {
            if ins.form != Form::Exec {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    "SHELL requires the arguments to be in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]".into(),
                );
            } else if n == 0 {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    "SHELL requires at least one argument".into(),
                );
            }
        }
        Keyword::User | Keyword::Workdir | Keyword::Stopsignal | Keyword::Maintainer => {
            if n == 0 {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    format!("{kw} requires exactly one argument"),
                );
            }
        }
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {
            if n == 0 && !heredoc_only && ins.form == Form::Shell {
                problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    format!("{kw} requires at least one argument"),
                );
            }
        }
        Keyword::Healthcheck => {
            let typ = ins.args.first().map(|w| w.value.to_ascii_uppercase());
            match typ.as_deref() {
                None => problem(
                    out,
                    INVALID_ARGUMENTS,
                    at_args,
                    "HEALTHCHECK requires at least one argument".into(),
                ),
                Some("NONE") => {
                    if n > 1 {
                        problem(
                            out,
                            INVALID_ARGUMENTS,
                            at_args,
                            "HEALTHCHECK NONE takes no arguments".into(),
                        );
                    }
                }
                Some("CMD") => {
                    if n < 2 {
                        problem(
                            out,
                            INVALID_ARGUMENTS,
                            at_args,
                            "missing command after HEALTHCHECK CMD".into(),
                        );
                    }
                }
                Some(other) => problem(
                    out,
                    INVALID_ARGUMENTS,
                    ins.args[0].range,
                    format!("unknown type {other:?} in HEALTHCHECK (try CMD or NONE)"),
                ),
            }
        }
        Keyword::Unknown => {}
    }
    // A JSON array with non-string elements is rejected, not treated as shell form.
    if matches!(
        ins.kind,
        Keyword::Run
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Shell
            | Keyword::Copy
            | Keyword::Add
            | Keyword::Volume
    ) && ins.form == Form::Shell
        && ins.args.len() == 1
        && ins.args[0].value.trim_start().starts_with('[')
    {
        let w = &ins.args[0];
        let j = Joined::new(&w.raw, vec![TextRange::new(0, w.raw.len() as u32)]);
        if let Some(Err(msg)) = words::parse_json_array(&j, (0, w.raw.len())) {
            problem(out, INVALID_ARGUMENTS, w.range, msg);
        }
    }
}

fn validate_key_values(out: &mut Vec<Problem>, ins: &Instruction, at_args: TextRange) {
    let kw = ins.kind.name();
    let Some(first) = ins.args.first() else {
        problem(
            out,
            INVALID_ARGUMENTS,
            at_args,
            format!("{kw} requires at least one argument"),
        );
        return;
    };
    if !first.value.contains('=') {
        if ins.args.len() < 2 {
            problem(
                out,
                INVALID_ARGUMENTS,
                at_args,
                format!("{kw} must have two arguments (`{kw} key value`), or use `{kw} key=value`"),
            );
        }
        return;
    }
    for w in &ins.args {
        if !w.value.contains('=') {
            problem(
                out,
                INVALID_ARGUMENTS,
                w.range,
                format!(
                    "can't find = in {:?}: each {kw} argument must be of the form name=value",
                    w.value
                ),
            );
        } else if w.value.starts_with('=') {
            problem(
                out,
                INVALID_ARGUMENTS,
                w.range,
                format!("{kw} names can not be blank"),
            );
        }
    }
}

fn validate_flags(out: &mut Vec<Problem>, ins: &Instruction) {
    let specs = ins.kind.flags();
    let mut seen: Vec<&str> = Vec::new();
    for f in &ins.flags {
        let Some(spec) = specs.iter().find(|s| s.name == f.name) else {
            let known: Vec<String> = specs.iter().map(|s| format!("--{}", s.name)).collect();
            let hint = crate::model::closest(&f.name, specs.iter().map(|s| s.name))
                .map(|s| format!(" (did you mean --{s}?)"))
                .unwrap_or_else(|| {
                    if known.is_empty() {
                        format!(" ({} takes no flags)", ins.kind.name())
                    } else {
                        format!(" ({} accepts {})", ins.kind.name(), known.join(", "))
                    }
                });
            problem(
                out,
                INVALID_FLAG,
                f.word.range,
                format!("unknown flag: --{}{hint}", f.name),
            );
            continue;
        };
        if spec.kind != FlagKind::Many && seen.contains(&spec.name) {
            problem(
                out,
                INVALID_FLAG,
                f.word.range,
                format!("duplicate flag specified: --{}", f.name),
            );
        }
        seen.push(spec.name);
        match spec.kind {
            FlagKind::Bool => match f.value.as_deref() {
                None => {}
                Some("") => problem(
                    out,
                    INVALID_FLAG,
                    f.word.range,
                    format!("missing a value on flag: --{}", f.name),
                ),
                Some(v) if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") => {}
                Some(v) => problem(
                    out,
                    INVALID_FLAG,
                    f.value_range.unwrap_or(f.word.range),
                    format!("expecting boolean value for flag --{}, not: {v}", f.name),
                ),
            },
            FlagKind::Value | FlagKind::Many => {
                if f.value.is_none() {
                    problem(
                        out,
                        INVALID_FLAG,
                        f.word.range,
                        format!(
                            "missing a value on flag: --{} (write --{}=<value>)",
                            f.name, f.name
                        ),
                    );
                }
            }
        }
    }
}

/// BuildKit's stage name rule, applied to the lower-cased name.
pub fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

fn closest_keyword(word: &str) -> Option<&'static str> {
    crate::model::closest(word, Keyword::ALL.iter().map(|k| k.name()))
}
