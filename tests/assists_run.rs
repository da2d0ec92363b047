//! Assists on RUN instructions: merging layers, merging consecutive RUNs.
mod common;

use common::{check_assist, check_no_assist};
use std::path::Path;

fn example(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/examples")
        .join(name);
    match std::fs::read_to_string(p) {
        Ok(t) => Some(t),
        Err(_) => {
            println!("SKIPPED: ../shared absent");
            None
        }
    }
}

/// Applies `id` at `offset` of `text`, returns the result (checking it
/// keeps quality), and checks the assist is not offered on the result.
fn apply_at(id: &str, text: &str, offset: u32) -> String {
    let a = common::analysis(text);
    let assist = a
        .assists(berth::text::TextRange::empty(offset))
        .into_iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("{id} not offered in:\n{text}"));
    let out = assist.change.apply(text).unwrap();
    common::assert_keeps_quality(text, &out);
    out
}

fn offered_anywhere(id: &str, text: &str) -> bool {
    let a = common::analysis(text);
    (0..=text.len() as u32).any(|o| {
        a.assists(berth::text::TextRange::empty(o))
            .iter()
            .any(|x| x.id == id)
    })
}

// ---- merge_run_layers ----

#[test]
fn apt_layers_example_merges_like_the_article_recommends() {
    let Some(text) = example("apt-layers.Dockerfile") else {
        return;
    };
    let at = text.find("RUN apt-get install").unwrap() as u32;
    let out = apply_at("merge_run_layers", &text, at);
    // The article: update and install in one layer, clean and remove the
    // lists in that same layer.
    assert_eq!(
        out,
        "FROM debian:bookworm\n\
         RUN apt-get update && \\\n    \
         apt-get install -y --no-install-recommends curl vim && \\\n    \
         apt-get clean && \\\n    \
         rm -rf /var/lib/apt/lists/*\n"
    );
    assert!(!offered_anywhere("merge_run_layers", &out));
}

#[test]
fn installs_with_same_options_merge_into_one() {
    check_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update$0
RUN apt-get install -y curl git
RUN apt-get install -y git jq
RUN apt-get clean
"#,
        r#"
FROM debian
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl git jq && \
    apt-get clean && \
    rm -rf /var/lib/apt/lists/*
"#,
    );
}

#[test]
fn update_goes_first_and_cleanup_once_at_the_end() {
    check_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN rm -rf /var/lib/apt/lists/*
RUN apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update$0
"#,
        r#"
FROM debian
RUN apt-get update && \
    apt-get install --no-install-recommends -y curl && \
    rm -rf /var/lib/apt/lists/*
"#,
    );
}

#[test]
fn lists_are_not_removed_when_this_layer_did_not_fetch_them() {
    // A later RUN may install from the update of an earlier layer.
    check_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update
COPY a /a
RUN apt-get install -y curl$0
RUN apt-get install -y jq
COPY b /b
RUN apt-get install -y git
"#,
        r#"
FROM debian
RUN apt-get update
COPY a /a
RUN apt-get install -y --no-install-recommends curl jq
COPY b /b
RUN apt-get install -y git
"#,
    );
}

#[test]
fn comments_between_runs_move_above() {
    check_assist(
        "merge_run_layers",
        r#"
FROM debian
# refresh
RUN apt-get update$0

# tools
RUN apt-get install -y curl
"#,
        r#"
FROM debian
# refresh
# tools
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl && \
    rm -rf /var/lib/apt/lists/*
"#,
    );
}

#[test]
fn crlf_line_endings_are_kept() {
    let text = "FROM debian\r\nRUN apt-get update\r\nRUN apt-get install -y curl\r\n";
    let out = apply_at("merge_run_layers", text, 14);
    assert_eq!(
        out,
        "FROM debian\r\nRUN apt-get update && \\\r\n    apt-get install -y --no-install-recommends curl && \\\r\n    rm -rf /var/lib/apt/lists/*\r\n"
    );
}

#[test]
fn escape_backtick_is_used_for_continuations() {
    check_assist(
        "merge_run_layers",
        r#"
# escape=`
FROM debian
RUN apt-get update$0
RUN apt-get install -y curl
"#,
        r#"
# escape=`
FROM debian
RUN apt-get update && `
    apt-get install -y --no-install-recommends curl && `
    rm -rf /var/lib/apt/lists/*
"#,
    );
}

#[test]
fn existing_continuation_indent_is_reused() {
    check_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update && \
  apt-get install -y curl$0
RUN apt-get install -y jq
"#,
        r#"
FROM debian
RUN apt-get update && \
  apt-get install -y --no-install-recommends curl jq && \
  rm -rf /var/lib/apt/lists/*
"#,
    );
}

#[test]
fn apk_adds_get_no_cache_and_update_is_dropped() {
    check_assist(
        "merge_run_layers",
        r#"
FROM alpine
RUN apk update$0
RUN apk add curl
RUN apk add --no-cache git curl
"#,
        r#"
FROM alpine
RUN apk add --no-cache curl git
"#,
    );
}

#[test]
fn dnf_installs_get_yes_and_clean_all() {
    check_assist(
        "merge_run_layers",
        r#"
FROM fedora
RUN dnf install -y gcc$0
RUN dnf install make
"#,
        r#"
FROM fedora
RUN dnf install -y gcc make && \
    dnf clean all
"#,
    );
}

#[test]
fn mixed_rpm_programs_each_clean_their_cache() {
    check_assist(
        "merge_run_layers",
        r#"
FROM fedora
RUN dnf install -y git && dnf clean all$0
RUN yum install -y make && yum clean all
RUN microdnf install jq
"#,
        r#"
FROM fedora
RUN dnf install -y git && \
    yum install -y make && \
    microdnf install -y jq && \
    dnf clean all && \
    yum clean all && \
    microdnf clean all
"#,
    );
}

#[test]
fn different_mount_flags_do_not_merge() {
    check_no_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN --mount=type=cache,target=/var/cache/apt apt-get update$0
RUN apt-get install -y curl
"#,
    );
}

#[test]
fn exec_form_and_heredoc_runs_do_not_merge() {
    check_no_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update$0
RUN ["apt-get", "install", "-y", "curl"]
"#,
    );
    check_no_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update$0
RUN <<EOF
apt-get install -y curl
EOF
"#,
    );
}

#[test]
fn other_commands_and_single_runs_are_not_offered() {
    check_no_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update$0
RUN make
"#,
    );
    check_no_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update && apt-get install -y curl$0
"#,
    );
    check_no_assist(
        "merge_run_layers",
        r#"
FROM debian AS a
RUN apt-get update$0
FROM a
RUN apt-get install -y curl
"#,
    );
}

#[test]
fn a_selection_merges_only_the_runs_it_touches() {
    let text =
        "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get install -y jq\n";
    let start = text.find("RUN apt-get install").unwrap();
    let range = berth::text::TextRange::from_usize(start + 5, text.len() - 3);
    let a = common::analysis(text);
    let assist = a
        .assists(range)
        .into_iter()
        .find(|x| x.id == "merge_run_layers")
        .expect("offered on the selection");
    let out = assist.change.apply(text).unwrap();
    common::assert_keeps_quality(text, &out);
    assert_eq!(
        out,
        "FROM debian\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl jq\n"
    );
}

#[test]
fn env_prefixed_installs_keep_their_prefix() {
    check_assist(
        "merge_run_layers",
        r#"
FROM debian
RUN apt-get update$0
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata
"#,
        r#"
FROM debian
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata && \
    rm -rf /var/lib/apt/lists/*
"#,
    );
}

// ---- merge_consecutive_runs ----

#[test]
fn consecutive_runs_join_with_and() {
    check_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN mkdir -p /app$0
# build it
RUN make -C /src && \
    make -C /src install
RUN echo done
"#,
        r#"
FROM debian
# build it
RUN mkdir -p /app && \
    make -C /src && \
    make -C /src install && \
    echo done
"#,
    );
}

#[test]
fn bodies_with_lists_are_grouped_to_keep_their_meaning() {
    check_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN false || true$0
RUN a; b
RUN c | d
RUN e &
RUN f;
RUN g 2>&1 && h
"#,
        r#"
FROM debian
RUN { false || true; } && \
    { a; b; } && \
    c | d && \
    { e & } && \
    f && \
    g 2>&1 && h
"#,
    );
}

#[test]
fn a_final_semicolon_on_its_own_line_goes_with_its_continuation() {
    check_assist(
        "merge_consecutive_runs",
        r#"
FROM alpine
RUN echo start
RUN umask 022; \
    apk add --no-cache \
        tzdata \
    ;$0
"#,
        r#"
FROM alpine
RUN echo start && \
    { umask 022; \
    apk add --no-cache \
        tzdata; }
"#,
    );
}

#[test]
fn set_e_only_merges_as_the_last_body() {
    // `{ set -e; a; b; } && c` ignores -e: POSIX turns it off inside an
    // AND-OR list except in its last command.
    check_no_assist(
        "merge_consecutive_runs",
        "\nFROM alpine\nRUN set -eux; a; b$0\nRUN c\n",
    );
    check_assist(
        "merge_consecutive_runs",
        "\nFROM alpine\nRUN c$0\nRUN set -eux; a; b\n",
        "\nFROM alpine\nRUN c && \\\n    { set -eux; a; b; }\n",
    );
    check_no_assist(
        "merge_consecutive_runs",
        "\nFROM alpine\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\nRUN a; b$0\nRUN c\n",
    );
}

#[test]
fn state_changes_do_not_leak_into_the_next_body() {
    check_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN cd /tmp && touch x$0
RUN export A=1
RUN pwd
RUN cd /srv
"#,
        r#"
FROM debian
RUN ( cd /tmp && touch x ) && \
    ( export A=1 ) && \
    pwd && \
    cd /srv
"#,
    );
}

#[test]
fn consecutive_runs_keep_crlf_and_backtick_escape() {
    let text = "# escape=`\r\nFROM debian\r\nRUN a && `\r\n  b\r\nRUN c\r\n";
    let at = text.find("RUN a").unwrap() as u32;
    let out = apply_at("merge_consecutive_runs", text, at);
    assert_eq!(
        out,
        "# escape=`\r\nFROM debian\r\nRUN a && `\r\n  b && `\r\n  c\r\n"
    );
    assert!(!offered_anywhere("merge_consecutive_runs", &out));
}

#[test]
fn consecutive_runs_not_merged_across_flags_comments_or_forms() {
    check_no_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN --network=none make$0
RUN make install
"#,
    );
    check_no_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN make # build$0
RUN make install
"#,
    );
    check_no_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN make$0
RUN ["make", "install"]
"#,
    );
    check_no_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN make$0
COPY . .
RUN make install
"#,
    );
}

#[test]
fn same_mount_flags_merge() {
    check_assist(
        "merge_consecutive_runs",
        r#"
FROM debian
RUN --mount=type=cache,target=/root/.cache make$0
RUN --mount=type=cache,target=/root/.cache make install
"#,
        r#"
FROM debian
RUN --mount=type=cache,target=/root/.cache make && \
    make install
"#,
    );
}

// ---- sort_packages ----

#[test]
fn short_lists_sort_in_place() {
    check_assist(
        "sort_packages",
        r#"
FROM debian
RUN apt-get update && apt-get install -y vim$0 curl vim
"#,
        r#"
FROM debian
RUN apt-get update && apt-get install -y curl vim
"#,
    );
}

#[test]
fn long_lists_go_one_per_line() {
    check_assist(
        "sort_packages",
        r#"
FROM debian
RUN apt-get update && \
    apt-get install -y --no-install-recommends wget$0 curl git ca-certificates && \
    rm -rf /var/lib/apt/lists/*
"#,
        r#"
FROM debian
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        git \
        wget && \
    rm -rf /var/lib/apt/lists/*
"#,
    );
}

#[test]
fn one_per_line_lists_keep_their_layout() {
    check_assist(
        "sort_packages",
        r#"
FROM alpine
RUN apk add --no-cache \
      zlib$0 \
      bash \
      curl \
      bash \
      git
"#,
        r#"
FROM alpine
RUN apk add --no-cache \
      bash \
      curl \
      git \
      zlib
"#,
    );
}

#[test]
fn reflow_reuses_the_indentation_of_the_packages() {
    check_assist(
        "sort_packages",
        "\nFROM alpine\nRUN apk add --no-cache \\\n\t\tzlib$0 \\\n\t\tdpkg-dev dpkg \\\n\t\tgcc\n",
        "\nFROM alpine\nRUN apk add --no-cache \\\n\t\tdpkg \\\n\t\tdpkg-dev \\\n\t\tgcc \\\n\t\tzlib\n",
    );
}

#[test]
fn pip_and_dnf_lists_sort() {
    check_assist(
        "sort_packages",
        r#"
FROM python
RUN pip install --no-cache-dir requests$0 flask
"#,
        r#"
FROM python
RUN pip install --no-cache-dir flask requests
"#,
    );
    check_assist(
        "sort_packages",
        "\nFROM fedora\nRUN dnf install -y make$0 gcc && dnf clean all\n",
        "\nFROM fedora\nRUN dnf install -y gcc make && dnf clean all\n",
    );
}

#[test]
fn sort_packages_keeps_crlf_and_escape() {
    let text = "# escape=`\r\nFROM debian\r\nRUN apt-get install -y e d c b a\r\n";
    let at = text.find(" e ").unwrap() as u32 + 1;
    let out = apply_at("sort_packages", text, at);
    assert_eq!(
        out,
        "# escape=`\r\nFROM debian\r\nRUN apt-get install -y `\r\n    a `\r\n    b `\r\n    c `\r\n    d `\r\n    e\r\n"
    );
    assert!(!offered_anywhere("sort_packages", &out));
}

#[test]
fn sorted_dynamic_or_mixed_lists_are_left_alone() {
    check_no_assist(
        "sort_packages",
        "\nFROM debian\nRUN apt-get install -y curl$0 vim\n",
    );
    check_no_assist(
        "sort_packages",
        "\nFROM debian\nRUN apt-get install -y vim$0 $EXTRA curl\n",
    );
    check_no_assist(
        "sort_packages",
        "\nFROM debian\nRUN apt-get install -y vim$0 -t bookworm curl\n",
    );
    check_no_assist(
        "sort_packages",
        "\nFROM python\nRUN pip install -r requirements.txt$0 b a\n",
    );
}

// ---- split_run_at_and ----

#[test]
fn long_run_splits_at_top_level_and() {
    check_assist(
        "split_run_at_and",
        r#"
FROM debian
RUN apt-get update &&apt-get install -y curl$0   &&  sh -c "a && b" && (c && d) && echo $(e && f)
"#,
        r#"
FROM debian
RUN apt-get update && \
    apt-get install -y curl && \
    sh -c "a && b" && \
    (c && d) && \
    echo $(e && f)
"#,
    );
}

#[test]
fn split_keeps_crlf_and_escape() {
    let text = "# escape=`\r\nFROM debian\r\nRUN a && b\r\n";
    let at = text.find("RUN a").unwrap() as u32;
    let out = apply_at("split_run_at_and", text, at);
    assert_eq!(out, "# escape=`\r\nFROM debian\r\nRUN a && `\r\n    b\r\n");
    assert!(!offered_anywhere("split_run_at_and", &out));
}

#[test]
fn split_not_offered_without_and_or_on_multiline_runs() {
    check_no_assist("split_run_at_and", "\nFROM debian\nRUN make$0 || true\n");
    check_no_assist(
        "split_run_at_and",
        "\nFROM debian\nRUN a && \\\n    b && c$0\n",
    );
    check_no_assist("split_run_at_and", "\nFROM debian\nRUN echo 'a && b'$0\n");
    check_no_assist(
        "split_run_at_and",
        "\nFROM debian\nRUN [\"a\", \"&&\", \"b\"]$0\n",
    );
}

// ---- convert_cmd_form ----

#[test]
fn plain_shell_form_becomes_exec_form() {
    check_assist(
        "convert_cmd_form",
        r#"
FROM node
CMD node$0 "my server.js" --port=80
"#,
        r#"
FROM node
CMD ["node", "my server.js", "--port=80"]
"#,
    );
    check_assist(
        "convert_cmd_form",
        "\nFROM node\nENTRYPOINT $0/usr/bin/tini -- 'a\\b'\n",
        "\nFROM node\nENTRYPOINT [\"/usr/bin/tini\", \"--\", \"a\\\\b\"]\n",
    );
}

#[test]
fn shell_syntax_goes_through_sh_c_with_json_escaping() {
    check_assist(
        "convert_cmd_form",
        r#"
FROM node
CMD$0 echo "hi $USER" && exec node server.js > /tmp/log
"#,
        r#"
FROM node
CMD ["sh", "-c", "echo \"hi $USER\" && exec node server.js > /tmp/log"]
"#,
    );
    check_assist(
        "convert_cmd_form",
        r#"
FROM node
CMD$0 ls *.js
"#,
        r#"
FROM node
CMD ["sh", "-c", "ls *.js"]
"#,
    );
}

#[test]
fn stage_shell_is_used_for_the_exec_form() {
    check_assist(
        "convert_cmd_form",
        r#"
FROM node AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
FROM base
CMD$0 a | b
"#,
        r#"
FROM node AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
FROM base
CMD ["/bin/bash", "-o", "pipefail", "-c", "a | b"]
"#,
    );
}

#[test]
fn exec_form_becomes_shell_form_when_a_shell_is_chosen() {
    check_assist(
        "convert_cmd_form",
        r#"
FROM node
SHELL ["/bin/sh", "-c"]
CMD$0 ["node", "my server.js", "it's", "$HOME", ""]
"#,
        r#"
FROM node
SHELL ["/bin/sh", "-c"]
CMD node 'my server.js' 'it'\''s' '$HOME' ''
"#,
    );
    // Without SHELL the shell form would raise JSONArgsRecommended.
    check_no_assist("convert_cmd_form", "\nFROM node\nCMD$0 [\"node\"]\n");
}

#[test]
fn round_trip_keeps_the_words() {
    let text = "FROM node\nSHELL [\"/bin/sh\", \"-c\"]\nCMD node \"a b\" 'c\"d'\n";
    let at = text.find("CMD").unwrap() as u32;
    let exec = apply_at("convert_cmd_form", text, at);
    assert_eq!(
        exec,
        "FROM node\nSHELL [\"/bin/sh\", \"-c\"]\nCMD [\"node\", \"a b\", \"c\\\"d\"]\n"
    );
    let back = apply_at("convert_cmd_form", &exec, at);
    assert_eq!(
        back,
        "FROM node\nSHELL [\"/bin/sh\", \"-c\"]\nCMD node 'a b' 'c\"d'\n"
    );
}

#[test]
fn convert_not_offered_elsewhere() {
    // A shell-form ENTRYPOINT ignores CMD.
    check_no_assist(
        "convert_cmd_form",
        "\nFROM node\nENTRYPOINT$0 node\nCMD [\"server.js\"]\n",
    );
    // CMD's form decides ENTRYPOINT's arguments.
    check_no_assist(
        "convert_cmd_form",
        "\nFROM node\nENTRYPOINT [\"node\"]\nCMD$0 server.js\n",
    );
    check_no_assist(
        "convert_cmd_form",
        "\nFROM node AS base\nSHELL [\"/bin/sh\", \"-c\"]\nENTRYPOINT [\"node\"]\nFROM base\nCMD$0 [\"server.js\"]\n",
    );
    check_no_assist("convert_cmd_form", "\nFROM node\nRUN$0 make\n");
    check_no_assist(
        "convert_cmd_form",
        "\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD$0 dir\n",
    );
}

// ---- every example file ----

/// On every example, at every cursor position: no panic, and every
/// offered change applies, parses and adds no warning.
#[test]
fn run_assists_on_every_example_keep_quality() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let ids = [
        "merge_run_layers",
        "merge_consecutive_runs",
        "sort_packages",
        "split_run_at_and",
        "convert_cmd_form",
    ];
    let mut seen = std::collections::HashSet::new();
    for e in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let a = common::analysis(&text);
        // A file that is already broken only has to survive.
        let broken = a.diagnostics().iter().any(|d| {
            berth::rules::find(d.code)
                .is_some_and(|r| r.meta.category == berth::rules::Category::Syntax)
        });
        for o in 0..=text.len() {
            if !text.is_char_boundary(o) {
                continue;
            }
            for x in a.assists(berth::text::TextRange::empty(o as u32)) {
                if !ids.contains(&x.id) || !seen.insert((text.clone(), x.change.edits.clone())) {
                    continue;
                }
                let out = x
                    .change
                    .apply(&text)
                    .unwrap_or_else(|| panic!("{} edits do not apply", x.id));
                if !broken {
                    common::assert_keeps_quality(&text, &out);
                }
            }
        }
    }
}
