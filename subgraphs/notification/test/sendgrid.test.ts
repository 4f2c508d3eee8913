// Email through SendGrid when SENDGRID_API_KEY is set: @sendgrid/mail pointed at a local HTTP server that
// plays SendGrid's v3 mail/send (the only fake in these tests; our own code runs for real).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { createLogger } from "@watchflixx/common";
import { startTestSubgraph, type TestSubgraph } from "@watchflixx/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { notificationSubgraphWith, type NotificationConfig, type NotificationLoaders } from "../src/index.ts";
import { createUser, paymentFailed } from "./fixtures.ts";

const WAIT = { timeout: 45_000, interval: 100 };

interface Received {
  path: string;
  authorization: string | undefined;
  body: {
    personalizations: { to: { email: string }[] }[];
    from: { email: string };
    subject: string;
    content: { type: string; value: string }[];
  };
}

let database: TestDatabase;
let redisServer: TestRedisServer;
let server: TestSubgraph<NotificationConfig, NotificationLoaders>;
let fakeSendGrid: http.Server;
const received: Received[] = [];
/** Answers for the next requests (default 202 Accepted). */
const answers: number[] = [];

beforeAll(async () => {
  fakeSendGrid = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, body: JSON.parse(raw) as Received["body"] });
      const status = answers.shift() ?? 202;
      res.writeHead(status, { "content-type": "application/json", "x-message-id": `msg-${received.length}` });
      res.end(status === 202 ? "" : JSON.stringify({ errors: [{ message: "The from address does not match a verified Sender Identity." }] }));
    });
  });
  await new Promise<void>((resolve) => fakeSendGrid.listen(0, "127.0.0.1", () => resolve()));
  const { port } = fakeSendGrid.address() as AddressInfo;

  database = await createTestDatabase();
  redisServer = await startTestRedis();
  // The email settings as main.ts reads them from the environment: parsed by the subgraph's own config schema.
  server = await startTestSubgraph(notificationSubgraphWith({ emailPollIntervalMs: 200, consumer: { pollIntervalMs: 300 } }), {
    db: database.db,
    env: {
      REDIS_URL: redisServer.url,
      SENDGRID_API_KEY: "SG.test-key",
      SENDGRID_FROM_EMAIL: "hello@watchflixx.dev",
      SENDGRID_BASE_URL: `http://127.0.0.1:${port}/`,
    },
    logger: createLogger("notification", "error"),
  });
});

afterAll(async () => {
  await server?.stop();
  await redisServer?.stop();
  await database?.drop();
  await new Promise<void>((resolve) => fakeSendGrid?.close(() => resolve()));
});

describe("email through SendGrid", () => {
  it("sends a payment-failed email with the API key and records SendGrid's message id", async () => {
    const { db } = database;
    const user = await createUser(db, "payer");
    await paymentFailed(db, user.id);

    await expect.poll(() => received.length, WAIT).toBe(1);
    const [request] = received;
    expect(request?.path).toBe("/v3/mail/send");
    expect(request?.authorization).toBe("Bearer SG.test-key");
    expect(request?.body.personalizations[0]?.to).toEqual([{ email: user.email }]);
    expect(request?.body.from).toEqual({ email: "hello@watchflixx.dev" });
    expect(request?.body.subject).toBe("Your WatchFlixx payment failed");
    expect(request?.body.content[0]?.value).toContain("$15.99");

    await expect
      .poll(() => db.emailOutbox.findFirst({ where: { toAddress: user.email } }), WAIT)
      .toMatchObject({ status: "SENT", provider: "sendgrid", providerMessageId: "msg-1" });
  });

  it("marks an email SendGrid refuses as FAILED instead of retrying it forever", async () => {
    const { db } = database;
    const user = await createUser(db, "refused");
    answers.push(403);
    await paymentFailed(db, user.id);
    await expect
      .poll(() => db.emailOutbox.findFirst({ where: { toAddress: user.email } }), WAIT)
      .toMatchObject({ status: "FAILED", provider: "sendgrid", error: "SendGrid refused the email (HTTP 403)" });
  });
});
