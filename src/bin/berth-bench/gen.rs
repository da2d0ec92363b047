//! A generated multi-stage Dockerfile for benchmarks: `stages` stages of
//! about 50 lines each, every stage after the first copying from up to
//! three earlier stages with `COPY --from`, some built `FROM` an earlier
//! stage, with ARG/ENV, multi-line RUNs and heredocs. Deterministic.

pub fn generate(stages: usize) -> String {
    let mut s = String::with_capacity(stages * 2_000);
    s.push_str("# syntax=docker/dockerfile:1\n");
    s.push_str("ARG BASE=debian:bookworm-slim\n");
    s.push_str("ARG GO_VERSION=1.22\n\n");
    for i in 0..stages {
        let base = match i % 4 {
            0 => "${BASE}".to_string(),
            1 if i > 0 => format!("s{}", i - 1),
            2 => "golang:${GO_VERSION}-bookworm".to_string(),
            _ => "alpine:3.19".to_string(),
        };
        s.push_str(&format!("# stage {i}: component {i}\n"));
        s.push_str(&format!("FROM {base} AS s{i}\n"));
        s.push_str(&format!("ARG VERSION_{i}=1.{i}.0\n"));
        s.push_str(&format!(
            "ENV APP_HOME=/opt/app{i} \\\n    APP_VERSION=${{VERSION_{i}}}\n"
        ));
        s.push_str("WORKDIR $APP_HOME\n");
        s.push_str("LABEL org.opencontainers.image.title=\"component\" \\\n");
        s.push_str(&format!(
            "      org.opencontainers.image.version=\"1.{i}.0\"\n"
        ));
        if i % 4 == 3 {
            s.push_str("RUN apk add --no-cache \\\n        curl \\\n        ca-certificates \\\n        tzdata \\\n    && rm -rf /tmp/*\n");
        } else {
            s.push_str("RUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends \\\n        curl \\\n        ca-certificates \\\n        git \\\n        make; \\\n    rm -rf /var/lib/apt/lists/*\n");
        }
        s.push_str("COPY go.mod go.sum ./\n");
        s.push_str("RUN --mount=type=cache,target=/root/.cache \\\n    echo \"building $APP_VERSION\" > /tmp/version && \\\n    mkdir -p /out/bin /out/etc && \\\n    cp /tmp/version /out/etc/version\n");
        for k in 1..=3 {
            if i >= k * 7 {
                let from = i - k * 7;
                s.push_str(&format!("COPY --from=s{from} /out/bin/ /usr/local/bin/\n"));
            }
        }
        if i > 0 {
            s.push_str(&format!(
                "COPY --from=s{} /out/etc/version /etc/version-{}\n",
                i - 1,
                i - 1
            ));
            s.push_str(&format!("RUN --mount=type=bind,from=s{},source=/out,target=/mnt \\\n    ls /mnt && cat /mnt/etc/version\n", i - 1));
        }
        s.push_str("RUN <<EOF\nset -e\nfor f in /out/bin/*; do\n  chmod 0755 \"$f\"\ndone\nuseradd -m app || true\nEOF\n");
        s.push_str(&format!("COPY <<EOF /out/etc/config-{i}.toml\n[component]\nname = \"s{i}\"\nversion = \"1.{i}.0\"\nEOF\n"));
        s.push_str("RUN cd /out && \\\n    tar -czf /out/bundle.tgz bin etc && \\\n    sha256sum /out/bundle.tgz > /out/bundle.sha256\n");
        s.push_str("RUN wget -q -O /tmp/tool.tgz https://example.com/tool.tgz && \\\n    tar -xzf /tmp/tool.tgz -C /usr/local && \\\n    rm /tmp/tool.tgz\n");
        s.push_str("USER 1000:1000\n");
        s.push_str("EXPOSE 8080\n");
        s.push_str("HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1\n");
        s.push_str("ENTRYPOINT [\"/usr/local/bin/app\"]\n");
        s.push_str("CMD [\"--serve\"]\n\n");
    }
    // Round to a whole number of lines for the 100-stage file (5,000).
    let lines = s.lines().count();
    let round = lines.div_ceil(1000) * 1000;
    for _ in lines..round {
        s.push_str("# end\n");
    }
    s
}
