// An account resolves only for itself (and for staff): anyone else gets null, without a query.
import type { UserRow } from "../services/batch-queries.ts";
import type { DirectoryService } from "../services/directory.service.ts";
import { readerOf, type AuthContext } from "./context.ts";

export function userReference(directory: DirectoryService) {
  return {
    __resolveReference(reference: { id: string }, ctx: AuthContext): Promise<UserRow | null> {
      return directory.userReference(readerOf(ctx), reference.id);
    },
  };
}
