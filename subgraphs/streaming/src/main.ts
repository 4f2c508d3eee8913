import { runSubgraph } from "@watchflixx/common";
import { streamingSubgraph } from "./index.ts";

await runSubgraph(streamingSubgraph);
