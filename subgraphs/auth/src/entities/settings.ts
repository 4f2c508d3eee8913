// Account-wide and per-profile preferences. Rows are created with their owner; read-only through the API for now.
import { Field, ObjectType } from "type-graphql";

@ObjectType("UserSettings", { description: "Account-wide preferences. Visible only to the account itself." })
export class UserSettings {
  @Field(() => String, { description: "BCP 47 language tag of the interface." })
  language!: string;

  @Field(() => Boolean)
  emailNotifications!: boolean;

  @Field(() => Boolean)
  autoplayPreviews!: boolean;

  @Field(() => Boolean)
  dataSaver!: boolean;
}

@ObjectType("ProfileSettings", { description: "Per-profile playback preferences. Visible only to the owning account." })
export class ProfileSettings {
  @Field(() => String)
  language!: string;

  @Field(() => String, { nullable: true })
  subtitleLanguage!: string | null;

  @Field(() => Boolean)
  autoplayNext!: boolean;
}
