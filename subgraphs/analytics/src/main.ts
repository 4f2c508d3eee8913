import { runSubgraph } from "@watchflixx/common";
import { analyticsSubgraph } from "./index.ts";

await runSubgraph(analyticsSubgraph);
