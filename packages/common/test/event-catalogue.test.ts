// The event catalogue: a payload is checked when it is written (a wrong one fails the producer's transaction and
// nothing of the change is kept), and consumers read typed payloads from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { eventPayload, EventPayloadError, recordEvent, type ServiceEventInput } from "../src/index.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("event catalogue", () => {
  it("refuses an event whose payload does not match its type, and the change made with it is rolled back", async () => {
    const before = await database.db.serviceEvent.count();
    const wrong = { eventType: "PartyWatchJoined", service: "social", aggregateType: "party", aggregateId: "p-1", payload: { sessionId: "p-1", userId: 42 } } as unknown as ServiceEventInput<"PartyWatchJoined">;
    const attempt = database.db.$transaction(async (tx) => {
      await recordEvent(tx, { eventType: "PartyWatchEnded", service: "social", aggregateType: "party", aggregateId: "p-0", payload: { sessionId: "p-0" } });
      await recordEvent(tx, wrong);
    });
    await expect(attempt).rejects.toThrow(EventPayloadError);
    await expect(attempt).rejects.toThrow(/PartyWatchJoined: unexpected payload \(profileId .*; userId .*\)/);
    expect(await database.db.serviceEvent.count()).toBe(before);
  });

  it("reads back what was recorded, typed, and refuses to read an event as another type", async () => {
    const payload = { sessionId: "p-2", profileId: "pr-1", userId: "u-1" };
    await database.db.$transaction((tx) => recordEvent(tx, { eventType: "PartyWatchJoined", service: "social", aggregateType: "party", aggregateId: "p-2", payload }));
    const row = await database.db.serviceEvent.findFirstOrThrow({ where: { aggregateId: "p-2" } });
    const event = { id: row.id, eventType: row.eventType, payload: row.payload };
    expect(eventPayload(event, "PartyWatchJoined")).toEqual(payload);
    expect(() => eventPayload(event, "PartyWatchEnded")).toThrow(/expected a PartyWatchEnded event/);
  });
});
