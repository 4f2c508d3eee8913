// Redis pub/sub topics of one party. Every instance of the social subgraph publishes and listens on these,
// so members connected anywhere receive every event. In the environment's Redis namespace.
import { redisKey } from "@watchflixx/common";

export const partyTopics = {
  messages: (sessionId: string) => redisKey("party", sessionId, "messages"),
  sync: (sessionId: string) => redisKey("party", sessionId, "sync"),
};

/** What travels on the message topic (the sender is resolved by the gateway from `senderProfileId`). */
export interface MessagePayload {
  id: string;
  sessionId: string;
  text: string;
  createdAt: Date;
  senderProfileId: string;
}

export interface SyncPayload {
  sessionId: string;
  action: "PLAY" | "PAUSE" | "SEEK";
  positionSeconds: number;
  issuedAt: Date;
  byProfileId: string;
}
