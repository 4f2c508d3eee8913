// A device resolves only for the account it belongs to (and for staff).
import type { DeviceRow } from "../entities/device.ts";
import type { AuthContext } from "./context.ts";

export const deviceReference = {
  async __resolveReference(reference: { id: string }, ctx: AuthContext): Promise<DeviceRow | null> {
    const caller = ctx.identity;
    if (!caller) return null;
    const device = await ctx.loaders.device.load(reference.id);
    if (!device || (device.userId !== caller.userId && caller.role !== "STAFF")) return null;
    return device;
  },
};
