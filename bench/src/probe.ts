import { startWorld } from "./world.ts";
import { loadFixtures } from "./fixtures.ts";
import { contractOperation, gatewaySchema } from "./operations.ts";
const world = await startWorld({ log: console.log });
try {
  const f = await loadFixtures(world);
  console.log(f);
  const schema = await gatewaySchema(world.supergraph.client);
  const ops = [
    [contractOperation(schema, "web/catalog.graphql", "Browse"), { first: 20 }, undefined],
    [contractOperation(schema, "web/catalog.graphql", "ContentDetails"), { id: f.seriesId, profileId: f.profileId }, f.token],
    [contractOperation(schema, "tv/home.graphql", "TvHome"), { profileId: f.profileId }, f.token],
    [contractOperation(schema, "web/catalog.graphql", "Search"), { query: f.searchTerms[0], first: 20 }, undefined],
  ] as const;
  for (const [op, vars, token] of ops) {
    const before = world.snapshot();
    const r = await world.supergraph.gql(op.text, vars, token ? { token } : {});
    const d = world.since(before);
    console.log(op.name, op.removed, JSON.stringify(r).length, "bytes", JSON.stringify(r.errors ?? null).slice(0, 300), "stmts", d.statements, "reqs", d.requests, JSON.stringify(d.bySubgraph));
    console.log(JSON.stringify(r.data).slice(0, 300));
  }
} finally {
  await world.stop();
}
process.exit(0);
