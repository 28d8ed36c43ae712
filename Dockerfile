# syntax=docker/dockerfile:1
# Build: the release binary. The cargo registry and target/ live in BuildKit cache mounts (not in
# a layer), so a rebuild after an edit of src/ recompiles only cskh. Needs BuildKit (the default
# builder since Docker 23; DOCKER_BUILDKIT=1 on Docker 20.10).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY locales ./locales
COPY migrations ./migrations
COPY benches ./benches
COPY tests ./tests
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin cskh \
    && cp target/release/cskh /usr/local/bin/cskh

# Run: a small Debian with CA certificates (Telegram over TLS), as a user without privileges.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/cskh --create-home cskh
COPY --from=build /usr/local/bin/cskh /usr/local/bin/cskh
USER cskh
WORKDIR /var/lib/cskh
ENV LISTEN_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json \
    DATABASE_URL=sqlite:///var/lib/cskh/cskh.db
EXPOSE 8080
# Health: GET /healthz (process up) and /readyz (database answers, migrations current) on
# port 8080, for the orchestrator's probes.
ENTRYPOINT ["/usr/local/bin/cskh"]
CMD ["run"]
