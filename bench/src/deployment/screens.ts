// The screens the deployment benchmark measures, as a production client sends them: the exact documents of
// clients/persisted-query-manifest.json (the gateway enforces trusted documents in production), with the
// variables of a signed-in viewer (alice, the seed's demo account) and of the catalog.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { repositoryRoot } from "@watchflixx/common";
import { DEMO_PASSWORD } from "@watchflixx/db/seed";
import type { RequestVariant } from "../load/index.ts";

export const SCREENS = ["Browse", "ContentDetails", "TvHome", "Search", "ReportProgress"] as const;
export type ScreenName = (typeof SCREENS)[number];

export interface Screen {
  name: ScreenName;
  description: string;
  /** The bodies the clients cycle through (one, or several search words). */
  variants: RequestVariant[];
}

interface ManifestOperation {
  name: string;
  body: string;
}

/** The manifest's document for an operation name. */
export function manifestDocument(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, "clients/persisted-query-manifest.json"), "utf8")) as { operations: ManifestOperation[] };
  const operation = manifest.operations.find((candidate) => candidate.name === name);
  if (!operation) throw new Error(`clients/persisted-query-manifest.json has no operation ${name}`);
  return operation.body;
}

function body(operationName: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query: manifestDocument(operationName), variables, operationName });
}

async function gql(url: string, operationName: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body(operationName, variables),
  });
  const result = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!result.data || result.errors) throw new Error(`${operationName}: ${JSON.stringify(result.errors ?? result)}`);
  return result.data;
}

export interface ScreenFixtures {
  token: string;
  profileId: string;
  seriesId: string;
  searchTerms: string[];
  sessionId: string;
}

/** Signs alice in and starts a playback session through the gateway; the rest comes from the database. */
export async function loadScreenFixtures(gatewayUrl: string, databaseUrl: string): Promise<ScreenFixtures> {
  const signIn = (await gql(gatewayUrl, "SignIn", {
    input: { email: "alice@watchflixx.dev", password: DEMO_PASSWORD, deviceName: "bench", deviceType: "TV" },
  })) as { signIn: { accessToken: string } };
  const token = signIn.signIn.accessToken;

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const profile = await client.query<{ id: string }>(
      `SELECT p.id FROM profiles p JOIN users u ON u.id = p.user_id
       WHERE u.email = 'alice@watchflixx.dev' AND NOT p.is_kids
         AND EXISTS (SELECT 1 FROM watchlist w WHERE w.profile_id = p.id)
         AND EXISTS (SELECT 1 FROM watch_history h WHERE h.profile_id = p.id)
       ORDER BY p.created_at LIMIT 1`,
    );
    const series = await client.query<{ id: string }>(
      `SELECT c.id FROM contents c
       WHERE c.type = 'SERIES' AND c.published_at IS NOT NULL AND EXISTS (SELECT 1 FROM seasons s WHERE s.content_id = c.id)
       ORDER BY (SELECT count(*) FROM reviews r WHERE r.content_id = c.id) DESC, c.id LIMIT 1`,
    );
    const words = await client.query<{ word: string }>(
      `SELECT lower(w) AS word FROM contents c, regexp_split_to_table(c.title, '[^[:alpha:]]+') AS w
       WHERE c.published_at IS NOT NULL AND length(w) >= 4
       GROUP BY lower(w) ORDER BY count(*) DESC, lower(w) LIMIT 8`,
    );
    const profileId = profile.rows[0]?.id;
    const seriesId = series.rows[0]?.id;
    if (!profileId || !seriesId || words.rows.length === 0) throw new Error("the seeded catalog lacks alice's profile, a series or search words");
    const playback = (await gql(gatewayUrl, "StartPlayback", { input: { profileId, contentId: seriesId } }, token)) as { startPlayback: { id: string } };
    return { token, profileId, seriesId, searchTerms: words.rows.map((row) => row.word), sessionId: playback.startPlayback.id };
  } finally {
    await client.end();
  }
}

export function screens(fixtures: ScreenFixtures): Screen[] {
  const signedIn = { authorization: `Bearer ${fixtures.token}` };
  return [
    { name: "Browse", description: "first: 20, anonymous", variants: [{ body: body("Browse", { first: 20 }), headers: {} }] },
    {
      name: "ContentDetails",
      description: "a series, with the viewer's profileId",
      variants: [{ body: body("ContentDetails", { id: fixtures.seriesId, profileId: fixtures.profileId }), headers: signedIn }],
    },
    { name: "TvHome", description: "signed in, profile with watchlist and history", variants: [{ body: body("TvHome", { profileId: fixtures.profileId }), headers: signedIn }] },
    {
      name: "Search",
      description: `first: 20, ${fixtures.searchTerms.length} words in turn, anonymous`,
      variants: fixtures.searchTerms.map((query) => ({ body: body("Search", { query, first: 20 }), headers: {} })),
    },
    {
      name: "ReportProgress",
      description: "a heartbeat on one playback session (the account's stream lock serialises them)",
      variants: [{ body: body("ReportProgress", { input: { sessionId: fixtures.sessionId, positionSeconds: 60, event: "HEARTBEAT" } }), headers: signedIn }],
    },
  ];
}
