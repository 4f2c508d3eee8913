// Any profile id resolves (reviews and parties show strangers' profiles); what a stranger may see is decided
// per field by ProfileResolver, so the row returned here never leaks more than id, name and avatarUrl.
import type { ProfileRow } from "../entities/profile.ts";
import type { AuthContext } from "./context.ts";

export const profileReference = {
  __resolveReference(reference: { id: string }, ctx: AuthContext): Promise<ProfileRow | null> {
    return ctx.loaders.profile.load(reference.id);
  },
};
