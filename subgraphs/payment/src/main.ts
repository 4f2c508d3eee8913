import { runSubgraph } from "@watchflixx/common";
import { createPaymentSubgraph } from "./index.ts";

await runSubgraph("payment", () => createPaymentSubgraph());
