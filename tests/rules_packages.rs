//! Package manager rules: each rule's invalid fixture marks where it
//! fires, its valid fixture must stay silent. Generated marker columns are
//! byte columns of the line above.

mod common;

use berth::ide::Settings;
use berth::model::ModelSettings;
use common::{analysis, analysis_with, check_rule, check_rule_with, rule_messages};
use expect_test::expect;

#[test]
fn dl3008_unpinned_apt_packages() {
    check_rule(
        "DL3008",
        r#"
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39.5-0 ./x.deb \
                                                                 ^^^^ DL3008
      ca-certificates \
      ^^^^^^^^^^^^^^^ DL3008
    && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y -t bookworm-backports vim -o Dpkg::Options::=--force-confold less=590-2
                                             ^^^ DL3008
ARG PKGS="jq=1.6-2.1 yq"
RUN apt-get install -y $PKGS "$OTHER" curl=${CURL_VERSION}
                       ^^^^^ DL3008
                             ^^^^^^^^ DL3008
ONBUILD RUN apt-get install -y wget
                               ^^^^ DL3008
"#,
    );
}

#[test]
fn dl3008_pinned_or_no_packages() {
    check_rule(
        "DL3008",
        r#"
FROM debian:12
RUN apt-get update && apt-get install -y curl=7.88.1-10 bar/bookworm-backports ./local.deb
RUN apt-get -y upgrade && apt-get install -y && apt-get remove -y curl
ARG PKGS="jq=1.6-2.1 git=1:2.39"
RUN apt-get install -y $PKGS
RUN ["apt-get", "install", "-y", "curl"]
RUN echo apt-get install curl
"#,
    );
}

#[test]
fn dl3008_escape_directive_and_heredoc() {
    check_rule(
        "DL3008",
        r#"
# escape=`
FROM debian:12
RUN apt-get update && apt-get install -y `
      curl `
      ^^^^ DL3008
      git=1:2.39
RUN <<EOF
apt-get update
apt-get install -y wget
                   ^^^^ DL3008
EOF
"#,
    );
}

#[test]
fn apt_lists_in_kept_stages() {
    check_rule(
        "AptListsInShippedStage",
        r#"
FROM debian:12 AS base
RUN apt-get update && apt-get install -y curl
    ^^^^^^^^^^^^^^ AptListsInShippedStage

FROM base AS build
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y make
                                   ^^^^^^^^^^^^^^ AptListsInShippedStage

FROM debian:12 AS tools
RUN apt-get update && apt-get install -y jq

FROM build
COPY --from=tools /usr/bin/jq /usr/bin/jq
RUN apt update && apt install -y x && rm -rf /tmp/x
    ^^^^^^^^^^ AptListsInShippedStage
RUN apt-get -q update && apt-get install -y y && apt-get clean
    ^^^^^^^^^^^^^^^^^ AptListsInShippedStage
RUN <<EOF
apt-get update
^^^^^^^^^^^^^^ AptListsInShippedStage
apt-get install -y z
EOF
ONBUILD RUN apt-get update
            ^^^^^^^^^^^^^^ AptListsInShippedStage
"#,
    );
}

#[test]
fn apt_lists_removed_or_not_shipped() {
    check_rule(
        "AptListsInShippedStage",
        r#"
FROM debian:12 AS tools
RUN apt-get update && apt-get install -y curl

FROM debian:12
COPY --from=tools /usr/bin/curl /usr/bin/curl
RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y x && apt-get dist-clean
RUN aptitude update && aptitude install -y x && rm -r /var/lib/apt/lists
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=tmpfs,target=/var/cache/apt apt-get update
RUN <<EOF
apt-get update
apt-get install -y x
rm -rf /var/lib/apt/lists
EOF
RUN apt-get install -y y
"#,
    );
}

#[test]
fn dl3013_unpinned_pip_packages() {
    check_rule(
        "DL3013",
        r#"
FROM python:3.12
RUN pip install --no-cache-dir flask django==4.2 "requests>=2" ./dist/x.whl y.tar.gz
                               ^^^^^ DL3013
RUN python3 -m pip install --no-cache-dir --index-url https://pypi.example/simple numpy
                                                                                  ^^^^^ DL3013
RUN /usr/local/bin/pip3 install --no-cache-dir -U pip git+https://github.com/a/b@v1 git+https://github.com/a/c
                                                  ^^^ DL3013
                                                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3013
RUN pip install --no-cache-dir --target /opt/lib "tensorflow${TF_SUFFIX}"
                                                 ^^^^^^^^^^^^^^^^^^^^^^^^ DL3013
"#,
    );
}

#[test]
fn dl3013_pinned_or_from_files() {
    check_rule(
        "DL3013",
        r#"
FROM python:3.12
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir --requirement=requirements.txt
RUN pip install --no-cache-dir -c constraints.txt flask
RUN pip install --no-cache-dir -e .
RUN pip install --no-cache-dir "flask[async]~=3.0" numpy!=1.0 local/pkg
RUN pip download flask && pipenv install flask && pip list
"#,
    );
}

#[test]
fn dl3014_apt_get_install_without_yes() {
    check_rule(
        "DL3014",
        r#"
FROM debian:12
RUN apt-get install --no-install-recommends curl=1
    ^^^^^^^^^^^^^^^ DL3014
RUN apt-get update && apt-get -q install --no-install-recommends x=1
                      ^^^^^^^^^^^^^^^^^^ DL3014
ONBUILD RUN apt-get install y=1
            ^^^^^^^^^^^^^^^ DL3014
"#,
    );
}

#[test]
fn dl3014_yes_in_all_forms() {
    check_rule(
        "DL3014",
        r#"
FROM debian:12
RUN apt-get install -y a=1 && apt-get install --yes b=1 && apt-get --assume-yes install c=1
RUN apt-get install -qq d=1 && apt-get -q -q install e=1 && apt-get install -q=2 f=1 && apt-get -yq install g=1
RUN apt-get update && apt-get upgrade
"#,
    );
}

#[test]
fn dl3015_apt_get_install_with_recommends() {
    check_rule(
        "DL3015",
        r#"
FROM debian:12
RUN apt-get install -y curl=1
    ^^^^^^^^^^^^^^^ DL3015
RUN apt-get update && apt-get -y install x=1
                      ^^^^^^^^^^^^^^^^^^ DL3015
"#,
    );
}

#[test]
fn dl3015_no_recommends() {
    check_rule(
        "DL3015",
        r#"
FROM debian:12
RUN apt-get install -y --no-install-recommends curl=1
RUN apt-get install -y -o APT::Install-Recommends=false curl=1
RUN apt-get -y --no-install-recommends install x=1 && apt-get -y remove y
"#,
    );
}

#[test]
fn dl3016_unpinned_npm_packages() {
    check_rule(
        "DL3016",
        r#"
FROM node:22
RUN npm install -g typescript eslint@8 @angular/cli @types/node@20
                   ^^^^^^^^^^ DL3016
                                       ^^^^^^^^^^^^ DL3016
RUN npm --loglevel warn install express && npm install --registry https://r.example lodash
                                ^^^^^^^ DL3016
                                                                                    ^^^^^^ DL3016
RUN npm install git+https://github.com/a/b
                ^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3016
"#,
    );
}

#[test]
fn dl3016_pinned_npm_packages() {
    check_rule(
        "DL3016",
        r#"
FROM node:22
RUN npm install && npm ci && npm run install
RUN npm install ./x ../y /z ~/w a.tgz b.tar.gz git+https://github.com/a/b#abc123
RUN npm install --prefix /app express@4.19.2
"#,
    );
}

#[test]
fn dl3018_unpinned_apk_packages() {
    check_rule(
        "DL3018",
        r#"
FROM alpine:3.20
RUN apk add --no-cache curl bash=5.2.26-r0 "git>2" ./local.apk
                       ^^^^ DL3018
RUN apk add --no-cache --virtual .build-deps gcc musl-dev~1.2
                                             ^^^ DL3018
RUN apk --no-cache add -X https://dl-cdn.alpinelinux.org/alpine/edge/testing just
                                                                             ^^^^ DL3018
"#,
    );
}

#[test]
fn dl3018_pinned_apk_packages() {
    check_rule(
        "DL3018",
        r#"
FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r1 && apk del curl && apk info
ARG PKGS="jq=1.7 yq<5"
RUN apk add --no-cache $PKGS
"#,
    );
}

#[test]
fn dl3019_apk_add_without_no_cache() {
    check_rule(
        "DL3019",
        r#"
FROM alpine:3.20
RUN apk add curl=1
    ^^^^^^^ DL3019
RUN apk update && apk --update add x=1 && rm -rf /var/cache/apk/*
                  ^^^^^^^^^^^^^^^^ DL3019
"#,
    );
}

#[test]
fn dl3019_no_cache_or_cache_mount() {
    check_rule(
        "DL3019",
        r#"
FROM alpine:3.20
RUN apk add --no-cache curl=1
RUN apk --no-cache add x=1
RUN --mount=type=cache,target=/var/cache/apk apk add y=1
RUN apk del curl
"#,
    );
}

#[test]
fn dl3019_cache_mounts_answer_it() {
    // A cache or tmpfs mount on apk's cache, its `/etc/apk/cache` link, or
    // a directory above them keeps the index out of the image: no finding.
    check_rule(
        "DL3019",
        r#"
FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk/ apk add y=1
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked apk add y=1
RUN --mount=type=Cache,Target=/var/cache/apk apk add y=1
RUN --mount=type=tmpfs,dst=/var/cache apk add y=1
RUN --mount=type=cache,target=/etc/apk/cache apk add y=1
RUN --mount=type=cache,target=/var/cache/apk \
    apk update && apk add y=1
ONBUILD RUN --mount=type=cache,target=/var/cache/apk apk add y=1
"#,
    );
    // A mount elsewhere, a bind mount, or one inside the cache does not.
    check_rule(
        "DL3019",
        r#"
FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk-old apk add y=1
                                                 ^^^^^^^ DL3019
RUN --mount=type=bind,target=/var/cache/apk apk add y=1
                                            ^^^^^^^ DL3019
RUN --mount=type=cache,target=/var/cache/apk/x86_64 apk add y=1
                                                    ^^^^^^^ DL3019
RUN --mount=type=cache,target=/tmp/var/cache/apk apk add y=1
                                                 ^^^^^^^ DL3019
"#,
    );
}

#[test]
fn cache_mounts_answer_the_cache_rules() {
    // Each rule that asks to disable or clean a package manager's cache
    // is answered by a cache mount on that cache or a directory above it.
    for (code, run) in [
        (
            "AptListsInShippedStage",
            "--mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y x",
        ),
        (
            "AptListsInShippedStage",
            "--mount=type=tmpfs,target=/var/lib/apt/lists/ apt-get update && apt-get install -y x",
        ),
        ("DL3032", "--mount=type=cache,target=/var/cache/yum yum install -y x-1"),
        ("DL3032", "--mount=type=cache,target=/var/cache/dnf yum install -y x-1"),
        ("DL3040", "--mount=type=cache,target=/var/cache/dnf dnf install -y x-1"),
        ("DL3040", "--mount=type=cache,target=/var/cache dnf install -y x-1"),
        ("DL3040", "--mount=type=cache,target=/var/cache/libdnf5 dnf install -y x-1"),
        ("DL3036", "--mount=type=cache,target=/var/cache/zypp zypper install -y x=1"),
        ("DL3042", "--mount=type=cache,target=/root/.cache/pip pip install x==1"),
        ("DL3042", "--mount=type=cache,target=/root/.cache pip install x==1"),
        ("DL3042", "--mount=type=cache,target=/home/app/.cache/pip pip install x==1"),
        ("DL3060", "--mount=type=cache,target=/usr/local/share/.cache/yarn yarn install"),
        ("DL3060", "--mount=type=cache,target=/root/.cache/yarn yarn install"),
    ] {
        let text = format!("FROM debian:12\nRUN {run}\n");
        let mut settings = Settings::default();
        settings.rules.enable.push(code.to_string());
        let a = analysis_with(&text, settings.clone());
        let found: Vec<_> = a.diagnostics().iter().filter(|d| d.code == code).collect();
        assert!(found.is_empty(), "{code} on a cache mount:\n{text}{found:?}");
        // Without the mount the finding is there.
        let bare = format!("FROM debian:12\nRUN {}\n", run.split_once(' ').unwrap().1);
        let a = analysis_with(&bare, settings);
        assert!(
            a.diagnostics().iter().any(|d| d.code == code),
            "{code} without the mount:\n{bare}"
        );
    }
    // A mount of the other apt cache, /var/cache/apt, does not keep the
    // lists out.
    check_rule(
        "AptListsInShippedStage",
        r#"
FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y x
                                             ^^^^^^^^^^^^^^ AptListsInShippedStage
"#,
    );
}

#[test]
fn dl3027_apt() {
    check_rule(
        "DL3027",
        r#"
FROM ubuntu:24.04
RUN apt update && apt install -y curl
    ^^^ DL3027
                  ^^^ DL3027
"#,
    );
}

#[test]
fn dl3027_apt_get_and_apt_cache() {
    check_rule(
        "DL3027",
        r#"
FROM ubuntu:24.04
RUN apt-get update && apt-cache policy curl && apt-key list && echo apt
"#,
    );
}

#[test]
fn dl3028_unpinned_gems() {
    check_rule(
        "DL3028",
        r#"
FROM ruby:3.3
RUN gem install rails bundler:2.5.16 --no-document puma
                ^^^^^ DL3028
                                                   ^^^^ DL3028
RUN gem i foo && gem install -N bar -- --with-baz
          ^^^ DL3028
                                ^^^ DL3028
"#,
    );
}

#[test]
fn dl3028_pinned_gems() {
    check_rule(
        "DL3028",
        r#"
FROM ruby:3.3
RUN gem install rails -v 7.1.3 && gem install puma --version=6.4.2
RUN gem install --install-dir /opt/gems rails:7.1.3
RUN gem update --system && gem list
"#,
    );
}

#[test]
fn dl3030_yum_without_yes() {
    check_rule(
        "DL3030",
        r#"
FROM centos:7
RUN yum install httpd-2.4.6 && yum clean all
    ^^^^^^^^^^^ DL3030
RUN yum groupinstall "Development Tools" && yum localinstall x.rpm
    ^^^^^^^^^^^^^^^^ DL3030
                                            ^^^^^^^^^^^^^^^^ DL3030
"#,
    );
}

#[test]
fn dl3030_yum_with_yes() {
    check_rule(
        "DL3030",
        r#"
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum -y install x-1 && yum install --assumeyes y-1 && yum update
"#,
    );
}

#[test]
fn dl3032_yum_without_clean() {
    check_rule(
        "DL3032",
        r#"
FROM centos:7
RUN yum install -y httpd-2.4.6
    ^^^^^^^^^^^ DL3032
RUN yum clean all && yum -y install x-1
                     ^^^^^^^^^^^^^^ DL3032
"#,
    );
}

#[test]
fn dl3032_yum_cleaned() {
    check_rule(
        "DL3032",
        r#"
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
RUN yum install -y x-1 && rm -rf /var/cache/yum
RUN --mount=type=cache,target=/var/cache/yum yum install -y y-1
RUN yum -y update
"#,
    );
}

#[test]
fn dl3033_unpinned_yum_packages() {
    check_rule(
        "DL3033",
        r#"
FROM centos:7
ARG HTTPD_VERSION=2.4.6
RUN yum install -y httpd java-11-openjdk python3-devel mod_ssl-${HTTPD_VERSION} foo-$UNDECLARED x.rpm && yum clean all
                   ^^^^^ DL3033
                                         ^^^^^^^^^^^^^ DL3033
                                                                                ^^^^^^^^^^^^^^^ DL3033
RUN yum module install -y nodejs php:8.1 && yum clean all
                          ^^^^^^ DL3033
"#,
    );
}

#[test]
fn dl3033_pinned_yum_packages() {
    check_rule(
        "DL3033",
        r#"
FROM centos:7
RUN yum install -y httpd-2.4.6-99.el7 https://example.com/foo-1.2.rpm && yum clean all
RUN yum --enablerepo=epel install -y jq-1.6 && yum clean all
RUN yum remove -y httpd && yum update -y
"#,
    );
}

#[test]
fn dl3034_zypper_without_non_interactive() {
    check_rule(
        "DL3034",
        r#"
FROM opensuse/leap:15.6
RUN zypper install curl=8 && zypper clean
    ^^^^^^^^^^^^^^ DL3034
RUN zypper rm vim && zypper patch
    ^^^^^^^^^ DL3034
                     ^^^^^^^^^^^^ DL3034
"#,
    );
}

#[test]
fn dl3034_zypper_non_interactive() {
    check_rule(
        "DL3034",
        r#"
FROM opensuse/leap:15.6
RUN zypper -n install curl=8 && zypper in -y vim=9 && zypper --non-interactive rm x && zypper remove --no-confirm y
RUN zypper refresh && zypper clean
"#,
    );
}

#[test]
fn dl3035_zypper_dist_upgrade() {
    check_rule(
        "DL3035",
        r#"
FROM opensuse/tumbleweed
RUN zypper dist-upgrade && zypper -n dup
    ^^^^^^^^^^^^^^^^^^^ DL3035
                           ^^^^^^^^^^^^^ DL3035
"#,
    );
}

#[test]
fn dl3035_zypper_update() {
    check_rule(
        "DL3035",
        r#"
FROM opensuse/tumbleweed
RUN zypper -n update && zypper -n install dup=1
"#,
    );
}

#[test]
fn dl3036_zypper_without_clean() {
    check_rule(
        "DL3036",
        r#"
FROM opensuse/leap:15.6
RUN zypper -n install curl=8
    ^^^^^^^^^^^^^^^^^ DL3036
RUN zypper clean && zypper in -y vim=9
                    ^^^^^^^^^ DL3036
"#,
    );
}

#[test]
fn dl3036_zypper_cleaned() {
    check_rule(
        "DL3036",
        r#"
FROM opensuse/leap:15.6
RUN zypper -n install curl=8 && zypper clean --all
RUN zypper -n in vim=9 && zypper cc
RUN --mount=type=cache,target=/var/cache/zypp zypper -n in git=2
RUN zypper -n refresh
"#,
    );
}

#[test]
fn dl3037_unpinned_zypper_packages() {
    check_rule(
        "DL3037",
        r#"
FROM opensuse/leap:15.6
RUN zypper -n in -r oss curl 'vim>=9' "git<3" x.rpm bash=5 && zypper clean
                        ^^^^ DL3037
"#,
    );
}

#[test]
fn dl3037_pinned_zypper_packages() {
    check_rule(
        "DL3037",
        r#"
FROM opensuse/leap:15.6
RUN zypper -n install curl=8.6 && zypper -n remove vim && zypper clean
"#,
    );
}

#[test]
fn dl3038_dnf_without_yes() {
    check_rule(
        "DL3038",
        r#"
FROM fedora:40
RUN dnf install httpd-2.4 && dnf clean all
    ^^^^^^^^^^^ DL3038
RUN microdnf install nginx-1.24 && microdnf clean all
    ^^^^^^^^^^^^^^^^ DL3038
"#,
    );
}

#[test]
fn dl3038_dnf_with_yes() {
    check_rule(
        "DL3038",
        r#"
FROM fedora:40
RUN dnf install -y httpd-2.4 && dnf -y install x-1 && microdnf install --assumeyes y-1 && dnf clean all
RUN dnf upgrade && dnf remove x
"#,
    );
}

#[test]
fn dl3040_dnf_without_clean() {
    check_rule(
        "DL3040",
        r#"
FROM fedora:40
RUN dnf install -y httpd-2.4
    ^^^^^^^^^^^ DL3040
RUN microdnf upgrade -y
    ^^^^^^^^^^^^^^^^ DL3040
RUN dnf clean all && dnf -y install x-1
                     ^^^^^^^^^^^^^^ DL3040
RUN dnf install -y a-1 && microdnf install -y b-1 && dnf clean all
                          ^^^^^^^^^^^^^^^^ DL3040
"#,
    );
}

#[test]
fn dl3040_dnf_cleaned() {
    check_rule(
        "DL3040",
        r#"
FROM fedora:40
RUN dnf install -y httpd-2.4 && dnf clean all
RUN microdnf install -y x-1 && microdnf clean all
RUN dnf install -y y-1 && rm -rf /var/cache/libdnf5 /var/cache/dnf
RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y z-1
RUN dnf remove -y z && dnf makecache
"#,
    );
}

#[test]
fn dl3041_unpinned_dnf_packages() {
    check_rule(
        "DL3041",
        r#"
FROM fedora:40
RUN dnf install -y httpd httpd-tools-2.4.62 && microdnf install -y nginx && dnf clean all
                   ^^^^^ DL3041
                                                                   ^^^^^ DL3041
RUN dnf module install -y nodejs && dnf clean all
                          ^^^^^^ DL3041
"#,
    );
}

#[test]
fn dl3041_pinned_dnf_packages() {
    check_rule(
        "DL3041",
        r#"
FROM fedora:40
RUN dnf install -y httpd-2.4.62 ./local-1.0.rpm && dnf clean all
RUN dnf module install -y nodejs:20 && dnf group install -y "Development Tools" && dnf clean all
"#,
    );
}

#[test]
fn dl3042_pip_cache_kept() {
    check_rule(
        "DL3042",
        r#"
FROM python:3.12
RUN pip install flask==3.0.3
    ^^^^^^^^^^^ DL3042
RUN python -m pip install -r requirements.txt
    ^^^^^^^^^^^^^^^^^^^^^ DL3042
ENV PIP_NO_CACHE_DIR=0
RUN pip3 install x==1
    ^^^^^^^^^^^^ DL3042
"#,
    );
}

#[test]
fn dl3042_pip_cache_off() {
    check_rule(
        "DL3042",
        r#"
FROM python:3.12 AS base
RUN pip install --no-cache-dir flask==3.0.3
RUN PIP_NO_CACHE_DIR=1 pip install x==1
RUN --mount=type=cache,target=/root/.cache/pip pip install y==1
RUN pipx install black==24.1.0 && pipenv install
ENV PIP_NO_CACHE_DIR=1
RUN pip install z==1

FROM base
RUN pip install w==1

FROM python:3.12
ARG PIP_NO_CACHE_DIR=true
RUN pip install v==1
"#,
    );
}

#[test]
fn dl3060_yarn_cache_kept() {
    check_rule(
        "DL3060",
        r#"
FROM node:22 AS deps
RUN yarn install --frozen-lockfile

FROM node:22
COPY --from=deps /app/node_modules /app/node_modules
RUN yarn install --production
    ^^^^^^^^^^^^ DL3060
RUN yarn cache clean && yarn install
                        ^^^^^^^^^^^^ DL3060
"#,
    );
}

#[test]
fn dl3060_yarn_cache_cleaned() {
    check_rule(
        "DL3060",
        r#"
FROM node:22
RUN yarn install --frozen-lockfile && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN yarn add lodash@4 && yarn build
"#,
    );
}

#[test]
fn dl3062_unpinned_go_modules() {
    check_rule(
        "DL3062",
        r#"
FROM golang:1.23
RUN go install golang.org/x/tools/gopls@latest && go install github.com/a/b
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL3062
                                                             ^^^^^^^^^^^^^^ DL3062
RUN go get github.com/x/y && go run github.com/a/tool arg
           ^^^^^^^^^^^^^^ DL3062
                                    ^^^^^^^^^^^^^^^^^ DL3062
"#,
    );
}

#[test]
fn dl3062_pinned_or_local_go_packages() {
    check_rule(
        "DL3062",
        r#"
FROM golang:1.23
RUN go install github.com/a/b@v1.2.3 ./cmd/x . /src/y
RUN go install -tags netgo -ldflags "-s -w" github.com/a/c@v0.1.0
RUN go run main.go && go run . && go build -o /app ./cmd && go get -u ./...
"#,
    );
}

#[test]
fn apt_lists_follow_the_configured_target() {
    // Built with `--target tools`, the tools stage ships.
    let settings = Settings {
        model: ModelSettings {
            target: Some("tools".into()),
        },
        ..Settings::default()
    };
    check_rule_with(
        settings,
        "AptListsInShippedStage",
        r#"
FROM debian:12 AS tools
RUN apt-get update && apt-get install -y curl
    ^^^^^^^^^^^^^^ AptListsInShippedStage

FROM debian:12
RUN apt-get update && apt-get install -y x
"#,
    );
}

#[test]
fn pragmas_silence_package_rules_by_code_and_alias() {
    let text = "FROM debian:12\n\
# hadolint ignore=DL3008,DL3009\n\
RUN apt-get update && apt-get install -y --no-install-recommends curl\n\
RUN apt-get install -y --no-install-recommends git\n";
    let a = analysis(text);
    let codes: Vec<_> = a.diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "DL3008").count(),
        1,
        "{codes:?}"
    );
    assert!(!codes.contains(&"AptListsInShippedStage"), "{codes:?}");
}

#[test]
fn package_rules_skip_powershell_and_windows_stages() {
    for code in ["DL3008", "DL3013", "DL3016", "DL3042", "DL3062"] {
        check_rule(
            code,
            r#"
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN pip install flask && npm install -g typescript && go install github.com/a/b

FROM debian:12
SHELL ["pwsh", "-Command"]
RUN apt-get install -y curl; pip install flask
"#,
        );
    }
}

#[test]
fn package_rule_messages() {
    let text = r#"FROM debian:12 AS base
ARG PKGS="jq yq=4"
RUN apt-get update && apt-get install curl $PKGS $DYNAMIC && apt install -y x
RUN pip install flask && npm install -g typescript && gem install rails
RUN apk add curl && go install golang.org/x/tools/gopls@latest
RUN yum install httpd && yum module install nodejs
RUN zypper install curl && zypper dup
RUN dnf install httpd && microdnf install nginx
RUN yarn install
"#;
    let codes = [
        "DL3008",
        "AptListsInShippedStage",
        "DL3013",
        "DL3014",
        "DL3015",
        "DL3016",
        "DL3018",
        "DL3019",
        "DL3027",
        "DL3028",
        "DL3030",
        "DL3032",
        "DL3033",
        "DL3034",
        "DL3035",
        "DL3036",
        "DL3037",
        "DL3038",
        "DL3040",
        "DL3041",
        "DL3042",
        "DL3060",
        "DL3062",
    ];
    let out: Vec<String> = codes
        .iter()
        .map(|c| format!("{c}:\n{}", rule_messages(c, text)))
        .collect();
    expect![[r#"
        DL3008:
        warning `curl`: pin a version: `curl=<version>`
        warning `$PKGS`: `$PKGS` names unpinned packages (`jq`): pin each, e.g. `jq=<version>`
        warning `$DYNAMIC`: `$DYNAMIC` is not a pinned package: make sure it expands to pinned versions, e.g. `name=<version>`
        AptListsInShippedStage:
        info `apt-get update`: the apt package lists stay in this layer (the stage ships in the image): end this RUN with `rm -rf /var/lib/apt/lists/*` or use `--mount=type=cache,target=/var/lib/apt/lists`
        DL3013:
        warning `flask`: pin a version: `flask==<version>`
        DL3014:
        warning `apt-get install`: `apt-get install` will stop at its confirmation prompt: add `-y`
        DL3015:
        info `apt-get install`: `apt-get install` also installs recommended packages: add `--no-install-recommends`
        DL3016:
        warning `typescript`: pin a version: `typescript@<version>`
        DL3018:
        warning `curl`: pin a version: `curl=<version>`
        DL3019:
        info `apk add`: `apk add` leaves its index in /var/cache/apk: add `--no-cache`
        DL3027:
        warning `apt`: `apt` has no stable command-line interface: use `apt-get` (or `apt-cache`)
        DL3028:
        warning `rails`: pin a version: `rails:<version>`
        DL3030:
        warning `yum install`: `yum install` will stop at its confirmation prompt: add `-y`
        DL3032:
        warning `yum install`: yum's cache stays in this layer: end this RUN with `&& yum clean all`
        DL3033:
        warning `httpd`: pin a version: `httpd-<version>`
        warning `nodejs`: pin the module stream: `yum module install nodejs:<stream>`
        DL3034:
        warning `zypper install`: `zypper install` will stop at its confirmation prompt: add `-y` (or `zypper -n`)
        DL3035:
        warning `zypper dup`: do not upgrade the distribution in a build: pick a newer base image instead
        DL3036:
        warning `zypper install`: zypper's cache stays in this layer: end this RUN with `&& zypper clean --all`
        DL3037:
        warning `curl`: pin a version: `curl=<version>`
        DL3038:
        warning `dnf install`: `dnf install` will stop at its confirmation prompt: add `-y`
        warning `microdnf install`: `microdnf install` will stop at its confirmation prompt: add `-y`
        DL3040:
        warning `dnf install`: dnf's cache stays in this layer: end this RUN with `&& dnf clean all`
        DL3041:
        warning `httpd`: pin a version: `httpd-<version>`
        warning `nginx`: pin a version: `nginx-<version>`
        DL3042:
        warning `pip install`: pip keeps a cache of downloaded packages in the layer: add `--no-cache-dir`
        DL3060:
        info `yarn install`: yarn's package cache stays in this layer: end this RUN with `&& yarn cache clean`
        DL3062:
        warning `golang.org/x/tools/gopls@latest`: pin a version: `golang.org/x/tools/gopls@<version>`"#]].assert_eq(&out.join("\n"));
}
