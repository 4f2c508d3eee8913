import { runSubgraph } from "@watchflixx/common";
import { notificationSubgraph } from "./index.ts";

await runSubgraph(notificationSubgraph);
