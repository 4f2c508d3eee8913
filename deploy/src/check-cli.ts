// `pnpm k8s:check`: renders every overlay of deploy/kubernetes with `kubectl kustomize` (offline) and checks the
// objects (deploy/src/check.ts). Exit 1 on any problem. Without kubectl it says so and checks nothing (exit 0):
// the render needs kubectl's built-in kustomize (CI has it).
import { checkManifests, overlayNames, parseManifests, renderOverlay } from "./check.ts";

let failed = false;
for (const overlay of overlayNames()) {
  const rendered = renderOverlay(overlay);
  if (rendered === null) {
    console.warn("kubectl is not installed: the Kubernetes manifests were not rendered or checked (install kubectl to check them).");
    process.exit(0);
  }
  const objects = parseManifests(rendered);
  const problems = checkManifests(objects, { overlay });
  if (problems.length === 0) {
    const kinds = new Map<string, number>();
    for (const object of objects) kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
    console.log(`${overlay}: ${objects.length} objects valid (${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(", ")})`);
  } else {
    failed = true;
    for (const problem of problems) console.error(problem);
  }
}
process.exit(failed ? 1 : 0);
