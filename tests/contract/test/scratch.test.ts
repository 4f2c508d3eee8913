import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { printSchema } from "graphql";
import { createTestDatabase } from "@watchflixx/db/testing";
import { startSupergraph } from "@watchflixx/testing";
import { createAuthSubgraph } from "@watchflixx/auth";
import { createContentSubgraph } from "@watchflixx/content";
import { createStreamingSubgraph } from "@watchflixx/streaming";
import { createPaymentSubgraph, parsePaymentConfig } from "@watchflixx/payment";
import { createSocialSubgraph } from "@watchflixx/social";
import { createAnalyticsSubgraph } from "@watchflixx/analytics";
import { createNotificationSubgraph } from "@watchflixx/notification";
it("dumps", async () => {
  const database = await createTestDatabase({ seeded: true });
  const t0 = Date.now();
  const s = await startSupergraph({ db: database.db, subgraphs: [
    await createAuthSubgraph(), await createContentSubgraph(), await createStreamingSubgraph(),
    await createPaymentSubgraph({ config: parsePaymentConfig({ NODE_ENV: "test", LOG_LEVEL: "error" }) }),
    await createSocialSubgraph(), await createAnalyticsSubgraph(), await createNotificationSubgraph() ] });
  console.log("started in", Date.now() - t0);
  const schema = s.gateway.gateway.schema;
  if (schema) writeFileSync("/tmp/contract-api.graphql", printSchema(schema));
  await s.stop(); await database.drop();
});
