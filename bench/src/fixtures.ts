// What the gateway benchmarks query with: a signed-in demo viewer (profile, watchlist, history), a series with
// seasons and reviews, and search words taken from the catalog.
import { DEMO_PASSWORD } from "@watchflixx/db/seed";
import type { BenchWorld } from "./world.ts";
import { contractText } from "./operations.ts";

export interface Fixtures {
  /** alice@watchflixx.dev, signed in through the contract's SignIn. */
  token: string;
  profileId: string;
  /** The published series with the most reviews. */
  seriesId: string;
  searchTerms: string[];
}

export async function loadFixtures(world: BenchWorld): Promise<Fixtures> {
  const signIn = await world.supergraph.gql(contractText("web/auth.graphql", "SignIn"), {
    input: { email: "alice@watchflixx.dev", password: DEMO_PASSWORD, deviceName: "bench", deviceType: "TV" },
  });
  const token: unknown = signIn.data?.signIn?.accessToken;
  if (typeof token !== "string") throw new Error(`SignIn failed: ${JSON.stringify(signIn.errors)}`);

  const profile = await world.db.profile.findFirst({
    where: { user: { email: "alice@watchflixx.dev" }, isKids: false },
    orderBy: { createdAt: "asc" },
    select: { id: true, _count: { select: { watchlist: true, watchHistory: true } } },
  });
  if (!profile) throw new Error("the seed has no profile for alice@watchflixx.dev");
  if (profile._count.watchlist === 0 || profile._count.watchHistory === 0) {
    throw new Error("alice's profile has no watchlist or history: TvHome would not cross every subgraph");
  }

  const [series] = await world.db.$queryRaw<{ id: string }[]>`
    SELECT c.id FROM contents c
    WHERE c.type = 'SERIES' AND c.published_at IS NOT NULL
      AND EXISTS (SELECT 1 FROM seasons s WHERE s.content_id = c.id)
    ORDER BY (SELECT count(*) FROM reviews r WHERE r.content_id = c.id) DESC, c.id
    LIMIT 1`;
  if (!series) throw new Error("the catalog has no published series");

  // Common title words (four letters or more) make searches that match a handful of titles each.
  const words = await world.db.$queryRaw<{ word: string }[]>`
    SELECT lower(w) AS word FROM contents c, regexp_split_to_table(c.title, '[^[:alpha:]]+') AS w
    WHERE c.published_at IS NOT NULL AND length(w) >= 4
    GROUP BY lower(w) ORDER BY count(*) DESC, lower(w) LIMIT 8`;
  const searchTerms = words.map((row) => row.word);
  if (searchTerms.length === 0) throw new Error("no search words in the catalog");

  return { token, profileId: profile.id, seriesId: series.id, searchTerms };
}
