import { runSubgraph } from "@watchflixx/common";
import { createContentSubgraph } from "./index.ts";

await runSubgraph("content", createContentSubgraph);
