// Who is in a title and who made it.
import { Directive, Field, ObjectType } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";

@Directive(CATALOG_HINT)
@ObjectType("CastMember")
export class CastMember {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "The role played; null when not credited with one." })
  character!: string | null;
}

@Directive(CATALOG_HINT)
@ObjectType("CrewMember")
export class CrewMember {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  job!: string;

  @Field(() => String, { nullable: true })
  department!: string | null;
}
