// `ContentConnection.totalCount`: a COUNT that runs only when the client asks for it.
import { FieldResolver, Int, Resolver, Root } from "type-graphql";
import { ContentConnection } from "../entities/connection.ts";

@Resolver(() => ContentConnection)
export class ContentConnectionResolver {
  @FieldResolver(() => Int, { description: "Titles matching the filter, over all pages." })
  totalCount(@Root() connection: ContentConnection): Promise<number> {
    return connection.countTotal();
  }
}
