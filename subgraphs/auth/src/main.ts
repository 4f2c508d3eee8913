import { runSubgraph } from "@watchflixx/common";
import { createAuthSubgraph } from "./index.ts";

await runSubgraph("auth", () => createAuthSubgraph());
