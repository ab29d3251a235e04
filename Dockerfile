# syntax=docker/dockerfile:1
# Customer-growth bot. Build:  docker build -t customer-growth .
# Run (embedded database kept in a named volume; set DATABASE_URL to use PostgreSQL instead):
#   docker run --init -p 3000:3000 --env-file .env -v customer-growth-data:/app/.data customer-growth
# dist/main.js stops cleanly on SIGTERM; `--init` additionally reaps any child processes.

ARG NODE_VERSION=24

# ---- build: full install (runs the postinstall `prisma generate`), then tsc -> dist/ ----
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app

# Everything `npm ci` and its postinstall need, before the sources, so this layer is
# reused until the dependencies, the Prisma schema or the compiler settings change.
COPY package.json package-lock.json prisma.config.ts tsconfig*.json ./
COPY scripts/ ./scripts/
COPY prisma/ ./prisma/
# Generates the Prisma client into src/store/generated (excluded from the context by .dockerignore).
RUN npm ci

# Merges into src/, keeping the freshly generated client.
COPY src/ ./src/
RUN npm run build

# ---- runtime: production dependencies only, compiled code, schema and migrations ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

# package.json is also what makes dist/*.js ES modules ("type": "module").
# --ignore-scripts: the postinstall needs the dev-only prisma CLI, and the generated
#   client is already compiled into dist/.
# --omit=optional as well as --omit=dev: the prisma CLI, typescript and their ~130
#   dependencies are optional peers of @prisma/client ("devOptional" in the lockfile),
#   which --omit=dev alone still installs. The only truly optional production package
#   is pg-cloudflare (Cloudflare Workers only). Recheck this if a runtime dependency
#   ever gains a platform-specific optional binary.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
    && npm cache clean --force

# The bot applies prisma/migrations itself at start (dist/store/schemaEngine.js
# resolves ../.. = /app as the project root).
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma

# Embedded PGlite database (PGLITE_DIR defaults to .data/pglite) when DATABASE_URL is unset.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node

EXPOSE 3000
# Liveness, not readiness: /healthz answers while the process runs, and restarting the bot
# would not bring back a database (a load balancer can watch /readyz for that).
# No curl in slim images: node's own fetch. Exec form, so PORT is read from the environment.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((res) => process.exit(res.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/main.js"]
