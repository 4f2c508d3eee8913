// What resolvers read from the request context.
import type { SubgraphContext } from "@watchflixx/common";
import type { NotificationLoaders } from "../loaders.ts";

export type NotificationContext = SubgraphContext<NotificationLoaders>;
