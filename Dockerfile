# syntax=docker/dockerfile:1
# nyhetsbrev: `serve` by default, and the whole CLI in the same image.
#   docker build -t nyhetsbrev .
#   docker run -v nyhetsbrev-data:/data -v "$PWD":/site:ro -e NYHETSBREV_SECRET -p 127.0.0.1:4322:4322 nyhetsbrev
#   docker run --rm -v nyhetsbrev-data:/data -v "$PWD":/site:ro nyhetsbrev subscribers stats
# README → Running in production walks through it (compose.yaml, Caddy, systemd, backups).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: install with the lock file, compile the native SQLite driver, drop dev dependencies ---
FROM ${NODE_IMAGE} AS build
# better-sqlite3 builds from source when no prebuilt binary is to be had, against the headers
# this image ships (npm_config_nodedir), so the build needs no download besides the npm registry.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY . .
# `npm ci` runs the install scripts (better-sqlite3, esbuild) and the package's `prepare`; the
# driver's sources and object files (~25 MB) are only needed to build it.
RUN npm ci && npm prune --omit=dev && npm cache clean --force \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src build/Release/obj build/Release/obj.target build/Release/.deps build/Release/test_extension.node

# --- runtime: Node and the built app only, no compilers ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
# The program is root's and read-only to the service user; the data is the service user's.
COPY --from=build --chown=root:root /app /app
# /data: the SQLite database (with -wal and -shm) and the outbox. Owned by `node` before VOLUME,
# so a new named volume starts with that owner and mode.
RUN mkdir -p /data /site && chown node:node /data && chmod 0700 /data
VOLUME ["/data"]
# /site: the operator's project (nyhetsbrev.yml, subscribers/lists.yml, issues/), mounted read-only.
# Its nyhetsbrev.yml puts `database:` and `transport.outbox.dir:` under /data.
WORKDIR /site
USER node
EXPOSE 4322
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4322/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/nyhetsbrev.js"]
# Behind a reverse proxy in the same network: listen on all interfaces of the container, take the
# client address from X-Forwarded-For, log JSON lines.
CMD ["serve", "--host", "0.0.0.0", "--port", "4322", "--trust-proxy", "--log-format", "json"]
