//! Errors BuildKit reports while parsing: the build fails before it starts.

use crate::model::build_codes as codes;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

fn emit(ctx: &Ctx, acc: &mut Acc, meta: &'static RuleMeta) {
    for p in ctx.model.problems.iter().filter(|p| p.code == meta.code) {
        acc.push(meta, p.range, p.message.clone());
    }
}

macro_rules! syntax_rule {
    ($rule:ident, $meta:ident, $code:expr, $summary:expr, $docs:expr) => {
        syntax_rule!($rule, $meta, $code, &[], $summary, $docs);
    };
    ($rule:ident, $meta:ident, $code:expr, $aliases:expr, $summary:expr, $docs:expr) => {
        pub static $meta: RuleMeta = RuleMeta {
            code: $code,
            aliases: $aliases,
            summary: $summary,
            docs: $docs,
            severity: Severity::Error,
            category: Category::Syntax,
            default: Default::On,
        };
        pub const $rule: Rule = Rule {
            meta: &$meta,
            check: |ctx, acc| emit(ctx, acc, &$meta),
            blind_to: &[],
            local_to: &[],
        };
    };
}

syntax_rule!(
    UNKNOWN_INSTRUCTION_RULE,
    UNKNOWN_INSTRUCTION,
    codes::UNKNOWN_INSTRUCTION,
    "An instruction BuildKit does not know",
    "## What\nA line starts with a word that is not a Dockerfile instruction.\n\n\
## Why\nBuildKit stops with `unknown instruction`. Often a typo, or a line that was meant to \
continue the previous instruction but lost its trailing `\\`.\n\n\
## Example\n```dockerfile\nFROM alpine\nRUN apk add curl\n    git\n```\n\n\
## Fix\nCorrect the keyword, or end the previous line with the escape character."
);

syntax_rule!(
    INVALID_FLAG_RULE,
    INVALID_FLAG,
    codes::INVALID_FLAG,
    "A flag the instruction does not accept, repeated, or without its value",
    "## What\nAn instruction flag (`--from=`, `--chown=`, `--mount=`...) that the instruction does \
not accept, a flag given twice, a flag missing its `=value`, or a boolean flag with a value \
other than `true`/`false`.\n\n## Why\nBuildKit rejects the Dockerfile.\n\n\
## Example\n```dockerfile\nCOPY --form=build /app /app\n```\n\n## Fix\nUse a flag the \
instruction accepts, once, with a value."
);

syntax_rule!(
    INVALID_ARGUMENTS_RULE,
    INVALID_ARGUMENTS,
    codes::INVALID_ARGUMENTS,
    "Wrong number or form of arguments",
    "## What\nAn instruction with missing or malformed arguments: `COPY` with only one path, \
`FROM` with two words, `ENV` mixing `k=v` and bare words, `SHELL` not in JSON form, a JSON \
array with non-string elements, an instruction with no arguments.\n\n## Why\nBuildKit \
rejects the Dockerfile.\n\n## Example\n```dockerfile\nCOPY app.jar\n```\n\n## Fix\nGive the \
arguments the instruction needs, e.g. `COPY app.jar /app/`."
);

syntax_rule!(
    INVALID_STAGE_NAME_RULE,
    INVALID_STAGE_NAME,
    codes::INVALID_STAGE_NAME,
    "A stage name BuildKit does not accept",
    "## What\nThe name after `AS` must start with a letter and contain only letters, digits, \
`-`, `_` and `.`.\n\n## Why\nBuildKit rejects the Dockerfile.\n\n## Example\n```dockerfile\n\
FROM golang AS build/go\n```\n\n## Fix\nRename the stage, e.g. `build-go`."
);

syntax_rule!(
    UNTERMINATED_HEREDOC_RULE,
    UNTERMINATED_HEREDOC,
    codes::UNTERMINATED_HEREDOC,
    "A heredoc without its terminator line",
    "## What\nA `<<EOF` heredoc whose terminator line (`EOF` alone on a line) never comes.\n\n\
## Why\nBuildKit reads the rest of the file as the heredoc body and fails.\n\n\
## Example\n```dockerfile\nRUN <<EOF\necho hi\n```\n\n## Fix\nAdd the terminator line. \
With `<<-EOF`, leading tabs before it are allowed."
);

syntax_rule!(
    INVALID_DIRECTIVE_RULE,
    INVALID_DIRECTIVE,
    codes::INVALID_DIRECTIVE,
    "A parser directive BuildKit rejects",
    "## What\nA parser directive given twice, or `# escape=` with a character other than `\\` \
or a backtick.\n\n## Why\nBuildKit rejects the Dockerfile.\n\n## Example\n```dockerfile\n\
# escape=^\nFROM alpine\n```\n\n## Fix\nKeep one directive of each kind; use `\\` or `` ` ``."
);

syntax_rule!(
    INVALID_ONBUILD_TRIGGER_RULE,
    INVALID_ONBUILD_TRIGGER,
    codes::INVALID_ONBUILD_TRIGGER,
    &["DL3043"],
    "ONBUILD with FROM, MAINTAINER or another ONBUILD",
    "## What\n`ONBUILD FROM`, `ONBUILD MAINTAINER` or `ONBUILD ONBUILD`.\n\n\
## Why\nBuildKit rejects the Dockerfile: a trigger cannot start a stage, set the deprecated \
author field, or register another trigger.\n\n## Example\n```dockerfile\nFROM alpine\n\
ONBUILD FROM debian\n```\n\n## Fix\nRemove the trigger, or make it an instruction that can \
run in the image built from this one (`ONBUILD RUN ...`, `ONBUILD COPY ...`)."
);
