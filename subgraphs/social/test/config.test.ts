// The social subgraph's own setting, parsed with the shared base: its default, and the one line a bad value gives.
import { describe, expect, it } from "vitest";
import { ConfigurationError, parseConfig } from "@watchflixx/common";
import { socialConfigSchema } from "../src/index.ts";

describe("social configuration", () => {
  it("holds 100 members by default, PARTY_MAX_MEMBERS otherwise, on SOCIAL_PORT", () => {
    expect(parseConfig(socialConfigSchema, {})).toMatchObject({ PARTY_MAX_MEMBERS: 100, port: 3005 });
    expect(parseConfig(socialConfigSchema, { PARTY_MAX_MEMBERS: "8", SOCIAL_PORT: "4105" })).toMatchObject({ PARTY_MAX_MEMBERS: 8, port: 4105 });
  });

  it("names PARTY_MAX_MEMBERS when it is out of range", () => {
    expect(() => parseConfig(socialConfigSchema, { PARTY_MAX_MEMBERS: "1" })).toThrow(ConfigurationError);
    expect(() => parseConfig(socialConfigSchema, { PARTY_MAX_MEMBERS: "many" })).toThrow(/^PARTY_MAX_MEMBERS /);
  });
});
