// Checks the rendered Kubernetes manifests (`kubectl kustomize deploy/kubernetes/overlays/<name>`) offline:
// every object against the Kubernetes OpenAPI schemas (kubernetes-models), and the deployment against what the
// code expects: microservices.config.json's ports, the probes' paths (/ready, /health), one image for every
// service, the migration Job and the init containers that wait for it, graceful termination that covers the
// services' drain, secrets never in the manifests, and subgraphs reachable from the gateway only.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { DEFAULT_DRAIN_GRACE_MS, microservicesConfig, repositoryRoot, SERVICE_RUNTIME_ENV } from "@watchflixx/common";
import { ConfigMap, Namespace, Secret, Service } from "kubernetes-models/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";

export const KUBERNETES_DIR = path.join(repositoryRoot, "deploy", "kubernetes");

/** A rendered object, as plain data. */
export type Manifest = Record<string, any>;

/** The models (OpenAPI schemas) by apiVersion/kind: every kind the manifests may use. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "batch/v1/Job": Job,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
};

/** Variables whose values are secrets: never a literal in a manifest, always from the Secret. */
export const SECRET_VARIABLES = [
  "DATABASE_URL",
  "REDIS_URL",
  "JWT_ACCESS_SECRET",
  "GATEWAY_SHARED_SECRET",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "SENDGRID_API_KEY",
  "POSTGRES_PASSWORD",
];

/** How long a pod may take from SIGTERM to exit: the HTTP drain's grace, plus stopping the background work. */
const SHUTDOWN_SECONDS = DEFAULT_DRAIN_GRACE_MS / 1000 + 5;

export function overlayNames(): string[] {
  return readdirSync(path.join(KUBERNETES_DIR, "overlays"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** `kubectl kustomize` of an overlay (offline); null when kubectl is not installed. */
export function renderOverlay(overlay: string): string | null {
  const result = spawnSync("kubectl", ["kustomize", path.join(KUBERNETES_DIR, "overlays", overlay)], { encoding: "utf8" });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") return null;
  if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${result.stderr}`);
  return result.stdout;
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`YAML: ${document.errors[0]?.message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((object): object is Manifest => object !== null && typeof object === "object");
}

const nameOf = (object: Manifest) => `${object.kind}/${object.metadata?.name ?? "?"}`;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

/** Every problem found in an overlay's rendered objects (empty: all good). */
export function checkManifests(objects: Manifest[], options: { overlay: string }): string[] {
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`${options.overlay}: ${text}`);

  // 1. The schemas.
  for (const object of objects) {
    const key = `${object.apiVersion}/${object.kind}`;
    const Model = MODELS[key];
    if (!Model) {
      problem(`${nameOf(object)}: no schema for ${key} (add it to deploy/src/check.ts if it is meant to be there)`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problem(`${nameOf(object)} does not match the Kubernetes schema: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  const deployments = of("Deployment");
  const configMaps = of("ConfigMap");
  const config = (name: string): Record<string, string> =>
    Object.assign({}, ...configMaps.filter((map) => map.metadata?.name === name).map((map) => map.data ?? {}));

  // 2. Secrets never in the manifests.
  for (const secret of of("Secret")) problem(`${nameOf(secret)}: secrets are created in the cluster (README.md), never rendered from the repository`);
  for (const map of configMaps) {
    for (const key of Object.keys(map.data ?? {})) if (SECRET_VARIABLES.includes(key)) problem(`${nameOf(map)} holds the secret ${key}: put it in the Secret`);
  }
  const podSpecs = objects
    .filter((object) => object.spec?.template?.spec)
    .map((object) => ({ owner: object, spec: object.spec.template.spec as Manifest }));
  for (const { owner, spec } of podSpecs) {
    for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const variable of container.env ?? []) {
        if (SECRET_VARIABLES.includes(variable.name) && variable.value !== undefined) {
          problem(`${nameOf(owner)} container ${container.name}: ${variable.name} is written in the manifest; read it from the Secret (secretKeyRef)`);
        }
      }
    }
  }

  // 3. One image for every WatchFlixx container (a service's bundle is chosen by SERVICE).
  const appContainers = podSpecs
    .filter(({ owner }) => owner.metadata?.labels?.["app.kubernetes.io/part-of"] === "watchflixx")
    .flatMap(({ owner, spec }) => [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((container: Manifest) => ({ owner, container })));
  const images = new Set(appContainers.map(({ container }) => container.image));
  if (images.size !== 1) problem(`the services, init containers and the migration Job must run one image; found ${[...images].join(", ")}`);

  // 4. The migration Job.
  const migrations = of("Job").filter((job) =>
    (job.spec?.template?.spec?.containers ?? []).some((container: Manifest) => [...(container.command ?? []), ...(container.args ?? [])].join(" ").includes("dist/migrate.mjs deploy")),
  );
  if (migrations.length !== 1) problem(`expected one Job that runs \`node dist/migrate.mjs deploy\`, found ${migrations.length}`);

  // 5. Each service against microservices.config.json.
  const services = microservicesConfig();
  const expected = [
    { name: "gateway", port: services.gateway.port, subgraph: false },
    ...Object.entries(services.services).map(([name, service]) => ({ name, port: service.port, subgraph: true })),
  ];
  const hpas = of("HorizontalPodAutoscaler");
  for (const { name, port, subgraph } of expected) {
    const deployment = deployments.find((object) => object.metadata?.name === name);
    if (!deployment) {
      problem(`no Deployment for ${name}`);
      continue;
    }
    const pod = deployment.spec?.template ?? {};
    const spec: Manifest = pod.spec ?? {};
    const container: Manifest | undefined = (spec.containers ?? []).find((candidate: Manifest) => candidate.name === name);
    if (!container) {
      problem(`Deployment/${name} has no container named ${name}`);
      continue;
    }
    const where = `Deployment/${name}`;
    const env = Object.fromEntries((container.env ?? []).map((variable: Manifest) => [variable.name, variable.value]));
    if (env.SERVICE !== name) problem(`${where}: SERVICE must be ${name} (the bundle dist/${name}.mjs), is ${String(env.SERVICE)}`);
    const containerPort = (container.ports ?? []).find((candidate: Manifest) => candidate.name === "http");
    if (containerPort?.containerPort !== port) {
      problem(`${where}: containerPort "http" must be ${port} (microservices.config.json), is ${String(containerPort?.containerPort)}`);
    }
    const fromConfig = Object.assign({}, ...(container.envFrom ?? []).filter((source: Manifest) => source.configMapRef).map((source: Manifest) => config(source.configMapRef.name)));
    const portVariable = `${name.toUpperCase()}_PORT`;
    const listensOn = env[portVariable] ?? fromConfig[portVariable];
    if (String(listensOn) !== String(port)) problem(`${where}: ${portVariable} must be ${port}, is ${String(listensOn)}`);
    const hostVariable = subgraph ? "SUBGRAPH_HOST" : "GATEWAY_HOST";
    if ((env[hostVariable] ?? fromConfig[hostVariable]) !== "0.0.0.0") problem(`${where}: ${hostVariable} must be 0.0.0.0 (listen on the pod's address)`);
    // The process settings every production service runs with (the ConfigMap's NODE_OPTIONS replaces the image's).
    const nodeOptions = String(env.NODE_OPTIONS ?? fromConfig.NODE_OPTIONS ?? "");
    const flags = nodeOptions.split(/\s+/);
    if (!SERVICE_RUNTIME_ENV.NODE_OPTIONS.split(" ").every((flag) => flags.includes(flag))) {
      problem(`${where}: NODE_OPTIONS must hold ${SERVICE_RUNTIME_ENV.NODE_OPTIONS} (SERVICE_RUNTIME_ENV), is "${nodeOptions}"`);
    }
    const arenas = env.MALLOC_ARENA_MAX ?? fromConfig.MALLOC_ARENA_MAX;
    if (String(arenas) !== SERVICE_RUNTIME_ENV.MALLOC_ARENA_MAX) problem(`${where}: MALLOC_ARENA_MAX must be ${SERVICE_RUNTIME_ENV.MALLOC_ARENA_MAX} (SERVICE_RUNTIME_ENV), is ${String(arenas)}`);
    const portMatches = (probePort: unknown) => probePort === "http" || probePort === port;
    for (const [probe, path] of [["readinessProbe", "/ready"], ["livenessProbe", "/health"]] as const) {
      const get = container[probe]?.httpGet;
      if (!get) problem(`${where}: no ${probe} (httpGet ${path})`);
      else if (get.path !== path || !portMatches(get.port)) problem(`${where}: ${probe} must GET ${path} on port ${port}, gets ${String(get.path)} on ${String(get.port)}`);
    }
    for (const resource of ["requests", "limits"] as const) {
      for (const kind of ["cpu", "memory"]) {
        if (!container.resources?.[resource]?.[kind]) problem(`${where}: no ${resource}.${kind}`);
      }
    }
    const preStop = (container.lifecycle?.preStop?.exec?.command ?? []) as string[];
    const sleep = preStop[0] === "sleep" ? Number(preStop[1]) : Number.NaN;
    if (!Number.isFinite(sleep)) problem(`${where}: no preStop sleep (the endpoint must be gone before the drain starts)`);
    const grace = spec.terminationGracePeriodSeconds ?? 30;
    if (Number.isFinite(sleep) && grace < sleep + SHUTDOWN_SECONDS) {
      problem(`${where}: terminationGracePeriodSeconds ${grace} < preStop ${sleep} s + shutdown ${SHUTDOWN_SECONDS} s`);
    }
    if (subgraph) {
      const waits = (spec.initContainers ?? []).some((init: Manifest) => (init.command ?? []).join(" ").includes("dist/migrate.mjs wait"));
      if (!waits) problem(`${where}: no init container running \`node dist/migrate.mjs wait\` (start after the migration Job)`);
    }
    const podLabels = pod.metadata?.labels ?? {};
    const service = of("Service").find((object) => object.metadata?.name === name);
    if (!service) problem(`no Service for ${name}`);
    else {
      if (!matches(service.spec?.selector, podLabels) || Object.keys(service.spec?.selector ?? {}).length === 0) problem(`Service/${name} does not select the ${name} pods`);
      const servicePort = (service.spec?.ports ?? [])[0];
      if (servicePort?.port !== port || !portMatches(servicePort?.targetPort)) {
        problem(`Service/${name} must serve port ${port} to the pods' ${port}, serves ${String(servicePort?.port)} → ${String(servicePort?.targetPort)}`);
      }
    }
    if (!of("PodDisruptionBudget").some((budget) => matches(budget.spec?.selector?.matchLabels, podLabels))) problem(`no PodDisruptionBudget for ${name}`);
    const hpa = hpas.find((candidate) => candidate.spec?.scaleTargetRef?.name === name);
    if (name === "gateway" && !hpa) problem("no HorizontalPodAutoscaler for the gateway");
    if (hpa && deployment.spec?.replicas !== undefined) problem(`${where}: replicas is set while a HorizontalPodAutoscaler scales it (each apply would reset it)`);

    // 6. Subgraphs: ingress from the gateway's pods only.
    if (subgraph) {
      const gatewayLabels = deployments.find((object) => object.metadata?.name === "gateway")?.spec?.template?.metadata?.labels ?? {};
      const policies = of("NetworkPolicy").filter(
        (policy) => (policy.spec?.policyTypes ?? ["Ingress"]).includes("Ingress") && matches(policy.spec?.podSelector?.matchLabels, podLabels),
      );
      if (policies.length === 0) problem(`${where}: no NetworkPolicy limits who reaches it`);
      for (const policy of policies) {
        for (const rule of policy.spec?.ingress ?? []) {
          const peers: Manifest[] = rule.from ?? [];
          const onlyGateway =
            peers.length > 0 && peers.every((peer) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock && Object.keys(peer.podSelector.matchLabels ?? {}).length > 0 && matches(peer.podSelector.matchLabels, gatewayLabels));
          if (!onlyGateway) problem(`${nameOf(policy)} lets more than the gateway reach ${name}`);
        }
      }
    }
  }
  for (const hpa of hpas) {
    if (!deployments.some((object) => object.metadata?.name === hpa.spec?.scaleTargetRef?.name)) problem(`${nameOf(hpa)} scales a Deployment that does not exist`);
  }
  return problems;
}
