# One image for every WatchFlixx service; SERVICE picks what runs (a subgraph name, or "gateway").
FROM node:20-bookworm-slim
WORKDIR /app
ENV CI=true
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm db:generate
ARG SERVICE=gateway
ENV SERVICE=${SERVICE}
# tsx runs the TypeScript sources directly (decorators included), exactly as in development.
CMD ["sh", "-c", "if [ \"$SERVICE\" = gateway ]; then exec node --import tsx router/src/main.ts; else exec node --import tsx subgraphs/$SERVICE/src/main.ts; fi"]
