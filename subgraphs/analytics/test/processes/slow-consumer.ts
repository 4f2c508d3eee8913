// Run by consumer-crash.test.ts as a separate process that the test kills with SIGKILL mid-batch: the real
// analytics consumer, each event's transaction held open a little after its effect (so that a kill lands
// between the effect and the commit). Usage: tsx slow-consumer.ts <databaseUrl> <holdMilliseconds>
import { connectDatabase, createLogger, startConsumer, type EventHandler } from "@watchflixx/common";
import { playbackHandlers } from "../../src/index.ts";

const [databaseUrl, holdMs = "0"] = process.argv.slice(2);
if (!databaseUrl) throw new Error("usage: slow-consumer.ts <databaseUrl> <holdMilliseconds>");
const db = await connectDatabase(databaseUrl);
const hold = Number(holdMs) / 1000;
const handlers = Object.fromEntries(
  Object.entries(playbackHandlers).map(([type, handler]): [string, EventHandler] => [
    type,
    async (tx, event, context) => {
      await handler(tx, event, context);
      await tx.$executeRaw`SELECT pg_sleep(${hold})`;
    },
  ]),
);
startConsumer({ service: "analytics", db, handlers, redisUrl: null, pollIntervalMs: 500, batchSize: 100, logger: createLogger("slow-consumer", "error") });
console.log("consuming");
