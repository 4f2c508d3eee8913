import { loadConfigOrExit, runSubgraph } from "@watchflixx/common";
import { createNotificationSubgraph, notificationSettingsSchema } from "./index.ts";

await runSubgraph("notification", () => createNotificationSubgraph({ settings: loadConfigOrExit(notificationSettingsSchema) }));
