import { runSubgraph } from "@watchflixx/common";
import { createAnalyticsSubgraph } from "./index.ts";

await runSubgraph("analytics", () => createAnalyticsSubgraph());
