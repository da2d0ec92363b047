//! A Dockerfile read with berth's own model: the stage that is built (the
//! last one), the chain of stages it is built on inside the file, the
//! image that chain starts from, and the steps that change the image's
//! facts.

use berth::model::{Base, Form, Instruction, Model, VarKind};
use berth::shell;
use berth::syntax::Keyword;

use crate::facts::Step;

/// What one Dockerfile builds.
#[derive(Clone, Debug)]
pub struct Evaluated {
    /// The image the built stage's chain starts from (`debian:bookworm-
    /// slim`), with global ARG defaults substituted; `None` for scratch.
    pub base: Option<String>,
    pub steps: Vec<Step>,
}

/// The programs whose arguments add users or groups.
const ACCOUNT_PROGRAMS: &[&str] = &["useradd", "groupadd", "adduser", "addgroup"];

pub fn evaluate(text: &str) -> Evaluated {
    let model = Model::build(text);
    let Some(target) = model.target.or(model.stages.len().checked_sub(1)) else {
        return Evaluated {
            base: None,
            steps: Vec::new(),
        };
    };
    // The stages from the chain's root to the target: `FROM build AS final`
    // inherits everything `build` set.
    let mut chain = vec![target];
    while let Base::Stage(parent) = model.stages[*chain.last().unwrap()].base {
        if chain.contains(&parent) {
            break;
        }
        chain.push(parent);
    }
    chain.reverse();
    let root = &model.stages[chain[0]];
    let base = match &root.base {
        Base::Scratch | Base::Missing => None,
        _ => Some(root.base_expanded.clone()),
    };
    let mut steps = Vec::new();
    for &s in &chain {
        let stage = &model.stages[s];
        for ins in &model.instructions[stage.instructions.clone()] {
            steps.extend(steps_of(&model, text, ins));
        }
    }
    Evaluated { base, steps }
}

/// The steps of one instruction.
fn steps_of(model: &Model, text: &str, ins: &Instruction) -> Vec<Step> {
    let first = || {
        ins.args
            .first()
            .map(|w| w.value.clone())
            .unwrap_or_default()
    };
    match ins.kind {
        Keyword::Arg | Keyword::Env => model
            .decls
            .iter()
            .filter(|d| d.instruction == ins.index)
            .map(|d| match d.kind {
                VarKind::Arg => Step::Arg(d.name.clone(), d.value.clone()),
                VarKind::Env => Step::Env(d.name.clone(), d.value.clone().unwrap_or_default()),
            })
            .collect(),
        Keyword::User => vec![Step::User(first())],
        Keyword::Workdir => vec![Step::Workdir(first())],
        Keyword::Entrypoint => vec![Step::Entrypoint(command_text(ins))],
        Keyword::Cmd => vec![Step::Cmd(command_text(ins))],
        Keyword::Expose => vec![Step::Expose(
            ins.args.iter().map(|w| w.value.clone()).collect(),
        )],
        Keyword::Run => shell::run_scripts(model, text, ins)
            .iter()
            .flat_map(|script| &script.commands)
            .filter(|c| ACCOUNT_PROGRAMS.contains(&c.program()))
            .map(|c| {
                let words = c
                    .args
                    .iter()
                    .map(|a| {
                        if a.is_static {
                            a.value.clone()
                        } else {
                            unquote(&a.raw)
                        }
                    })
                    .collect();
                Step::Account(c.program().to_string(), words)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `"$APP_UID"` → `$APP_UID`: the facts expand the reference later.
fn unquote(raw: &str) -> String {
    raw.trim_matches('"').to_string()
}

/// ENTRYPOINT/CMD as written: a JSON array for exec form, the command
/// text for shell form.
fn command_text(ins: &Instruction) -> String {
    match ins.form {
        Form::Exec => {
            let items: Vec<String> = ins.args.iter().map(|w| json_string(&w.value)).collect();
            format!("[{}]", items.join(", "))
        }
        Form::Shell => ins
            .args
            .iter()
            .map(|w| w.value.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_stage_chain() {
        let text = "ARG REPO=mcr.microsoft.com/dotnet/aspnet\nFROM alpine AS tools\nENV A=1\n\
                    FROM $REPO:8.0 AS base\nENV B=2\nFROM base\nUSER app\nCMD [\"run\"]\n";
        let e = evaluate(text);
        assert_eq!(
            e.base.as_deref(),
            Some("mcr.microsoft.com/dotnet/aspnet:8.0")
        );
        let names: Vec<String> = e.steps.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(
            names,
            [r#"Env("B", "2")"#, r#"User("app")"#, r#"Cmd("[\"run\"]")"#]
        );
    }

    #[test]
    fn reads_account_commands() {
        let text = "FROM debian\nRUN groupadd -r app && useradd -r -g app app \\\n  && echo ok\n";
        let e = evaluate(text);
        assert_eq!(e.steps.len(), 2);
        assert!(
            matches!(&e.steps[1], Step::Account(p, w) if p == "useradd" && w.last().unwrap() == "app")
        );
    }
}
