#!/usr/bin/env bash
# Writes a new .env from .env.example with fresh random secrets, so that no machine runs on the development
# secrets published in the repository. Every variable whose example value starts with `dev-only-` is such a
# secret (JWT_ACCESS_SECRET, GATEWAY_SHARED_SECRET, ...) and gets 32 random bytes (64 hex digits); every other line
# is copied as it is. An existing .env is never touched.
#   bash scripts/create-env.sh [folder]     (default: the repository root; scripts/up.sh runs it)
set -euo pipefail
dir="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
if [ -e "$dir/.env" ]; then
  echo "keeping the existing .env"
  exit 0
fi
umask 077
tmp="$(mktemp "$dir/.env.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
node --input-type=module - "$dir/.env.example" "$tmp" <<'JS'
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
const [example, target] = process.argv.slice(2);
const replaced = [];
const lines = readFileSync(example, "utf8").split("\n").map((line) => {
  const match = /^([A-Z][A-Z0-9_]*)=dev-only-/.exec(line);
  if (!match) return line;
  replaced.push(match[1]);
  return `${match[1]}=${randomBytes(32).toString("hex")}`;
});
writeFileSync(target, lines.join("\n"));
console.log(`created .env from .env.example with new random ${replaced.join(", ") || "(no secrets found)"}`);
JS
# A hard link fails when .env appeared meanwhile: never overwrite one.
ln "$tmp" "$dir/.env"
