// The image's process settings: every way of running a service from it (docker-compose, Kubernetes, a plain
// `docker run`) inherits the Dockerfile's ENV, so it must carry SERVICE_RUNTIME_ENV (Kubernetes' ConfigMap
// replaces NODE_OPTIONS: check.test.ts checks that one).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot, SERVICE_RUNTIME_ENV } from "@watchflixx/common";

/** The variables the Dockerfile's ENV instructions set (`ENV NAME=value NAME="value"`). */
function dockerfileEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^ENV\s+(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    for (const pair of match[1].matchAll(/([A-Z_][A-Z0-9_]*)=("([^"]*)"|\S+)/g)) env[pair[1] ?? ""] = pair[3] ?? pair[2] ?? "";
  }
  return env;
}

describe("the Dockerfile", () => {
  it("runs every service with the production process settings", () => {
    const env = dockerfileEnv(readFileSync(path.join(repositoryRoot, "Dockerfile"), "utf8"));
    expect({ NODE_OPTIONS: env.NODE_OPTIONS, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX }).toEqual(SERVICE_RUNTIME_ENV);
  });
});
