# One image for every WatchFlixx service; SERVICE picks what runs (a subgraph name, or "gateway").
FROM node:20-bookworm-slim
WORKDIR /app
ENV CI=true
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
COPY . .
# pnpm build: generate the Prisma client, typecheck, and bundle every service and the database CLIs into
# dist/<name>.mjs (npm packages stay in node_modules, linked from dist/node_modules).
RUN pnpm install --frozen-lockfile && pnpm build
# Every service's process settings (SERVICE_RUNTIME_ENV in packages/common/src/services.ts, measured in
# bench/README.md): V8's young generation at 2 x 8 MB (not 2 x 16) and two glibc malloc arenas: 20-30 MB less RSS each;
# the old generation capped at 320 MB, which makes V8 collect a burst's garbage sooner (about 20-40 MB less after load).
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=320" MALLOC_ARENA_MAX=2
ARG SERVICE=gateway
ENV SERVICE=${SERVICE}
# The built output, not the TypeScript sources. The migrate job runs
#   node dist/migrate.mjs deploy && node dist/seed.mjs
CMD ["sh", "-c", "if [ ! -f \"dist/$SERVICE.mjs\" ]; then echo \"unknown SERVICE=$SERVICE (dist/ has: $(cd dist && ls *.mjs | sed 's/\\.mjs$//' | tr '\\n' ' '))\" >&2; exit 2; fi; exec node --enable-source-maps \"dist/$SERVICE.mjs\""]
