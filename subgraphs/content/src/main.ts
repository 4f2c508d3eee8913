import { runSubgraph } from "@watchflixx/common";
import { contentSubgraph } from "./index.ts";

await runSubgraph(contentSubgraph);
