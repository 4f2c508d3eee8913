// The Compose files, checked as CI checks them (`pnpm compose:check`): the real ones pass; a planted wrong
// port, a command that starts another bundle, a development secret in production, or a file the Compose
// Specification refuses are each refused with a line that says what is wrong.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkComposeFile, checkComposeText, COMPOSE_FILES } from "../compose-check.ts";

const repositoryRoot = path.resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(repositoryRoot, file), "utf8");

describe("pnpm compose:check", () => {
  it("passes the repository's three Compose files", () => {
    expect(Object.keys(COMPOSE_FILES).sort()).toEqual(["docker-compose.microservices.yml", "docker-compose.prod.yml", "docker-compose.yml"]);
    for (const [file, kind] of Object.entries(COMPOSE_FILES)) expect(checkComposeFile(file, kind), file).toEqual([]);
  });

  it("refuses a planted wrong port", () => {
    const planted = read("docker-compose.microservices.yml").replace('STREAMING_PORT: "3003"', 'STREAMING_PORT: "3013"');
    expect(checkComposeText(planted, "microservices", "planted.yml")).toEqual([
      "planted.yml: streaming: STREAMING_PORT is 3013, microservices.config.json says 3003",
    ]);
    const probe = read("docker-compose.prod.yml").replace("fetch('http://127.0.0.1:3004/health')", "fetch('http://127.0.0.1:3005/health')");
    expect(checkComposeText(probe, "production", "planted.yml")).toEqual(["planted.yml: payment: the health check probes port 3005, not 3004"]);
  });

  it("refuses a service started with another service's bundle", () => {
    const planted = read("docker-compose.prod.yml").replace('"dist/social.mjs"', '"dist/auth.mjs"');
    expect(checkComposeText(planted, "production", "planted.yml")).toEqual([
      'planted.yml: social: the command "node --enable-source-maps dist/auth.mjs" does not start dist/social.mjs',
    ]);
  });

  it("refuses development defaults in production", () => {
    const planted = read("docker-compose.prod.yml").replace(
      "JWT_ACCESS_SECRET: ${JWT_ACCESS_SECRET:?set JWT_ACCESS_SECRET (at least 16 characters)}",
      "JWT_ACCESS_SECRET: ${JWT_ACCESS_SECRET:-dev-only-jwt-secret-change-me}",
    );
    const problems = checkComposeText(planted, "production", "planted.yml");
    expect(problems).toContain("planted.yml: auth: JWT_ACCESS_SECRET has a development default (${JWT_ACCESS_SECRET:-dev-only-jwt-secret-change-me})");
    expect(problems).toContain("planted.yml: gateway: JWT_ACCESS_SECRET must come from the environment and be required (${JWT_ACCESS_SECRET:?...})");
  });

  it("refuses what the Compose Specification refuses", () => {
    const planted = read("docker-compose.yml").replace("  redis:\n    image: redis:7\n", "  redis:\n    image: redis:7\n    restart_when: always\n");
    expect(checkComposeText(planted, "development", "planted.yml")).toEqual([
      "planted.yml: /services/redis must NOT have additional properties (Compose Specification)",
    ]);
  });
});
