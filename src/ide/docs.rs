//! Documentation of instructions, their flags and `RUN --mount` keys:
//! one table read by hover, signature help and completion, so the lists
//! cannot drift apart. Facts follow Docker's Dockerfile reference; the
//! prose is berth's own.

use crate::syntax::Keyword;

/// One documented item: a syntax line, a short explanation, an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Doc {
    pub syntax: &'static str,
    pub text: &'static str,
    pub example: &'static str,
}

impl Doc {
    /// Markdown: the syntax as code, the text, the example in a block.
    pub fn markdown(&self) -> String {
        format!(
            "```dockerfile\n{}\n```\n\n{}\n\nExample:\n\n```dockerfile\n{}\n```\n",
            self.syntax, self.text, self.example
        )
    }
}

const fn d(syntax: &'static str, text: &'static str, example: &'static str) -> Doc {
    Doc {
        syntax,
        text,
        example,
    }
}

/// The documentation of an instruction (`None` for [`Keyword::Unknown`]).
pub fn keyword_doc(k: Keyword) -> Option<&'static Doc> {
    KEYWORDS.iter().find(|(kw, _)| *kw == k).map(|(_, doc)| doc)
}

/// The documentation of flag `name` (without dashes) of instruction `k`.
pub fn flag_doc(k: Keyword, name: &str) -> Option<&'static Doc> {
    FLAGS
        .iter()
        .find(|(kw, n, _)| *kw == k && *n == name)
        .map(|(_, _, doc)| doc)
}

/// The mount types of `RUN --mount=type=...`, with their documentation.
pub const MOUNT_TYPES: &[(&str, Doc)] = &[
    ("bind", d(
        "--mount=type=bind[,source=<path>][,target=<path>][,from=<stage|image>][,readwrite]",
        "The default type. Makes a directory or file of the build context (or of a stage or image given with `from`) visible to the command. It is read-only unless `readwrite` is set, and writes are discarded after the command.",
        "RUN --mount=type=bind,source=go.sum,target=go.sum go mod download",
    )),
    ("cache", d(
        "--mount=type=cache,target=<path>[,id=<id>][,sharing=shared|private|locked][,...]",
        "A directory that survives between builds, for compiler and package manager caches. It is never part of the image; its content may be pruned at any time.",
        "RUN --mount=type=cache,target=/root/.cache/go-build go build ./...",
    )),
    ("tmpfs", d(
        "--mount=type=tmpfs,target=<path>[,size=<bytes>]",
        "An in-memory filesystem for the duration of the command.",
        "RUN --mount=type=tmpfs,target=/tmp,size=64m make test",
    )),
    ("secret", d(
        "--mount=type=secret,id=<id>[,target=<path>|,env=<VAR>][,required]",
        "Exposes a secret passed with `docker build --secret` as a file (under `/run/secrets/` by default) or an environment variable. The secret is not stored in the image or its cache.",
        "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
    )),
    ("ssh", d(
        "--mount=type=ssh[,id=<id>][,target=<socket path>][,required]",
        "Forwards an SSH agent socket or keys given with `docker build --ssh`, so the command can reach private git servers without keys in the image.",
        "RUN --mount=type=ssh git clone git@github.com:org/private.git",
    )),
];

/// The keys `RUN --mount` accepts for each type (`type` itself excepted),
/// in the order completion offers them.
pub fn mount_keys(typ: &str) -> &'static [&'static str] {
    match typ {
        "cache" => &[
            "target", "id", "sharing", "from", "source", "mode", "uid", "gid", "readonly",
        ],
        "secret" => &["id", "target", "env", "required", "mode", "uid", "gid"],
        "ssh" => &["id", "target", "required", "mode", "uid", "gid"],
        "tmpfs" => &["target", "size"],
        _ => &["target", "source", "from", "readwrite"],
    }
}

/// The canonical name of a mount key written with an alias.
pub fn mount_key_canonical(key: &str) -> &str {
    match key {
        "dst" | "destination" => "target",
        "src" => "source",
        "rw" => "readwrite",
        "ro" => "readonly",
        k => k,
    }
}

/// The documentation of `key` (aliases accepted) for mounts of `typ`
/// (`bind` when empty or unknown). `type` is documented for every type.
pub fn mount_key_doc(typ: &str, key: &str) -> Option<&'static Doc> {
    let key = mount_key_canonical(key);
    if key == "type" {
        return Some(&MOUNT_TYPE_KEY);
    }
    let typ = if MOUNT_TYPES.iter().any(|(t, _)| *t == typ) {
        typ
    } else {
        "bind"
    };
    if !mount_keys(typ).contains(&key) {
        return None;
    }
    MOUNT_KEYS
        .iter()
        .find(|(t, k, _)| *k == key && (t.is_empty() || *t == typ))
        .map(|(_, _, doc)| doc)
}

/// The documentation of a mount type.
pub fn mount_type_doc(typ: &str) -> Option<&'static Doc> {
    MOUNT_TYPES.iter().find(|(t, _)| *t == typ).map(|(_, d)| d)
}

const MOUNT_TYPE_KEY: Doc = d(
    "type=bind|cache|tmpfs|secret|ssh",
    "The kind of mount; `bind` when omitted. The keys allowed after it depend on the type.",
    "RUN --mount=type=cache,target=/var/cache/apt apt-get update",
);

/// Mount keys: (type, or "" for every type that accepts the key; key; doc).
const MOUNT_KEYS: &[(&str, &str, Doc)] = &[
    ("secret", "target", d(
        "target=<path>",
        "Where the secret file appears; `/run/secrets/<id>` when neither `target` nor `env` is given. Aliases: `dst`, `destination`.",
        "RUN --mount=type=secret,id=token,target=/etc/token cat /etc/token",
    )),
    ("ssh", "target", d(
        "target=<socket path>",
        "Where the agent socket appears; defaults to `/run/buildkit/ssh_agent.<n>`. Aliases: `dst`, `destination`.",
        "RUN --mount=type=ssh,target=/ssh-agent ssh -T git@github.com",
    )),
    ("", "target", d(
        "target=<path>",
        "The path inside the build container where the mount appears. Aliases: `dst`, `destination`.",
        "RUN --mount=type=cache,target=/root/.npm npm ci",
    )),
    ("secret", "id", d(
        "id=<id>",
        "The secret's name as given to `docker build --secret id=<id>,...`; defaults to the base name of `target`.",
        "RUN --mount=type=secret,id=aws cat /run/secrets/aws",
    )),
    ("ssh", "id", d(
        "id=<id>",
        "Which `docker build --ssh <id>=...` socket or key to forward; `default` when omitted.",
        "RUN --mount=type=ssh,id=github git fetch",
    )),
    ("cache", "id", d(
        "id=<id>",
        "Names the cache, so that different targets or stages can share it; defaults to the `target` path.",
        "RUN --mount=type=cache,id=gomod,target=/go/pkg/mod go mod download",
    )),
    ("", "source", d(
        "source=<path>",
        "The path to mount inside `from` (the build context when there is no `from`); the root when omitted. Alias: `src`.",
        "RUN --mount=type=bind,source=scripts,target=/scripts /scripts/build.sh",
    )),
    ("", "from", d(
        "from=<stage|image>",
        "A stage or image to take the source from instead of the build context (for a cache mount: the cache's initial content).",
        "RUN --mount=from=build,source=/out,target=/in ls /in",
    )),
    ("bind", "readwrite", d(
        "readwrite[=true|false]",
        "Lets the command write to the mount; the writes are thrown away afterwards. Alias: `rw`.",
        "RUN --mount=type=bind,target=/src,rw make -C /src",
    )),
    ("cache", "readonly", d(
        "readonly[=true|false]",
        "Mounts the cache read-only. Alias: `ro`.",
        "RUN --mount=type=cache,target=/cache,ro ls /cache",
    )),
    ("cache", "sharing", d(
        "sharing=shared|private|locked",
        "How concurrent builds use the same cache: `shared` (the default) lets them write at once, `private` gives each writer its own copy, `locked` makes them wait for each other.",
        "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update",
    )),
    ("cache", "mode", d(
        "mode=<octal>",
        "Permissions of a new cache directory, `0755` by default.",
        "RUN --mount=type=cache,target=/cache,mode=0777 ls /cache",
    )),
    ("secret", "mode", d(
        "mode=<octal>",
        "Permissions of the secret file, `0400` by default.",
        "RUN --mount=type=secret,id=key,mode=0444 cat /run/secrets/key",
    )),
    ("ssh", "mode", d(
        "mode=<octal>",
        "Permissions of the socket, `0600` by default.",
        "RUN --mount=type=ssh,mode=0666 git fetch",
    )),
    ("", "uid", d(
        "uid=<number>",
        "User ID owning the mounted directory, file or socket (`0` by default).",
        "RUN --mount=type=cache,target=/home/app/.cache,uid=1000 make",
    )),
    ("", "gid", d(
        "gid=<number>",
        "Group ID owning the mounted directory, file or socket (`0` by default).",
        "RUN --mount=type=cache,target=/home/app/.cache,gid=1000 make",
    )),
    ("secret", "env", d(
        "env=<VAR>",
        "Puts the secret in environment variable `VAR` of the command instead of (or as well as, with `target`) a file.",
        "RUN --mount=type=secret,id=token,env=GITHUB_TOKEN ./fetch.sh",
    )),
    ("", "required", d(
        "required[=true|false]",
        "Fails the build when the secret or SSH socket was not provided, instead of running without it.",
        "RUN --mount=type=secret,id=npmrc,required npm ci",
    )),
    ("tmpfs", "size", d(
        "size=<bytes>",
        "Upper bound of the tmpfs size (units such as `64m` are accepted).",
        "RUN --mount=type=tmpfs,target=/scratch,size=1g ./bench",
    )),
];

const KEYWORDS: &[(Keyword, Doc)] = &[
    (Keyword::From, d(
        "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        "Starts a build stage on a base image, on an earlier stage (by name), or on `scratch` (nothing). Global `ARG`s declared before the first `FROM` may be used in this line; `AS` names the stage for `COPY --from`, `RUN --mount from=` and `--target`.",
        "FROM golang:1.23 AS build",
    )),
    (Keyword::Run, d(
        "RUN [--mount=...] [--network=...] [--security=...] <command>\nRUN [\"executable\", \"arg\", ...]",
        "Runs a command in a new layer on top of the current image and keeps its changes. The shell form runs through the `SHELL` (`/bin/sh -c` by default); the exec form runs the program directly, without variable expansion by a shell.",
        "RUN apt-get update && apt-get install -y --no-install-recommends curl",
    )),
    (Keyword::Cmd, d(
        "CMD [\"executable\", \"arg\", ...]\nCMD [\"arg\", ...]   (arguments for ENTRYPOINT)\nCMD command arg ...",
        "Sets what the container runs by default, or the default arguments of the `ENTRYPOINT`. Only the last `CMD` of the final stage counts, and `docker run <image> <args>` replaces it.",
        "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
    )),
    (Keyword::Label, d(
        "LABEL <key>=<value> [<key>=<value> ...]",
        "Attaches metadata to the image as key/value pairs. Labels of the base image are inherited; a later label with the same key wins.",
        "LABEL org.opencontainers.image.source=\"https://github.com/org/app\"",
    )),
    (Keyword::Maintainer, d(
        "MAINTAINER <name>",
        "Deprecated: records the image's author. Use `LABEL org.opencontainers.image.authors=...` instead.",
        "LABEL org.opencontainers.image.authors=\"team@example.com\"",
    )),
    (Keyword::Expose, d(
        "EXPOSE <port>[/<tcp|udp>] ...",
        "Documents the ports the container listens on. It publishes nothing by itself: `docker run -p` or `-P` does.",
        "EXPOSE 8080/tcp",
    )),
    (Keyword::Env, d(
        "ENV <key>=<value> [<key>=<value> ...]",
        "Sets environment variables for the following instructions of the stage, for stages built on it, and for the running container.",
        "ENV PATH=/opt/app/bin:$PATH",
    )),
    (Keyword::Add, d(
        "ADD [--chown=...] [--chmod=...] [--link] [--checksum=...] [--keep-git-dir] [--unpack] [--exclude=...] <src>... <dest>",
        "Like `COPY`, and also fetches URLs and git repositories and unpacks local tar archives into `<dest>`. Prefer `COPY` for plain files.",
        "ADD --checksum=sha256:24454f8... https://example.com/tool.tar.gz /opt/",
    )),
    (Keyword::Copy, d(
        "COPY [--from=<stage|image>] [--chown=...] [--chmod=...] [--link] [--parents] [--exclude=...] <src>... <dest>",
        "Copies files and directories from the build context (or from a stage or image with `--from`) into the image at `<dest>`. Relative destinations are relative to `WORKDIR`.",
        "COPY --from=build /out/app /usr/local/bin/app",
    )),
    (Keyword::Entrypoint, d(
        "ENTRYPOINT [\"executable\", \"arg\", ...]\nENTRYPOINT command arg ...",
        "Sets the program the container always runs; `CMD` and the arguments of `docker run` are appended to it in exec form. The shell form runs under `/bin/sh -c` and ignores `CMD`.",
        "ENTRYPOINT [\"/usr/local/bin/app\"]",
    )),
    (Keyword::Volume, d(
        "VOLUME [\"<path>\", ...]\nVOLUME <path> ...",
        "Marks paths as mount points for external volumes. Changes made to those paths by later build steps may be discarded.",
        "VOLUME /var/lib/postgresql/data",
    )),
    (Keyword::User, d(
        "USER <user>[:<group>]\nUSER <uid>[:<gid>]",
        "Sets the user (and optionally group) for the following `RUN`, `CMD` and `ENTRYPOINT` and for the container.",
        "USER 10001:10001",
    )),
    (Keyword::Workdir, d(
        "WORKDIR <path>",
        "Sets the working directory of the following instructions and of the container, creating it if needed. A relative path is resolved against the previous `WORKDIR`.",
        "WORKDIR /src",
    )),
    (Keyword::Arg, d(
        "ARG <name>[=<default>] [<name>[=<default>] ...]",
        "Declares a build argument, set with `docker build --build-arg`. Before the first `FROM` it is global and usable in `FROM` lines; inside a stage it is visible to the following instructions (redeclare a global ARG inside the stage to use it there). Values are not kept in the final image's environment.",
        "ARG GO_VERSION=1.23",
    )),
    (Keyword::Onbuild, d(
        "ONBUILD <instruction>",
        "Records an instruction that runs later, when another build uses this image as its base. `FROM`, `MAINTAINER` and `ONBUILD` cannot be triggers.",
        "ONBUILD COPY . /app/src",
    )),
    (Keyword::Stopsignal, d(
        "STOPSIGNAL <signal>",
        "Sets the signal `docker stop` sends to the container's main process (by name such as `SIGINT` or by number); `SIGTERM` otherwise.",
        "STOPSIGNAL SIGQUIT",
    )),
    (Keyword::Healthcheck, d(
        "HEALTHCHECK [--interval=...] [--timeout=...] [--start-period=...] [--start-interval=...] [--retries=...] CMD <command>\nHEALTHCHECK NONE",
        "Tells the engine how to test that the container still works: exit code 0 is healthy, 1 unhealthy. `HEALTHCHECK NONE` turns off a check inherited from the base image.",
        "HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1",
    )),
    (Keyword::Shell, d(
        "SHELL [\"executable\", \"arg\", ...]",
        "Replaces the shell used by the shell form of `RUN`, `CMD` and `ENTRYPOINT` (`[\"/bin/sh\", \"-c\"]` on Linux, `[\"cmd\", \"/S\", \"/C\"]` on Windows) for the rest of the stage.",
        "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
    )),
];

const FLAGS: &[(Keyword, &str, Doc)] = &[
    (Keyword::From, "platform", d(
        "--platform=<os>/<arch>[/<variant>]",
        "Picks the platform of a multi-platform base image, for example `$BUILDPLATFORM` to run build tools natively while cross-compiling. Without it the target platform of the build is used.",
        "FROM --platform=$BUILDPLATFORM golang:1.23 AS build",
    )),
    (Keyword::Run, "mount", d(
        "--mount=[type=bind|cache|tmpfs|secret|ssh][,<key>=<value>...]",
        "Mounts something into the command's filesystem for this `RUN` only: files of the context or a stage (`bind`), a persistent cache (`cache`), memory (`tmpfs`), a secret or an SSH agent. May be repeated.",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    )),
    (Keyword::Run, "network", d(
        "--network=default|none|host",
        "The network the command runs in: `none` cuts it off, `host` uses the host's network (needs the `network.host` entitlement).",
        "RUN --network=none make test",
    )),
    (Keyword::Run, "security", d(
        "--security=sandbox|insecure",
        "`insecure` runs the command with full privileges, like `docker run --privileged` (needs the `security.insecure` entitlement); `sandbox` is the default.",
        "RUN --security=insecure mount -t tmpfs none /mnt",
    )),
    (Keyword::Run, "device", d(
        "--device=<name>[,required]",
        "Gives the command access to a CDI device (labs syntax); `required` fails the build when the device is missing.",
        "RUN --device=nvidia.com/gpu=all nvidia-smi",
    )),
    (Keyword::Copy, "from", d(
        "--from=<stage|index|image>",
        "Copies from an earlier stage (by name or index), an image, or a named build context instead of the build context.",
        "COPY --from=build /app/bin /usr/local/bin",
    )),
    (Keyword::Copy, "chown", d(
        "--chown=<user>[:<group>]",
        "Owner of the copied files (names or numeric IDs; names are looked up in the image's `/etc/passwd` and `/etc/group`). Files are owned by root otherwise.",
        "COPY --chown=app:app . /home/app",
    )),
    (Keyword::Copy, "chmod", d(
        "--chmod=<perms>",
        "Permissions of the copied files, as octal (`0755`) or symbolic (`u+x`) notation.",
        "COPY --chmod=0755 entrypoint.sh /usr/local/bin/",
    )),
    (Keyword::Copy, "link", d(
        "--link[=true|false]",
        "Copies into an independent layer that does not depend on the previous ones, so it stays cached when earlier layers change and can be rebased.",
        "COPY --link --from=build /out /app",
    )),
    (Keyword::Copy, "parents", d(
        "--parents[=true|false]",
        "Keeps the source's parent directories under `<dest>` instead of copying only the last component; `./` in the source marks where the kept path starts.",
        "COPY --parents ./src/*/package.json /app/",
    )),
    (Keyword::Copy, "exclude", d(
        "--exclude=<pattern>",
        "Leaves out sources matching the pattern (`.dockerignore` syntax). May be repeated.",
        "COPY --exclude=*.md --exclude=tests . /src",
    )),
    (Keyword::Add, "chown", d(
        "--chown=<user>[:<group>]",
        "Owner of the added files (names or numeric IDs); root otherwise.",
        "ADD --chown=1000:1000 app.tar.gz /opt/",
    )),
    (Keyword::Add, "chmod", d(
        "--chmod=<perms>",
        "Permissions of the added files, in octal or symbolic notation.",
        "ADD --chmod=0644 https://example.com/config.json /etc/app/",
    )),
    (Keyword::Add, "link", d(
        "--link[=true|false]",
        "Adds into an independent layer that does not depend on the previous ones, so it stays cached when earlier layers change.",
        "ADD --link https://example.com/data.bin /data/",
    )),
    (Keyword::Add, "checksum", d(
        "--checksum=sha256:<hex>\n--checksum=<commit>   (git sources)",
        "Verifies a remote source: the SHA-256 of an HTTP download, or the commit a git reference must resolve to. The build fails on mismatch.",
        "ADD --checksum=sha256:4d5e... https://example.com/tool.tar.gz /tmp/",
    )),
    (Keyword::Add, "keep-git-dir", d(
        "--keep-git-dir[=true|false]",
        "For a git repository source, keeps the `.git` directory in the result.",
        "ADD --keep-git-dir https://github.com/moby/buildkit.git#v0.13.0 /src",
    )),
    (Keyword::Add, "unpack", d(
        "--unpack[=true|false]",
        "Overrides whether an archive is extracted into `<dest>`: local tar archives are unpacked by default, remote ones are not.",
        "ADD --unpack=true https://example.com/release.tar.gz /opt/",
    )),
    (Keyword::Add, "exclude", d(
        "--exclude=<pattern>",
        "Leaves out sources matching the pattern (`.dockerignore` syntax). May be repeated.",
        "ADD --exclude=*.log ./logs-and-data /data",
    )),
    (Keyword::Healthcheck, "interval", d(
        "--interval=<duration>",
        "Time between checks, starting after the start period (`30s` by default).",
        "HEALTHCHECK --interval=1m CMD ./healthy",
    )),
    (Keyword::Healthcheck, "timeout", d(
        "--timeout=<duration>",
        "How long one check may run before it counts as failed (`30s` by default).",
        "HEALTHCHECK --timeout=5s CMD ./healthy",
    )),
    (Keyword::Healthcheck, "start-period", d(
        "--start-period=<duration>",
        "Grace period after the container starts during which failures do not count toward `--retries` (`0s` by default).",
        "HEALTHCHECK --start-period=40s CMD ./healthy",
    )),
    (Keyword::Healthcheck, "start-interval", d(
        "--start-interval=<duration>",
        "Time between checks during the start period (`5s` by default).",
        "HEALTHCHECK --start-period=1m --start-interval=2s CMD ./healthy",
    )),
    (Keyword::Healthcheck, "retries", d(
        "--retries=<n>",
        "Consecutive failures after which the container is reported unhealthy (`3` by default).",
        "HEALTHCHECK --retries=5 CMD ./healthy",
    )),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_flag_and_mount_key_is_documented() {
        for k in Keyword::ALL {
            assert!(keyword_doc(k).is_some(), "{k:?}");
            for f in k.flags() {
                assert!(flag_doc(k, f.name).is_some(), "{k:?} --{}", f.name);
            }
        }
        for (t, _) in MOUNT_TYPES {
            for key in mount_keys(t) {
                assert!(mount_key_doc(t, key).is_some(), "{t} {key}");
            }
        }
        // Every documented flag is one the instruction accepts.
        for (k, name, _) in FLAGS {
            assert!(k.flags().iter().any(|f| f.name == *name), "{k:?} {name}");
        }
    }
}
