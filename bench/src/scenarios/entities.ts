// 2. Batching: `_entities` with 100 Content representations sent straight to a subgraph (as the gateway would,
// without identity headers), counting the SQL statements each call costs. Content is the one the brief names;
// streaming's and payment's Content fields are measured the same way.
import type { LoadGenerator } from "../load/index.ts";
import { graphqlBody, measure, type RunFigures } from "../measure.ts";
import type { BenchSettings } from "../settings.ts";
import { fixed, table } from "../stats.ts";
import type { BenchWorld } from "../world.ts";

interface EntityCase {
  label: string;
  subgraph: string;
  selection: string;
}

const CASES: EntityCase[] = [
  { label: "content: card fields", subgraph: "content", selection: "id title type genres releaseYear maturityRating posterUrl" },
  {
    label: "content: details (cast, crew, seasons.episodes, subtitles)",
    subgraph: "content",
    selection:
      "id title description durationMinutes cast { name character } crew { name job } seasons { id number title episodes { id number title durationMinutes } } subtitles { language format }",
  },
  { label: "streaming: averageRating ratingCount", subgraph: "streaming", selection: "id averageRating ratingCount" },
  { label: "payment: rentalPrice", subgraph: "payment", selection: "id rentalPrice { amountCents currency }" },
];

export interface EntitiesReport {
  representations: number;
  figures: (RunFigures & { subgraph: string })[];
}

export async function runEntities(world: BenchWorld, load: LoadGenerator, settings: BenchSettings, log: (line: string) => void): Promise<EntitiesReport> {
  const count = settings.entities.representations;
  const rows = await world.db.content.findMany({ where: { publishedAt: { not: null } }, orderBy: { id: "asc" }, take: count, select: { id: true } });
  if (rows.length < count) throw new Error(`the catalog has only ${rows.length} published titles`);
  const representations = rows.map((row) => ({ __typename: "Content", id: row.id }));

  const figures: EntitiesReport["figures"] = [];
  for (const entityCase of CASES) {
    const subgraph = world.supergraph.subgraphs[entityCase.subgraph];
    if (!subgraph) continue;
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Content { ${entityCase.selection} } } }`;
    const body = graphqlBody(query, { representations });
    // One call first, to check the answer: every representation resolved.
    const probe = await fetch(subgraph.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const answer = (await probe.json()) as { data?: { _entities?: unknown[] }; errors?: unknown };
    if (answer.errors || answer.data?._entities?.length !== count) {
      throw new Error(`${entityCase.label}: _entities did not resolve ${count} representations: ${JSON.stringify(answer).slice(0, 400)}`);
    }
    const result = await measure(load, world, {
      label: entityCase.label,
      url: subgraph.url,
      variants: [{ body, headers: {} }],
      concurrency: settings.entities.concurrency,
      warmup: Math.ceil(settings.entities.calls / 10),
      requests: settings.entities.calls,
      maxDurationMs: 30_000,
    });
    figures.push({ ...result, subgraph: entityCase.subgraph });
    log(`  ${entityCase.label}: ${fixed(result.statementsPerRequest)} SQL statements per call, p50 ${fixed(result.latency.p50)} ms`);
  }
  return { representations: count, figures };
}

export function entitiesTable(report: EntitiesReport): string {
  return table(
    ["_entities (100 Content)", "calls", "clients", "calls/s", "p50 ms", "p95 ms", "p99 ms", "SQL/call", "server CPU ms/call", "entities/s"],
    report.figures.map((figure) => [
      figure.label,
      String(figure.completed),
      String(figure.concurrency),
      fixed(figure.opsPerSecond, 0),
      fixed(figure.latency.p50),
      fixed(figure.latency.p95),
      fixed(figure.latency.p99),
      fixed(figure.statementsPerRequest),
      fixed(figure.serverCpuMsPerRequest),
      fixed(figure.opsPerSecond * report.representations, 0),
    ]),
  );
}
