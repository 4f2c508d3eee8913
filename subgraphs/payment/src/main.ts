import { runSubgraph } from "@watchflixx/common";
import { paymentSubgraph } from "./index.ts";

await runSubgraph(paymentSubgraph);
