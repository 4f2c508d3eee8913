// Preloaded (`node --import`) into every process the deployment benchmark starts, production bundles included:
// it counts, in that process, the SQL statements sent through `pg` (every Client#query call: Prisma's adapter and
// the floor both go through it, BEGIN/COMMIT included) and the HTTP requests its servers receive (POST only:
// GraphQL requests, not /health). The benchmark reads the counts over the IPC channel it spawned the process
// with. Plain JavaScript: production runs without tsx. Two counter increments per event: no measurable cost.
import { createRequire } from "node:module";
import http from "node:http";
import path from "node:path";

const counts = { statements: 0, requests: 0 };

// `pg` as the bundle resolves it (dist/node_modules/pg, a link into pnpm's store). Node caches CommonJS
// modules by real path, so the adapter's own `import "pg"` gets this same Client class.
const entry = process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), "index.js");
for (const from of [entry, path.join(path.dirname(entry), "node_modules", "@prisma", "adapter-pg", "package.json")]) {
  try {
    const { Client } = createRequire(from)("pg");
    if (Client.prototype.query.__benchCounted) continue;
    const query = Client.prototype.query;
    const counted = function (...args) {
      counts.statements += 1;
      return query.apply(this, args);
    };
    counted.__benchCounted = true;
    Client.prototype.query = counted;
  } catch {
    // No pg from there (the gateway): nothing to count.
  }
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === "request" && args[0]?.method === "POST") counts.requests += 1;
  return emit.call(this, event, ...args);
};

process.on("message", (message) => {
  if (message && message.kind === "bench-counts") process.send?.({ kind: "bench-counts", ...counts });
});
// The IPC channel must not keep a service alive after the benchmark asks it to stop.
process.channel?.unref();
