//! Shell rules on RUN commands: each rule's invalid fixture marks where it
//! fires, its valid fixture must stay silent. Marker columns are byte
//! columns of the line above.

mod common;

use common::{analysis, check_rule, rule_messages};
use expect_test::expect;

#[test]
fn dl3001_pointless_commands() {
    check_rule(
        "DL3001",
        r#"
FROM debian:12
RUN service nginx start
    ^^^^^^^ DL3001
RUN ps aux && top -b -n1 && free -m && kill 1 && mount -a && ssh host && vim x && shutdown now
    ^^ DL3001
              ^^^ DL3001
                            ^^^^ DL3001
                                       ^^^^ DL3001
                                                 ^^^^^ DL3001
                                                             ^^^ DL3001
                                                                         ^^^ DL3001
                                                                                  ^^^^^^^^ DL3001
ONBUILD RUN /usr/sbin/service cron start
            ^^^^^^^^^^^^^^^^^ DL3001
"#,
    );
}

#[test]
fn dl3001_ordinary_commands() {
    check_rule(
        "DL3001",
        r#"
FROM debian:12
RUN apt-get install -y procps=2 vim=9 openssh-client=9 && echo ps top && systemctl enable x
CMD ["service", "nginx", "start"]
"#,
    );
}

#[test]
fn dl3003_cd() {
    check_rule(
        "DL3003",
        r#"
FROM golang:1.23
RUN cd /src && go build -o /app .
    ^^ DL3003
RUN (cd vendor && make) && echo done
     ^^ DL3003
ONBUILD RUN cd /x
            ^^ DL3003
"#,
    );
}

#[test]
fn dl3003_workdir() {
    check_rule(
        "DL3003",
        r#"
FROM golang:1.23
WORKDIR /src
RUN go build -o /app . && echo cd && make -C sub
"#,
    );
}

#[test]
fn dl3004_sudo() {
    check_rule(
        "DL3004",
        r#"
FROM ubuntu:24.04
RUN sudo apt-get update && echo ok | sudo tee /x
    ^^^^ DL3004
                                     ^^^^ DL3004
"#,
    );
}

#[test]
fn dl3004_no_sudo() {
    check_rule(
        "DL3004",
        r#"
FROM ubuntu:24.04
USER root
RUN apt-get install -y sudo=1.9 && echo sudo && gosu app true
"#,
    );
}

#[test]
fn dl3010_copied_archive_extracted() {
    check_rule(
        "DL3010",
        r#"
FROM debian:12
COPY app.tar.gz /tmp/
     ^^^^^^^^^^ DL3010
RUN tar -xzf /tmp/app.tar.gz -C /opt
COPY build/out.bin /tmp/pkg.tgz
                   ^^^^^^^^^^^^ DL3010
RUN tar xzf /tmp/pkg.tgz
COPY data/data.tar.xz /tmp/
     ^^^^^^^^^^^^^^^^ DL3010
WORKDIR /tmp
RUN unxz data.tar.xz
COPY ["src.tar.bz2", "/tmp/"]
      ^^^^^^^^^^^^^ DL3010
RUN tar --extract --file=/tmp/src.tar.bz2

FROM debian:12
COPY late.tar /late.tar
              ^^^^^^^^^ DL3010
RUN echo first && tar -x -f /late.tar
"#,
    );
}

#[test]
fn dl3010_not_extracted_or_not_copied() {
    check_rule(
        "DL3010",
        r#"
FROM debian:12 AS build
COPY --from=busybox /x.tar /x.tar
RUN tar -xf /x.tar
ADD app.tar.gz /opt/
COPY keep.tar.gz /srv/
RUN tar --exclude=cache -czf /out.tgz /srv && tar -tzf /srv/keep.tar.gz
COPY config.json /etc/

FROM debian:12
RUN tar -xzf /tmp/app.tar.gz
"#,
    );
}

#[test]
fn dl3046_useradd_high_uid() {
    check_rule(
        "DL3046",
        r#"
FROM debian:12
RUN useradd -u 123456 app
               ^^^^^^ DL3046
RUN useradd -m --uid=1000000 app2 && useradd --uid 200000 app3
               ^^^^^^^^^^^^^ DL3046
                                                   ^^^^^^ DL3046
ARG BIG_UID=2000000
RUN useradd -u $BIG_UID app4
               ^^^^^^^^ DL3046
"#,
    );
}

#[test]
fn dl3046_low_uid_or_no_log_init() {
    check_rule(
        "DL3046",
        r#"
FROM debian:12
RUN useradd -l -u 123456 app && useradd --no-log-init -u 123456 app2
RUN useradd -u 1000 app3 && useradd -r app4
ARG UID=1000
RUN useradd -u ${UID} app5 && useradd -u $UNKNOWN app6
"#,
    );
}

#[test]
fn dl3047_wget_without_progress() {
    check_rule(
        "DL3047",
        r#"
FROM debian:12
RUN wget https://example.com/a.tar.gz
    ^^^^ DL3047
RUN wget -O /tmp/x https://example.com/x && echo | wget -i -
    ^^^^ DL3047
                                                   ^^^^ DL3047
"#,
    );
}

#[test]
fn dl3047_wget_quiet() {
    check_rule(
        "DL3047",
        r#"
FROM debian:12
RUN wget -q https://x && wget -nv https://y && wget --progress=dot:giga https://z
RUN wget -qO- https://a && wget --quiet https://b && wget -o /log https://c && wget -a /log https://d
RUN wget --no-verbose https://e && curl -fsSLO https://f
"#,
    );
}

#[test]
fn dl4001_wget_and_curl_in_a_stage() {
    check_rule(
        "DL4001",
        r#"
FROM debian:12
RUN curl -fsSLo /x https://x
RUN wget -q https://y
    ^^^^ DL4001
RUN echo between
RUN curl -fsSLo /z https://z
    ^^^^ DL4001

FROM debian:12
RUN wget -q https://a && curl -fsSLO https://b
    ^^^^ DL4001
RUN curl -fsSLO https://c
    ^^^^ DL4001
"#,
    );
}

#[test]
fn dl4001_one_tool_per_stage() {
    check_rule(
        "DL4001",
        r#"
FROM debian:12
RUN curl -fsSLo /x https://x

FROM debian:12
RUN wget -q https://y
ONBUILD RUN curl -fsSLo /z https://z
"#,
    );
}

#[test]
fn dl4005_ln_bin_sh() {
    check_rule(
        "DL4005",
        r#"
FROM debian:12
RUN ln -sf /bin/bash /bin/sh
                     ^^^^^^^ DL4005
"#,
    );
}

#[test]
fn dl4005_other_links() {
    check_rule(
        "DL4005",
        r#"
FROM debian:12
RUN ln -s /usr/bin/python3 /usr/bin/python && echo /bin/sh
SHELL ["/bin/bash", "-c"]
"#,
    );
}

#[test]
fn dl4006_pipe_without_pipefail() {
    check_rule(
        "DL4006",
        r#"
FROM debian:12
RUN curl -fsSL https://example.com/install.sh | sh
    ^^^^ DL4006
SHELL ["/bin/sh", "-c"]
RUN echo ok && cat /etc/os-release | grep ID
               ^^^ DL4006
SHELL ["/bin/bash", "-c"]
RUN a | b
    ^ DL4006
RUN <<EOF
set -e
curl https://x | tar -xz
^^^^ DL4006
EOF

FROM alpine:3.20
RUN wget -qO- https://x | sh
    ^^^^ DL4006
"#,
    );
}

#[test]
fn dl4006_pipefail_set() {
    check_rule(
        "DL4006",
        r#"
FROM debian:12 AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://x | sh

FROM base
RUN a | b

FROM alpine:3.20
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN a | b
SHELL ["/usr/bin/zsh", "-euo", "pipefail", "-c"]
RUN a | b

FROM debian:12
RUN set -o pipefail && a | b
RUN a || b && c
RUN ["sh", "-c", "a | b"]
ONBUILD RUN a | b

FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN type x | findstr y
"#,
    );
}

#[test]
fn pragmas_silence_shell_rules() {
    let text = "FROM debian:12\n\
# hadolint ignore=DL3003,DL4006\n\
RUN cd /tmp && curl -fsSL https://x | sh\n\
RUN cd /srv\n";
    let a = analysis(text);
    let codes: Vec<_> = a.diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "DL3003").count(),
        1,
        "{codes:?}"
    );
    assert!(!codes.contains(&"DL4006"), "{codes:?}");
}

#[test]
fn escape_directive_and_powershell_stages() {
    check_rule(
        "DL3047",
        r#"
# escape=`
FROM debian:12
RUN echo start && `
    wget https://x
    ^^^^ DL3047

FROM debian:12
SHELL ["powershell", "-Command"]
RUN wget https://y -OutFile y; cd C:\
"#,
    );
    check_rule(
        "DL3003",
        r#"
FROM debian:12
SHELL ["pwsh", "-Command"]
RUN cd C:\x ; sudo x
"#,
    );
}

#[test]
fn shell_rule_messages() {
    let text = r#"FROM debian:12
COPY app.tar.gz /tmp/
RUN service x start && cd /src && sudo make && tar -xzf /tmp/app.tar.gz
RUN useradd -u 123456 app && wget https://x && curl https://y | sh && ln -sf /bin/bash /bin/sh

FROM alpine:3.20
RUN wget -qO- https://x | sh
"#;
    let codes = [
        "DL3001", "DL3003", "DL3004", "DL3010", "DL3046", "DL3047", "DL4001", "DL4005", "DL4006",
    ];
    let out: Vec<String> = codes
        .iter()
        .map(|c| format!("{c}:\n{}", rule_messages(c, text)))
        .collect();
    expect![[r#"
        DL3001:
        info `service`: `service` makes no sense in an image build step
        DL3003:
        warning `cd`: use `WORKDIR /src` instead of `cd` (the directory only lasts for this RUN)
        DL3004:
        error `sudo`: do not use `sudo` in a build: switch with `USER root` (and back) instead
        DL3010:
        info `app.tar.gz`: `app.tar.gz` is copied, then extracted by a RUN: `ADD` extracts a local tar archive in one layer
        DL3046:
        warning `123456`: UID 123456 without `--no-log-init`: useradd writes sparse lastlog and faillog files of gigabytes into the layer; add `-l`
        DL3047:
        info `wget`: wget without a progress option floods the build log: add `-q`, `-nv` or `--progress=dot:giga`
        DL4001:
        warning `wget`: this stage uses both `wget` and `curl`: use one of them
        DL4005:
        warning `/bin/sh`: do not replace /bin/sh: use the SHELL instruction to change the shell of RUN
        DL4006:
        warning `curl`: if `curl` fails, the pipe hides it (only the last command's status counts): add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN
        warning `wget`: if `wget` fails, the pipe hides it (only the last command's status counts): add `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]` before this RUN"#]].assert_eq(&out.join("\n"));
}
