// Enums that several subgraphs expose, registered once with the same name and values everywhere, so that
// composition merges them. Values come from the Prisma schema: the database and the API cannot drift apart.
// (From the generated enums alone: importing them must not load the Prisma client, e.g. into the gateway.)
import { registerEnumType } from "type-graphql";
import {
  ContentType,
  DeviceType,
  MaturityRating,
  VideoQuality,
} from "@watchflixx/db/enums";

registerEnumType(MaturityRating, {
  name: "MaturityRating",
  description: "Audience ratings, ordered from G (everyone) to NC17 (adults only).",
});
registerEnumType(ContentType, { name: "ContentType" });
registerEnumType(DeviceType, { name: "DeviceType" });
registerEnumType(VideoQuality, { name: "VideoQuality", description: "SD, HD or UHD." });

export { ContentType, DeviceType, MaturityRating, VideoQuality };
