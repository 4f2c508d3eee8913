// Account-wide and per-profile preferences. Rows are created with their owner; read-only through the API for now.
import { Directive, Field, ObjectType } from "type-graphql";
import { PRIVATE_HINT } from "@watchflixx/common";

@Directive(PRIVATE_HINT)
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

@Directive(PRIVATE_HINT)
@ObjectType("ProfileSettings", { description: "Per-profile playback preferences. Visible only to the owning account." })
export class ProfileSettings {
  @Field(() => String)
  language!: string;

  @Field(() => String, { nullable: true })
  subtitleLanguage!: string | null;

  @Field(() => Boolean)
  autoplayNext!: boolean;
}
