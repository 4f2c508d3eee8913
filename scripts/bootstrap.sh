#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: pnpm (pinned by package.json's packageManager), the
# workspace's dependencies from the lockfile, and the generated Prisma client.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "installing pnpm $PNPM_VERSION"
  npm install --global --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null
fi
pnpm install --frozen-lockfile
pnpm db:generate >/dev/null
