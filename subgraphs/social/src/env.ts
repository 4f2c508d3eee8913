// The social subgraph's own settings, read once at start-up.
import { z } from "zod";
import { loadConfigOrExit } from "@watchflixx/common";
import { DEFAULT_PARTY_SETTINGS, type PartySettings } from "./services/party.service.ts";

const socialEnv = z.object({
  PARTY_MAX_MEMBERS: z.coerce.number().int().min(2).max(10_000).default(DEFAULT_PARTY_SETTINGS.maxMembers),
});

export function loadPartySettings(env: Record<string, string | undefined> = process.env): PartySettings {
  const parsed = loadConfigOrExit(socialEnv, env);
  return { ...DEFAULT_PARTY_SETTINGS, maxMembers: parsed.PARTY_MAX_MEMBERS };
}
