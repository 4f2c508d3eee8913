// Entitlement (who may play what, how many streams at once, at which quality) lives in
// @watchflixx/common (packages/common/src/entitlement.ts) because the social subgraph's party watch
// applies the same rules: one implementation, read from the payment subgraph's tables in the shared
// database, nothing copied. This module is streaming's door to it.
export {
  findEntitlement,
  liveStreamCount,
  lockAccountStreams,
  RENTAL_MAX_QUALITY,
  RENTAL_MAX_STREAMS,
  requireEntitlement,
  requireFreeStream,
  STALE_SESSION_MS,
  type Entitlement,
} from "@watchflixx/common";
