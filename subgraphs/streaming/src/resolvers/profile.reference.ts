// Profile is owned by the auth subgraph; streaming only needs its id (ownership is checked per field).
import type { ProfileRef } from "../entities/references.ts";

export const profileReference = {
  __resolveReference(reference: { id: string }): ProfileRef {
    return { id: reference.id };
  },
};
