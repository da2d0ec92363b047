//! Shell layer: RUN bodies parsed with tree-sitter-bash into commands and
//! argument words, each with its range in the Dockerfile.
//!
//! The text parsed is what the shell receives: the logical line after
//! BuildKit's line joining (comments inside continuations removed), or a
//! heredoc body run as a script. Offsets map back through the model's
//! [`Joined`] text, so a rule underlines the exact word.

pub mod shellcheck;

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

use tree_sitter::{Node, Parser};

use crate::model::{Base, Form, Instruction, Model};
use crate::syntax::{Joined, Keyword};
use crate::text::{allocation, BoundedCache, HeapSize, TextRange};

thread_local! {
    static BASH: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_bash::LANGUAGE.into())
            .expect("tree-sitter-bash is ABI compatible with the linked tree-sitter");
        p
    });
}

/// A word of a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The word after quote removal, when it is static text; otherwise the
    /// raw text.
    pub value: String,
    pub raw: String,
    pub range: TextRange,
    /// No expansion, substitution or glob that the shell would change.
    pub is_static: bool,
}

/// A simple command: `FOO=1 apt-get install -y curl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The command name as written (`apt-get`, `/usr/bin/pip3`), or empty
    /// for a bare assignment.
    pub name: Arg,
    pub args: Vec<Arg>,
    /// Leading `NAME=value` assignments.
    pub env: Vec<(String, String)>,
    pub range: TextRange,
    /// Part of a pipeline `a | b`.
    pub in_pipeline: bool,
    /// Where [`Command::program`] stands in `name.value`.
    program: (u32, u32),
}

/// The base name's span in a command name: `/usr/bin/pip3` → `pip3`; a
/// dynamic name keeps its quotes in the value (`"${D}/bin/pip"`).
fn program_span(value: &str) -> (u32, u32) {
    let mut name = value;
    if name.ends_with(['"', '\'']) || name.starts_with(['"', '\'']) {
        name = name.trim_matches(['"', '\'']);
    }
    let start = name.as_ptr() as usize - value.as_ptr() as usize;
    let base = match name.rfind('/') {
        Some(i) => i + 1,
        None => 0,
    };
    ((start + base) as u32, (start + name.len()) as u32)
}

impl Command {
    fn new(
        name: Arg,
        args: Vec<Arg>,
        env: Vec<(String, String)>,
        range: TextRange,
        in_pipeline: bool,
    ) -> Command {
        let program = program_span(&name.value);
        Command {
            name,
            args,
            env,
            range,
            in_pipeline,
            program,
        }
    }

    /// The program's base name: `/usr/bin/pip3` → `pip3`.
    pub fn program(&self) -> &str {
        // Every rule asks for every command's program: found once.
        self.name
            .value
            .get(self.program.0 as usize..self.program.1 as usize)
            .unwrap_or("")
    }

    /// Whether any argument is this short flag (also inside a bundle such
    /// as `-qy`) or one of these long flags (also `--long=value`).
    pub fn has_flag(&self, short: Option<char>, long: &[&str]) -> bool {
        self.args.iter().take_while(|a| a.value != "--").any(|a| {
            let v = a.value.as_str();
            if let Some(l) = v.strip_prefix("--") {
                let name = l.split('=').next().unwrap_or("");
                long.contains(&name)
            } else if let (Some(s), Some(rest)) = (short, v.strip_prefix('-')) {
                !rest.is_empty()
                    && !rest.starts_with('-')
                    && rest.chars().all(|c| c.is_ascii_alphanumeric())
                    && rest.contains(s)
            } else {
                false
            }
        })
    }

    /// Arguments that are not flags (do not start with `-`), in order.
    pub fn operands(&self) -> impl Iterator<Item = &Arg> {
        self.args.iter().filter(|a| !a.value.starts_with('-'))
    }

    /// The first operand (`install` in `apt-get -y install x`).
    pub fn subcommand(&self) -> Option<&str> {
        self.operands().next().map(|a| a.value.as_str())
    }
}

/// What a shell-form RUN runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    /// Every simple command, in source order (including those inside
    /// subshells, `if`, loops and command substitutions).
    pub commands: Vec<Command>,
    /// The script contains a pipeline.
    pub has_pipeline: bool,
    /// tree-sitter-bash found a syntax error, or command substitutions
    /// nest deeper than [`MAX_SUBSTITUTION_DEPTH`] (the commands inside
    /// them are not listed): analysis is best effort.
    pub has_error: bool,
}

impl Script {
    /// The same script with its ranges moved by `delta` bytes (its
    /// instruction moved by an edit before it).
    pub fn shift(&mut self, delta: i64) {
        for c in &mut self.commands {
            c.range = c.range.shifted(delta);
            c.name.range = c.name.range.shifted(delta);
            for a in &mut c.args {
                a.range = a.range.shifted(delta);
            }
        }
    }

    pub fn commands_named<'a>(
        &'a self,
        program: &'a str,
    ) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.program() == program)
    }

    pub fn runs(&self, program: &str) -> bool {
        self.commands_named(program).next().is_some()
    }
}

/// The shell a stage's shell-form instructions use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `/bin/sh -c`, bash, ash, dash, zsh: POSIX-like, analysed.
    Posix { bash: bool },
    /// PowerShell or cmd: not analysed by the bash rules.
    Other(String),
}

/// The `SHELL` in effect for instruction `at` (default `/bin/sh -c`, or
/// `cmd /S /C` on a Windows base image), following `FROM <stage>`.
pub fn dialect(m: &Model, at: usize) -> Dialect {
    let Some(mut stage) = m.instructions.get(at).and_then(|i| i.stage) else {
        return Dialect::Posix { bash: false };
    };
    let mut bound = at;
    loop {
        let s = &m.stages[stage];
        // The last exec-form SHELL in `start..end`.
        let end = bound.min(s.instructions.end);
        let before = m.exec_shells.partition_point(|&i| i < end);
        let found = before
            .checked_sub(1)
            .map(|k| m.exec_shells[k])
            .filter(|&i| i >= s.instructions.start);
        if let Some(shell) = found.and_then(|i| m.instructions.get(i)) {
            let prog = shell
                .args
                .first()
                .map(|a| a.value.to_ascii_lowercase())
                .unwrap_or_default();
            let base = prog
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .trim_end_matches(".exe")
                .to_string();
            return match base.as_str() {
                "sh" | "ash" | "dash" | "busybox" => Dialect::Posix { bash: false },
                "bash" | "zsh" | "ksh" | "mksh" => Dialect::Posix { bash: true },
                _ => Dialect::Other(base),
            };
        }
        match &s.base {
            Base::Stage(b) if *b < stage => {
                stage = *b;
                bound = usize::MAX;
            }
            Base::Image(_) | Base::Variable => {
                // Windows images run cmd by default: recognise them by name
                // or tag (`dotnet/aspnet:8.0-windowsservercore-ltsc2022`),
                // also behind a variable; an image hidden behind a variable
                // in a file using Windows' backtick escape counts too.
                let text = format!("{} {}", s.base_text, s.base_expanded).to_ascii_lowercase();
                let named = ["windows", "nanoserver", "servercore", "ltsc20"]
                    .iter()
                    .any(|w| text.contains(w));
                let hidden = s.base == Base::Variable && m.escape == b'`';
                return if named || hidden {
                    Dialect::Other("cmd".into())
                } else {
                    Dialect::Posix { bash: false }
                };
            }
            _ => return Dialect::Posix { bash: false },
        }
    }
}

/// The scripts a RUN instruction runs in a POSIX shell: its command line
/// (shell form), and each heredoc body that the shell itself reads
/// (`RUN <<EOF`, `RUN bash <<EOF`). Empty for exec form or another shell.
/// The instruction whose shell-form command runs for `ins`: a RUN, or the
/// RUN an ONBUILD triggers.
pub fn run_of(ins: &Instruction) -> Option<&Instruction> {
    match ins.kind {
        Keyword::Run => Some(ins),
        Keyword::Onbuild => ins.onbuild.as_deref().filter(|s| s.kind == Keyword::Run),
        _ => None,
    }
}

pub fn run_scripts(m: &Model, text: &str, ins: &Instruction) -> Vec<Script> {
    run_scripts_in(text, ins, &dialect(m, ins.index))
}

/// [`run_scripts`] with the instruction's [`dialect`] already known: the
/// scripts depend on nothing else but the instruction's own text.
pub fn run_scripts_in(text: &str, ins: &Instruction, dialect: &Dialect) -> Vec<Script> {
    if ins.form != Form::Shell || !matches!(dialect, Dialect::Posix { .. }) {
        return Vec::new();
    }
    let Some(word) = ins.args.first() else {
        return Vec::new();
    };
    let (start, end) = (word.joined.0 as usize, word.joined.1 as usize);
    let line = parse(&ins.joined, start, end);
    let mut out = Vec::new();
    let shell_reads_body = line.commands.iter().all(|c| c.name.value.is_empty())
        || line.commands.first().is_some_and(|c| {
            matches!(c.program(), "sh" | "bash" | "ash" | "dash" | "zsh")
                && c.operands().next().is_none()
        });
    for h in &ins.heredocs {
        if shell_reads_body {
            let body = h.body;
            let j = Joined::new(text, vec![body]);
            out.push(parse(&j, 0, j.text.len()));
        }
    }
    out.insert(0, line);
    out
}

/// Parse `joined.text[start..end]` as a shell script, with every range
/// mapped to the Dockerfile.
pub fn parse(joined: &Joined, start: usize, end: usize) -> Script {
    let local = parse_cached(&joined.text[start..end]);
    let map = |r: TextRange| joined.src_range(start + r.start as usize, start + r.end as usize);
    let arg = |a: &Arg| Arg {
        range: map(a.range),
        ..a.clone()
    };
    Script {
        commands: local
            .commands
            .iter()
            .map(|c| Command {
                name: arg(&c.name),
                args: c.args.iter().map(arg).collect(),
                env: c.env.clone(),
                range: map(c.range),
                in_pipeline: c.in_pipeline,
                program: c.program,
            })
            .collect(),
        has_pipeline: local.has_pipeline,
        has_error: local.has_error,
    }
}

/// Bytes the parsed-script cache may hold, allocator overhead included:
/// the scripts of a few large files, and not more, since each keystroke
/// in a RUN adds a script that is never asked for again.
pub const SCRIPT_CACHE_BYTES: usize = 4 << 20;

fn script_cache() -> &'static Mutex<BoundedCache<Box<str>, Arc<Script>>> {
    static CACHE: OnceLock<Mutex<BoundedCache<Box<str>, Arc<Script>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(BoundedCache::new(SCRIPT_CACHE_BYTES)))
}

/// Bytes the parsed-script cache holds now (at most
/// [`SCRIPT_CACHE_BYTES`]), for tests and benchmarks of a long session.
pub fn script_cache_bytes() -> usize {
    script_cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .bytes()
}

/// Scripts parsed so far, by text, with ranges relative to the text. The
/// same RUN text parses the same wherever it moves in the file, so typing
/// elsewhere reparses nothing. Bounded in bytes: every keystroke in a RUN
/// makes a new text, and the oldest go.
///
/// A script too large for the cache's budget (a RUN of tens of thousands
/// of lines) is kept alone in a slot of its own, the last one parsed, so
/// that the requests on one such document do not parse it again each
/// time; the slot holds one script, whatever the session.
fn parse_cached(src: &str) -> Arc<Script> {
    static LARGEST: Mutex<Option<(Box<str>, Arc<Script>)>> = Mutex::new(None);
    let cache = script_cache();
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(src) {
        return hit;
    }
    let slot = LARGEST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, script)) = slot.as_ref().filter(|(text, _)| **text == *src) {
        return script.clone();
    }
    drop(slot);
    let script = Arc::new(parse_uncached(src));
    let cost = allocation(src.len()) + script.heap_size();
    if cost > SCRIPT_CACHE_BYTES {
        *LARGEST.lock().unwrap_or_else(|e| e.into_inner()) = Some((src.into(), script.clone()));
    } else {
        (cache.lock().unwrap_or_else(|e| e.into_inner())).insert(src.into(), script.clone(), cost);
    }
    script
}

impl HeapSize for Arg {
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Arg>()
            + allocation(self.value.capacity())
            + allocation(self.raw.capacity())
    }
}

impl HeapSize for Command {
    fn heap_size(&self) -> usize {
        let env: usize = (self.env.iter())
            .map(|(k, v)| {
                std::mem::size_of::<(String, String)>()
                    + allocation(k.capacity())
                    + allocation(v.capacity())
            })
            .sum();
        std::mem::size_of::<Command>() - std::mem::size_of::<Arg>()
            + self.name.heap_size()
            + self.args.heap_size()
            + env
    }
}

impl HeapSize for Script {
    fn heap_size(&self) -> usize {
        std::mem::size_of::<Script>() + self.commands.heap_size()
    }
}

fn parse_uncached(src: &str) -> Script {
    let Some(tree) = BASH.with(|p| p.borrow_mut().parse(src, None)) else {
        return Script::default();
    };
    let mut script = Script {
        has_error: tree.root_node().has_error(),
        ..Script::default()
    };
    let map = |n: Node| TextRange::from_usize(n.start_byte(), n.end_byte());
    collect(tree.root_node(), src, &map, &mut script);
    script
}

/// How a node on [`collect`]'s work stack is visited.
#[derive(Clone, Copy)]
enum Visit {
    /// A statement position: commands are collected.
    Collect,
    /// Inside a command's words: only substitutions hold commands.
    Substitutions,
}

/// How many command substitutions deep [`collect`] lists commands. Each
/// command's words are copied, and a command around a substitution has
/// the substitution in its words: without a bound, `$(a $(b $(c ...)))`
/// nested n deep would copy the text n times.
pub const MAX_SUBSTITUTION_DEPTH: usize = crate::syntax::words::MAX_NESTING;

/// The commands under `node`, in source order. Iterative with an explicit
/// stack (a RUN of 50,000 `&&`-joined lines is a list nested 50,000 deep),
/// carrying each node's parent and grandparent kinds (`Node::parent` walks
/// down from the root: linear per call) and how many command substitutions
/// enclose it. Commands more than [`MAX_SUBSTITUTION_DEPTH`] substitutions
/// deep are left out, and the script is marked as read with an error.
fn collect(node: Node, src: &str, map: &dyn Fn(Node) -> TextRange, out: &mut Script) {
    let mut stack = vec![(node, Visit::Collect, "", "", 0usize)];
    while let Some((node, visit, parent, grandparent, depth)) = stack.pop() {
        let here = stack.len();
        let kind = node.kind();
        let mut cursor = node.walk();
        match visit {
            Visit::Substitutions => {
                let (inner, depth) =
                    if kind == "command_substitution" || kind == "process_substitution" {
                        if depth >= MAX_SUBSTITUTION_DEPTH {
                            out.has_error = true;
                            continue;
                        }
                        (Visit::Collect, depth + 1)
                    } else {
                        (Visit::Substitutions, depth)
                    };
                for child in node.named_children(&mut cursor) {
                    stack.push((child, inner, kind, parent, depth));
                }
            }
            Visit::Collect => match kind {
                "command" => {
                    let mut env = Vec::new();
                    let mut name = None;
                    let mut args = Vec::new();
                    let mut more = cursor.goto_first_child();
                    while more {
                        let child = cursor.node();
                        match (cursor.field_name(), child.kind()) {
                            (_, "variable_assignment") => env.push(assignment(child, src, map)),
                            (Some("name"), _) => {
                                if let Some(w) = child.named_child(0) {
                                    name = Some(word(w, src, map));
                                }
                            }
                            (Some("argument"), _) => args.push(word(child, src, map)),
                            _ => {}
                        }
                        more = cursor.goto_next_sibling();
                    }
                    let in_pipeline = parent == "pipeline"
                        || (parent == "redirected_statement" && grandparent == "pipeline");
                    out.commands.push(Command::new(
                        name.unwrap_or(Arg {
                            value: String::new(),
                            raw: String::new(),
                            range: map(node),
                            is_static: true,
                        }),
                        args,
                        env,
                        map(node),
                        in_pipeline,
                    ));
                    // Command substitutions inside arguments hold commands too.
                    let mut cursor = node.walk();
                    for child in node.children(&mut cursor) {
                        stack.push((child, Visit::Substitutions, kind, parent, depth));
                    }
                }
                "variable_assignment" => {
                    // A bare `NAME=value` statement.
                    out.commands.push(Command::new(
                        empty_arg(map(node)),
                        Vec::new(),
                        vec![assignment(node, src, map)],
                        map(node),
                        false,
                    ));
                    stack.push((node, Visit::Substitutions, parent, grandparent, depth));
                }
                "variable_assignments" => {
                    let env = node
                        .named_children(&mut cursor)
                        .filter(|c| c.kind() == "variable_assignment")
                        .map(|c| assignment(c, src, map))
                        .collect();
                    out.commands.push(Command::new(
                        empty_arg(map(node)),
                        Vec::new(),
                        env,
                        map(node),
                        false,
                    ));
                    stack.push((node, Visit::Substitutions, parent, grandparent, depth));
                }
                "declaration_command" => {
                    // `export A=1 B`, `declare -x A=1`, `local`, `readonly`: the
                    // keyword is the name, each assignment or word an argument
                    // (`A=1` as one word).
                    let mut name = None;
                    let mut args = Vec::new();
                    for child in node.children(&mut cursor) {
                        if !child.is_named() && name.is_none() {
                            name = Some(word(child, src, map));
                        } else if child.kind() == "variable_assignment" {
                            let (n, v) = assignment(child, src, map);
                            args.push(Arg {
                                value: format!("{n}={v}"),
                                raw: src[child.byte_range()].to_string(),
                                range: map(child),
                                is_static: true,
                            });
                        } else if child.is_named() {
                            args.push(word(child, src, map));
                        }
                    }
                    out.commands.push(Command::new(
                        name.unwrap_or_else(|| empty_arg(map(node))),
                        args,
                        Vec::new(),
                        map(node),
                        parent == "pipeline",
                    ));
                    stack.push((node, Visit::Substitutions, parent, grandparent, depth));
                }
                _ => {
                    if kind == "pipeline" {
                        out.has_pipeline = true;
                    }
                    for child in node.named_children(&mut cursor) {
                        stack.push((child, Visit::Collect, kind, parent, depth));
                    }
                }
            },
        }
        // Children were pushed in order: reverse them so the first is
        // visited first.
        stack[here..].reverse();
    }
}

fn assignment(node: Node, src: &str, map: &dyn Fn(Node) -> TextRange) -> (String, String) {
    let n = node
        .child_by_field_name("name")
        .map(|n| &src[n.byte_range()])
        .unwrap_or("");
    let v = node
        .child_by_field_name("value")
        .map(|v| word(v, src, map).value)
        .unwrap_or_default();
    (n.to_string(), v)
}

fn empty_arg(range: TextRange) -> Arg {
    Arg {
        value: String::new(),
        raw: String::new(),
        range,
        is_static: true,
    }
}

/// A word's value: quotes removed and escapes resolved when static.
fn word(node: Node, src: &str, map: &dyn Fn(Node) -> TextRange) -> Arg {
    let raw = src[node.byte_range()].to_string();
    let value = static_value(node, src);
    Arg {
        is_static: value.is_some(),
        value: value.unwrap_or_else(|| raw.clone()),
        raw,
        range: map(node),
    }
}

/// The value of a word when it is static. A concatenation's parts are
/// words and strings, each read by [`static_part`]; a part that is itself
/// a concatenation (tree-sitter-bash does not make one) is not static, so
/// nothing here recurses with the depth of the tree.
fn static_value(node: Node, src: &str) -> Option<String> {
    if node.kind() != "concatenation" {
        return static_part(node, src);
    }
    let mut cursor = node.walk();
    let mut out = String::new();
    for child in node.children(&mut cursor) {
        out.push_str(&static_part(child, src)?);
    }
    Some(out)
}

/// The value of a word, raw string or string when it is static.
fn static_part(node: Node, src: &str) -> Option<String> {
    let text = &src[node.byte_range()];
    match node.kind() {
        "word" | "number" => {
            if text.contains(['*', '?', '[']) && !text.contains('=') {
                // A glob: the shell may expand it.
                return None;
            }
            let mut out = String::new();
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    out.push(c);
                }
            }
            Some(out)
        }
        "raw_string" => Some(
            text.trim_start_matches('\'')
                .trim_end_matches('\'')
                .to_string(),
        ),
        "string" => {
            let mut cursor = node.walk();
            let mut out = String::new();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_content" => out.push_str(
                        &src[child.byte_range()]
                            .replace("\\\"", "\"")
                            .replace("\\\\", "\\"),
                    ),
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
