// TV pairing straight against the subgraph: start (anonymous), approve (signed in), complete (anonymous);
// FORBIDDEN before approval; NOT_FOUND when expired, used or unknown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "@watchflixx/testing";
import { signUp, startAuth, type AuthHarness } from "./helpers.ts";

const START = `mutation ($deviceName: String!) { startDevicePairing(deviceName: $deviceName) { pairingCode expiresAt } }`;
const APPROVE = `mutation ($pairingCode: String!) { approveDevicePairing(pairingCode: $pairingCode) { id name type } }`;
const COMPLETE = `mutation ($pairingCode: String!) { completeDevicePairing(pairingCode: $pairingCode) { accessToken refreshToken user { id } } }`;

describe("device pairing", () => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(async () => {
    await auth?.stop();
  });

  async function start(deviceName = "Living Room TV"): Promise<{ pairingCode: string; expiresAt: string }> {
    const result = await auth.gql(START, { deviceName });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data.startDevicePairing;
  }

  it("pairs a TV: short code valid 10 minutes, approval creates the device, completion signs the TV in once", async () => {
    const account = await signUp(auth);
    const before = Date.now();
    const { pairingCode, expiresAt } = await start();
    expect(pairingCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    const lifetimeMinutes = (new Date(expiresAt).getTime() - before) / 60_000;
    expect(Math.round(lifetimeMinutes)).toBe(10);

    const tooEarly = await auth.gql(COMPLETE, { pairingCode });
    expect(codeOf(tooEarly)).toBe("FORBIDDEN");
    expect(tooEarly.data).toBeNull();

    // Approving needs a signed-in caller.
    expect(codeOf(await auth.gql(APPROVE, { pairingCode }))).toBe("UNAUTHENTICATED");
    const approved = await auth.gql(APPROVE, { pairingCode: pairingCode.toLowerCase() }, account.identity);
    expect(approved.errors).toBeUndefined();
    const device = approved.data.approveDevicePairing;
    expect(device).toMatchObject({ name: "Living Room TV", type: "TV" });
    const event = await auth.db.serviceEvent.findFirst({ where: { eventType: "DevicePaired", aggregateId: device.id } });
    expect(event?.payload).toMatchObject({ deviceId: device.id, userId: account.user.id });

    const completed = await auth.gql(COMPLETE, { pairingCode });
    expect(completed.errors).toBeUndefined();
    const tv = completed.data.completeDevicePairing;
    expect(tv.user.id).toBe(account.user.id);
    const tvIdentity = await auth.identityOf(tv.accessToken);
    expect(tvIdentity).toEqual({ userId: account.user.id, role: "USER", deviceId: device.id });
    // The TV's refresh token works and belongs to the paired device.
    const refreshed = await auth.gql(`mutation ($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }`, { t: tv.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    const me = await auth.gql(`{ me { devices { id type } } }`, {}, account.identity);
    expect(me.data.me.devices).toContainEqual({ id: device.id, type: "TV" });

    // Works once.
    expect(codeOf(await auth.gql(COMPLETE, { pairingCode }))).toBe("NOT_FOUND");
    expect(codeOf(await auth.gql(APPROVE, { pairingCode }, account.identity))).toBe("NOT_FOUND");
  });

  it("an unknown code is NOT_FOUND for approve and complete", async () => {
    const account = await signUp(auth);
    expect(codeOf(await auth.gql(APPROVE, { pairingCode: "ZZZZZZZZ" }, account.identity))).toBe("NOT_FOUND");
    expect(codeOf(await auth.gql(COMPLETE, { pairingCode: "ZZZZZZZZ" }))).toBe("NOT_FOUND");
  });

  it("an expired code is NOT_FOUND, pending or approved", async () => {
    const account = await signUp(auth);
    const pending = await start("Bedroom TV");
    const approved = await start("Kitchen TV");
    await auth.gql(APPROVE, { pairingCode: approved.pairingCode }, account.identity);
    await auth.db.devicePairing.updateMany({
      where: { code: { in: [pending.pairingCode, approved.pairingCode] } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(codeOf(await auth.gql(APPROVE, { pairingCode: pending.pairingCode }, account.identity))).toBe("NOT_FOUND");
    expect(codeOf(await auth.gql(COMPLETE, { pairingCode: pending.pairingCode }))).toBe("NOT_FOUND");
    expect(codeOf(await auth.gql(COMPLETE, { pairingCode: approved.pairingCode }))).toBe("NOT_FOUND");
    expect(await auth.db.refreshToken.count({ where: { userId: account.user.id, device: { name: "Kitchen TV" } } })).toBe(0);
  });

  it("a code can be approved only once, by one account", async () => {
    const first = await signUp(auth);
    const second = await signUp(auth);
    const { pairingCode } = await start("Shared TV");
    const results = await Promise.all([
      auth.gql(APPROVE, { pairingCode }, first.identity),
      auth.gql(APPROVE, { pairingCode }, second.identity),
    ]);
    expect(results.map(codeOf).sort()).toEqual(["NOT_FOUND", undefined]);
    expect(await auth.db.device.count({ where: { name: "Shared TV" } })).toBe(1);
  });

  it("refuses an empty device name with BAD_USER_INPUT", async () => {
    expect(codeOf(await auth.gql(START, { deviceName: "  " }))).toBe("BAD_USER_INPUT");
  });
});
