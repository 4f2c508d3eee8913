// An account resolves only for itself (and for staff): anyone else gets null, without a query.
import type { UserRow } from "../entities/user.ts";
import type { AuthContext } from "./context.ts";

export const userReference = {
  async __resolveReference(reference: { id: string }, ctx: AuthContext): Promise<UserRow | null> {
    const caller = ctx.identity;
    if (!caller || (caller.userId !== reference.id && caller.role !== "STAFF")) return null;
    return ctx.loaders.user.load(reference.id);
  },
};
