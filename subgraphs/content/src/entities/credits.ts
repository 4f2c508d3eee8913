// Who is in a title and who made it.
import { Field, ObjectType } from "type-graphql";

@ObjectType("CastMember")
export class CastMember {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "The role played; null when not credited with one." })
  character!: string | null;
}

@ObjectType("CrewMember")
export class CrewMember {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  job!: string;

  @Field(() => String, { nullable: true })
  department!: string | null;
}
