import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The content subgraph's Content; this subgraph adds `rentalPrice` (content.resolver.ts). */
@Directive('@key(fields: "id")')
@ObjectType("Content")
export class Content {
  @Field(() => ID) id!: string;
}
