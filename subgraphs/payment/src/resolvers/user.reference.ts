/** Users are the auth subgraph's; this subgraph only needs the key to answer its billing fields. */
export const userReference = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
};
