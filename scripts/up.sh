#!/usr/bin/env bash
# The one command on a fresh machine: services, install, configuration, migrate, seed, start everything.
# Stays attached and prints every service's output; Ctrl-C stops the whole supergraph.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
bash scripts/bootstrap.sh
[ -f .env ] || { cp .env.example .env; echo "created .env from .env.example"; }
pnpm db:migrate
pnpm db:seed
exec pnpm start
