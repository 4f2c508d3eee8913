// A device resolves only for the account it belongs to (and for staff): the rule is the directory's.
import type { DeviceRow } from "../services/batch-queries.ts";
import type { DirectoryService } from "../services/directory.service.ts";
import { readerOf, type AuthContext } from "./context.ts";

export function deviceReference(directory: DirectoryService) {
  return {
    __resolveReference(reference: { id: string }, ctx: AuthContext): Promise<DeviceRow | null> {
      return directory.deviceReference(readerOf(ctx), reference.id);
    },
  };
}
