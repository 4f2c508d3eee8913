// Any profile id resolves (reviews and parties show strangers' profiles); what a stranger may see is decided
// per field by ProfileResolver, so the row returned here never leaks more than id, name and avatarUrl.
import type { ProfileRow } from "../services/batch-queries.ts";
import type { DirectoryService } from "../services/directory.service.ts";
import { readerOf, type AuthContext } from "./context.ts";

export function profileReference(directory: DirectoryService) {
  return {
    __resolveReference(reference: { id: string }, ctx: AuthContext): Promise<ProfileRow | null> {
      return directory.profileReference(readerOf(ctx), reference.id);
    },
  };
}
