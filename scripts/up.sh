#!/usr/bin/env bash
# The one command on a fresh machine: services, install, configuration, migrate, seed, start everything.
# Stays attached and prints every service's output; Ctrl-C stops the whole supergraph.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
bash scripts/bootstrap.sh
# A new .env gets fresh random secrets, never the development ones published in .env.example.
bash scripts/create-env.sh
pnpm db:migrate
pnpm db:seed
exec pnpm start
