import { runSubgraph } from "@watchflixx/common";
import { socialSubgraph } from "./index.ts";

await runSubgraph(socialSubgraph);
