#!/usr/bin/env bash
# The one command on a fresh machine: services, install, configuration, migrate, seed, start everything.
# Stays attached and prints every service's output; Ctrl-C stops the whole supergraph.
# With Node.js alone (no PostgreSQL or Redis installed), it runs embedded mode instead (README: Embedded mode).
set -euo pipefail
cd "$(dirname "$0")/.."

services=0
bash scripts/services.sh --or-embedded || services=$?
if [ "$services" -ne 0 ] && [ "$services" -ne 3 ]; then exit "$services"; fi
bash scripts/bootstrap.sh
# A new .env gets fresh random secrets, never the development ones published in .env.example.
bash scripts/create-env.sh
# Embedded mode migrates and seeds its own database (in .data/) as it starts.
if [ "$services" -eq 3 ]; then exec pnpm start --embedded; fi
pnpm db:migrate
pnpm db:seed
exec pnpm start
