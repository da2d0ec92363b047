use super::*;
use crate::model::Model;
use crate::syntax::Keyword;

fn scripts(text: &str) -> Vec<Script> {
    let m = Model::build(text);
    let run = m
        .instructions
        .iter()
        .rev()
        .find(|i| i.kind == Keyword::Run)
        .expect("a RUN");
    run_scripts(&m, text, run)
}

fn commands(text: &str) -> Vec<String> {
    scripts(text)
        .iter()
        .flat_map(|s| s.commands.iter())
        .map(|c| {
            let args: Vec<_> = c.args.iter().map(|a| a.value.as_str()).collect();
            format!("{} {}", c.program(), args.join(" "))
        })
        .collect()
}

#[test]
fn commands_across_continuations_with_ranges() {
    let text = "FROM debian\nRUN apt-get update && \\\n    # a comment BuildKit drops\n    apt-get install -y \\\n      curl git\n";
    let s = &scripts(text)[0];
    let names: Vec<_> = s.commands.iter().map(|c| c.program()).collect();
    assert_eq!(names, ["apt-get", "apt-get"]);
    let install = &s.commands[1];
    assert_eq!(install.subcommand(), Some("install"));
    assert!(install.has_flag(Some('y'), &["yes", "assume-yes"]));
    assert!(!install.has_flag(None, &["no-install-recommends"]));
    let curl = install.args.iter().find(|a| a.value == "curl").unwrap();
    assert_eq!(curl.range.slice(text), "curl");
    let git = install.args.iter().find(|a| a.value == "git").unwrap();
    assert_eq!(git.range.slice(text), "git");
}

#[test]
fn words_quotes_env_and_pipelines() {
    assert_eq!(
        commands("FROM a\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -qy 'a b' \"c\" d\\ e $X | tee log\n"),
        ["apt-get install -qy a b c d e $X", "tee log"]
    );
    let s = &scripts("FROM a\nRUN curl -s x | sh\n")[0];
    assert!(s.has_pipeline);
    assert!(s.commands.iter().all(|c| c.in_pipeline));
    let c = &scripts("FROM a\nRUN FOO=1 make\n")[0].commands[0];
    assert_eq!(c.env, [("FOO".to_string(), "1".to_string())]);
}

#[test]
fn nested_commands_are_found() {
    assert_eq!(
        commands("FROM a\nRUN if [ -f x ]; then (cd /tmp && make); fi; echo $(whoami)\n"),
        ["cd /tmp", "make ", "echo $(whoami)", "whoami "]
    );
}

#[test]
fn heredoc_scripts_and_other_shells() {
    let text = "FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n";
    let all = commands(text);
    assert!(all.contains(&"apt-get install -y x".to_string()), "{all:?}");
    let s = scripts(text);
    let install = s[1]
        .commands
        .iter()
        .find(|c| c.subcommand() == Some("install"))
        .unwrap();
    assert_eq!(install.args[2].range.slice(text), "x");
    // python reads the body: not a shell script.
    assert_eq!(
        commands("FROM a\nRUN python3 <<EOF\nprint(1)\nEOF\n").len(),
        1
    );
    // Exec form and PowerShell stages are not shell scripts.
    assert!(scripts("FROM a\nRUN [\"apt-get\", \"install\"]\n").is_empty());
    assert!(scripts("FROM a\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-Item x\n").is_empty());
    assert!(scripts("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n").is_empty());
    // SHELL is inherited through FROM <stage>.
    assert!(scripts("FROM a AS b\nSHELL [\"pwsh\", \"-c\"]\nFROM b\nRUN x\n").is_empty());
    assert_eq!(
        dialect(
            &Model::build("FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN x\n"),
            2
        ),
        Dialect::Posix { bash: true }
    );
}

#[test]
fn assignments_and_declarations_are_commands() {
    let s = &scripts("FROM a\nRUN export PIP_NO_CACHE_DIR=1 X && Y=2 && pip install f\n")[0];
    let export = &s.commands[0];
    assert_eq!(export.program(), "export");
    let args: Vec<_> = export.args.iter().map(|a| a.value.as_str()).collect();
    assert_eq!(args, ["PIP_NO_CACHE_DIR=1", "X"]);
    assert_eq!(s.commands[1].env, [("Y".to_string(), "2".to_string())]);
    assert_eq!(s.commands[1].program(), "");
    assert_eq!(s.commands[2].program(), "pip");
}

#[test]
fn a_quoted_dynamic_program_name_has_its_base_name() {
    let s = &scripts("FROM a\nRUN \"${D}/bin/pip\" install x\n")[0];
    assert_eq!(s.commands[0].program(), "pip");
}

#[test]
fn windows_stages_by_tag_variable_or_escape() {
    for text in [
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022\nRUN echo %PATH%\n",
        "ARG REPO=mcr.microsoft.com/dotnet/framework/runtime\nFROM $REPO:4.8-windowsservercore-ltsc2022\nRUN dir\n",
        "# escape=`\nFROM $BASE\nRUN dir\n",
    ] {
        assert!(scripts(text).is_empty(), "{text}");
    }
}

#[test]
fn pipelines_inside_assigned_substitutions_are_found() {
    let s = &scripts("FROM a\nRUN x=\"$(ls | sort)\"; export Y=$(a | b)\n")[0];
    assert!(s.has_pipeline);
    let names: Vec<_> = s.commands.iter().map(|c| c.program()).collect();
    assert_eq!(names, ["", "ls", "sort", "export", "a", "b"]);
}
