import { runSubgraph } from "@watchflixx/common";
import { createStreamingSubgraph } from "./index.ts";

await runSubgraph("streaming", createStreamingSubgraph);
