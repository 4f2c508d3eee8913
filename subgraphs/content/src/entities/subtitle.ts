// The subtitle languages a title offers: one entry per language and format, whether the files belong to the
// film itself or to its episodes. File URLs are handed out by playback, not here.
import { Directive, Field, ObjectType, registerEnumType } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";
import { SubtitleFormat } from "@watchflixx/db";

registerEnumType(SubtitleFormat, { name: "SubtitleFormat", description: "VTT or SRT." });

@Directive(CATALOG_HINT)
@ObjectType("SubtitleTrack", { description: "A subtitle language available for a title, in one format." })
export class SubtitleTrack {
  @Field(() => String, { description: 'BCP 47 language tag, e.g. "en", "pt-BR".' })
  language!: string;

  @Field(() => SubtitleFormat)
  format!: SubtitleFormat;
}

export { SubtitleFormat };
