// The social subgraph's configuration: the shared base, SOCIAL_PORT, and the party size. Parsed once at start-up
// by runSubgraph (or a test harness); nothing else in this subgraph reads process.env.
import { z } from "zod";
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

export const socialConfigSchema = defineSubgraphConfig("social", {
  /** Present members a party holds at most. */
  PARTY_MAX_MEMBERS: z.coerce.number().int().min(2).max(10_000).default(100),
});

export type SocialConfig = ConfigOf<typeof socialConfigSchema>;
