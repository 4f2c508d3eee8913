// Content is owned by the content subgraph; streaming only needs its id to answer the fields it adds.
import type { ContentRef } from "../entities/references.ts";

export const contentReference = {
  __resolveReference(reference: { id: string }): ContentRef {
    return { id: reference.id };
  },
};
