/** Titles are the content subgraph's; this subgraph only needs the key to answer `rentalPrice`. */
export const contentReference = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
};
