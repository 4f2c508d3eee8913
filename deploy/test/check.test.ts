// The Kubernetes manifests as CI checks them: both overlays render (kubectl kustomize, offline) and pass, and the
// check refuses the mistakes that would break a deployment: a wrong port, a missing or wrong probe, a secret
// written into a manifest, a subgraph opened to more than the gateway, a second image, no wait for migrations.
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { checkManifests, overlayNames, parseManifests, renderOverlay, type Manifest } from "../src/check.ts";

const kubectl = spawnSync("kubectl", ["version", "--client"]).status === 0;

describe.skipIf(!kubectl)("the Kubernetes manifests", () => {
  let production: Manifest[];
  beforeAll(() => {
    production = parseManifests(renderOverlay("production") ?? "");
  });

  /** The production objects with one mistake planted (a deep copy: each test starts clean). */
  function planted(change: (objects: Manifest[]) => void): string[] {
    const objects = structuredClone(production);
    change(objects);
    return checkManifests(objects, { overlay: "production" });
  }
  const deployment = (objects: Manifest[], name: string) => {
    const found = objects.find((object) => object.kind === "Deployment" && object.metadata.name === name);
    if (!found) throw new Error(`no Deployment ${name}`);
    return found;
  };
  const container = (objects: Manifest[], name: string) => deployment(objects, name).spec.template.spec.containers[0];

  it("render in both overlays and pass every check", () => {
    expect(overlayNames()).toEqual(["development", "production"]);
    for (const overlay of overlayNames()) {
      const objects = parseManifests(renderOverlay(overlay) ?? "");
      expect(objects.length).toBeGreaterThan(30);
      expect(checkManifests(objects, { overlay })).toEqual([]);
    }
  });

  it("refuse a service that runs without the production process settings", () => {
    const problems = planted((objects) => {
      container(objects, "social").env.push({ name: "NODE_OPTIONS", value: "--max-semi-space-size=8" }, { name: "MALLOC_ARENA_MAX", value: "8" });
    });
    expect(problems).toEqual([
      'production: Deployment/social: NODE_OPTIONS must hold --max-semi-space-size=8 --max-old-space-size=320 (SERVICE_RUNTIME_ENV), is "--max-semi-space-size=8"',
      "production: Deployment/social: MALLOC_ARENA_MAX must be 2 (SERVICE_RUNTIME_ENV), is 8",
    ]);
  });

  it("refuse a container port that is not the service's port", () => {
    expect(planted((objects) => (container(objects, "content").ports[0].containerPort = 3012))).toEqual([
      "production: Deployment/content: containerPort \"http\" must be 3002 (microservices.config.json), is 3012",
    ]);
  });

  it("refuse a missing readiness probe and a liveness probe on the wrong path", () => {
    const problems = planted((objects) => {
      delete container(objects, "streaming").readinessProbe;
      container(objects, "gateway").livenessProbe.httpGet.path = "/ready";
    });
    expect(problems).toEqual([
      "production: Deployment/gateway: livenessProbe must GET /health on port 3000, gets /ready on http",
      "production: Deployment/streaming: no readinessProbe (httpGet /ready)",
    ]);
  });

  it("refuse a Service that sends traffic to another port", () => {
    const problems = planted((objects) => {
      const service = objects.find((object) => object.kind === "Service" && object.metadata.name === "payment");
      if (service) service.spec.ports[0].port = 3005;
    });
    expect(problems).toEqual(["production: Service/payment must serve port 3004 to the pods' 3004, serves 3005 → http"]);
  });

  it("refuse a secret written into a manifest", () => {
    const problems = planted((objects) => {
      container(objects, "auth").env.push({ name: "JWT_ACCESS_SECRET", value: "committed-by-mistake-123" });
    });
    expect(problems).toEqual([
      "production: Deployment/auth container auth: JWT_ACCESS_SECRET is written in the manifest; read it from the Secret (secretKeyRef)",
    ]);
  });

  it("refuse a subgraph reachable from more than the gateway", () => {
    const problems = planted((objects) => {
      const policy = objects.find((object) => object.kind === "NetworkPolicy" && object.metadata.name === "subgraphs-from-gateway-only");
      if (policy) policy.spec.ingress[0].from.push({ namespaceSelector: {} });
    });
    expect(problems).toHaveLength(7);
    expect(problems[0]).toBe("production: NetworkPolicy/subgraphs-from-gateway-only lets more than the gateway reach auth");
  });

  it("refuse a second image, a subgraph that does not wait for the migrations, and an object that breaks the schema", () => {
    const problems = planted((objects) => {
      container(objects, "social").image = "watchflixx-social:dev";
      delete deployment(objects, "analytics").spec.template.spec.initContainers;
      container(objects, "notification").ports[0].containerPort = "3007";
    });
    expect(problems).toContainEqual(expect.stringMatching(/^production: the services, init containers and the migration Job must run one image/));
    expect(problems).toContainEqual("production: Deployment/analytics: no init container running `node dist/migrate.mjs wait` (start after the migration Job)");
    expect(problems).toContainEqual(expect.stringMatching(/^production: Deployment\/notification does not match the Kubernetes schema: .*containerPort must be integer/));
  });
});
