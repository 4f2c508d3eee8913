import { runSubgraph } from "@watchflixx/common";
import { createSocialSubgraph } from "./index.ts";
import { loadPartySettings } from "./env.ts";

await runSubgraph("social", () => createSocialSubgraph(loadPartySettings()));
