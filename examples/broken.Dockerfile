# Mistakes berth reports, each as BuildKit would meet them.
FROM rust:1.82 AS builder
WORKDIR /src
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim AS Builder
COPY --from=0 /src/target/release/app /usr/local/bin/app
COPY --from=runtime /etc/app.toml /etc/app.toml
COPY app.toml
FROM debian:bookworm-slim AS runtime
CMD ["app"]
