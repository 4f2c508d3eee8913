import { runSubgraph } from "@watchflixx/common";
import { authSubgraph } from "./index.ts";

await runSubgraph(authSubgraph);
